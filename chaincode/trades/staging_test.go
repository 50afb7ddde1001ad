package trades_test

import (
	"strconv"
	"testing"
	"time"

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

// shanghaiOnly is the org-wide collection of the Shanghai buyer's and
// seller's terms.
var shanghaiOnly = trades.TermsCollection(markettest.Shanghai, markettest.Shanghai)

// stage submits StageTerms as who, endorsed by the peers of who's org
// alone, as a client must inside one org.
func (m *market) stage(who, tradeID, round, listingID string, transient map[string][]byte) chaincodetest.Result {
	return m.Net.Invoke(m.As(who), chaincodetest.Call{
		Function: "trades:StageTerms", Args: []string{tradeID, round, listingID}, Transient: transient,
		Endorsers: []string{m.As(who).MSPID},
	})
}

// publicState is the channel's public state, key by key.
func publicState(m *market) map[string]string {
	l := m.Net.Ledger()
	state := map[string]string{}
	for _, k := range l.StateKeys() {
		state[k] = string(l.State(k))
	}
	return state
}

// A buyer and a seller of one org negotiate with terms that no other org's
// peer receives: each round is staged by its party's org alone, then made
// public without terms; the public hashes are the canonical terms' hashes.
func TestNegotiationWithinOneOrg(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()

	// Terms sent with the public step would reach a second org's endorser:
	// the chaincode refuses them, whoever endorses.
	before := m.Snapshot()
	m.refuseWith(t, ledgererr.InvalidArgument, "terms", localBuyer, markettest.Terms("60000", "weekly"), "Propose", "N1", negListing)
	r := m.Net.Invoke(m.As(localBuyer), chaincodetest.Call{Function: "trades:Propose", Args: []string{"N1", negListing},
		Transient: markettest.Terms("60000", "weekly"), Endorsers: []string{markettest.Shanghai, markettest.Jiangsu}})
	markettest.RequireRefused(t, r, ledgererr.InvalidArgument, "terms")
	// Nothing staged, nothing to offer.
	m.refuse(t, ledgererr.NotFound, "", localBuyer, "Propose", "N1", negListing)
	m.RequireUnchanged(t, before)

	// Step 1 of round 1: the buyer's terms go to Shanghai's implicit
	// collection only; nothing public is written.
	publicBefore := publicState(m)
	r = m.stage(localBuyer, "N1", "1", negListing, markettest.Terms("60000", "weekly <refresh> & \"support\"")).MustOK(t)
	var staged model.StagedTerms
	r.Unmarshal(t, &staged)
	want, err := canonical.Hash(model.Terms{TradeID: "N1", Round: 1, By: localBuyer, PriceFen: 60000, Conditions: "weekly <refresh> & \"support\"", Salt: salt})
	require.NoError(t, err)
	assert.Equal(t, model.StagedTerms{TradeID: "N1", Round: 1, TermsHash: want}, staged)
	assert.Equal(t, []string{markettest.Shanghai}, r.Endorsers)
	assert.Nil(t, r.Event, "staging changes nothing public")
	assert.Equal(t, publicBefore, publicState(m), "staging writes no public state")
	stored := ledger.PrivateData(shanghaiOnly, termsKey("N1", negListing, 1, localBuyer))
	require.NotNil(t, stored)
	assert.Equal(t, want, canonical.SHA256Hex(stored))

	// Step 2: the public offer carries the staged terms' hash.
	tr := m.do(t, localBuyer, "Propose", "N1", negListing)
	assert.Equal(t, model.TradeNegotiating, tr.Status)
	require.Len(t, tr.Offers, 1)
	assert.Equal(t, want, tr.Offers[0].TermsHash)
	// Round 1 is public now: it cannot be staged again, nor offered twice.
	markettest.RequireRefused(t, m.stage(localBuyer, "N1", "1", negListing, markettest.Terms("1", "")), ledgererr.Conflict, "")

	// Round 2 is the seller's: the buyer cannot answer its own offer, the
	// round must be the next one, and another member of the org is no party.
	markettest.RequireRefused(t, m.stage(localBuyer, "N1", "2", "", markettest.Terms("61000", "")), ledgererr.Forbidden, "")
	markettest.RequireRefused(t, m.stage(seller, "N1", "3", "", markettest.Terms("58000", "")), ledgererr.Conflict, "")
	markettest.RequireRefused(t, m.stage(sellerTwin, "N1", "2", "", markettest.Terms("58000", "")), ledgererr.NotFound, "")
	m.refuse(t, ledgererr.NotFound, "", seller, "Counter", "N1")
	m.stage(seller, "N1", "2", "", markettest.Terms("9", "typo")).MustOK(t)
	m.stage(seller, "N1", "2", "", markettest.Terms("58000", "two seats")).MustOK(t) // staging again replaces
	tr = m.do(t, seller, "Counter", "N1")
	require.Len(t, tr.Offers, 2)
	m.do(t, localBuyer, "AcceptOffer", "N1")

	// Both parties read the agreed terms on a Shanghai peer, checked
	// against the public hash.
	for _, who := range []string{localBuyer, seller} {
		var agreed model.Terms
		m.termsOn(t, who, markettest.Shanghai, "N1", 2).Unmarshal(t, &agreed)
		assert.Equal(t, model.Terms{TradeID: "N1", Round: 2, By: seller, PriceFen: 58000, Conditions: "two seats", Salt: salt}, agreed)
		h, err := canonical.Hash(agreed)
		require.NoError(t, err)
		assert.Equal(t, tr.Offers[1].TermsHash, h)
	}
	markettest.RequireRefused(t, m.termsOn(t, localBuyer, markettest.Jiangsu, "N1", 2), ledgererr.Forbidden, "")

	// The payment is checked against the agreed price; completion; purge.
	m.refuseWith(t, ledgererr.InvalidArgument, "amountFen", localBuyer, markettest.Payment("60000"), "RecordPayment", "N1", "BANK-1")
	m.doWith(t, localBuyer, markettest.Payment("58000"), "RecordPayment", "N1", "BANK-1")
	m.do(t, seller, "Deliver", "N1", markettest.Hash("delivery"))
	tr = m.do(t, localBuyer, "Confirm", "N1")
	assert.Equal(t, model.TradeCompleted, tr.Status)
	m.do(t, localBuyer, "RequestPurge", "N1")
	m.do(t, seller, "RequestPurge", "N1")
	assert.Nil(t, ledger.PrivateData(shanghaiOnly, termsKey("N1", negListing, 1, localBuyer)))
	assert.Nil(t, ledger.PrivateData(shanghaiOnly, termsKey("N1", negListing, 2, seller)))
}

// Terms are staged between two orgs too, in the pair's collection, endorsed
// by the buyer's and the seller's orgs alone, each party its own round;
// the public steps take none and read only their hash.
func TestStagingBetweenTwoOrgs(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()
	before := m.Snapshot()

	// Terms sent with a public step are refused, whoever endorses; nothing
	// is written.
	m.refuseWith(t, ledgererr.InvalidArgument, "terms", buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
	m.refuseWith(t, ledgererr.InvalidArgument, "terms", buyer, markettest.Terms("", "by SFTP"), "Order", "T1", useListing)
	m.refuseWith(t, ledgererr.InvalidArgument, "terms", localBuyer, markettest.Terms("", "by SFTP"), "Order", "T1", useListing)
	// Nothing staged, nothing to propose: the refusal says to stage.
	r := m.Submit(buyer, "trades:Propose", "N1", negListing)
	markettest.RequireRefused(t, r, ledgererr.NotFound, "")
	assert.Contains(t, r.Message, "StageTerms")

	// Round 1 needs the listing, a buyer who is not its seller, a new trade.
	markettest.RequireRefused(t, m.StageTerms(buyer, "N1", "1", "", markettest.Terms("70000", "")), ledgererr.InvalidArgument, "listingId")
	markettest.RequireRefused(t, m.StageTerms(buyer, "N1", "1", "L-none", markettest.Terms("70000", "")), ledgererr.NotFound, "")
	markettest.RequireRefused(t, m.StageTerms(holderOnly, "N1", "1", negListing, markettest.Terms("70000", "")), ledgererr.Forbidden, "")
	m.RequireUnchanged(t, before)

	// The pair's collection takes the terms only with both orgs' peers
	// endorsing: not the buyer's org alone, nor with a third org's peer
	// instead of the seller's.
	for _, endorsers := range [][]string{{markettest.Jiangsu}, {markettest.Jiangsu, markettest.Anhui}} {
		r := m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:StageTerms", Args: []string{"N1", "1", negListing},
			Transient: markettest.Terms("70000", ""), Endorsers: endorsers})
		require.Error(t, r.Err, "%v", endorsers)
		assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode, "%v", endorsers)
	}
	m.RequireStateUnchanged(t, before)

	r = m.StageTerms(buyer, "N1", "1", negListing, markettest.Terms("70000", "monthly")).MustOK(t)
	assert.Equal(t, []string{markettest.Jiangsu, markettest.Shanghai}, r.Endorsers)
	require.NotNil(t, ledger.PrivateData(pair, termsKey("N1", negListing, 1, buyer)))
	assert.Empty(t, ledger.PrivateDataKeys(trades.TermsCollection(markettest.Jiangsu, markettest.Anhui)), "no third org's collection")

	// The public step runs on a peer of a third org from the hash alone:
	// Anhui's peer holds no terms of the pair.
	r = m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:Propose", Args: []string{"N1", negListing},
		Endorsers: []string{markettest.Anhui, markettest.Shanghai}}).MustOK(t)
	tr := tradeOf(t, r)
	assert.Equal(t, canonical.SHA256Hex(ledger.PrivateData(pair, termsKey("N1", negListing, 1, buyer))), tr.Offers[0].TermsHash)

	// Round 1 of a trade that exists; a later round by a non-party, by the
	// party whose offer it would answer, for another round, on another
	// listing: refused, nothing written.
	before = m.Snapshot()
	markettest.RequireRefused(t, m.StageTerms(buyer2, "N1", "1", negListing, markettest.Terms("75000", "")), ledgererr.Conflict, "")
	markettest.RequireRefused(t, m.StageTerms(buyer2, "N1", "2", "", markettest.Terms("75000", "")), ledgererr.NotFound, "")
	markettest.RequireRefused(t, m.StageTerms(localBuyer, "N1", "2", "", markettest.Terms("75000", "")), ledgererr.NotFound, "")
	markettest.RequireRefused(t, m.StageTerms(buyer, "N1", "2", "", markettest.Terms("75000", "")), ledgererr.Forbidden, "")
	markettest.RequireRefused(t, m.StageTerms(seller, "N1", "3", "", markettest.Terms("75000", "")), ledgererr.Conflict, "")
	markettest.RequireRefused(t, m.StageTerms(seller, "N1", "2", useListing, markettest.Terms("75000", "")), ledgererr.InvalidArgument, "listingId")
	m.refuseWith(t, ledgererr.InvalidArgument, "terms", seller, markettest.Terms("75000", ""), "Counter", "N1")
	r = m.Submit(seller, "trades:Counter", "N1")
	markettest.RequireRefused(t, r, ledgererr.NotFound, "")
	assert.Contains(t, r.Message, "StageTerms")
	m.RequireUnchanged(t, before)

	// The seller stages its answer and counters on a peer of a third org
	// too; the buyer accepts it there.
	m.StageTerms(seller, "N1", "2", negListing, markettest.Terms("76000", "monthly; audit")).MustOK(t)
	third := []string{markettest.Anhui, markettest.Jiangsu, markettest.Shanghai}
	m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "trades:Counter", Args: []string{"N1"}, Endorsers: third}).MustOK(t)
	m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:AcceptOffer", Args: []string{"N1"}, Endorsers: third}).MustOK(t)
	m.refuseWith(t, ledgererr.InvalidArgument, "amountFen", buyer, markettest.Payment("70000"), "RecordPayment", "N1", "BANK-1")
	m.doWith(t, buyer, markettest.Payment("76000"), "RecordPayment", "N1", "BANK-1")
}

