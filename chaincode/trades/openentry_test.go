package trades_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// An enterprise the rules release from Anhui and Jiangsu binds orders on a
// listing where Anhui's member left a trade open, endorsed by Jiangsu and
// the seller's Shanghai, a majority without Anhui: its members now write
// Jiangsu's entry, under their own trade's orgs, whether the trade Anhui's
// member left has lapsed or not (that member acts for the enterprise no
// more), and Anhui's entry stays as it was. Before 15.0.0 one entry per
// enterprise kept the old trade's orgs' policy, and the order failed
// validation (ENDORSEMENT_POLICY_FAILURE) without Anhui, which could so bar
// the enterprise from the listing for good.
func TestAnEnterpriseBoundElsewhereOrdersWithoutTheOrgItLeft(t *testing.T) {
	for name, wait := range map[string]time.Duration{
		"after the old trade lapsed": model.TradeResponseWindow + time.Minute,
		"while it is open":           time.Minute,
	} {
		t.Run(name, func(t *testing.T) {
			rebound := markettest.USCC(20)
			m := newMarket(t)
			m.Join(t, markettest.Anhui, oldMember, "buyer", rebound)
			m.do(t, oldMember, "Order", "T1", useListing)
			oldEntry := openEntryKey(useListing, rebound, markettest.Anhui)
			before := m.Net.Ledger().State(oldEntry)
			m.withRules(t, func(r *model.Rules) {
				r.Released = []model.ReleasedEnterprise{{USCC: rebound, MSPID: markettest.Anhui}}
			})
			m.Join(t, markettest.Jiangsu, newMember, "buyer", rebound)
			m.Net.Advance(wait)

			r := m.Net.Invoke(m.As(newMember), chaincodetest.Call{Function: "trades:Order", Args: []string{"T2", useListing},
				Endorsers: []string{markettest.Jiangsu, markettest.Shanghai}})
			require.NoError(t, r.Err, "a majority without the org the enterprise left")
			require.NotNil(t, before)
			entry := openEntryKey(useListing, rebound, markettest.Jiangsu)
			assert.Equal(t, "T2", m.namedAt(t, entry))
			assert.Equal(t, m.Net.Ledger().ValidationParameter(tradeKey("T2")), m.Net.Ledger().ValidationParameter(entry), "the entry is T2's orgs'")
			assert.Equal(t, before, m.Net.Ledger().State(oldEntry), "Anhui's entry is not written")
			assert.Contains(t, m.refusedOpen(t, newMember, "Order", "T3", useListing), `trade "T2", which is ORDERED,`)
		})
	}
}

// A colleague of a lapsed trade's buyer, who may not read it, orders on its
// listing reading neither the trade nor its buyer: its read set (which its
// client and every org see) holds the entry's key, which names the
// listing, the enterprise and its org, not the trade. Before 15.0.0 it held
// the lapsed trade's key, and so its ID.
func TestAColleaguesOrderReadsNoTradeItMayNotRead(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Jiangsu, colleague, "buyer", markettest.USCC(2))
	m.do(t, buyer, "Order", "SECRET-T1", useListing)
	m.Net.Advance(model.TradeResponseWindow + time.Minute)
	m.refuse(t, ledgererr.NotFound, "", colleague, "Get", "SECRET-T1")
	r := m.Submit(colleague, "trades:Order", "T2", useListing).MustOK(t)
	assert.Contains(t, r.Reads, openEntryKey(useListing, markettest.USCC(2), markettest.Jiangsu))
	assert.NotContains(t, r.Reads, tradeKey("SECRET-T1"), "the read set names the hidden trade")
	assert.NotContains(t, r.Reads, chaincodetest.Key("participant", buyer), "the read set names its buyer")
	assert.NotContains(t, string(r.Payload), "SECRET-T1")
}

// A counter-offer moves the negotiation's deadline and its entry's with
// it, under the same policy: past the first deadline the negotiation,
// still answerable, bars another member of the enterprise until the new
// one.
func TestACounterMovesTheEntrysDeadline(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Jiangsu, colleague, "buyer", markettest.USCC(2))
	m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
	entry := openEntryKey(negListing, markettest.USCC(2), markettest.Jiangsu)
	policy := m.Net.Ledger().ValidationParameter(entry)
	m.Net.Advance(model.TradeResponseWindow - time.Minute)
	countered := m.offer(t, seller, markettest.Terms("76000", ""), "Counter", "N1")
	assert.Equal(t, &openEntry{TradeID: "N1", BuyerID: buyer, DeadlineAt: countered.DeadlineAt}, m.entryAt(t, entry))
	assert.Equal(t, policy, m.Net.Ledger().ValidationParameter(entry), "the entry's policy stays")

	m.Net.Advance(2 * time.Minute) // past the first deadline
	assert.Contains(t, m.refusedOpen(t, colleague, "Propose", "C1", negListing), "another of its members")
	m.Net.Advance(model.TradeResponseWindow)
	m.offer(t, colleague, markettest.Terms("71000", ""), "Propose", "C1", negListing)
}

// An entry written before 15.0.0 (its key without the buyer's org, its
// value the bare trade ID) is read by nothing: it bars nobody, so another
// member of the enterprise opens one more trade on the listing while the
// old one is open, and the old one's end, which its parties' orgs alone
// endorse, leaves it and the new trade's entry as they were.
func TestAnEntryWrittenBefore15BarsNobody(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Jiangsu, colleague, "buyer", markettest.USCC(2))
	m.do(t, buyer, "Order", "OLD", useListing)
	entry := openEntryKey(useListing, markettest.USCC(2), markettest.Jiangsu)
	oldEntry := chaincodetest.Key("trade~open", useListing, markettest.USCC(2))
	m.Net.InvokeFunc(m.As(seller), chaincodetest.Call{Endorsers: []string{markettest.Shanghai, markettest.Jiangsu}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) { // as a ledger before 15.0.0 left it
			if err := stub.DelState(entry); err != nil {
				return nil, err
			}
			if err := stub.PutState(oldEntry, []byte(`"OLD"`)); err != nil {
				return nil, err
			}
			return nil, stub.SetStateValidationParameter(oldEntry, chaincodetest.KeyPolicy(markettest.Jiangsu, markettest.Shanghai))
		}).MustOK(t)

	m.do(t, colleague, "Order", "NEW", useListing)
	cancel := m.Submit(buyer, "trades:Cancel", "OLD", "made before 15.0.0").MustOK(t)
	for _, orgs := range cancel.SufficientEndorsers {
		assert.Len(t, orgs, 2, "the parties' orgs alone endorse it: %v", cancel.SufficientEndorsers)
	}
	assert.Equal(t, `"OLD"`, string(m.Net.Ledger().State(oldEntry)), "the old entry is left")
	assert.Equal(t, "NEW", m.namedAt(t, entry), "the new trade's entry stays")
	assert.Contains(t, m.refusedOpen(t, buyer, "Order", "AGAIN", useListing), "another of its members")
}
