package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// A party's participant record is its org's alone to write, bytes that are
// no record included. The judge of a dispute still decides it: the buyer's
// org alone, writing such bytes into its disputing buyer's record, held the
// paid trade, and the seller's holding it locks, DISPUTED for good.
func TestTheBuyersOrgAloneHoldsNoDisputeWithABadRecord(t *testing.T) {
	for name, record := range markettest.BadRecords(buyer, "buyer") {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			m.disputed(t, "T1", buyer, holdingListing)
			m.PutBadRecord(t, markettest.Jiangsu, buyer, record)
			tr := m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "hash mismatch confirmed")
			assert.Equal(t, model.TradeCancelled, tr.Status)
			assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "the refund frees the seller's holding")
		})
	}
}
