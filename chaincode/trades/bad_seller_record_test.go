package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// badRecords are bytes a party's org alone may write into its member id's
// participant record (role, its role) that are no participant of that ID.
func badRecords(id, role string) map[string]string {
	return map[string]string{
		"not JSON":         `not a participant`,
		"naming no one":    `{}`,
		"a field mistyped": `{"id":"` + id + `","roles":"` + role + `"}`,
	}
}

// The seller's participant record is its org's alone to write. A sale still
// completes, by the buyer's confirmation or the judge's decision, whatever
// bytes it wrote there: the completion reads the seller only as the one
// whose entitlement the rights register checks, by its ID, and whose
// holding or licence the buyer receives. Failing on such bytes, it let the
// seller's org alone hold a disputed trade, which the buyer had paid for,
// from COMPLETE for good.
func TestTheSellersOrgAloneHoldsNoSaleFromCompletionWithABadRecord(t *testing.T) {
	for name, record := range badRecords(seller, "seller") {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			m.delivered(t, "T1", buyer, holdingListing)
			m.do(t, buyer, "Dispute", "T1", "the delivered file does not match the content hash")
			m.delivered(t, "T2", buyer, useListing)
			m.Net.PutAlone(m.Admin(markettest.Shanghai), chaincodetest.Key("participant", seller), []byte(record)).MustOK(t)
			tr := m.do(t, operator, "Resolve", "T1", model.OutcomeComplete, "the file matches after all")
			assert.Equal(t, model.TradeCompleted, tr.Status)
			assert.Equal(t, buyer, m.GetAsset(t, buyer, "asset-1").HolderID, "the buyer holds what it paid for")
			assert.Equal(t, model.TradeCompleted, m.do(t, buyer, "Confirm", "T2").Status)
		})
	}
}

// Nor does a bad record receive anything: a buyer whose org wrote such
// bytes into its record is not conveyed what it bought (NOT_FOUND, as a
// buyer with no record), and the judge refunds it instead.
func TestABuyerWithABadRecordReceivesNothing(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, holdingListing)
	m.do(t, buyer, "Dispute", "T1", "the delivered file does not match the content hash")
	m.Net.PutAlone(m.Admin(markettest.Jiangsu), chaincodetest.Key("participant", buyer), []byte(`{}`)).MustOK(t)
	m.refuse(t, ledgererr.NotFound, "", operator, "Resolve", "T1", model.OutcomeComplete, "the file matches after all")
	assert.Equal(t, seller, m.GetAsset(t, seller, "asset-1").HolderID)
	assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "it cannot receive").Status)
}
