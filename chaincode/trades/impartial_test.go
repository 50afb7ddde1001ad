package trades_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Nobody decides their own case: the asset's holder is a party to every
// licence over its asset, so an operator who holds the asset, or acts for its
// holder's enterprise, neither records the payment of nor resolves the
// dispute of a trade of a licence over it that a licensee sells. An
// impartial operator of the seller's region does both.
func TestAnOperatorDecidesNoTradeOfALicenceOverItsOwnAsset(t *testing.T) {
	m := newMarket(t)
	partial := m.OperatorsOwnAsset(t, operator, "own-asset", seller)
	m.Submit(seller, "listings:Create", "L-resale", "own-asset", "USE", useScope, "FIXED", "1000", markettest.Hash("terms")).MustOK(t)

	m.do(t, buyer, "Order", "T1", "L-resale")
	m.do(t, seller, "Accept", "T1")
	for _, judge := range partial {
		m.refuseWith(t, ledgererr.Forbidden, "", judge, markettest.Payment("1000"), "RecordPayment", "T1", "BANK-T1")
	}
	m.doWith(t, operator, markettest.Payment("1000"), "RecordPayment", "T1", "BANK-T1")
	m.do(t, buyer, "Dispute", "T1", "nothing delivered")
	for _, judge := range partial {
		m.refuse(t, ledgererr.Forbidden, "", judge, "Resolve", "T1", "REFUND", "the licence is ours")
	}
	m.do(t, operator, "Resolve", "T1", "REFUND", "nothing delivered")
}

// A trade starts only when a dispute of it has a judge: an ACTIVE operator
// of the seller's region who is none of its parties (buyer, seller, the
// asset's holder) and acts for none's enterprise. Otherwise an order or a
// proposal is refused, naming no operator; an impartial operator of another
// region, or a suspended one, does not count. Once the exchange has a judge
// again, the same trade starts.
func TestATradeStartsOnlyWithAJudge(t *testing.T) {
	const (
		sellerOp    = "sh-sellerop"    // acts for the seller's enterprise
		opBuyer     = "sh-opbuyer"     // an operator that buys
		opBuyerTwin = "sh-opbuyertwin" // acts for that buyer's enterprise
	)
	judgeless := func(t *testing.T, m *market) {
		t.Helper()
		m.Net.Submit(m.Admin(markettest.Shanghai), "participants:Suspend", operator, "on leave").MustOK(t)
	}
	reinstate := func(t *testing.T, m *market) {
		t.Helper()
		m.Reinstate(t, markettest.Shanghai, operator)
	}

	t.Run("buyer and seller", func(t *testing.T) {
		m := newMarket(t)
		m.Join(t, markettest.Shanghai, sellerOp, "operator", markettest.USCC(1))
		m.Join(t, markettest.Shanghai, opBuyer, "operator,buyer", markettest.USCC(9))
		m.Join(t, markettest.Shanghai, opBuyerTwin, "operator", markettest.USCC(9))
		judgeless(t, m)

		r := m.Submit(opBuyer, "trades:Order", "T1", useListing)
		markettest.RequireRefused(t, r, ledgererr.Conflict, "")
		assert.Contains(t, r.Message, `no operator of the shanghai exchange could decide the dispute of trade "T1"`)
		for _, op := range []string{sellerOp, opBuyer, opBuyerTwin, operator} {
			assert.NotContains(t, r.Message, op, "the refusal names no operator")
		}
		m.refuse(t, ledgererr.Conflict, "", opBuyer, "Order", "T1", useListing)
		m.StageTerms(opBuyer, "N1", "1", negListing, markettest.Terms("70000", "")).MustOK(t)
		m.refuse(t, ledgererr.Conflict, "", opBuyer, "Propose", "N1", negListing)
		// Another buyer's trade has a judge: the operator that buys.
		m.do(t, localBuyer, "Order", "T2", useListing)

		reinstate(t, m)
		m.do(t, opBuyer, "Order", "T1", useListing)
	})

	t.Run("the asset's holder", func(t *testing.T) {
		m := newMarket(t)
		m.OperatorsOwnAsset(t, operator, "own-asset", seller)
		m.Submit(seller, "listings:Create", "L-resale", "own-asset", "USE", useScope, "FIXED", "1000", markettest.Hash("terms")).MustOK(t)
		judgeless(t, m)

		m.refuse(t, ledgererr.Conflict, "", buyer, "Order", "T1", "L-resale")
		// A trade of the seller's own asset has a judge: the operators that hold the other.
		m.do(t, buyer, "Order", "T2", useListing)

		reinstate(t, m)
		m.do(t, buyer, "Order", "T1", "L-resale")
	})
}

