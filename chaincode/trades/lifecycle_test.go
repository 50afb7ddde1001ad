package trades_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestCancel(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	r := m.Submit(buyer, "trades:Cancel", "T1", "found a cheaper source").MustOK(t)
	tr := tradeOf(t, r)
	assert.Equal(t, model.TradeCancelled, tr.Status)
	assert.Equal(t, model.Step{State: model.TradeCancelled, By: buyer, At: tr.UpdatedAt, TxID: r.TxID, Note: "found a cheaper source"}, tr.Timeline[1])
	assert.Empty(t, tr.DeadlineAt)
	assert.Equal(t, model.EventTradeCancelled, r.Event.Name)

	// The buyer cancels an accepted HOLDING trade: the holding is free again.
	m.do(t, buyer, "Order", "T2", holdingListing)
	m.do(t, buyer2, "Order", "T3", holdingListing)
	m.do(t, seller, "Accept", "T2")
	m.do(t, buyer, "Cancel", "T2", "changed my mind before paying")
	assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy)
	m.do(t, seller, "Accept", "T3")

	m.offer(t, buyer, markettest.Terms("1", ""), "Propose", "N1", negListing)
	m.do(t, seller, "Cancel", "N1", "not negotiating below asking")

	m.refuse(t, ledgererr.InvalidArgument, "reason", buyer2, "Cancel", "T3", "")
	m.refuse(t, ledgererr.NotFound, "", buyer, "Cancel", "T3", "not mine")
	m.refuse(t, ledgererr.Forbidden, "", operator, "Cancel", "T3", "exchange says no")
	m.refuse(t, ledgererr.Conflict, "", buyer, "Cancel", "T1", "again")
	m.doWith(t, buyer2, markettest.Payment("1000000"), "RecordPayment", "T3", "BANK-3")
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Cancel", "T3", "after paying, dispute instead")
}

func TestExpire(t *testing.T) {
	m := newMarket(t)
	tr := m.do(t, buyer, "Order", "T1", useListing)
	deadline := chaincodetest.ParseTime(t, tr.DeadlineAt)
	m.refuse(t, ledgererr.Conflict, "", operator, "Expire", "T1") // still running

	m.Net.Advance(deadline.Sub(m.Net.Now()))
	// Lapsed: nothing but Expire moves it any more.
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T1")
	m.refuse(t, ledgererr.Conflict, "", seller, "Reject", "T1", "too late")
	m.refuse(t, ledgererr.Conflict, "", buyer, "Cancel", "T1", "too late")
	m.refuse(t, ledgererr.Forbidden, "", regulator, "Expire", "T1") // the regulator changes nothing
	r := m.Submit(operator, "trades:Expire", "T1").MustOK(t)        // any other participant may record it
	tr = tradeOf(t, r)
	assert.Equal(t, model.TradeExpired, tr.Status)
	assert.Equal(t, operator, tr.Timeline[1].By)
	assert.Equal(t, model.EventTradeExpired, r.Event.Name)
	m.refuse(t, ledgererr.Conflict, "", operator, "Expire", "T1")
	m.refuse(t, ledgererr.NotFound, "", operator, "Expire", "T9")
	m.refuse(t, ledgererr.InvalidArgument, "tradeId", operator, "Expire", "")
}

func TestEveryTransitionRestartsTheDeadline(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.Net.Advance(6 * 24 * time.Hour)
	m.do(t, seller, "Accept", "T1")
	m.Net.Advance(6 * 24 * time.Hour)
	m.refuse(t, ledgererr.Conflict, "", operator, "Expire", "T1")
	assert.Equal(t, "T1", m.GetAsset(t, seller, "asset-1").HoldingLockedBy)

	m.Net.Advance(24 * time.Hour)
	m.do(t, operator, "Expire", "T1")
	assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "an expired acceptance frees the holding")

	// A paid trade waits for delivery as long as it takes.
	m.paid(t, "T2", buyer, holdingListing)
	m.Net.Advance(30 * 24 * time.Hour)
	m.refuse(t, ledgererr.Conflict, "", buyer, "Expire", "T2")
	m.do(t, seller, "Deliver", "T2", markettest.Hash("late but delivered"))
}

