package index_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
)

// Sums of prices are exact however large they grow: 9,600 trades at the
// highest price a listing may have (10^15 fen) sum to 9.6×10^18 fen, past
// int64. Grouped by region each group's sum fits int64 but their total does
// not; grouped by category the one group's SQL sum does not either. Neither
// wraps around nor fails, and the averages stay exact.
func TestMarketSumsBeyondInt64AreExact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "market-index.db")
	x, err := index.Open(path)
	require.NoError(t, err)
	defer x.Close()

	const perRegion, maxPrice = 2400, 1_000_000_000_000_000
	db, err := sql.Open("sqlite", path+"?_busy_timeout=10000")
	require.NoError(t, err)
	defer db.Close()
	tx, err := db.Begin()
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC).Unix()
	n := 0
	for _, region := range []string{"anhui", "jiangsu", "shanghai", "zhejiang"} {
		for i := 0; i < perRegion; i++ {
			n++
			_, err := tx.Exec(`INSERT INTO trades (block, tx_id, time, event, trade_id, asset_id, listing_id, category, region,
				source_region, right_type, pricing, price_fen) VALUES (?, ?, ?, 'TradeCompleted', ?, 'a', 'l', 'transport', ?, ?, 'USE', 'FIXED', ?)`,
				n, fmt.Sprintf("tx%d", n), at, fmt.Sprintf("t%d", n), region, region, maxPrice)
			require.NoError(t, err)
		}
	}
	require.NoError(t, tx.Commit())

	want := new(big.Int).Mul(big.NewInt(int64(n)), big.NewInt(maxPrice)) // 9.6×10^18
	require.Equal(t, 1, want.Cmp(big.NewInt(1<<62)), "the total must exceed what int64 holds")
	ctx := context.Background()
	byRegion, err := x.Statistics(ctx, routes.GroupByRegion, index.Window{})
	require.NoError(t, err)
	require.Len(t, byRegion.Groups, 4)
	assert.Equal(t, want.String(), fmt.Sprint(byRegion.Total.SumPriceFen))
	assert.Equal(t, int64(maxPrice), *byRegion.Total.AveragePriceFen)

	byCategory, err := x.Statistics(ctx, routes.GroupByCategory, index.Window{})
	require.NoError(t, err, "one group whose SQL sum exceeds int64")
	require.Len(t, byCategory.Groups, 1)
	assert.Equal(t, want.String(), fmt.Sprint(byCategory.Groups[0].SumPriceFen))

	days, err := x.PriceIndex(ctx, index.PriceIndexQuery{Interval: routes.IntervalDay})
	require.NoError(t, err)
	require.Len(t, days.Points, 1)
	assert.Equal(t, want.String(), fmt.Sprint(days.Points[0].SumPriceFen))
	assert.Equal(t, int64(maxPrice), *days.Points[0].AveragePriceFen)
}
