package fabricnet

import (
	"strings"
	"testing"
)

// The repository's own network.env and identities.env: every org complete, no port used twice.
func TestLoadConfigOfRepository(t *testing.T) {
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Channel != "yrd-market" || cfg.Chaincode != "deltaledger" {
		t.Errorf("channel/chaincode = %q/%q", cfg.Channel, cfg.Chaincode)
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
	if !strings.Contains(cfg.Values["ENDORSEMENT_POLICY"], "OutOf(2,") {
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
