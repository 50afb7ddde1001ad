package trades_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// promiseKey is the key of the promise record of licence trade tradeID on
// asset assetID: it names the seller and the transaction that opened the
// trade.
func (m *market) promiseKey(t *testing.T, assetID, tradeID string) string {
	t.Helper()
	tr := m.trade(t, tradeID)
	return "licence~promise/" + assetID + "/" + tr.SellerID + "/" + tr.Timeline[0].TxID
}

// transfer has the seller offer asset-2's holding to its twin.
func (m *market) transfer() chaincodetest.Result {
	return m.Submit(seller, "rights:TransferHolding", "asset-2", sellerTwin, "to my twin")
}

// forget deletes the promise record of trade tradeID on asset-2, endorsed
// by every org: the state of a trade opened before interface 13.0.0.
func (m *market) forget(t *testing.T, tradeID string) {
	t.Helper()
	key := m.promiseKey(t, "asset-2", tradeID)
	m.Net.SubmitFunc(m.Admin(markettest.Shanghai), func(stub shim.ChaincodeStubInterface) error {
		return stub.DelState(key)
	}).MustOK(t)
}

// A holder who sold a licence from its holding, was paid and delivered,
// gave the holding to another member of its own enterprise: its buyer could
// then confirm nothing, and the exchange refunded it: the seller backed out
// of a paid sale at will. The holding now stays with the seller until the
// licence trade ends; the refusal names the trade, which the holder sold.
func TestAHolderKeepsTheHoldingBehindALicenceItSold(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, useListing)

	m.Refuse(t, ledgererr.Conflict, "", m.transfer)
	assert.Contains(t, m.transfer().Message, `trade "T1"`)
	// Nor does a HOLDING trade take it meanwhile.
	m.Submit(seller, "listings:Create", "L-h2", "asset-2", "HOLDING", "", "FIXED", "900000", markettest.Hash("t")).MustOK(t)
	m.do(t, buyer2, "Order", "T2", "L-h2")
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T2")

	m.do(t, buyer, "Confirm", "T1")
	assert.Equal(t, model.TradeCompleted, m.trade(t, "T1").Status)
	m.transfer().MustOK(t)
}

// An offer of the holding made before the licence was sold is not accepted
// while the licence awaits conveyance (the refusal does not name the trade
// to the recipient); the buyer's cancellation frees it.
func TestAnOfferedHoldingWaitsForTheLicenceTrade(t *testing.T) {
	m := newMarket(t)
	m.transfer().MustOK(t)
	m.do(t, buyer, "Order", "T1", useListing)
	m.do(t, seller, "Accept", "T1")

	accept := func() chaincodetest.Result { return m.Submit(sellerTwin, "rights:AcceptHolding", "asset-2") }
	m.Refuse(t, ledgererr.Conflict, "", accept)
	assert.NotContains(t, accept().Message, "T1", "the recipient may not read the licence trade")
	m.do(t, buyer, "Cancel", "T1", "changed my mind")
	m.Submit(sellerTwin, "rights:AcceptHolding", "asset-2").MustOK(t)
}

// Each licence trade holds the holding until it ends, however it ends: two
// of them are kept apart, a refund or an expiry releases its own, and an
// order not yet accepted holds nothing.
func TestEveryEndOfALicenceTradeReleasesItsHolding(t *testing.T) {
	m := newMarket(t)
	m.paid(t, "T1", buyer, useListing)
	m.do(t, buyer, "Dispute", "T1", "nothing came")
	m.do(t, buyer2, "Order", "T2", useListing)
	m.do(t, seller, "Accept", "T2")
	m.do(t, localBuyer, "Order", "T3", useListing)

	m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "not delivered")
	m.Refuse(t, ledgererr.Conflict, "", m.transfer) // T2 still holds it
	m.Net.Advance(model.TradeResponseWindow + time.Second)
	m.do(t, buyer2, "Expire", "T2")
	m.transfer().MustOK(t)
}

// No end of a licence trade leaves its promise record behind: completion,
// rejection, cancellation, expiry, refund, and the closing of the trades
// of the listings a sale of the holding withdrew (CloseOthers).
func TestEveryEndOfALicenceTradeDeletesItsPromise(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, useListing)
	m.do(t, buyer, "Confirm", "T1")
	m.do(t, buyer, "Order", "T2", useListing)
	m.do(t, seller, "Reject", "T2", "sold out")
	m.do(t, buyer, "Order", "T3", useListing)
	m.do(t, buyer, "Cancel", "T3", "changed my mind")
	m.paid(t, "T4", buyer, useListing)
	m.do(t, buyer, "Dispute", "T4", "nothing came")
	m.do(t, operator, "Resolve", "T4", model.OutcomeRefund, "not delivered")
	m.do(t, buyer, "Order", "T5", useListing)
	m.Net.Advance(model.TradeResponseWindow + time.Second)
	m.do(t, buyer, "Expire", "T5")
	m.do(t, buyer2, "Order", "T6", useListing)
	m.Submit(seller, "listings:Create", "L-h2", "asset-2", "HOLDING", "", "FIXED", "900000", markettest.Hash("t")).MustOK(t)
	m.paid(t, "T7", localBuyer, "L-h2")
	m.do(t, seller, "Deliver", "T7", markettest.Hash("delivery of T7"))
	m.do(t, localBuyer, "Confirm", "T7")
	m.Submit(seller, "trades:CloseOthers", "T7", "").MustOK(t)

	for _, id := range []string{"T1", "T2", "T3", "T4", "T5", "T6"} {
		assert.Nil(t, m.Net.Ledger().State(m.promiseKey(t, "asset-2", id)), id)
	}
	assert.Nil(t, m.Net.Ledger().State(m.promiseKey(t, "asset-2", "T7")), "a sale of the holding promises no licence")
}

