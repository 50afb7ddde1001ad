package trades_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Each transition sets the deadline of the state it enters and drops the
// one of the state it leaves: an operator's RecordPayment starts the
// delivery window at its own stamp, a late delivery starts the inspection
// at the delivery (not at the missed delivery deadline), and a dispute or
// its resolution carries none, so that no deadline of an earlier state
// decides a later step.
func TestEachTransitionSetsTheDeadlineOfTheStateItEnters(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	m.do(t, seller, "Accept", "T1")
	paid := m.doWith(t, operator, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-T1")
	assert.Equal(t, chaincodetest.ParseTime(t, paid.UpdatedAt).Add(model.TradeDeliveryWindow), chaincodetest.ParseTime(t, paid.DeadlineAt))

	m.Net.Advance(chaincodetest.ParseTime(t, paid.DeadlineAt).Add(3 * 24 * time.Hour).Sub(m.Net.Now()))
	late := m.do(t, seller, "Deliver", "T1", markettest.Hash("late"))
	assert.Equal(t, chaincodetest.ParseTime(t, late.UpdatedAt).Add(model.TradeInspectionWindow), chaincodetest.ParseTime(t, late.DeadlineAt),
		"the inspection starts at the delivery")

	m.Net.Advance(model.TradeInspectionWindow - time.Hour)
	disputed := m.do(t, buyer, "Dispute", "T1", "wrong data")
	assert.Empty(t, disputed.DeadlineAt)
	m.Net.Advance(30 * 24 * time.Hour)
	resolved := m.do(t, operator, "Resolve", "T1", model.OutcomeComplete, "the data is right")
	assert.Equal(t, model.TradeCompleted, resolved.Status)
	assert.Empty(t, resolved.DeadlineAt)

	// A dispute of a PAID trade before its delivery deadline leaves no deadline either: REFUND ends it.
	m.paid(t, "T2", buyer2, useListing)
	assert.Empty(t, m.do(t, seller, "Dispute", "T2", "buyer's bank recalled the payment").DeadlineAt)
	m.Net.Advance(2 * model.TradeDeliveryWindow)
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Cancel", "T2", "undelivered")
	assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", "T2", model.OutcomeRefund, "recalled").Status)
}

// The steps a deadline opens race the steps it closes only through the
// trade's own key: a buyer's Cancel of a PAID trade past its delivery
// deadline and the seller's late Deliver, or a buyer's Confirm and the
// seller's deemed Confirm, endorsed on the same state and ordered into one
// block, do not both commit (Fabric's read-set check invalidates the later).
func TestADeadlinesStepAndItsRivalDoNotCommitInOneBlock(t *testing.T) {
	m := newMarket(t)
	paid := m.paid(t, "T1", buyer, holdingListing)
	m.Net.Advance(chaincodetest.ParseTime(t, paid.DeadlineAt).Add(time.Minute).Sub(m.Net.Now()))
	lost := m.endorse(t, buyer, nil, "trades:Cancel", "T1", "not delivered")
	m.requireLosesTheRace(t, lost, m.Submit(seller, "trades:Deliver", "T1", markettest.Hash("late")))
	m.refuse(t, ledgererr.Conflict, "", buyer, "Cancel", "T1", "not delivered")

	delivered := m.trade(t, "T1")
	m.Net.Advance(chaincodetest.ParseTime(t, delivered.DeadlineAt).Add(time.Minute).Sub(m.Net.Now()))
	lost = m.endorse(t, seller, nil, "trades:Confirm", "T1")
	m.requireLosesTheRace(t, lost, m.Submit(buyer, "trades:Confirm", "T1"))
	m.refuse(t, ledgererr.Conflict, "", seller, "Confirm", "T1")

	m.paid(t, "T2", buyer2, useListing)
	lost = m.endorse(t, seller, nil, "trades:Deliver", "T2", markettest.Hash("data"))
	m.requireLosesTheRace(t, lost, m.Submit(buyer2, "trades:Dispute", "T2", "paid twice"))
}

// A buyer may dispute a delivery until its inspection deadline whatever
// the seller stamped the delivery with: a delivery stamped ahead of the
// peers' clocks (as far as they accept) only moves the deadline later, and
// the buyer disputing a second before the deadline by the peers' clocks is
// taken.
func TestABuyerDisputesUntilTheInspectionDeadlineWhateverTheDeliveryStamp(t *testing.T) {
	m := newMarket(t)
	m.paid(t, "T1", buyer, useListing)
	ahead := m.Net.Now().Add(model.MaxClockLead - time.Second)
	r := m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "trades:Deliver", Args: []string{"T1", markettest.Hash("garbage")}, Timestamp: ahead}).MustOK(t)
	deadline := chaincodetest.ParseTime(t, tradeOf(t, r).DeadlineAt)
	assert.Equal(t, ahead.Add(model.TradeInspectionWindow).Truncate(time.Second), deadline)

	m.Net.Advance(deadline.Add(-10 * time.Second).Sub(m.Net.Now()))
	m.refuse(t, ledgererr.Conflict, "", seller, "Confirm", "T1")
	m.Net.Advance(deadline.Add(-2 * time.Second).Sub(m.Net.Now())) // the peers' clocks read a second after the stamp
	assert.Equal(t, model.TradeDisputed, m.do(t, buyer, "Dispute", "T1", "the data is garbage").Status)
}

// No step of a trade is stamped before its last step: a seller delivering
// a second after the payment and stamping its delivery as far back as the
// peers accept (model.MaxClockSkew) would show it before the payment it
// answers, and start the buyer's inspection six minutes early; a buyer
// disputing the delivery likewise. Refused, naming the stamp, and nothing
// written; a step stamped at the last step's own second is taken.
func TestNoStepOfATradeIsStampedBeforeItsLastStep(t *testing.T) {
	m := newMarket(t)
	paid := m.paid(t, "T1", buyer, useListing)
	back := m.Net.Now().Add(-model.MaxClockSkew + 2*time.Second)
	deliver := chaincodetest.Call{Function: "trades:Deliver", Args: []string{"T1", markettest.Hash("data")}, Timestamp: back}
	m.Refuse(t, ledgererr.InvalidArgument, state.TimestampField, func() chaincodetest.Result { return m.Net.Invoke(m.As(seller), deliver) })
	assert.Equal(t, model.TradePaid, m.trade(t, "T1").Status)

	deliver.Timestamp = chaincodetest.ParseTime(t, paid.UpdatedAt)
	delivered := tradeOf(t, m.Net.Invoke(m.As(seller), deliver).MustOK(t))
	assert.Equal(t, paid.UpdatedAt, delivered.UpdatedAt)

	dispute := chaincodetest.Call{Function: "trades:Dispute", Args: []string{"T1", "garbage"}, Timestamp: m.Net.Now().Add(-model.MaxClockSkew + 2*time.Second)}
	m.Refuse(t, ledgererr.InvalidArgument, state.TimestampField, func() chaincodetest.Result { return m.Net.Invoke(m.As(buyer), dispute) })
	assert.Equal(t, model.TradeDisputed, m.do(t, buyer, "Dispute", "T1", "garbage").Status)
}
