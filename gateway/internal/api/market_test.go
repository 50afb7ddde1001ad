package api_test

import (
	"context"
	"encoding/json"
	"math/big"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/gateway/internal/ledger"
	"github.com/deltaledger/deltaledger/gateway/internal/ledger/ledgertest"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/model"
)

// indexedEnv is a gateway whose market index is fed from its fake ledger.
type indexedEnv struct {
	*env
	idx  *index.Index
	mu   sync.Mutex
	recs map[string]model.Trade
}

func newIndexedEnv(t *testing.T) *indexedEnv {
	t.Helper()
	idx, err := index.Open(filepath.Join(t.TempDir(), "market-index.db"), index.WithBatch(10, time.Millisecond))
	require.NoError(t, err)
	ie := &indexedEnv{env: newEnv(t, api.WithMarketIndex(idx)), idx: idx, recs: map[string]model.Trade{}}
	ie.fake.Handle("trades:Get", func(c ledgertest.Call) (ledgertest.Response, error) {
		ie.mu.Lock()
		defer ie.mu.Unlock()
		b, _ := json.Marshal(ie.recs[c.Args[0]])
		return ledgertest.Response{Result: b}, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- idx.Run(ctx, ie.fake, "regulator") }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		require.NoError(t, idx.Close())
	})
	return ie
}

// sell emits the completion of a trade at a time; price 0 is a negotiated
// trade.
func (ie *indexedEnv) sell(id, region, category string, price int64, at time.Time) *ledger.Event {
	ie.mu.Lock()
	defer ie.mu.Unlock()
	p := map[string]any{"tradeId": id, "listingId": "l-" + id, "assetId": "a-" + id, "status": "COMPLETED",
		"category": category, "region": region, "sourceRegion": region, "rightType": "USE", "pricing": "NEGOTIABLE"}
	if price > 0 {
		p["pricing"], p["priceFen"] = "FIXED", strconv.FormatInt(price, 10)
	}
	b, _ := json.Marshal(p)
	e := ie.fake.Emit("TradeCompleted", b)
	ie.recs[id] = model.Trade{ID: id, Timeline: []model.Step{{State: "COMPLETED", TxID: e.TransactionID, At: at.UTC().Format(time.RFC3339)}}}
	return e
}

func (ie *indexedEnv) caughtUp(e *ledger.Event) {
	ie.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		cp, err := ie.idx.Checkpoint(context.Background())
		require.NoError(ie.t, err)
		if cp.TransactionID == e.TransactionID {
			return
		}
		require.True(ie.t, time.Now().Before(deadline), "the index did not catch up")
		time.Sleep(2 * time.Millisecond)
	}
}

