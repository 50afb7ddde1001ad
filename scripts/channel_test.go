package scripts_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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

// configtxlator puts Fabric's configtxlator into the checkout's bin/: the one `make fabric` built, or, before
// that, one built from the version network/tools pins.
func (c *checkout) configtxlator() {
	c.t.Helper()
	to := filepath.Join(c.root, "bin", "configtxlator")
	if _, err := os.Stat(filepath.Join("..", "bin", "configtxlator")); err == nil {
		copyTree(c.t, filepath.Join("..", "bin", "configtxlator"), to)
		return
	}
	build := exec.Command("go", "build", "-o", to, "github.com/hyperledger/fabric/cmd/configtxlator")
	build.Dir = filepath.Join("..", "network", "tools")
	out, err := build.CombinedOutput()
	require.NoError(c.t, err, "building configtxlator: %s", out)
}

// fakeChannel is a stand-in for the admins and ordering nodes that scripts/lib/channel.sh's update_channel talks
// to: fetch_config_block copies blocks/<org>.block (the config block of that org's own ordering node), in_org
// writes what each admin runs to calls.log (one line: the org and the peer command), and the first signer's
// machine, when forge.jq exists, hands on as the update.tx it signed the update that forge.jq makes of its
// configuration, computed and wrapped as configtxlator makes any update.
const fakeChannel = `source scripts/lib/channel.sh
fetch_config_block() { echo "$1 fetch" >>calls.log; cp "blocks/$1.block" "$2"; }
in_org() {
  echo "$1 $2 $3 $4" >>calls.log
  if [ "$1 $4" = "shanghai signconfigtx" ] && [ -f forge.jq ]; then
    mkdir -p forgery
    configtxlator proto_decode --input blocks/shanghai.block --type common.Block |
      jq '.data.data[0].payload.data.config' >forgery/config.json
    jq -f forge.jq forgery/config.json >forgery/forged.json
    configtxlator proto_encode --input forgery/config.json --type common.Config --output forgery/config.pb
    configtxlator proto_encode --input forgery/forged.json --type common.Config --output forgery/forged.pb
    configtxlator compute_update --channel_id "$CHANNEL_NAME" --original forgery/config.pb --updated forgery/forged.pb \
      --output forgery/update.pb
    configtxlator proto_decode --input forgery/update.pb --type common.ConfigUpdate |
      jq --arg ch "$CHANNEL_NAME" '{payload: {header: {channel_header: {channel_id: $ch, type: 2}}, data: {config_update: .}}}' \
        >forgery/update.json
    configtxlator proto_encode --input forgery/update.json --type common.Envelope --output "$6"
  fi
}
submit_orderer_args() { :; }
`

// channelConfig is a channel configuration of four orgs, as configtxlator decodes one (the groups only), with the
// Application section at version av.
func channelConfig(av int) map[string]any {
	org := func() map[string]any { return map[string]any{"mod_policy": "Admins"} }
	return map[string]any{"sequence": "3", "channel_group": map[string]any{"mod_policy": "Admins", "groups": map[string]any{
		"Application": map[string]any{"mod_policy": "Admins", "version": fmt.Sprint(av), "groups": map[string]any{
			"AMSP": org(), "BMSP": org(), "CMSP": org(), "DMSP": org()}},
		"Orderer": map[string]any{"mod_policy": "Admins", "groups": map[string]any{
			"AMSP": org(), "BMSP": org(), "CMSP": org(), "DMSP": org()}},
	}}}
}

// withNMSP is config with the org NMSP in its Application section.
func withNMSP(config map[string]any) map[string]any {
	groups := config["channel_group"].(map[string]any)["groups"].(map[string]any)
	groups["Application"].(map[string]any)["groups"].(map[string]any)["NMSP"] = map[string]any{"mod_policy": "Admins"}
	return config
}

// writeBlock writes config as the config block blocks/<org>.block (configtxlator encodes it).
func (c *checkout) writeBlock(org string, config map[string]any) {
	c.t.Helper()
	block := map[string]any{"data": map[string]any{"data": []any{map[string]any{"payload": map[string]any{
		"header": map[string]any{"channel_header": map[string]any{"type": 1, "channel_id": "yrd-market"}},
		"data":   map[string]any{"config": config}}}}}}
	require.NoError(c.t, os.MkdirAll(filepath.Join(c.root, "blocks"), 0o755))
	raw, err := json.Marshal(block)
	require.NoError(c.t, err)
	require.NoError(c.t, os.WriteFile(filepath.Join(c.root, "blocks", org+".json"), raw, 0o644))
	out, err := c.bash(fmt.Sprintf("configtxlator proto_encode --type common.Block --input blocks/%s.json --output blocks/%s.block", org, org))
	require.NoError(c.t, err, out)
}

