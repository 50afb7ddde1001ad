package scripts_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A region's change to the channel configuration (scripts/lib/channel.sh, region_change, which add-region.sh submits)
// puts its MSP in both sections and its ordering node after the consenters with the next ID, makes the Orderer
// section's BlockValidation policy a BFT quorum of the five consenters' identities (4 of 5, as SmartBFT checks), and
// changes nothing the second time.
func TestARegionsChangeMakesItAMemberOnce(t *testing.T) {
	_, err := exec.LookPath("jq")
	require.NoError(t, err, "jq is needed (.ci/run installs it)")
	c := newCheckout(t)
	config := `{"channel_group": {"groups": {
		"Application": {"groups": {"AMSP": {"a": 1}, "BMSP": {"b": 1}, "CMSP": {"c": 1}, "DMSP": {"d": 1}}},
		"Orderer": {"groups": {"AMSP": {"a": 2}, "BMSP": {"b": 2}, "CMSP": {"c": 2}, "DMSP": {"d": 2}},
			"policies": {"BlockValidation": {"mod_policy": "Admins", "policy": {"type": 1, "value": {}}, "version": "0"}},
			"values": {"Orderers": {"value": {"consenter_mapping": [
				{"id": 1, "msp_id": "AMSP", "identity": "QQ=="}, {"id": 2, "msp_id": "BMSP", "identity": "Qg=="},
				{"id": 3, "msp_id": "CMSP", "identity": "Qw=="}, {"id": 7, "msp_id": "DMSP", "identity": "RA=="}]}}}}}}}`
	before := filepath.Join(c.root, "config.json")
	require.NoError(t, os.WriteFile(before, []byte(config), 0o644))
	change := func(in string) string {
		out, err := c.bash(`source scripts/lib/channel.sh; jq --arg msp NMSP --argjson app '{"app": true}' ` +
			`--argjson orderer '{"orderer": true}' --argjson consenter '{"id": 0, "msp_id": "NMSP", "host": "orderer.n", "identity": "Tg=="}' ` +
			`"$(region_change)" ` + in)
		require.NoError(t, err, out)
		return out
	}
	after := change(before)
	var got struct {
		ChannelGroup struct {
			Groups struct {
				Application struct{ Groups map[string]map[string]any }
				Orderer     struct {
					Groups   map[string]map[string]any
					Policies struct {
						BlockValidation struct {
							ModPolicy string `json:"mod_policy"`
							Policy    struct {
								Type  int
								Value struct {
									Identities []struct {
										Principal struct {
											IDBytes string `json:"id_bytes"`
											MSPID   string `json:"mspid"`
										}
										Classification string `json:"principal_classification"`
									}
									Rule struct {
										NOutOf struct {
											N     int
											Rules []map[string]int
										} `json:"n_out_of"`
									}
								}
							}
						}
					}
					Values struct {
						Orderers struct {
							Value struct {
								ConsenterMapping []struct {
									ID    int    `json:"id"`
									MSPID string `json:"msp_id"`
									Host  string `json:"host"`
								} `json:"consenter_mapping"`
							}
						}
					}
				}
			}
		} `json:"channel_group"`
	}
	require.NoError(t, json.Unmarshal([]byte(after), &got), after)
	g := got.ChannelGroup.Groups
	require.Equal(t, map[string]any{"app": true}, g.Application.Groups["NMSP"])
	require.Equal(t, map[string]any{"orderer": true}, g.Orderer.Groups["NMSP"])
	require.Len(t, g.Application.Groups, 5, "the members stay")
	consenters := g.Orderer.Values.Orderers.Value.ConsenterMapping
	require.Len(t, consenters, 5)
	require.Equal(t, 8, consenters[4].ID, "the next consenter ID after the highest")
	require.Equal(t, "NMSP", consenters[4].MSPID)
	require.Equal(t, "orderer.n", consenters[4].Host)
	bv := g.Orderer.Policies.BlockValidation
	require.Equal(t, "Admins", bv.ModPolicy, "only the policy itself is made again")
	require.Equal(t, 1, bv.Policy.Type, "a signature policy")
	require.Equal(t, 4, bv.Policy.Value.Rule.NOutOf.N, "a BFT quorum of 5 consenters (f = 1): ceil((5 + 1 + 1) / 2)")
	require.Equal(t, []map[string]int{{"signed_by": 0}, {"signed_by": 1}, {"signed_by": 2}, {"signed_by": 3}, {"signed_by": 4}},
		bv.Policy.Value.Rule.NOutOf.Rules)
	require.Len(t, bv.Policy.Value.Identities, 5)
	for i, want := range [][2]string{{"AMSP", "QQ=="}, {"BMSP", "Qg=="}, {"CMSP", "Qw=="}, {"DMSP", "RA=="}, {"NMSP", "Tg=="}} {
		id := bv.Policy.Value.Identities[i]
		require.Equal(t, "IDENTITY", id.Classification)
		require.Equal(t, want, [2]string{id.Principal.MSPID, id.Principal.IDBytes}, "consenter %d's identity, in the mapping's order", i)
	}

	again := filepath.Join(c.root, "again.json")
	require.NoError(t, os.WriteFile(again, []byte(after), 0o644))
	require.JSONEq(t, after, change(again), "a second change changes nothing")

	// The region's own groups are its own from then on (their policy is its Admins, not the members'): once it has
	// changed them, with a CRL in its MSP for one, a repeated change leaves them as they are, where it would have
	// put configtxgen's definition back, without the CRL, in an update the members sign.
	var changed map[string]any
	require.NoError(t, json.Unmarshal([]byte(after), &changed))
	groups := changed["channel_group"].(map[string]any)["groups"].(map[string]any)
	for section, def := range map[string]map[string]any{"Application": {"app": true, "crl": "X"}, "Orderer": {"orderer": true, "crl": "X"}} {
		groups[section].(map[string]any)["groups"].(map[string]any)["NMSP"] = def
	}
	own, err := json.Marshal(changed)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(again, own, 0o644))
	require.JSONEq(t, string(own), change(again), "the region's changed groups stay as they are")
}

// A majority of the members signs: more than half of them.
func TestMajorityOf(t *testing.T) {
	c := newCheckout(t)
	for in, want := range map[string]string{"a b": "a b", "a b c": "a b", "a b c d": "a b c", "a b c d e": "a b c"} {
		out, err := c.bash(`source scripts/lib/channel.sh; majority_of ` + in)
		require.NoError(t, err, out)
		require.Equal(t, want, strings.Join(strings.Fields(out), " "), "majority of %s", in)
	}
}
