package index_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
)

// salesChain adds to the test market, in Shanghai unless it says otherwise,
// sales of a holding and the trades other buyers had opened on what they
// sold, as trades:Confirm and trades:CloseOthers leave them:
//
//   - sale-listing: its own listing still has an ORDERED trade;
//   - sale-delisted: a licence listing of the seller's that it took off the
//     market (DELISTED in its transaction) still has a NEGOTIATING trade;
//   - sale-ended: every other trade on its listing has ended;
//   - sale-earlier: a licence listing of the seller's, DELISTED before the
//     sale, has an ACCEPTED trade that the sale did not take off the market;
//   - sale-use: a licence (USE) sale whose listing has an ORDERED trade,
//     which stays open;
//   - sale-jiangsu: a holding sale in Jiangsu with an ORDERED trade.
func salesChain() *chaintest.Chain {
	c := newMarket()
	listing := func(id, asset, seller, region, rightType string) model.Listing {
		return model.Listing{ID: id, AssetID: asset, RightType: rightType, Pricing: model.PricingFixed, PriceFen: 1000,
			Category: "transport", SourceRegion: region, SellerID: seller, SellerMSP: "ShanghaiMSP", Region: region,
			Status: model.ListingActive, CreatedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
	}
	trade := func(id string, l model.Listing, buyer, status string) model.Trade {
		return model.Trade{ID: id, ListingID: l.ID, AssetID: l.AssetID, RightType: l.RightType, Category: l.Category,
			Region: l.Region, SourceRegion: l.SourceRegion, Pricing: l.Pricing, PriceFen: l.PriceFen, BuyerID: buyer,
			BuyerMSP: "JiangsuMSP", SellerID: l.SellerID, SellerMSP: l.SellerMSP, Status: status,
			CreatedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
	}
	put := func(records ...any) chain.Transaction {
		var writes []chain.Write
		for _, r := range records {
			switch r := r.(type) {
			case model.Listing:
				writes = append(writes, chaintest.Record("listing", r, r.ID))
			case model.Trade:
				writes = append(writes, chaintest.Record("trade", r, r.ID))
			}
		}
		return chaintest.Tx(writes...)
	}
	// sell completes sale in the next block, the listings it takes off the
	// market DELISTED in the same transaction, at the same second.
	sell := func(sale model.Trade, delisted ...model.Listing) {
		at := ts(c.Clock().Add(time.Second))
		sale.Status, sale.UpdatedAt = model.TradeCompleted, at
		records := []any{sale}
		for _, l := range delisted {
			l.Status, l.UpdatedAt = model.ListingDelisted, at
			records = append(records, l)
		}
		c.Add(put(records...))
	}

	hold := listing("hold-1", "asset-1", holder, "shanghai", model.RightHolding)
	c.Add(put(hold, trade("sale-listing", hold, buyerJS, model.TradeAccepted), trade("waits-on-listing", hold, buyerZJ, model.TradeOrdered)))
	sell(trade("sale-listing", hold, buyerJS, model.TradeAccepted))

	hold2, licence2 := listing("hold-2", "asset-2", holder, "shanghai", model.RightHolding), listing("use-2", "asset-2", holder, "shanghai", model.RightUse)
	sale2 := trade("sale-delisted", hold2, buyerJS, model.TradeAccepted)
	c.Add(put(hold2, licence2, sale2, trade("waits-on-delisted", licence2, buyerZJ, model.TradeNegotiating)))
	sell(sale2, licence2)

	hold3 := listing("hold-3", "asset-3", holder, "shanghai", model.RightHolding)
	sale3 := trade("sale-ended", hold3, buyerJS, model.TradeAccepted)
	c.Add(put(hold3, sale3, trade("cancelled", hold3, buyerZJ, model.TradeCancelled), trade("expired", hold3, buyerZJ, model.TradeExpired),
		trade("rejected", hold3, buyerZJ, model.TradeRejected)))
	sell(sale3)

	hold4, licence4 := listing("hold-4", "asset-4", holder, "shanghai", model.RightHolding), listing("use-4", "asset-4", holder, "shanghai", model.RightUse)
	sale4 := trade("sale-earlier", hold4, buyerJS, model.TradeAccepted)
	c.Add(put(hold4, licence4, sale4, trade("waits-on-withdrawn", licence4, buyerZJ, model.TradeAccepted)))
	licence4.Status, licence4.UpdatedAt = model.ListingDelisted, ts(c.Clock().Add(time.Second))
	c.Add(put(licence4))
	sell(sale4)

	use5 := listing("use-5", "asset-5", holder, "shanghai", model.RightUse)
	sale5 := trade("sale-use", use5, buyerJS, model.TradeAccepted)
	c.Add(put(use5, sale5, trade("waits-on-licence", use5, buyerZJ, model.TradeOrdered)))
	sell(sale5)

	hold6 := listing("hold-6", "asset-6", "jiangsu.seller", "jiangsu", model.RightHolding)
	sale6 := trade("sale-jiangsu", hold6, buyerZJ, model.TradeAccepted)
	c.Add(put(hold6, sale6, trade("waits-in-jiangsu", hold6, buyerJS, model.TradeOrdered)))
	sell(sale6)
	return c.Chain
}

// The closer is given exactly the sales of a holding in its region that
// still have other trades waiting on the sold listing or on a listing the
// sale took off the market: not those of another region, not a licence
// sale, not a sale whose other trades have all ended, not a sale whose
// seller's listing was withdrawn before it; and a sale no more once its
// waiting trades are closed. On both databases.
func TestSalesWithWaitingTrades(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		c := salesChain()
		x := following(t, open, c)
		sales, err := x.SalesWithWaitingTrades(t.Context(), "shanghai")
		require.NoError(t, err)
		assert.Equal(t, []string{"sale-listing", "sale-delisted"}, sales, "oldest sale first")
		sales, err = x.SalesWithWaitingTrades(t.Context(), "jiangsu")
		require.NoError(t, err)
		assert.Equal(t, []string{"sale-jiangsu"}, sales)
		sales, err = x.SalesWithWaitingTrades(t.Context(), "anhui")
		require.NoError(t, err)
		assert.Empty(t, sales)

		// trades:CloseOthers cancels the trade waiting on sale-listing's listing.
		closed := model.Trade{ID: "waits-on-listing", ListingID: "hold-1", AssetID: "asset-1", RightType: model.RightHolding,
			Category: "transport", Region: "shanghai", SourceRegion: "shanghai", Pricing: model.PricingFixed, PriceFen: 1000,
			BuyerID: buyerZJ, BuyerMSP: "JiangsuMSP", SellerID: holder, SellerMSP: "ShanghaiMSP", Status: model.TradeCancelled,
			CreatedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
		c.Add(chaintest.Tx(chaintest.Record("trade", closed, closed.ID)))
		caughtUp(t, x, c)
		sales, err = x.SalesWithWaitingTrades(t.Context(), "shanghai")
		require.NoError(t, err)
		assert.Equal(t, []string{"sale-delisted"}, sales)
	})
}
