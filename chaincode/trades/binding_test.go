package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Acceptance binds the seller: its buyer may have paid off chain while its
// RecordPayment is not yet committed, and a seller cancelling first would
// free the holding and leave the buyer no dispute. The seller's Cancel of an
// ACCEPTED trade, fixed or negotiated, is refused and changes nothing; the
// buyer may still cancel before paying, and either party before acceptance.
func TestTheSellerCannotWalkAwayFromAnAcceptedTrade(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, seller, "Accept", "T1")
	m.refuse(t, ledgererr.Forbidden, "", seller, "Cancel", "T1", "a better offer came in")
	assert.Equal(t, model.TradeAccepted, m.trade(t, "T1").Status)
	assert.Equal(t, "T1", m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "the holding stays promised to the buyer")
	paid := m.doWith(t, buyer, markettest.Payment("1000000"), "RecordPayment", "T1", "BANK-1")
	assert.Equal(t, model.TradePaid, paid.Status, "the buyer's payment commits after the seller's attempt")

	m.offer(t, buyer2, markettest.Terms("2000000", ""), "Propose", "N1", holdingNeg)
	m.do(t, seller, "AcceptOffer", "N1")
	m.refuse(t, ledgererr.Forbidden, "", seller, "Cancel", "N1", "a better offer came in")
	assert.Equal(t, "N1", m.GetAsset(t, seller, "asset-3").HoldingLockedBy)
	m.do(t, buyer2, "Cancel", "N1", "budget cut")
	assert.Empty(t, m.GetAsset(t, seller, "asset-3").HoldingLockedBy, "the buyer's cancel frees the holding")

	m.do(t, buyer, "Order", "T2", useListing)
	m.do(t, seller, "Cancel", "T2", "out of stock") // not accepted yet
}

// An accepted trade its buyer does not pay lapses at its deadline, and its
// Expire, which the seller may make, frees the holding for another buyer.
func TestAnUnpaidAcceptedTradeLapsesAndFreesTheHolding(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, buyer2, "Order", "T2", holdingListing)
	accepted := m.do(t, seller, "Accept", "T1")
	m.Net.Advance(chaincodetest.ParseTime(t, accepted.DeadlineAt).Sub(m.Net.Now()))
	m.refuse(t, ledgererr.Conflict, "", seller, "Cancel", "T1", "unpaid") // lapsed: only Expire moves it
	expired := m.do(t, seller, "Expire", "T1")
	assert.Equal(t, model.TradeExpired, expired.Status)
	assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "the lapse frees the holding")
	m.do(t, buyer2, "Expire", "T2") // its own order lapsed too: one open trade per enterprise on a listing
	m.do(t, buyer2, "Order", "T3", holdingListing)
	m.do(t, seller, "Accept", "T3")
}