// A buyer who lists and buys does not stage round 1 of a trade on its own
// listing: it could not buy from it.
func TestNoStagingOnTheCallersOwnListing(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Jiangsu, "js-trader", "buyer,holder", markettest.USCC(11))
	m.RegisterAsset(t, "js-trader", foreignOp, "asset-js", "finance", "jiangsu")
	m.Submit("js-trader", "listings:Create", "L-js", "asset-js", "USE", useScope, "NEGOTIABLE", "80000", markettest.Hash("t")).MustOK(t)
	m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
		return m.StageTerms("js-trader", "N1", "1", "L-js", markettest.Terms("70000", ""))
	})
	m.offer(t, "js-trader", markettest.Terms("70000", ""), "Propose", "N1", negListing)
}

// moveTerms moves the terms at key from to key to of collection, endorsed
// by the peers of the orgs given, as where an older version kept them.
func (m *market) moveTerms(t *testing.T, collection, from, to string, endorsers ...string) {
	t.Helper()
	b := m.Net.Ledger().PrivateData(collection, from)
	require.NotNil(t, b)
	m.Net.InvokeFunc(m.As(seller), chaincodetest.Call{Endorsers: endorsers},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			if err := stub.DelPrivateData(collection, from); err != nil {
				return nil, err
			}
			return nil, stub.PutPrivateData(collection, to, b)
		}).MustOK(t)
	require.Nil(t, m.Net.Ledger().PrivateData(collection, from))
}

