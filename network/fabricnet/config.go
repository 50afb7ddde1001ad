// Package fabricnet connects Go programs (the end-to-end tests, the demo seeder) to the local DeltaLedger network
// that scripts/up.sh runs. It reads the network's single source of names and ports, network/network.env, the
// role table network/identities.env, and the identities that cryptogen wrote under network/.state, and hands out
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
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvRoot names the environment variable that points at the repository root, for programs run outside it.
const EnvRoot = "DELTALEDGER_ROOT"

// Org is one region's organisation as network.env describes it.
type Org struct {
	Key          string // lower-case key of network.env: "shanghai"
	MSPID        string // "ShanghaiMSP"
	Domain       string // "shanghai.deltaledger.local"
	PeerEndpoint string // host:port of the org's peer (gateway service)
}

// Config is the network's description: network.env, identities.env and where the generated state lives.
type Config struct {
	Root      string            // repository root
	Values    map[string]string // every KEY=VALUE of network/network.env
	Orgs      []Org             // in the order of ORGS
	Channel   string
	Chaincode string
	Roles     map[string]string // role (lower case) -> cryptogen user name, from identities.env
}

// FindRoot returns $DELTALEDGER_ROOT if set, else the nearest directory at or above dir (the working directory
// when dir is "") that holds network/network.env.
func FindRoot(dir string) (string, error) {
	if root := os.Getenv(EnvRoot); root != "" {
		return root, nil
	}
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "network", "network.env")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no network/network.env at or above the working directory (set %s)", EnvRoot)
		}
		dir = parent
	}
}

// ParseEnvFile reads a file of KEY=VALUE lines as the network scripts write them: blank lines and lines starting
// with # are skipped, a value may be wrapped in double quotes, nothing is expanded.
func ParseEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	values := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, fmt.Errorf("%s:%d: not KEY=VALUE: %q", path, n, line)
		}
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
		}
		values[key] = value
	}
	return values, sc.Err()
}

// LoadConfig reads the network description of the repository at root ("" to find it with FindRoot).
func LoadConfig(root string) (*Config, error) {
	if root == "" {
		var err error
		if root, err = FindRoot(""); err != nil {
			return nil, err
		}
	}
	values, err := ParseEnvFile(filepath.Join(root, "network", "network.env"))
	if err != nil {
		return nil, err
	}
	ids, err := ParseEnvFile(filepath.Join(root, "network", "identities.env"))
	if err != nil {
		return nil, err
	}
	cfg := &Config{Root: root, Values: values, Roles: map[string]string{}}
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
		cfg.Orgs = append(cfg.Orgs, Org{
			Key:          key,
			MSPID:        get(prefix + "MSPID"),
			Domain:       get(prefix + "DOMAIN"),
			PeerEndpoint: host + ":" + get(prefix+"PEER_PORT"),
		})
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

// UserName maps a role of identities.env ("buyer") to its cryptogen user ("User3"); other names ("Admin",
// "User2") are returned as given.
func (c *Config) UserName(roleOrUser string) string {
	if user, ok := c.Roles[strings.ToLower(roleOrUser)]; ok {
		return user
	}
	return roleOrUser
}

// StateDir is the git-ignored folder of everything scripts/up.sh generates.
func (c *Config) StateDir() string { return filepath.Join(c.Root, "network", ".state") }

// OrgDir is the org's crypto material (Fabric CA / cryptogen layout: ca, tlsca, msp, peers, orderers, users).
func (c *Config) OrgDir(o Org) string {
	return filepath.Join(c.StateDir(), "organizations", "peerOrganizations", o.Domain)
}

// TLSRootCertFile is the org's TLS CA certificate, which issued its peer's and ordering node's TLS certificates.
func (c *Config) TLSRootCertFile(o Org) string {
	return filepath.Join(c.OrgDir(o), "tlsca", "tlsca."+o.Domain+"-cert.pem")
}

// UserMSPDir is the MSP folder of a user of the org ("Admin", "User3" or a role).
func (c *Config) UserMSPDir(o Org, roleOrUser string) string {
	user := c.UserName(roleOrUser)
	return filepath.Join(c.OrgDir(o), "users", user+"@"+o.Domain, "msp")
}

// readSingle returns the content of the only file in dir (cryptogen's signcerts/ and keystore/ hold one each).
func readSingle(dir string) ([]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !e.IsDir() {
			return os.ReadFile(filepath.Join(dir, e.Name()))
		}
	}
	return nil, errors.New("no file in " + dir)
}