// An operator reinstated with its key withdrawn (participants:Suspend of a certified member) acts for nobody
// until its admin binds a new key, so it is no judge: a trade whose only possible judge it is does not start,
// and starts once the operator acts with a new key.
func TestAnOperatorWhoseKeyIsWithdrawnIsNoJudge(t *testing.T) {
	m := newMarket(t)
	admin := m.Admin(markettest.Shanghai)
	m.Net.Submit(admin, "participants:Suspend", operator, "key reported stolen").MustOK(t)
	var op model.Participant
	m.Net.Submit(admin, "participants:Reinstate", operator).Unmarshal(t, &op)
	require.True(t, op.KeyWithdrawn, "the operator is reinstated with its key withdrawn")

	r := m.Submit(buyer, "trades:Order", "T1", useListing)
	markettest.RequireRefused(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, `no operator of the shanghai exchange could decide the dispute of trade "T1"`)

	m.Net.Submit(admin, "participants:Suspend", operator, "to enroll again").MustOK(t)
	m.Reinstate(t, markettest.Shanghai, operator)
	m.do(t, buyer, "Order", "T1", useListing)
}

// A dispute does not look for a judge: the trade had one when it started,
// and a dispute refused while the exchange has none would let the
// inspection deadline take the buyer's remedy. It waits for the exchange's
// judge.
func TestADisputeWaitsForTheExchangesJudge(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, useListing)
	m.Net.Submit(m.Admin(markettest.Shanghai), "participants:Suspend", operator, "on leave").MustOK(t)
	m.do(t, buyer, "Dispute", "T1", "wrong data")
	m.refuse(t, ledgererr.Forbidden, "", operator, "Resolve", "T1", model.OutcomeRefund, "wrong data")

	m.Reinstate(t, markettest.Shanghai, operator)
	assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "wrong data").Status)
}

// The judge a trade starts with is an operator of the exchange that will
// resolve its dispute: the org the market rules in force bind to the
// listing's region (Trade.Region), not the seller's org, which a majority
// may have moved to another region. After Shanghai's and Jiangsu's orgs
// swap regions, a trade on a listing of shanghai has a judge only while
// Jiangsu's operator, now of shanghai, is ACTIVE: Shanghai's own operator,
// now of jiangsu, could not resolve it.
func TestATradesJudgeIsOfTheListingsRegionNow(t *testing.T) {
	m := newMarket(t)
	m.Move(t, map[string]string{markettest.Shanghai: "jiangsu", markettest.Jiangsu: "shanghai"})
	m.Net.Submit(m.Admin(markettest.Jiangsu), "participants:Suspend", foreignOp, "on leave").MustOK(t)

	r := m.Submit(buyer2, "trades:Order", "T1", useListing)
	markettest.RequireRefused(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, `no operator of the shanghai exchange could decide the dispute of trade "T1"`)

	m.Reinstate(t, markettest.Jiangsu, foreignOp)
	m.paid(t, "T1", buyer2, useListing)
	m.do(t, buyer2, "Dispute", "T1", "nothing delivered")
	m.refuse(t, ledgererr.NotFound, "", operator, "Resolve", "T1", model.OutcomeRefund, "nothing delivered")
	assert.Equal(t, model.TradeCancelled, m.do(t, foreignOp, "Resolve", "T1", model.OutcomeRefund, "nothing delivered").Status)
}

// A listing of a region no org of the rules in force runs any more has no
// exchange to resolve a dispute: no trade starts on it.
func TestNoTradeStartsOnAListingOfARegionWithoutAnExchange(t *testing.T) {
	m := newMarket(t)
	m.Move(t, map[string]string{markettest.Shanghai: "zhejiang"})
	r := m.Submit(buyer2, "trades:Order", "T1", useListing)
	markettest.RequireRefused(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, `no operator of the shanghai exchange could decide the dispute of trade "T1"`)
}

