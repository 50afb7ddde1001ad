//go:build e2e

package addregion_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// gatewayRuns returns the PID file line of each region's running REST gateway ("<pid> <start> <boot> <exe>",
// scripts/lib/common.sh): the same line later is the same run of the process, not a restart.
func gatewayRuns(t *testing.T, cfg *fabricnet.Config) map[string]string {
	t.Helper()
	runs := map[string]string{}
	for _, o := range cfg.Orgs {
		line, err := os.ReadFile(filepath.Join(cfg.StateDir(), "run", "gateway-"+o.Key+".pid"))
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

// throughItsGateway checks what the region's REST gateway and the founding gateways do once it joined: its own
// gateway (started by add-region) serves its members, who register a data asset through it and sell a licence to
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
	done := func(what string, block uint64, committed bool, err error) {
		t.Helper()
		require.NoError(t, err, what)
		require.True(t, committed, what)
		wait, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		require.NoError(t, net.WaitForBlock(wait, block), "every peer commits the block of %s", what)
	}
	applied, err := holder.Assets().Apply(ctx, client.ApplyRequest{ID: assetID, Name: "Suzhou industrial park loads " + run,
		Category: "energy", SourceRegion: region, Description: "Hourly loads of the park's substations",
		ContentHash: client.SHA256([]byte(assetID))})
	require.NoError(t, err)
	done("the application", applied.BlockNumber, applied.Committed, err)
	require.Equal(t, demo.ParticipantID(region, "holder"), applied.Result.HolderID)
	reviewed, err := operator.Assets().Review(ctx, assetID, client.ReviewRequest{Decision: model.DecisionApprove})
	require.NoError(t, err)
	done("the review", reviewed.BlockNumber, reviewed.Committed, err)
	certified, err := holder.Assets().CertifyAfterNotice(ctx, assetID)
	require.NoError(t, err)
	done("the certification", certified.BlockNumber, certified.Committed, err)
	require.Equal(t, model.AssetRegistered, certified.Result.Status)

	scope := client.Scope{Purpose: "load forecasting", Regions: []string{region, founder}, ValidUntil: time.Now().AddDate(1, 0, 0)}
	listed, err := holder.Listings().Create(ctx, client.CreateListingRequest{ID: listingID, AssetID: assetID,
		RightType: model.RightUse, Scope: &scope, Pricing: model.PricingFixed, PriceFen: 120000,
		TermsHash: client.SHA256([]byte("terms " + listingID))})
	require.NoError(t, err)
	done("the listing", listed.BlockNumber, listed.Committed, err)
	ordered, err := buyer.Trades().Order(ctx, client.OrderRequest{TradeID: tradeID, ListingID: listingID})
	require.NoError(t, err)
	done("the order", ordered.BlockNumber, ordered.Committed, err)
	accepted, err := holder.Trades().Accept(ctx, tradeID)
	require.NoError(t, err)
	done("the acceptance", accepted.BlockNumber, accepted.Committed, err)
	paid, err := buyer.Trades().Pay(ctx, tradeID, client.PaymentRequest{SettlementRef: "BANK-" + tradeID, AmountFen: 120000})
	require.NoError(t, err)
	done("the payment", paid.BlockNumber, paid.Committed, err)
	delivered, err := holder.Trades().Deliver(ctx, tradeID, client.SHA256([]byte("delivery "+tradeID)))
	require.NoError(t, err)
	done("the delivery", delivered.BlockNumber, delivered.Committed, err)
	confirmed, err := buyer.Trades().Confirm(ctx, tradeID)
	require.NoError(t, err)
	done("the confirmation", confirmed.BlockNumber, confirmed.Committed, err)
	require.Equal(t, model.TradeCompleted, confirmed.Result.Status)
	require.Equal(t, region, confirmed.Result.Region, "the trade is supervised by the seller's exchange")

	// The trade as the region's own gateway reads it.
	trade, err := holder.Trades().Get(ctx, tradeID)
	require.NoError(t, err)
	require.Equal(t, model.TradeCompleted, trade.Status)
	t.Logf("through %s's gateway: an asset registered and a licence sold to %s's buyer in %.0f s; gateway PIDs unchanged: %v",
		region, founder, time.Since(started).Seconds(), before)
}
