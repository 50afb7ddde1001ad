package api_test

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// vouchingFor answers indices:GetPublished as the chain does, vouching for
// every period but the forged ones: at most fit publications an evaluation
// (as many as model.MaxPublicationsAnswerBytes holds), the periods after as
// Remaining.
func vouchingFor(fit int, forged ...string) chaintest.Handler {
	return func(c chaintest.Call) (chaintest.Response, error) {
		answer := model.Publications{Items: []*model.Publication{}}
		periods := strings.Split(c.Args[0], ",")
		for i, period := range periods {
			if slices.Contains(forged, period) {
				continue
			}
			if len(answer.Items) == fit {
				answer.Remaining = periods[i:]
				break
			}
			answer.Items = append(answer.Items, &model.Publication{Period: period, Status: model.PublicationPublished, Figures: `{"period":"` + period + `"}`})
		}
		b, _ := json.Marshal(answer)
		return chaintest.Response{Result: b}, nil
	}
}

// A page's next_cursor names no period the chain does not vouch for (a cursor holds its period): it is the cursor
// after the page's last item, and a page of the index with nothing the chain vouches for is read on from. Paged one,
// two or three at a time, every vouched period is listed once, in order, and no cursor names a forged one.
func TestPublishedIndicesCursorNamesOnlyVouchedPeriods(t *testing.T) {
	e := newIndexedEnv(t)
	forged := []string{"day:2026-04-02", "day:2026-04-01"} // two in a row: a page of one of them holds nothing vouched
	var last *chain.Block
	for _, period := range []string{"day:2026-03-31", "month:2026-03", forged[1], forged[0], "month:2026-04", "day:2026-04-30"} {
		p := model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: 1, ToBlock: 2, Digest: "d-" + period}
		last = e.chain.Add(chaintest.Tx(chaintest.Record("indices.publication", p, period)))
	}
	e.caughtUp(last)
	e.fake.Handle("indices:GetPublished", vouchingFor(100, forged...))
	for _, limit := range []int{1, 2, 3} {
		var got []string
		cursor := ""
		for pages := 1; ; pages++ {
			page := getOK[ledgerindex.PublishedIndices](e.env, "alice", "/v1/indices?limit="+strconv.Itoa(limit)+"&cursor="+url.QueryEscape(cursor))
			for _, p := range page.Items {
				got = append(got, p.Period)
			}
			if page.NextCursor == "" {
				break
			}
			assert.NotEmpty(t, page.Items, "limit %d: a page with a next_cursor has an item", limit)
			named, err := base64.RawURLEncoding.DecodeString(page.NextCursor)
			require.NoError(t, err)
			for _, period := range forged {
				assert.NotContains(t, string(named), period, "limit %d: the cursor names a period the chain does not vouch for", limit)
			}
			cursor = page.NextCursor
			require.Less(t, pages, 10)
		}
		assert.Equal(t, []string{"day:2026-04-30", "month:2026-04", "day:2026-03-31", "month:2026-03"}, got, "limit %d", limit)
	}
}

