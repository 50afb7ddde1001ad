package index_test

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// A forged cursor is the caller's mistake, never the database's failure:
// one whose keys hold what no row's can (a NUL, invalid UTF-8, a number out
// of range) is refused as not a cursor of the list, on both databases.
func TestAForgedCursorIsRefusedNotFailed(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		m := newMarket()
		x := following(t, open, m.Chain)
		enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		for _, c := range []struct {
			name string
			read func(cursor string) error
			raw  []string
		}{
			{"catalogue by name", func(c string) error {
				_, err := x.Catalogue(ctx, index.CatalogueQuery{Sort: ledgerindex.SortName, Cursor: c})
				return err
			}, []string{`["name","\u0000","a"]`, `["name","a","\u0000"]`, "[\"name\",\"\xff\",\"a\"]"}},
			{"catalogue newest", func(c string) error {
				_, err := x.Catalogue(ctx, index.CatalogueQuery{Cursor: c})
				return err
			}, []string{`["newest",1,"\u0000"]`, `["newest",1e300,"a"]`}},
			{"portfolio", func(c string) error {
				_, err := x.Portfolio(ctx, holder, "", 0, c)
				return err
			}, []string{`["portfolio","\u0000","R"]`, `["portfolio","a","\u0000x"]`}},
			{"trade history", func(c string) error {
				_, err := x.TradeHistory(ctx, holder, nil, 0, c)
				return err
			}, []string{`["trades",1,"\u0000"]`}},
			{"published periods", func(c string) error {
				_, err := x.PublishedPeriods(ctx, 0, c)
				return err
			}, []string{`["published",1,1,"\u0000"]`}},
		} {
			for _, raw := range c.raw {
				err := c.read(enc(raw))
				if err != nil {
					assert.ErrorIs(t, err, index.ErrBadCursor, "%s: %s", c.name, raw)
				}
			}
		}
	})
}
