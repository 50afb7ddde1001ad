package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The register and the listings are public, but a trade is read only by its
// parties, the regulator and the operators of its regions (trades:Get); to
// anyone else it reads as one that does not exist. So the trade a holding is
// promised to (assets:Get, ListByHolder), the trade that bought a listing
// (listings:Get, ListBySeller; the listing still reads SOLD) and the trade
// of a sale in an asset's history show to those readers alone: blank for
// another member, another region's operator than the buyer's, an
// unregistered identity. Since interface 13.0.0 they show only to the
// readers the record names (assets.Named), without reading the trade for
// anyone else (TestAHiddenTradeIDIsInNoReadSet): an asset and a listing
// name the seller and its exchange, not the buyer, which with its region's
// operator reads the trade through trades:Get and the trade lists.
func TestTradeIDsShowOnlyToWhoMayReadTheTrade(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, seller, "Accept", "T1")
	readers := []string{seller, buyer, regulator, operator, foreignOp}
	named := []string{seller, regulator, operator}
	unnamed := []string{buyer, foreignOp}
	outsiders := []string{buyer2, localBuyer, holderOnly}
	stranger := m.Stranger(markettest.Anhui)

	asset := func(r chaincodetest.Result) *model.Asset {
		var a model.Asset
		r.Unmarshal(t, &a)
		return &a
	}
	for _, who := range named {
		assert.Equal(t, "T1", asset(m.Evaluate(who, "assets:Get", "asset-1")).HoldingLockedBy, who)
	}
	for _, who := range append(unnamed, outsiders...) {
		a := asset(m.Evaluate(who, "assets:Get", "asset-1"))
		assert.Empty(t, a.HoldingLockedBy, who)
		assert.Equal(t, model.AssetRegistered, a.Status, who)
		var holdings model.AssetPage
		m.Evaluate(who, "assets:ListByHolder", seller, "", "").Unmarshal(t, &holdings)
		require.NotEmpty(t, holdings.Items)
		for _, a := range holdings.Items {
			assert.Empty(t, a.HoldingLockedBy, who)
		}
	}
	assert.Empty(t, asset(m.Net.Evaluate(stranger, "assets:Get", "asset-1")).HoldingLockedBy, "an unregistered identity")

	m.doWith(t, buyer, markettest.Payment("1000000"), "RecordPayment", "T1", "BANK-1")
	m.do(t, seller, "Deliver", "T1", markettest.Hash("the data"))
	m.do(t, buyer, "Confirm", "T1")
	listing := func(r chaincodetest.Result) *model.Listing {
		var l model.Listing
		r.Unmarshal(t, &l)
		require.Equal(t, model.ListingSold, l.Status, "that it sold is public")
		return &l
	}
	soldIn := func(who string) []string {
		var h model.HistoryPage
		m.Evaluate(who, "assets:History", "asset-1", "100", "").Unmarshal(t, &h)
		var ids []string
		for _, e := range h.Items {
			if e.Action == model.ActionHoldingSold {
				ids = append(ids, e.TradeID)
			}
		}
		return ids
	}
	sellerListings := func(r chaincodetest.Result) map[string]string {
		var p model.ListingPage
		r.Unmarshal(t, &p)
		sold := map[string]string{}
		for _, l := range p.Items {
			sold[l.ID] = l.SoldTradeID
		}
		return sold
	}
	for _, who := range named {
		assert.Equal(t, "T1", listing(m.Evaluate(who, "listings:Get", holdingListing)).SoldTradeID, who)
		assert.Equal(t, "T1", sellerListings(m.Evaluate(who, "listings:ListBySeller", seller, "", ""))[holdingListing], who)
	}
	for _, who := range readers {
		assert.Equal(t, []string{"T1"}, soldIn(who), "%s: the entry names both parties", who)
	}
	for _, who := range unnamed {
		assert.Empty(t, listing(m.Evaluate(who, "listings:Get", holdingListing)).SoldTradeID, who)
		m.Evaluate(who, "trades:Get", "T1").MustOK(t)
	}
	for _, who := range outsiders {
		assert.Empty(t, listing(m.Evaluate(who, "listings:Get", holdingListing)).SoldTradeID, who)
		assert.Empty(t, sellerListings(m.Evaluate(who, "listings:ListBySeller", seller, "", ""))[holdingListing], who)
		assert.Equal(t, []string{""}, soldIn(who), who)
	}
	assert.Empty(t, listing(m.Net.Evaluate(stranger, "listings:Get", holdingListing)).SoldTradeID, "an unregistered identity")
}

// A licence over a holding promised to a trade is refused to every buyer who
// orders it, and a holding's offer to its recipient; the refusal says that
// the holding is promised, never to which trade.
func TestTheRefusalOfAPromisedHoldingNamesNoTrade(t *testing.T) {
	m := newMarket(t)
	scope := `{"purpose":"credit risk model","regions":["shanghai"],"validUntil":"2028-01-01T00:00:00Z"}`
	m.Submit(seller, "listings:Create", "L-use1", "asset-1", "USE", scope, "FIXED", "5000", markettest.Hash("t")).MustOK(t)
	m.Submit(seller, "rights:TransferHolding", "asset-1", buyer2, "merger").MustOK(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, seller, "Accept", "T1")

	for _, r := range []chaincodetest.Result{
		m.Submit(localBuyer, "trades:Order", "T2", "L-use1"),
		m.Submit(buyer2, "rights:AcceptHolding", "asset-1"),
	} {
		markettest.RequireRefused(t, r, ledgererr.Conflict, "")
		assert.Contains(t, r.Message, "promised to a trade")
		assert.NotContains(t, r.Message, "T1")
	}
}