// Each admin signs only the update it computed itself from its own ordering node's config block: an update.tx
// forged on the first signer's machine (its change with one more, made as configtxlator makes any update) is
// refused by the second signer, naming itself and the first path that differs, and nothing more is signed or
// submitted; so is an update of a configuration that changed after the first signer fetched it, by the second
// signer or by the last before it submits. The honest update is computed, checked, signed by the first two and
// submitted by the third.
func TestEachSignerSignsOnlyTheUpdateItComputed(t *testing.T) {
	_, err := exec.LookPath("jq")
	require.NoError(t, err, "jq is needed (.ci/run installs it)")
	// addNMSP is the change every signer is asked to sign, an org NMSP in the Application section; update is
	// update_channel's arguments for it.
	const addNMSP = `.channel_group.groups.Application.groups.NMSP //= {"mod_policy": "Admins"}`
	const update = `'` + addNMSP + `' shanghai jiangsu zhejiang`
	// What the admins run up to jiangsu's check, and up to zhejiang's.
	const (
		jiangsuChecks  = "shanghai fetch\nshanghai peer channel signconfigtx\njiangsu fetch\n"
		zhejiangChecks = jiangsuChecks + "jiangsu peer channel signconfigtx\nzhejiang fetch\n"
	)
	for _, tc := range []struct {
		name    string
		forge   string         // the change the first signer's machine adds to addNMSP
		viewer  string         // an org whose ordering node has a newer configuration than the others'
		view    map[string]any // that configuration
		refused string         // what the refusal says, "" when the update goes through
		calls   string         // what the admins ran (calls.log)
	}{
		{name: "honest", calls: zhejiangChecks + "zhejiang peer channel update\n"},
		{name: "a region removed", forge: "del(.channel_group.groups.Application.groups.BMSP)", calls: jiangsuChecks,
			refused: "jiangsu's admin refuses to sign the update test: it is not the update jiangsu's admin computed " +
				"from its own copy of the channel: its own update has .write_set.groups.Application.groups.BMSP, the one " +
				"it was handed has not"},
		{name: "another org's group changed", forge: `.channel_group.groups.Orderer.groups.CMSP.mod_policy = "Writers"`,
			calls: jiangsuChecks, refused: "the update it was handed has .write_set.groups.Orderer, its own has not"},
		{name: "a policy weakened", forge: `.channel_group.groups.Application.mod_policy = "Readers"`,
			calls: jiangsuChecks, refused: "the two differ at .write_set.groups.Application.mod_policy"},
		{name: "the configuration changed meanwhile", viewer: "jiangsu", view: channelConfig(1), calls: jiangsuChecks,
			refused: "jiangsu's admin refuses to sign the update test: it is not the update jiangsu's admin computed " +
				"from its own copy of the channel: the two differ at .write_set.groups.Application.version"},
		{name: "the update landed meanwhile", viewer: "jiangsu", view: withNMSP(channelConfig(1)), calls: jiangsuChecks,
			refused: "jiangsu's admin refuses to sign the update test: its own copy of the channel has the change already"},
		{name: "the configuration changed before the last signer submits", viewer: "zhejiang", view: channelConfig(1),
			calls: zhejiangChecks, refused: "zhejiang's admin refuses to sign the update test: it is not the update " +
				"zhejiang's admin computed from its own copy of the channel: the two differ at " +
				".write_set.groups.Application.version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCheckout(t)
			c.configtxlator()
			for _, org := range []string{"shanghai", "jiangsu", "zhejiang"} {
				c.writeBlock(org, channelConfig(0))
			}
			if tc.viewer != "" {
				c.writeBlock(tc.viewer, tc.view)
			}
			if tc.forge != "" {
				require.NoError(t, os.WriteFile(filepath.Join(c.root, "forge.jq"), []byte(addNMSP+" | "+tc.forge), 0o644))
			}
			out, err := c.bash(fakeChannel + "update_channel test " + update)
			calls, _ := os.ReadFile(filepath.Join(c.root, "calls.log"))
			require.Equal(t, tc.calls, string(calls), "the first signer computes and signs; each other one computes "+
				"its own before it signs or submits, and after a refusal nothing is signed or submitted")
			if tc.refused != "" {
				require.Error(t, err, out)
				require.Contains(t, out, tc.refused)
				return
			}
			require.NoError(t, err, out)
			tx, err := c.bash("configtxlator proto_decode --type common.Envelope --input network/.state/channel/updates/test/update.tx" +
				" | jq -c '.payload.data.config_update.write_set.groups.Application.groups | keys'")
			require.NoError(t, err, tx)
			require.Equal(t, `["AMSP","BMSP","CMSP","DMSP","NMSP"]`, strings.TrimSpace(tx), "the submitted update adds NMSP")
		})
	}
}

