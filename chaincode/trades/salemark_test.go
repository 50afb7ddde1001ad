package trades_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// saleMarkKey is the ledger key of trade id's completion mark.
func saleMarkKey(id string) string { return chaincodetest.Key(model.SaleMarkKeyType, id) }

// completed takes a new FIXED order by buyerID on listingID to COMPLETED.
func (m *market) completed(t *testing.T, tradeID, buyerID, listingID string) *model.Trade {
	t.Helper()
	m.delivered(t, tradeID, buyerID, listingID)
	return m.do(t, buyerID, "Confirm", tradeID)
}

// unsealedEverywhere asserts that trade id reads Unsealed to every reader
// of it: trades:Get (as the regulator and as each party), GetReadable, and
// the lists of the market, of its parties and of its listing.
func (m *market) unsealedEverywhere(t *testing.T, id string, want bool, readers ...string) {
	t.Helper()
	for _, who := range append([]string{regulator, seller}, readers...) {
		var tr model.Trade
		m.Evaluate(who, "trades:Get", id).Unmarshal(t, &tr)
		assert.Equal(t, want, tr.Unsealed, "trades:Get as %s", who)
		var got model.ReadableTrades
		m.Evaluate(who, "trades:GetReadable", id).Unmarshal(t, &got)
		require.Len(t, got.Items, 1)
		assert.Equal(t, want, got.Items[0].Unsealed, "trades:GetReadable as %s", who)
	}
	lists := map[string]chaincodetest.Result{
		"ListMarket":                m.Evaluate(regulator, "trades:ListMarket", "", model.TradeCompleted, "", "", "", ""),
		"ListByListing":             m.Evaluate(seller, "trades:ListByListing", m.trade(t, id).ListingID, "", ""),
		"ListByParticipant(seller)": m.Evaluate(seller, "trades:ListByParticipant", seller, "", ""),
	}
	for name, r := range lists {
		var page model.TradePage
		r.Unmarshal(t, &page)
		found := false
		for _, tr := range page.Items {
			if tr.ID == id {
				found = true
				assert.Equal(t, want, tr.Unsealed, "%s", name)
			}
		}
		assert.True(t, found, "%s lists %s", name, id)
	}
}

// TestOneOrgAloneForgesNoSale: a trade between two members of one org
// opened before interface 18.0.0 is under that org's key-level policy (or a
// majority's: openedBefore18). Shanghai alone rewrites an
// ORDERED trade between two of its enterprises as COMPLETED at 9,999,999,999
// fen, naming Jiangsu's js-buyer as the buyer. The rewrite is valid (the
// record is Shanghai's to write), but no completion mark vouches for it: it
// reads Unsealed to every reader, js-buyer included, and its seller closes
// no other buyer's trade with it. A completed sale reads sealed.
func TestOneOrgAloneForgesNoSale(t *testing.T) {
	m := newMarket(t)
	m.completed(t, "T1", buyer, useListing)
	m.do(t, localBuyer, "Order", "W1", holdingListing) // seller and buyer both Shanghai's
	m.openedBefore18(t, "W1", markettest.Orgs)
	tr := *m.trade(t, "W1")
	tr.Status, tr.PriceFen = model.TradeCompleted, 9_999_999_999
	tr.BuyerID, tr.BuyerMSP = buyer, markettest.Jiangsu
	tr.Timeline = append(tr.Timeline, model.Step{State: model.TradeCompleted, By: buyer, At: tr.CreatedAt, TxID: "forged"})
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{tradeKey("W1"): chaincodetest.JSON(t, tr)}).MustOK(t)

	got := m.trade(t, "W1")
	assert.Equal(t, model.TradeCompleted, got.Status, "the record reads as its org wrote it")
	m.unsealedEverywhere(t, "W1", true, buyer)
	m.unsealedEverywhere(t, "T1", false, buyer)

	// A forged sale of a holding closes no other buyer's trade, its listing
	// rewritten too (written before interface 18.0.0, the org's alone).
	m.do(t, buyer2, "Order", "W2", holdingListing)
	m.listedBefore18(t, holdingListing)
	var listing model.Listing
	m.Evaluate(seller, "listings:Get", holdingListing).Unmarshal(t, &listing)
	listing.Status, listing.SoldTradeID = model.ListingSold, "W1"
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{chaincodetest.Key("listing", holdingListing): chaincodetest.JSON(t, listing)}).MustOK(t)
	markettest.RequireRefused(t, m.Submit(seller, "trades:CloseOthers", "W1", ""), ledgererr.Conflict, "")
	assert.Equal(t, model.TradeOrdered, m.trade(t, "W2").Status)
}

