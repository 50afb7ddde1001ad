package fabricnet

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/deltaledger/deltaledger/model"
)

// The repository's own network.env and identities.env: the market's default channel and chaincode names, every org
// complete, no port used twice.
func TestLoadConfigOfRepository(t *testing.T) {
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Channel != model.DefaultChannel || cfg.Chaincode != model.DefaultChaincode {
		t.Errorf("channel/chaincode = %q/%q, want the model's defaults %q/%q", cfg.Channel, cfg.Chaincode, model.DefaultChannel, model.DefaultChaincode)
	}
	want := []string{"ShanghaiMSP", "JiangsuMSP", "ZhejiangMSP", "AnhuiMSP"}
	if len(cfg.Orgs) != len(want) {
		t.Fatalf("orgs = %+v", cfg.Orgs)
	}
	for i, o := range cfg.Orgs {
		if o.MSPID != want[i] {
			t.Errorf("org %d = %s, want %s", i, o.MSPID, want[i])
		}
		if got, err := cfg.Org(o.MSPID); err != nil || got.Key != o.Key {
			t.Errorf("Org(%s) = %+v, %v", o.MSPID, got, err)
		}
	}
	seen := map[string]string{}
	for key, value := range cfg.Values {
		if !strings.HasSuffix(key, "_PORT") {
			continue
		}
		if other, dup := seen[value]; dup {
			t.Errorf("port %s used by %s and %s", value, key, other)
		}
		seen[value] = key
	}
	if cfg.UserName("buyer") != "User3" || cfg.UserName("Admin") != "Admin" || len(cfg.Roles) != 5 {
		t.Errorf("roles = %v", cfg.Roles)
	}
	// The chaincode policy asks for a majority of the orgs (the exact
	// policy is chaincode/contracts' TestProductionChannelIsTheScenarios).
	if !strings.HasPrefix(cfg.Values["ENDORSEMENT_POLICY"], fmt.Sprintf("OutOf(%d,", model.ChaincodeEndorsers(len(cfg.Orgs)))) {
		t.Errorf("ENDORSEMENT_POLICY = %q", cfg.Values["ENDORSEMENT_POLICY"])
	}
}

// Node names, folders and TLS host names follow network.env: a node's own name plus its region's CSR_HOSTS, or
// the node's own <ORG>_<NODE>_CSR_HOSTS when set.
func TestNodeLayoutAndCSRHosts(t *testing.T) {
	cfg := &Config{Root: "/r", Values: map[string]string{
		"JIANGSU_CSR_HOSTS": "localhost,127.0.0.1", "JIANGSU_GATEWAY_CSR_HOSTS": "gw.example,10.0.2.1",
	}}
	o := Org{Key: "jiangsu", Domain: "jiangsu.deltaledger.local"}
	if got := cfg.NodeName(o, NodePeer); got != "peer0.jiangsu.deltaledger.local" {
		t.Errorf("peer name %q", got)
	}
	if got := cfg.NodeDir(o, NodeOrderer); got != "/r/network/.state/organizations/peerOrganizations/jiangsu.deltaledger.local/orderers/orderer.jiangsu.deltaledger.local" {
		t.Errorf("orderer dir %q", got)
	}
	if got := strings.Join(cfg.CSRHosts(o, NodePeer), ","); got != "peer0.jiangsu.deltaledger.local,localhost,127.0.0.1" {
		t.Errorf("peer hosts %q", got)
	}
	if got := strings.Join(cfg.CSRHosts(o, NodeGateway), ","); got != "gw.example,10.0.2.1" {
		t.Errorf("gateway hosts %q", got)
	}
	cfg.Roles = map[string]string{"holder": "User2", "operator": "User1", "buyer": "User3"}
	if got := strings.Join(cfg.Users(), ","); got != "User1,User2,User3" {
		t.Errorf("users %q", got)
	}
}

// networkCopy is a new repository root holding the repository's own
// network.env and identities.env and an empty network/.state, for a test to
// add the files the scripts write there.
func networkCopy(t *testing.T) string {
	t.Helper()
	repo, err := FindRoot("")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "network", ".state"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"network.env", "identities.env"} {
		b, err := os.ReadFile(filepath.Join(repo, "network", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "network", f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// A network on sites (scripts/lib/sites.sh writes network/.state/sites.env): each region listens and is dialled at
// its site's address, which its certificates carry.
func TestSitesEnvGivesEachRegionItsAddress(t *testing.T) {
	root := networkCopy(t)
	plain, err := LoadConfig(root)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Sites || plain.Orgs[1].Host != "127.0.0.1" || plain.Orgs[1].PeerEndpoint != "127.0.0.1:27251" {
		t.Errorf("without sites.env: sites %v, jiangsu %+v", plain.Sites, plain.Orgs[1])
	}
	sites := "SITES=1\nSITES_PREFIX=dl123abc\nJIANGSU_HOST=10.77.2.2\nJIANGSU_CSR_HOSTS=\"10.77.2.2\"\n"
	if err := os.WriteFile(filepath.Join(root, "network", ".state", "sites.env"), []byte(sites), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(root)
	if err != nil {
		t.Fatal(err)
	}
	j, s := cfg.Orgs[1], cfg.Orgs[0]
	if !cfg.Sites || j.Host != "10.77.2.2" || j.PeerEndpoint != "10.77.2.2:27251" || j.CAEndpoint != "10.77.2.2:27254" {
		t.Errorf("with sites.env: sites %v, jiangsu %+v", cfg.Sites, j)
	}
	if got := cfg.CSRHosts(j, NodePeer); !slices.Contains(got, "10.77.2.2") || !slices.Contains(got, "peer0.jiangsu.deltaledger.local") {
		t.Errorf("jiangsu's peer certificate hosts = %v", got)
	}
	if s.Host != "127.0.0.1" {
		t.Errorf("a region sites.env does not name keeps HOST, got %q", s.Host)
	}
}

// A region added to the running network (scripts/add-region.sh writes network/.state/regions.env) is one of the
// orgs, after the others, and not one of the market's.
func TestRegionsEnvAddsARegion(t *testing.T) {
	root := networkCopy(t)
	regions := `ORGS="shanghai jiangsu zhejiang anhui suzhou"
ADDED_REGIONS="suzhou"
SUZHOU_MSPID=SuzhouMSP
SUZHOU_DOMAIN=suzhou.deltaledger.local
SUZHOU_PROVINCE=Jiangsu
SUZHOU_CITY=Suzhou
SUZHOU_CSR_HOSTS="localhost,127.0.0.1"
SUZHOU_PEER_PORT=27551
SUZHOU_CA_PORT=27554
`
	if err := os.WriteFile(filepath.Join(root, "network", ".state", "regions.env"), []byte(regions), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Orgs) != 5 {
		t.Fatalf("orgs %v", cfg.Orgs)
	}
	s := cfg.Orgs[4]
	if s.Key != "suzhou" || s.MSPID != "SuzhouMSP" || !s.Added || s.PeerEndpoint != "127.0.0.1:27551" || s.City != "Suzhou" {
		t.Errorf("the added region: %+v", s)
	}
	if cfg.Orgs[0].Added {
		t.Errorf("shanghai is not an added region")
	}
}
