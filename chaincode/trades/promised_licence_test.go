package trades_test

import (
	"testing"
	"time"

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

// Each licence trade holds the holding until it ends, however it ends: two
// of them are counted apart, and a refund or an expiry releases its own.
func TestEveryEndOfALicenceTradeReleasesItsHolding(t *testing.T) {
	m := newMarket(t)
	m.paid(t, "T1", buyer, useListing)
	m.do(t, buyer, "Dispute", "T1", "nothing came")
	m.do(t, buyer2, "Order", "T2", useListing)
	m.do(t, seller, "Accept", "T2")
	transfer := func() chaincodetest.Result {
		return m.Submit(seller, "rights:TransferHolding", "asset-2", sellerTwin, "to my twin")
	}

	m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "not delivered")
	m.Refuse(t, ledgererr.Conflict, "", transfer) // T2 still holds it
	m.Net.Advance(model.TradeResponseWindow + time.Second)
	m.do(t, buyer2, "Expire", "T2")
	transfer().MustOK(t)
}

// A licence trade its buyer left DELIVERED past the inspection, which can no
// longer complete (the buyer's enterprise released, or the licence's term
// ended), held the holding for ever: the seller's deemed acceptance conveys
// nothing then, and nobody could dispute it any more. Its seller now takes it
// to the exchange, whose refund frees the holding; a trade that can still
// complete, the seller confirms, and the buyer disputes nothing late.
func TestASellerTakesALicenceTradeThatCannotCompleteToTheExchange(t *testing.T) {
	for name, strand := range map[string]func(m *market) string{
		"buyer released": func(m *market) string {
			m.delivered(t, "T1", buyer, useListing)
			m.endStanding(t, markettest.Jiangsu, buyer, model.ParticipantReleased)
			return "T1"
		},
		"term ended": func(m *market) string {
			m.listShortLicence(t, "L-short", m.Net.Now().Add(5*24*time.Hour)).MustOK(t)
			m.delivered(t, "T1", buyer2, "L-short")
			return "T1"
		},
	} {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			id := strand(m)
			deadline := chaincodetest.ParseTime(t, m.trade(t, id).DeadlineAt)
			m.Net.Advance(deadline.Add(time.Minute).Sub(m.Net.Now()))
			transfer := func() chaincodetest.Result {
				return m.Submit(seller, "rights:TransferHolding", "asset-2", sellerTwin, "to my twin")
			}
			m.refuse(t, ledgererr.Conflict, "", seller, "Confirm", id)
			m.Refuse(t, ledgererr.Conflict, "", transfer)

			m.do(t, seller, "Dispute", id, "the licence can no longer be conveyed")
			assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", id, model.OutcomeRefund, "refunded").Status)
			transfer().MustOK(t)
		})
	}
}

// Past the inspection, a trade that can still complete is the seller's to
// confirm, not to dispute; nor does the buyer dispute it.
func TestASellerDisputesNoConveyableTradeLate(t *testing.T) {
	m := newMarket(t)
	delivered := m.delivered(t, "T1", buyer2, useListing)
	m.Net.Advance(chaincodetest.ParseTime(t, delivered.DeadlineAt).Add(time.Minute).Sub(m.Net.Now()))
	m.refuse(t, ledgererr.Conflict, "", seller, "Dispute", "T1", "buyer silent")
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Dispute", "T1", "wrong data")
	assert.Equal(t, model.TradeCompleted, m.do(t, seller, "Confirm", "T1").Status)
}
