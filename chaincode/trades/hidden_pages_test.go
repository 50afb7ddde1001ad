package trades_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// tradePages walks a list of trades page by page as read answers it and
// returns each page's trade IDs and bookmarks.
func tradePages(t *testing.T, read func(bookmark string) chaincodetest.Result) (pages [][]string, bookmarks []string) {
	t.Helper()
	chaincodetest.EachPage(func(bookmark string) string {
		var page struct {
			Items    []struct{ ID string } `json:"items"`
			Bookmark string                `json:"bookmark"`
		}
		read(bookmark).Unmarshal(t, &page)
		ids := []string{}
		for _, tr := range page.Items {
			ids = append(ids, tr.ID)
		}
		pages, bookmarks = append(pages, ids), append(bookmarks, page.Bookmark)
		return page.Bookmark
	})
	return pages, bookmarks
}

// requireUntouchedByHidden checks a walk of a list at page size size over
// the trades a caller may read, interleaved with trades it may not (hidden):
// every readable trade once, in order, in full pages but the last, and no
// bookmark that names a hidden trade. The answer is the one the caller would
// get were the hidden trades not there at all.
func requireUntouchedByHidden(t *testing.T, size int, pages [][]string, bookmarks, readable, hidden []string) {
	t.Helper()
	var all []string
	for i, p := range pages {
		all = append(all, p...)
		if i < len(pages)-1 {
			assert.Len(t, p, size, "page %d of size %d is short", i, size)
		}
	}
	assert.Equal(t, readable, all, "page size %d", size)
	for _, b := range bookmarks {
		for _, id := range hidden {
			assert.False(t, strings.Contains(b, id), "page size %d: bookmark %q names %s", size, b, id)
		}
	}
}

// The bookmark of trades:ListByParticipant was the index key after the page,
// whichever trade it named: an operator paging one at a time through a moved
// seller's trades collected the IDs of those it may not read (the ones on
// the seller's listings of the region its org was moved from), which
// trades:Get answers it NOT_FOUND.
func TestBookmarkNamesNoTradeTheCallerMayNotRead(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer2, "Order", "T1", useListing) // shanghai seller, anhui buyer
	m.Move(t, map[string]string{markettest.Shanghai: "zhejiang"})
	m.refuse(t, ledgererr.NotFound, "", operator, "Get", "T1")
	m.Submit(seller, "listings:Create", "L-new", "asset-2", "USE", scopeIn(`["jiangsu"]`), "FIXED", "50000", markettest.Hash("terms")).MustOK(t)
	m.do(t, buyer2, "Order", "T0", "L-new")
	var page struct {
		Items    []struct{ ID string } `json:"items"`
		Bookmark string                `json:"bookmark"`
	}
	m.Evaluate(operator, "trades:ListByParticipant", seller, "1", "").Unmarshal(t, &page)
	assert.False(t, strings.Contains(page.Bookmark, "T1"), "the bookmark names T1")
}

// Paging through a moved seller's trades, the operator of its org gets every
// trade it may read exactly once, in full pages, whatever the page size,
// with the hidden ones between them; the regulator, who reads them all,
// still gets them all.
func TestPagesOverHiddenTradesSkipNoneAndRepeatNone(t *testing.T) {
	m := newMarket(t)
	// Anhui buyers of enterprises of their own: one open order per enterprise on a listing.
	rivals := m.rivals(t, markettest.Anhui, "ah-rival", 9)
	hidden := []string{"T1", "T3", "T5", "T6"}
	for i, id := range hidden {
		m.do(t, rivals[i], "Order", id, useListing)
	}
	m.Move(t, map[string]string{markettest.Shanghai: "zhejiang"})
	m.Submit(seller, "listings:Create", "L-new", "asset-2", "USE", scopeIn(`["jiangsu"]`), "FIXED", "50000", markettest.Hash("terms")).MustOK(t)
	readable := []string{"T2", "T4", "T7", "T8", "T9"}
	for i, id := range readable {
		m.do(t, rivals[len(hidden)+i], "Order", id, "L-new")
	}
	for _, size := range []int{1, 2, 3, 5, 20} {
		pages, bookmarks := tradePages(t, func(bookmark string) chaincodetest.Result {
			return m.Evaluate(operator, "trades:ListByParticipant", seller, strconv.Itoa(size), bookmark)
		})
		requireUntouchedByHidden(t, size, pages, bookmarks, readable, hidden)
	}
	all := []string{"T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"}
	pages, bookmarks := tradePages(t, func(bookmark string) chaincodetest.Result {
		return m.Evaluate(regulator, "trades:ListByParticipant", seller, "2", bookmark)
	})
	requireUntouchedByHidden(t, 2, pages, bookmarks, all, nil)
}

// trades:ListMarket's bookmark held the next entry's opening time and trade
// ID: after a majority swaps Jiangsu's and Anhui's orgs, the operator now
// of jiangsu lists the jiangsu market, whose entries still hold the Jiangsu
// buyer's older trades, and was handed their IDs in its bookmarks though it
// may read none of them. It now pages over them as though they were not
// there.
func TestTheMarketsBookmarkNamesNoTradeTheCallerMayNotRead(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Anhui, "ah-op", "operator", markettest.USCC(103))
	m.listJiangsuLicence(t)
	// Jiangsu's market, opened in this order: on the Jiangsu seller's
	// listing (the trade is jiangsu's for good) and by Jiangsu buyers on
	// Shanghai's listing (jiangsu's only while the buyers' org is); each
	// buyer's enterprise holds one open order on a listing.
	js := m.rivals(t, markettest.Jiangsu, "js-rival", 2)
	ah := m.rivals(t, markettest.Anhui, "ah-rival", 2)
	opened := []struct{ id, buyer, listing string }{
		{"T1", buyer2, "L-js"}, {"T2", buyer, useListing}, {"T3", js[0], useListing},
		{"T4", ah[0], "L-js"}, {"T5", js[1], useListing}, {"T6", ah[1], "L-js"},
	}
	for _, o := range opened {
		m.do(t, o.buyer, "Order", o.id, o.listing)
		m.Net.Advance(time.Minute)
	}
	m.Move(t, map[string]string{markettest.Jiangsu: "anhui", markettest.Anhui: "jiangsu"})
	hidden := []string{"T2", "T3", "T5"}
	for _, id := range hidden {
		m.refuse(t, ledgererr.NotFound, "", "ah-op", "Get", id)
	}
	readable := []string{"T1", "T4", "T6"}
	for _, size := range []int{1, 2, 20} {
		pages, bookmarks := tradePages(t, func(bookmark string) chaincodetest.Result {
			return m.Evaluate("ah-op", "trades:ListMarket", "jiangsu", "", "", "", strconv.Itoa(size), bookmark)
		})
		requireUntouchedByHidden(t, size, pages, bookmarks, readable, hidden)
	}
}
