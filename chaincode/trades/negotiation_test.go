package trades_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/trades"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// pair is the terms collection of the Jiangsu buyer and the Shanghai seller.
var pair = trades.TermsCollection(markettest.Jiangsu, markettest.Shanghai)

func TestTermsCollection(t *testing.T) {
	assert.Equal(t, "terms-JiangsuMSP-ShanghaiMSP", trades.TermsCollection("ShanghaiMSP", "JiangsuMSP"))
	assert.Equal(t, "terms-JiangsuMSP-ShanghaiMSP", trades.TermsCollection("JiangsuMSP", "ShanghaiMSP"))
	assert.Equal(t, "_implicit_org_AnhuiMSP", trades.TermsCollection("AnhuiMSP", "AnhuiMSP"))
}

func TestNegotiatedTrade(t *testing.T) {
	m := newMarket(t)
	ledger := m.Net.Ledger()

	r := m.StageTerms(buyer, "N1", "1", negListing, markettest.Terms("70000", "monthly refresh; no resale")).MustOK(t)
	assert.Equal(t, []string{markettest.Jiangsu, markettest.Shanghai}, r.Endorsers,
		"terms enter the pair's collection only with both orgs' endorsement, and reach no other org")
	assert.Equal(t, [][]string{{markettest.Shanghai, markettest.Jiangsu}}, r.SufficientEndorsers)
	assert.Nil(t, r.Event, "staging changes nothing public")
	var staged model.StagedTerms
	r.Unmarshal(t, &staged)
	r = m.Submit(buyer, "trades:Propose", "N1", negListing).MustOK(t)
	tr := tradeOf(t, r)
	assert.Equal(t, model.TradeNegotiating, tr.Status)
	assert.Empty(t, tr.PriceFen, "a negotiated price is not public")
	require.Len(t, tr.Offers, 1)
	assert.Equal(t, model.Offer{Round: 1, By: buyer, At: tr.CreatedAt, TxID: r.TxID, TermsHash: staged.TermsHash}, tr.Offers[0])
	assert.Equal(t, model.EventTradeProposed, r.Event.Name)
	assert.Equal(t, float64(1), eventPayload(t, r.Event)["round"])

	r = m.Offer(t, seller, markettest.Terms("76000", "monthly refresh; no resale; audit clause"), "trades:Counter", "N1").MustOK(t)
	tr = tradeOf(t, r)
	require.Len(t, tr.Offers, 2)
	assert.Equal(t, seller, tr.Offers[1].By)
	assert.Equal(t, model.EventTradeCountered, r.Event.Name)
	assert.Equal(t, []string{"NEGOTIATING", "NEGOTIATING"}, states(tr))
	assert.Equal(t, "round 2", tr.Timeline[1].Note)

	r = m.Submit(buyer, "trades:AcceptOffer", "N1").MustOK(t)
	tr = tradeOf(t, r)
	assert.Equal(t, model.TradeAccepted, tr.Status)
	assert.Equal(t, "accepted round 2", tr.Timeline[2].Note)
	assert.Equal(t, model.EventTradeAccepted, r.Event.Name)

	// The terms are in the pair's collection only, and the public record
	// holds their hashes, which match the stored bytes.
	for round, by := range map[int]string{1: buyer, 2: seller} {
		stored := ledger.PrivateData(pair, termsKey("N1", negListing, round, by))
		require.NotNil(t, stored)
		sum := sha256.Sum256(stored)
		assert.Equal(t, hex.EncodeToString(sum[:]), tr.Offers[round-1].TermsHash)
		assert.Equal(t, ledger.PrivateDataHash(pair, termsKey("N1", negListing, round, by)), sum[:], "Fabric's own hash is the same")
	}
	for _, c := range []string{trades.TermsCollection(markettest.Shanghai, markettest.Anhui), trades.TermsCollection(markettest.Jiangsu, markettest.Anhui),
		trades.TermsCollection(markettest.Shanghai, markettest.Shanghai), trades.TermsCollection(markettest.Jiangsu, markettest.Jiangsu)} {
		assert.Empty(t, ledger.PrivateDataKeys(c), c)
	}
	for _, key := range ledger.StateKeys() {
		value := string(ledger.State(key))
		assert.NotContains(t, value, "76000", "the agreed price is on no public key")
		assert.NotContains(t, value, "audit clause", "the conditions are on no public key")
	}

	// Either side reads the terms on a peer of its own org.
	var got model.Terms
	m.termsOn(t, buyer, markettest.Jiangsu, "N1", 2).Unmarshal(t, &got)
	assert.Equal(t, model.Terms{TradeID: "N1", Round: 2, By: seller, PriceFen: 76000, Conditions: "monthly refresh; no resale; audit clause", Salt: salt}, got)
	m.termsOn(t, seller, markettest.Shanghai, "N1", 1).Unmarshal(t, &got)
	assert.EqualValues(t, 70000, got.PriceFen)

	// The exchange is no party to the private terms: it cannot record the
	// payment of a negotiated trade, else its refusals and successes would
	// confirm guesses of the price. The refusal is the same for a wrong and
	// for the right amount, and comes before the terms are read.
	wrong := m.SubmitWith(operator, markettest.Payment("70000"), "trades:RecordPayment", "N1", "SHDEX-9")
	right := m.SubmitWith(operator, markettest.Payment("76000"), "trades:RecordPayment", "N1", "SHDEX-9")
	markettest.RequireRefused(t, wrong, ledgererr.Forbidden, "")
	markettest.RequireRefused(t, right, ledgererr.Forbidden, "")
	assert.Equal(t, wrong.Err.Error(), right.Err.Error())
	// The buyer, a party, records it; its wrong amount is refused without
	// telling the price.
	refused := m.SubmitWith(buyer, markettest.Payment("70000"), "trades:RecordPayment", "N1", "BANK-9")
	markettest.RequireRefused(t, refused, ledgererr.InvalidArgument, "amountFen")
	assert.NotContains(t, refused.Err.Error(), "76000")
	tr = m.doWith(t, buyer, markettest.Payment("76000"), "RecordPayment", "N1", "BANK-9")
	assert.Equal(t, "BANK-9", tr.SettlementRef)
	// The amount travelled as transient data, so the agreed price is in no
	// block: no transaction's arguments carry it.
	for _, tx := range ledger.Transactions() {
		for _, arg := range tx.Args {
			assert.NotContains(t, arg, "76000", "transaction %s %v", tx.TxID, tx.Args)
		}
	}
	// Without the transient amount, the payment is refused.
	m.refuse(t, ledgererr.InvalidArgument, "amountFen", buyer, "RecordPayment", "N1", "BANK-9")
	m.do(t, seller, "Deliver", "N1", markettest.Hash("model features"))
	r = m.Submit(buyer, "trades:Confirm", "N1").MustOK(t)
	tr = tradeOf(t, r)
	assert.Equal(t, model.TradeCompleted, tr.Status)
	p := eventPayload(t, r.Event)
	assert.Equal(t, "NEGOTIABLE", p["pricing"])
	assert.NotContains(t, p, "priceFen", "a negotiated price stays out of the events")

	// Purge when both sides ask: the private terms go, the hashes stay.
	r = m.Submit(buyer, "trades:RequestPurge", "N1").MustOK(t)
	assert.Equal(t, model.EventTermsPurgeRequested, r.Event.Name)
	m.refuse(t, ledgererr.Conflict, "", buyer, "RequestPurge", "N1")
	assert.NotNil(t, ledger.PrivateData(pair, termsKey("N1", negListing, 1, buyer)), "one request purges nothing")
	r = m.Submit(seller, "trades:RequestPurge", "N1").MustOK(t)
	tr = tradeOf(t, r)
	assert.Equal(t, model.EventTermsPurged, r.Event.Name)
	assert.True(t, tr.TermsPurged)
	assert.Len(t, tr.PurgeRequests, 2)
	assert.Empty(t, ledger.PrivateDataKeys(pair))
	assert.Len(t, tr.Offers, 2, "the public hashes remain")
	markettest.RequireRefused(t, m.termsOn(t, buyer, markettest.Jiangsu, "N1", 1), ledgererr.NotFound, "")
	m.refuse(t, ledgererr.Conflict, "", seller, "RequestPurge", "N1")
}