// An offer recorded before interface 7.0.0 between two orgs kept its terms
// under (tradeId, round) in the pair's collection, where the public step
// wrote them: it is still accepted, paid at its price, read and purged.
func TestAnOfferRecordedBefore7StillHoldsItsTerms(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()
	// moveToOldKey puts round's terms where 6.x kept them, as both orgs'
	// peers would have (the trade's public record is what 6.x wrote: its
	// hash is of the same bytes).
	moveToOldKey := func(round int, by string) {
		t.Helper()
		m.moveTerms(t, pair, termsKey("N1", negListing, round, by), chaincodetest.Key("trade~terms", "N1", strconv.Itoa(round)),
			markettest.Jiangsu, markettest.Shanghai)
	}
	m.offer(t, buyer, markettest.Terms("70000", "monthly"), "Propose", "N1", negListing)
	moveToOldKey(1, buyer)
	m.offer(t, seller, markettest.Terms("76000", "monthly; audit"), "Counter", "N1")
	moveToOldKey(2, seller)

	m.do(t, buyer, "AcceptOffer", "N1")
	var got model.Terms
	m.termsOn(t, buyer, markettest.Jiangsu, "N1", 1).Unmarshal(t, &got)
	assert.EqualValues(t, 70000, got.PriceFen)
	m.termsOn(t, seller, markettest.Shanghai, "N1", 2).Unmarshal(t, &got)
	assert.EqualValues(t, 76000, got.PriceFen)
	m.refuseWith(t, ledgererr.InvalidArgument, "amountFen", buyer, markettest.Payment("70000"), "RecordPayment", "N1", "BANK-1")
	m.doWith(t, buyer, markettest.Payment("76000"), "RecordPayment", "N1", "BANK-1")
	m.do(t, seller, "Deliver", "N1", markettest.Hash("delivery"))
	m.do(t, buyer, "Confirm", "N1")
	m.do(t, buyer, "RequestPurge", "N1")
	require.NotEmpty(t, ledger.PrivateDataKeys(pair))
	m.do(t, seller, "RequestPurge", "N1")
	assert.Empty(t, ledger.PrivateDataKeys(pair), "the old keys are purged")
}

