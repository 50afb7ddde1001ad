package trades_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// closePages has who close the other trades of sale page after page, from
// the first, until the bookmark is "", and returns each page's answer and
// the number of trade records each read. Every page must succeed.
func (m *market) closePages(t *testing.T, who, sale string) (pages []model.ClosedTrades, tradesRead []int) {
	t.Helper()
	return m.closePagesReading(t, who, sale, func(key string) bool {
		_, attrs, ok := strings.Cut(key, "\x00trade\x00")
		return ok && attrs != ""
	})
}

// closePagesReading is closePages counting the keys each page read that
// counted admits.
func (m *market) closePagesReading(t *testing.T, who, sale string, counted func(key string) bool) (pages []model.ClosedTrades, reads []int) {
	t.Helper()
	bookmark := ""
	for {
		r := m.Submit(who, "trades:CloseOthers", sale, bookmark).MustOK(t)
		var page model.ClosedTrades
		r.Unmarshal(t, &page)
		read := 0
		for _, key := range r.Reads {
			if counted(key) {
				read++
			}
		}
		pages, reads = append(pages, page), append(reads, read)
		require.Less(t, len(pages), 100, "the pages never end")
		if bookmark = page.Bookmark; bookmark == "" {
			return pages, reads
		}
	}
}

// sold has buyer buy the holding of holdingListing in trade sale.
func (m *market) sold(t *testing.T, sale string) {
	t.Helper()
	m.delivered(t, sale, buyer, holdingListing)
	m.do(t, buyer, "Confirm", sale)
}

// Rivals of as many enterprises may each place an order on a listing: the sale of its
// holding leaves them waiting, and CloseOthers closes them in pages of at
// most model.MaxTradesClosedPerCall, each reading as many trades and the one
// after them, continued by the bookmark of the last until every one is
// closed, each once.
func TestCloseOthersClosesAnyNumberOfOrdersInBoundedPages(t *testing.T) {
	const sale = "THE-SALE"
	m := newMarket(t)
	var orders []string
	for i, rival := range m.rivals(t, markettest.Anhui, "ah-rival", 2*model.MaxTradesClosedPerCall+7) {
		id := fmt.Sprintf("RIVAL-%03d", i)
		m.do(t, rival, "Order", id, holdingListing)
		orders = append(orders, id)
	}
	m.sold(t, sale)

	pages, read := m.closePages(t, seller, sale)
	require.Len(t, pages, 3)
	var closed []string
	for i, page := range pages {
		assert.LessOrEqual(t, len(page.TradeIDs), model.MaxTradesClosedPerCall, "page %d", i)
		assert.LessOrEqual(t, read[i], model.MaxTradesClosedPerCall+2, "page %d reads its trades, the one after and the sale", i)
		closed = append(closed, page.TradeIDs...)
	}
	assert.Equal(t, orders, closed, "every order closed, each once, in key order")
	for _, id := range orders {
		assert.Equal(t, model.TradeCancelled, m.trade(t, id).Status, id)
	}
	again, _ := m.closePages(t, operator, sale)
	assert.Len(t, again, 3, "the pages count the trades read, closed or not")
	for _, page := range again {
		assert.Empty(t, page.TradeIDs, "nothing is left to close")
	}
}

// A bookmark continues only through the trades of the listings the sale
// took off the market: one of a listing still on offer, or any other key,
// is refused (INVALID_ARGUMENT, from) and closes nothing.
func TestCloseOthersBookmarkClosesNoTradeOfAListingNotSold(t *testing.T) {
	const sale = "THE-SALE"
	m := newMarket(t)
	m.do(t, buyer2, "Order", "ON-OFFER", useListing)
	m.do(t, buyer2, "Order", "LOST", holdingListing)
	m.sold(t, sale)
	for _, bookmark := range []string{
		chaincodetest.Key("trade~listing", useListing, "ON-OFFER"),
		chaincodetest.Key("trade~listing", useListing, ""),
		chaincodetest.Key("trade~listing", "L-", ""),
		chaincodetest.Key("trade~party", buyer2, "ON-OFFER"),
		"ON-OFFER",
	} {
		m.refuse(t, ledgererr.InvalidArgument, "from", seller, "CloseOthers", sale, bookmark)
	}
	assert.Equal(t, model.TradeOrdered, m.trade(t, "ON-OFFER").Status)
	assert.Equal(t, model.TradeOrdered, m.trade(t, "LOST").Status)
}

// Pages name and count only the trades their caller may read. The operator
// now running the shanghai exchange may not read the Anhui buyer's orders on
// the seller's jiangsu licence that the sale withdrew, and reads the Jiangsu
// buyer's: however many of the former lie among the latter, its pages and
// bookmarks are those of a market where they were never placed.
func TestCloseOthersPagesTellNothingOfTradesTheCallerMayNotRead(t *testing.T) {
	const sale = "THE-SALE"
	run := func(hidden bool) ([]model.ClosedTrades, []string) {
		m := newMarket(t)
		// One open order per enterprise on a listing: the Jiangsu buyers and the Anhui ones act for
		// enterprises of their own, joined before the move.
		seen := m.rivals(t, markettest.Jiangsu, "js-rival", model.MaxTradesClosedPerCall+3)
		var unseen []string
		if hidden {
			unseen = m.rivals(t, markettest.Anhui, "ah-rival", 2*(model.MaxTradesClosedPerCall+3))
		}
		m.Move(t, map[string]string{markettest.Shanghai: "jiangsu", markettest.Jiangsu: "shanghai"})
		m.Submit(seller, "listings:Create", "L-use-js", "asset-1", "USE", useScope, "FIXED", "50000", markettest.Hash("t")).MustOK(t)
		var hiddenIDs []string
		for i := range model.MaxTradesClosedPerCall + 3 {
			m.do(t, seen[i], "Order", fmt.Sprintf("X%03d-seen", i), "L-use-js")
			if hidden {
				for j, suffix := range []string{"-hidden", "-zhidden"} {
					id := fmt.Sprintf("X%03d%s", i, suffix)
					m.do(t, unseen[2*i+j], "Order", id, "L-use-js")
					hiddenIDs = append(hiddenIDs, id)
				}
			}
		}
		m.sold(t, sale)
		pages, _ := m.closePages(t, foreignOp, sale)
		for _, id := range hiddenIDs {
			require.Equal(t, model.TradeOrdered, m.trade(t, id).Status, "%s is not the operator's to close", id)
		}
		return pages, hiddenIDs
	}
	bare, _ := run(false)
	pages, hiddenIDs := run(true)
	require.Greater(t, len(bare), 1, "the operator's trades take more than a page")
	assert.Equal(t, bare, pages)
	for _, page := range pages {
		assert.False(t, slices.ContainsFunc(hiddenIDs, func(id string) bool { return strings.Contains(page.Bookmark, id) }), page.Bookmark)
	}
}
