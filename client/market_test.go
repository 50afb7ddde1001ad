package client

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// The market's reads send what the query gives and leave out what it leaves empty, so that the gateway applies
// its own defaults (url.Values encodes its keys sorted: the query is the same whatever order they are set in).
func TestMarketQueriesSendOnlyTheFiltersGiven(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	})
	ctx := context.Background()
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	five := int64(5)
	for _, c := range []struct {
		name string
		call func() error
		want string
	}{
		{"statistics, every filter", func() error {
			_, err := g.c.Market().Statistics(ctx, MarketStatisticsQuery{GroupBy: ledgerindex.GroupByRegion, MarketWindow: MarketWindow{From: from}})
			return err
		}, "from=2026-11-01T00%3A00%3A00Z&groupBy=region"},
		{"statistics, none", func() error {
			_, err := g.c.Market().Statistics(ctx, MarketStatisticsQuery{})
			return err
		}, ""},
		{"price index, every filter", func() error {
			_, err := g.c.Market().PriceIndex(ctx, PriceIndexQuery{Category: "transport", Region: "shanghai",
				Interval: ledgerindex.IntervalWeek, MarketWindow: MarketWindow{To: from}})
			return err
		}, "category=transport&interval=week&region=shanghai&to=2026-11-01T00%3A00%3A00Z"},
		{"price index, a region only", func() error {
			_, err := g.c.Market().PriceIndex(ctx, PriceIndexQuery{Region: "anhui"})
			return err
		}, "region=anhui"},
		{"catalogue, every filter", func() error {
			_, err := g.c.Market().Catalogue(ctx, CatalogueQuery{Text: "port", Category: "transport", Region: "shanghai",
				Division: "310115", Seller: "shanghai.holder", MinPriceFen: &five, MaxPriceFen: &five, Status: "REGISTERED",
				Sort: "price", Limit: 10, Cursor: "c1", IndexQuery: IndexQuery{MinBlock: 3}})
			return err
		}, "category=transport&cursor=c1&division=310115&limit=10&maxPriceFen=5&minBlock=3&minPriceFen=5&q=port" +
			"&region=shanghai&seller=shanghai.holder&sort=price&status=REGISTERED"},
		{"catalogue, text only", func() error {
			_, err := g.c.Market().Catalogue(ctx, CatalogueQuery{Text: "port"})
			return err
		}, "q=port"},
	} {
		require.NoError(t, c.call(), c.name)
		assert.Equal(t, c.want, g.last().RawQuery, c.name)
	}
}