// TestTheirOrgsAloneChangeNoSale: a completed sale between two orgs' members
// is under those two orgs' key-level policy. Shanghai and Jiangsu together,
// not a majority, rewrite its price and its buyer after the sale: it reads
// Unsealed from then on, its mark vouching for the sale as it was.
func TestTheirOrgsAloneChangeNoSale(t *testing.T) {
	m := newMarket(t)
	sale := m.completed(t, "T1", buyer, useListing)
	m.unsealedEverywhere(t, "T1", false, buyer)
	for name, change := range map[string]func(tr *model.Trade){
		"price": func(tr *model.Trade) { tr.PriceFen = 9_999_999_999 },
		"buyer": func(tr *model.Trade) { tr.BuyerID = holderOnly },
		"terms": func(tr *model.Trade) { tr.TermsHash = markettest.Hash("harsher terms") },
	} {
		t.Run(name, func(t *testing.T) {
			tr := *sale
			change(&tr)
			m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{tradeKey("T1"): chaincodetest.JSON(t, tr)}, markettest.Shanghai, markettest.Jiangsu).MustOK(t)
			m.unsealedEverywhere(t, "T1", true)
			m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{tradeKey("T1"): chaincodetest.JSON(t, sale)}, markettest.Shanghai, markettest.Jiangsu).MustOK(t)
			m.unsealedEverywhere(t, "T1", false, buyer)
		})
	}
}

// TestOnlyAMajorityWritesASaleMark: a completion mark is a new key, which
// the chaincode-level policy (a majority of the orgs: three of the
// production channel's four) keeps. Neither a party's org alone nor both
// parties' orgs write one for a trade they wrote COMPLETED, nor rewrite or
// delete the mark of a sale, nor a trade's opening mark.
func TestOnlyAMajorityWritesASaleMark(t *testing.T) {
	m := &market{Market: markettest.NewProduction(t)}
	rulestest.Init(t, m.Net, m.Admin(markettest.Shanghai), m.FirstRules())
	m.join(t, seller, localBuyer, operator, buyer, regulator)
	m.RegisterAsset(t, seller, operator, "asset-2", "smart-city", "jiangsu")
	m.Submit(seller, "listings:Create", useListing, "asset-2", "USE", useScope, "FIXED", "50000", markettest.Hash("terms")).MustOK(t)
	completeTrade(t, m.Market, "T1", useListing, buyer, seller, "50000")
	m.do(t, localBuyer, "Order", "W1", useListing)
	m.openedBefore18(t, "W1", markettest.ProductionOrgs)

	tr := *m.trade(t, "W1")
	tr.Status, tr.BuyerID, tr.BuyerMSP = model.TradeCompleted, buyer, markettest.Jiangsu
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{tradeKey("W1"): chaincodetest.JSON(t, tr)}).MustOK(t)
	mark := model.SaleMark{TradeID: "W1", Digest: tr.SaleDigest()}
	for _, orgs := range [][]string{{markettest.Shanghai}, {markettest.Shanghai, markettest.Jiangsu}} {
		m.Net.Forge(m.Admin(orgs[0]), chaincodetest.Writes{saleMarkKey("W1"): chaincodetest.JSON(t, mark)}, orgs...).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		m.Net.Forge(m.Admin(orgs[0]), chaincodetest.Writes{saleMarkKey("T1"): chaincodetest.JSON(t, mark)}, orgs...).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		m.Net.Forge(m.Admin(orgs[0]), chaincodetest.Writes{saleMarkKey("T1"): nil}, orgs...).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		m.Net.Forge(m.Admin(orgs[0]), chaincodetest.Writes{openedMarkKey("W1"): chaincodetest.JSON(t, model.OpenedMark{TradeID: "W1", Digest: tr.StartDigest()})}, orgs...).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		m.Net.Forge(m.Admin(orgs[0]), chaincodetest.Writes{openedMarkKey("W1"): nil}, orgs...).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	}
	assert.True(t, m.trade(t, "W1").Unsealed)
	assert.False(t, m.trade(t, "T1").Unsealed)
}

