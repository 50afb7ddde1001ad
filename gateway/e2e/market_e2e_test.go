//go:build e2e

package e2e

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
)

// A fixed-price trade completed through the gateways is counted, within
// moments, in the market statistics of a gateway that keeps the market
// index: its volume, its price in the sum and the average, and the price
// index's first point. The index of a new gateway reads the whole ledger
// from its first block, as the org's regulator.
func TestMarketStatisticsCountACompletedTrade(t *testing.T) {
	dir := t.TempDir()
	started := time.Now()
	sh := startGateway(t, "shanghai", dir, func(c *config.Config) {
		c.Index.Enabled, c.Index.Path, c.Indices.Member = true, filepath.Join(dir, "market-index.db"), "regulator"
	})
	js := startGateway(t, "jiangsu", t.TempDir())

	// A category of its own, so that this run's trade is alone in it.
	category := "e2e-" + run
	assetID, listingID, tradeID := id("mkt-asset"), id("mkt-listing"), id("mkt-trade")
	const price = 88800
	registerAssetIn(t, sh, assetID, category)
	sh.must(201, "holder", "POST", "/v1/listings", map[string]any{
		"id": listingID, "assetId": assetID, "rightType": "USE",
		"scope": map[string]any{
			"purpose": "market statistics e2e", "regions": []string{"shanghai", "jiangsu"},
			"validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "maySublicense": false,
		},
		"pricing": "FIXED", "priceFen": price, "termsHash": hash("terms " + listingID),
	})
	js.must(201, "buyer", "POST", "/v1/trades", map[string]any{"tradeId": tradeID, "listingId": listingID})
	sh.must(200, "holder", "POST", "/v1/trades/"+tradeID+"/accept", nil)
	js.must(200, "buyer", "POST", "/v1/trades/"+tradeID+"/payment", map[string]any{"settlementRef": "BANK-" + tradeID, "amountFen": price})
	sh.must(200, "holder", "POST", "/v1/trades/"+tradeID+"/deliver", map[string]any{"deliveryHash": hash("delivery " + tradeID)})
	done := js.must(200, "buyer", "POST", "/v1/trades/"+tradeID+"/confirm", nil)
	require.Equal(t, "COMPLETED", result(done)["status"])
	completedIn := uint64(done["block_number"].(float64))
	completedAt := time.Now()

	// Indexing is asynchronous: poll, with a deadline. Any member reads the
	// statistics (here the Shanghai buyer, no party to the trade).
	path := "/v1/market/statistics?groupBy=region,category&from=" + time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	deadline := time.Now().Add(2 * time.Minute)
	var group map[string]any
	var stats map[string]any
	for group == nil {
		stats = sh.must(200, "buyer", "GET", path, nil)
		for _, g := range stats["groups"].([]any) {
			if g := g.(map[string]any); g["category"] == category && g["region"] == "shanghai" {
				group = g
			}
		}
		if group == nil {
			require.True(t, time.Now().Before(deadline), "trade %s (block %d) not counted within 2 minutes: %v", tradeID, completedIn, stats)
			time.Sleep(200 * time.Millisecond)
		}
	}
	t.Logf("trade of block %d counted %s after its commit; the new gateway's index read blocks 0..%v in %s",
		completedIn, time.Since(completedAt).Round(time.Millisecond), stats["indexedBlock"], time.Since(started).Round(time.Millisecond))
	assert.EqualValues(t, 1, group["volume"])
	assert.EqualValues(t, 1, group["disclosedVolume"])
	assert.EqualValues(t, 0, group["undisclosedVolume"])
	assert.EqualValues(t, price, group["sumPriceFen"])
	assert.EqualValues(t, price, group["averagePriceFen"])
	assert.GreaterOrEqual(t, stats["indexedBlock"].(float64), float64(completedIn))

	pi := sh.must(200, "regulator", "GET", "/v1/market/price-index?category="+category+"&region=shanghai&interval=week", nil)
	points := pi["points"].([]any)
	require.Len(t, points, 1, "%v", pi)
	p := points[0].(map[string]any)
	assert.EqualValues(t, price, p["averagePriceFen"])
	assert.EqualValues(t, 1000, p["index"])
	assert.Equal(t, p["start"], pi["base"])

	// A gateway without the index says so.
	missing := js.call("buyer", "GET", "/v1/market/statistics", nil)
	assert.Equal(t, 404, missing.Status, "%s", missing.Body)
}