func TestNegotiationExpires(t *testing.T) {
	m := newMarket(t)
	m.offer(t, buyer, markettest.Terms("50000", ""), "Propose", "N1", negListing)
	m.Net.Advance(5 * 24 * time.Hour)
	m.offer(t, seller, markettest.Terms("78000", ""), "Counter", "N1")
	m.Net.Advance(5 * 24 * time.Hour)
	m.refuse(t, ledgererr.Conflict, "", seller, "Expire", "N1") // the counter restarted the clock
	m.Net.Advance(2 * 24 * time.Hour)
	m.refuse(t, ledgererr.Conflict, "", buyer, "AcceptOffer", "N1")
	m.do(t, seller, "Expire", "N1")
	// Expired trades may purge their terms too.
	m.do(t, seller, "RequestPurge", "N1")
	m.do(t, buyer, "RequestPurge", "N1")
	assert.Empty(t, m.Net.Ledger().PrivateDataKeys(pair))
}

func TestDisputeResolvedComplete(t *testing.T) {
	m := newMarket(t)
	m.paid(t, "T1", buyer, holdingListing)
	m.refuse(t, ledgererr.InvalidArgument, "reason", buyer, "Dispute", "T1", "")
	m.refuse(t, ledgererr.Forbidden, "", operator, "Dispute", "T1", "exchange concern")
	r := m.Submit(seller, "trades:Dispute", "T1", "buyer claims non-delivery; we delivered by courier").MustOK(t)
	assert.Equal(t, model.TradeDisputed, tradeOf(t, r).Status)
	assert.Equal(t, model.EventTradeDisputed, r.Event.Name)
	m.refuse(t, ledgererr.Conflict, "", buyer, "Dispute", "T1", "me too")
	m.refuse(t, ledgererr.Conflict, "", buyer, "Confirm", "T1")
	m.refuse(t, ledgererr.Conflict, "", seller, "Deliver", "T1", markettest.Hash("x"))

	m.refuse(t, ledgererr.InvalidArgument, "outcome", operator, "Resolve", "T1", "SPLIT", "half each")
	m.refuse(t, ledgererr.InvalidArgument, "reason", operator, "Resolve", "T1", model.OutcomeComplete, "")
	m.refuse(t, ledgererr.Forbidden, "", foreignOp, "Resolve", "T1", model.OutcomeComplete, "not my region")
	m.refuse(t, ledgererr.Forbidden, "", seller, "Resolve", "T1", model.OutcomeComplete, "I win")
	m.refuse(t, ledgererr.Forbidden, "", regulator, "Resolve", "T1", model.OutcomeComplete, "reads only")

	r = m.Submit(operator, "trades:Resolve", "T1", model.OutcomeComplete, "courier receipt verified").MustOK(t)
	tr := tradeOf(t, r)
	assert.Equal(t, model.TradeCompleted, tr.Status)
	assert.Equal(t, "COMPLETE: courier receipt verified", tr.Timeline[len(tr.Timeline)-1].Note)
	require.NotEmpty(t, tr.RightID)
	assert.Equal(t, buyer, m.GetAsset(t, buyer, "asset-1").HolderID)
	var l model.Listing
	m.Evaluate(buyer, "listings:Get", holdingListing).Unmarshal(t, &l)
	assert.Equal(t, model.ListingSold, l.Status)
	assert.Equal(t, model.EventTradeResolved, r.Event.Name)
	p := eventPayload(t, r.Event)
	assert.Equal(t, "COMPLETE", p["outcome"])
	assert.EqualValues(t, 1000000, p["priceFen"], "a sale completed by resolution counts in the statistics")
	assert.Equal(t, tr.RightID, p["rightId"])
	m.refuse(t, ledgererr.Conflict, "", operator, "Resolve", "T1", model.OutcomeRefund, "changed my mind")
}

