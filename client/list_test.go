package client

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// pages serves a list of n listings in pages, with cursors "c1.<offset>".
func pages(t *testing.T, n int, failAt string) func(w http.ResponseWriter, r *http.Request, _ []byte) {
	return func(w http.ResponseWriter, r *http.Request, _ []byte) {
		q := r.URL.Query()
		limit := 20
		if l := q.Get("limit"); l != "" {
			_, err := fmt.Sscan(l, &limit)
			require.NoError(t, err)
		}
		offset := 0
		if c := q.Get("cursor"); c != "" {
			if c == failAt {
				fail(w, 500, "INTERNAL", "the peer fell over")
				return
			}
			_, err := fmt.Sscanf(c, "c1.%d", &offset)
			require.NoError(t, err)
		}
		var items []model.Listing
		for i := offset; i < n && i < offset+limit; i++ {
			items = append(items, model.Listing{ID: fmt.Sprintf("l%02d", i), Category: "transport", Status: "ACTIVE"})
		}
		page := map[string]any{"items": items}
		if offset+limit < n {
			page["next_cursor"] = fmt.Sprintf("c1.%d", offset+limit)
		}
		if items == nil {
			page["items"] = []any{}
		}
		reply(w, 200, page)
	}
}

func TestListsIterateAcrossPages(t *testing.T) {
	g := newGW(t, pages(t, 7, ""))
	var ids []string
	var next = "unset"
	for l, err := range g.c.Listings().ByCategory(context.Background(), "transport", PageSize(3), TrackCursor(&next)) {
		require.NoError(t, err)
		ids = append(ids, l.ID)
	}
	assert.Equal(t, []string{"l00", "l01", "l02", "l03", "l04", "l05", "l06"}, ids)
	assert.Empty(t, next, "after the last page there is no next cursor")
	reqs := g.requests()
	require.Len(t, reqs, 3)
	for i, want := range []string{"limit=3", "cursor=c1.3&limit=3", "cursor=c1.6&limit=3"} {
		assert.Equal(t, "/v1/categories/transport/listings", reqs[i].Path)
		assert.Equal(t, want, reqs[i].RawQuery)
	}
}

func TestListsFetchNoMoreThanTheLoopReads(t *testing.T) {
	g := newGW(t, pages(t, 50, ""))
	n := 0
	for _, err := range g.c.Listings().ByRegion(context.Background(), "shanghai") {
		require.NoError(t, err)
		if n++; n == 2 {
			break
		}
	}
	assert.Len(t, g.requests(), 1)
	assert.Equal(t, "/v1/regions/shanghai/listings", g.last().Path)
	assert.Empty(t, g.last().RawQuery, "the gateway's default page size")
}

func TestListsShowOnePageAtATime(t *testing.T) {
	g := newGW(t, pages(t, 50, ""))
	var next string
	read := func(cursor string) []string {
		var ids []string
		for l, err := range g.c.Listings().BySeller(context.Background(), "shanghai.holder", PageSize(10), FromCursor(cursor), TrackCursor(&next)) {
			require.NoError(t, err)
			if ids = append(ids, l.ID); len(ids) == 10 {
				break
			}
		}
		return ids
	}
	first := read("")
	assert.Equal(t, "l00", first[0])
	assert.Equal(t, "c1.10", next)
	second := read(next)
	assert.Equal(t, "l10", second[0])
	assert.Equal(t, "c1.20", next)
	assert.Len(t, g.requests(), 2)
	assert.Equal(t, "cursor=c1.10&limit=10", g.last().RawQuery)
}

func TestListsYieldTheErrorAndStop(t *testing.T) {
	g := newGW(t, pages(t, 30, "c1.20"))
	items, err := Collect(g.c.Listings().ByCategory(context.Background(), "transport"))
	require.Error(t, err)
	assert.Len(t, items, 20, "the items before the error")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 500, e.Status)
	assert.Len(t, g.requests(), 2)
}

func TestEveryListSendsItsQuery(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { reply(w, 200, `{"items":[]}`) })
	ctx := context.Background()
	for _, tc := range []struct {
		list  func() error
		path  string
		query string
	}{
		{func() error { _, err := Collect(g.c.Participants().List(ctx, "ShanghaiMSP", "buyer")); return err }, "/v1/participants", "mspId=ShanghaiMSP&role=buyer"},
		{func() error { _, err := Collect(g.c.Participants().List(ctx, "ShanghaiMSP", "")); return err }, "/v1/participants", "mspId=ShanghaiMSP"},
		{func() error { _, err := Collect(g.c.Assets().ByHolder(ctx, "shanghai.holder")); return err }, "/v1/participants/shanghai.holder/assets", ""},
		{func() error { _, err := Collect(g.c.Assets().Derived(ctx, "a1")); return err }, "/v1/assets/a1/derived", ""},
		{func() error { _, err := Collect(g.c.Rights().ByHolder(ctx, "jiangsu.buyer")); return err }, "/v1/participants/jiangsu.buyer/rights", ""},
		{func() error { _, err := Collect(g.c.Rights().ByAsset(ctx, "a1")); return err }, "/v1/assets/a1/rights", ""},
		{func() error { _, err := Collect(g.c.Trades().ByParticipant(ctx, "jiangsu.buyer")); return err }, "/v1/participants/jiangsu.buyer/trades", ""},
		{func() error { _, err := Collect(g.c.Trades().ByListing(ctx, "l1")); return err }, "/v1/listings/l1/trades", ""},
		{func() error { _, err := Collect(g.c.Credit().Records(ctx, "91310000MA1FL1800B")); return err }, "/v1/credit/records", "subjectUscc=91310000MA1FL1800B"},
		{func() error { _, err := Collect(g.c.Credit().Authorizations(ctx, "91310000MA1FL1800B")); return err }, "/v1/credit/authorizations", "subjectUscc=91310000MA1FL1800B"},
		{func() error {
			_, err := Collect(g.c.Credit().Traces(ctx, "91310000MA1FL1800B", PageSize(100)))
			return err
		}, "/v1/credit/traces", "limit=100&subjectUscc=91310000MA1FL1800B"},
		{func() error { _, err := Collect(g.c.Credit().MyTraces(ctx)); return err }, "/v1/credit/traces/mine", ""},
		{func() error { _, err := Collect(g.c.Credit().Objections(ctx, "91310000MA1FL1800B")); return err }, "/v1/credit/objections", "subjectUscc=91310000MA1FL1800B"},
		{func() error { _, err := Collect(g.c.Credit().AgencyObjections(ctx)); return err }, "/v1/credit/agency/objections", ""},
	} {
		require.NoError(t, tc.list(), tc.path)
		assert.Equal(t, "GET", g.last().Method)
		assert.Equal(t, tc.path, g.last().Path)
		assert.Equal(t, tc.query, g.last().RawQuery, tc.path)
	}
	_, err := Collect(g.c.Participants().List(ctx, "", ""))
	assert.ErrorContains(t, err, "MSP ID is required")
}