func TestNegotiatedHoldingLocksAtAgreement(t *testing.T) {
	m := newMarket(t)
	m.offer(t, buyer, markettest.Terms("1900000", ""), "Propose", "N1", holdingNeg)
	m.offer(t, buyer2, markettest.Terms("1950000", ""), "Propose", "N2", holdingNeg)
	m.do(t, seller, "AcceptOffer", "N2")
	assert.Equal(t, "N2", m.GetAsset(t, seller, "asset-3").HoldingLockedBy)
	m.refuse(t, ledgererr.Conflict, "", seller, "AcceptOffer", "N1")
	m.do(t, buyer2, "Cancel", "N2", "board said no")
	assert.Empty(t, m.GetAsset(t, seller, "asset-3").HoldingLockedBy, "cancelling frees the holding")
	m.do(t, seller, "AcceptOffer", "N1")
}

func TestNegotiationRefusals(t *testing.T) {
	m := newMarket(t)
	valid := markettest.Terms("70000", "x")
	t.Run("staged terms", func(t *testing.T) {
		cases := []struct {
			name      string
			transient map[string][]byte
			field     string
		}{
			{"missing", nil, "terms"},
			{"other transient key", map[string][]byte{"offer": valid[model.TransientTermsKey]}, "terms"},
			{"not json", rawTerms("price=70000"), "terms"},
			{"two objects", rawTerms(`{"priceFen":1,"salt":"` + salt + `"}{}`), "terms"},
			{"unknown field", rawTerms(`{"priceFen":70000,"conditions":"","salt":"` + salt + `","currency":"CNY"}`), "terms"},
			{"price as a string", rawTerms(`{"priceFen":"70000","conditions":"","salt":"` + salt + `"}`), "terms.priceFen"},
			{"price as a fraction", rawTerms(`{"priceFen":70000.5,"conditions":"","salt":"` + salt + `"}`), "terms.priceFen"},
			{"price in exponent form", rawTerms(`{"priceFen":7e4,"conditions":"","salt":"` + salt + `"}`), "terms.priceFen"},
			{"salt as a number", rawTerms(`{"priceFen":70000,"conditions":"","salt":12}`), "terms.salt"},
			{"negative price", rawTerms(`{"priceFen":-70000,"conditions":"","salt":"` + salt + `"}`), "terms.priceFen"},
			{"price above the bound", rawTerms(`{"priceFen":1000000000000001,"conditions":"","salt":"` + salt + `"}`), "terms.priceFen"},
			{"no price", rawTerms(`{"conditions":"x","salt":"` + salt + `"}`), "terms.priceFen"},
			{"zero price", markettest.Terms("0", ""), "terms.priceFen"},
			{"control characters", markettest.Terms("70000", "line one\nline two"), "terms.conditions"},
			{"long conditions", markettest.Terms("70000", strings.Repeat("c", 2001)), "terms.conditions"},
			{"no salt", rawTerms(`{"priceFen":70000,"conditions":""}`), "terms.salt"},
			{"short salt", rawTerms(`{"priceFen":70000,"conditions":"","salt":"abcd"}`), "terms.salt"},
			{"uppercase salt", rawTerms(`{"priceFen":70000,"conditions":"","salt":"` + strings.ToUpper(salt) + `"}`), "terms.salt"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				m.Refuse(t, ledgererr.InvalidArgument, tc.field, func() chaincodetest.Result {
					return m.StageTerms(buyer, "N1", "1", negListing, tc.transient)
				})
			})
		}
	})
	t.Run("propose", func(t *testing.T) {
		m.refuse(t, ledgererr.InvalidArgument, "tradeId", buyer, "Propose", "", negListing)
		m.refuse(t, ledgererr.InvalidArgument, "listingId", buyer, "Propose", "N1", "L neg")
		m.refuse(t, ledgererr.Forbidden, "", holderOnly, "Propose", "N1", negListing)
		m.refuse(t, ledgererr.Forbidden, "", sellerTwin, "Propose", "N1", negListing)
		m.refuse(t, ledgererr.Conflict, "", buyer, "Propose", "N1", useListing) // FIXED: use Order
		m.refuse(t, ledgererr.NotFound, "", buyer, "Propose", "N1", "L-none")
	})

	m.offer(t, buyer, valid, "Propose", "N1", negListing)
	t.Run("counter and accept", func(t *testing.T) {
		m.refuse(t, ledgererr.Forbidden, "", buyer, "Counter", "N1") // its own offer
		m.refuse(t, ledgererr.Forbidden, "", buyer, "AcceptOffer", "N1")
		m.refuse(t, ledgererr.NotFound, "", buyer2, "Counter", "N1") // not a party
		m.refuse(t, ledgererr.Forbidden, "", operator, "AcceptOffer", "N1")
		m.refuse(t, ledgererr.NotFound, "", seller, "Counter", "N9")
		m.refuse(t, ledgererr.InvalidArgument, "tradeId", seller, "AcceptOffer", "")
		m.refuse(t, ledgererr.Conflict, "", seller, "Reject", "N1", "no") // Reject answers orders
	})
	t.Run("terms query", func(t *testing.T) {
		markettest.RequireRefused(t, m.termsOn(t, buyer2, markettest.Anhui, "N1", 1), ledgererr.NotFound, "")
		markettest.RequireRefused(t, m.termsOn(t, operator, markettest.Shanghai, "N1", 1), ledgererr.Forbidden, "")
		markettest.RequireRefused(t, m.termsOn(t, buyer, markettest.Anhui, "N1", 1), ledgererr.Forbidden, "")
		markettest.RequireRefused(t, m.termsOn(t, buyer, markettest.Jiangsu, "N1", 2), ledgererr.NotFound, "")
		markettest.RequireRefused(t, m.termsOn(t, buyer, markettest.Jiangsu, "N9", 1), ledgererr.NotFound, "")
		for _, round := range []string{"0", "21", "01", "x", ""} {
			t.Setenv("CORE_PEER_LOCALMSPID", markettest.Jiangsu)
			markettest.RequireRefused(t, m.Evaluate(buyer, "trades:Terms", "N1", round), ledgererr.InvalidArgument, "round")
		}
	})
	t.Run("rounds are bounded", func(t *testing.T) {
		parties := []string{seller, buyer}
		for round := 2; round <= model.MaxRounds; round++ {
			m.offer(t, parties[round%2], markettest.Terms("70000", ""), "Counter", "N1")
		}
		m.refuse(t, ledgererr.Conflict, "", parties[1], "Counter", "N1")
		m.do(t, parties[1], "AcceptOffer", "N1")
		m.refuse(t, ledgererr.Conflict, "", parties[0], "Counter", "N1")
		m.refuse(t, ledgererr.Conflict, "", parties[0], "AcceptOffer", "N1")
	})
}