// TestASaleOfADisputeIsSealedToo: Resolve's COMPLETE completes a trade as
// Confirm does, and writes its mark.
func TestASaleOfADisputeIsSealedToo(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, useListing)
	m.do(t, buyer, "Dispute", "T1", "wrong rows")
	got := m.do(t, operator, "Resolve", "T1", model.OutcomeComplete, "the rows are right")
	assert.False(t, got.Unsealed)
	var mark model.SaleMark
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(saleMarkKey("T1")), &mark))
	assert.True(t, mark.Vouches(m.trade(t, "T1")))
	m.unsealedEverywhere(t, "T1", false, buyer)
}

// TestASaleBeforeTheMarksReadsUnsealed: a trade completed before interface
// 16.0.0 has no mark (here a majority deletes the one its completion
// wrote): it reads COMPLETED and Unsealed, as a record its parties' orgs
// may have rewritten since, and what it conveyed stands (the buyer keeps
// the right it received).
func TestASaleBeforeTheMarksReadsUnsealed(t *testing.T) {
	m := newMarket(t)
	sale := m.completed(t, "T1", buyer, useListing)
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{saleMarkKey("T1"): nil}, markettest.Shanghai, markettest.Jiangsu, markettest.Anhui).MustOK(t)
	got := m.trade(t, "T1")
	assert.Equal(t, model.TradeCompleted, got.Status)
	m.unsealedEverywhere(t, "T1", true, buyer)
	assert.Equal(t, buyer, m.GetRight(t, buyer, sale.RightID).HolderID)
}

// TestATradeKeepsTheTermsItWasOrderedOn: a listing written before interface
// 18.0.0 is its seller's org's alone, which may replace its terms hash after
// an order; the trade keeps the hash it was ordered (or negotiated) on.
func TestATradeKeepsTheTermsItWasOrderedOn(t *testing.T) {
	m := newMarket(t)
	orig := markettest.Hash("terms document")
	assert.Equal(t, orig, m.do(t, buyer, "Order", "T1", useListing).TermsHash)
	m.do(t, seller, "Accept", "T1")
	assert.Equal(t, orig, m.offer(t, buyer, markettest.Terms("70000", "x"), "Propose", "T2", negListing).TermsHash)

	m.listedBefore18(t, useListing)
	var l model.Listing
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(chaincodetest.Key("listing", useListing)), &l))
	l.TermsHash = markettest.Hash("harsher terms")
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{chaincodetest.Key("listing", useListing): chaincodetest.JSON(t, l)}).MustOK(t)
	var now model.Listing
	m.Evaluate(buyer, "listings:Get", useListing).Unmarshal(t, &now)
	assert.Equal(t, markettest.Hash("harsher terms"), now.TermsHash, "the listing is its seller's org's to change")
	assert.Equal(t, orig, m.trade(t, "T1").TermsHash)
}

// TestTheSellersOrgAloneRewritesNoPrice: a listing's price history promises
// that an old price stays (listings:UpdatePrice). Each price point is a new
// key under the chaincode-level policy: the seller's org alone rewrites
// none, the first nor a later one.
func TestTheSellersOrgAloneRewritesNoPrice(t *testing.T) {
	m := newMarket(t)
	m.Submit(seller, "listings:UpdatePrice", useListing, "60000", "dearer").MustOK(t)
	for seq, price := range []int64{50000, 60000} {
		key := chaincodetest.Key("listing~price", useListing, []string{"000000", "000001"}[seq])
		point := model.PricePoint{Seq: seq, PriceFen: 1, At: "2020-01-01T00:00:00Z", TxID: "forged", Reason: "listed"}
		m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{key: chaincodetest.JSON(t, point)}).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		var h model.PriceHistory
		m.Evaluate(buyer, "listings:PriceHistory", useListing).Unmarshal(t, &h)
		require.Len(t, h.Items, 2)
		assert.Equal(t, price, h.Items[seq].PriceFen)
	}
}

// openedMarkKey is the ledger key of trade id's opening mark.
func openedMarkKey(id string) string { return chaincodetest.Key(model.OpenedMarkKeyType, id) }

