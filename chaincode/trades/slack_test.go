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

// Every step a party takes in a waiting trade, not only the seller's
// acceptance above, is refused once the endorsers' clocks have passed the
// trade's deadline, though the party stamps it before: a seller rejecting
// or countering late, a buyer paying for or accepting a counter-offer after
// the seller could have let it lapse, either cancelling a trade the other
// may expire. Each would otherwise be a step inside a window it was not in.
func TestNoStepStampedBehindADeadlineThePeersPassed(t *testing.T) {
	m := newMarket(t)
	// A1 is accepted before O1 is ordered: the buyer's enterprise holds one open order on a listing at a time.
	m.do(t, buyer, "Order", "A1", useListing)
	first := m.do(t, seller, "Accept", "A1")
	m.do(t, buyer, "Order", "O1", useListing)
	m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
	m.offer(t, buyer, markettest.Terms("1800000", ""), "Propose", "N2", holdingNeg)
	m.offer(t, seller, markettest.Terms("1900000", ""), "Counter", "N2")
	m.StageTerms(seller, "N1", "2", "", markettest.Terms("72000", "")).MustOK(t)
	m.StageTerms(buyer, "N2", "3", "", markettest.Terms("1850000", "")).MustOK(t)

	// Half a minute before the first deadline by the stamps, three minutes
	// after the last by the peers' clocks.
	m.Net.Advance(chaincodetest.ParseTime(t, first.DeadlineAt).Add(-30 * time.Second).Sub(m.Net.Now()))
	m.Net.SetPeerClockOffset(3 * time.Minute)
	m.refuse(t, ledgererr.Conflict, "", seller, "Reject", "O1", "too late")
	m.refuse(t, ledgererr.Conflict, "", buyer, "Cancel", "O1", "too late")
	m.refuseWith(t, ledgererr.Conflict, "", buyer, markettest.Payment("50000"), "RecordPayment", "A1", "BANK-A1")
	m.refuse(t, ledgererr.Conflict, "", seller, "Cancel", "A1", "too late")
	m.refuse(t, ledgererr.Conflict, "", seller, "Counter", "N1")
	m.refuse(t, ledgererr.Conflict, "", seller, "AcceptOffer", "N1")
	m.refuse(t, ledgererr.Conflict, "", buyer, "AcceptOffer", "N2")
	m.refuse(t, ledgererr.Conflict, "", buyer, "Counter", "N2")
	assert.Empty(t, m.GetAsset(t, seller, "asset-3").HoldingLockedBy, "no late acceptance locked the holding")

	m.Net.SetPeerClockOffset(0)
	m.Net.Advance(5 * time.Minute)
	for _, id := range []string{"O1", "A1", "N1", "N2"} {
		assert.Equal(t, model.TradeExpired, m.do(t, buyer, "Expire", id).Status)
	}
}

// A licence whose term the endorsers' clocks have passed is not listed,
// ordered, accepted or conveyed by a party stamping before its end
// (rights' ended: the stamp or the peer's clock), as
// TestALicenceWhoseTermEndedIsNotSold has it once both passed.
func TestALicenceEndedByThePeersClocksIsNotSoldWhateverTheStamp(t *testing.T) {
	m := newMarket(t)
	until := m.Net.Now().Add(time.Hour).UTC().Truncate(time.Second)
	m.listShortLicence(t, "L-short", until).MustOK(t)
	m.do(t, buyer, "Order", "T1", "L-short")
	m.delivered(t, "T2", buyer2, "L-short")

	// A minute before the end by the stamps, a minute after it by the peers.
	m.Net.Advance(until.Add(-time.Minute).Sub(m.Net.Now()))
	m.Net.SetPeerClockOffset(2 * time.Minute)
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result { return m.listShortLicence(t, "L-late", until) })
	m.refuse(t, ledgererr.Conflict, "", localBuyer, "Order", "T3", "L-short")
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "T1")
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Confirm", "T2")
	m.Net.SetPeerClockOffset(0)
}