// A reseller who sold a licence under its OPERATION right does not
// renounce that right while the trade awaits conveyance (its buyer would
// be refunded, never licensed); once the trade ends it may.
func TestAResellerKeepsTheOperationRightBehindALicenceItSold(t *testing.T) {
	m := newMarket(t)
	operation := m.resale(t, m.Net.Now().Add(365*24*time.Hour))
	m.do(t, buyer, "Order", "T1", resaleListing)
	renounce := func() chaincodetest.Result { return m.Submit(holderOnly, "rights:Renounce", operation.ID) }
	m.do(t, holderOnly, "Accept", "T1")

	m.Refuse(t, ledgererr.Conflict, "", renounce)
	// The holder's holding is not what this licence is sold under.
	m.transfer().MustOK(t)
	m.do(t, buyer, "Cancel", "T1", "changed my mind")
	renounce().MustOK(t)
}

// The promise is tied to both parties' orgs or a majority, as the trade is:
// the seller's org, running chaincode of its own, cannot delete it to free
// its holding, nor can another org's with it short of a majority (here a
// majority is two of three: the seller's and the buyer's, or Anhui's with
// either); a majority without the buyer's org can, the chaincode-level
// trust that ends the trade without it (from interface 17.0.0), as the two
// orgs' endorsement, which every step of the trade has, can.
func TestTheSellersOrgAloneCannotDropAPromise(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	m.do(t, seller, "Accept", "T1")
	key := m.promiseKey(t, "asset-2", "T1")
	drop := func(endorsers ...string) chaincodetest.Result {
		return m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{key: nil}, endorsers...)
	}

	drop(markettest.Shanghai).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	drop(markettest.Shanghai, markettest.Shanghai).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	m.Refuse(t, ledgererr.Conflict, "", m.transfer)
	drop(markettest.Shanghai, markettest.Anhui).MustOK(t)
}

// A move of the holding endorsed before a licence trade's acceptance and
// committed after it read the promise records as they were: Fabric
// invalidates it, so no holding leaves behind a licence accepted meanwhile.
func TestAnAcceptanceMeanwhileFailsTheMove(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	lost := m.endorse(t, seller, nil, "rights:TransferHolding", "asset-2", sellerTwin, "to my twin")
	m.requireLosesTheRace(t, lost, m.Submit(seller, "trades:Accept", "T1"))
	m.Refuse(t, ledgererr.Conflict, "", m.transfer)
}

// A licence trade opened before 13.0.0 has no promise record: its
// acceptance promises nothing and needs its parties' orgs alone, the
// holding still moves, and its buyer keeps the late dispute.
func TestALicenceTradeOpenedBeforePromisesNothing(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	m.forget(t, "T1")
	byParties := func(who, function string, args ...string) {
		t.Helper()
		m.Net.Invoke(m.As(who), chaincodetest.Call{Function: "trades:" + function, Args: args,
			Endorsers: []string{markettest.Shanghai, markettest.Jiangsu}}).MustOK(t)
	}
	byParties(seller, "Accept", "T1")
	m.transfer().MustOK(t)
	byParties(buyer, "Cancel", "T1", "changed my mind")
	assert.Nil(t, m.Net.Ledger().State(m.promiseKey(t, "asset-2", "T1")))
}

// A buyer silent past the end of its licence's term no longer holds the
// seller's holding for ever: while the trade holds it and cannot convey,
// the seller takes it to the exchange after the inspection deadline. The
// seller of a trade opened before 13.0.0, which holds nothing and whose
// conveyance the seller could still make fail, may not.
func TestASellerTakesAPromiseThatCannotConveyToTheExchange(t *testing.T) {
	m := newMarket(t)
	m.strandable(t, sale{seller, "L-short", operator})
	m.Net.Advance(model.TradeInspectionWindow + 25*time.Hour)
	m.Refuse(t, ledgererr.Conflict, "", m.transfer)

	m.do(t, seller, "Dispute", "T1", "the term ended, the buyer is silent")
	m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "refunded")
	m.transfer().MustOK(t)

	old := newMarket(t)
	old.listShortLicence(t, "L-short", old.Net.Now().Add(model.TradeInspectionWindow+24*time.Hour)).MustOK(t)
	old.do(t, buyer, "Order", "T1", "L-short")
	old.forget(t, "T1")
	old.do(t, seller, "Accept", "T1")
	old.doWith(t, buyer, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-T1")
	old.do(t, seller, "Deliver", "T1", markettest.Hash("delivery of T1"))
	old.Net.Advance(model.TradeInspectionWindow + 25*time.Hour)
	old.refuse(t, ledgererr.Conflict, "", seller, "Dispute", "T1", "take it back")
}