func TestMarketStatisticsEndpoints(t *testing.T) {
	e := newIndexedEnv(t)
	v := newDocValidator(t, e.srv.Document())
	day := time.Date(2026, 5, 11, 2, 0, 0, 0, time.UTC) // a Monday, 10:00 CST
	e.sell("t1", "shanghai", "transport", 150000, day)
	e.sell("t2", "shanghai", "transport", 150001, day.Add(time.Hour))
	e.sell("t3", "shanghai", "transport", 0, day.Add(2*time.Hour))
	e.sell("t4", "jiangsu", "finance", 0, day.Add(24*time.Hour))
	last := e.sell("t5", "jiangsu", "transport", 99999, day.Add(48*time.Hour))
	e.caughtUp(last)
	before := len(e.fake.Calls())

	// Any member reads them: alice has no role in this fake ledger.
	resp := e.do("alice", "GET", "/v1/market/statistics", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/market/statistics", resp)
	var stats routes.MarketStatisticsBody
	require.NoError(t, json.Unmarshal(resp.Body, &stats))
	assert.Equal(t, "region,category", stats.GroupBy, "the default grouping")
	require.Len(t, stats.Groups, 3)
	assert.Equal(t, routes.MarketGroup{Region: "jiangsu", Category: "finance", MarketFigures: routes.MarketFigures{Volume: 1, UndisclosedVolume: 1, SumPriceFen: big.NewInt(0)}}, stats.Groups[0])
	sh := stats.Groups[2]
	assert.Equal(t, "shanghai", sh.Region)
	assert.Equal(t, int64(3), sh.Volume)
	assert.Equal(t, int64(2), sh.DisclosedVolume)
	assert.Equal(t, int64(1), sh.UndisclosedVolume)
	assert.Equal(t, big.NewInt(300001), sh.SumPriceFen)
	assert.Equal(t, int64(150000), *sh.AveragePriceFen, "rounded down")
	assert.Equal(t, last.BlockNumber, stats.IndexedBlock)
	assert.Equal(t, last.TransactionID, stats.IndexedTransactionID)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(resp.Body, &raw))
	assert.EqualValues(t, 300001, raw["groups"].([]any)[2].(map[string]any)["sumPriceFen"], "money is a JSON integer")

	// Grouped by region, in a window: from inclusive, to exclusive; dates
	// are midnight China Standard Time.
	resp = e.do("bob", "GET", "/v1/market/statistics?groupBy=region&from=2026-05-11&to=2026-05-12T10:00:00%2B08:00", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/market/statistics", resp)
	stats = routes.MarketStatisticsBody{}
	require.NoError(t, json.Unmarshal(resp.Body, &stats))
	assert.Equal(t, "2026-05-11T00:00:00+08:00", stats.From)
	assert.Equal(t, "2026-05-12T10:00:00+08:00", stats.To)
	require.Len(t, stats.Groups, 1, "t4 completed at 10:00 the next day: excluded")
	assert.Equal(t, "shanghai", stats.Groups[0].Region)
	assert.Empty(t, stats.Groups[0].Category)
	assert.Equal(t, int64(3), stats.Total.Volume)

	resp = e.do("regulator", "GET", "/v1/market/price-index?category=transport&interval=day", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/market/price-index", resp)
	var pi routes.PriceIndexBody
	require.NoError(t, json.Unmarshal(resp.Body, &pi))
	require.Len(t, pi.Points, 2)
	assert.Equal(t, "2026-05-11T00:00:00+08:00", pi.Base)
	assert.Equal(t, int64(1000), *pi.Points[0].Index)
	assert.Equal(t, "2026-05-13T00:00:00+08:00", pi.Points[1].Start)
	assert.Equal(t, int64(666), *pi.Points[1].Index, "99999 × 1000 / 150000, rounded down")
	assert.Equal(t, last.BlockNumber, pi.IndexedBlock)

	resp = e.do("alice", "GET", "/v1/market/price-index?region=jiangsu&interval=week", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/market/price-index", resp)
	pi = routes.PriceIndexBody{}
	require.NoError(t, json.Unmarshal(resp.Body, &pi))
	require.Len(t, pi.Points, 1)
	assert.Equal(t, "2026-05-11T00:00:00+08:00", pi.Points[0].Start)
	assert.Equal(t, "2026-05-18T00:00:00+08:00", pi.Points[0].End)
	assert.Equal(t, int64(2), pi.Points[0].Volume)
	assert.Equal(t, int64(1000), *pi.Points[0].Index)

	assert.Len(t, e.fake.Calls(), before, "the statistics are read from the index, not from the chaincode")

	for _, c := range []struct{ path, field string }{
		{"/v1/market/statistics?groupBy=asset", "groupBy"},
		{"/v1/market/statistics?from=yesterday", "from"},
		{"/v1/market/statistics?from=2026-05-12&to=2026-05-11", "to"},
		{"/v1/market/statistics?from=2026-02-30", "from"},
		{"/v1/market/statistics?limit=5", "limit"},
		{"/v1/market/price-index?interval=month", "interval"},
		{"/v1/market/price-index?region=mars", "region"},
		{"/v1/market/price-index?category=Not%20A%20Slug", "category"},
		{"/v1/market/price-index?interval=day&interval=week", "interval"},
	} {
		resp := e.do("alice", "GET", c.path, "")
		require.Equal(t, 400, resp.Status, "%s: %s", c.path, resp.Body)
		assert.Equal(t, c.field, resp.errorBody(t).Field, c.path)
		p, _, _ := strings.Cut(c.path, "?")
		v.validate("GET", p, resp)
	}
	resp = e.do("", "GET", "/v1/market/statistics", "")
	assert.Equal(t, 401, resp.Status)
}

func TestMarketStatisticsWithoutAnIndex(t *testing.T) {
	e := newEnv(t)
	v := newDocValidator(t, e.srv.Document())
	for _, path := range []string{"/v1/market/statistics", "/v1/market/price-index"} {
		resp := e.do("alice", "GET", path, "")
		require.Equal(t, 404, resp.Status, "%s", resp.Body)
		assert.Equal(t, "NOT_FOUND", resp.errorBody(t).Code)
		assert.Contains(t, resp.errorBody(t).Message, "index.enabled")
		v.validate("GET", path, resp)
	}
}
