package index_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
)

// published is a publication record of the period, as indices:Publish
// writes it (OPEN as indices:Open does).
func published(period, status string) chain.Write {
	p := model.Publication{Period: period, Status: status, OpenedBy: "reg", OpenedAt: "2026-05-01T00:00:00Z"}
	if status == model.PublicationPublished {
		p.FromBlock, p.ToBlock, p.Digest, p.PublishedAt = 3, 40, "d-"+period, "2026-05-02T01:00:00Z"
	}
	return chaintest.Record("indices.publication", p, period)
}

// publicationsChain publishes, in an order that is not time's, days,
// months, an hour and a minute; a period only opened is no publication.
func publicationsChain() *chaintest.Chain {
	c := chaintest.NewChain(time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC))
	for _, period := range []string{"month:2026-03", "day:2026-03-31", "day:2026-01-15", "month:2026-04", "day:2026-04-01",
		"hour:2026-03-31T23", "minute:2026-04-01T00:00", "day:2026-04-30"} {
		c.Add(chaintest.Tx(published(period, model.PublicationOpen)), chaintest.Tx(published(period, model.PublicationPublished)))
	}
	c.Add(chaintest.Tx(published("day:2026-05-01", model.PublicationOpen)))
	return c
}

// newestFirst is publicationsChain's periods in the list's order: by end,
// latest first (a day of April before the minute that began it); of those
// that end together (a month, its last day and hour), the shorter first.
var newestFirst = []string{"day:2026-04-30", "month:2026-04", "day:2026-04-01", "minute:2026-04-01T00:00",
	"hour:2026-03-31T23", "day:2026-03-31", "month:2026-03", "day:2026-01-15"}

// pages reads every page of the published periods, limit at a time.
func pages(t *testing.T, x *index.Index, limit int) (periods []string, pages int) {
	t.Helper()
	cursor := ""
	for {
		page, err := x.PublishedPeriods(t.Context(), limit, cursor)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(page.Periods), limit)
		periods, pages = append(periods, page.Periods...), pages+1
		if page.NextCursor == "" {
			return periods, pages
		}
		cursor = page.NextCursor
		require.Less(t, pages, 20, "the pages end")
	}
}

// The index lists every published period once, newest first, months and
// days interleaved by time, a period only opened not at all; pages of any
// size give the same list; on both databases.
func TestPublishedPeriodsNewestFirst(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		c := publicationsChain()
		x := following(t, open, c)
		first, err := x.PublishedPeriods(t.Context(), 0, "")
		require.NoError(t, err)
		assert.Equal(t, newestFirst, first.Periods, "one page of the default size holds them all")
		assert.Empty(t, first.NextCursor)
		h, _ := c.Height(t.Context())
		assert.Equal(t, h-1, first.IndexedBlock)
		for _, limit := range []int{1, 3, 7} {
			got, n := pages(t, x, limit)
			assert.Equal(t, newestFirst, got, "pages of %d", limit)
			assert.Equal(t, (len(newestFirst)+limit-1)/limit, n, "pages of %d", limit)
		}

		// Each period's cursor reads on from the period after it, the last's
		// is the page's.
		page3, err := x.PublishedPeriods(t.Context(), 3, "")
		require.NoError(t, err)
		require.Len(t, page3.CursorsAfter, 3)
		assert.Equal(t, page3.NextCursor, page3.CursorsAfter[2])
		after, err := x.PublishedPeriods(t.Context(), 2, page3.CursorsAfter[0])
		require.NoError(t, err)
		assert.Equal(t, newestFirst[1:3], after.Periods)

		// A later publication comes first.
		c.Add(chaintest.Tx(published("day:2026-05-01", model.PublicationPublished)))
		caughtUp(t, x, c)
		page, err := x.PublishedPeriods(t.Context(), 2, "")
		require.NoError(t, err)
		assert.Equal(t, []string{"day:2026-05-01", "day:2026-04-30"}, page.Periods)
	})
}

// A cursor is the list's own: another list's, or text, is refused.
func TestPublishedPeriodsCursor(t *testing.T) {
	x := openIndex(t, index.Store{Path: t.TempDir() + "/index.db"})
	for _, cursor := range []string{"not-a-cursor", "WyJ0cmFkZXMiLDEsIngiXQ"} { // ["trades",1,"x"]
		_, err := x.PublishedPeriods(t.Context(), 5, cursor)
		assert.ErrorIs(t, err, index.ErrBadCursor, cursor)
	}
}