// GET /v1/indices lists the published periods newest first, months and
// days interleaved by time, page by page, each page's items the
// publications as the chain answers indices:GetPublished for the page's
// periods, in one evaluation; a period the index read a PUBLISHED record of
// but the chain does not vouch for (no majority attested it: the chain
// leaves it out) is left out, and the pages go on past it.
func TestPublishedIndicesNewestFirst(t *testing.T) {
	e := newIndexedEnv(t)
	v := newDocValidator(t, e.srv.Document())
	const forged = "day:2026-04-02" // a record orgs wrote with code of their own, no majority attested
	var last *chain.Block
	for _, period := range []string{"day:2026-03-31", "month:2026-03", forged, "day:2026-04-01", "month:2026-04", "day:2026-04-30"} {
		p := model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: 1, ToBlock: 2, Digest: "d-" + period}
		last = e.chain.Add(chaintest.Tx(chaintest.Record("indices.publication", p, period)))
	}
	e.caughtUp(last)
	answers := func(fit int) chaintest.Handler { return vouchingFor(fit, forged) }
	e.fake.Handle("indices:GetPublished", answers(100))

	var got []string
	cursor, pages := "", 0
	for {
		resp := e.do("alice", "GET", "/v1/indices?limit=2&cursor="+url.QueryEscape(cursor), "")
		require.Equal(t, 200, resp.Status, "%s", resp.Body)
		v.validate("GET", "/v1/indices", resp)
		var page ledgerindex.PublishedIndices
		require.NoError(t, json.Unmarshal(resp.Body, &page))
		assert.Equal(t, last.Number, page.IndexedBlock)
		for _, p := range page.Items {
			assert.Equal(t, `{"period":"`+p.Period+`"}`, p.Figures, "the item is the chain's answer")
			got = append(got, p.Period)
		}
		pages++
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
		require.Less(t, pages, 10)
	}
	assert.Equal(t, []string{"day:2026-04-30", "month:2026-04", "day:2026-04-01", "day:2026-03-31", "month:2026-03"}, got,
		"newest first, the forged period left out")
	assert.Equal(t, 3, pages, "six periods read, two a page")
	var asked []string
	for _, c := range e.fake.CallsTo("indices:GetPublished") {
		assert.Equal(t, "alice", c.Member, "read as the caller")
		asked = append(asked, c.Args...)
	}
	assert.Equal(t, []string{"day:2026-04-30,month:2026-04", forged + ",day:2026-04-01", "day:2026-03-31,month:2026-03"}, asked,
		"one evaluation a page, of the page's periods newest first")
	assert.Empty(t, e.fake.CallsTo("indices:Get"), "no evaluation per item")

	// A whole page of the largest limit is one evaluation too.
	pageOf := func(query string) []string {
		t.Helper()
		var periods []string
		for _, p := range getOK[ledgerindex.PublishedIndices](e.env, "alice", "/v1/indices?"+query).Items {
			periods = append(periods, p.Period)
		}
		return periods
	}
	assert.Equal(t, got, pageOf("limit="+strconv.Itoa(model.MaxPageSize)))
	assert.Len(t, e.fake.CallsTo("indices:GetPublished"), 4)
	// An answer with no room for them all names the rest, read next.
	e.fake.Handle("indices:GetPublished", answers(2))
	assert.Equal(t, got, pageOf("limit="+strconv.Itoa(model.MaxPageSize)))
	calls := e.fake.CallsTo("indices:GetPublished")[4:]
	require.Len(t, calls, 3)
	assert.Equal(t, []string{"day:2026-04-30,month:2026-04," + forged + ",day:2026-04-01,day:2026-03-31,month:2026-03",
		"day:2026-04-01,day:2026-03-31,month:2026-03", "month:2026-03"}, []string{calls[0].Args[0], calls[1].Args[0], calls[2].Args[0]})

	// An answer that is not the periods asked, in their order, less some,
	// is the chain's fault, not a page.
	e.fake.Returns("indices:GetPublished", model.Publications{Items: []*model.Publication{
		{Period: "month:2026-04", Status: model.PublicationPublished}, {Period: "day:2026-04-30", Status: model.PublicationPublished}}})
	resp := e.do("alice", "GET", "/v1/indices?limit=2", "")
	assert.Equal(t, 502, resp.Status, "%s", resp.Body)
	for _, answer := range []model.Publications{
		{Items: []*model.Publication{{Period: "day:2026-04-30", Status: model.PublicationOpen}}},
		{Items: []*model.Publication{}, Remaining: []string{"day:2026-04-30", "month:2026-04"}}, // no progress: it would loop
		{Items: []*model.Publication{}, Remaining: []string{"day:2026-04-30"}},                  // not what is left
	} {
		e.fake.Returns("indices:GetPublished", answer)
		resp = e.do("alice", "GET", "/v1/indices?limit=2", "")
		assert.Equal(t, 502, resp.Status, "%v: %s", answer, resp.Body)
	}

	// Any other failure of the chain is the answer's, not a shorter list.
	e.fake.Fails("indices:GetPublished", &chain.Error{Kind: chain.KindUnavailable, Message: "peer down"})
	resp = e.do("alice", "GET", "/v1/indices", "")
	assert.Equal(t, 503, resp.Status, "%s", resp.Body)

	resp = e.do("alice", "GET", "/v1/indices?cursor=not-a-cursor", "")
	require.Equal(t, 400, resp.Status, "%s", resp.Body)
	assert.Equal(t, "cursor", resp.errorBody(t).Field)
}
