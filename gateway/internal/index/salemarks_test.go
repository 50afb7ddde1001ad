package index_test

import (
	"testing"

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

		sealed := m.fixed
		sealed.ID, sealed.Status, sealed.RightID, sealed.PurgeRequests = "trade-sealed", model.TradeOrdered, "", nil
		m.Add(chaintest.Tx(chaintest.Record("trade", sealed, sealed.ID)))
		sealed.Status, sealed.RightID = model.TradeCompleted, "R-sealed"
		mark := model.SaleMark{TradeID: sealed.ID, Digest: sealed.SaleDigest()}
		m.Add(chaintest.Tx(chaintest.Record("trade", sealed, sealed.ID), chaintest.Record(model.SaleMarkKeyType, mark, sealed.ID)))
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
