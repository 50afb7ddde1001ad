package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A holder who sold a licence from its holding, was paid and delivered,
// gave the holding to another member of its own enterprise: its buyer could
// then confirm nothing (the seller no longer held the asset), and once the
// inspection ended neither party could move the trade again. The holding
// now stays with the seller until the licence trade ends.
func TestAHolderKeepsTheHoldingBehindALicenceItSold(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, useListing)

	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.Submit(seller, "rights:TransferHolding", "asset-2", sellerTwin, "to my twin")
	})
	// Nor does a HOLDING trade take it meanwhile.
	m.Submit(seller, "listings:Create", "L-h2", "asset-2", "HOLDING", "", "FIXED", "900000", markettest.Hash("t")).MustOK(t)
	m.do(t, buyer2, "Order", "T2", "L-h2")
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T2")

	m.do(t, buyer, "Confirm", "T1")
	assert.Equal(t, model.TradeCompleted, m.trade(t, "T1").Status)
	m.Submit(seller, "rights:TransferHolding", "asset-2", sellerTwin, "to my twin").MustOK(t)
}

// An offer of the holding made before the licence was sold is not accepted
// while the licence awaits conveyance; the buyer's cancellation frees it.
func TestAnOfferedHoldingWaitsForTheLicenceTrade(t *testing.T) {
	m := newMarket(t)
	m.Submit(seller, "rights:TransferHolding", "asset-2", sellerTwin, "to my twin").MustOK(t)
	m.do(t, buyer, "Order", "T1", useListing)
	m.do(t, seller, "Accept", "T1")

	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.Submit(sellerTwin, "rights:AcceptHolding", "asset-2")
	})
	m.do(t, buyer, "Cancel", "T1", "changed my mind")
	m.Submit(sellerTwin, "rights:AcceptHolding", "asset-2").MustOK(t)
}
