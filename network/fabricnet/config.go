// Package fabricnet connects Go programs (the end-to-end tests, the demo seeder) to the local DeltaLedger network
// that scripts/up.sh runs. It reads the network's single source of names and ports, network/network.env, the
// role table network/identities.env, and the identities enrolled from the regions' CAs under network/.state (the
// Fabric CA layout of scripts/lib/ca.sh, also written by network/enroll), and hands out
// fabric-gateway connections: one gRPC connection per org peer, shared by every Gateway of that org.
//
//	cfg, err := fabricnet.LoadConfig("")          // finds the repository root from the working directory
//	net := fabricnet.New(cfg)
//	defer net.Close()
//	gw, err := net.Gateway("jiangsu", "buyer")    // org key or MSP ID; role, "UserN" or "Admin"
//	defer gw.Close()
//	result, err := net.Contract(gw).EvaluateTransaction("org.hyperledger.fabric:GetMetadata")
package fabricnet

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/deltaledger/deltaledger/internal/envfile"
)

// EnvRoot names the environment variable that points at the repository root, for programs run outside it.
const EnvRoot = "DELTALEDGER_ROOT"

// sitesFile is the file of the state folder that puts the network on sites (scripts/lib/sites.sh): SITES=1 and
// each region's <ORG>_HOST and <ORG>_CSR_HOSTS, which replace network.env's.
const sitesFile = "sites.env"

// regionsFile is the file of the state folder that holds the regions added to the running network
// (scripts/add-region.sh): their values of network.env, and ORGS with them. It is read after network.env.
const regionsFile = "regions.env"

// Org is one region's organisation as network.env describes it.
type Org struct {
	Key          string // lower-case key of network.env: "shanghai"
	MSPID        string // "ShanghaiMSP"
	Domain       string // "shanghai.deltaledger.local"
	Host         string // the address the org's processes listen on: its site's on a network of sites, else HOST
	PeerEndpoint string // host:port of the org's peer (gateway service)
	CAEndpoint   string // host:port of the org's Fabric CA server (https)
	Province     string // subject (ST) of the org's certificates
	City         string // subject (L) of the org's certificates
	// Added says the region joined the running network (scripts/add-region.sh, ADDED_REGIONS of regions.env): a
	// member of the channel, of the chaincode's definition and, once a majority approved the rules that name it
	// (network/marketrules), of the market.
	Added bool
}

// Config is the network's description: network.env, identities.env and where the generated state lives.
type Config struct {
	Root      string            // repository root
	Values    map[string]string // every KEY=VALUE of network/network.env, then of the state's regions.env and sites.env
	Sites     bool              // the network runs on sites, one network namespace per region (sites.env)
	Orgs      []Org             // in the order of ORGS
	Channel   string
	Chaincode string
	Roles     map[string]string // role (lower case) -> user name, from identities.env
}

// FindRoot returns $DELTALEDGER_ROOT if set, else the nearest directory at or above dir (the working directory
// when dir is "") that holds network/network.env.
func FindRoot(dir string) (string, error) {
	if root := os.Getenv(EnvRoot); root != "" {
		return root, nil
	}
	root, err := envfile.FindUp(dir, filepath.Join("network", "network.env"))
	if err != nil {
		return "", fmt.Errorf("%w (set %s)", err, EnvRoot)
	}
	return root, nil
}