func TestDisputeResolvedRefund(t *testing.T) {
	m := newMarket(t)
	m.disputed(t, "T1", buyer, holdingListing)
	r := m.Submit(operator, "trades:Resolve", "T1", model.OutcomeRefund, "hash mismatch confirmed").MustOK(t)
	tr := tradeOf(t, r)
	assert.Equal(t, model.TradeCancelled, tr.Status)
	assert.Empty(t, tr.RightID)
	assert.Equal(t, []string{"ORDERED", "ACCEPTED", "PAID", "DELIVERED", "DISPUTED", "CANCELLED"}, states(tr))
	assert.Equal(t, map[string]any{"tradeId": "T1", "listingId": holdingListing, "assetId": "asset-1", "status": "CANCELLED",
		"buyerId": buyer, "sellerId": seller, "buyerMsp": markettest.Jiangsu, "sellerMsp": markettest.Shanghai, "region": "shanghai", "outcome": "REFUND"}, eventPayload(t, r.Event))
	a := m.GetAsset(t, seller, "asset-1")
	assert.Equal(t, seller, a.HolderID)
	assert.Empty(t, a.HoldingLockedBy, "a refund frees the holding")
	m.paid(t, "T2", buyer2, holdingListing) // and it can be sold again
}

func TestRequestPurgeRefusals(t *testing.T) {
	m := newMarket(t)
	m.offer(t, buyer, markettest.Terms("50000", ""), "Propose", "N1", negListing)
	m.refuse(t, ledgererr.Conflict, "", buyer, "RequestPurge", "N1") // still negotiating
	m.do(t, seller, "AcceptOffer", "N1")
	m.refuse(t, ledgererr.Conflict, "", buyer, "RequestPurge", "N1")
	m.do(t, buyer, "Cancel", "N1", "budget cut")
	m.refuse(t, ledgererr.NotFound, "", buyer2, "RequestPurge", "N1")
	m.refuse(t, ledgererr.Forbidden, "", regulator, "RequestPurge", "N1")
	m.refuse(t, ledgererr.InvalidArgument, "tradeId", buyer, "RequestPurge", "")
	m.do(t, buyer, "RequestPurge", "N1")

	// A plain order has no private terms to purge; a rejected one with terms has.
	m.do(t, buyer, "Order", "T1", useListing)
	m.do(t, seller, "Reject", "T1", "no")
	m.refuse(t, ledgererr.Conflict, "", buyer, "RequestPurge", "T1")
	m.offer(t, buyer, markettest.Terms("", "conditions"), "Order", "T2", useListing)
	m.do(t, seller, "Reject", "T2", "no")
	m.do(t, seller, "RequestPurge", "T2")
	tr := m.do(t, buyer, "RequestPurge", "T2")
	assert.True(t, tr.TermsPurged)
	assert.Nil(t, m.Net.Ledger().PrivateData(pair, termsKey("T2", useListing, 1, buyer)))
	assert.NotNil(t, m.Net.Ledger().PrivateData(pair, termsKey("N1", negListing, 1, buyer)), "one side's request purges nothing")
}

// A trade is read by its parties, the regulator and the operators of the
// exchanges of its regions (the seller's and the buyer's), as the market
// lists it to them: not by an operator of a region it is not in.
func TestGet(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)      // Shanghai seller, Jiangsu buyer
	m.do(t, buyer2, "Order", "T2", useListing)     // Shanghai seller, Anhui buyer
	m.do(t, localBuyer, "Order", "T3", useListing) // Shanghai only
	for trade, readers := range map[string][]string{
		"T1": {buyer, seller, operator, foreignOp, regulator},
		"T2": {buyer2, seller, operator, regulator},
		"T3": {localBuyer, seller, operator, regulator},
	} {
		for _, who := range readers {
			var tr model.Trade
			m.Evaluate(who, "trades:Get", trade).Unmarshal(t, &tr)
			assert.Equal(t, trade, tr.ID, who)
		}
	}
	// Anyone else is answered as if the trade did not exist.
	for _, trade := range []string{"T2", "T3"} {
		r := requireAsMissing(t, trade, func(id string) chaincodetest.Result { return m.Evaluate(foreignOp, "trades:Get", id) })
		assert.NotContains(t, r.Err.Error(), "anhui", "the refusal names no region of the trade")
	}
	requireAsMissing(t, "T1", func(id string) chaincodetest.Result { return m.Evaluate(buyer2, "trades:Get", id) })
	markettest.RequireRefused(t, m.Evaluate(buyer, "trades:Get", "T9"), ledgererr.NotFound, "")
	markettest.RequireRefused(t, m.Evaluate(buyer, "trades:Get", "T 1"), ledgererr.InvalidArgument, "tradeId")
	markettest.RequireRefused(t, m.Net.Evaluate(m.Stranger(markettest.Jiangsu), "trades:Get", "T1"), ledgererr.Forbidden, "")
}

