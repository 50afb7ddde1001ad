package trades_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/trades"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestFixedUseTradeToCompletion(t *testing.T) {
	m := newMarket(t)

	r := m.SubmitWith(buyer, nil, "trades:Order", "T1", useListing).MustOK(t)
	tr := *tradeOf(t, r)
	created := tr.CreatedAt
	require.NotNil(t, tr.Scope)
	assert.Equal(t, model.Trade{
		ID: "T1", ListingID: useListing, AssetID: "asset-2", RightType: "USE", Scope: tr.Scope,
		Category: "smart-city", Region: "shanghai", SourceRegion: "jiangsu", Pricing: "FIXED", PriceFen: 50000, TermsHash: markettest.Hash("terms document"),
		BuyerID: buyer, BuyerMSP: markettest.Jiangsu, SellerID: seller, SellerMSP: markettest.Shanghai,
		Status: model.TradeOrdered, Offers: []model.Offer{}, PurgeRequests: []model.PurgeRequest{},
		DeadlineAt: state.Format(chaincodetest.ParseTime(t, created).Add(7 * 24 * time.Hour)),
		Timeline:   []model.Step{{State: model.TradeOrdered, By: buyer, At: created, TxID: r.TxID}},
		CreatedAt:  created, UpdatedAt: created,
	}, tr)
	assert.Equal(t, "credit risk model", tr.Scope.Purpose)
	assert.Equal(t, model.EventTradeOrdered, r.Event.Name)
	assert.Equal(t, map[string]any{"tradeId": "T1", "listingId": useListing, "assetId": "asset-2", "status": "ORDERED", "buyerId": buyer, "sellerId": seller,
		"buyerMsp": markettest.Jiangsu, "sellerMsp": markettest.Shanghai, "region": "shanghai", "deadlineAt": tr.DeadlineAt},
		eventPayload(t, r.Event))
	assert.Equal(t, eitherPolicy(t, markettest.Jiangsu, markettest.Shanghai), m.Net.Ledger().ValidationParameter(tradeKey("T1")),
		"the trade key needs both parties' orgs, or a majority of the orgs")
	assert.Empty(t, m.Net.Ledger().PrivateDataKeys(trades.TermsCollection(markettest.Jiangsu, markettest.Shanghai)),
		"an order without terms writes no private data")

	r = m.Submit(seller, "trades:Accept", "T1").MustOK(t)
	assert.Equal(t, model.EventTradeAccepted, r.Event.Name)
	assert.Empty(t, m.GetAsset(t, seller, "asset-2").HoldingLockedBy, "selling a licence does not lock the holding")

	r = m.SubmitWith(buyer, markettest.Payment("50000"), "trades:RecordPayment", "T1", "ICBC-20260305-0001").MustOK(t)
	tr = *tradeOf(t, r)
	assert.Equal(t, model.TradePaid, tr.Status)
	assert.Equal(t, "ICBC-20260305-0001", tr.SettlementRef)
	assert.Equal(t, state.Format(chaincodetest.ParseTime(t, tr.UpdatedAt).Add(model.TradeDeliveryWindow)), tr.DeadlineAt,
		"a paid trade's deadline is its delivery's, two weeks after the payment")
	assert.Equal(t, model.EventTradePaid, r.Event.Name)

	delivery := markettest.Hash("the delivered dataset")
	r = m.Submit(seller, "trades:Deliver", "T1", delivery).MustOK(t)
	tr = *tradeOf(t, r)
	assert.Equal(t, delivery, tr.DeliveryHash)
	assert.Equal(t, state.Format(chaincodetest.ParseTime(t, tr.UpdatedAt).Add(model.TradeInspectionWindow)), tr.DeadlineAt,
		"a delivered trade's deadline is its inspection's, ten days after the delivery")
	assert.Equal(t, model.EventTradeDelivered, r.Event.Name)

	r = m.Submit(buyer, "trades:Confirm", "T1").MustOK(t)
	tr = *tradeOf(t, r)
	assert.Equal(t, model.TradeCompleted, tr.Status)
	assert.Empty(t, tr.DeadlineAt, "a completed trade has no deadline")
	assert.Equal(t, []string{"ORDERED", "ACCEPTED", "PAID", "DELIVERED", "COMPLETED"}, states(&tr))
	assert.Equal(t, []string{buyer, seller, buyer, seller, buyer}, []string{
		tr.Timeline[0].By, tr.Timeline[1].By, tr.Timeline[2].By, tr.Timeline[3].By, tr.Timeline[4].By})
	require.NotEmpty(t, tr.RightID)
	assert.Equal(t, model.EventTradeCompleted, r.Event.Name)
	assert.Equal(t, map[string]any{
		"buyerMsp": markettest.Jiangsu, "sellerMsp": markettest.Shanghai,
		"tradeId": "T1", "listingId": useListing, "assetId": "asset-2", "status": "COMPLETED", "buyerId": buyer, "sellerId": seller,
		"category": "smart-city", "region": "shanghai", "sourceRegion": "jiangsu", "rightType": "USE", "pricing": "FIXED",
		"priceFen": float64(50000), "rightId": tr.RightID,
	}, eventPayload(t, r.Event))

	right := m.GetRight(t, buyer, tr.RightID)
	assert.Equal(t, buyer, right.HolderID)
	assert.Equal(t, model.RightUse, right.Type)
	assert.Equal(t, model.OriginTrade, right.Origin)
	assert.Equal(t, "T1", right.OriginRef)
	assert.Equal(t, *tr.Scope, right.Scope, "the buyer's right has the listed scope")

	var l model.Listing
	m.Evaluate(buyer, "listings:Get", useListing).Unmarshal(t, &l)
	assert.Equal(t, model.ListingActive, l.Status, "a licence can be sold again")
	m.do(t, buyer2, "Order", "T2", useListing)
}