// An order inside one org may carry staged terms too, its conditions,
// which are then the order's: its buyer no longer withdraws them.
func TestAnOrderInsideOneOrgCarriesStagedTerms(t *testing.T) {
	m := newMarket(t)
	m.stage(localBuyer, "T1", "1", useListing, markettest.Terms("", "by SFTP")).MustOK(t)
	tr := m.do(t, localBuyer, "Order", "T1", useListing)
	require.Len(t, tr.Offers, 1)
	m.refuse(t, ledgererr.Conflict, "", localBuyer, "WithdrawTerms", "T1", "1", useListing)
	m.do(t, seller, "Accept", "T1")
	var got model.Terms
	m.termsOn(t, seller, markettest.Shanghai, "T1", 1).Unmarshal(t, &got)
	assert.Equal(t, "by SFTP", got.Conditions)
}

// A purge leaves no terms of the trade behind: a counter-offer its party
// staged but never made public (the seller accepted the buyer's offer
// instead) goes with the offered rounds, though no round of the public
// record names it; between two orgs too.
func TestAPurgeTakesAStagedDraftToo(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()
	m.offer(t, buyer, markettest.Terms("60000", ""), "Propose", "P1", negListing)
	m.StageTerms(seller, "P1", "2", "", markettest.Terms("75000", "two seats")).MustOK(t)
	m.do(t, seller, "AcceptOffer", "P1")
	m.do(t, buyer, "Cancel", "P1", "budget cut")
	m.do(t, buyer, "RequestPurge", "P1")
	m.do(t, seller, "RequestPurge", "P1")
	assert.Empty(t, ledger.PrivateDataKeys(pair), "the staged draft between two orgs")

	m.stage(localBuyer, "N1", "1", negListing, markettest.Terms("60000", "")).MustOK(t)
	m.do(t, localBuyer, "Propose", "N1", negListing)
	m.stage(seller, "N1", "2", "", markettest.Terms("75000", "two seats")).MustOK(t)
	m.do(t, seller, "AcceptOffer", "N1")
	m.do(t, localBuyer, "Cancel", "N1", "budget cut")
	require.NotNil(t, ledger.PrivateData(shanghaiOnly, termsKey("N1", negListing, 2, seller)))

	m.do(t, localBuyer, "RequestPurge", "N1")
	tr := m.do(t, seller, "RequestPurge", "N1")
	assert.True(t, tr.TermsPurged)
	assert.Nil(t, ledger.PrivateData(shanghaiOnly, termsKey("N1", negListing, 1, localBuyer)))
	assert.Nil(t, ledger.PrivateData(shanghaiOnly, termsKey("N1", negListing, 2, seller)), "the staged draft")
}

