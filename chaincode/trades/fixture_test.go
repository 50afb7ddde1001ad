package trades_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The cast of the trade tests. The seller and its exchange are in Shanghai;
// buyers come from Jiangsu, Anhui and Shanghai itself.
const (
	seller     = "sh-seller"
	sellerTwin = "sh-twin" // a buyer acting for the seller's own enterprise
	localBuyer = "sh-buyer"
	buyer      = "js-buyer"
	buyer2     = "ah-buyer"
	holderOnly = "js-holder" // may list, may not buy
	operator   = "sh-op"     // operator of the seller's region
	foreignOp  = "js-op"     // operator of another region
	regulator  = "ah-reg"
)

// member is where one of the cast joins: its org, its roles and the
// enterprise it acts for.
type member struct{ org, roles, uscc string }

// cast is the one record of where each of the cast joins.
var cast = map[string]member{
	seller:     {markettest.Shanghai, "holder", markettest.USCC(1)},
	sellerTwin: {markettest.Shanghai, "buyer", markettest.USCC(1)},
	localBuyer: {markettest.Shanghai, "buyer", markettest.USCC(4)},
	operator:   {markettest.Shanghai, "operator", markettest.USCC(100)},
	buyer:      {markettest.Jiangsu, "buyer", markettest.USCC(2)},
	holderOnly: {markettest.Jiangsu, "holder", markettest.USCC(5)},
	foreignOp:  {markettest.Jiangsu, "operator", markettest.USCC(101)},
	buyer2:     {markettest.Anhui, "buyer", markettest.USCC(3)},
	regulator:  {markettest.Anhui, "regulator", markettest.USCC(102)},
}

// join has the members of the cast named join, in that order, as cast
// says.
func (m *market) join(t *testing.T, ids ...string) {
	t.Helper()
	for _, id := range ids {
		c, ok := cast[id]
		require.True(t, ok, "%s is not of the cast", id)
		m.Join(t, c.org, id, c.roles, c.uscc)
	}
}

// The listings of the trade tests, all by the seller.
const (
	holdingListing = "L-hold" // the holding of asset-1, FIXED 1,000,000 fen
	useListing     = "L-use"  // a USE licence over asset-2, FIXED 50,000 fen
	negListing     = "L-neg"  // a USE licence over asset-2, NEGOTIABLE, asking 80,000 fen
	holdingNeg     = "L-hneg" // the holding of asset-3, NEGOTIABLE, asking 2,000,000 fen
)

const useScope = `{"purpose":"credit risk model","regions":["shanghai","jiangsu"],"validUntil":"2028-01-01T00:00:00Z"}`

// salt is the client randomness of every offer in these tests.
const salt = markettest.Salt

// market is a market with the cast registered and the listings on offer.
type market struct {
	*markettest.Market
	rivalsJoined int // enterprises rivals joined for
}

func newMarket(t *testing.T) *market {
	m := &market{Market: markettest.New(t)}
	m.join(t, seller, sellerTwin, localBuyer, operator, buyer, holderOnly, foreignOp, buyer2, regulator)
	m.RegisterAsset(t, seller, operator, "asset-1", "finance", "shanghai")
	m.RegisterAsset(t, seller, operator, "asset-2", "smart-city", "jiangsu")
	m.RegisterAsset(t, seller, operator, "asset-3", "health", "shanghai")
	h := markettest.Hash("terms document")
	m.Submit(seller, "listings:Create", holdingListing, "asset-1", "HOLDING", "", "FIXED", "1000000", h).MustOK(t)
	m.Submit(seller, "listings:Create", useListing, "asset-2", "USE", useScope, "FIXED", "50000", h).MustOK(t)
	m.Submit(seller, "listings:Create", negListing, "asset-2", "USE", useScope, "NEGOTIABLE", "80000", h).MustOK(t)
	m.Submit(seller, "listings:Create", holdingNeg, "asset-3", "HOLDING", "", "NEGOTIABLE", "2000000", h).MustOK(t)
	return m
}

// rivals has n buyers join org msp, each acting for an enterprise of its
// own (markettest.USCC from 1000 on), as prefix-0000, prefix-0001..., and
// returns their IDs. A buyer enterprise holds one NEGOTIATING or ORDERED
// trade on a listing at a time (from 14.0.0 on), so a test wanting many
// waiting on one listing has them placed by as many enterprises, as a rival
// flooding a listing now must.
func (m *market) rivals(t *testing.T, msp, prefix string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("%s-%04d", prefix, i)
		m.Join(t, msp, ids[i], "buyer", markettest.USCC(1000+m.rivalsJoined))
		m.rivalsJoined++
	}
	return ids
}

// listShortLicence has the seller list, as listingID, a USE licence over
// asset-2 at 50,000 fen whose term ends at until, and returns the call.
func (m *market) listShortLicence(t *testing.T, listingID string, until time.Time) chaincodetest.Result {
	t.Helper()
	scope := `{"purpose":"credit risk model","regions":["jiangsu"],"validUntil":"` + until.UTC().Format(time.RFC3339) + `"}`
	return m.Submit(seller, "listings:Create", listingID, "asset-2", "USE", scope, "FIXED", "50000", markettest.Hash("t"))
}