// An order's private terms are staged first, carry conditions and no price
// (the listing's is public), and are accepted and read like a
// negotiation's.
func TestFixedOrderWithPrivateConditions(t *testing.T) {
	m := newMarket(t)
	tr := m.offer(t, buyer, markettest.Terms("", "delivery by SFTP within 5 days"), "Order", "T1", useListing)
	require.Len(t, tr.Offers, 1)
	assert.Equal(t, buyer, tr.Offers[0].By)
	assert.Equal(t, int64(50000), tr.PriceFen, "the order's price is the listing's")
	m.do(t, seller, "Accept", "T1")

	var got model.Terms
	m.termsOn(t, seller, markettest.Shanghai, "T1", 1).Unmarshal(t, &got)
	assert.Equal(t, model.Terms{TradeID: "T1", Round: 1, By: buyer, Conditions: "delivery by SFTP within 5 days", Salt: salt}, got,
		"a FIXED order's terms carry no price")
	m.doWith(t, buyer, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-1")

	// A price in an order's terms is refused, the listing's own too, and
	// so is an unknown field; nothing is written.
	before := m.Snapshot()
	for _, terms := range []map[string][]byte{markettest.Terms("50000", "same price, said twice"), markettest.Terms("40000", "cheaper?")} {
		markettest.RequireRefused(t, m.StageTerms(buyer2, "T2", "1", useListing, terms), ledgererr.InvalidArgument, "terms.priceFen")
	}
	markettest.RequireRefused(t, m.StageTerms(buyer2, "T2", "1", useListing, rawTerms(`{"conditions":"x","salt":"`+salt+`","discount":"10%"}`)), ledgererr.InvalidArgument, "terms")
	m.RequireUnchanged(t, before)
	tr = m.do(t, buyer2, "Order", "T2", useListing)
	assert.Empty(t, tr.Offers, "an order of a buyer who staged nothing carries no terms")
}

func TestHoldingTradeTransfersTheHolding(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	tr := m.do(t, seller, "Accept", "T1")
	assert.Equal(t, model.TradeAccepted, tr.Status)
	assert.Equal(t, "T1", m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "acceptance promises the holding to the trade")

	// The seller's exchange records the settlement.
	tr = m.doWith(t, operator, markettest.Payment("1000000"), "RecordPayment", "T1", "SHDEX-SETTLE-77")
	assert.Equal(t, operator, tr.Timeline[len(tr.Timeline)-1].By)
	m.do(t, seller, "Deliver", "T1", markettest.Hash("asset-1 full dump"))
	r := m.Submit(buyer, "trades:Confirm", "T1").MustOK(t)
	tr = tradeOf(t, r)

	a := m.GetAsset(t, buyer, "asset-1")
	assert.Equal(t, buyer, a.HolderID, "the holding moved to the buyer in the completing transaction")
	assert.Equal(t, markettest.Jiangsu, a.HolderMSP)
	assert.Equal(t, tr.RightID, a.HoldingRightID)
	assert.Empty(t, a.HoldingLockedBy)
	right := m.GetRight(t, buyer, tr.RightID)
	assert.Equal(t, model.RightHolding, right.Type)
	assert.Equal(t, "T1", right.OriginRef)

	var l model.Listing
	m.Evaluate(seller, "listings:Get", holdingListing).Unmarshal(t, &l)
	assert.Equal(t, model.ListingSold, l.Status)
	assert.Equal(t, "T1", l.SoldTradeID, "the listing names its seller, not its buyer (assets.Named)")
	p := eventPayload(t, r.Event)
	assert.Equal(t, "HOLDING", p["rightType"])
	assert.EqualValues(t, 1000000, p["priceFen"])
	assert.Equal(t, "finance", p["category"])
}

// TestDoubleSale is the rule that a holding is sold once: two buyers order
// the same HOLDING listing; only one trade can be accepted, and only one can
// ever complete.
func TestDoubleSale(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, buyer2, "Order", "T2", holdingListing)

	m.do(t, seller, "Accept", "T1")
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T2") // the holding is promised to T1
	assert.Equal(t, model.TradeOrdered, m.trade(t, "T2").Status)

	m.doWith(t, buyer, markettest.Payment("1000000"), "RecordPayment", "T1", "BANK-1")
	m.do(t, seller, "Deliver", "T1", markettest.Hash("d1"))
	m.do(t, buyer, "Confirm", "T1")

	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T2") // the listing is SOLD
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Order", "T3", holdingListing)
	m.do(t, seller, "CloseOthers", "T1", "")
	assert.Equal(t, model.TradeCancelled, m.trade(t, "T2").Status, "the seller closed the losing order")
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Cancel", "T2", "sold to someone else")
}

