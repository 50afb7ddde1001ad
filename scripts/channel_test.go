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
// puts its MSP in both sections and its ordering node after the consenters with the next ID, and changes nothing the
// second time.
func TestARegionsChangeMakesItAMemberOnce(t *testing.T) {
	_, err := exec.LookPath("jq")
	require.NoError(t, err, "jq is needed (.ci/run installs it)")
	c := newCheckout(t)
	config := `{"channel_group": {"groups": {
		"Application": {"groups": {"AMSP": {"a": 1}, "BMSP": {"b": 1}}},
		"Orderer": {"groups": {"AMSP": {"a": 2}, "BMSP": {"b": 2}}, "values": {"Orderers": {"value": {"consenter_mapping": [
			{"id": 1, "msp_id": "AMSP"}, {"id": 4, "msp_id": "BMSP"}]}}}}}}}`
	before := filepath.Join(c.root, "config.json")
	require.NoError(t, os.WriteFile(before, []byte(config), 0o644))
	change := func(in string) string {
		out, err := c.bash(`source scripts/lib/channel.sh; jq --arg msp NMSP --argjson app '{"app": true}' ` +
			`--argjson orderer '{"orderer": true}' --argjson consenter '{"id": 0, "msp_id": "NMSP", "host": "orderer.n"}' ` +
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
					Groups map[string]map[string]any
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
	require.Len(t, g.Application.Groups, 3, "the members stay")
	consenters := g.Orderer.Values.Orderers.Value.ConsenterMapping
	require.Len(t, consenters, 3)
	require.Equal(t, 5, consenters[2].ID, "the next consenter ID after the highest")
	require.Equal(t, "NMSP", consenters[2].MSPID)
	require.Equal(t, "orderer.n", consenters[2].Host)

	again := filepath.Join(c.root, "again.json")
	require.NoError(t, os.WriteFile(again, []byte(after), 0o644))
	require.JSONEq(t, after, change(again), "a second change changes nothing")
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
