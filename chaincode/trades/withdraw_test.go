package trades_test

import (
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/trades"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/canonical"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// withdraw submits WithdrawTerms as who, endorsed as the Fabric Gateway
// plans it (the collection's orgs).
func (m *market) withdraw(who, tradeID, round, listingID string) chaincodetest.Result {
	return m.Submit(who, "trades:WithdrawTerms", tradeID, round, listingID)
}

// refuseWithdrawal requires WithdrawTerms as who to be refused with code,
// writing nothing.
func (m *market) refuseWithdrawal(t *testing.T, code ledgererr.Code, who, tradeID, round, listingID string) {
	t.Helper()
	m.Refuse(t, code, "", func() chaincodetest.Result { return m.withdraw(who, tradeID, round, listingID) })
}

// A party takes back the terms it staged and never offered, and only its
// own: another party, a member of a third org and the seller find nothing
// of theirs to withdraw, and a majority of the orgs without the buyer's
// cannot purge them either. Withdrawn, the round is staged again and
// offered as usual.
func TestStagedTermsAreWithdrawnByTheirPartyAlone(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()
	key := termsKey("N1", negListing, 1, buyer)
	staged := m.StageTerms(buyer, "N1", "1", negListing, markettest.Terms("1", "a mistake")).MustOK(t)
	var first model.StagedTerms
	staged.Unmarshal(t, &first)

	// Nobody else's call reaches the buyer's staging.
	for _, who := range []string{buyer2, seller, localBuyer, holderOnly} {
		m.refuseWithdrawal(t, ledgererr.NotFound, who, "N1", "1", negListing)
	}
	m.refuseWithdrawal(t, ledgererr.InvalidArgument, buyer, "N1", "1", "")
	m.refuseWithdrawal(t, ledgererr.NotFound, buyer, "N1", "1", useListing)
	m.refuseWithdrawal(t, ledgererr.NotFound, buyer, "N1", "1", "L-none")
	// The seller's org with a third one, a majority of this channel,
	// running code of their own, cannot purge them: the pair's collection
	// takes writes endorsed by both its orgs.
	r := m.Net.InvokeFunc(m.As(seller), chaincodetest.Call{Endorsers: []string{markettest.Shanghai, markettest.Anhui}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) { return nil, stub.PurgePrivateData(pair, key) })
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	require.NotNil(t, ledger.PrivateData(pair, key))

	// The buyer withdraws them: the pair's collection alone is written,
	// endorsed by both orgs, nothing public, no event.
	publicBefore := publicState(m)
	r = m.withdraw(buyer, "N1", "1", negListing).MustOK(t)
	var withdrawn model.StagedTerms
	r.Unmarshal(t, &withdrawn)
	assert.Equal(t, first, withdrawn, "the round and the hash of what was withdrawn")
	assert.Equal(t, []string{markettest.Jiangsu, markettest.Shanghai}, r.Endorsers)
	assert.Nil(t, r.Event)
	assert.Equal(t, publicBefore, publicState(m))
	assert.Nil(t, ledger.PrivateData(pair, key))
	assert.Nil(t, ledger.PrivateDataHash(pair, key))
	m.refuseWithdrawal(t, ledgererr.NotFound, buyer, "N1", "1", negListing)
	m.refuse(t, ledgererr.NotFound, "", buyer, "Propose", "N1", negListing)

	// Staged again, offered: the offer is the new terms.
	m.StageTerms(buyer, "N1", "1", negListing, markettest.Terms("70000", "")).MustOK(t)
	tr := m.do(t, buyer, "Propose", "N1", negListing)
	assert.Equal(t, canonical.SHA256Hex(ledger.PrivateData(pair, key)), tr.Offers[0].TermsHash)

	// The seller's answer, staged: the buyer (its key), a stranger and
	// the regulator cannot withdraw it; the seller can, and stages again.
	m.StageTerms(seller, "N1", "2", "", markettest.Terms("90000", "")).MustOK(t)
	answer := termsKey("N1", negListing, 2, seller)
	m.refuseWithdrawal(t, ledgererr.NotFound, buyer, "N1", "2", "")
	m.refuseWithdrawal(t, ledgererr.NotFound, buyer2, "N1", "2", "")
	m.refuseWithdrawal(t, ledgererr.Forbidden, regulator, "N1", "2", "")
	m.refuseWithdrawal(t, ledgererr.Forbidden, operator, "N1", "2", "")
	m.refuseWithdrawal(t, ledgererr.InvalidArgument, seller, "N1", "2", useListing)
	m.withdraw(seller, "N1", "2", negListing).MustOK(t)
	assert.Nil(t, ledger.PrivateData(pair, answer))
	m.refuse(t, ledgererr.NotFound, "", seller, "Counter", "N1")
	m.offer(t, seller, markettest.Terms("76000", ""), "Counter", "N1")
	m.do(t, buyer, "AcceptOffer", "N1")
	m.doWith(t, buyer, markettest.Payment("76000"), "RecordPayment", "N1", "BANK-1")
}

// Terms that became an offer are the trade's: neither its party nor
// anyone else withdraws them, round 1 after the trade opened from it
// included, before or after the trade ends; only both parties' RequestPurge
// does, once it has ended. (An order's terms inside one org alike:
// TestAnOrderInsideOneOrgCarriesStagedTerms.)
func TestAnOfferedRoundIsNotWithdrawn(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()
	m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
	m.offer(t, seller, markettest.Terms("76000", ""), "Counter", "N1")
	m.refuseWithdrawal(t, ledgererr.Conflict, buyer, "N1", "1", negListing)
	m.refuseWithdrawal(t, ledgererr.Conflict, seller, "N1", "2", "")
	m.refuseWithdrawal(t, ledgererr.NotFound, seller, "N1", "1", negListing) // the seller's own key: nothing
	m.do(t, buyer, "AcceptOffer", "N1")
	m.do(t, buyer, "Cancel", "N1", "changed plans")
	m.refuseWithdrawal(t, ledgererr.Conflict, buyer, "N1", "1", negListing)
	m.refuseWithdrawal(t, ledgererr.Conflict, seller, "N1", "2", negListing)
	require.Len(t, ledger.PrivateDataKeys(pair), 2)
	m.do(t, buyer, "RequestPurge", "N1")
	m.do(t, seller, "RequestPurge", "N1")
	assert.Empty(t, ledger.PrivateDataKeys(pair))
}

// Staged terms that no trade offered do not stay for good: the buyer
// withdraws round 1 staged for a trade that opened on another listing, or
// that another buyer opened, and a party withdraws the counter-offer it
// staged before the trade ended another way without a purge.
func TestStagedTermsNoTradeOfferedAreWithdrawn(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()

	// The buyer staged for the NEGOTIABLE listing, then ordered on the
	// FIXED one: those terms are no offer of T1.
	m.StageTerms(buyer, "T1", "1", negListing, markettest.Terms("1", "")).MustOK(t)
	m.do(t, buyer, "Order", "T1", useListing)
	m.withdraw(buyer, "T1", "1", negListing).MustOK(t)

	// Another buyer took the trade ID: the first buyer, who may not read
	// that trade, still withdraws its own staging.
	m.StageTerms(buyer2, "N1", "1", negListing, markettest.Terms("2", "")).MustOK(t)
	m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
	markettest.RequireRefused(t, m.Evaluate(buyer2, "trades:Get", "N1"), ledgererr.NotFound, "")
	m.withdraw(buyer2, "N1", "1", negListing).MustOK(t)
	assert.Empty(t, ledger.PrivateDataKeys(trades.TermsCollection(markettest.Anhui, markettest.Shanghai)))

	// The seller staged an answer, then accepted the buyer's offer; the
	// trade completes and nobody asks for a purge.
	m.StageTerms(seller, "N1", "2", "", markettest.Terms("75000", "draft")).MustOK(t)
	m.do(t, seller, "AcceptOffer", "N1")
	m.doWith(t, buyer, markettest.Payment("70000"), "RecordPayment", "N1", "BANK-1")
	m.do(t, seller, "Deliver", "N1", markettest.Hash("delivery"))
	m.do(t, buyer, "Confirm", "N1")
	m.withdraw(seller, "N1", "2", "").MustOK(t)
	assert.Nil(t, ledger.PrivateData(pair, termsKey("N1", negListing, 2, seller)))
	assert.Empty(t, ledger.PrivateDataKeys(pair)[1:], "the offer's terms only")
	// A later purge at both parties' request still purges the offer.
	m.do(t, buyer, "RequestPurge", "N1")
	assert.True(t, m.do(t, seller, "RequestPurge", "N1").TermsPurged)
	assert.Empty(t, ledger.PrivateDataKeys(pair))

	// Inside one org, endorsed by that org alone.
	m.stage(localBuyer, "N2", "1", negListing, markettest.Terms("3", "")).MustOK(t)
	r := m.withdraw(localBuyer, "N2", "1", negListing).MustOK(t)
	assert.Equal(t, []string{markettest.Shanghai}, r.Endorsers)
	assert.Empty(t, ledger.PrivateDataKeys(shanghaiOnly))
}