// A channel made before the read rules of network/config gets them (scripts/lib/channel.sh, read_rules_change, which
// `make up` submits through ensure_read_rules): each named region's Readers policy in both sections, nothing else of
// its groups, the ACLs over the channel's own; the second time it changes nothing, and a region it does not name is
// left as it is.
func TestTheReadRulesChangeOnlyWhoReads(t *testing.T) {
	_, err := exec.LookPath("jq")
	require.NoError(t, err, "jq is needed (.ci/run installs it)")
	c := newCheckout(t)
	group := func(readers string) map[string]any {
		return map[string]any{"policies": map[string]any{
			"Readers": map[string]any{"mod_policy": "Admins", "policy": map[string]any{"rule": readers}, "version": "3"},
			"Writers": map[string]any{"mod_policy": "Admins", "policy": map[string]any{"rule": "member"}, "version": "0"},
		}, "values": map[string]any{"MSP": "own"}}
	}
	config := map[string]any{"channel_group": map[string]any{"groups": map[string]any{
		"Application": map[string]any{
			"groups": map[string]any{"AMSP": group("member"), "BMSP": group("member"), "CMSP": group("member")},
			"values": map[string]any{"ACLs": map[string]any{"mod_policy": "Admins", "version": "1",
				"value": map[string]any{"acls": map[string]any{"event/Block": map[string]any{"policy_ref": "/Channel/Application/Readers"}}}}},
		},
		"Orderer": map[string]any{"groups": map[string]any{"AMSP": group("member"), "BMSP": group("member"), "CMSP": group("member")}},
	}}}
	readers := `{"AMSP": {"rule": "A admin, peer, orderer"}, "BMSP": {"rule": "B admin, peer, orderer"}}`
	acls := `{"gateway/CommitStatus": {"policy_ref": "/Channel/Application/Writers"}}`
	change := func(in map[string]any, acls string) map[string]any {
		t.Helper()
		file := filepath.Join(c.root, "config.json")
		b, err := json.Marshal(in)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(file, b, 0o644))
		out, err := c.bash(`source scripts/lib/channel.sh; jq --argjson readers '` + readers + `' --argjson acls '` + acls +
			`' "$(read_rules_change)" ` + file)
		require.NoError(t, err, out)
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &got), out)
		return got
	}
	at := func(v any, path ...string) any {
		for _, k := range path {
			v = v.(map[string]any)[k]
		}
		return v
	}

	after := change(config, acls)
	for _, section := range []string{"Application", "Orderer"} {
		groups := at(after, "channel_group", "groups", section, "groups")
		for msp, rule := range map[string]string{"AMSP": "A admin, peer, orderer", "BMSP": "B admin, peer, orderer", "CMSP": "member"} {
			assert.Equal(t, map[string]any{"rule": rule}, at(groups, msp, "policies", "Readers", "policy"), "%s %s", section, msp)
			assert.Equal(t, "3", at(groups, msp, "policies", "Readers", "version"), "the policy only is made again")
			assert.Equal(t, group("member")["values"], at(groups, msp, "values"), "the rest of the region's group stays")
			assert.Equal(t, map[string]any{"rule": "member"}, at(groups, msp, "policies", "Writers", "policy"))
		}
	}
	assert.Equal(t, map[string]any{
		"event/Block":          map[string]any{"policy_ref": "/Channel/Application/Readers"},
		"gateway/CommitStatus": map[string]any{"policy_ref": "/Channel/Application/Writers"},
	}, at(after, "channel_group", "groups", "Application", "values", "ACLs", "value", "acls"), "the channel's own ACLs stay")
	assert.Equal(t, after, change(after, acls), "a second change changes nothing")

	delete(at(config, "channel_group", "groups", "Application").(map[string]any), "values")
	fresh := change(config, acls)
	assert.Equal(t, map[string]any{"mod_policy": "Admins", "version": "0", "value": map[string]any{"acls": map[string]any{
		"gateway/CommitStatus": map[string]any{"policy_ref": "/Channel/Application/Writers"}}}},
		at(fresh, "channel_group", "groups", "Application", "values", "ACLs"), "a channel without ACLs gets them")
	_, has := at(change(config, `{}`), "channel_group", "groups", "Application").(map[string]any)["values"]
	assert.False(t, has, "no ACLs to set: none are made")
}
