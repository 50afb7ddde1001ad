package trades_test

import (
	"testing"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A trade lapses when the endorsers' clocks pass its deadline, not when the
// party who profits stamps it: a party stamping its Expire up to
// model.MaxClockLead ahead would cut the other's last step short, and one
// stamping its step up to model.MaxClockSkew behind would take a step after
// the trade lapsed.
func TestATradeLapsesByTheEndorsersClocks(t *testing.T) {
	m := newMarket(t)
	tr := m.do(t, buyer, "Order", "T1", useListing)
	deadline := chaincodetest.ParseTime(t, tr.DeadlineAt)

	// Thirty seconds before the deadline, the buyer stamps its Expire at it.
	m.Net.Advance(deadline.Sub(m.Net.Now()))
	m.Net.SetPeerClockOffset(-30 * time.Second)
	m.refuse(t, ledgererr.Conflict, "", buyer, "Expire", "T1")

	// Three minutes after it, the seller stamps its acceptance a second before it.
	m.Net.Advance(deadline.Add(-time.Second).Sub(m.Net.Now()))
	m.Net.SetPeerClockOffset(3 * time.Minute)
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T1")

	m.Net.SetPeerClockOffset(0)
	m.Net.Advance(time.Minute)
	m.do(t, buyer, "Expire", "T1")
}
