//go:build e2e

// The smoke test of the running network; it needs the e2e build tag (go test -tags e2e ./network/fabricnet/), so
// a plain `go test ./...` never starts a network. It brings the network up with scripts/up.sh, or reuses a healthy
// one with DELTALEDGER_REUSE_NETWORK=1.
package fabricnet

import (
	"context"
	"encoding/json"
	"os"
	"testing"
)

var testNet *Network

func TestMain(m *testing.M) {
	os.Exit(RunTests(m, func(_ context.Context, net *Network) error {
		testNet = net
		return nil
	}))
}

// Every user of every org evaluates GetMetadata through its own org's peer.
func TestGetMetadataThroughEveryPeer(t *testing.T) {
	cfg := testNet.Config()
	users := []string{"Admin"}
	for role := range cfg.Roles {
		users = append(users, role)
	}
	for _, o := range cfg.Orgs {
		for _, user := range users {
			t.Run(o.Key+"/"+user, func(t *testing.T) {
				gw, err := testNet.Gateway(o.MSPID, user)
				if err != nil {
					t.Fatal(err)
				}
				defer gw.Close()
				result, err := testNet.Contract(gw).EvaluateTransaction(MetadataFunction)
				if err != nil {
					t.Fatal(err)
				}
				var metadata struct {
					Contracts map[string]json.RawMessage `json:"contracts"`
				}
				if err := json.Unmarshal(result, &metadata); err != nil {
					t.Fatalf("metadata is not JSON: %v", err)
				}
				if len(metadata.Contracts) == 0 {
					t.Fatalf("metadata lists no contracts: %.200s", result)
				}
			})
		}
	}
}

// A transaction through every org's gateway is endorsed by a majority of the orgs (the chaincode-level policy), ordered by the
// BFT orderers and committed. GetMetadata writes nothing, so this works for any contractapi chaincode.
func TestSubmitThroughEveryPeer(t *testing.T) {
	for _, o := range testNet.Config().Orgs {
		t.Run(o.Key, func(t *testing.T) {
			gw, err := testNet.Gateway(o.Key, "operator")
			if err != nil {
				t.Fatal(err)
			}
			defer gw.Close()
			if _, err := testNet.Contract(gw).SubmitTransaction(MetadataFunction); err != nil {
				// "ProposalResponsePayloads do not match": two chaincode processes answered GetMetadata
				// differently, e.g. two contract types of the same name (contractapi names schema components
				// by the Go type name only, and which one wins depends on map order at start-up).
				t.Fatal(err)
			}
		})
	}
}

// The gRPC connection of an org is shared by its Gateways.
func TestConnectionSharedPerOrg(t *testing.T) {
	a, err := testNet.Conn("shanghai")
	if err != nil {
		t.Fatal(err)
	}
	b, err := testNet.Conn("ShanghaiMSP")
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("two connections to the same peer")
	}
}
