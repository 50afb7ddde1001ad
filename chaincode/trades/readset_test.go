package trades_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// The trades of other buyers that the steps of TestAPartysStepReadsNoOtherTrade
// run beside: on the same listings, waiting for the same seller.
var othersTrades = []string{"other-hold", "other-use", "other-neg", "other-local"}

// requireReadsNoOtherTrade fails unless step, a party's transaction, read no
// key that names another buyer's trade: a member who signs its own
// transaction receives its read set, so a key read there is one told to it,
// whatever trades:Get would answer it.
func requireReadsNoOtherTrade(t *testing.T, step string, r chaincodetest.Result) {
	t.Helper()
	r.MustOK(t)
	for _, key := range r.Reads {
		for _, segment := range strings.FieldsFunc(key, func(c rune) bool { return c == 0 || c == '/' }) {
			for _, other := range othersTrades {
				assert.NotEqual(t, other, segment, "%s read %q", step, strings.ReplaceAll(key, "\x00", "|"))
			}
		}
	}
}

// TestAPartysStepReadsNoOtherTrade: every step a party takes in a trade, the
// completion of a holding sale too, reads no other buyer's trade on the same
// listings: not the trade, not its index entries, not its market entries.
// (The seller or the exchange closes the trades a sale beat afterwards, with
// trades:CloseOthers.)
// A member signing for itself (client WithSigner) receives what its
// transaction read.
func TestAPartysStepReadsNoOtherTrade(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer2, "Order", "other-hold", holdingListing)
	m.do(t, buyer2, "Order", "other-use", useListing)
	m.offer(t, buyer2, markettest.Terms("71000", "weekly"), "Propose", "other-neg", negListing)
	// Another Shanghai buyer's: localBuyer's enterprise, which proposes S1 below, holds one open trade on a listing.
	m.Join(t, markettest.Shanghai, "sh-other", "buyer", markettest.USCC(6))
	m.StageTerms("sh-other", "other-local", "1", negListing, markettest.Terms("64000", "daily")).MustOK(t)
	m.do(t, "sh-other", "Propose", "other-local", negListing)
	step := func(name string, r chaincodetest.Result) { t.Helper(); requireReadsNoOtherTrade(t, name, r) }

	// A FIXED holding sale, completed while another buyer's order waits.
	step("Order", m.Submit(buyer, "trades:Order", "T1", holdingListing))
	step("Accept", m.Submit(seller, "trades:Accept", "T1"))
	step("RecordPayment", m.SubmitWith(buyer, markettest.Payment("1000000"), "trades:RecordPayment", "T1", "BANK-T1"))
	step("Deliver", m.Submit(seller, "trades:Deliver", "T1", markettest.Hash("delivery of T1")))
	step("Confirm (holding)", m.Submit(buyer, "trades:Confirm", "T1"))

	// FIXED licences: rejected, cancelled, completed.
	step("Order", m.Submit(buyer, "trades:Order", "T2", useListing))
	step("Reject", m.Submit(seller, "trades:Reject", "T2", "no"))
	step("Order", m.Submit(buyer, "trades:Order", "T3", useListing))
	step("Cancel", m.Submit(buyer, "trades:Cancel", "T3", "changed my mind"))
	m.delivered(t, "T4", buyer, useListing)
	step("Confirm (licence)", m.Submit(buyer, "trades:Confirm", "T4"))
	m.delivered(t, "T5", buyer, useListing)
	step("Dispute", m.Submit(buyer, "trades:Dispute", "T5", "late"))

	// A negotiation between two orgs, to its purge.
	step("StageTerms", m.StageTerms(buyer, "N1", "1", negListing, markettest.Terms("70000", "monthly")))
	step("Propose", m.Submit(buyer, "trades:Propose", "N1", negListing))
	step("StageTerms (a later round)", m.StageTerms(seller, "N1", "2", "", markettest.Terms("76000", "monthly; audit")))
	step("Counter", m.Submit(seller, "trades:Counter", "N1"))
	step("AcceptOffer", m.Submit(buyer, "trades:AcceptOffer", "N1"))
	step("RecordPayment (negotiated)", m.SubmitWith(buyer, markettest.Payment("76000"), "trades:RecordPayment", "N1", "BANK-N1"))
	step("Deliver", m.Submit(seller, "trades:Deliver", "N1", markettest.Hash("delivery of N1")))
	step("Confirm (negotiated licence)", m.Submit(buyer, "trades:Confirm", "N1"))
	step("RequestPurge", m.Submit(buyer, "trades:RequestPurge", "N1"))

	// A negotiation inside one org, staged.
	step("StageTerms (one org)", m.StageTerms(localBuyer, "S1", "1", negListing, markettest.Terms("62000", "weekly")))
	step("Propose (staged)", m.Submit(localBuyer, "trades:Propose", "S1", negListing))

	// A lapsed order, expired by its buyer.
	m.do(t, buyer, "Order", "E1", useListing)
	m.Net.Advance(model.TradeResponseWindow + time.Minute)
	step("Expire", m.Submit(buyer, "trades:Expire", "E1"))
}
