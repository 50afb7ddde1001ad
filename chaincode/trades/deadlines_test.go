package trades_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// lastStep is the latest entry of a trade's timeline.
func lastStep(tr *model.Trade) model.Step {
	return tr.Timeline[len(tr.Timeline)-1]
}

// A seller who never delivers holds the paid trade, and the holding it
// locked, no longer than model.TradeDeliveryWindow: then its buyer may
// cancel it (the refund is settled off chain), and only then by the
// endorsers' clocks as well as its stamp, so that a buyer stamping ahead
// cuts the delivery short by no second. The seller, the exchange and a
// stranger may not; a seller late but not cancelled may still deliver.
func TestABuyerCancelsAPaidTradeUndeliveredByItsDeadline(t *testing.T) {
	m := newMarket(t)
	paid := m.paid(t, "T1", buyer, holdingListing)
	deadline := chaincodetest.ParseTime(t, paid.DeadlineAt)
	assert.Equal(t, chaincodetest.ParseTime(t, paid.UpdatedAt).Add(model.TradeDeliveryWindow), deadline)
	late := m.paid(t, "T2", buyer2, useListing)

	m.refuse(t, ledgererr.Conflict, "", buyer, "Cancel", "T1", "not delivered yet")
	m.refuse(t, ledgererr.Forbidden, "", seller, "Cancel", "T1", "cannot deliver")

	// At the deadline by the buyer's stamp, thirty seconds before it by the peers' clocks.
	m.Net.Advance(deadline.Sub(m.Net.Now()))
	m.Net.SetPeerClockOffset(-30 * time.Second)
	m.refuse(t, ledgererr.Conflict, "", buyer, "Cancel", "T1", "not delivered")
	m.Net.SetPeerClockOffset(0)

	// Past it by both: still nobody but the buyer.
	m.refuse(t, ledgererr.Forbidden, "", seller, "Cancel", "T1", "cannot deliver")
	m.refuse(t, ledgererr.Forbidden, "", operator, "Cancel", "T1", "the exchange ends it")
	m.refuse(t, ledgererr.NotFound, "", buyer2, "Cancel", "T1", "not mine")
	r := m.Submit(buyer, "trades:Cancel", "T1", "refund requested").MustOK(t)
	tr := tradeOf(t, r)
	assert.Equal(t, model.TradeCancelled, tr.Status)
	assert.Empty(t, tr.DeadlineAt)
	assert.Equal(t, model.Step{State: model.TradeCancelled, By: buyer, At: tr.UpdatedAt, TxID: r.TxID,
		Note: "not delivered by " + paid.DeadlineAt + ": refund requested"}, lastStep(tr))
	assert.Equal(t, model.EventTradeCancelled, r.Event.Name)
	assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "the holding is free again")

	// A late delivery its buyer did not cancel is still taken; then it is inspected, not cancelled.
	m.Net.Advance(chaincodetest.ParseTime(t, late.DeadlineAt).Add(time.Hour).Sub(m.Net.Now()))
	delivered := m.do(t, seller, "Deliver", "T2", markettest.Hash("late delivery"))
	assert.Equal(t, model.TradeDelivered, delivered.Status)
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Cancel", "T2", "too late")
}

// A buyer who neither confirms nor disputes a delivery holds the trade no
// longer than model.TradeInspectionWindow: then the delivery is deemed
// accepted. Its seller may confirm it, conveying as the buyer's
// confirmation does, only once the endorsers' clocks as well as its stamp
// have passed the deadline (a seller stamping ahead cuts the inspection
// short by no second); nobody may dispute it once either has (a party
// stamping behind disputes no later). The exchange and a stranger confirm
// nothing; the buyer still may.
func TestASellerConfirmsADeliveryItsBuyerLeftPastItsInspection(t *testing.T) {
	m := newMarket(t)
	delivered := m.delivered(t, "T1", buyer, holdingListing)
	deadline := chaincodetest.ParseTime(t, delivered.DeadlineAt)
	assert.Equal(t, chaincodetest.ParseTime(t, delivered.UpdatedAt).Add(model.TradeInspectionWindow), deadline)
	m.delivered(t, "T2", buyer2, useListing)

	m.refuse(t, ledgererr.Conflict, "", seller, "Confirm", "T1")

	// At the deadline by the seller's stamp, thirty seconds before it by the peers' clocks.
	m.Net.Advance(deadline.Sub(m.Net.Now()))
	m.Net.SetPeerClockOffset(-30 * time.Second)
	m.refuse(t, ledgererr.Conflict, "", seller, "Confirm", "T1")

	// Thirty seconds before it by the stamps, three minutes after it by the peers' clocks.
	m.Net.Advance(deadline.Add(-30 * time.Second).Sub(m.Net.Now()))
	m.Net.SetPeerClockOffset(3 * time.Minute)
	m.refuse(t, ledgererr.Conflict, "", buyer, "Dispute", "T1", "wrong data")
	m.refuse(t, ledgererr.Conflict, "", seller, "Dispute", "T1", "buyer silent")
	m.Net.SetPeerClockOffset(0)

	// Past it by both.
	m.Net.Advance(deadline.Add(time.Minute).Sub(m.Net.Now()))
	m.refuse(t, ledgererr.Conflict, "", buyer, "Dispute", "T1", "wrong data")
	m.refuse(t, ledgererr.Forbidden, "", operator, "Confirm", "T1")
	m.refuse(t, ledgererr.NotFound, "", buyer2, "Confirm", "T1")
	r := m.Submit(seller, "trades:Confirm", "T1").MustOK(t)
	tr := tradeOf(t, r)
	assert.Equal(t, model.TradeCompleted, tr.Status)
	assert.Empty(t, tr.DeadlineAt)
	assert.Equal(t, model.Step{State: model.TradeCompleted, By: seller, At: tr.UpdatedAt, TxID: r.TxID,
		Note: "deemed accepted: the buyer neither confirmed nor disputed the delivery by " + delivered.DeadlineAt}, lastStep(tr))
	require.NotEmpty(t, tr.RightID)
	assert.Equal(t, model.EventTradeCompleted, r.Event.Name)
	assert.Equal(t, tr.RightID, eventPayload(t, r.Event)["rightId"], "the sale's event, as the buyer's confirmation emits it")
	a := m.GetAsset(t, buyer, "asset-1")
	assert.Equal(t, buyer, a.HolderID, "the holding is conveyed to the buyer")
	assert.Empty(t, a.HoldingLockedBy)

	// The buyer's own confirmation is taken after its inspection deadline too.
	assert.Equal(t, model.TradeCompleted, m.do(t, buyer2, "Confirm", "T2").Status)
}

// A deemed acceptance conveys as the buyer's confirmation does, so to a
// buyer still ACTIVE only (complete): the seller of a suspended buyer's
// trade confirms it once the buyer is reinstated, or takes it to the
// exchange.
func TestADeemedAcceptanceConveysToAnActiveBuyerOnly(t *testing.T) {
	m := newMarket(t)
	delivered := m.delivered(t, "T1", buyer, useListing)
	m.endStanding(t, markettest.Jiangsu, buyer, model.ParticipantSuspended)
	m.Net.Advance(chaincodetest.ParseTime(t, delivered.DeadlineAt).Add(time.Minute).Sub(m.Net.Now()))
	m.refuse(t, ledgererr.Conflict, "", seller, "Confirm", "T1")

	m.Net.Submit(m.Admin(markettest.Jiangsu), "participants:Reinstate", buyer).MustOK(t)
	assert.Equal(t, model.TradeCompleted, m.do(t, seller, "Confirm", "T1").Status)
}
