package api_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// One GET /v1/indices reads on past the periods the chain does not vouch for a bounded number of periods, whatever
// the caller's limit: with limit=1 and a long run of periods left out, a request read one period an evaluation until
// it found one vouched for, as many evaluations as the run was long. Paging on from its cursor still reaches every
// vouched period.
func TestPublishedIndicesReadOnIsBounded(t *testing.T) {
	e := newIndexedEnv(t)
	var forged []string
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 3*model.MaxPageSize + 5 {
		forged = append(forged, "day:"+day.Format(time.DateOnly))
		day = day.AddDate(0, 0, 1)
	}
	vouched := []string{"day:2026-06-01", "day:2024-12-31"} // newer and older than the run left out
	var last *chain.Block
	for _, period := range append(slices.Clone(forged), vouched...) {
		p := model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: 1, ToBlock: 2, Digest: "d-" + period}
		last = e.chain.Add(chaintest.Tx(chaintest.Record("indices.publication", p, period)))
	}
	e.caughtUp(last)
	e.fake.Handle("indices:GetPublished", vouchingFor(model.MaxPageSize, forged...))

	var got []string
	cursor := ""
	for pages := 1; ; pages++ {
		before := e.fake.CallsTo("indices:GetPublished")
		resp := e.do("alice", "GET", "/v1/indices?limit=1&cursor="+url.QueryEscape(cursor), "")
		require.Equal(t, 200, resp.Status, "%s", resp.Body)
		read := 0
		for _, c := range e.fake.CallsTo("indices:GetPublished")[len(before):] {
			read += len(strings.Split(c.Args[0], ","))
		}
		assert.LessOrEqual(t, read, 1+2*model.MaxPageSize, "page %d: periods read for one request of limit=1", pages)
		var page ledgerindex.PublishedIndices
		require.NoError(t, json.Unmarshal(resp.Body, &page))
		assert.LessOrEqual(t, len(page.Items), 1, "page %d: no more items than the limit", pages)
		for _, p := range page.Items {
			got = append(got, p.Period)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
		require.Less(t, pages, 20)
	}
	assert.Equal(t, vouched, got, "every vouched period, once, newest first")
}