func TestListQueries(t *testing.T) {
	m := newMarket(t)
	var mine []string
	for i := range 5 {
		id := fmt.Sprintf("T%d", i)
		if i > 0 { // one open order per enterprise on a listing: the buyer cancels its last first
			m.do(t, buyer, "Cancel", mine[i-1], "ordering again")
		}
		m.do(t, buyer, "Order", id, useListing)
		mine = append(mine, id)
	}
	m.do(t, buyer2, "Order", "U1", useListing)
	m.offer(t, buyer2, markettest.Terms("1", ""), "Propose", "U2", negListing)

	list := func(who, function, value, size, bookmark string) *model.TradePage {
		t.Helper()
		var p model.TradePage
		m.Evaluate(who, "trades:"+function, value, size, bookmark).Unmarshal(t, &p)
		return &p
	}
	pages := func(who, function, value, size string) ([]string, []int) {
		var ids []string
		var sizes []int
		chaincodetest.EachPage(func(bookmark string) string {
			p := list(who, function, value, size, bookmark)
			sizes = append(sizes, len(p.Items))
			for _, tr := range p.Items {
				ids = append(ids, tr.ID)
			}
			if len(p.Items) == 0 {
				return ""
			}
			return p.Bookmark
		})
		return ids, sizes
	}

	ids, sizes := pages(buyer, "ListByParticipant", buyer, "2")
	assert.Equal(t, mine, ids)
	assert.Equal(t, []int{2, 2, 1}, sizes[:3])
	ids, _ = pages(regulator, "ListByParticipant", seller, "")
	assert.Equal(t, append(append([]string{}, mine...), "U1", "U2"), ids, "the seller's index holds every trade it sells in")
	ids, _ = pages(regulator, "ListByParticipant", buyer2, "")
	assert.Equal(t, []string{"U1", "U2"}, ids)
	ids, _ = pages(foreignOp, "ListByParticipant", buyer, "")
	assert.Equal(t, mine, ids, "an operator lists the trades of its own region's participants")
	ids, _ = pages(seller, "ListByListing", useListing, "4")
	assert.Equal(t, append(append([]string{}, mine...), "U1"), ids)
	ids, _ = pages(operator, "ListByListing", negListing, "")
	assert.Equal(t, []string{"U2"}, ids)
	// An operator reads no trade its region is not in: not through another
	// region's participant (buyer2's trades are Shanghai-Anhui) nor another
	// region's listing.
	markettest.RequireRefused(t, m.Evaluate(foreignOp, "trades:ListByParticipant", buyer2, "", ""), ledgererr.Forbidden, "")
	markettest.RequireRefused(t, m.Evaluate(foreignOp, "trades:ListByParticipant", seller, "", ""), ledgererr.Forbidden, "")
	markettest.RequireRefused(t, m.Evaluate(operator, "trades:ListByParticipant", buyer2, "", ""), ledgererr.Forbidden, "")
	markettest.RequireRefused(t, m.Evaluate(foreignOp, "trades:ListByListing", negListing, "", ""), ledgererr.Forbidden, "")
	assert.Equal(t, []*model.Trade{}, list(seller, "ListByListing", holdingListing, "", "").Items, "items is [] when empty")

	markettest.RequireRefused(t, m.Evaluate(buyer2, "trades:ListByParticipant", buyer, "", ""), ledgererr.Forbidden, "")
	markettest.RequireRefused(t, m.Evaluate(buyer, "trades:ListByListing", useListing, "", ""), ledgererr.Forbidden, "")
	markettest.RequireRefused(t, m.Evaluate(seller, "trades:ListByListing", "L-none", "", ""), ledgererr.NotFound, "")
	markettest.RequireRefused(t, m.Evaluate(buyer, "trades:ListByParticipant", "", "", ""), ledgererr.InvalidArgument, "participantId")
	markettest.RequireRefused(t, m.Evaluate(buyer, "trades:ListByParticipant", buyer, "500", ""), ledgererr.InvalidArgument, "pageSize")
	markettest.RequireRefused(t, m.Evaluate(seller, "trades:ListByListing", "", "", ""), ledgererr.InvalidArgument, "listingId")
	markettest.RequireRefused(t, m.Evaluate(seller, "trades:ListByListing", useListing, "-1", ""), ledgererr.InvalidArgument, "pageSize")
}

