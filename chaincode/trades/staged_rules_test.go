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

// Terms another buyer staged for a trade ID are no terms of the trade that
// ID opens: they are in the collection of that buyer's org and the
// seller's, under that buyer's name, and the trade's public step reads only
// its own buyer's, in its own orgs' collection.
func TestAnotherBuyersStagingIsNoTermsOfTheTrade(t *testing.T) {
	m := newMarket(t)
	m.StageTerms(buyer2, "N1", "1", negListing, markettest.Terms("1", "")).MustOK(t)
	m.StageTerms(localBuyer, "N1", "1", negListing, markettest.Terms("2", "")).MustOK(t)
	m.Refuse(t, ledgererr.NotFound, "", func() chaincodetest.Result { return m.Submit(buyer, "trades:Propose", "N1", negListing) })
	tr := m.do(t, buyer, "Order", "N1", useListing)
	assert.Empty(t, tr.Offers, "the order carries no other buyer's terms")

	// Once the trade exists, the other buyers' stagings open nothing.
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Propose", "N1", negListing)
	m.refuse(t, ledgererr.Conflict, "", localBuyer, "Propose", "N1", negListing)
}

// A trade ID is never opened again: after an order with terms was rejected
// and its terms purged, round 1 of that ID is neither staged nor ordered
// nor proposed, so no staging made for the first trade, nor a new one,
// becomes the terms of a second.
func TestATradeIDIsNeverReopened(t *testing.T) {
	m := newMarket(t)
	m.offer(t, buyer, markettest.Terms("", "by SFTP"), "Order", "T1", useListing)
	m.do(t, seller, "Reject", "T1", "no")
	m.do(t, buyer, "RequestPurge", "T1")
	m.do(t, seller, "RequestPurge", "T1")
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.StageTerms(buyer, "T1", "1", useListing, markettest.Terms("", "again"))
	})
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.StageTerms(buyer, "T1", "1", negListing, markettest.Terms("1", ""))
	})
	m.refuse(t, ledgererr.Conflict, "", buyer, "Order", "T1", useListing)
	m.refuse(t, ledgererr.Conflict, "", buyer, "Propose", "T1", negListing)
	m.refuse(t, ledgererr.Conflict, "", buyer2, "Order", "T1", useListing)
}

// The key where offers between two orgs were kept before interface 7.0.0,
// (tradeId, round), is read only where the round's staged terms are not:
// a majority of the orgs without the seller's cannot write it at all (the
// pair's collection takes writes endorsed by both orgs), and terms put
// there for a trade of 7.0.0 are not its terms: its acceptance, its
// payment and its terms read what its party staged.
func TestTheFormerKeyDoesNotOverrideStagedTerms(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()
	m.offer(t, buyer, markettest.Terms("70000", "monthly"), "Propose", "N1", negListing)
	planted, err := canonical.JSON(model.Terms{TradeID: "N1", Round: 1, By: buyer, PriceFen: 1, Salt: salt})
	require.NoError(t, err)
	plant := func(endorsers ...string) chaincodetest.Result {
		return m.Net.InvokeFunc(m.As(buyer), chaincodetest.Call{Endorsers: endorsers},
			func(stub shim.ChaincodeStubInterface) ([]byte, error) {
				return nil, stub.PutPrivateData(pair, chaincodetest.Key("trade~terms", "N1", "1"), planted)
			})
	}
	r := plant(markettest.Jiangsu, markettest.Anhui)
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	require.Nil(t, ledger.PrivateData(pair, chaincodetest.Key("trade~terms", "N1", "1")))

	plant(markettest.Jiangsu, markettest.Shanghai).MustOK(t)
	m.do(t, seller, "AcceptOffer", "N1")
	var got model.Terms
	m.termsOn(t, buyer, markettest.Jiangsu, "N1", 1).Unmarshal(t, &got)
	assert.EqualValues(t, 70000, got.PriceFen)
	m.refuseWith(t, ledgererr.InvalidArgument, "amountFen", buyer, markettest.Payment("1"), "RecordPayment", "N1", "BANK-1")
	m.doWith(t, buyer, markettest.Payment("70000"), "RecordPayment", "N1", "BANK-1")
}

// The seller's side of round 1's collection is the org of the listing's
// seller as its participant record names it, as Order and Propose take
// it, never the listing record's sellerMsp: a listing planted with another
// org there (new keys, the record and its seller's index entry, need only
// the chaincode-level policy) sends no
// terms to that org's collection, and the staging it would plan (the
// buyer's and the named org's peers) fails; the terms staged and withdrawn
// are the pair's, and TermsOrgs, which clients endorse both with, answers
// the pair's orgs.
func TestTheListingRecordDoesNotChooseTheTermsOrg(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()
	var l model.Listing
	m.Evaluate(seller, "listings:Get", negListing).Unmarshal(t, &l)
	l.ID, l.SellerMSP = "L-planted", markettest.Anhui
	m.Seed(t, seller, chaincodetest.Key("listing", l.ID), l)
	m.Net.SubmitFunc(m.As(seller), func(stub shim.ChaincodeStubInterface) error { // its seller's index entry, planted too
		return stub.PutState(chaincodetest.Key("listing~seller", seller, l.ID), []byte{0})
	}).MustOK(t)
	named := trades.TermsCollection(markettest.Jiangsu, markettest.Anhui)

	var orgs model.TermsOrgs
	m.Evaluate(buyer, "trades:TermsOrgs", "N1", "1", l.ID).MustOK(t).Unmarshal(t, &orgs)
	assert.Equal(t, model.TermsOrgs{BuyerMSP: markettest.Jiangsu, SellerMSP: markettest.Shanghai}, orgs)

	before := m.Snapshot()
	r := m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:StageTerms", Args: []string{"N1", "1", l.ID},
		Transient: markettest.Terms("70000", ""), Endorsers: []string{markettest.Jiangsu, markettest.Anhui}})
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	m.RequireStateUnchanged(t, before)

	r = m.StageTerms(buyer, "N1", "1", l.ID, markettest.Terms("70000", "")).MustOK(t)
	assert.Equal(t, []string{markettest.Jiangsu, markettest.Shanghai}, r.Endorsers)
	assert.Empty(t, ledger.PrivateDataKeys(named))
	require.NotNil(t, ledger.PrivateData(pair, termsKey("N1", l.ID, 1, buyer)))
	tr := m.do(t, buyer, "Propose", "N1", l.ID)
	assert.Equal(t, markettest.Shanghai, tr.SellerMSP)

	m.StageTerms(buyer, "N2", "1", l.ID, markettest.Terms("71000", "")).MustOK(t)
	m.withdraw(buyer, "N2", "1", l.ID).MustOK(t)
	assert.Nil(t, ledger.PrivateData(pair, termsKey("N2", l.ID, 1, buyer)))
}
