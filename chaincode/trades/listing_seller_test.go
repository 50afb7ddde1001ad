package trades_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/trades"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A listing written before interface 18.0.0 is its seller's org's alone: Shanghai's peers alone rewrote their
// member's listing to offer a Jiangsu member's asset in that member's name, at a price (1 fen) and in a region
// Shanghai chose, and a buyer's Order (or Propose) opened a trade naming the Jiangsu member as its seller, who never
// listed it, for it to accept as its own offer. An order opens only on a listing its seller's index names (the
// entry Create writes with it, under the chaincode-level policy): CONFLICT, nothing written. The record written
// back as it was takes orders again.
func TestOneOrgAloneOpensNoTradeInAnotherSellersName(t *testing.T) {
	for _, c := range []struct{ function, listing string }{{"Order", useListing}, {"Propose", negListing}} {
		t.Run(c.function, func(t *testing.T) {
			m := newMarket(t)
			m.RegisterAsset(t, holderOnly, foreignOp, "asset-9", "finance", "jiangsu")
			m.listedBefore18(t, c.listing)
			key := chaincodetest.Key("listing", c.listing)
			honest := m.Net.Ledger().State(key)
			var l model.Listing
			require.NoError(t, json.Unmarshal(honest, &l))
			l.AssetID, l.SellerID, l.SellerMSP, l.Region, l.SourceRegion, l.PriceFen = "asset-9", holderOnly, markettest.Jiangsu, "jiangsu", "jiangsu", 1
			m.Net.Forge(m.As(seller), chaincodetest.Writes{key: chaincodetest.JSON(t, l)}).MustOK(t) // Shanghai's alone

			open := func(id string) chaincodetest.Result {
				if c.function == "Order" {
					return m.Submit(buyer2, "trades:Order", id, c.listing)
				}
				return m.Offer(t, buyer2, markettest.Terms("70000", ""), "trades:Propose", id, c.listing)
			}
			if c.function == "Order" {
				m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result { return open("T-X") })
			} else { // its terms are refused too (they would go to Jiangsu's peers), and the proposal without them
				markettest.RequireRefused(t, m.StageTerms(buyer2, "T-X", "1", c.listing, markettest.Terms("70000", "")), ledgererr.Conflict, "")
				markettest.RequireRefused(t, m.Submit(buyer2, "trades:Propose", "T-X", c.listing), ledgererr.Conflict, "")
			}
			m.Refuse(t, ledgererr.NotFound, "", func() chaincodetest.Result { return m.Evaluate(buyer2, "trades:Get", "T-X") })

			m.Net.Forge(m.As(seller), chaincodetest.Writes{key: honest}).MustOK(t)
			require.Equal(t, seller, tradeOf(t, open("T-Y").MustOK(t)).SellerID)
		})
	}
}

// Shanghai's peers alone rewrote their member's listing, written before 18.0.0, to name a Jiangsu member as its
// seller: an Anhui buyer's terms staged for round 1 on it went to the collection of Anhui and Jiangsu, whose peers
// received terms meant for the Shanghai seller. Round 1 is staged only on a listing its seller's index names, as an
// order opens only on one (CONFLICT, nothing staged anywhere); the record written back as it was takes the terms,
// in Anhui's and Shanghai's collection.
func TestOneOrgAloneSendsNoBuyersTermsToAThirdOrg(t *testing.T) {
	m := newMarket(t)
	m.listedBefore18(t, negListing)
	key := chaincodetest.Key("listing", negListing)
	honest := m.Net.Ledger().State(key)
	m.Net.Forge(m.As(seller), chaincodetest.Writes{key: rewriteListing(t, m, negListing,
		func(l *model.Listing) { l.SellerID, l.SellerMSP = holderOnly, markettest.Jiangsu })}).MustOK(t) // Shanghai's alone
	third, staged := trades.TermsCollection(markettest.Anhui, markettest.Jiangsu), termsKey("N1", negListing, 1, buyer2)
	stage := func(endorsers ...string) chaincodetest.Result {
		return m.Net.Invoke(m.As(buyer2), chaincodetest.Call{Function: "trades:StageTerms", Args: []string{"N1", "1", negListing},
			Transient: markettest.Terms("70000", "for the Shanghai seller's eyes"), Endorsers: endorsers})
	}

	markettest.RequireRefused(t, stage(markettest.Anhui, markettest.Jiangsu), ledgererr.Conflict, "")
	assert.Nil(t, m.Net.Ledger().PrivateData(third, staged), "Jiangsu's peers hold no terms")
	assert.Nil(t, m.Net.Ledger().PrivateDataHash(third, staged))

	m.Net.Forge(m.As(seller), chaincodetest.Writes{key: honest}).MustOK(t)
	stage(markettest.Anhui, markettest.Shanghai).MustOK(t)
	assert.NotNil(t, m.Net.Ledger().PrivateData(trades.TermsCollection(markettest.Anhui, markettest.Shanghai), staged))
}

// A withdrawal of round 1 needs the listing's ID and the buyer's own key only. Shanghai's peers alone wrote, into
// their member's listing written before 18.0.0, bytes that are no listing, a record naming no listing, or none, or
// named a Jiangsu member as its seller: TermsOrgs and WithdrawTerms failed (INTERNAL, NOT_FOUND), or looked in the
// collection of Anhui and Jiangsu, and the Anhui buyer's terms stayed on Shanghai's peers for good. The withdrawal
// takes them from where they are held; once they are gone, TermsOrgs names no org (nothing is staged, and the
// listing takes no staging).
func TestOneOrgAloneKeepsNoBuyerFromWithdrawingThroughItsListing(t *testing.T) {
	rewrites := map[string]func(m *market) []byte{
		"no JSON":    func(*market) []byte { return []byte("not a listing") },
		"no listing": func(*market) []byte { return []byte(`{}`) },
		"deleted":    func(*market) []byte { return nil },
		"another seller": func(m *market) []byte {
			return rewriteListing(t, m, negListing, func(l *model.Listing) { l.SellerID, l.SellerMSP = holderOnly, markettest.Jiangsu })
		},
	}
	for name, rewrite := range rewrites {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			m.listedBefore18(t, negListing)
			held, key := trades.TermsCollection(markettest.Anhui, markettest.Shanghai), termsKey("N1", negListing, 1, buyer2)
			m.StageTerms(buyer2, "N1", "1", negListing, markettest.Terms("70000", "a mistake")).MustOK(t)
			m.Net.Forge(m.As(seller), chaincodetest.Writes{chaincodetest.Key("listing", negListing): rewrite(m)}).MustOK(t) // Shanghai's alone

			o := m.orgsOf(t, buyer2, "N1", "1", negListing)
			require.Equal(t, model.TermsOrgs{BuyerMSP: markettest.Anhui, SellerMSP: markettest.Shanghai}, o)
			m.Net.Invoke(m.As(buyer2), chaincodetest.Call{Function: "trades:WithdrawTerms", Args: []string{"N1", "1", negListing},
				Endorsers: []string{o.BuyerMSP, o.SellerMSP}}).MustOK(t)
			assert.Nil(t, m.Net.Ledger().PrivateData(held, key), "withdrawn from Shanghai's peers")
			assert.Nil(t, m.Net.Ledger().PrivateDataHash(held, key))

			r := m.termsOrgs(buyer2, "N1", "1", negListing)
			require.Error(t, r.Err, "no org is named once nothing is staged: %s", r.Payload)
		})
	}
}