// TestNoOrgCompletesATradeRewrittenSinceItsOpening: a trade between two of
// Shanghai's members opened before interface 18.0.0 is Shanghai's alone to
// rewrite (openedBefore18). Delivered honestly,
// its record is rewritten to name Jiangsu's buyer, at any price, with its
// inspection over, or on other terms: the completion, which a majority
// endorses, refuses it (its opening mark holds what it was opened with),
// conveys nothing and writes no completion mark. No minority rewrites an
// opening mark (TestOnlyAMajorityWritesASaleMark).
func TestNoOrgCompletesATradeRewrittenSinceItsOpening(t *testing.T) {
	for name, c := range map[string]struct {
		rewrite func(tr *model.Trade)
		by      string
	}{
		"buyer and price": {func(tr *model.Trade) {
			tr.PriceFen, tr.BuyerID, tr.BuyerMSP, tr.DeadlineAt = 9_999_999_999, buyer, markettest.Jiangsu, tr.CreatedAt
		}, seller},
		"price": {func(tr *model.Trade) { tr.PriceFen = 1 }, localBuyer},
		"terms": {func(tr *model.Trade) { tr.TermsHash = markettest.Hash("harsher terms") }, localBuyer},
	} {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			m.delivered(t, "W1", localBuyer, useListing) // seller and buyer both Shanghai's
			m.openedBefore18(t, "W1", markettest.Orgs)
			tr := *m.trade(t, "W1")
			c.rewrite(&tr)
			m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{tradeKey("W1"): chaincodetest.JSON(t, tr)}).MustOK(t)

			r := m.Submit(c.by, "trades:Confirm", "W1")
			markettest.RequireRefused(t, r, ledgererr.Conflict, "")
			assert.Contains(t, r.Err.Error(), `trade "W1" no longer reads as it was opened`)
			assert.Equal(t, model.TradeDelivered, m.trade(t, "W1").Status)
			assert.Nil(t, m.Net.Ledger().State(saleMarkKey("W1")), "no completion mark")

		})
	}
}

// TestASaleCompletedWithoutItsOpeningMarkReadsUnsealed: a trade opened
// before interface 16.0.0 has no opening mark, and from 17.0.0 it no longer
// completes (TestOneOrgAloneConveysNoOtherOrgsAssetUnderATradeWithoutItsOpeningMark);
// one completed before got a completion mark that vouches for nothing (its
// trade ID alone, as a majority writes here), so it reads Unsealed, since
// its record was its parties' orgs' alone to rewrite until then.
func TestASaleCompletedWithoutItsOpeningMarkReadsUnsealed(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, useListing)
	sale := m.do(t, buyer, "Confirm", "T1")
	assert.Equal(t, model.TradeCompleted, sale.Status)
	m.unsealedEverywhere(t, "T1", false, buyer)
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{saleMarkKey("T1"): chaincodetest.JSON(t, model.SaleMark{TradeID: "T1"})}, markettest.Shanghai, markettest.Jiangsu, markettest.Anhui).MustOK(t)
	m.unsealedEverywhere(t, "T1", true, buyer)
	assert.Equal(t, buyer, m.GetRight(t, buyer, sale.RightID).HolderID)
}

// TestTheSellersOrgAloneRewindsNoPriceHistory: the listing's record, which
// counts its price changes, is its seller's org's alone when written before
// interface 18.0.0. Set back, the next
// honest change, endorsed by a majority, is refused rather than overwrite
// an old price: the history keeps both.
func TestTheSellersOrgAloneRewindsNoPriceHistory(t *testing.T) {
	m := newMarket(t)
	m.Submit(seller, "listings:UpdatePrice", useListing, "60000", "first change").MustOK(t)
	var l model.Listing
	m.Evaluate(seller, "listings:Get", useListing).Unmarshal(t, &l)
	require.Equal(t, 1, l.PriceSeq)
	m.listedBefore18(t, useListing)
	l.PriceSeq = 0
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{chaincodetest.Key("listing", useListing): chaincodetest.JSON(t, l)}).MustOK(t)

	r := m.Submit(seller, "listings:UpdatePrice", useListing, "70000", "rewritten")
	markettest.RequireRefused(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Err.Error(), `listing "L-use" already has price change 1`)
	var h model.PriceHistory
	m.Evaluate(regulator, "listings:PriceHistory", useListing).Unmarshal(t, &h)
	require.Len(t, h.Items, 2)
	assert.Equal(t, []int64{50000, 60000}, []int64{h.Items[0].PriceFen, h.Items[1].PriceFen})
}
