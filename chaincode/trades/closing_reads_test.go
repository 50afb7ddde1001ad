package trades_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// indexReads has who close the other trades of sale page after page, as
// closePages, and returns the closed trades and the number of keys of the
// trades-by-listing index (composite or simple) each page read.
func (m *market) indexReads(t *testing.T, who, sale string) (closed []string, reads []int) {
	t.Helper()
	pages, reads := m.closePagesReading(t, who, sale, func(key string) bool {
		return strings.HasPrefix(key, "\x00trade~listing\x00") || strings.HasPrefix(key, "trade~listing/")
	})
	for _, page := range pages {
		closed = append(closed, page.TradeIDs...)
	}
	return closed, reads
}

// ordersSold has n Anhui buyers of as many enterprises place an order each
// on the holding listing, has the listing made as before interface 12.0.0
// if old, sells the holding and returns the orders.
func (m *market) ordersSold(t *testing.T, n int, old bool) []string {
	t.Helper()
	var orders []string
	for i, rival := range m.rivals(t, markettest.Anhui, "ah-rival", n) {
		id := fmt.Sprintf("RIVAL-%04d", i)
		m.do(t, rival, "Order", id, holdingListing)
		orders = append(orders, id)
	}
	if old {
		m.makeOld(t, holdingListing)
	}
	m.sold(t, "THE-SALE")
	return orders
}

// makeOld turns listingID into a listing as interface 11 left it: its record
// without TradeKeys, its trades indexed under composite keys alone. Every
// org endorses the change (a listing is under a majority from interface
// 18.0.0; it was its seller's org's alone before).
func (m *market) makeOld(t *testing.T, listingID string) {
	t.Helper()
	var l model.Listing
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(chaincodetest.Key("listing", listingID)), &l))
	require.True(t, l.TradeKeys, "a listing is created with simple trade keys")
	l.TradeKeys = false
	writes := chaincodetest.Writes{chaincodetest.Key("listing", listingID): chaincodetest.JSON(t, l)}
	prefix := "trade~listing/" + listingID + "/"
	for _, key := range m.Net.Ledger().StateKeys() {
		if strings.HasPrefix(key, prefix) {
			writes[key] = nil
		}
	}
	m.Net.Forge(m.Admin(markettest.Shanghai), writes, markettest.Orgs...).MustOK(t)
}

// Each page of CloseOthers reads the index entries of its own trades and
// the next, however many orders lie before them: the trades of a listing
// are a range of simple keys that starts at the bookmark, where reading a
// partial composite key from its start read every earlier entry again, and
// a walk through N orders about N*N/50 entries.
func TestEveryPageOfCloseOthersReadsABoundedStretchOfTheIndex(t *testing.T) {
	for _, n := range []int{model.MaxTradesClosedPerCall, 500, 1000} {
		m := newMarket(t)
		orders := m.ordersSold(t, n, false)
		closed, reads := m.indexReads(t, seller, "THE-SALE")
		assert.Equal(t, orders, closed, "every order closed, each once, in key order")
		total := 0
		for i, read := range reads {
			// A peer sends a range query's results in batches of 100,
			// reading each batch and the result after it.
			assert.LessOrEqual(t, read, 101, "n=%d: page %d reads %d index keys", n, i, read)
			total += read
		}
		t.Logf("n=%d: %d pages read %v index keys, %d in all", n, len(reads), reads, total)
	}
}

// A listing made before its trades had simple keys still has its trades
// closed, all of them, in the same order, its index read from the start as
// before.
func TestCloseOthersClosesTheTradesOfAListingMadeBefore(t *testing.T) {
	const n = 2*model.MaxTradesClosedPerCall + 7
	newer := newMarket(t)
	orders := newer.ordersSold(t, n, false)
	closedNew, _ := newer.indexReads(t, seller, "THE-SALE")

	old := newMarket(t)
	require.Equal(t, orders, old.ordersSold(t, n, true))
	closedOld, reads := old.indexReads(t, seller, "THE-SALE")
	assert.Equal(t, orders, closedOld, "every order of the old listing closed, each once, in key order")
	assert.Equal(t, closedNew, closedOld)
	for _, id := range orders {
		assert.Equal(t, model.TradeCancelled, old.trade(t, id).Status, id)
	}
	t.Logf("old listing, n=%d: index keys read per page %v", n, reads)
}

// Bookmarks keep their form, the idxListing key of the next trade, and a
// bookmark starts a listing's range of simple keys where it starts its
// composite entries: a page of CloseOthers from any bookmark under the
// listing, those no page handed out too, closes the trades it closed in 11
// (each page evaluated, so that both markets stay as they were).
func TestCloseOthersBookmarksStartWhereTheyDidBefore(t *testing.T) {
	key := func(attrs ...string) string {
		return chaincodetest.Key("trade~listing", append([]string{holdingListing}, attrs...)...)
	}
	var markets [2]*market
	for i, old := range []bool{true, false} {
		markets[i] = newMarket(t)
		markets[i].ordersSold(t, model.MaxTradesClosedPerCall+2, old)
	}
	for _, from := range []string{
		"",
		key("RIVAL-0005"),
		key("RIVAL-000"),
		key("RIVAL-0005", "more"),
		key("RIVAL-0005") + "more",
		key("RIVAL-0005")[:len(key("RIVAL-0005"))-1],
		key("RIVAL-0005/"),
		key(""),
		key("ZZZ"),
	} {
		var pages [2]model.ClosedTrades
		for i, m := range markets {
			m.Evaluate(seller, "trades:CloseOthers", "THE-SALE", from).MustOK(t).Unmarshal(t, &pages[i])
		}
		assert.Equal(t, pages[0], pages[1], "%q", from)
		if from == "" {
			assert.Equal(t, key(fmt.Sprintf("RIVAL-%04d", model.MaxTradesClosedPerCall)), pages[1].Bookmark)
		}
	}
}
