//go:build e2e

package addregion_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/network/chaos"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

func TestMain(m *testing.M) {
	os.Exit(fabricnet.RunTests(m, nil))
}

// region is the region that joins: a Suzhou exchange.
const region, msp = "suzhou", "SuzhouMSP"

// TestARegionJoinsUnderLoad: while clients of every region register assets through their region's gateway (the
// fault test's set workload, network/chaos, with its checks: every acknowledged element committed exactly once,
// seen through every region's index and event stream, service resumed after the change), scripts/add-region.sh
// adds a fifth region. Afterwards the channel's configuration has the region's MSP in its Application and Orderer
// sections and its ordering node as the fifth SmartBFT consenter; that node takes part in the channel as a consenter
// and the region's peer has every block; the chaincode definition, committed again, has the region's approval,
// names its peer in the endorsement policy and has a private data collection for each of its pairs; the
// chaincode answers through its peer; and the market rules, changed by a majority of the founding regions, name the
// region, whose members then trade with each other region in both directions (tradeWithEveryRegion), also through
// the region's own REST gateway, while the founding gateways, never restarted, trust its CA (throughItsGateway).
func TestARegionJoinsUnderLoad(t *testing.T) {
	cfg, err := fabricnet.LoadConfig("")
	require.NoError(t, err)
	for _, o := range cfg.Orgs {
		require.NotEqual(t, region, o.Key, "%s is a region of this network already: make clean, then make test-add-region", region)
	}
	t.Setenv("PROVINCE", "Jiangsu")
	t.Setenv("CITY", "Suzhou")
	opts := chaos.DefaultOptions()
	opts.Duration, opts.WorkersPerRegion, opts.Hold, opts.OpTimeout = 30*time.Second, 2, 0, 3*time.Minute
	opts.Schedule = chaos.Schedule{{Kind: chaos.AddRegion, Region: region}}
	opts.Log = testWriter{t}
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	founders := gatewayRuns(t, cfg)
	rep, err := chaos.Run(ctx, cfg, opts)
	require.NoError(t, err)
	t.Log("\n" + rep.Summary())
	require.Len(t, rep.Faults, 1)
	require.Empty(t, rep.Faults[0].Error, "scripts/add-region.sh %s", region)
	require.Empty(t, rep.Problems)
	require.True(t, rep.Valid)
	require.Zero(t, rep.Lost)
	require.Zero(t, rep.Duplicated)
	require.Greater(t, rep.Acknowledged, 20, "the clients must have made progress while the region joined")
	t.Logf("%s joined in %.0f s under load", region, rep.Faults[0].HealedAt.Sub(rep.Faults[0].InjectedAt).Seconds())

	cfg, err = fabricnet.LoadConfig("")
	require.NoError(t, err)
	added, err := cfg.Org(region)
	require.NoError(t, err)
	require.True(t, added.Added)
	require.Equal(t, msp, added.MSPID)
	require.Len(t, cfg.Orgs, 5)

	// The channel's configuration, as the first region's admin fetches it.
	var config struct {
		ChannelGroup struct {
			Groups struct {
				Application struct {
					Groups map[string]json.RawMessage `json:"groups"`
				} `json:"Application"`
				Orderer struct {
					Groups map[string]json.RawMessage `json:"groups"`
					Values struct {
						Orderers struct {
							Value struct {
								ConsenterMapping []struct {
									ID    uint32 `json:"id"`
									MSPID string `json:"msp_id"`
									Host  string `json:"host"`
								} `json:"consenter_mapping"`
							} `json:"value"`
						} `json:"Orderers"`
					} `json:"values"`
				} `json:"Orderer"`
			} `json:"groups"`
		} `json:"channel_group"`
	}
	block := filepath.Join(t.TempDir(), "config.block")
	require.NoError(t, json.Unmarshal([]byte(network(t, cfg, `fetch_config_block `+cfg.Orgs[0].Key+` `+block+` && config_json `+block)), &config))
	require.Contains(t, config.ChannelGroup.Groups.Application.Groups, msp, "the Application section")
	require.Contains(t, config.ChannelGroup.Groups.Orderer.Groups, msp, "the Orderer section")
	consenters := config.ChannelGroup.Groups.Orderer.Values.Orderers.Value.ConsenterMapping
	require.Len(t, consenters, 5)
	require.Equal(t, msp, consenters[4].MSPID)
	require.EqualValues(t, 5, consenters[4].ID)

	// The region's ordering node: a consenter of the channel, active.
	list := network(t, cfg, `o=`+region+`; admin=$(user_dir $o Admin)/tls; osnadmin channel list --channelID "$CHANNEL_NAME" `+
		`-o "$(endpoint_host $o "$(orderer_host $o)"):$(orgval $o ORDERER_ADMIN_PORT)" --ca-file "$(org_tlsca $o)" `+
		`--client-cert "$admin/client.crt" --client-key "$admin/client.key"`)
	require.Contains(t, list, `"consensusRelation": "consenter"`, "%s", list)
	require.Contains(t, list, `"status": "active"`, "%s", list)

	// The region's peer has every block the first region's has (both move while the network runs: a few tries).
	require.Eventually(t, func() bool {
		h := strings.Fields(network(t, cfg, `echo $(peer_height `+cfg.Orgs[0].Key+`) $(peer_height `+region+`)`))
		return len(h) == 2 && h[0] == h[1]
	}, time.Minute, time.Second, "the heights of the channel on peer-%s and peer-%s", cfg.Orgs[0].Key, region)

	// The chaincode's definition, committed again with the region.
	committed := network(t, cfg, `in_org `+region+` peer lifecycle chaincode querycommitted -C "$CHANNEL_NAME" -n "$CHAINCODE_NAME" -O json`)
	var def struct {
		Sequence            int             `json:"sequence"`
		Approvals           map[string]bool `json:"approvals"`
		ValidationParameter []byte          `json:"validation_parameter"`
	}
	require.NoError(t, json.Unmarshal([]byte(committed), &def), "%s", committed)
	require.True(t, def.Approvals[msp], "approvals: %v", def.Approvals)
	require.Greater(t, def.Sequence, 1)
	require.Contains(t, string(def.ValidationParameter), msp, "the endorsement policy names %s's peer", msp)
	// One collection of terms per pair of regions, terms-<A>-<B> with A < B (scripts/lib/config.sh).
	for _, o := range cfg.Orgs[:4] {
		pair := []string{o.MSPID, msp}
		slices.Sort(pair)
		require.Contains(t, committed, `"terms-`+pair[0]+`-`+pair[1]+`"`, "the collection of %s and %s", o.MSPID, msp)
	}
	network(t, cfg, `chaincode_answers `+region)

	// The region is one of the market's: its members trade with every other region, both ways.
	tradeWithEveryRegion(t, cfg, region)
	// Its own REST gateway serves its members, and the founding gateways, not restarted, trust its CA.
	throughItsGateway(t, cfg, region, founders)
}

// network runs bash in the repository with the network scripts' functions (scripts/lib) and returns its output.
func network(t *testing.T, cfg *fabricnet.Config, script string) string {
	t.Helper()
	cmd := exec.Command("bash", "-c", `set -euo pipefail; source scripts/lib/env.sh; source scripts/lib/config.sh; `+
		`source scripts/lib/deploy.sh; source scripts/lib/channel.sh; `+script)
	cmd.Dir = cfg.Root
	out, err := cmd.Output()
	var stderr string
	if e, ok := err.(*exec.ExitError); ok {
		stderr = string(e.Stderr)
	}
	require.NoError(t, err, "%s\n%s", script, stderr)
	return string(out)
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
