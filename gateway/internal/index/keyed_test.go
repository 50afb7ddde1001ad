package index_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// A key already written is under its record's key-level policy, often of
// one org: a listing's seller's, a participant's, a trade's parties' (one
// org when both parties are its members). That org, running chaincode of
// its own, can write under its own key a record naming another: the chaincode
// takes it for no record (state.Find), and so does the index. Before, the
// index upserted the row the record named: Shanghai, under its own listing
// listing-op, delisted the catalogue's listing-use; under its own
// participant shanghai.operator, moved jiangsu.buyer to Anhui; and the
// two orgs of trade-fixed, under its key, made zhejiang.buyer the buyer of
// a completed sale that never was, in its history and in the figures every
// region computes alike from its own index and attests.
func TestARecordUnderAnotherKeyChangesNoRow(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		m := newMarket()
		x := following(t, open, m.Chain)
		before := marketAnswers(ctx, t, x)

		use := model.Listing{ID: "listing-use", AssetID: asset, RightType: model.RightUse, Pricing: model.PricingFixed,
			PriceFen: 150000, Category: "transport", SourceRegion: "shanghai", SellerID: holder, SellerMSP: "ShanghaiMSP",
			Region: "shanghai", Status: model.ListingDelisted, CreatedAt: ts(m.Clock()), UpdatedAt: ts(m.Clock())}
		moved := participant(buyerJS, "JiangsuMSP", "anhui", "buyer", "91320000MA1FL1700R", m.Clock())
		sale := m.fixed
		sale.ID, sale.BuyerID, sale.BuyerMSP, sale.PriceFen, sale.CreatedAt = "trade-never", buyerZJ, "ZhejiangMSP", 1, ts(m.Clock())
		m.Add(chaintest.Tx(chaintest.Record("listing", use, "listing-op")),
			chaintest.Tx(chaintest.Record("participant", moved, operator)),
			chaintest.Tx(chaintest.Record("trade", sale, m.fixed.ID)))
		caughtUp(t, x, m.Chain)

		after := marketAnswers(ctx, t, x)
		assert.Equal(t, before, after, "no row changed")
		require.Len(t, after.catalogue, 1)
		assert.Len(t, after.catalogue[0].Listings, 2, "listing-use is still on offer")
	})
}

// answers are what the index answers of the market of newMarket, its
// heights left out.
type answers struct {
	catalogue []ledgerindex.CatalogueAsset
	histories [][]ledgerindex.TradeHistoryItem
	flows     []ledgerindex.TradeFlow
	stats     ledgerindex.MarketStatistics
}

func marketAnswers(ctx context.Context, t *testing.T, x *index.Index) answers {
	t.Helper()
	var a answers
	cat, err := x.Catalogue(ctx, index.CatalogueQuery{})
	require.NoError(t, err)
	a.catalogue = cat.Items
	for _, p := range []string{buyerJS, buyerZJ, holder} {
		h, err := x.TradeHistory(ctx, p, nil, 100, "")
		require.NoError(t, err)
		a.histories = append(a.histories, h.Items)
	}
	flows, err := x.TradeFlows(ctx, index.Window{})
	require.NoError(t, err)
	a.flows = flows.Flows
	stats, err := x.Statistics(ctx, ledgerindex.GroupByRegionCategory, index.Window{})
	require.NoError(t, err)
	stats.IndexHeight = ledgerindex.IndexHeight{}
	a.stats = *stats
	return a
}