// An operator certified for an enterprise acts only while its org's binding of that enterprise is in force (caller
// resolution): one whose enterprise the market rules release from its org, or bind to another org, decides nothing,
// so it is no judge either. Otherwise a trade started with it as its only judge, and its dispute waited for a
// decision nobody could make. Once the rules drop the release, it judges again.
func TestAnOperatorWhoseBindingIsNotInForceIsNoJudge(t *testing.T) {
	m := newMarket(t)
	released := model.ReleasedEnterprise{USCC: markettest.USCC(100), MSPID: markettest.Shanghai}
	m.withRules(t, func(r *model.Rules) { r.Released = append(r.Released, released) })
	markettest.RequireRefused(t, m.Submit(operator, "participants:WhoAmI"), ledgererr.Forbidden, "")

	r := m.Submit(buyer, "trades:Order", "T1", useListing)
	markettest.RequireRefused(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, `no operator of the shanghai exchange could decide the dispute of trade "T1"`)

	m.withRules(t, func(r *model.Rules) {
		r.Released = slices.DeleteFunc(r.Released, func(e model.ReleasedEnterprise) bool { return e == released })
	})
	m.do(t, buyer, "Order", "T1", useListing)
}

// A party whose org wrote bytes that are no participant into its record is
// still of that org for its judge: the trade names both parties' orgs from
// its opening (Trade.BuyerMSP, SellerMSP). An operator acting for the
// enterprise of such a seller, or of such a buyer, neither records the
// payment nor resolves the dispute of their trade, refused in the same
// words as while their records were good; an impartial operator does
// both. Read as their IDs only, the parties named no org, and their org
// alone, writing such bytes, made its operators of their enterprises their
// judges.
func TestAJudgeOfABadRecordsEnterpriseIsStillPartial(t *testing.T) {
	const (
		sellersOp = "sh-sellersop" // acts for the seller's enterprise
		buyersOp  = "sh-buyersop"  // acts for the local buyer's enterprise
	)
	buyers := markettest.BadRecords(localBuyer, "buyer")
	for name, record := range markettest.BadRecords(seller, "holder") {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			m.Join(t, markettest.Shanghai, sellersOp, "operator", markettest.USCC(1))
			m.Join(t, markettest.Shanghai, buyersOp, "operator", markettest.USCC(4))
			m.delivered(t, "T1", localBuyer, useListing)
			m.do(t, localBuyer, "Dispute", "T1", "wrong data")
			m.do(t, localBuyer, "Order", "T2", holdingListing)
			m.do(t, seller, "Accept", "T2")
			payment := markettest.Payment("1000000")
			resolve := func(judge string) chaincodetest.Result {
				return m.Submit(judge, "trades:Resolve", "T1", model.OutcomeRefund, "wrong data")
			}
			pay := func(judge string) chaincodetest.Result {
				return m.SubmitWith(judge, payment, "trades:RecordPayment", "T2", "BANK-T2")
			}
			refusals := map[string]string{}
			for _, judge := range []string{sellersOp, buyersOp} {
				refusals["Resolve by "+judge] = refusal(t, resolve(judge)).Message
				refusals["RecordPayment by "+judge] = refusal(t, pay(judge)).Message
			}

			m.PutBadRecord(t, markettest.Shanghai, seller, record)
			m.PutBadRecord(t, markettest.Shanghai, localBuyer, buyers[name])
			for _, judge := range []string{sellersOp, buyersOp} {
				for step, call := range map[string]func(string) chaincodetest.Result{"Resolve": resolve, "RecordPayment": pay} {
					m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
						r := call(judge)
						if r.Err != nil {
							assert.Equal(t, refusals[step+" by "+judge], refusal(t, r).Message, "%s by %s", step, judge)
						}
						return r
					})
				}
			}
			assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "wrong data").Status)
			assert.Equal(t, model.TradePaid, m.doWith(t, operator, payment, "RecordPayment", "T2", "BANK-T2").Status)
		})
	}
}