// Nobody decides their own case: a seller who is also an operator of its
// region resolves no dispute of its own trade and records no payment to
// itself as the exchange; neither does an operator acting for the seller's or
// the buyer's enterprise. An impartial operator of the region does both.
func TestNoPartyDecidesItsOwnTrade(t *testing.T) {
	m := newMarket(t)
	const sellerOp, buyerTwinOp = "sh-selop", "sh-buyer-op"
	m.Join(t, markettest.Shanghai, sellerOp, "holder,operator", markettest.USCC(9))
	m.Join(t, markettest.Shanghai, buyerTwinOp, "operator", markettest.USCC(4))    // localBuyer's enterprise
	m.Join(t, markettest.Shanghai, "sh-seller-op", "operator", markettest.USCC(1)) // seller's enterprise
	m.RegisterAsset(t, sellerOp, operator, "asset-9", "finance", "shanghai")
	m.Submit(sellerOp, "listings:Create", "L-9", "asset-9", "USE", useScope, "FIXED", "1000", markettest.Hash("terms")).MustOK(t)

	m.do(t, localBuyer, "Order", "T1", "L-9")
	m.do(t, sellerOp, "Accept", "T1")
	m.refuseWith(t, ledgererr.Forbidden, "", sellerOp, markettest.Payment("1000"), "RecordPayment", "T1", "SELF-1")
	m.doWith(t, localBuyer, markettest.Payment("1000"), "RecordPayment", "T1", "BANK-1")
	m.do(t, localBuyer, "Dispute", "T1", "nothing was delivered")
	m.refuse(t, ledgererr.Forbidden, "", sellerOp, "Resolve", "T1", model.OutcomeComplete, "delivered, trust me")
	m.refuse(t, ledgererr.Forbidden, "", buyerTwinOp, "Resolve", "T1", model.OutcomeRefund, "our buyer is right")
	tr := m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "no delivery on record")
	assert.Equal(t, model.TradeCancelled, tr.Status)

	m.do(t, buyer, "Order", "T2", useListing)
	m.do(t, seller, "Accept", "T2")
	m.refuseWith(t, ledgererr.Forbidden, "", "sh-seller-op", markettest.Payment("50000"), "RecordPayment", "T2", "SHDEX-2")
	m.doWith(t, operator, markettest.Payment("50000"), "RecordPayment", "T2", "SHDEX-2")
	m.do(t, buyer, "Dispute", "T2", "wrong data")
	m.refuse(t, ledgererr.Forbidden, "", "sh-seller-op", "Resolve", "T2", model.OutcomeComplete, "our seller is right")
	m.do(t, operator, "Resolve", "T2", model.OutcomeComplete, "delivery hash matches")
}

// While an accepted trade holds the holding, its holder licenses nothing
// more, by grant, new listing or trade: the buyer of the holding gets the
// asset with the encumbrances it saw. Selling the holding takes the seller's
// other listings of the asset off the market.
func TestHoldingPromisedToATradeIsNotLicensedFurther(t *testing.T) {
	m := newMarket(t)
	h := markettest.Hash("terms document")
	m.Submit(seller, "listings:Create", "L-use1", "asset-1", "USE", useScope, "FIXED", "5000", h).MustOK(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, seller, "Accept", "T1")

	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.Submit(seller, "rights:Grant", "asset-1", buyer2, "USE", useScope)
	})
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.Submit(seller, "listings:Create", "L-use2", "asset-1", "USE", useScope, "FIXED", "5000", h)
	})
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Order", "T2", "L-use1")

	m.doWith(t, buyer, markettest.Payment("1000000"), "RecordPayment", "T1", "BANK-1")
	m.do(t, seller, "Deliver", "T1", markettest.Hash("holding data"))
	m.do(t, buyer, "Confirm", "T1")
	var l model.Listing
	m.Evaluate(buyer, "listings:Get", "L-use1").Unmarshal(t, &l)
	assert.Equal(t, model.ListingDelisted, l.Status, "the former holder's licence offer left the market")
}

