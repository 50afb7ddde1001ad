package index

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// The published indices, newest first. The chaincode lists its publications
// only in key order (indices:List over its "published" index: every
// day: period before every hour:, minute: and month: one, oldest first) and
// cannot scan backwards, so a reader that wants the latest would page
// through every publication ever made. The index keeps each period as it
// reads the publication's record in a block, with the period's bounds, and
// lists them newest first. It holds what a block wrote, not what the chain
// vouches for: a record orgs wrote with code of their own (a majority, as
// the chaincode's policy asks) is projected
// like any other, and the gateway asks the chain (indices:GetPublished, which
// checks that a majority of the regions attested the digest) for the
// periods of a page before answering them.

// projectPublication records the first block that wrote the period's
// publication record (the period's opening, which closes it: ClosingBlock),
// whatever the record says, and keeps a period whose record a block wrote
// PUBLISHED (Open writes it OPEN first: not yet a publication).
func projectPublication(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	rows := 0
	if len(attrs) == 1 {
		res, err := p.t.exec(ctx, `INSERT INTO period_openings (period, block) VALUES (?, ?) ON CONFLICT (period) DO NOTHING`, attrs[0], p.block)
		if err != nil {
			return 0, err
		}
		if n, err := res.RowsAffected(); err == nil {
			rows += int(n)
		}
	}
	var pub model.Publication
	if err := decode(value, &pub); err != nil {
		return rows, err
	}
	if pub.Status != model.PublicationPublished {
		return rows, nil
	}
	start, end, err := model.ParsePeriod(pub.Period)
	if err != nil {
		return rows, fmt.Errorf("%w: %v", errUndecodable, err)
	}
	_, err = p.t.exec(ctx, upsertPublishedPeriod, pub.Period, start.Unix(), end.Unix(), int64(pub.FromBlock), int64(pub.ToBlock),
		pub.Digest, unix(pub.PublishedAt), p.block)
	return rows + 1, err
}

var upsertPublishedPeriod = upsert("published_periods", 1, "period", "period_start", "period_end", "from_block", "to_block",
	"digest", "published_at", "block")

// PublishedPeriods is one page of the periods whose publication the index
// has read, newest first.
type PublishedPeriods struct {
	Periods []string
	// CursorsAfter holds, for each of Periods, the cursor of the list from
	// the period after it on: a reader that leaves periods out (the
	// gateway, those the chain does not vouch for) pages on from the last
	// it kept, so that its cursor names none it left out.
	CursorsAfter []string
	// NextCursor fetches the next page; empty on the last.
	NextCursor string
	ledgerindex.IndexHeight
}

// newestFirst is the order of the published periods: by the period's end,
// latest first, so that months, days, hours and minutes interleave by time;
// of periods that end together (a month and its last day), the one that
// started later (the shorter) first; then by the period's name, which no
// two periods with the same bounds share (it keeps the order total).
const newestFirst = "period_end DESC, period_start DESC, period DESC"

// publishedCursor is the kind of the list's cursors.
const publishedCursor = "published"

// PublishedPeriods lists the periods whose publication the index has read,
// newest first (newestFirst); limit is 1 to MaxPageSize (default
// DefaultPageSize), cursor "" for the first page, then the NextCursor of the
// previous page.
func (x *Index) PublishedPeriods(ctx context.Context, limit int, cursor string) (*PublishedPeriods, error) {
	where, args := "1 = 1", []any{}
	if cursor != "" {
		var end, start int64
		var period string
		if err := decodeCursor(cursor, publishedCursor, &end, &start, &period); err != nil {
			return nil, err
		}
		// The rows after the cursor's, in newestFirst's order.
		where = "(period_end < ? OR (period_end = ? AND (period_start < ? OR (period_start = ? AND period < ?))))"
		args = []any{end, end, start, start, period}
	}
	limit = pageSize(limit)
	out := &PublishedPeriods{}
	return snapshot(ctx, x, out, &out.IndexHeight, func(t *tx) error {
		type row struct {
			period     string
			start, end int64
		}
		rows, err := queryAll(ctx, t, `SELECT period, period_start, period_end FROM published_periods WHERE `+where+
			fmt.Sprintf(" ORDER BY %s LIMIT %d", newestFirst, limit+1), args,
			func(rows *sql.Rows) (row, error) {
				var r row
				return r, rows.Scan(&r.period, &r.start, &r.end)
			})
		if err != nil {
			return err
		}
		cursorAfter := func(i int) string { return encodeCursor(publishedCursor, rows[i].end, rows[i].start, rows[i].period) }
		rows, out.NextCursor = nextPage(rows, limit, cursorAfter)
		for i, r := range rows {
			out.Periods, out.CursorsAfter = append(out.Periods, r.period), append(out.CursorsAfter, cursorAfter(i))
		}
		return nil
	})
}
