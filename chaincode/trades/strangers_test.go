package trades_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A participant who may not read a trade learns nothing of it, not even
// that it exists: trades:Get, trades:Terms and every function that changes
// trades answer it exactly as they answer a trade ID that names no trade
// (same code, same message but for the ID, after the same requests to the
// peer), whether it is a member of
// another org (buyer2 on T1), a member of a party's org who is no party
// (localBuyer, holderOnly), or an operator of a region the trade is not in
// (foreignOp on T2). The regulator reads every trade (TestGet).
func TestAStrangerLearnsNothingOfATrade(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing) // Jiangsu buyer, Shanghai seller
	m.do(t, seller, "Accept", "T1")
	m.doWith(t, buyer, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-1")
	m.do(t, buyer, "Dispute", "T1", "wrong data")
	m.do(t, buyer2, "Order", "T2", useListing) // Anhui buyer, Shanghai seller
	m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)

	// Neither a party nor an operator of a region the trade is in, so
	// trades:Get refuses each of them the trade.
	strangers := map[string][]string{
		"T1": {buyer2, holderOnly, localBuyer},
		"T2": {foreignOp, holderOnly, buyer},
		"N1": {buyer2, localBuyer},
	}
	// What a refusal must not name: the parties (but the caller itself),
	// their regions, and any status a trade can be in.
	secretsFrom := func(caller string) []string {
		parties := slices.DeleteFunc([]string{buyer, buyer2, seller}, func(id string) bool { return id == caller })
		return append(append(parties, "shanghai", "jiangsu", "anhui"), model.TradeStatuses...)
	}
	calls := [][]string{
		{"Accept"}, {"Reject", "no"}, {"Cancel", "no"}, {"Deliver", markettest.Hash("data")},
		{"Confirm"}, {"Dispute", "no"}, {"Resolve", model.OutcomeRefund, "no"}, {"Counter"},
		{"AcceptOffer"}, {"RequestPurge"}, {"Expire"}, {"StageTerms", "2", ""}, {"RecordPayment", "BANK-X"},
	}
	for trade, who := range strangers {
		for _, stranger := range who {
			secrets := secretsFrom(stranger)
			requireAsMissing(t, trade, func(id string) chaincodetest.Result { return m.Evaluate(stranger, "trades:Get", id) })
			for _, c := range calls {
				var transient map[string][]byte
				switch c[0] {
				case "StageTerms":
					transient = markettest.Terms("60000", "")
				case "RecordPayment":
					transient = markettest.Payment("50000")
				}
				before := m.Snapshot()
				r := requireAsMissing(t, trade, func(id string) chaincodetest.Result {
					return m.SubmitWith(stranger, transient, "trades:"+c[0], append([]string{id}, c[1:]...)...)
				})
				m.RequireUnchanged(t, before)
				for _, s := range secrets {
					assert.NotContains(t, r.Err.Error(), s, "%s calling %s on %s", stranger, c[0], trade)
				}
			}
			// On a peer of the trade's seller, which holds every round's terms.
			requireAsMissing(t, trade, func(id string) chaincodetest.Result {
				return m.Net.Invoke(m.As(stranger), chaincodetest.Call{
					Function: "trades:Terms", Args: []string{id, "1"}, PeerMSP: markettest.Shanghai, Evaluate: true,
				})
			})
		}
	}
}

// Expire is the one transition no party has to make, and it answers with
// the trade: a participant who may not read a trade does not expire it, or
// a query of Expire would hand it the lapsed trade's record.
func TestAStrangerDoesNotExpireATrade(t *testing.T) {
	m := newMarket(t)
	tr := m.do(t, buyer, "Order", "T1", useListing)
	m.Net.Advance(chaincodetest.ParseTime(t, tr.DeadlineAt).Sub(m.Net.Now()))

	r := m.Evaluate(buyer2, "trades:Expire", "T1")
	markettest.RequireRefused(t, r, ledgererr.NotFound, "")
	assert.Empty(t, r.Payload, "no record in the answer")
	assert.False(t, strings.Contains(r.Err.Error(), buyer), "the refusal names no party")
	m.refuse(t, ledgererr.NotFound, "", holderOnly, "Expire", "T1")

	// Whoever may read it still records that it lapsed: its seller's
	// exchange, the buyer's, or a party.
	m.do(t, foreignOp, "Expire", "T1")
}

// requireAsMissing runs call on tradeID and on a trade ID that names no
// trade, and requires both to be refused NOT_FOUND in the same words but for
// the ID, so that the refusal does not tell whether tradeID exists. It
// returns the answer on tradeID.
func requireAsMissing(t *testing.T, tradeID string, call func(id string) chaincodetest.Result) chaincodetest.Result {
	t.Helper()
	const unknown = "T404"
	got, missing := call(tradeID), call(unknown)
	markettest.RequireRefused(t, missing, ledgererr.NotFound, "")
	markettest.RequireRefused(t, got, ledgererr.NotFound, "")
	assert.Equal(t, missing.Err.Error(), strings.ReplaceAll(got.Err.Error(), `"`+tradeID+`"`, `"`+unknown+`"`),
		"trade %s reads as a missing one", tradeID)
	// Nor in how long the refusal takes: each request to the peer is a round
	// trip, which a caller timing its refusals would see.
	assert.Equal(t, missing.Requests, got.Requests, "trade %s is refused after the requests a missing one is", tradeID)
	return got
}
