package trades_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// colleague is a second Jiangsu member of the buyer's enterprise.
const colleague = "js-colleague"

// openEntryKey is the key of the entry naming the open trade of enterprise
// uscc on listing listingID through its members of org msp.
func openEntryKey(listingID, uscc, msp string) string {
	return chaincodetest.Key("trade~open", listingID, uscc, msp)
}

// openEntry is an entry's value as stored.
type openEntry struct {
	TradeID    string `json:"tradeId"`
	BuyerID    string `json:"buyerId"`
	DeadlineAt string `json:"deadlineAt"`
}

// entryAt reads the entry at key, nil for none.
func (m *market) entryAt(t *testing.T, key string) *openEntry {
	t.Helper()
	b := m.Net.Ledger().State(key)
	if b == nil {
		return nil
	}
	var e openEntry
	require.NoError(t, json.Unmarshal(b, &e), "entry %q", b)
	return &e
}

// namedAt returns the trade ID the entry at key names, "" for none.
func (m *market) namedAt(t *testing.T, key string) string {
	t.Helper()
	if e := m.entryAt(t, key); e != nil {
		return e.TradeID
	}
	return ""
}

// refusedOpen submits an Order or a Propose (staging its terms first) that
// must be refused as the enterprise's second open trade on the listing, and
// returns the refusal's message.
func (m *market) refusedOpen(t *testing.T, who, function, tradeID, listingID string) string {
	t.Helper()
	call := func() chaincodetest.Result { return m.Submit(who, "trades:"+function, tradeID, listingID) }
	if function == "Propose" {
		m.StageTerms(who, tradeID, "1", listingID, markettest.Terms("75000", "")).MustOK(t)
	}
	r := call()
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result { return r })
	return r.Message
}

// A buyer enterprise holds one NEGOTIATING or ORDERED trade on a listing at
// a time: a second Order or Propose is refused, naming the listing and, to
// the buyer who may read it, the open trade; through another of its members
// too, who is told no trade's ID. Another enterprise orders at once, and
// the enterprise on another listing.
func TestAnEnterpriseHoldsOneOpenTradeOnAListing(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Jiangsu, colleague, "buyer", markettest.USCC(2))
	m.do(t, buyer, "Order", "T1", useListing)
	m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)

	msg := m.refusedOpen(t, buyer, "Order", "T2", useListing)
	assert.Contains(t, msg, `trade "T1", which is ORDERED,`)
	assert.Contains(t, msg, `listing "L-use"`)
	msg = m.refusedOpen(t, buyer, "Propose", "N2", negListing)
	assert.Contains(t, msg, `trade "N1", which is NEGOTIATING,`)

	for _, c := range []struct{ function, id, listing string }{{"Order", "C1", useListing}, {"Propose", "C2", negListing}} {
		msg := m.refusedOpen(t, colleague, c.function, c.id, c.listing)
		assert.Contains(t, msg, "another of its members")
		assert.NotContains(t, msg, "T1", "the colleague may not read T1")
		assert.NotContains(t, msg, "N1", "the colleague may not read N1")
		assert.NotContains(t, msg, "which is", "nor its status")
	}

	m.do(t, buyer2, "Order", "U1", useListing) // another enterprise
	m.do(t, buyer, "Order", "T3", holdingListing)
	for _, id := range []string{"T2", "C1", "N2", "C2"} {
		m.refuse(t, ledgererr.NotFound, "", regulator, "Get", id)
	}
}

