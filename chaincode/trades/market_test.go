package trades_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// listMarket reads every page of ListMarket as who and returns the trade IDs
// in order.
func (m *market) listMarket(t *testing.T, who, region, status, from, before, size string) []string {
	t.Helper()
	ids := []string{}
	for _, tr := range chaincodetest.Items[model.Trade](t, func(bookmark string) chaincodetest.Result {
		return m.Evaluate(who, "trades:ListMarket", region, status, from, before, size, bookmark)
	}) {
		ids = append(ids, tr.ID)
	}
	return ids
}

// listJiangsuLicence has a Jiangsu holder, js-seller, list a USE licence
// over its asset-js as L-js: a listing of the jiangsu region.
func (m *market) listJiangsuLicence(t *testing.T) {
	t.Helper()
	m.Join(t, markettest.Jiangsu, "js-seller", "holder", markettest.USCC(6))
	m.RegisterAsset(t, "js-seller", foreignOp, "asset-js", "finance", "jiangsu")
	m.Submit("js-seller", "listings:Create", "L-js", "asset-js", "USE", useScope, "FIXED", "7000", markettest.Hash("t")).MustOK(t)
}

// The regulator sees the market whole, and each region's operator the
// trades its region is involved in (as the seller's or the buyer's), by
// status and period, oldest first.
func TestListMarket(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Jiangsu, "js-op2", "operator", markettest.USCC(103))
	m.listJiangsuLicence(t)

	start := state.Format(m.Net.Now())
	m.paid(t, "T1", buyer, useListing)             // shanghai seller, jiangsu buyer: PAID
	m.do(t, localBuyer, "Order", "T2", useListing) // shanghai only: ORDERED
	m.Net.Advance(24 * time.Hour)
	dayTwo := state.Format(m.Net.Now())
	m.do(t, buyer2, "Order", "T3", "L-js") // jiangsu seller, anhui buyer: ORDERED
	m.do(t, buyer, "Order", "T4", holdingListing)

	for _, size := range []string{"1", "2", "20"} {
		assert.Equal(t, []string{"T1", "T2", "T3", "T4"}, m.listMarket(t, regulator, "", "", "", "", size), "page size %s", size)
	}
	assert.Equal(t, []string{"T1", "T2", "T4"}, m.listMarket(t, regulator, "shanghai", "", "", "", "2"))
	assert.Equal(t, []string{"T1", "T3", "T4"}, m.listMarket(t, regulator, "jiangsu", "", "", "", "2"))
	assert.Equal(t, []string{"T3"}, m.listMarket(t, regulator, "anhui", "", "", "", ""))
	assert.Equal(t, []string{"T2", "T3", "T4"}, m.listMarket(t, regulator, "", model.TradeOrdered, "", "", "1"))
	assert.Equal(t, []string{"T1"}, m.listMarket(t, regulator, "", model.TradePaid, "", "", ""))
	assert.Equal(t, []string{"T1", "T2"}, m.listMarket(t, regulator, "", "", start, dayTwo, ""))
	assert.Equal(t, []string{"T3", "T4"}, m.listMarket(t, regulator, "", "", dayTwo, "", ""))
	assert.Equal(t, []string{"T3", "T4"}, m.listMarket(t, regulator, "jiangsu", model.TradeOrdered, dayTwo, "", ""))
	assert.Equal(t, []string{"T2"}, m.listMarket(t, regulator, "shanghai", model.TradeOrdered, start, dayTwo, ""))
	// An instant with an offset means the same instant in UTC.
	at, err := time.Parse(time.RFC3339, dayTwo)
	require.NoError(t, err)
	assert.Equal(t, []string{"T3", "T4"}, m.listMarket(t, regulator, "", "", at.In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339), "", ""))

	// Each region's operator lists its own region: the trades it supervises
	// and those its members buy in.
	assert.Equal(t, []string{"T1", "T2", "T4"}, m.listMarket(t, operator, "shanghai", "", "", "", ""))
	assert.Equal(t, []string{"T1", "T3", "T4"}, m.listMarket(t, foreignOp, "jiangsu", "", "", "", ""))
}