// LoadConfig reads the network description of the repository at root ("" to find it with FindRoot).
func LoadConfig(root string) (*Config, error) {
	if root == "" {
		var err error
		if root, err = FindRoot(""); err != nil {
			return nil, err
		}
	}
	values, err := envfile.Read(filepath.Join(root, "network", "network.env"))
	if err != nil {
		return nil, err
	}
	ids, err := envfile.Read(filepath.Join(root, "network", "identities.env"))
	if err != nil {
		return nil, err
	}
	cfg := &Config{Root: root, Values: values, Roles: map[string]string{}}
	for _, name := range []string{regionsFile, sitesFile} {
		more, err := envfile.Read(filepath.Join(cfg.StateDir(), name))
		switch {
		case err == nil:
			maps.Copy(values, more)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
	}
	cfg.Sites = values["SITES"] == "1"
	var missing []string
	get := func(key string) string {
		v, ok := values[key]
		if !ok || v == "" {
			missing = append(missing, key)
		}
		return v
	}
	cfg.Channel = get("CHANNEL_NAME")
	cfg.Chaincode = get("CHAINCODE_NAME")
	host := get("HOST")
	for _, key := range strings.Fields(get("ORGS")) {
		prefix := strings.ToUpper(key) + "_"
		orgHost := host // <ORG>_HOST of sites.env
		if own := values[prefix+"HOST"]; own != "" {
			orgHost = own
		}
		cfg.Orgs = append(cfg.Orgs, Org{
			Key:          key,
			MSPID:        get(prefix + "MSPID"),
			Domain:       get(prefix + "DOMAIN"),
			Host:         orgHost,
			PeerEndpoint: net.JoinHostPort(orgHost, get(prefix+"PEER_PORT")),
			CAEndpoint:   net.JoinHostPort(orgHost, get(prefix+"CA_PORT")),
			Province:     get(prefix + "PROVINCE"),
			City:         get(prefix + "CITY"),
			Added:        slices.Contains(strings.Fields(values["ADDED_REGIONS"]), key),
		})
		get(prefix + "CSR_HOSTS")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("network.env lacks %s", strings.Join(missing, ", "))
	}
	for key, user := range ids {
		if role, ok := strings.CutPrefix(key, "ROLE_"); ok {
			cfg.Roles[strings.ToLower(role)] = user
		}
	}
	return cfg, nil
}

// Org returns the org named by its key ("shanghai") or MSP ID ("ShanghaiMSP").
func (c *Config) Org(name string) (Org, error) {
	for _, o := range c.Orgs {
		if o.Key == name || o.MSPID == name {
			return o, nil
		}
	}
	return Org{}, fmt.Errorf("unknown org %q", name)
}

// UserName maps a role of identities.env ("buyer") to its user ("User3"); other names ("Admin", "User2") are
// returned as given.
func (c *Config) UserName(roleOrUser string) string {
	if user, ok := c.Roles[strings.ToLower(roleOrUser)]; ok {
		return user
	}
	return roleOrUser
}

// Users are the users every org has besides its Admin (those of identities.env), sorted.
func (c *Config) Users() []string {
	var users []string
	for _, u := range c.Roles {
		if !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	slices.Sort(users)
	return users
}

// StateDir is the git-ignored folder of everything scripts/up.sh generates.
func (c *Config) StateDir() string { return filepath.Join(c.Root, "network", ".state") }

// OrgDir is the org's crypto material (Fabric CA layout: ca, tlsca, msp, peers, orderers, users).
func (c *Config) OrgDir(o Org) string {
	return filepath.Join(c.StateDir(), "organizations", "peerOrganizations", o.Domain)
}

// CACertFile is the certificate of the org's CA, which issued its MSP identities.
func (c *Config) CACertFile(o Org) string {
	return filepath.Join(c.OrgDir(o), "ca", "ca."+o.Domain+"-cert.pem")
}

// TLSRootCertFile is the org's TLS CA certificate, which issued its peer's and ordering node's TLS certificates.
func (c *Config) TLSRootCertFile(o Org) string {
	return filepath.Join(c.OrgDir(o), "tlsca", "tlsca."+o.Domain+"-cert.pem")
}

// UserDir is the folder of a user of the org ("Admin", "User3" or a role): msp/ and tls/.
func (c *Config) UserDir(o Org, roleOrUser string) string {
	return filepath.Join(c.OrgDir(o), "users", c.UserName(roleOrUser)+"@"+o.Domain)
}

// UserMSPDir is the MSP folder of a user of the org ("Admin", "User3" or a role).
func (c *Config) UserMSPDir(o Org, roleOrUser string) string {
	return filepath.Join(c.UserDir(o, roleOrUser), "msp")
}

// Nodes of a region, as network.env names their certificates' host lists (<ORG>_<NODE>_CSR_HOSTS).
const (
	NodeCA        = "CA"
	NodePeer      = "PEER"
	NodeOrderer   = "ORDERER"
	NodeChaincode = "CHAINCODE"
	NodeGateway   = "GATEWAY"
)

// NodeName is the host name of a node of the org ("peer0.<domain>"); it is also the node's enrollment ID.
func (c *Config) NodeName(o Org, node string) string {
	prefix := map[string]string{NodeCA: "ca", NodePeer: "peer0", NodeOrderer: "orderer", NodeChaincode: "ccaas",
		NodeGateway: "gateway"}[node]
	return prefix + "." + o.Domain
}

// NodeDir is the folder of a node's identity: peers/<name> (peer, chaincode service, REST gateway) or
// orderers/<name>.
func (c *Config) NodeDir(o Org, node string) string {
	kind := "peers"
	if node == NodeOrderer {
		kind = "orderers"
	}
	return filepath.Join(c.OrgDir(o), kind, c.NodeName(o, node))
}

// CSRHosts are the host names and addresses of a node's TLS certificate: <ORG>_<NODE>_CSR_HOSTS when network.env
// sets it, else the node's own name and <ORG>_CSR_HOSTS (scripts/lib/ca.sh applies the same rule to the CA).
func (c *Config) CSRHosts(o Org, node string) []string {
	prefix := strings.ToUpper(o.Key) + "_"
	if own := c.Values[prefix+node+"_CSR_HOSTS"]; own != "" {
		return strings.Split(own, ",")
	}
	return append([]string{c.NodeName(o, node)}, strings.Split(c.Values[prefix+"CSR_HOSTS"], ",")...)
}

// CAHome is the home of the org's CA server (fabric-ca-server-config.yaml, its database and keys).
func (c *Config) CAHome(o Org) string { return filepath.Join(c.StateDir(), "nodes", "ca-"+o.Key) }

// CAServerCertFile verifies the CA server's TLS listener: the certificate of its default CA, which issued it.
func (c *Config) CAServerCertFile(o Org) string { return filepath.Join(c.CAHome(o), "ca-cert.pem") }
