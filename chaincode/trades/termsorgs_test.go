package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/trades"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// anhuiPair is the collection of the Anhui buyer's and the seller's terms.
var anhuiPair = trades.TermsCollection(markettest.Anhui, markettest.Shanghai)

// termsOrgs evaluates trades:TermsOrgs as who.
func (m *market) termsOrgs(who, tradeID, round, listingID string) chaincodetest.Result {
	return m.Evaluate(who, "trades:TermsOrgs", tradeID, round, listingID)
}

// orgsOf requires trades:TermsOrgs as who to answer, and returns the answer.
func (m *market) orgsOf(t *testing.T, who, tradeID, round, listingID string) model.TermsOrgs {
	t.Helper()
	var o model.TermsOrgs
	m.termsOrgs(who, tradeID, round, listingID).MustOK(t).Unmarshal(t, &o)
	return o
}

// refusal is the ledger error of a refused call.
func refusal(t *testing.T, r chaincodetest.Result) *ledgererr.Error {
	t.Helper()
	require.Error(t, r.Err)
	e, ok := ledgererr.Parse(r.Err.Error())
	require.True(t, ok, "error carries no code: %v", r.Err)
	return e
}

// TermsOrgs answers the orgs StageTerms endorses and writes the terms for:
// round 1 the caller's org and the seller's (the pair, or one org twice
// inside one), a later round the trade's, whichever party asks; the terms
// staged with those orgs alone as endorsers land in their collection.
func TestTermsOrgsAreTheOrgsOfTheStaging(t *testing.T) {
	m := newMarket(t)
	assert.Equal(t, model.TermsOrgs{BuyerMSP: markettest.Jiangsu, SellerMSP: markettest.Shanghai}, m.orgsOf(t, buyer, "N1", "1", negListing))
	assert.Equal(t, model.TermsOrgs{BuyerMSP: markettest.Shanghai, SellerMSP: markettest.Shanghai}, m.orgsOf(t, localBuyer, "N9", "1", negListing))
	assert.Equal(t, model.TermsOrgs{BuyerMSP: markettest.Anhui, SellerMSP: markettest.Shanghai}, m.orgsOf(t, buyer2, "N1", "1", negListing),
		"round 1 is the caller's, whoever else staged for that trade ID")

	o := m.orgsOf(t, buyer, "N1", "1", negListing)
	r := m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:StageTerms", Args: []string{"N1", "1", negListing},
		Transient: markettest.Terms("70000", ""), Endorsers: []string{o.BuyerMSP, o.SellerMSP}}).MustOK(t)
	assert.Equal(t, []string{markettest.Jiangsu, markettest.Shanghai}, r.Endorsers)
	require.NotNil(t, m.Net.Ledger().PrivateData(pair, termsKey("N1", negListing, 1, buyer)))
	m.do(t, buyer, "Propose", "N1", negListing)

	// Round 2 is the trade's, for either party, the listing empty or the
	// trade's.
	for _, who := range []string{buyer, seller} {
		assert.Equal(t, model.TermsOrgs{BuyerMSP: markettest.Jiangsu, SellerMSP: markettest.Shanghai}, m.orgsOf(t, who, "N1", "2", ""))
		assert.Equal(t, model.TermsOrgs{BuyerMSP: markettest.Jiangsu, SellerMSP: markettest.Shanghai}, m.orgsOf(t, who, "N1", "2", negListing))
	}
}

// TermsOrgs refuses, with StageTerms' own code and words, what the orgs'
// computation both StageTerms and WithdrawTerms run refuses: a member of a
// third org (or the seller's own) who is no party of the trade, an operator
// who may read the trade and is no party of it, the regulator, an unknown listing or trade, another listing named for a
// later round, a bad round or a missing listing for round 1. It writes
// nothing and reveals nothing StageTerms' simulation would not.
func TestTermsOrgsRefusesWhatStageTermsRefuses(t *testing.T) {
	m := newMarket(t)
	m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
	for _, c := range []struct {
		name, who, tradeID, round, listingID string
		code                                 ledgererr.Code
	}{
		{"a member of a third org", buyer2, "N1", "2", "", ledgererr.NotFound},
		{"a member of the seller's org", localBuyer, "N1", "2", "", ledgererr.NotFound},
		{"an operator of the trade's region, who reads it", operator, "N1", "2", "", ledgererr.Forbidden},
		{"the regulator", regulator, "N1", "2", "", ledgererr.Forbidden},
		{"an unknown trade", seller, "N404", "2", "", ledgererr.NotFound},
		{"an unknown listing", buyer, "N2", "1", "L-404", ledgererr.NotFound},
		{"another listing for a later round", seller, "N1", "2", useListing, ledgererr.InvalidArgument},
		{"round 1 without its listing", buyer, "N2", "1", "", ledgererr.InvalidArgument},
		{"round 0", buyer, "N2", "0", negListing, ledgererr.InvalidArgument},
		{"a round past the last", seller, "N1", "1000", "", ledgererr.InvalidArgument},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := m.Snapshot()
			got := refusal(t, m.termsOrgs(c.who, c.tradeID, c.round, c.listingID))
			assert.Equal(t, c.code, got.Code, "%v", got)
			staged := refusal(t, m.StageTerms(c.who, c.tradeID, c.round, c.listingID, markettest.Terms("71000", "")))
			assert.Equal(t, staged, got, "StageTerms refuses the same, in the same words")
			m.RequireUnchanged(t, before)
		})
	}
}

// Where the staging alone is refused and the withdrawal is not (round 1 of
// a trade ID that now opens another trade, a counter-offer staged on a
// trade that then ended), TermsOrgs answers the orgs WithdrawTerms purges
// from, so that a client endorses the withdrawal with them.
func TestTermsOrgsAnswerTheWithdrawalStagingNoLongerTakes(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()
	m.StageTerms(buyer2, "N1", "1", negListing, markettest.Terms("1", "")).MustOK(t)
	m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
	m.StageTerms(seller, "N1", "2", "", markettest.Terms("75000", "")).MustOK(t)
	m.do(t, buyer, "Cancel", "N1", "changed plans")

	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.StageTerms(buyer2, "N1", "1", negListing, markettest.Terms("1", ""))
	})
	for _, c := range []struct{ who, round, listingID, buyerMSP string }{
		{buyer2, "1", negListing, markettest.Anhui},
		{seller, "2", "", markettest.Jiangsu},
	} {
		o := m.orgsOf(t, c.who, "N1", c.round, c.listingID)
		assert.Equal(t, model.TermsOrgs{BuyerMSP: c.buyerMSP, SellerMSP: markettest.Shanghai}, o)
		r := m.Net.Invoke(m.As(c.who), chaincodetest.Call{Function: "trades:WithdrawTerms", Args: []string{"N1", c.round, c.listingID},
			Endorsers: []string{o.BuyerMSP, o.SellerMSP}}).MustOK(t)
		assert.Equal(t, []string{o.BuyerMSP, o.SellerMSP}, r.Endorsers)
	}
	assert.Empty(t, ledger.PrivateDataKeys(anhuiPair))
}