// Nobody reads past the list they may read: not a party, not an operator
// outside its region, not with a bookmark of another list.
func TestListMarketRefusals(t *testing.T) {
	m := newMarket(t)
	m.paid(t, "T1", buyer, useListing)
	m.do(t, localBuyer, "Order", "T2", useListing)

	refused := func(code ledgererr.Code, field, who string, args ...string) {
		t.Helper()
		markettest.RequireRefused(t, m.Evaluate(who, "trades:ListMarket", args...), code, field)
	}
	refused(ledgererr.Forbidden, "", buyer, "", "", "", "", "", "")
	refused(ledgererr.Forbidden, "", buyer, "jiangsu", "", "", "", "", "")
	refused(ledgererr.Forbidden, "", seller, "shanghai", "", "", "", "", "")
	refused(ledgererr.Forbidden, "", operator, "", "", "", "", "", "")
	refused(ledgererr.Forbidden, "", operator, "jiangsu", "", "", "", "", "")
	refused(ledgererr.Forbidden, "", foreignOp, "shanghai", "", "", "", "", "")

	refused(ledgererr.InvalidArgument, "region", regulator, "mars", "", "", "", "", "")
	refused(ledgererr.InvalidArgument, "status", regulator, "", "SOLD", "", "", "", "")
	refused(ledgererr.InvalidArgument, "openedFrom", regulator, "", "", "yesterday", "", "", "")
	refused(ledgererr.InvalidArgument, "openedBefore", regulator, "", "", "", "2026-13-01T00:00:00Z", "", "")
	refused(ledgererr.InvalidArgument, "openedBefore", regulator, "", "", "2026-03-02T00:00:00Z", "2026-03-01T00:00:00Z", "", "")
	refused(ledgererr.InvalidArgument, "pageSize", regulator, "", "", "", "", "101", "")

	// A Jiangsu operator cannot use a bookmark of Shanghai's list, nor of
	// another period, to read past its own.
	var p model.TradePage
	m.Evaluate(regulator, "trades:ListMarket", "shanghai", "", "", "", "1", "").Unmarshal(t, &p)
	require.NotEmpty(t, p.Bookmark)
	refused(ledgererr.InvalidArgument, "bookmark", foreignOp, "jiangsu", "", "", "", "1", p.Bookmark)
	refused(ledgererr.InvalidArgument, "bookmark", regulator, "", "", "", "", "1", p.Bookmark)
	m.Evaluate(regulator, "trades:ListMarket", "", "", "", "", "1", "").Unmarshal(t, &p)
	require.NotEmpty(t, p.Bookmark)
	refused(ledgererr.InvalidArgument, "bookmark", regulator, "", "", "", p.Items[0].CreatedAt, "1", p.Bookmark)
}

// TestNoRegionIsNamedLikeTheWholeMarket: the market index files every trade
// under "all", the whole market, beside its regions. Were a region called
// "all", its exchange operator, who lists its own region's trades, would
// list the whole market's (a Shanghai seller's sale to an Anhui buyer
// included), which only the regulator may. Rules that name such a region
// are refused, naming the field.
func TestNoRegionIsNamedLikeTheWholeMarket(t *testing.T) {
	m := markettest.NewJoining(t)
	current := rulestest.Current(t, m.Net, m.Admin(markettest.Shanghai))
	next := current.Rules
	next.Version++
	next.Orgs = append(append([]model.MarketOrg{}, current.Orgs...), model.MarketOrg{
		MSPID: markettest.Suzhou, Region: "all", RootCerts: []string{string(m.CA(markettest.Suzhou).CertificatePEM())}, IntermediateCerts: []string{},
	})
	doc := rulestest.JSON(t, &next)
	m.Refuse(t, ledgererr.InvalidArgument, "rules.orgs[3].region", func() chaincodetest.Result {
		return m.Net.Submit(m.Admin(markettest.Shanghai), "market:Approve", doc)
	})
}