// Each way a trade leaves NEGOTIATING or ORDERED frees its enterprise to
// order on the listing again, through any member: the entry it held goes
// with it.
func TestEveryEndOfAnOpenTradeLetsItsEnterpriseOrderAgain(t *testing.T) {
	for _, c := range []struct {
		name    string
		listing string // the buyer opens T1 on it
		end     func(t *testing.T, m *market)
	}{
		{"accepted", useListing, func(t *testing.T, m *market) { m.do(t, seller, "Accept", "T1") }},
		{"rejected", useListing, func(t *testing.T, m *market) { m.do(t, seller, "Reject", "T1", "no") }},
		{"cancelled by the buyer", useListing, func(t *testing.T, m *market) { m.do(t, buyer, "Cancel", "T1", "no") }},
		{"cancelled by the seller", useListing, func(t *testing.T, m *market) { m.do(t, seller, "Cancel", "T1", "no") }},
		{"expired", useListing, func(t *testing.T, m *market) {
			m.Net.Advance(model.TradeResponseWindow + time.Minute)
			m.do(t, buyer, "Expire", "T1")
		}},
		{"offer accepted", negListing, func(t *testing.T, m *market) { m.do(t, seller, "AcceptOffer", "T1") }},
		{"negotiation cancelled", negListing, func(t *testing.T, m *market) { m.do(t, seller, "Cancel", "T1", "no") }},
		{"negotiation expired", negListing, func(t *testing.T, m *market) {
			m.Net.Advance(model.TradeResponseWindow + time.Minute)
			m.do(t, seller, "Expire", "T1")
		}},
		{"closed by the sale of the holding", holdingListing, func(t *testing.T, m *market) {
			m.paid(t, "SALE", buyer2, holdingListing)
			m.do(t, seller, "Deliver", "SALE", markettest.Hash("d"))
			m.do(t, buyer2, "Confirm", "SALE")
			m.do(t, seller, "CloseOthers", "SALE", "")
			assert.Equal(t, model.TradeCancelled, m.trade(t, "T1").Status)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newMarket(t)
			m.Join(t, markettest.Jiangsu, colleague, "buyer", markettest.USCC(2))
			if c.listing == negListing {
				m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "T1", c.listing)
			} else {
				m.do(t, buyer, "Order", "T1", c.listing)
			}
			entry := openEntryKey(c.listing, markettest.USCC(2), markettest.Jiangsu)
			tr := m.trade(t, "T1")
			assert.Equal(t, &openEntry{TradeID: "T1", BuyerID: buyer, DeadlineAt: tr.DeadlineAt}, m.entryAt(t, entry), "the open trade's entry")
			assert.Equal(t, m.Net.Ledger().ValidationParameter(tradeKey("T1")), m.Net.Ledger().ValidationParameter(entry), "the entry is the trade's orgs'")
			c.end(t, m)
			assert.Nil(t, m.Net.Ledger().State(entry), "the entry goes with the open trade")
			if c.listing == holdingListing {
				// Sold: refused as no longer on offer, not as the enterprise's second open trade.
				r := m.Submit(colleague, "trades:Order", "T2", c.listing)
				m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result { return r })
				assert.NotContains(t, r.Message, "already holds")
				return
			}
			if c.listing == negListing {
				m.offer(t, colleague, markettest.Terms("71000", ""), "Propose", "T2", c.listing)
			} else {
				m.do(t, colleague, "Order", "T2", c.listing)
			}
			assert.Equal(t, "T2", m.namedAt(t, entry), "the entry names the new open trade")
		})
	}
}

// An entry naming the caller's own trade counts only as far as that trade,
// which the caller may read, agrees with it: one naming another
// enterprise's open trade, the enterprise's trade that ended, a trade on
// another listing or none refuses nobody; nor does an entry of another
// shape (an old one's bare trade ID, no deadline as stored, a deadline
// further than a response window ahead). An entry naming another member's
// trade decides alone until its deadline (its trade may not be read for
// that member), and tells that member nothing of the trade it names.
func TestAnEntryNotNamingAnOpenTradeOfTheEnterpriseRefusesNobody(t *testing.T) {
	m := newMarket(t)
	entry := openEntryKey(useListing, markettest.USCC(2), markettest.Jiangsu)
	m.do(t, buyer2, "Order", "U1", useListing) // another enterprise's, open
	m.do(t, buyer, "Order", "T0", holdingListing)
	m.do(t, buyer, "Order", "E1", useListing)
	m.do(t, buyer, "Cancel", "E1", "ended")
	soon := model.FormatTime(m.Net.Now().Add(time.Hour))
	far := model.FormatTime(m.Net.Now().Add(model.TradeResponseWindow + model.MaxClockSkew + model.MaxClockLead + time.Hour))
	for i, planted := range []any{
		openEntry{"U1", buyer, soon}, openEntry{"E1", buyer, soon}, openEntry{"T0", buyer, soon}, openEntry{"NO-SUCH-TRADE", buyer, soon},
		openEntry{"X1", colleague, far}, openEntry{"X2", colleague, "2099-01-01"}, openEntry{"X3", colleague, ""}, openEntry{"not an ID!", colleague, soon},
		"U1", 42,
	} {
		m.Seed(t, buyer, entry, planted)
		id := "T" + string(rune('A'+i))
		m.do(t, buyer, "Order", id, useListing)
		assert.Equal(t, id, m.namedAt(t, entry), "the order's entry replaces the one planted (%v)", planted)
		m.do(t, buyer, "Cancel", id, "next")
	}

	m.Seed(t, buyer, entry, openEntry{"HIDDEN-T", colleague, soon})
	msg := m.refusedOpen(t, buyer, "Order", "TZ", useListing)
	assert.Contains(t, msg, "another of its members")
	assert.NotContains(t, msg, "HIDDEN-T")
}

