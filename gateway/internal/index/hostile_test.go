package index_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// Caller input reaches the index's SQL only as arguments: quotes, LIKE
// wildcards, escapes, FTS syntax, unicode and long text find what they say
// (a control character is refused by the gateway, TestACatalogueSearchWithAControlCharacterIsRefusedNamingQ)
// literally and never fail the query; a forged cursor widens no filter.
func TestHostileInputIsTakenLiterally(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		m := newMarket()
		x := following(t, open, m.Chain)
		for _, q := range []string{`'`, `"`, `\`, `%`, `_`, `%%%`, `\%`, `a" OR "b`, `port" OR "x`, `*`, `por*`, `NEAR(port berth)`, `port AND berth`,
			`'; DROP TABLE assets; --`, `") OR 1=1 --`, "ｐｏｒｔ", strings.Repeat("洋", 100), strings.Repeat(`\`, 100), `{}`, `^port`, `port:`} {
			got, err := x.Catalogue(ctx, index.CatalogueQuery{Text: q})
			require.NoError(t, err, "%q", q)
			assert.Empty(t, got.Items, "search %q matches nothing literally", q)
			for _, sort := range []string{ledgerindex.SortNewest, ledgerindex.SortName, ledgerindex.SortPrice} {
				_, err := x.Catalogue(ctx, index.CatalogueQuery{Text: q, Category: q, Seller: q, Division: "310000", Sort: sort})
				require.NoError(t, err, "%q", q)
			}
		}
		// A cursor of a participant's history read for another participant
		// shows only that one's trades.
		h, err := x.TradeHistory(ctx, holder, nil, 1, "")
		require.NoError(t, err)
		require.NotEmpty(t, h.NextCursor)
		other, err := x.TradeHistory(ctx, buyerJS, nil, 100, h.NextCursor)
		require.NoError(t, err)
		for _, it := range other.Items {
			assert.Equal(t, "BUYER", it.Side)
		}
	})
}