// TestSaleOfADelistedHolding: a seller who delists a HOLDING listing whose
// trade is already accepted cannot list the holding again, and the accepted
// trade still completes.
func TestSaleOfADelistedHolding(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, seller, "Accept", "T1")
	m.Submit(seller, "listings:Delist", holdingListing, "relisting at a higher price").MustOK(t)
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.Submit(seller, "listings:Create", "L-again", "asset-1", "HOLDING", "", "FIXED", "2000000", markettest.Hash("t"))
	})
	m.doWith(t, buyer, markettest.Payment("1000000"), "RecordPayment", "T1", "BANK-1")
	m.do(t, seller, "Deliver", "T1", markettest.Hash("d"))
	m.do(t, buyer, "Confirm", "T1")
	var l model.Listing
	m.Evaluate(buyer, "listings:Get", holdingListing).Unmarshal(t, &l)
	assert.Equal(t, model.ListingSold, l.Status)
}

// TestDoubleSaleRace covers the race the lock exists for: two acceptances
// endorsed against the same state. On a channel both read and write the
// asset's lock, so the second to commit fails Fabric's MVCC check; the
// harness commits one at a time and cannot show that. What it can show is
// the next line of defence: even with two trades past acceptance (the second
// forged here as if its acceptance had slipped through), only one completes.
func TestDoubleSaleRace(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, holdingListing)
	m.do(t, buyer2, "Order", "T2", holdingListing)
	forge := func(mutate func(*model.Trade)) {
		tr := m.trade(t, "T2")
		mutate(tr)
		m.Seed(t, buyer2, tradeKey("T2"), tr)
	}
	forge(func(tr *model.Trade) { tr.Status = model.TradeDelivered; tr.DeadlineAt = "" })

	// While T1 holds the lock, T2 cannot convey the holding.
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Confirm", "T2")
	m.do(t, buyer, "Confirm", "T1")
	// Once T1 completed, the seller no longer holds anything to convey.
	m.refuse(t, ledgererr.Forbidden, "", buyer2, "Confirm", "T2")
	// Nor can the exchange force it through a dispute.
	m.do(t, buyer2, "Dispute", "T2", "paid but nothing conveyed")
	m.refuse(t, ledgererr.Forbidden, "", operator, "Resolve", "T2", model.OutcomeComplete, "pay out")
	assert.Equal(t, buyer, m.GetAsset(t, buyer, "asset-1").HolderID)
}

