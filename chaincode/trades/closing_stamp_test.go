package trades_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
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
	m.do(t, m.rivals(t, markettest.Anhui, "ah-rival", 1)[0], "Order", "RIVAL-HONEST", holdingListing) // another enterprise's
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

// A seller may change its listings stamped as far ahead of the peers' clocks
// as they accept (model.MaxClockLead) while its sale of the holding waits for
// the buyer: the buyer's confirmation, stamped honestly right after, marked
// the sold listing SOLD, and withdrew the seller's licence listing of the
// asset, dated at the confirmation's stamp, before the change each follows.
// Each is dated at its listing's last change instead, so that the listing's
// changes stay in time order; the sale itself is not refused.
func TestASaleIsNotDatedBeforeAListingChangeStampedAhead(t *testing.T) {
	m := newMarket(t)
	m.Submit(seller, "listings:Create", "L-use1", "asset-1", "USE", useScope, "FIXED", "50000", markettest.Hash("terms")).MustOK(t)
	m.delivered(t, "T1", buyer, holdingListing)
	ahead := m.Net.Now().Add(model.MaxClockLead - 2*time.Second).Truncate(time.Second)
	for _, change := range [][]string{{holdingListing, "1100000", "dearer"}, {"L-use1", "60000", "dearer"}} {
		m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "listings:UpdatePrice", Args: change, Timestamp: ahead}).MustOK(t)
	}

	completed := m.do(t, buyer, "Confirm", "T1")
	require.Equal(t, model.TradeCompleted, completed.Status)
	require.Less(t, completed.UpdatedAt, model.FormatTime(ahead), "the confirmation is stamped before the changes")
	assert.Equal(t, []string{"L-use1"}, completed.DelistedListingIDs)
	for id, status := range map[string]string{holdingListing: model.ListingSold, "L-use1": model.ListingDelisted} {
		var l model.Listing
		m.Evaluate(buyer, "listings:Get", id).Unmarshal(t, &l)
		assert.Equal(t, status, l.Status, id)
		assert.Equal(t, model.FormatTime(ahead), l.UpdatedAt, "%s: dated at its last change, not before it", id)
	}
}
