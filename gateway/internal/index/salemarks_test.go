package index_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
)

// A trade's record is under its two parties' orgs alone, one org when both
// parties are its members. Before, the index counted a sale the first time
// it read a trade COMPLETED: Shanghai alone wrote an order between two of
// its enterprises COMPLETED at 9,999,999,999 fen naming Jiangsu's buyer,
// and every region's index counted it in the figures they publish alike.
// From interface 16.0.0 on, the transaction that completes a trade writes
// its completion mark (model.SaleMark), a new key only a majority of the
// orgs writes; from the first mark on, a trade written COMPLETED without
// its mark is left out, and a sale's row is final. The sales counted before
// the first mark (newMarket's, which wrote none) stay counted.
func TestASaleCountsOnlyWithItsCompletionMark(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		m := newMarket()
		x := following(t, open, m.Chain)
		legacy := marketAnswers(ctx, t, x)
		require.Equal(t, int64(2), legacy.stats.Total.Volume, "the sales before the first mark count")

		sealed, mark := m.sellSealed()
		caughtUp(t, x, m.Chain)
		counted := marketAnswers(ctx, t, x)
		assert.Equal(t, int64(3), counted.stats.Total.Volume, "a sale with its mark counts")

		// Shanghai alone: an order between its own enterprises, written COMPLETED naming Jiangsu's buyer.
		forged := m.fixed
		forged.ID, forged.BuyerID, forged.BuyerMSP, forged.Status, forged.RightID, forged.PurgeRequests = "trade-forged", holder, "ShanghaiMSP", model.TradeOrdered, "", nil
		m.Add(chaintest.Tx(chaintest.Record("trade", forged, forged.ID)))
		caughtUp(t, x, m.Chain)
		ordered := marketAnswers(ctx, t, x)
		forged.Status, forged.PriceFen, forged.BuyerID, forged.BuyerMSP = model.TradeCompleted, 9_999_999_999, buyerJS, "JiangsuMSP"
		// Its own mark it cannot write; another sale's in the same transaction vouches for nothing here.
		m.Add(chaintest.Tx(chaintest.Record("trade", forged, forged.ID)),
			chaintest.Tx(chaintest.Record("trade", forged, forged.ID), chaintest.Record(model.SaleMarkKeyType, mark, sealed.ID)))
		// Both parties' orgs rewrite a sale's price and buyer after it.
		rewritten := sealed
		rewritten.PriceFen, rewritten.BuyerID, rewritten.BuyerMSP = 1, buyerZJ, "ZhejiangMSP"
		m.Add(chaintest.Tx(chaintest.Record("trade", rewritten, rewritten.ID)))
		caughtUp(t, x, m.Chain)
		assert.Equal(t, ordered, marketAnswers(ctx, t, x), "no row changed")
		assert.Equal(t, int64(3), marketAnswers(ctx, t, x).stats.Total.Volume)
	})
}

// Before, the line from which a sale needed its completion mark was the
// first mark the index read: from the upgrade to interface 16.0.0 until the
// first honest completion, Shanghai alone (both parties its members) wrote
// a trade COMPLETED at 9,999,999,999 fen, and it counted for good in every
// region's figures. The line is now the first key only a majority writes
// under 16.0.0 (model.MajorityMarkKeyTypes): an application's mark, say.
func TestFromTheFirstMajorityMarkOneOrgAloneForgesNoSale(t *testing.T) {
	for _, keyType := range model.MajorityMarkKeyTypes {
		t.Run(keyType, func(t *testing.T) {
			forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
				ctx := t.Context()
				m := newMarket() // a ledger upgraded to 16.0.0 where no trade has completed since
				m.Add(chaintest.Tx(chaintest.Marker(keyType, "first-since-the-upgrade")))
				x := following(t, open, m.Chain)
				before := marketAnswers(ctx, t, x)
				require.Equal(t, int64(2), before.stats.Total.Volume, "the sales before the line count")
				forged := m.fixed
				forged.ID, forged.BuyerID, forged.BuyerMSP, forged.Status, forged.RightID, forged.PurgeRequests = "trade-forged", holder, "ShanghaiMSP", model.TradeOrdered, "", nil
				m.Add(chaintest.Tx(chaintest.Record("trade", forged, forged.ID)))
				forged.Status, forged.PriceFen, forged.CreatedAt = model.TradeCompleted, 9_999_999_999, ts(m.Clock().Add(time.Second))
				m.Add(chaintest.Tx(chaintest.Record("trade", forged, forged.ID)))
				// Later an honest sale writes the first completion mark.
				sealed := m.fixed
				sealed.ID, sealed.Status, sealed.RightID, sealed.PurgeRequests = "trade-sealed", model.TradeCompleted, "R-sealed", nil
				m.Add(chaintest.Tx(chaintest.Record("trade", sealed, sealed.ID), chaintest.Record(model.SaleMarkKeyType, model.SaleMark{TradeID: sealed.ID, Digest: sealed.SaleDigest()}, sealed.ID)))
				caughtUp(t, x, m.Chain)
				after := marketAnswers(ctx, t, x).stats.Total
				assert.Equal(t, before.stats.Total.Volume+1, after.Volume, "the honest sale counts, the forged one does not")
			})
		})
	}
}

// After registration an asset's key is under its holder's org alone. Before,
// a listing's and a sale's facts counted in the division the asset's record
// last said: Shanghai alone rewrote its asset to Jiangsu's division
// (320000), and an honest sale, sealed by a majority, counted in Jiangsu's
// figures in every region's attested digest. A fact about an asset now
// counts in the division of its registration, written once at
// certification.
func TestTheHoldersOrgAloneMovesNoSaleToAnotherDivision(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		m := newMarket()
		moved := m.asset
		moved.Division = "320000"
		m.Add(chaintest.Tx(chaintest.Record("asset", moved, moved.ID)))
		m.sellSealed()
		x := following(t, open, m.Chain)
		h, err := m.Height(t.Context())
		require.NoError(t, err)
		out, _, err := x.ComputePeriod(t.Context(), "month:2026-03", h-1)
		require.NoError(t, err)
		trades := map[string]int64{}
		for _, d := range out.Figures.Divisions {
			trades[d.Division] += d.Trades
		}
		assert.Zero(t, trades["320000"], "no sale counts in Jiangsu's division")
		assert.Positive(t, trades["310000"])
		assert.Equal(t, trades[model.DeltaDivision], trades["310000"], "every sale of the delta counts in Shanghai's division")
	})
}

// sellSealed orders m's fixed-price trade as "trade-sealed" and completes it
// with its completion mark, as a majority of the orgs does.
func (m *marketChain) sellSealed() (model.Trade, model.SaleMark) {
	sealed := m.fixed
	sealed.ID, sealed.Status, sealed.RightID, sealed.PurgeRequests = "trade-sealed", model.TradeOrdered, "", nil
	m.Add(chaintest.Tx(chaintest.Record("trade", sealed, sealed.ID)))
	sealed.Status, sealed.RightID = model.TradeCompleted, "R-sealed"
	mark := model.SaleMark{TradeID: sealed.ID, Digest: sealed.SaleDigest()}
	m.Add(chaintest.Tx(chaintest.Record("trade", sealed, sealed.ID), chaintest.Record(model.SaleMarkKeyType, mark, sealed.ID)))
	return sealed, mark
}
