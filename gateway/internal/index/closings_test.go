package index_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
)

// From interface 18.0.0 a sale of a holding, or a holding's move, closes the
// seller's listings of the asset by their closings (model.ListingClosing)
// and writes no listing: the index reads them closed as the chaincode does,
// out of the catalogue and its lowest price, a licence the sale withdrew
// found by the closer as before (SalesWithWaitingTrades), and closed still
// after the seller's org, whose listing's record written before 18.0.0 is
// its alone, writes the record ACTIVE again. On both databases.
func TestAListingReadsAsItsClosingSays(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		c := newMarket()
		fixed := model.Listing{ID: "listing-use", AssetID: asset, RightType: model.RightUse, Pricing: model.PricingFixed,
			PriceFen: 150000, Category: "transport", SourceRegion: "shanghai", SellerID: holder, SellerMSP: "ShanghaiMSP",
			Region: "shanghai", Status: model.ListingActive, CreatedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}

		// The holding of asset sold, closing its HOLDING listing and the licence listing-use, on which a trade waits.
		hold := fixed
		hold.ID, hold.RightType, hold.PriceFen = "listing-hold", model.RightHolding, 5000000
		waiting := model.Trade{ID: "waits", ListingID: fixed.ID, AssetID: asset, RightType: model.RightUse, Category: "transport",
			Region: "shanghai", SourceRegion: "shanghai", Pricing: model.PricingFixed, PriceFen: fixed.PriceFen, BuyerID: buyerZJ,
			BuyerMSP: "ZhejiangMSP", SellerID: holder, SellerMSP: "ShanghaiMSP", Status: model.TradeOrdered,
			CreatedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
		sale := waiting
		sale.ID, sale.ListingID, sale.RightType, sale.PriceFen, sale.BuyerID, sale.BuyerMSP, sale.Status =
			"sale", hold.ID, model.RightHolding, hold.PriceFen, buyerJS, "JiangsuMSP", model.TradeAccepted
		c.Add(chaintest.Tx(chaintest.Record("listing", hold, hold.ID), chaintest.Record("trade", waiting, waiting.ID),
			chaintest.Record("trade", sale, sale.ID)))
		at := ts(c.Clock().Add(time.Second))
		sale.Status, sale.UpdatedAt = model.TradeCompleted, at
		c.Add(chaintest.Tx(chaintest.Record("trade", sale, sale.ID),
			chaintest.Record(model.ListingClosedKeyType, model.ListingClosing{ListingID: hold.ID, Status: model.ListingSold, SoldTradeID: sale.ID, At: at}, hold.ID),
			chaintest.Record(model.ListingClosedKeyType, model.ListingClosing{ListingID: fixed.ID, Status: model.ListingDelisted,
				StatusReason: "the seller no longer holds it", At: at}, fixed.ID)))
		// A closing under another listing's key closes nothing.
		c.Add(chaintest.Tx(chaintest.Record(model.ListingClosedKeyType, model.ListingClosing{ListingID: "listing-op", Status: model.ListingSold, At: at}, "listing-x")))

		check := func(x *index.Index) {
			t.Helper()
			cat, err := x.Catalogue(t.Context(), index.CatalogueQuery{})
			require.NoError(t, err)
			require.Len(t, cat.Items, 1)
			var listed []string
			for _, l := range cat.Items[0].Listings {
				listed = append(listed, l.ID)
			}
			assert.Equal(t, []string{"listing-op"}, listed, "only the listing no closing closed")
			require.NotNil(t, cat.Items[0].MinPriceFen)
			assert.Equal(t, int64(990000), *cat.Items[0].MinPriceFen)
			dump, err := x.Dump(t.Context())
			require.NoError(t, err)
			for id, status := range map[string]string{hold.ID: model.ListingSold, fixed.ID: model.ListingDelisted, "listing-op": model.ListingActive} {
				assert.True(t, slices.ContainsFunc(dump["listings"], func(row string) bool {
					return strings.Contains(row, "id="+id+" ") && strings.Contains(row, "status="+status+" ")
				}), "%s reads %s: %v", id, status, dump["listings"])
			}
			sales, err := x.SalesWithWaitingTrades(t.Context(), "shanghai")
			require.NoError(t, err)
			assert.Equal(t, []string{sale.ID}, sales, "the licence the sale closed still has a trade waiting")
		}
		x := following(t, open, c.Chain)
		check(x)

		// The seller's org writes its listings' records back as they were.
		c.Add(chaintest.Tx(chaintest.Record("listing", fixed, fixed.ID), chaintest.Record("listing", hold, hold.ID)))
		caughtUp(t, x, c.Chain)
		check(x)
	})
}
