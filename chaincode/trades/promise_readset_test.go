package trades_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

// TestAMoveOfTheHoldingReadsNoOtherTradesID: a move of the holding reads
// the asset's promise records as one range, and the member submitting it
// receives the keys of that range in its read set. Those keys named the
// licence trades of the asset: the recipient of a holding offer read the
// IDs of the orders placed on the holder's licence listings, and the holder
// those of a reseller's sales, trades neither may read (trades:Get). The
// moves still read every record (so a promise made meanwhile still fails
// them), under keys that name no trade.
func TestAMoveOfTheHoldingReadsNoOtherTradesID(t *testing.T) {
	const ordered, resold = "ORDERED-ON-THE-HOLDERS-LISTING", "RESOLD-BY-A-LICENSEE"
	m := newMarket(t)
	m.resale(t, m.Net.Now().Add(365*24*time.Hour))
	m.do(t, buyer, "Order", ordered, useListing)
	m.do(t, buyer2, "Order", resold, resaleListing)
	m.do(t, holderOnly, "Accept", resold)

	names := func(r chaincodetest.Result, tradeID string) bool {
		for _, key := range r.Reads {
			if strings.Contains(key, tradeID) {
				return true
			}
		}
		return false
	}
	offer := m.transfer().MustOK(t)
	assert.False(t, names(offer, resold), "the holder reads the ID of the reseller's sale")
	accepted := m.Submit(sellerTwin, "rights:AcceptHolding", "asset-2").MustOK(t)
	assert.False(t, names(accepted, ordered), "the recipient reads the ID of an order on the holder's listing")
	assert.False(t, names(accepted, resold), "the recipient reads the ID of the reseller's sale")
	assert.Contains(t, accepted.Reads, m.promiseKey(t, "asset-2", ordered), "the move reads the holder's promise records all the same")
}

// TestAnOrderOnAnotherSellersListingFailsNoMove: a move reads the promise
// records as a range that Fabric re-reads at validation, so an order placed
// meanwhile on a licence listing of the asset failed it. The range was the
// whole asset's: a buyer ordering again and again on a reseller's listing,
// which the holder cannot delist, kept the holder's holding from moving
// (TransferHolding, AcceptHolding, a trade of the holding), and orders on
// the holder's listings a reseller's Renounce. Each move reads its own
// seller's records alone: what a licence is sold under is its seller's.
func TestAnOrderOnAnotherSellersListingFailsNoMove(t *testing.T) {
	m := newMarket(t)
	operation := m.resale(t, m.Net.Now().Add(365*24*time.Hour))
	m.do(t, buyer, "Order", "T-HOLDER", useListing)
	m.do(t, buyer2, "Order", "T-RESELLER", resaleListing)

	holders, resellers := m.promiseKey(t, "asset-2", "T-HOLDER"), m.promiseKey(t, "asset-2", "T-RESELLER")
	offer := m.transfer().MustOK(t)
	assert.Contains(t, offer.Reads, holders, "the holder's move reads the holder's records")
	assert.NotContains(t, offer.Reads, resellers, "the holder's move reads the reseller's records")
	renounced := m.Submit(holderOnly, "rights:Renounce", operation.ID).MustOK(t)
	assert.Contains(t, renounced.Reads, resellers, "the renunciation reads the reseller's records")
	assert.NotContains(t, renounced.Reads, holders, "the renunciation reads the holder's records")
}