// A trade opened before 14.0.0 has no entry: its end deletes nothing, so
// the parties' orgs alone endorse it as before, and an entry naming the
// enterprise's later trade stays with that trade.
func TestAnOpenTradeWithoutAnEntryEndsAsBefore(t *testing.T) {
	m := newMarket(t)
	entry := openEntryKey(useListing, markettest.USCC(2), markettest.Jiangsu)
	m.do(t, buyer, "Order", "OLD", useListing)
	forget := func() { // as a ledger before 14.0.0: the entry's orgs delete it
		t.Helper()
		m.Net.Forge(m.As(seller), chaincodetest.Writes{entry: nil}, markettest.Shanghai, markettest.Jiangsu).MustOK(t)
	}
	forget()
	m.do(t, buyer, "Order", "NEW", useListing) // OLD has no entry: nothing refuses
	m.do(t, buyer, "Cancel", "OLD", "made before 14.0.0")
	assert.Equal(t, "NEW", m.namedAt(t, entry), "the later trade's entry stays")
	m.refusedOpen(t, buyer, "Order", "AGAIN", useListing)

	forget()
	cancel := m.Submit(buyer, "trades:Cancel", "NEW", "no entry").MustOK(t)
	assert.Nil(t, m.Net.Ledger().State(entry))
	for _, orgs := range cancel.SufficientEndorsers {
		assert.Len(t, orgs, 2, "the parties' orgs alone endorse it: %v", cancel.SufficientEndorsers)
	}
}

// Two orders by one enterprise on one listing, endorsed on the same state,
// both read and write its entry: the second to be ordered does not commit.
func TestConcurrentOrdersOfOneEnterpriseOnAListingCommitOnce(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Jiangsu, colleague, "buyer", markettest.USCC(2))
	lost := m.endorse(t, colleague, nil, "trades:Order", "C1", useListing)
	m.requireLosesTheRace(t, lost, m.Submit(buyer, "trades:Order", "T1", useListing))
	m.refuse(t, ledgererr.NotFound, "", regulator, "Get", "C1")
}

