package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// endorse has who's peer simulate a call without committing it: the
// proposal a client holds, endorsed against the state of now, before it is
// ordered.
func (m *market) endorse(t *testing.T, who string, transient map[string][]byte, function string, args ...string) chaincodetest.Result {
	t.Helper()
	return m.Net.Invoke(m.As(who), chaincodetest.Call{Function: function, Args: args, Transient: transient, Evaluate: true}).MustOK(t)
}

// requireLosesTheRace is chaincodetest.RequireLosesTheRace on the market's
// ledger.
func (m *market) requireLosesTheRace(t *testing.T, lost, won chaincodetest.Result) {
	t.Helper()
	chaincodetest.RequireLosesTheRace(t, m.Net.Ledger(), lost, won)
}

// Two steps that cannot both hold, endorsed on the same state and ordered
// into one block: the second to be ordered read a key the first wrote, so
// Fabric invalidates it. Two buyers accepting the seller's counter-offers on
// one holding, an order at the price the seller just changed, an acceptance
// on a listing the exchange just delisted, an order from a seller just
// suspended, and two HOLDING listings of one asset.
func TestTwoStepsThatCannotBothHoldDoNotCommitInOneBlock(t *testing.T) {
	m := newMarket(t)

	m.offer(t, buyer, markettest.Terms("1800000", ""), "Propose", "N1", holdingNeg)
	m.offer(t, buyer2, markettest.Terms("1850000", ""), "Propose", "N2", holdingNeg)
	m.offer(t, seller, markettest.Terms("1900000", ""), "Counter", "N1")
	m.offer(t, seller, markettest.Terms("1900000", ""), "Counter", "N2")
	lost := m.endorse(t, buyer, nil, "trades:AcceptOffer", "N1")
	m.requireLosesTheRace(t, lost, m.Submit(buyer2, "trades:AcceptOffer", "N2"))
	m.refuse(t, ledgererr.Conflict, "", buyer, "AcceptOffer", "N1")

	lost = m.endorse(t, buyer, nil, "trades:Order", "T1", useListing)
	m.requireLosesTheRace(t, lost, m.Submit(seller, "listings:UpdatePrice", useListing, "60000", "dearer"))
	assert.EqualValues(t, 60000, m.do(t, buyer, "Order", "T1", useListing).PriceFen, "the order resubmitted takes the new price")

	m.do(t, buyer, "Order", "T2", holdingListing)
	lost = m.endorse(t, seller, nil, "trades:Accept", "T2")
	m.requireLosesTheRace(t, lost, m.Submit(operator, "listings:Delist", holdingListing, "under review"))
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T2")

	h := markettest.Hash("terms document")
	lost = m.endorse(t, seller, nil, "listings:Create", "L-h1", "asset-1", model.RightHolding, "", model.PricingFixed, "900000", h)
	m.requireLosesTheRace(t, lost, m.Submit(seller, "listings:Create", "L-h2", "asset-1", model.RightHolding, "", model.PricingFixed, "950000", h))

	lost = m.endorse(t, buyer2, nil, "trades:Order", "T3", useListing)
	m.requireLosesTheRace(t, lost, m.Net.Submit(m.Admin(markettest.Shanghai), "participants:Suspend", seller, "under investigation"))
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Order", "T3", useListing)
}