// Terms staged for round 1 open the trade on the listing they were staged
// for only: another listing of a seller of the same org shares the
// collection, and the public step, which reads only the hash, cannot tell
// priced terms from an order's. A FIXED order finds no terms staged with a
// price for a NEGOTIABLE listing (it carries none), and a proposal finds
// no priceless terms staged for a FIXED listing (it is refused).
func TestStagedTermsOpenOnlyTheirListing(t *testing.T) {
	m := newMarket(t)
	m.StageTerms(buyer, "T1", "1", negListing, markettest.Terms("1", "one fen")).MustOK(t)
	tr := m.do(t, buyer, "Order", "T1", useListing)
	assert.Empty(t, tr.Offers, "the order carries no terms with a price")
	markettest.RequireRefused(t, m.termsOn(t, buyer, markettest.Jiangsu, "T1", 1), ledgererr.NotFound, "")

	m.StageTerms(buyer, "N1", "1", useListing, markettest.Terms("", "no price")).MustOK(t)
	before := m.Snapshot()
	r := m.Submit(buyer, "trades:Propose", "N1", negListing)
	markettest.RequireRefused(t, r, ledgererr.NotFound, "")
	assert.Contains(t, r.Message, "StageTerms")
	m.RequireUnchanged(t, before)

	// Inside one org alike.
	m.stage(localBuyer, "N2", "1", useListing, markettest.Terms("", "no price")).MustOK(t)
	markettest.RequireRefused(t, m.Submit(localBuyer, "trades:Propose", "N2", negListing), ledgererr.NotFound, "")
}

// An offer a buyer and a seller of one org made before interface 7.0.0
// kept round 1 under (tradeId, 1, buyer), which named no listing: it is
// still accepted, read, checked against a payment and purged there.
func TestAnOfferInsideOneOrgBefore7StillHoldsItsTerms(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()
	m.stage(localBuyer, "N1", "1", negListing, markettest.Terms("70000", "monthly")).MustOK(t)
	m.do(t, localBuyer, "Propose", "N1", negListing)
	m.moveTerms(t, shanghaiOnly, termsKey("N1", negListing, 1, localBuyer), chaincodetest.Key("trade~terms", "N1", "1", localBuyer),
		markettest.Shanghai)

	m.do(t, seller, "AcceptOffer", "N1")
	var got model.Terms
	m.termsOn(t, seller, markettest.Shanghai, "N1", 1).Unmarshal(t, &got)
	assert.EqualValues(t, 70000, got.PriceFen)
	m.refuseWith(t, ledgererr.InvalidArgument, "amountFen", localBuyer, markettest.Payment("60000"), "RecordPayment", "N1", "BANK-1")
	m.Net.Advance(model.TradeWindow(model.TradeAccepted) + time.Second)
	m.do(t, seller, "Expire", "N1")
	m.do(t, localBuyer, "RequestPurge", "N1")
	m.do(t, seller, "RequestPurge", "N1")
	assert.Empty(t, ledger.PrivateDataKeys(shanghaiOnly), "the old key is purged")
}