// Order reads the enterprise's entry with the trade ID, in the one request
// that read the trade ID before: its reads are as many as in 13.0.0 (17),
// and it writes the entry and the entry's key-level policy (11 writes in
// 13.0.0, 13 in 15.0.0), and from 16.0.0 the trade's opening mark (14 now;
// 28 requests then, 31 now). Refused over an entry naming
// another member's trade it reads nothing more (15 requests; 17 before
// 15.0.0, which read the trade and its buyer); over its caller's own, that
// trade (16, as before). A step ending an open trade reads its buyer and
// its entry and deletes the entry (Accept: 11 requests in 13.0.0, 14 in
// 17.0.0, 13 from 18.0.0, which reads the trade's opening mark with the
// trade and no longer its key's policy);
// one moving its deadline reads them and rewrites the entry (Counter: 6
// requests before 15.0.0, 9 now); one that does neither reads neither
// (RecordPayment: 5 then and now).
func TestTheOneOpenTradeRuleCostsTheStepsThatKeepIt(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Jiangsu, colleague, "buyer", markettest.USCC(2))
	kinds := func(r chaincodetest.Result) (reads, writes int) {
		for _, req := range r.Requests {
			if strings.HasPrefix(req, "GET_") {
				reads++
			} else {
				writes++
			}
		}
		return reads, writes
	}
	entry := openEntryKey(useListing, markettest.USCC(2), markettest.Jiangsu)
	order := m.Submit(buyer, "trades:Order", "T1", useListing).MustOK(t)
	assert.Contains(t, order.Reads, entry)
	reads, writes := kinds(order)
	assert.Equal(t, [2]int{17, 14}, [2]int{reads, writes}, "Order's reads and writes: %v", order.Requests)
	own := m.Submit(buyer, "trades:Order", "T9", useListing)
	require.Error(t, own.Err)
	assert.Len(t, own.Requests, 16, "the buyer's second Order reads its trade: %v", own.Requests)
	other := m.Submit(colleague, "trades:Order", "C9", useListing)
	require.Error(t, other.Err)
	assert.Len(t, other.Requests, 15, "a colleague's reads no trade: %v", other.Requests)

	accept := m.Submit(seller, "trades:Accept", "T1").MustOK(t)
	assert.Contains(t, accept.Reads, entry)
	assert.Contains(t, accept.Reads, chaincodetest.Key("participant", buyer))
	assert.Len(t, accept.Requests, 13, "Accept's requests: %v", accept.Requests)
	assert.Contains(t, accept.Reads, openedMarkKey("T1"), "the opening mark, read with the trade")
	assert.NotContains(t, accept.Requests, "GET_STATE_METADATA", "no key's policy")
	assert.Equal(t, "DEL_STATE", accept.Requests[len(accept.Requests)-1])
	pay := m.SubmitWith(buyer, markettest.Payment("50000"), "trades:RecordPayment", "T1", "BANK-T1").MustOK(t)
	assert.NotContains(t, pay.Reads, entry, "a step that does not end an open trade reads no entry")
	assert.Len(t, pay.Requests, 5, "RecordPayment's requests: %v", pay.Requests)

	m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
	counter := m.Offer(t, seller, markettest.Terms("76000", ""), "trades:Counter", "N1").MustOK(t)
	assert.Contains(t, counter.Reads, openEntryKey(negListing, markettest.USCC(2), markettest.Jiangsu))
	assert.Len(t, counter.Requests, 9, "Counter's requests: %v", counter.Requests)
	assert.Equal(t, "PUT_STATE", counter.Requests[len(counter.Requests)-1])
}

// A trade past its deadline bars its enterprise from the listing no longer:
// another member, who may neither read nor expire it (its buyer may have
// left), orders at once, and the new trade's entry takes its place, which
// the lapsed trade's end, by the seller, leaves standing. Before the
// deadline the colleague is refused.
func TestALapsedOpenTradeBarsItsEnterpriseNoLonger(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Jiangsu, colleague, "buyer", markettest.USCC(2))
	m.do(t, buyer, "Order", "T1", useListing)
	m.Net.Advance(model.TradeResponseWindow - time.Minute)
	assert.Contains(t, m.refusedOpen(t, colleague, "Order", "C1", useListing), "another of its members")

	m.Net.Advance(2 * time.Minute)
	m.refuse(t, ledgererr.NotFound, "", colleague, "Expire", "T1") // not the colleague's to read
	m.do(t, colleague, "Order", "T2", useListing)
	entry := openEntryKey(useListing, markettest.USCC(2), markettest.Jiangsu)
	assert.Equal(t, "T2", m.namedAt(t, entry), "the entry names the new open trade")

	m.do(t, seller, "Expire", "T1")
	assert.Equal(t, "T2", m.namedAt(t, entry), "the lapsed trade's end leaves the new trade's entry")
	assert.Contains(t, m.refusedOpen(t, buyer, "Order", "T3", useListing), "another of its members", "T2 is open")
}
