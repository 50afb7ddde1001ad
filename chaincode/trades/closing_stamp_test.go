package trades_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
)

// A rival stamping its order as far ahead of the peers' clocks as they
// accept (model.MaxClockLead) does not hold the closing of the sold
// listing's losers off: the seller's CloseOthers, stamped honestly right
// after the sale, closes it and every other loser of the page, dating the
// rival's closing at its order so that its timeline stays in time order.
func TestAnOrderStampedAheadDoesNotHoldTheClosingOff(t *testing.T) {
	const sale = "THE-SALE"
	m := newMarket(t)
	ahead := m.Net.Now().Add(model.MaxClockLead - time.Second).Truncate(time.Second)
	m.Net.Invoke(m.As(buyer2), chaincodetest.Call{Function: "trades:Order", Args: []string{"RIVAL-AHEAD", holdingListing}, Timestamp: ahead}).MustOK(t)
	m.do(t, buyer2, "Order", "RIVAL-HONEST", holdingListing)
	m.sold(t, sale)
	require.True(t, m.Net.Now().Before(ahead), "the sale is closed before the clocks reach the rival's stamp")

	pages, _ := m.closePages(t, seller, sale)
	require.Len(t, pages, 1)
	assert.ElementsMatch(t, []string{"RIVAL-AHEAD", "RIVAL-HONEST"}, pages[0].TradeIDs)

	rival := m.trade(t, "RIVAL-AHEAD")
	assert.Equal(t, model.TradeCancelled, rival.Status)
	assert.Equal(t, model.FormatTime(ahead), rival.UpdatedAt, "dated at the order, not before it")
	for i := 1; i < len(rival.Timeline); i++ {
		assert.LessOrEqual(t, rival.Timeline[i-1].At, rival.Timeline[i].At, "timeline in time order")
	}
	honest := m.trade(t, "RIVAL-HONEST")
	assert.Equal(t, model.TradeCancelled, honest.Status)
	assert.Less(t, honest.UpdatedAt, model.FormatTime(ahead), "the others are dated at the transaction's stamp")
}