// rawTerms is transient terms given verbatim.
func rawTerms(s string) map[string][]byte {
	return map[string][]byte{model.TransientTermsKey: []byte(s)}
}

// do submits a trade function as who, requires success and returns the
// trade it returned.
func (m *market) do(t *testing.T, who, function string, args ...string) *model.Trade {
	t.Helper()
	return m.doWith(t, who, nil, function, args...)
}

// doWith is do with transient data.
func (m *market) doWith(t *testing.T, who string, transient map[string][]byte, function string, args ...string) *model.Trade {
	t.Helper()
	var tr model.Trade
	m.SubmitWith(who, transient, "trades:"+function, args...).Unmarshal(t, &tr)
	return &tr
}

// refuse submits a trade function that must be refused, and checks it
// wrote nothing.
func (m *market) refuse(t *testing.T, code ledgererr.Code, field, who, function string, args ...string) {
	t.Helper()
	m.refuseWith(t, code, field, who, nil, function, args...)
}

// refuseWith is refuse with transient data.
func (m *market) refuseWith(t *testing.T, code ledgererr.Code, field, who string, transient map[string][]byte, function string, args ...string) {
	t.Helper()
	m.Refuse(t, code, field, func() chaincodetest.Result {
		return m.SubmitWith(who, transient, "trades:"+function, args...)
	})
}

// trade reads a trade as the regulator.
func (m *market) trade(t *testing.T, id string) *model.Trade {
	t.Helper()
	var tr model.Trade
	m.Evaluate(regulator, "trades:Get", id).Unmarshal(t, &tr)
	return &tr
}

// paid takes a new FIXED order by buyerID on listingID to PAID.
func (m *market) paid(t *testing.T, tradeID, buyerID, listingID string) *model.Trade {
	t.Helper()
	m.do(t, buyerID, "Order", tradeID, listingID)
	m.do(t, seller, "Accept", tradeID)
	price := m.trade(t, tradeID).PriceFen
	return m.doWith(t, buyerID, markettest.Payment(strconv.FormatInt(price, 10)), "RecordPayment", tradeID, "BANK-"+tradeID)
}

// delivered takes a new FIXED order by buyerID on listingID to DELIVERED.
func (m *market) delivered(t *testing.T, tradeID, buyerID, listingID string) *model.Trade {
	t.Helper()
	m.paid(t, tradeID, buyerID, listingID)
	return m.do(t, seller, "Deliver", tradeID, markettest.Hash("delivery of "+tradeID))
}

// disputed takes a new FIXED order by buyerID on listingID to DISPUTED by
// its buyer, after delivery.
func (m *market) disputed(t *testing.T, tradeID, buyerID, listingID string) *model.Trade {
	t.Helper()
	m.delivered(t, tradeID, buyerID, listingID)
	return m.do(t, buyerID, "Dispute", tradeID, "the delivered file does not match the content hash")
}

// termsOn reads one round of a trade's terms as who, evaluated on a peer of
// peerMSP (the chaincode learns its peer's org from CORE_PEER_LOCALMSPID, as
// the peer sets it).
func (m *market) termsOn(t *testing.T, who, peerMSP, tradeID string, round int) chaincodetest.Result {
	t.Setenv("CORE_PEER_LOCALMSPID", peerMSP)
	return m.Net.Invoke(m.As(who), chaincodetest.Call{
		Function: "trades:Terms", Args: []string{tradeID, fmt.Sprint(round)}, PeerMSP: peerMSP, Evaluate: true,
	})
}

// states lists the states of a trade's timeline.
func states(tr *model.Trade) []string {
	var s []string
	for _, step := range tr.Timeline {
		s = append(s, step.State)
	}
	return s
}

// tradeKey is the ledger key of a trade.
func tradeKey(id string) string { return chaincodetest.Key("trade", id) }

// termsKey is the private key of one round of the terms of trade id on
// listing listingID, staged by party by: round 1, which opens the trade,
// names the listing too.
func termsKey(id, listingID string, round int, by string) string {
	attributes := []string{id, fmt.Sprint(round), by}
	if round == 1 {
		attributes = append(attributes, listingID)
	}
	return chaincodetest.Key("trade~terms", attributes...)
}

// eventPayload decodes an event payload.
func eventPayload(t *testing.T, e *chaincodetest.Event) map[string]any {
	require.NotNil(t, e)
	var p map[string]any
	require.NoError(t, json.Unmarshal(e.Payload, &p))
	return p
}

// tradeOf decodes the trade a successful call returned.
func tradeOf(t *testing.T, r chaincodetest.Result) *model.Trade {
	t.Helper()
	var tr model.Trade
	r.Unmarshal(t, &tr)
	return &tr
}

// offer stages terms as who and makes the public step function with them
// (markettest.Offer), requires success and returns the trade.
func (m *market) offer(t *testing.T, who string, terms map[string][]byte, function string, args ...string) *model.Trade {
	t.Helper()
	return tradeOf(t, m.Offer(t, who, terms, "trades:"+function, args...))
}
