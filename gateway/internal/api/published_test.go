package api_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// GET /v1/indices lists the published periods newest first, months and
// days interleaved by time, page by page, each item the publication as the
// chain answers indices:Get; a period the index read a PUBLISHED record of
// but the chain does not vouch for (no majority attested it: CONFLICT) is
// left out, and the pages go on past it.
func TestPublishedIndicesNewestFirst(t *testing.T) {
	e := newIndexedEnv(t)
	v := newDocValidator(t, e.srv.Document())
	const forged = "day:2026-04-02" // a record two orgs wrote, no majority attested
	var last *chain.Block
	for _, period := range []string{"day:2026-03-31", "month:2026-03", forged, "day:2026-04-01", "month:2026-04", "day:2026-04-30"} {
		p := model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: 1, ToBlock: 2, Digest: "d-" + period}
		last = e.chain.Add(chaintest.Tx(chaintest.Record("indices.publication", p, period)))
	}
	e.caughtUp(last)
	e.fake.Handle("indices:Get", func(c chaintest.Call) (chaintest.Response, error) {
		period := c.Args[0]
		if period == forged {
			return chaintest.Response{}, chain.Rejected(ledgererr.Conflict, "", "a majority of the regions did not attest its figures: it is no publication", "")
		}
		b, _ := json.Marshal(model.Publication{Period: period, Status: model.PublicationPublished, Figures: `{"period":"` + period + `"}`})
		return chaintest.Response{Result: b}, nil
	})

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
	assert.Len(t, e.fake.CallsTo("indices:Get"), 6, "each period the index lists is asked of the chain, once")
	for _, c := range e.fake.CallsTo("indices:Get") {
		assert.Equal(t, "alice", c.Member, "read as the caller")
	}

	// Any other failure of the chain is the answer's, not a shorter list.
	e.fake.Fails("indices:Get", &chain.Error{Kind: chain.KindUnavailable, Message: "peer down"})
	resp := e.do("alice", "GET", "/v1/indices", "")
	assert.Equal(t, 503, resp.Status, "%s", resp.Body)

	resp = e.do("alice", "GET", "/v1/indices?cursor=not-a-cursor", "")
	require.Equal(t, 400, resp.Status, "%s", resp.Body)
	assert.Equal(t, "cursor", resp.errorBody(t).Field)
}
