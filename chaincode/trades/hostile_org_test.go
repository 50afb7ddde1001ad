package trades_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
)

// A party's org that withholds its endorsement, hostile or removed, blocks
// no step the rules allow without that party: a trade is under its
// parties' orgs together or a majority of the orgs (from 17.0.0), so a
// majority without the buyer's org (Jiangsu) records the judge's COMPLETE
// and the seller's deemed acceptance. Under both orgs alone, as before,
// each failed ENDORSEMENT_POLICY_FAILURE for good.
func TestAMajorityCompletesWithoutTheBuyersOrg(t *testing.T) {
	m := newMarket(t)
	withoutBuyers := []string{markettest.Shanghai, markettest.Anhui}
	m.delivered(t, "T1", buyer, useListing)
	m.do(t, buyer, "Dispute", "T1", "wrong rows")
	m.Net.Invoke(m.As(operator), chaincodetest.Call{Function: "trades:Resolve", Args: []string{"T1", model.OutcomeComplete, "fine"},
		PeerMSP: markettest.Shanghai, Endorsers: withoutBuyers}).MustOK(t)
	assert.Equal(t, model.TradeCompleted, m.trade(t, "T1").Status)

	m.delivered(t, "T2", buyer, useListing)
	m.Net.Advance(model.TradeInspectionWindow + time.Second)
	m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "trades:Confirm", Args: []string{"T2"},
		PeerMSP: markettest.Shanghai, Endorsers: withoutBuyers}).MustOK(t)
	tr := m.trade(t, "T2")
	assert.Equal(t, model.TradeCompleted, tr.Status)
	assert.False(t, tr.Unsealed, "the majority's completion seals the sale")
}

// Nor does the seller's org (Shanghai) block the buyer's Cancel of a paid
// trade not delivered by its deadline, or the judge's REFUND: a majority
// without it records both.
func TestAMajorityCancelsAndRefundsWithoutTheSellersOrg(t *testing.T) {
	m := newMarket(t)
	withoutSellers := []string{markettest.Jiangsu, markettest.Anhui}
	paid := m.paid(t, "T1", buyer, useListing)
	m.Net.Advance(chaincodetest.ParseTime(t, paid.DeadlineAt).Add(time.Hour).Sub(m.Net.Now()))
	m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:Cancel", Args: []string{"T1", "never delivered"},
		PeerMSP: markettest.Jiangsu, Endorsers: withoutSellers}).MustOK(t)
	assert.Equal(t, model.TradeCancelled, m.trade(t, "T1").Status)

	m.delivered(t, "T2", buyer, useListing)
	m.do(t, buyer, "Dispute", "T2", "wrong rows")
	m.Net.Invoke(m.As(operator), chaincodetest.Call{Function: "trades:Resolve", Args: []string{"T2", model.OutcomeRefund, "refund"},
		PeerMSP: markettest.Jiangsu, Endorsers: withoutSellers}).MustOK(t)
	assert.Equal(t, model.TradeCancelled, m.trade(t, "T2").Status)
}

// The majority is the only way round a party's org: one org alone, a
// party's or a third one, writes no trade; the two parties' orgs still
// suffice, the normal path, whatever else the step writes.
func TestOneOrgAloneStillWritesNoTrade(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, useListing)
	m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:Dispute", Args: []string{"T1", "wrong rows"},
		PeerMSP: markettest.Jiangsu, Endorsers: []string{markettest.Jiangsu}}).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	m.Net.Advance(model.TradeInspectionWindow + time.Second)
	for _, org := range []string{markettest.Shanghai, markettest.Anhui} {
		m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "trades:Confirm", Args: []string{"T1"},
			PeerMSP: org, Endorsers: []string{org}}).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	}
	m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "trades:Confirm", Args: []string{"T1"},
		PeerMSP: markettest.Shanghai, Endorsers: []string{markettest.Shanghai, markettest.Jiangsu}}).MustOK(t)
}

// A trade opened before 17.0.0 keeps its key under both parties' orgs
// alone: only they may change its policy, so no majority reseals it, and a
// party's org still blocks the steps it does not endorse. It stays bound
// (acceptance takes it), and both orgs together still move it on.
func TestATradeOpenedBefore17StaysUnderBothOrgs(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "OLD", useListing)
	both := []string{markettest.Shanghai, markettest.Jiangsu}
	m.Net.InvokeFunc(m.As(seller), chaincodetest.Call{Endorsers: markettest.Orgs},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) { // as a ledger before 17.0.0 left it
			return nil, stub.SetStateValidationParameter(tradeKey("OLD"), chaincodetest.KeyPolicy(both...))
		}).MustOK(t)
	m.Net.InvokeFunc(m.As(seller), chaincodetest.Call{Endorsers: []string{markettest.Shanghai, markettest.Anhui}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) { // a majority's reseal, without the buyer's org
			return nil, stub.SetStateValidationParameter(tradeKey("OLD"), chaincodetest.KeyPolicy(markettest.Shanghai))
		}).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	m.do(t, seller, "Accept", "OLD")
	m.doWith(t, buyer, markettest.Payment("50000"), "RecordPayment", "OLD", "BANK-OLD")
	m.do(t, seller, "Deliver", "OLD", markettest.Hash("delivery"))
	m.Net.Advance(model.TradeInspectionWindow + time.Second)
	m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "trades:Confirm", Args: []string{"OLD"},
		PeerMSP: markettest.Shanghai, Endorsers: []string{markettest.Shanghai, markettest.Anhui}}).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	r := m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "trades:Confirm", Args: []string{"OLD"},
		PeerMSP: markettest.Shanghai, Endorsers: both}).MustOK(t)
	assert.Contains(t, r.SufficientEndorsers, both)
	assert.Equal(t, model.TradeCompleted, m.trade(t, "OLD").Status)
}

// The trade's idxOpen entry and its licence promise are under the trade's
// own policy: a majority without the buyer's org records the seller's
// rejection of an order, which deletes both, and the buyer's enterprise
// orders again.
func TestAMajorityRejectsAnOrderWithoutTheBuyersOrg(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	r := m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "trades:Reject", Args: []string{"T1", "no"},
		PeerMSP: markettest.Shanghai, Endorsers: []string{markettest.Shanghai, markettest.Anhui}}).MustOK(t)
	assert.Contains(t, r.SufficientEndorsers, []string{markettest.Shanghai, markettest.Jiangsu}, "the parties' orgs suffice")
	assert.Equal(t, model.TradeRejected, m.trade(t, "T1").Status)
	m.do(t, buyer, "Order", "T2", useListing)
}

// eitherPolicy is the key-level policy of a trade opened from 17.0.0 by
// parties of these orgs in the test market: both orgs, or a majority of the
// market's (state.RequirePartiesOrMajority).
func eitherPolicy(t *testing.T, buyerMSP, sellerMSP string) []byte {
	t.Helper()
	return marshalled(t)(state.PartiesOrMajorityPolicy([]string{buyerMSP, sellerMSP}, markettest.Orgs))
}