// The sale of a holding closes no other trade itself: whoever submits it,
// its buyer too, is handed what it reads. Afterwards its seller (or an
// operator of its region) closes every other trade still waiting on the sold
// listing or on a listing the sale withdrew: their buyers see CANCELLED with
// the reason, instead of an order that stays ORDERED until it lapses
// (issue 9). The step names no party. A sale of a licence, which can be
// sold again, closes nothing.
func TestTheSellerClosesTheOrdersTheSaleOfAHoldingBeat(t *testing.T) {
	m := newMarket(t)
	h := markettest.Hash("terms document")
	m.Submit(seller, "listings:Create", "L-use1", "asset-1", "USE", useScope, "FIXED", "5000", h).MustOK(t)
	m.do(t, buyer2, "Order", "U1", "L-use1")
	rival := m.rivals(t, markettest.Anhui, "ah-rival", 1)[0]
	m.do(t, rival, "Order", "U2", "L-use1") // buyer2's enterprise holds U1 open there
	m.do(t, buyer, "Order", "U3", "L-use1")
	m.do(t, seller, "Accept", "U3")
	m.doWith(t, buyer, markettest.Payment("5000"), "RecordPayment", "U3", "BANK-U3")
	m.do(t, seller, "Deliver", "U3", markettest.Hash("use data"))
	m.do(t, buyer, "Confirm", "U3")
	assert.Equal(t, model.TradeOrdered, m.trade(t, "U1").Status, "a licence sells again: nobody lost")
	m.refuse(t, ledgererr.Conflict, "", seller, "CloseOthers", "U3", "")

	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, buyer2, "Order", "T2", holdingListing)
	m.do(t, seller, "Accept", "T1")
	m.doWith(t, buyer, markettest.Payment("1000000"), "RecordPayment", "T1", "BANK-1")
	m.do(t, seller, "Deliver", "T1", markettest.Hash("holding data"))
	m.refuse(t, ledgererr.Conflict, "", seller, "CloseOthers", "T1", "") // not sold yet
	sale := m.Submit(buyer, "trades:Confirm", "T1").MustOK(t)
	var e model.TradeEvent
	require.NoError(t, json.Unmarshal(sale.Event.Payload, &e))
	assert.Equal(t, []string{"L-use1"}, e.DelistedListingIDs)
	assert.Empty(t, e.ClosedTradeIDs, "the sale's own transaction closes nothing")
	assert.Equal(t, []string{"L-use1"}, m.trade(t, "T1").DelistedListingIDs, "the sale records what it withdrew")
	for _, id := range []string{"T2", "U1", "U2"} {
		assert.Equal(t, model.TradeOrdered, m.trade(t, id).Status, id)
	}
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T2") // the listing is SOLD

	// Nobody but the seller and the exchange of its region closes them: not
	// the sale's buyer, not a loser, not another region's operator. Those
	// who may not read the sale (a loser, the seller's twin) are answered
	// as if it did not exist.
	for who, code := range map[string]ledgererr.Code{
		buyer: ledgererr.Forbidden, buyer2: ledgererr.NotFound, foreignOp: ledgererr.Forbidden, sellerTwin: ledgererr.NotFound,
	} {
		m.refuse(t, code, "", who, "CloseOthers", "T1", "")
	}

	r := m.Submit(seller, "trades:CloseOthers", "T1", "").MustOK(t)
	var closed model.ClosedTrades
	r.Unmarshal(t, &closed)
	assert.Equal(t, "T1", closed.SaleTradeID)
	assert.ElementsMatch(t, []string{"T2", "U1", "U2"}, closed.TradeIDs)
	require.NotNil(t, r.Event)
	require.Equal(t, model.EventTradesClosed, r.Event.Name)
	e = model.TradeEvent{}
	require.NoError(t, json.Unmarshal(r.Event.Payload, &e))
	assert.Equal(t, "T1", e.TradeID)
	assert.ElementsMatch(t, []string{"T2", "U1", "U2"}, e.ClosedTradeIDs)
	assert.Equal(t, []string{buyer2, rival}, e.ClosedBuyerIDs, "their buyers, each once (buyer2 lost T2 and U1): each sees the event that ended its trades")
	assert.Equal(t, [2]string{markettest.Jiangsu, markettest.Shanghai}, [2]string{e.BuyerMSP, e.SellerMSP})
	assert.Empty(t, e.Category, "no market fields: the sale was counted once, by its own event")
	assert.Zero(t, e.PriceFen)

	for _, id := range []string{"T2", "U1", "U2"} {
		lost := m.trade(t, id)
		assert.Equal(t, model.TradeCancelled, lost.Status, id)
		last := lost.Timeline[len(lost.Timeline)-1]
		assert.Equal(t, r.TxID, last.TxID, "%s closed in the closing transaction", id)
		assert.Empty(t, last.By, "the sale decided it, not a party")
		assert.Contains(t, last.Note, `the holding of asset "asset-1" was sold`)
		assert.NotContains(t, last.Note, "T1", "its buyer may not read the sale")
		assert.Empty(t, lost.DeadlineAt)
	}
	assert.Equal(t, model.TradeCompleted, m.trade(t, "U3").Status, "a finished trade stays as it was")
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T2")
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Cancel", "T2", "again")

	again := m.Submit(operator, "trades:CloseOthers", "T1", "").MustOK(t)
	closed = model.ClosedTrades{}
	again.Unmarshal(t, &closed)
	assert.Empty(t, closed.TradeIDs, "nothing waits any more")
	assert.Nil(t, again.Event, "closing nothing says nothing")
	assert.NotContains(t, again.Requests, "PUT_STATE", "and writes nothing")
}

