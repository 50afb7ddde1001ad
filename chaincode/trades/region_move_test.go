package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The operators of a trade's buyer's region are those of the region the
// market rules in force bind the buyer's org to, not of the region the
// buyer's record was registered in: once a majority swaps Jiangsu's and
// Anhui's orgs, the operator now running the jiangsu exchange (Anhui's org)
// may no longer read a Jiangsu buyer's trade, and the one now running the
// anhui exchange (Jiangsu's org, the buyer's own) may.
func TestABuyersRegionIsItsOrgsInTheRulesInForce(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Anhui, "ah-op", "operator", markettest.USCC(103))
	m.do(t, buyer, "Order", "T1", useListing)
	m.Evaluate(foreignOp, "trades:Get", "T1").MustOK(t)
	m.refuse(t, ledgererr.NotFound, "", "ah-op", "Get", "T1")

	m.Move(t, map[string]string{markettest.Jiangsu: "anhui", markettest.Anhui: "jiangsu"})
	m.refuse(t, ledgererr.NotFound, "", "ah-op", "Get", "T1")
	m.Evaluate(foreignOp, "trades:Get", "T1").MustOK(t)
	m.Evaluate(operator, "trades:Get", "T1").MustOK(t) // the seller's region, where it was listed, is the trade's
}

// ListByParticipant lists a participant's trades to the operators of its
// org's region in the rules in force: after the swap, Anhui's operator (now
// of jiangsu) no longer lists a Jiangsu buyer's trades, and Jiangsu's (now
// of anhui) does.
func TestAParticipantsTradesAreListedToItsRegionNow(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Anhui, "ah-op", "operator", markettest.USCC(103))
	m.do(t, buyer, "Order", "T1", useListing)
	m.Evaluate(foreignOp, "trades:ListByParticipant", buyer, "", "").MustOK(t)
	markettest.RequireRefused(t, m.Evaluate("ah-op", "trades:ListByParticipant", buyer, "", ""), ledgererr.Forbidden, "")

	m.Move(t, map[string]string{markettest.Jiangsu: "anhui", markettest.Anhui: "jiangsu"})
	markettest.RequireRefused(t, m.Evaluate("ah-op", "trades:ListByParticipant", buyer, "", ""), ledgererr.Forbidden, "")
	var page struct {
		Items []struct{ ID string } `json:"items"`
	}
	m.Evaluate(foreignOp, "trades:ListByParticipant", buyer, "", "").Unmarshal(t, &page)
	assert.Len(t, page.Items, 1)
}

// A seller's trades on a listing of the region its org was moved from are
// that region's exchange's to supervise (Trade.Region): the operator of the
// seller's org, now of another region, lists the seller's trades but is
// given none it may not read with trades:Get.
func TestAMovedSellersOldTradesAreNotListedToItsNewRegion(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer2, "Order", "T1", useListing) // shanghai seller, anhui buyer
	m.Move(t, map[string]string{markettest.Shanghai: "zhejiang"})
	m.refuse(t, ledgererr.NotFound, "", operator, "Get", "T1")
	var page struct {
		Items []struct{ ID string } `json:"items"`
	}
	m.Evaluate(operator, "trades:ListByParticipant", seller, "", "").Unmarshal(t, &page)
	assert.Empty(t, page.Items)
}

// The market index lists a trade under its buyer's region as the rules in
// force bind the buyer's org: after the swap, a trade opened before it is
// no longer listed to the operator now of jiangsu (who may not read it),
// and one opened after it is listed under anhui, to the Jiangsu buyer's own
// org's operator, and not under jiangsu.
func TestTheMarketListsABuyersTradesUnderItsRegionNow(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Anhui, "ah-op", "operator", markettest.USCC(103))
	m.do(t, buyer, "Order", "T1", useListing)
	assert.Equal(t, []string{"T1"}, m.listMarket(t, foreignOp, "jiangsu", "", "", "", ""))

	// T1 is still ORDERED, the buyer's enterprise's open trade on useListing: T2 is on a second listing of the licence.
	m.Submit(seller, "listings:Create", "L-use2", "asset-2", "USE", useScope, "FIXED", "50000", markettest.Hash("terms document")).MustOK(t)
	m.Move(t, map[string]string{markettest.Jiangsu: "anhui", markettest.Anhui: "jiangsu"})
	m.do(t, buyer, "Order", "T2", "L-use2")
	assert.Equal(t, []string{}, m.listMarket(t, "ah-op", "jiangsu", "", "", "", ""))
	assert.Equal(t, []string{"T2"}, m.listMarket(t, foreignOp, "anhui", "", "", "", ""))
}

// CloseOthers closes, and names, only the trades its caller may read. A
// sale of a holding withdraws its seller's other listings of the asset,
// which may be of another region than the sold one: here a licence listed
// after a majority swapped Shanghai's and Jiangsu's orgs is jiangsu's, the
// holding listed before is shanghai's. The operator now running the
// shanghai exchange (Jiangsu's org) may close the sale's other trades but
// may not read the Anhui buyer's order on the jiangsu licence: closing it
// would hand it the trade's ID, its buyer (the event) and its record (the
// write set its own proposal returns). The seller, a party of every one,
// closes it.
func TestCloseOthersClosesOnlyTheTradesItsCallerMayRead(t *testing.T) {
	m := newMarket(t)
	m.Move(t, map[string]string{markettest.Shanghai: "jiangsu", markettest.Jiangsu: "shanghai"})
	m.Submit(seller, "listings:Create", "L-use-js", "asset-1", "USE", useScope, "FIXED", "50000", markettest.Hash("t")).MustOK(t)
	m.do(t, buyer2, "Order", "T2", "L-use-js")
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, seller, "Accept", "T1")
	m.doWith(t, buyer, markettest.Payment("1000000"), "RecordPayment", "T1", "BANK-1")
	m.do(t, seller, "Deliver", "T1", markettest.Hash("delivery"))
	assert.Equal(t, []string{"L-use-js"}, m.do(t, buyer, "Confirm", "T1").DelistedListingIDs)
	m.refuse(t, ledgererr.NotFound, "", foreignOp, "Get", "T2")

	var closed model.ClosedTrades
	r := m.Submit(foreignOp, "trades:CloseOthers", "T1", "").MustOK(t)
	r.Unmarshal(t, &closed)
	assert.Empty(t, closed.TradeIDs, "the operator closes no trade it may not read")
	assert.NotContains(t, string(r.Payload), "T2")
	assert.Equal(t, model.TradeOrdered, m.trade(t, "T2").Status)

	m.Submit(seller, "trades:CloseOthers", "T1", "").MustOK(t).Unmarshal(t, &closed)
	assert.Equal(t, []string{"T2"}, closed.TradeIDs)
	assert.Equal(t, model.TradeCancelled, m.trade(t, "T2").Status)
}
