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

// A participant who may not read a trade (trades:Get refuses it) learns
// nothing of it from the functions that change trades either: not its
// parties, its regions, its status or its deadline, and not the record
// itself. It is told only what Get tells it, that a trade of that ID exists
// (record IDs are names, not secrets; docs/integration.md, "Errors").
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
			markettest.RequireRefused(t, m.Evaluate(stranger, "trades:Get", trade), ledgererr.Forbidden, "")
			for _, c := range calls {
				var transient map[string][]byte
				switch c[0] {
				case "StageTerms":
					transient = markettest.Terms("60000", "")
				case "RecordPayment":
					transient = markettest.Payment("50000")
				}
				args := append([]string{trade}, c[1:]...)
				before := m.Snapshot()
				r := m.SubmitWith(stranger, transient, "trades:"+c[0], args...)
				markettest.RequireRefused(t, r, ledgererr.Forbidden, "")
				m.RequireUnchanged(t, before)
				for _, s := range secrets {
					assert.NotContains(t, r.Err.Error(), s, "%s calling %s on %s", stranger, c[0], trade)
				}
			}
			r := m.Net.Invoke(m.As(stranger), chaincodetest.Call{
				Function: "trades:Terms", Args: []string{trade, "1"}, PeerMSP: markettest.Shanghai, Evaluate: true,
			})
			markettest.RequireRefused(t, r, ledgererr.Forbidden, "")
			for _, s := range secrets {
				assert.NotContains(t, r.Err.Error(), s, "%s reading the terms of %s", stranger, trade)
			}
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
	markettest.RequireRefused(t, r, ledgererr.Forbidden, "")
	assert.Empty(t, r.Payload, "no record in the answer")
	assert.False(t, strings.Contains(r.Err.Error(), buyer), "the refusal names no party")
	m.refuse(t, ledgererr.Forbidden, "", holderOnly, "Expire", "T1")

	// Whoever may read it still records that it lapsed: its seller's
	// exchange, the buyer's, or a party.
	m.do(t, foreignOp, "Expire", "T1")
}
