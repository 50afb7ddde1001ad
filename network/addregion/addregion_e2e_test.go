//go:build e2e

package addregion_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/chaos"
	"github.com/deltaledger/deltaledger/network/demo"
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
	t.Setenv("DIVISION", division)
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
	list := network(t, cfg, `o=`+region+`; admin=$(admin_tls $o); osnadmin channel list --channelID "$CHANNEL_NAME" `+
		`-o "$(endpoint_host $o "$(orderer_host $o)"):$(orgval $o ORDERER_ADMIN_PORT)" --ca-file "$(org_tlsca $o)" `+
		`--client-cert "$admin.crt" --client-key "$admin.key"`)
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
	// Its divisions are those the rules give it, carved out of Jiangsu's.
	placedInItsDivisions(t, cfg, region)
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

// gatewayRuns returns the PID file line of each region's running REST gateway ("<pid> <start> <boot> <exe>",
// scripts/lib/common.sh): the same line later is the same run of the process, not a restart.
func gatewayRuns(t *testing.T, cfg *fabricnet.Config) map[string]string {
	t.Helper()
	runs := map[string]string{}
	for _, o := range cfg.Orgs {
		line, err := os.ReadFile(cfg.PIDFile("gateway-" + o.Key))
		require.NoError(t, err, "the PID file of gateway-%s", o.Key)
		runs[o.Key] = strings.TrimSpace(string(line))
		require.NotEmpty(t, network(t, cfg, `proc_pid gateway-`+o.Key), "gateway-%s runs", o.Key)
	}
	return runs
}

// gatewayClient is an SDK client of org's REST gateway, as one of its demo members (API key) or, with cert, as the
// holder of that TLS client certificate.
func gatewayClient(t *testing.T, keys map[string]string, org, role string, cert *tls.Certificate) *client.Client {
	t.Helper()
	o := strings.ToUpper(org)
	require.NotEmpty(t, keys[o+"_GW"], "demo-keys.env has no %s_GW: the region's gateway was not configured", o)
	opts := []client.Option{client.WithCAFile(keys[o+"_CA"]), client.WithUserAgent("deltaledger-addregion-e2e")}
	if cert != nil {
		opts = append(opts, client.WithTLSClientCertificate(*cert))
	} else {
		key := keys[o+"_"+strings.ToUpper(role)+"_KEY"]
		require.NotEmpty(t, key, "demo-keys.env has no %s_%s_KEY", o, strings.ToUpper(role))
		opts = append(opts, client.WithAPIKey(key))
	}
	c, err := client.New(keys[o+"_GW"], opts...)
	require.NoError(t, err)
	return c
}

// settled returns a check of a submit's answer: it succeeded and committed, and every peer has its block (so that
// the next step, through another region's gateway, sees it); it returns the record the transaction left.
func settled[T any](t *testing.T, net *fabricnet.Network, what string) func(*client.Submitted[T], error) *T {
	return func(s *client.Submitted[T], err error) *T {
		t.Helper()
		require.NoError(t, err, what)
		require.True(t, s.Committed, "%s: not committed: %+v", what, s)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, net.WaitForBlock(ctx, s.BlockNumber), "every peer commits the block of %s", what)
		require.NotNil(t, s.Result, what)
		return s.Result
	}
}