func TestOrderRefusals(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	m.Submit(seller, "listings:Create", "L-gone", "asset-2", "USE", useScope, "FIXED", "10", markettest.Hash("t")).MustOK(t)
	m.Submit(seller, "listings:Delist", "L-gone", "withdrawn").MustOK(t)
	cases := []struct {
		name, who, tradeID, listingID string
		code                          ledgererr.Code
		field                         string
	}{
		{"bad trade id", buyer, "T 2", useListing, ledgererr.InvalidArgument, "tradeId"},
		{"bad listing id", buyer, "T2", "", ledgererr.InvalidArgument, "listingId"},
		{"not a buyer", holderOnly, "T2", useListing, ledgererr.Forbidden, ""},
		{"regulator", regulator, "T2", useListing, ledgererr.Forbidden, ""},
		{"no such listing", buyer, "T2", "L-none", ledgererr.NotFound, ""},
		{"same enterprise as the seller", sellerTwin, "T2", useListing, ledgererr.Forbidden, ""},
		{"delisted listing", buyer, "T2", "L-gone", ledgererr.Conflict, ""},
		{"negotiable listing", buyer, "T2", negListing, ledgererr.Conflict, ""},
		{"duplicate trade id", buyer2, "T1", useListing, ledgererr.Conflict, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m.refuse(t, tc.code, tc.field, tc.who, "Order", tc.tradeID, tc.listingID)
		})
	}
	t.Run("the seller itself", func(t *testing.T) {
		m.Join(t, markettest.Shanghai, "sh-trader", "holder,buyer", markettest.USCC(7))
		m.RegisterAsset(t, "sh-trader", operator, "asset-9", "finance", "shanghai")
		m.Submit("sh-trader", "listings:Create", "L-own", "asset-9", "USE", useScope, "FIXED", "10", markettest.Hash("t")).MustOK(t)
		m.refuse(t, ledgererr.Forbidden, "", "sh-trader", "Order", "T2", "L-own")
	})
	t.Run("unregistered caller", func(t *testing.T) {
		m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
			return m.Net.Submit(m.Stranger(markettest.Jiangsu), "trades:Order", "T2", useListing)
		})
	})
	t.Run("seller no longer entitled", func(t *testing.T) {
		// Giving the holding away takes the seller's listings of the asset
		// off the market.
		m.Submit(seller, "rights:TransferHolding", "asset-2", localBuyer, "gift").MustOK(t)
		m.Submit(localBuyer, "rights:AcceptHolding", "asset-2").MustOK(t)
		m.refuse(t, ledgererr.Conflict, "", buyer2, "Order", "T2", useListing)
	})
}

func TestAcceptAndReject(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	m.do(t, buyer2, "Order", "T2", useListing)
	m.offer(t, buyer, markettest.Terms("70000", "x"), "Propose", "N1", negListing)

	m.refuse(t, ledgererr.InvalidArgument, "tradeId", seller, "Accept", "")
	m.refuse(t, ledgererr.NotFound, "", seller, "Accept", "T9")
	m.refuse(t, ledgererr.Forbidden, "", buyer, "Accept", "T1")
	m.refuse(t, ledgererr.Forbidden, "", operator, "Accept", "T1")
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "N1") // a negotiation is accepted with AcceptOffer

	m.refuse(t, ledgererr.InvalidArgument, "reason", seller, "Reject", "T2", "")
	m.refuse(t, ledgererr.Forbidden, "", buyer2, "Reject", "T2", "changed my mind")
	r := m.Submit(seller, "trades:Reject", "T2", "buyer failed KYC").MustOK(t)
	tr := *tradeOf(t, r)
	assert.Equal(t, model.TradeRejected, tr.Status)
	assert.Equal(t, "buyer failed KYC", tr.Timeline[1].Note)
	assert.Empty(t, tr.DeadlineAt)
	assert.Equal(t, model.EventTradeRejected, r.Event.Name)
	m.refuse(t, ledgererr.Conflict, "", seller, "Reject", "T2", "again")
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T2")

	// An order on a listing delisted since can no longer be accepted.
	m.Submit(seller, "listings:Delist", useListing, "paused").MustOK(t)
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T1")
	m.do(t, seller, "Reject", "T1", "listing withdrawn")
}

