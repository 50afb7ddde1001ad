//go:build e2e

package e2e

import (
	"fmt"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/gateway/internal/service"
	"github.com/deltaledger/deltaledger/internal/pgtest"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
	"github.com/deltaledger/deltaledger/network/demo"
)

// The ledger index of a new gateway reads the real channel from block 0
// (the demo market included), answers what the chaincode answers, lets a
// client read its own writes with ?minBlock, and a rebuild from block 0
// gives the rows the incremental feed wrote. The same on SQLite and on a
// real PostgreSQL.
func TestLedgerIndexOnTheRealChannel(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			dir := t.TempDir()
			var dsn string
			if store == "postgres" {
				dsn = pgtest.Database(t)
			}
			indexed := func(c *config.Config) {
				c.Index.Enabled, c.Index.Path, c.Index.DSN, c.Indices.Member = true, filepath.Join(dir, "market-index.db"), dsn, "regulator"
			}
			// The index's own gateway, stopped before the rebuild; sh makes
			// the writes (and their clean-up).
			ix := startGateway(t, "shanghai", dir, indexed)
			sh := startGateway(t, "shanghai", t.TempDir())
			js := startGateway(t, "jiangsu", t.TempDir())

			// A registered, listed asset and a FIXED trade to Jiangsu.
			category := "idx-" + store + "-" + run
			assetID, listingID, tradeID := id("idx-asset-"+store), id("idx-listing-"+store), id("idx-trade-"+store)
			registerAssetIn(t, sh, assetID, category)
			listed := sh.must(201, "holder", "POST", "/v1/listings", map[string]any{
				"id": listingID, "assetId": assetID, "rightType": "USE", "pricing": "FIXED", "priceFen": 12345, "termsHash": hash("terms " + listingID),
				"scope": map[string]any{"purpose": "index e2e", "regions": []string{"shanghai", "jiangsu"},
					"validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "maySublicense": false},
			})
			block := uint64(listed["block_number"].(float64))

			// Read your own writes: the listing's block, waited for.
			cat := ix.must(200, "buyer", "GET", fmt.Sprintf("/v1/catalogue?category=%s&minBlock=%d", category, block), nil)
			assert.GreaterOrEqual(t, cat["indexedBlock"].(float64), float64(block))
			items := cat["items"].([]any)
			require.Len(t, items, 1, "%v", cat)
			item := items[0].(map[string]any)
			onChain := sh.must(200, "buyer", "GET", "/v1/assets/"+assetID, nil)
			for _, field := range []string{"id", "name", "category", "description", "status", "holderId", "exchangeRegion"} {
				assert.Equal(t, onChain[field], item[field], field)
			}
			assert.EqualValues(t, 12345, item["minPriceFen"])

			js.must(201, "buyer", "POST", "/v1/trades", map[string]any{"tradeId": tradeID, "listingId": listingID})
			sh.must(200, "holder", "POST", "/v1/trades/"+tradeID+"/accept", nil)
			js.must(200, "buyer", "POST", "/v1/trades/"+tradeID+"/payment", map[string]any{"settlementRef": "BANK-" + tradeID, "amountFen": 12345})
			sh.must(200, "holder", "POST", "/v1/trades/"+tradeID+"/deliver", map[string]any{"deliveryHash": hash("delivery " + tradeID)})
			done := js.must(200, "buyer", "POST", "/v1/trades/"+tradeID+"/confirm", nil)
			completed := uint64(done["block_number"].(float64))
			buyer := js.must(200, "buyer", "GET", "/v1/participants/me", nil)["id"].(string)

			history := ix.must(200, "regulator", "GET", fmt.Sprintf("/v1/participants/%s/trade-history?minBlock=%d", url.PathEscape(buyer), completed), nil)
			first := history["items"].([]any)[0].(map[string]any)
			assert.Equal(t, tradeID, first["tradeId"], "newest first")
			assert.Equal(t, "BUYER", first["side"])
			assert.Equal(t, "COMPLETED", first["status"])
			assert.EqualValues(t, 12345, first["priceFen"])
			// inPortfolio pages through the buyer's portfolio as of minBlock (its rights of status; all of them
			// when status is ""), however many rights earlier runs on this network gave it, and reports whether
			// one of them matches.
			inPortfolio := func(status string, minBlock uint64, match func(item map[string]any) bool) bool {
				query := fmt.Sprintf("minBlock=%d&limit=100", minBlock)
				if status != "" {
					query += "&status=" + status
				}
				for cursor := ""; ; {
					page := ix.must(200, "buyer", "GET", fmt.Sprintf("/v1/participants/%s/portfolio?%s&cursor=%s",
						url.PathEscape(buyer), query, url.QueryEscape(cursor)), nil)
					for _, item := range page["items"].([]any) {
						if match(item.(map[string]any)) {
							return true
						}
					}
					if cursor, _ = page["next_cursor"].(string); cursor == "" {
						return false
					}
				}
			}
			assert.True(t, inPortfolio("", completed, func(item map[string]any) bool { return item["assetId"] == assetID }),
				"the bought right of %s", assetID)

			// A right whose term ends reads EXPIRED in the chaincode and in
			// the index alike, from its validUntil on, with no block between.
			// A grant is an offer: OFFERED, and not among the rights held
			// (the portfolio's default, ACTIVE), until the grantee accepts.
			until := time.Now().UTC().Add(12 * time.Second).Truncate(time.Second)
			offered := sh.must(201, "holder", "POST", "/v1/rights", map[string]any{"assetId": assetID, "granteeId": buyer, "rightType": "USE",
				"scope": map[string]any{"purpose": "index expiry", "regions": []string{"jiangsu"}, "validUntil": until.Format(time.RFC3339)}})
			shortLived := result(offered)["id"].(string)
			offerBlock := uint64(offered["block_number"].(float64))
			assert.Equal(t, "OFFERED", result(offered)["status"])
			isShortLived := func(item map[string]any) bool { return item["rightId"] == shortLived }
			assert.True(t, inPortfolio("OFFERED", offerBlock, isShortLived), "the index reads the offer OFFERED")
			assert.False(t, inPortfolio("", offerBlock, isShortLived), "an offer is not a right held")
			granted := js.must(200, "buyer", "POST", "/v1/rights/"+shortLived+"/accept", map[string]any{})
			assert.Equal(t, "ACTIVE", result(granted)["status"])
			grantBlock := uint64(granted["block_number"].(float64))
			reads := func(status string) bool {
				return inPortfolio(status, grantBlock, isShortLived)
			}
			if time.Until(until) > time.Second {
				assert.True(t, reads("ACTIVE"), "before its validUntil")
			}
			time.Sleep(time.Until(until) + time.Second)
			assert.Equal(t, "EXPIRED", js.must(200, "buyer", "GET", "/v1/rights/"+shortLived, nil)["status"], "the chaincode's reading")
			assert.True(t, reads("EXPIRED"), "the index reads it EXPIRED too")
			assert.False(t, reads("ACTIVE"), "and no longer ACTIVE")

			// A sublicence of a revoked right reads REVOKED, naming that
			// right, in the chaincode and in the index alike, though its own
			// record still says ACTIVE.
			chainScope := map[string]any{"purpose": "index chain", "regions": []string{"jiangsu"},
				"validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "maySublicense": true}
			parent := sh.must(201, "holder", "POST", "/v1/rights", map[string]any{"assetId": assetID, "granteeId": buyer, "rightType": "USE", "scope": chainScope})
			parentID := result(parent)["id"].(string)
			licensee := demo.ParticipantID("zhejiang", "buyer")
			js.must(200, "buyer", "POST", "/v1/rights/"+parentID+"/accept", map[string]any{})
			sub := js.must(201, "buyer", "POST", "/v1/rights/"+parentID+"/sublicenses", map[string]any{"granteeId": licensee, "scope": chainScope})
			subID := result(sub)["id"].(string)
			zj := startGateway(t, "zhejiang", t.TempDir())
			zj.must(200, "buyer", "POST", "/v1/rights/"+subID+"/accept", map[string]any{})
			revoked := sh.must(200, "holder", "POST", "/v1/rights/"+parentID+"/revoke", map[string]any{"reason": "index e2e"})
			revokedIn := uint64(revoked["block_number"].(float64))
			onChain = sh.must(200, "buyer", "GET", "/v1/rights/"+subID, nil)
			assert.Equal(t, "REVOKED", onChain["status"], "the chaincode's reading")
			assert.Equal(t, parentID, onChain["statusFrom"])
			statusOf := func(status string) map[string]any {
				page := ix.must(200, "buyer", "GET", fmt.Sprintf("/v1/participants/%s/portfolio?status=%s&minBlock=%d&limit=100",
					url.PathEscape(licensee), status, revokedIn), nil)
				for _, item := range page["items"].([]any) {
					if item.(map[string]any)["rightId"] == subID {
						return item.(map[string]any)
					}
				}
				return nil
			}
			if item := statusOf("REVOKED"); assert.NotNil(t, item, "the index reads it REVOKED too") {
				assert.Equal(t, parentID, item["statusFrom"])
			}
			assert.Nil(t, statusOf("ACTIVE"), "and not ACTIVE")
			flows := ix.must(200, "buyer", "GET", fmt.Sprintf("/v1/market/flows?minBlock=%d", completed), nil)
			assert.Contains(t, fmt.Sprint(flows["flows"]), "sellerRegion:shanghai")

			// Credit lookup counts (the demo's lookups among them): exact to
			// the regulator; to an operator without any day-cell fewer than
			// minimumCount queriers made, so no pair above the regulator's
			// count of it; refused to a buyer.
			exact := ix.must(200, "regulator", "GET", "/v1/market/credit-lookups", nil)
			assert.Equal(t, true, exact["exact"])
			assert.EqualValues(t, 1, exact["minimumCount"])
			counted, sum := map[string]float64{}, 0.0
			for _, c := range exact["counts"].([]any) {
				pair := c.(map[string]any)
				counted[fmt.Sprint(pair["querierRegion"], ">", pair["subjectRegion"])] = pair["lookups"].(float64)
				sum += pair["lookups"].(float64)
			}
			assert.Positive(t, sum, "the demo's lookups are counted")
			assert.Equal(t, sum, exact["total"])
			withheld := ix.must(200, "operator", "GET", "/v1/market/credit-lookups", nil)
			assert.Equal(t, false, withheld["exact"])
			assert.EqualValues(t, ledgerindex.MinimumCreditLookupCount, withheld["minimumCount"])
			shown := 0.0
			for _, c := range withheld["counts"].([]any) {
				pair := c.(map[string]any)
				n := pair["lookups"].(float64)
				assert.GreaterOrEqual(t, n, float64(ledgerindex.MinimumCreditLookupCount), "%v", pair)
				assert.LessOrEqual(t, n, counted[fmt.Sprint(pair["querierRegion"], ">", pair["subjectRegion"])], "%v", pair)
				shown += n
			}
			assert.Equal(t, shown, withheld["total"])
			ix.must(403, "buyer", "GET", "/v1/market/credit-lookups", nil)

			// The demo market, read from block 0.
			demo := ix.must(200, "buyer", "GET", "/v1/catalogue?q=demo-yangshan-port-moves", nil)
			assert.Len(t, demo["items"], 1, "the demo's first asset, from the first blocks")

			// Rebuild from block 0 up to where the feed stopped: the same rows.
			require.NoError(t, ix.stop())
			cfg := config.Default()
			cfg.Channel, cfg.Chaincode = testNet.Config().Channel, testNet.Config().Chaincode
			indexed(&cfg)
			x, err := service.OpenIndex(cfg)
			require.NoError(t, err)
			defer x.Close()
			incremental, err := x.Dump(t.Context())
			require.NoError(t, err)
			height, err := x.Checkpoint(t.Context())
			require.NoError(t, err)
			fresh, err := index.Open(index.Store{Path: filepath.Join(t.TempDir(), "rebuilt.db")}, index.WithLedgerName(cfg.Channel, cfg.Chaincode))
			require.NoError(t, err)
			defer fresh.Close()
			l, err := service.DialPeer(ix.cfg)
			require.NoError(t, err)
			defer l.Close()
			blocks, rows, took, err := fresh.RebuildUpTo(t.Context(), l, height)
			require.NoError(t, err)
			t.Logf("%s index caught up from block 0 in the gateway; a SQLite rebuild of %d blocks (%d rows) took %s (%.0f blocks/s)",
				store, blocks, rows, took.Round(time.Millisecond), float64(blocks)/took.Seconds())
			rebuilt, err := fresh.Dump(t.Context())
			require.NoError(t, err)
			assert.Equal(t, incremental, rebuilt, "rebuild equals incremental (and SQLite equals %s)", store)
		})
	}
}
