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
	assert.Contains(t, accepted.Reads, m.promiseKey(t, "asset-2", ordered), "the move reads every promise record all the same")
	assert.Contains(t, accepted.Reads, m.promiseKey(t, "asset-2", resold))
}