func TestKeyLevelEndorsement(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	before := m.Snapshot()
	// The seller's peer alone cannot change a trade with a Jiangsu buyer.
	r := m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "trades:Accept", Args: []string{"T1"}, Endorsers: []string{markettest.Shanghai}})
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	assert.Equal(t, model.TradeOrdered, m.trade(t, "T1").Status)
	m.RequireStateUnchanged(t, before)
}

func TestPaymentDeliveryConfirmRefusals(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	m.refuseWith(t, ledgererr.Conflict, "", buyer, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-1") // not accepted yet
	m.do(t, seller, "Accept", "T1")

	m.refuseWith(t, ledgererr.InvalidArgument, "settlementRef", buyer, markettest.Payment("50000"), "RecordPayment", "T1", "")
	m.refuseWith(t, ledgererr.InvalidArgument, "amountFen", buyer, markettest.Payment("5e4"), "RecordPayment", "T1", "BANK-1")
	m.refuseWith(t, ledgererr.InvalidArgument, "amountFen", buyer, markettest.Payment("49999"), "RecordPayment", "T1", "BANK-1")
	m.refuseWith(t, ledgererr.Forbidden, "", seller, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-1")
	m.refuseWith(t, ledgererr.Forbidden, "", foreignOp, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-1")
	m.refuseWith(t, ledgererr.NotFound, "", buyer2, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-1")
	m.refuse(t, ledgererr.Conflict, "", seller, "Deliver", "T1", markettest.Hash("d"))
	m.doWith(t, buyer, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-1")
	m.refuseWith(t, ledgererr.Conflict, "", buyer, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-2")

	m.refuse(t, ledgererr.InvalidArgument, "deliveryHash", seller, "Deliver", "T1", "ABC")
	m.refuse(t, ledgererr.Forbidden, "", buyer, "Deliver", "T1", markettest.Hash("d"))
	m.refuse(t, ledgererr.Conflict, "", buyer, "Confirm", "T1")
	m.do(t, seller, "Deliver", "T1", markettest.Hash("d"))

	m.refuse(t, ledgererr.InvalidArgument, "tradeId", buyer, "Confirm", "T/1")
	m.refuse(t, ledgererr.Conflict, "", seller, "Confirm", "T1") // before the inspection deadline
	m.refuse(t, ledgererr.Forbidden, "", operator, "Confirm", "T1")
	m.do(t, buyer, "Confirm", "T1")
	m.refuse(t, ledgererr.Conflict, "", buyer, "Confirm", "T1")
}

// A licence is listed with its term; once that term has ended the listing
// sells nothing: no order is taken, none accepted, and none completed, as
// rights.Grant never issues a right whose term has ended.
func TestALicenceWhoseTermEndedIsNotSold(t *testing.T) {
	m := newMarket(t)
	m.listShortLicence(t, "L-short", m.Net.Now().Add(time.Hour)).MustOK(t)
	m.do(t, buyer, "Order", "T1", "L-short")
	m.do(t, buyer2, "Order", "T2", "L-short")
	m.do(t, seller, "Accept", "T2")
	m.doWith(t, buyer2, markettest.Payment("50000"), "RecordPayment", "T2", "BANK-T2")
	m.do(t, seller, "Deliver", "T2", markettest.Hash("delivery of T2"))

	m.Net.Advance(2 * time.Hour)
	m.refuse(t, ledgererr.Conflict, "", localBuyer, "Order", "T3", "L-short")
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T1")
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Confirm", "T2")
	// The paid trade goes to the exchange, which refunds it.
	m.do(t, buyer2, "Dispute", "T2", "the licence ended before it was conveyed")
	m.refuse(t, ledgererr.Conflict, "", operator, "Resolve", "T2", model.OutcomeComplete, "the sale stands")
	assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", "T2", model.OutcomeRefund, "refunded").Status)
}