// An operator of the seller's region closes the orders a sale beat, as the
// gateway of its exchange does by itself; after a dispute resolved COMPLETE
// too, which closes none itself either.
func TestTheExchangeClosesTheOrdersASaleBeat(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, buyer2, "Order", "T2", holdingListing)
	m.do(t, seller, "Accept", "T1")
	m.doWith(t, buyer, markettest.Payment("1000000"), "RecordPayment", "T1", "BANK-1")
	m.do(t, buyer, "Dispute", "T1", "late")
	m.do(t, operator, "Resolve", "T1", model.OutcomeComplete, "delivered in time")
	assert.Equal(t, model.TradeOrdered, m.trade(t, "T2").Status, "the resolution closes nothing itself")
	var closed model.ClosedTrades
	m.Submit(operator, "trades:CloseOthers", "T1", "").MustOK(t).Unmarshal(t, &closed)
	assert.Equal(t, []string{"T2"}, closed.TradeIDs)
	assert.Equal(t, model.TradeCancelled, m.trade(t, "T2").Status)
}

// A trade's terms stay while a dispute of it may still come or wait to be
// resolved: neither party, nor both, purges them from a PAID, DELIVERED or
// DISPUTED trade; once the exchange resolved the dispute they may.
func TestNoPurgeBeforeADisputeIsResolved(t *testing.T) {
	m := newMarket(t)
	m.offer(t, buyer, markettest.Terms("70000", "weekly"), "Propose", "N1", negListing)
	m.do(t, seller, "AcceptOffer", "N1")
	m.doWith(t, buyer, markettest.Payment("70000"), "RecordPayment", "N1", "BANK-1")
	refused := func() {
		t.Helper()
		for _, who := range []string{buyer, seller} {
			m.refuse(t, ledgererr.Conflict, "", who, "RequestPurge", "N1")
		}
		require.NotNil(t, m.Net.Ledger().PrivateData(pair, termsKey("N1", negListing, 1, buyer)))
	}
	refused()
	m.do(t, seller, "Deliver", "N1", markettest.Hash("delivery"))
	refused()
	m.do(t, buyer, "Dispute", "N1", "not what the conditions said")
	refused()

	m.do(t, operator, "Resolve", "N1", model.OutcomeRefund, "conditions not met")
	m.do(t, buyer, "RequestPurge", "N1")
	assert.True(t, m.do(t, seller, "RequestPurge", "N1").TermsPurged)
	assert.Nil(t, m.Net.Ledger().PrivateData(pair, termsKey("N1", negListing, 1, buyer)))
}
