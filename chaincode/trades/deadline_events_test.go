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

// eventDeadline checks the event of a transition of trade id against the
// trade's record as it stands after it: a status with a deadline
// (model.TradeWindow) carries the record's deadlineAt, one without carries
// none. An hour passes before the next step, so a deadline taken from any
// other transition than this one would differ. It counts the event in seen.
func (m *market) eventDeadline(t *testing.T, seen map[string]bool, r chaincodetest.Result, name, id string) {
	t.Helper()
	seen[name] = true
	r.MustOK(t)
	require.NotNil(t, r.Event)
	require.Equal(t, name, r.Event.Name)
	tr := m.trade(t, id)
	p := eventPayload(t, r.Event)
	if model.TradeWindow(tr.Status) > 0 {
		require.NotEmpty(t, tr.DeadlineAt, "%s: %s has a deadline", name, tr.Status)
		assert.Equal(t, tr.DeadlineAt, p["deadlineAt"], "%s: the record's deadline of %s", name, tr.Status)
	} else {
		assert.NotContains(t, p, "deadlineAt", "%s: %s has no deadline", name, tr.Status)
	}
	m.Net.Advance(time.Hour)
}

// Every trade event carries the deadline its transition set on the record,
// so that a party following the event stream knows when its next step is
// due, or the other side's, without reading the trade; a transition into a
// status without a deadline carries none.
func TestEveryTradeEventCarriesTheDeadlineOfItsRecord(t *testing.T) {
	m := newMarket(t)
	seen := map[string]bool{}

	// A FIXED holding sold through a dispute; another order on it is closed.
	m.eventDeadline(t, seen, m.Submit(buyer, "trades:Order", "T1", holdingListing), model.EventTradeOrdered, "T1")
	m.eventDeadline(t, seen, m.Submit(buyer2, "trades:Order", "T2", holdingListing), model.EventTradeOrdered, "T2")
	m.eventDeadline(t, seen, m.Submit(seller, "trades:Accept", "T1"), model.EventTradeAccepted, "T1")
	m.eventDeadline(t, seen, m.SubmitWith(buyer, markettest.Payment("1000000"), "trades:RecordPayment", "T1", "BANK-T1"),
		model.EventTradePaid, "T1")
	m.eventDeadline(t, seen, m.Submit(seller, "trades:Deliver", "T1", markettest.Hash("holding data")), model.EventTradeDelivered, "T1")
	m.eventDeadline(t, seen, m.Submit(buyer, "trades:Dispute", "T1", "sample rows missing"), model.EventTradeDisputed, "T1")
	m.eventDeadline(t, seen, m.Submit(operator, "trades:Resolve", "T1", model.OutcomeComplete, "rows found"), model.EventTradeResolved, "T1")
	m.eventDeadline(t, seen, m.Submit(seller, "trades:CloseOthers", "T1", ""), model.EventTradesClosed, "T1")

	// A negotiation accepted, then cancelled, its terms purged.
	m.eventDeadline(t, seen, m.Offer(t, buyer, markettest.Terms("70000", ""), "trades:Propose", "N1", negListing),
		model.EventTradeProposed, "N1")
	m.eventDeadline(t, seen, m.Offer(t, seller, markettest.Terms("76000", ""), "trades:Counter", "N1"), model.EventTradeCountered, "N1")
	m.eventDeadline(t, seen, m.Submit(buyer, "trades:AcceptOffer", "N1"), model.EventTradeAccepted, "N1")
	m.eventDeadline(t, seen, m.Submit(buyer, "trades:Cancel", "N1", "budget cut"), model.EventTradeCancelled, "N1")
	m.eventDeadline(t, seen, m.Submit(buyer, "trades:RequestPurge", "N1"), model.EventTermsPurgeRequested, "N1")
	m.eventDeadline(t, seen, m.Submit(seller, "trades:RequestPurge", "N1"), model.EventTermsPurged, "N1")

	// A licence confirmed by its buyer, one rejected and one left to lapse.
	m.delivered(t, "U1", buyer, useListing)
	m.eventDeadline(t, seen, m.Submit(buyer, "trades:Confirm", "U1"), model.EventTradeCompleted, "U1")
	m.do(t, buyer2, "Order", "U2", useListing)
	m.eventDeadline(t, seen, m.Submit(seller, "trades:Reject", "U2", "no capacity"), model.EventTradeRejected, "U2")
	lapsing := m.do(t, buyer2, "Order", "U3", useListing)
	m.Net.Advance(chaincodetest.ParseTime(t, lapsing.DeadlineAt).Add(time.Minute).Sub(m.Net.Now()))
	m.eventDeadline(t, seen, m.Submit(operator, "trades:Expire", "U3"), model.EventTradeExpired, "U3")

	for _, e := range model.Events() {
		assert.True(t, e.Contract != model.TradesContract.Name || seen[e.Name], "%s is checked", e.Name)
	}
}