// throughItsGateway checks what the region's REST gateway and the founding gateways do once it joined: its own
// gateway (started by add-region, shown by make status as running on its port and ready) serves its members, who register a data asset through it and sell a licence to
// a founding region's buyer, who buys through its own gateway; a founding gateway, still the same run of its
// process as before the region joined (before is gatewayRuns then), completes the TLS handshake with the client
// certificate of a member of the region (its CA reloaded on SIGHUP) and answers 403, naming the region's gateway,
// while that certificate identifies the member at the region's own gateway.
func throughItsGateway(t *testing.T, cfg *fabricnet.Config, region string, before map[string]string) {
	founder := cfg.Orgs[0].Key
	after := gatewayRuns(t, cfg)
	for org, run := range before {
		require.Equal(t, run, after[org], "gateway-%s was not restarted when %s joined", org, region)
	}
	// make status shows the region's gateway like the others: running, on its block's port, ready.
	status := exec.Command("scripts/status.sh")
	status.Dir = cfg.Root
	shown, err := status.CombinedOutput()
	require.NoError(t, err, "make status: every process runs\n%s", shown)
	require.Regexp(t, `(?m)^gateway-`+region+` +running +[0-9]+ +`+cfg.Values[strings.ToUpper(region)+"_GATEWAY_PORT"]+` +https://\S+ ready$`,
		string(shown))

	keys, err := cfg.DemoKeys()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	net := fabricnet.New(cfg)
	defer net.Close()
	started := time.Now()

	// A member of the region, by its TLS client certificate.
	added, err := cfg.Org(region)
	require.NoError(t, err)
	dir := filepath.Join(cfg.UserDir(added, "buyer"), "tls")
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key"))
	require.NoError(t, err)
	me, err := gatewayClient(t, keys, region, "", &cert).Participants().Me(ctx)
	require.NoError(t, err, "%s's buyer by its certificate at %s's own gateway", region, region)
	require.Equal(t, demo.ParticipantID(region, "buyer"), me.ID)
	for _, o := range cfg.Orgs {
		if o.Key == region {
			continue
		}
		_, err = gatewayClient(t, keys, o.Key, "", &cert).Participants().Me(ctx)
		var refused *client.Error
		require.True(t, errors.As(err, &refused), "gateway-%s answers %s's certificate (the handshake succeeds): %v", o.Key, region, err)
		require.Equal(t, http.StatusForbidden, refused.Status, "gateway-%s knows %s's CA: another org's member (403), not an unknown certificate (401): %v", o.Key, region, err)
		require.Contains(t, refused.Message, added.MSPID, "the refusal names the member's org, whose gateway to use")
	}

	// Through the region's gateway: a data asset registered, listed, and bought by the founder's buyer.
	holder, operator := gatewayClient(t, keys, region, "holder", nil), gatewayClient(t, keys, region, "operator", nil)
	buyer := gatewayClient(t, keys, founder, "buyer", nil)
	run := fmt.Sprintf("%d", time.Now().Unix())
	assetID, listingID, tradeID := "gw-"+run+"-"+region, "gw-L-"+run+"-"+region, "gw-T-"+run+"-"+region
	applied := settled[model.Asset](t, net, "the application")(holder.Assets().Apply(ctx, client.ApplyRequest{ID: assetID,
		Name: "Suzhou industrial park loads " + run, Category: "energy-" + run, SourceRegion: region,
		Description: "Hourly loads of the park's substations", ContentHash: client.SHA256([]byte(assetID))}))
	require.Equal(t, demo.ParticipantID(region, "holder"), applied.HolderID)
	settled[model.Asset](t, net, "the review")(operator.Assets().Review(ctx, assetID, client.ReviewRequest{Decision: model.DecisionApprove}))
	certification, err := holder.Assets().CertifyAfterNotice(ctx, assetID)
	certified := settled[model.Asset](t, net, "the certification")(certification, err)
	require.Equal(t, model.AssetRegistered, certified.Status)
	countedInItsDivisions(t, holder, certified, certification.BlockNumber)

	scope := client.Scope{Purpose: "load forecasting", Regions: []string{region, founder}, ValidUntil: time.Now().AddDate(1, 0, 0)}
	settled[model.Listing](t, net, "the listing")(holder.Listings().Create(ctx, client.CreateListingRequest{ID: listingID,
		AssetID: assetID, RightType: model.RightUse, Scope: &scope, Pricing: model.PricingFixed, PriceFen: 120000,
		TermsHash: client.SHA256([]byte("terms " + listingID))}))
	tradeStep := func(what string) func(*client.Submitted[model.Trade], error) *model.Trade {
		return settled[model.Trade](t, net, what)
	}
	tradeStep("the order")(buyer.Trades().Order(ctx, client.OrderRequest{TradeID: tradeID, ListingID: listingID}))
	tradeStep("the acceptance")(holder.Trades().Accept(ctx, tradeID))
	tradeStep("the payment")(buyer.Trades().Pay(ctx, tradeID, client.PaymentRequest{SettlementRef: "BANK-" + tradeID, AmountFen: 120000}))
	tradeStep("the delivery")(holder.Trades().Deliver(ctx, tradeID, client.SHA256([]byte("delivery "+tradeID))))
	confirmed := tradeStep("the confirmation")(buyer.Trades().Confirm(ctx, tradeID))
	require.Equal(t, model.TradeCompleted, confirmed.Status)
	require.Equal(t, region, confirmed.Region, "the trade is supervised by the seller's exchange")

	// The trade as the region's own gateway reads it.
	trade, err := holder.Trades().Get(ctx, tradeID)
	require.NoError(t, err)
	require.Equal(t, model.TradeCompleted, trade.Status)
	t.Logf("through %s's gateway: an asset registered and a licence sold to %s's buyer in %.0f s; gateway PIDs unchanged: %v",
		region, founder, time.Since(started).Seconds(), before)
}
