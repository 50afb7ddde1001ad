package trades_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// scopeIn is a USE licence's scope over the given regions (a JSON list).
func scopeIn(regions string) string {
	return `{"purpose":"route analytics","regions":` + regions + `,"validUntil":"2028-01-01T00:00:00Z"}`
}

// completeTrade takes a FIXED USE trade of listing through every step, the
// buyer ordering, paying and confirming, the seller accepting and
// delivering, and returns the completed trade.
func completeTrade(t *testing.T, m *markettest.Market, tradeID, listingID, buyerID, sellerID, priceFen string) *model.Trade {
	t.Helper()
	m.Submit(buyerID, "trades:Order", tradeID, listingID).MustOK(t)
	m.Submit(sellerID, "trades:Accept", tradeID).MustOK(t)
	m.SubmitWith(buyerID, markettest.Payment(priceFen), "trades:RecordPayment", tradeID, "BANK-"+tradeID).MustOK(t)
	m.Submit(sellerID, "trades:Deliver", tradeID, markettest.Hash("delivery of "+tradeID)).MustOK(t)
	return tradeOf(t, m.Submit(buyerID, "trades:Confirm", tradeID).MustOK(t))
}

// TestARegionTradesOnceTheRulesNameIt: the market's regions are those of the
// market rules in force, not a list compiled into the chaincode. While a
// joining exchange (Suzhou) is on the channel but not in the rules, its
// admin registers nobody, and nobody may name its region: as an asset's
// source, in a licence's scope, in a participant's registration, in the
// region queries. Once a majority of the orgs in force approved rules that
// name it, its members register, its holder's assets and licences cover
// it, and its members trade with the other regions in both directions. A
// region the rules do not hold stays refused after that, naming the field.
func TestARegionTradesOnceTheRulesNameIt(t *testing.T) {
	m := markettest.NewJoining(t)
	m.Join(t, markettest.Shanghai, "sh-holder", "holder", markettest.USCC(1))
	m.Join(t, markettest.Shanghai, "sh-op", "operator", markettest.USCC(2))
	m.Join(t, markettest.Jiangsu, "js-buyer", "buyer", markettest.USCC(3))
	m.Join(t, markettest.Anhui, "ah-reg", "regulator", markettest.USCC(4))
	m.RegisterAsset(t, "sh-holder", "sh-op", "sh-data", "transport", "shanghai")
	terms := markettest.Hash("terms")

	// Before the rules name Suzhou.
	szAdmin := m.Admin(markettest.Suzhou)
	szHolder := m.CA(markettest.Suzhou).IssueWithAttributes("sz-holder", "client", map[string]string{
		model.AttrUSCC: markettest.USCC(10), model.AttrRoles: "holder", model.AttrLegalName: "Enterprise sz-holder"})
	m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
		return m.Net.Submit(szAdmin, "participants:Register", "sz-holder", string(szHolder.CertPEM), "holder", markettest.USCC(10), "Enterprise sz-holder", "suzhou")
	})
	m.Refuse(t, ledgererr.InvalidArgument, "sourceRegion", func() chaincodetest.Result {
		return m.Submit("sh-holder", "assets:Apply", "a-sz", "Suzhou data", "transport", "suzhou", "Records", markettest.Hash("a-sz"))
	})
	m.Refuse(t, ledgererr.InvalidArgument, "scope.regions[1]", func() chaincodetest.Result {
		return m.Submit("sh-holder", "listings:Create", "L-early", "sh-data", "USE", scopeIn(`["shanghai","suzhou"]`), "FIXED", "1000", terms)
	})
	markettest.RequireRefused(t, m.Evaluate("sh-holder", "listings:ListByRegion", "suzhou", "", ""), ledgererr.InvalidArgument, "region")
	markettest.RequireRefused(t, m.Evaluate("ah-reg", "trades:ListMarket", "suzhou", "", "", "", "", ""), ledgererr.InvalidArgument, "region")
	// An admin of a founding org cannot place its member in a region the rules do not hold.
	shBuyer := m.CA(markettest.Shanghai).IssueWithAttributes("sh-x", "client", map[string]string{
		model.AttrUSCC: markettest.USCC(11), model.AttrRoles: "buyer", model.AttrLegalName: "Enterprise sh-x"})
	m.Refuse(t, ledgererr.InvalidArgument, "region", func() chaincodetest.Result {
		return m.Net.Submit(m.Admin(markettest.Shanghai), "participants:Register", "sh-x", string(shBuyer.CertPEM), "buyer", markettest.USCC(11), "Enterprise sh-x", "suzhou")
	})

	// A majority of the three orgs in force admits Suzhou.
	m.Admit(t, markettest.Suzhou)
	var rules model.MarketRules
	m.Evaluate("sh-holder", "market:GetRules").Unmarshal(t, &rules)
	assert.Equal(t, []string{"anhui", "jiangsu", "shanghai", "suzhou"}, rules.Regions())

	m.Join(t, markettest.Suzhou, "sz-holder", "holder", markettest.USCC(10))
	m.Join(t, markettest.Suzhou, "sz-op", "operator", markettest.USCC(12))
	m.Join(t, markettest.Suzhou, "sz-buyer", "buyer", markettest.USCC(13))
	var who model.Participant
	m.Evaluate("sz-buyer", "participants:WhoAmI").Unmarshal(t, &who)
	assert.Equal(t, "suzhou", who.Region)
	// Still no admin places a member outside its org's region.
	m.Refuse(t, ledgererr.InvalidArgument, "region", func() chaincodetest.Result {
		return m.Net.Submit(m.Admin(markettest.Shanghai), "participants:Register", "sh-x", string(shBuyer.CertPEM), "buyer", markettest.USCC(11), "Enterprise sh-x", "suzhou")
	})

	// Suzhou sells to Jiangsu.
	a := m.RegisterAsset(t, "sz-holder", "sz-op", "sz-data", "energy", "suzhou")
	assert.Equal(t, "suzhou", a.ExchangeRegion)
	holding := m.GetRight(t, "sz-holder", a.HoldingRightID)
	assert.Equal(t, []string{"anhui", "jiangsu", "shanghai", "suzhou"}, holding.Scope.Regions, "a holding covers every region of the rules in force")
	m.Submit("sz-holder", "listings:Create", "L-sz", "sz-data", "USE", scopeIn(`["suzhou","jiangsu"]`), "FIXED", "20000", terms).MustOK(t)
	tr := completeTrade(t, m, "T-sz-js", "L-sz", "js-buyer", "sz-holder", "20000")
	assert.Equal(t, model.TradeCompleted, tr.Status)
	assert.Equal(t, "suzhou", tr.Region)
	assert.Equal(t, []string{"jiangsu", "suzhou"}, m.GetRight(t, "js-buyer", tr.RightID).Scope.Regions)

	// Shanghai sells to Suzhou.
	m.Submit("sh-holder", "listings:Create", "L-sh", "sh-data", "USE", scopeIn(`["shanghai","suzhou"]`), "FIXED", "30000", terms).MustOK(t)
	tr = completeTrade(t, m, "T-sh-sz", "L-sh", "sz-buyer", "sh-holder", "30000")
	assert.Equal(t, model.TradeCompleted, tr.Status)
	assert.Equal(t, markettest.Suzhou, tr.BuyerMSP)
	assert.Equal(t, "sz-buyer", m.GetRight(t, "sz-buyer", tr.RightID).HolderID)

	// The region queries answer for Suzhou; its operator supervises its trades.
	var listings model.ListingPage
	m.Evaluate("sz-buyer", "listings:ListByRegion", "suzhou", "", "").Unmarshal(t, &listings)
	require.Len(t, listings.Items, 1)
	assert.Equal(t, "L-sz", listings.Items[0].ID)
	var trades model.TradePage
	m.Evaluate("sz-op", "trades:ListMarket", "suzhou", "", "", "", "", "").Unmarshal(t, &trades)
	assert.Len(t, trades.Items, 2, "the trades Suzhou is involved in")

	// A region the rules do not hold: zhejiang (a founding region this market's rules lack) and an invented one.
	for _, region := range []string{"zhejiang", "hangzhou"} {
		m.Refuse(t, ledgererr.InvalidArgument, "sourceRegion", func() chaincodetest.Result {
			return m.Submit("sz-holder", "assets:Apply", "a-"+region, "Data", "energy", region, "Records", markettest.Hash("a-"+region))
		})
		m.Refuse(t, ledgererr.InvalidArgument, "scope.regions[1]", func() chaincodetest.Result {
			return m.Submit("sz-holder", "listings:Create", "L-"+region, "sz-data", "USE", scopeIn(`["suzhou","`+region+`"]`), "FIXED", "1000", terms)
		})
		markettest.RequireRefused(t, m.Evaluate("sz-buyer", "listings:ListByRegion", region, "", ""), ledgererr.InvalidArgument, "region")
	}
	r := m.Submit("sz-holder", "assets:Apply", "a-bad", "Data", "energy", "hangzhou", "Records", markettest.Hash("a-bad"))
	assert.Contains(t, r.Message, fmt.Sprintf("market rules in force (version %d: anhui, jiangsu, shanghai, suzhou)", rules.Version))
}
