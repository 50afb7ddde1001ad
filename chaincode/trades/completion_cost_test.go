package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// TestACompletionReadsItsOpeningMarkWithTheTrade: Confirm and Resolve's
// COMPLETE read the trade's opening mark in the trade's own request
// (GET_STATE_MULTIPLE with the trade and its completion mark), no longer in
// one of its own: Confirm 22 requests where 16.0.0 made 23, Resolve's
// COMPLETE 26 where it made 27. A step that
// completes nothing reads no opening mark (Resolve's REFUND, Deliver).
func TestACompletionReadsItsOpeningMarkWithTheTrade(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, useListing)
	confirm := m.Submit(buyer, "trades:Confirm", "T1").MustOK(t)
	assert.Contains(t, confirm.Reads, openedMarkKey("T1"))
	assert.Len(t, confirm.Requests, 22, "Confirm's requests: %v", confirm.Requests)

	m.delivered(t, "T2", buyer2, useListing)
	m.do(t, buyer2, "Dispute", "T2", "wrong rows")
	resolve := m.Submit(operator, "trades:Resolve", "T2", model.OutcomeComplete, "the rows are right").MustOK(t)
	assert.Contains(t, resolve.Reads, openedMarkKey("T2"))
	assert.Len(t, resolve.Requests, 26, "Resolve COMPLETE's requests: %v", resolve.Requests)

	m.paid(t, "T3", localBuyer, useListing)
	deliver := m.Submit(seller, "trades:Deliver", "T3", markettest.Hash("rows of T3")).MustOK(t)
	assert.NotContains(t, deliver.Reads, openedMarkKey("T3"))
	m.do(t, localBuyer, "Dispute", "T3", "late rows")
	refund := m.Submit(operator, "trades:Resolve", "T3", model.OutcomeRefund, "late").MustOK(t)
	assert.NotContains(t, refund.Reads, openedMarkKey("T3"))
}
