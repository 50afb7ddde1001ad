package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The seller's participant record is its org's alone to write. A sale still
// completes, by the buyer's confirmation or the judge's decision, whatever
// bytes it wrote there: the completion reads the seller only as the one
// whose entitlement the rights register checks, by its ID, and whose
// holding or licence the buyer receives. Failing on such bytes, it let the
// seller's org alone hold a disputed trade, which the buyer had paid for,
// from COMPLETE for good.
func TestTheSellersOrgAloneHoldsNoSaleFromCompletionWithABadRecord(t *testing.T) {
	for name, record := range markettest.BadRecords(seller, "seller") {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			m.disputed(t, "T1", buyer, holdingListing)
			m.delivered(t, "T2", buyer, useListing)
			m.PutBadRecord(t, markettest.Shanghai, seller, record)
			tr := m.do(t, operator, "Resolve", "T1", model.OutcomeComplete, "the file matches after all")
			assert.Equal(t, model.TradeCompleted, tr.Status)
			assert.Equal(t, buyer, m.GetAsset(t, buyer, "asset-1").HolderID, "the buyer holds what it paid for")
			assert.Equal(t, model.TradeCompleted, m.do(t, buyer, "Confirm", "T2").Status)
		})
	}
}

// Nor does a bad record receive anything: a buyer whose org wrote such
// bytes into its record is not conveyed what it bought (NOT_FOUND, as a
// buyer with no record), and the judge refunds it instead.
func TestABuyerWithABadRecordReceivesNothing(t *testing.T) {
	m := newMarket(t)
	m.disputed(t, "T1", buyer, holdingListing)
	m.PutBadRecord(t, markettest.Jiangsu, buyer, `{}`)
	m.refuse(t, ledgererr.NotFound, "", operator, "Resolve", "T1", model.OutcomeComplete, "the file matches after all")
	assert.Equal(t, seller, m.GetAsset(t, seller, "asset-1").HolderID)
	assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "it cannot receive").Status)
}

// A buyer withdraws the terms it staged on a listing whatever bytes the
// seller's org wrote into the seller's record since: the withdrawal, and
// TermsOrgs for it, take the seller's org from the listing, which recorded
// it from the seller's certificate when it was listed. Failing on those
// bytes, it let the seller's org alone keep the buyer's private terms on
// its peers for good. New terms on such a listing are refused (CONFLICT):
// the buyer's private terms would go to the org a listing names, which
// others may have planted, and no trade opens with such a seller anyway.
func TestTheSellersOrgAloneKeepsNoBuyerFromWithdrawingItsTerms(t *testing.T) {
	for name, record := range markettest.BadRecords(seller, "seller") {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			key := termsKey("N1", negListing, 1, buyer)
			m.StageTerms(buyer, "N1", "1", negListing, markettest.Terms("70000", "a mistake")).MustOK(t)
			m.PutBadRecord(t, markettest.Shanghai, seller, record)

			o := m.orgsOf(t, buyer, "N1", "1", negListing)
			assert.Equal(t, model.TermsOrgs{BuyerMSP: markettest.Jiangsu, SellerMSP: markettest.Shanghai}, o)
			r := m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:WithdrawTerms", Args: []string{"N1", "1", negListing},
				Endorsers: []string{o.BuyerMSP, o.SellerMSP}}).MustOK(t)
			assert.Equal(t, []string{markettest.Jiangsu, markettest.Shanghai}, r.Endorsers)
			assert.Nil(t, m.Net.Ledger().PrivateData(pair, key))
			assert.Nil(t, m.Net.Ledger().PrivateDataHash(pair, key))

			m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
				return m.StageTerms(buyer, "N1", "1", negListing, markettest.Terms("70000", ""))
			})
		})
	}
}
