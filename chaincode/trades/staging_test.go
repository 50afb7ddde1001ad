package trades_test

import (
	"testing"

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
// alone, as a client must.
func (m *market) stage(who, tradeID, round string, transient map[string][]byte) chaincodetest.Result {
	return m.Net.Invoke(m.As(who), chaincodetest.Call{
		Function: "trades:StageTerms", Args: []string{tradeID, round}, Transient: transient,
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

// stagedKey is the private key of terms staged inside one org.
func stagedKey(tradeID, round, by string) string {
	return chaincodetest.Key("trade~terms", tradeID, round, by)
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
	r = m.stage(localBuyer, "N1", "1", markettest.Terms("60000", "weekly <refresh> & \"support\"")).MustOK(t)
	var staged model.StagedTerms
	r.Unmarshal(t, &staged)
	want, err := canonical.Hash(model.Terms{TradeID: "N1", Round: 1, By: localBuyer, PriceFen: 60000, Conditions: "weekly <refresh> & \"support\"", Salt: salt})
	require.NoError(t, err)
	assert.Equal(t, model.StagedTerms{TradeID: "N1", Round: 1, TermsHash: want}, staged)
	assert.Equal(t, []string{markettest.Shanghai}, r.Endorsers)
	assert.Nil(t, r.Event, "staging changes nothing public")
	assert.Equal(t, publicBefore, publicState(m), "staging writes no public state")
	stored := ledger.PrivateData(shanghaiOnly, stagedKey("N1", "1", localBuyer))
	require.NotNil(t, stored)
	assert.Equal(t, want, canonical.SHA256Hex(stored))

	// Step 2: the public offer carries the staged terms' hash.
	tr := m.do(t, localBuyer, "Propose", "N1", negListing)
	assert.Equal(t, model.TradeNegotiating, tr.Status)
	require.Len(t, tr.Offers, 1)
	assert.Equal(t, want, tr.Offers[0].TermsHash)
	// Round 1 is public now: it cannot be staged again, nor offered twice.
	markettest.RequireRefused(t, m.stage(localBuyer, "N1", "1", markettest.Terms("1", "")), ledgererr.Conflict, "")

	// Round 2 is the seller's: the buyer cannot answer its own offer, the
	// round must be the next one, and another member of the org is no party.
	markettest.RequireRefused(t, m.stage(localBuyer, "N1", "2", markettest.Terms("61000", "")), ledgererr.Forbidden, "")
	markettest.RequireRefused(t, m.stage(seller, "N1", "3", markettest.Terms("58000", "")), ledgererr.Conflict, "")
	markettest.RequireRefused(t, m.stage(sellerTwin, "N1", "2", markettest.Terms("58000", "")), ledgererr.Forbidden, "")
	m.refuse(t, ledgererr.NotFound, "", seller, "Counter", "N1")
	m.stage(seller, "N1", "2", markettest.Terms("9", "typo")).MustOK(t)
	m.stage(seller, "N1", "2", markettest.Terms("58000", "two seats")).MustOK(t) // staging again replaces
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
	assert.Nil(t, ledger.PrivateData(shanghaiOnly, stagedKey("N1", "1", localBuyer)))
	assert.Nil(t, ledger.PrivateData(shanghaiOnly, stagedKey("N1", "2", seller)))
}

// Terms are staged only inside one org: a trade between two orgs takes them
// with the public step, and a FIXED order inside one org takes none.
func TestStagingRefusals(t *testing.T) {
	m := newMarket(t)
	m.doWith(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
	markettest.RequireRefused(t, m.stage(seller, "N1", "2", markettest.Terms("75000", "")), ledgererr.Conflict, "")
	markettest.RequireRefused(t, m.stage(buyer, "N1", "1", markettest.Terms("75000", "")), ledgererr.Conflict, "")
	m.refuse(t, ledgererr.InvalidArgument, "terms", seller, "Counter", "N1")

	markettest.RequireRefused(t, m.stage(localBuyer, "N2", "1", nil), ledgererr.InvalidArgument, "terms")
	markettest.RequireRefused(t, m.stage(localBuyer, "N2", "0", markettest.Terms("1", "")), ledgererr.InvalidArgument, "round")
	markettest.RequireRefused(t, m.stage(localBuyer, "N2", "2", markettest.Terms("1", "")), ledgererr.NotFound, "")
	markettest.RequireRefused(t, m.stage(seller, "N2", "1", markettest.Terms("1", "")), ledgererr.Forbidden, "")

	m.refuseWith(t, ledgererr.InvalidArgument, "terms", localBuyer, markettest.Terms("", "by SFTP"), "Order", "F1", useListing)
	m.do(t, localBuyer, "Order", "F1", useListing)
}

// A purge leaves no terms of the trade behind inside one org either: a
// counter-offer its party staged but never made public (the seller accepted
// the buyer's offer instead) goes with the offered rounds, though no round
// of the public record names it.
func TestAPurgeTakesAStagedDraftToo(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()
	m.stage(localBuyer, "N1", "1", markettest.Terms("60000", "")).MustOK(t)
	m.do(t, localBuyer, "Propose", "N1", negListing)
	m.stage(seller, "N1", "2", markettest.Terms("75000", "two seats")).MustOK(t)
	m.do(t, seller, "AcceptOffer", "N1")
	m.do(t, seller, "Cancel", "N1", "stock issue")
	require.NotNil(t, ledger.PrivateData(shanghaiOnly, stagedKey("N1", "2", seller)))

	m.do(t, localBuyer, "RequestPurge", "N1")
	tr := m.do(t, seller, "RequestPurge", "N1")
	assert.True(t, tr.TermsPurged)
	assert.Nil(t, ledger.PrivateData(shanghaiOnly, stagedKey("N1", "1", localBuyer)))
	assert.Nil(t, ledger.PrivateData(shanghaiOnly, stagedKey("N1", "2", seller)), "the staged draft")
}
