package index_test

import (
	"context"
	"encoding/json"
	"math/big"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/gateway/internal/ledger"
	"github.com/deltaledger/deltaledger/gateway/internal/ledger/ledgertest"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/model"
)

const member = "regulator"

// market is a fake ledger whose chaincode emits trade events and answers
// trades:Get with each trade's timeline, as the trades contract does.
type market struct {
	t    testing.TB
	fake *ledgertest.Fake
	mu   sync.Mutex
	recs map[string]model.Trade
	// getErr, when set, is what trades:Get fails with.
	getErr error
	gets   int

	positions []ledger.Position // where each event stream started
}

func newMarket(t testing.TB) *market {
	m := &market{t: t, fake: ledgertest.New(), recs: map[string]model.Trade{}}
	m.fake.Handle("trades:Get", func(c ledgertest.Call) (ledgertest.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.gets++
		if m.getErr != nil {
			return ledgertest.Response{}, m.getErr
		}
		assert.Equal(t, member, c.Member, "the index reads as its member")
		rec, ok := m.recs[c.Args[0]]
		if !ok {
			return ledgertest.Response{}, &ledger.Error{Kind: ledger.KindRejected, Code: "NOT_FOUND", Message: "no trade " + c.Args[0]}
		}
		b, _ := json.Marshal(rec)
		return ledgertest.Response{Result: b}, nil
	})
	return m
}

// Events records where each stream starts.
func (m *market) Events(ctx context.Context, member string, from ledger.Position) (<-chan *ledger.Event, error) {
	m.mu.Lock()
	m.positions = append(m.positions, from)
	m.mu.Unlock()
	return m.fake.Events(ctx, member, from)
}

func (m *market) Submit(ctx context.Context, member, function string, args []string, options ...ledger.CallOption) (*ledger.Submitted, error) {
	return m.fake.Submit(ctx, member, function, args, options...)
}

func (m *market) Evaluate(ctx context.Context, member, function string, args []string, options ...ledger.CallOption) ([]byte, error) {
	return m.fake.Evaluate(ctx, member, function, args, options...)
}

func (m *market) CommitStatus(ctx context.Context, member, txID string) (*ledger.Status, error) {
	return m.fake.CommitStatus(ctx, member, txID)
}

func (m *market) Ready(ctx context.Context) error { return m.fake.Ready(ctx) }

func (m *market) Height(ctx context.Context) (uint64, error) { return m.fake.Height(ctx) }

func (m *market) startedAt() []ledger.Position {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]ledger.Position(nil), m.positions...)
}

// sale describes a completed trade.
type sale struct {
	id, category, region, pricing string
	price                         int64
	// payloadPrice, when set, is the priceFen the event carries whatever
	// the pricing (the chaincode sends none for a negotiated trade).
	payloadPrice string
	at           time.Time
	// event is TradeCompleted (default) or TradeResolved; outcome goes
	// with TradeResolved.
	event, outcome string
	// block, when set, puts the event in that block (several per block).
	block uint64
}

// complete emits the event of a sale and records its trade.
func (m *market) complete(s sale) *ledger.Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s.event == "" {
		s.event = model.EventTradeCompleted
	}
	if s.at.IsZero() {
		s.at = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	}
	p := map[string]any{
		"tradeId": s.id, "listingId": "listing-" + s.id, "assetId": "asset-" + s.id, "status": "COMPLETED",
		"buyerId": "b", "sellerId": "s", "category": s.category, "region": s.region, "sourceRegion": s.region,
		"rightType": "USE", "pricing": s.pricing, "rightId": "right-" + s.id,
	}
	if s.pricing == "FIXED" {
		p["priceFen"] = strconv.FormatInt(s.price, 10)
	}
	if s.payloadPrice != "" {
		p["priceFen"] = s.payloadPrice
	}
	if s.outcome != "" {
		p["outcome"] = s.outcome
	}
	b, _ := json.Marshal(p)
	var e *ledger.Event
	if s.block != 0 {
		e = m.fake.EmitInBlock(s.block, s.event, b)
	} else {
		e = m.fake.Emit(s.event, b)
	}
	stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
	m.recs[s.id] = model.Trade{
		ID: s.id, Status: "COMPLETED", Pricing: s.pricing,
		Timeline: []model.Step{
			{State: "ORDERED", By: "b", At: stamp(s.at.Add(-time.Hour)), TxID: "order-" + s.id},
			{State: "COMPLETED", By: "b", At: stamp(s.at), TxID: e.TransactionID},
		},
	}
	return e
}

// other emits an event that is not a sale.
func (m *market) other(name string) *ledger.Event {
	return m.fake.Emit(name, []byte(`{"listingId":"l","assetId":"a","priceFen":"123456"}`))
}

func openIndex(t *testing.T, path string) *index.Index {
	t.Helper()
	x, err := index.Open(path, index.WithRetry(5*time.Millisecond, 20*time.Millisecond), index.WithBatch(3, 5*time.Millisecond))
	require.NoError(t, err)
	return x
}

// run feeds x from m until the returned stop is called.
func run(t *testing.T, x *index.Index, m *market) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- x.Run(ctx, m, member) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			require.NoError(t, <-done)
		})
	}
	t.Cleanup(stop)
	return stop
}

// caughtUp waits until the index's checkpoint is the event's.
func caughtUp(t *testing.T, x *index.Index, e *ledger.Event) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		cp, err := x.Checkpoint(context.Background())
		require.NoError(t, err)
		if cp.Block == e.BlockNumber && cp.TransactionID == e.TransactionID {
			return
		}
		require.True(t, time.Now().Before(deadline), "the index did not reach block %d tx %s; at %+v", e.BlockNumber, e.TransactionID, cp)
		time.Sleep(5 * time.Millisecond)
	}
}

func ptr(n int64) *int64 { return &n }

func fig(volume, disclosed, sum int64, avg *int64) routes.MarketFigures {
	return routes.MarketFigures{Volume: volume, DisclosedVolume: disclosed, UndisclosedVolume: volume - disclosed, SumPriceFen: big.NewInt(sum), AveragePriceFen: avg}
}

// emitMarket emits the sales of the aggregation tests, among other events,
// and returns the last event.
func emitMarket(m *market) *ledger.Event {
	m.other("ListingCreated")
	m.complete(sale{id: "t1", category: "transport", region: "shanghai", pricing: "FIXED", price: 150000})
	m.other("TradeOrdered")
	m.complete(sale{id: "t2", category: "transport", region: "shanghai", pricing: "FIXED", price: 150001})
	// A negotiated price is private: even if an event carried one, it
	// stays out of the index.
	m.complete(sale{id: "t3", category: "transport", region: "shanghai", pricing: "NEGOTIABLE", payloadPrice: "999999"})
	m.complete(sale{id: "t4", category: "finance", region: "shanghai", pricing: "NEGOTIABLE"})
	m.complete(sale{id: "t5", category: "transport", region: "jiangsu", pricing: "FIXED", price: 100, event: model.EventTradeResolved, outcome: model.OutcomeComplete})
	// A refund undoes the sale: not counted.
	m.complete(sale{id: "t6", category: "transport", region: "jiangsu", pricing: "FIXED", price: 5000, event: model.EventTradeResolved, outcome: model.OutcomeRefund})
	m.complete(sale{id: "t7", category: "energy", region: "anhui", pricing: "FIXED", price: 7})
	m.complete(sale{id: "t8", category: "energy", region: "anhui", pricing: "FIXED", price: 8})
	m.complete(sale{id: "t9", category: "energy", region: "anhui", pricing: "FIXED", price: 8})
	return m.other("AssetApplied")
}

// checkMarket asserts the statistics of emitMarket's sales.
func checkMarket(t *testing.T, x *index.Index, last *ledger.Event) {
	t.Helper()
	ctx := context.Background()
	byRegion, err := x.Statistics(ctx, routes.GroupByRegion, index.Window{})
	require.NoError(t, err)
	assert.Equal(t, []routes.MarketGroup{
		{Region: "anhui", MarketFigures: fig(3, 3, 23, ptr(7))}, // 23/3 = 7.67, rounded down
		{Region: "jiangsu", MarketFigures: fig(1, 1, 100, ptr(100))},
		{Region: "shanghai", MarketFigures: fig(4, 2, 300001, ptr(150000))},
	}, byRegion.Groups)
	assert.Equal(t, fig(8, 6, 300124, ptr(50020)), byRegion.Total)
	assert.Equal(t, last.BlockNumber, byRegion.IndexedBlock)
	assert.Equal(t, last.TransactionID, byRegion.IndexedTransactionID)
	assert.Equal(t, routes.GroupByRegion, byRegion.GroupBy)

	byCategory, err := x.Statistics(ctx, routes.GroupByCategory, index.Window{})
	require.NoError(t, err)
	assert.Equal(t, []routes.MarketGroup{
		{Category: "energy", MarketFigures: fig(3, 3, 23, ptr(7))},
		{Category: "finance", MarketFigures: fig(1, 0, 0, nil)}, // only undisclosed: no average
		{Category: "transport", MarketFigures: fig(4, 3, 300101, ptr(100033))},
	}, byCategory.Groups)
	assert.Equal(t, byRegion.Total, byCategory.Total)

	both, err := x.Statistics(ctx, routes.GroupByRegionCategory, index.Window{})
	require.NoError(t, err)
	assert.Equal(t, []routes.MarketGroup{
		{Region: "anhui", Category: "energy", MarketFigures: fig(3, 3, 23, ptr(7))},
		{Region: "jiangsu", Category: "transport", MarketFigures: fig(1, 1, 100, ptr(100))},
		{Region: "shanghai", Category: "finance", MarketFigures: fig(1, 0, 0, nil)},
		{Region: "shanghai", Category: "transport", MarketFigures: fig(3, 2, 300001, ptr(150000))},
	}, both.Groups)
}

func TestStatisticsAggregateCompletedTrades(t *testing.T) {
	m := newMarket(t)
	x := openIndex(t, filepath.Join(t.TempDir(), "market.db"))
	defer x.Close()
	last := emitMarket(m)
	run(t, x, m)
	caughtUp(t, x, last)
	checkMarket(t, x, last)

	rows, err := x.Trades(context.Background())
	require.NoError(t, err)
	require.Len(t, rows, 8)
	for _, r := range rows {
		if r.Pricing != "FIXED" {
			assert.Nil(t, r.PriceFen, "trade %s: a negotiated price must never be stored", r.TradeID)
		} else {
			assert.NotNil(t, r.PriceFen, r.TradeID)
		}
		assert.Equal(t, time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC), r.Time, "the completing step's time")
		assert.Equal(t, "asset-"+r.TradeID, r.AssetID)
		assert.Equal(t, "listing-"+r.TradeID, r.ListingID)
		assert.Equal(t, "USE", r.RightType)
		assert.Equal(t, r.Region, r.SourceRegion)
	}
	assert.Equal(t, "TradeResolved", rows[4].Event)
}

func TestEmptyIndex(t *testing.T) {
	x := openIndex(t, filepath.Join(t.TempDir(), "market.db"))
	defer x.Close()
	s, err := x.Statistics(context.Background(), routes.GroupByRegionCategory, index.Window{})
	require.NoError(t, err)
	assert.Equal(t, &routes.MarketStatisticsBody{GroupBy: "region,category", Groups: []routes.MarketGroup{}, Total: fig(0, 0, 0, nil)}, s)
	p, err := x.PriceIndex(context.Background(), index.PriceIndexQuery{Interval: routes.IntervalWeek})
	require.NoError(t, err)
	assert.Equal(t, &routes.PriceIndexBody{Interval: "week", Points: []routes.PriceIndexPoint{}}, p)
	cp, err := x.Checkpoint(context.Background())
	require.NoError(t, err)
	assert.Equal(t, ledger.FromBlock(0), cp.Position(), "a new index reads the ledger from its first block")
}

// Days and weeks are China Standard Time's (UTC+08:00); weeks start on
// Monday. 2026-03-02 is a Monday.
func TestPriceIndexPerDayAndWeek(t *testing.T) {
	m := newMarket(t)
	x := openIndex(t, filepath.Join(t.TempDir(), "market.db"))
	defer x.Close()
	utc := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	m.complete(sale{id: "p0", category: "transport", region: "shanghai", pricing: "NEGOTIABLE", at: utc("2026-02-28T04:00:00Z")})
	m.complete(sale{id: "p1", category: "transport", region: "shanghai", pricing: "FIXED", price: 1000, at: utc("2026-03-01T16:00:00Z")}) // Mon 00:00 CST
	m.complete(sale{id: "p2", category: "transport", region: "jiangsu", pricing: "FIXED", price: 1001, at: utc("2026-03-02T15:59:59Z")})  // Mon 23:59:59 CST
	m.complete(sale{id: "p3", category: "transport", region: "shanghai", pricing: "FIXED", price: 1500, at: utc("2026-03-02T16:00:00Z")}) // Tue 00:00 CST
	m.complete(sale{id: "p4", category: "transport", region: "shanghai", pricing: "NEGOTIABLE", at: utc("2026-03-03T01:00:00Z")})
	m.complete(sale{id: "p5", category: "transport", region: "shanghai", pricing: "FIXED", price: 2000, at: utc("2026-03-08T15:59:59Z")}) // Sun 23:59:59 CST
	m.complete(sale{id: "p6", category: "energy", region: "shanghai", pricing: "FIXED", price: 99999, at: utc("2026-03-05T00:00:00Z")})   // another category
	last := m.complete(sale{id: "p7", category: "transport", region: "shanghai", pricing: "FIXED", price: 3001, at: utc("2026-03-08T16:00:00Z")})
	run(t, x, m)
	caughtUp(t, x, last)
	ctx := context.Background()

	point := func(start, end string, f routes.MarketFigures, idx *int64) routes.PriceIndexPoint {
		return routes.PriceIndexPoint{Start: start, End: end, MarketFigures: f, Index: idx}
	}
	days, err := x.PriceIndex(ctx, index.PriceIndexQuery{Category: "transport", Interval: routes.IntervalDay})
	require.NoError(t, err)
	assert.Equal(t, "2026-03-02T00:00:00+08:00", days.Base, "the first interval with a disclosed price")
	assert.Equal(t, ptr(1000), days.BasePriceFen)
	assert.Equal(t, []routes.PriceIndexPoint{
		point("2026-02-28T00:00:00+08:00", "2026-03-01T00:00:00+08:00", fig(1, 0, 0, nil), nil),
		point("2026-03-02T00:00:00+08:00", "2026-03-03T00:00:00+08:00", fig(2, 2, 2001, ptr(1000)), ptr(1000)),
		point("2026-03-03T00:00:00+08:00", "2026-03-04T00:00:00+08:00", fig(2, 1, 1500, ptr(1500)), ptr(1500)),
		point("2026-03-08T00:00:00+08:00", "2026-03-09T00:00:00+08:00", fig(1, 1, 2000, ptr(2000)), ptr(2000)),
		point("2026-03-09T00:00:00+08:00", "2026-03-10T00:00:00+08:00", fig(1, 1, 3001, ptr(3001)), ptr(3001)),
	}, days.Points)
	assert.Equal(t, last.BlockNumber, days.IndexedBlock)

	weeks, err := x.PriceIndex(ctx, index.PriceIndexQuery{Category: "transport", Interval: routes.IntervalWeek})
	require.NoError(t, err)
	assert.Equal(t, []routes.PriceIndexPoint{
		point("2026-02-23T00:00:00+08:00", "2026-03-02T00:00:00+08:00", fig(1, 0, 0, nil), nil),
		// 1000+1001+1500+2000 = 5501 over 4 disclosed: 1375
		point("2026-03-02T00:00:00+08:00", "2026-03-09T00:00:00+08:00", fig(5, 4, 5501, ptr(1375)), ptr(1000)),
		// 3001 × 1000 / 1375 = 2182.5: 2182
		point("2026-03-09T00:00:00+08:00", "2026-03-16T00:00:00+08:00", fig(1, 1, 3001, ptr(3001)), ptr(2182)),
	}, weeks.Points)

	// A window and a region: the base is the window's first interval.
	cst := index.ChinaStandardTime
	win := index.Window{From: time.Date(2026, 3, 3, 0, 0, 0, 0, cst), To: time.Date(2026, 3, 9, 0, 0, 0, 0, cst)}
	sub, err := x.PriceIndex(ctx, index.PriceIndexQuery{Category: "transport", Region: "shanghai", Interval: routes.IntervalDay, Window: win})
	require.NoError(t, err)
	assert.Equal(t, "2026-03-03T00:00:00+08:00", sub.From)
	assert.Equal(t, "2026-03-09T00:00:00+08:00", sub.To)
	assert.Equal(t, []routes.PriceIndexPoint{
		point("2026-03-03T00:00:00+08:00", "2026-03-04T00:00:00+08:00", fig(2, 1, 1500, ptr(1500)), ptr(1000)),
		point("2026-03-08T00:00:00+08:00", "2026-03-09T00:00:00+08:00", fig(1, 1, 2000, ptr(2000)), ptr(1333)),
	}, sub.Points)

	// The same window bounds the statistics: from inclusive, to exclusive.
	stats, err := x.Statistics(ctx, routes.GroupByCategory, win)
	require.NoError(t, err)
	assert.Equal(t, []routes.MarketGroup{
		{Category: "energy", MarketFigures: fig(1, 1, 99999, ptr(99999))},
		{Category: "transport", MarketFigures: fig(3, 2, 3500, ptr(1750))},
	}, stats.Groups)

	// Trade times are whole seconds: a bound inside a second counts from
	// the next one.
	half := index.Window{From: utc("2026-03-01T16:00:00Z").Add(500 * time.Millisecond), To: utc("2026-03-02T15:59:59.5Z")}
	stats, err = x.Statistics(ctx, routes.GroupByRegion, half)
	require.NoError(t, err)
	assert.Equal(t, fig(1, 1, 1001, ptr(1001)), stats.Total, "p2 only")
	assert.Equal(t, "2026-03-01T16:00:00.5Z", stats.From)
}

// Applying the same events again changes nothing: rows are keyed by
// (block, transaction), and the checkpoint does not move back.
func TestReplayIsIdempotent(t *testing.T) {
	m := newMarket(t)
	x := openIndex(t, filepath.Join(t.TempDir(), "market.db"))
	defer x.Close()
	last := emitMarket(m)
	stop := run(t, x, m)
	caughtUp(t, x, last)
	stop()
	ctx := context.Background()
	before, err := x.Trades(ctx)
	require.NoError(t, err)

	// Every event again, in one batch and then one by one: no trade is
	// read again, no row is added, the checkpoint stays.
	m.mu.Lock()
	gets := m.gets
	m.mu.Unlock()
	all := collect(t, m, ledger.FromBlock(0), last)
	require.NoError(t, x.Apply(ctx, m, member, all))
	for _, e := range all {
		require.NoError(t, x.Apply(ctx, m, member, []*ledger.Event{e}))
	}
	// An earlier event alone, as a stream restarted before the checkpoint
	// would send it: the checkpoint does not move back.
	require.NoError(t, x.Apply(ctx, m, member, all[:2]))
	after, err := x.Trades(ctx)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	cp, err := x.Checkpoint(ctx)
	require.NoError(t, err)
	assert.Equal(t, last.TransactionID, cp.TransactionID, "the checkpoint stays at the last event")
	checkMarket(t, x, last)
	m.mu.Lock()
	assert.Equal(t, gets, m.gets, "indexed trades are not read again")
	m.mu.Unlock()
}

// collect reads the fake's events from a position up to an event.
func collect(t *testing.T, m *market, from ledger.Position, last *ledger.Event) []*ledger.Event {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := m.fake.Events(ctx, member, from)
	require.NoError(t, err)
	var out []*ledger.Event
	for e := range stream {
		out = append(out, e)
		if e == last {
			return out
		}
	}
	t.Fatal("stream ended early")
	return nil
}

// After a restart the feed resumes just after its checkpoint: in the middle
// of a block too, with no gap and no duplicate.
func TestResumeFromTheCheckpoint(t *testing.T) {
	m := newMarket(t)
	path := filepath.Join(t.TempDir(), "market.db")
	x := openIndex(t, path)
	m.complete(sale{id: "r1", category: "transport", region: "shanghai", pricing: "FIXED", price: 10})
	second := m.complete(sale{id: "r2", category: "transport", region: "shanghai", pricing: "FIXED", price: 20})
	stop := run(t, x, m)
	caughtUp(t, x, second)
	stop()
	require.NoError(t, x.Close())

	// While the gateway is down: two sales in one block, then another.
	block := second.BlockNumber + 1
	a := m.complete(sale{id: "r3", category: "transport", region: "shanghai", pricing: "FIXED", price: 30, block: block})
	m.complete(sale{id: "r4", category: "transport", region: "shanghai", pricing: "NEGOTIABLE", block: block})

	// A crash right after the batch of the block's first event.
	x = openIndex(t, path)
	defer x.Close()
	require.NoError(t, x.Apply(context.Background(), m, member, []*ledger.Event{a}))
	c := m.complete(sale{id: "r5", category: "transport", region: "shanghai", pricing: "FIXED", price: 50})

	run(t, x, m)
	caughtUp(t, x, c)
	positions := m.startedAt()
	require.Len(t, positions, 2)
	assert.Equal(t, ledger.FromBlock(0), positions[0], "a new index starts at the first block")
	assert.Equal(t, ledger.After(a), positions[1], "resumed just after the checkpoint, inside the block")

	rows, err := x.Trades(context.Background())
	require.NoError(t, err)
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.TradeID)
	}
	assert.Equal(t, []string{"r1", "r2", "r3", "r4", "r5"}, ids)
	s, err := x.Statistics(context.Background(), routes.GroupByRegion, index.Window{})
	require.NoError(t, err)
	assert.Equal(t, fig(5, 4, 110, ptr(27)), s.Total)
}

// A batch that cannot be completed (its trade cannot be read) writes
// nothing, not even the checkpoint of the events before it in the batch;
// the feed retries from the checkpoint until it can.
func TestFailedBatchIsRetriedFromTheCheckpoint(t *testing.T) {
	m := newMarket(t)
	x := openIndex(t, filepath.Join(t.TempDir(), "market.db"))
	defer x.Close()
	ctx := context.Background()
	ok := m.complete(sale{id: "f1", category: "transport", region: "anhui", pricing: "FIXED", price: 10})
	require.NoError(t, x.Apply(ctx, m, member, []*ledger.Event{ok}))

	m.mu.Lock()
	m.getErr = &ledger.Error{Kind: ledger.KindRejected, Code: "FORBIDDEN", Message: "participant is not a party"}
	m.mu.Unlock()
	other := m.other("ListingCreated")
	failing := m.complete(sale{id: "f2", category: "transport", region: "anhui", pricing: "FIXED", price: 20})
	err := x.Apply(ctx, m, member, []*ledger.Event{other, failing})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "FORBIDDEN")
	cp, err := x.Checkpoint(ctx)
	require.NoError(t, err)
	assert.Equal(t, ok.TransactionID, cp.TransactionID, "the failed batch wrote no checkpoint")

	run(t, x, m)
	deadline := time.Now().Add(5 * time.Second)
	for {
		m.mu.Lock()
		gets := m.gets
		m.mu.Unlock()
		if gets >= 4 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the feed does not retry")
		time.Sleep(5 * time.Millisecond)
	}
	s, err := x.Statistics(ctx, routes.GroupByRegion, index.Window{})
	require.NoError(t, err)
	assert.Equal(t, int64(1), s.Total.Volume, "nothing past the failing trade is indexed")
	assert.Less(t, s.IndexedBlock, failing.BlockNumber)

	m.mu.Lock()
	m.getErr = nil
	m.mu.Unlock()
	caughtUp(t, x, failing)
	s, err = x.Statistics(ctx, routes.GroupByRegion, index.Window{})
	require.NoError(t, err)
	assert.Equal(t, fig(2, 2, 30, ptr(15)), s.Total)
}

func TestIndexOfAnotherLedgerIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "market.db")
	x, err := index.Open(path, index.WithLedgerName("yrd-market", "deltaledger"))
	require.NoError(t, err)
	require.NoError(t, x.Close())
	x, err = index.Open(path, index.WithLedgerName("yrd-market", "deltaledger"))
	require.NoError(t, err)
	require.NoError(t, x.Close())
	_, err = index.Open(path, index.WithLedgerName("other-channel", "deltaledger"))
	require.ErrorContains(t, err, "delete the file to rebuild it")
	_, err = index.Open(path + "?mode=ro")
	require.Error(t, err)
}

// observer records what the feed reports.
type observer struct {
	mu            sync.Mutex
	block         uint64
	interruptions int
}

func (o *observer) IndexedBlock(block uint64) { o.mu.Lock(); o.block = block; o.mu.Unlock() }
func (o *observer) IndexFeedInterrupted()     { o.mu.Lock(); o.interruptions++; o.mu.Unlock() }

func (o *observer) read() (uint64, int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.block, o.interruptions
}

// The feed reports the block it has written up to, and each interruption.
func TestFeedReportsProgressAndInterruptions(t *testing.T) {
	m := newMarket(t)
	obs := &observer{}
	x, err := index.Open(filepath.Join(t.TempDir(), "market.db"), index.WithObserver(obs),
		index.WithRetry(5*time.Millisecond, 20*time.Millisecond), index.WithBatch(3, 5*time.Millisecond))
	require.NoError(t, err)
	defer x.Close()

	m.mu.Lock()
	m.getErr = &ledger.Error{Kind: ledger.KindUnavailable, Message: "peer unavailable"}
	m.mu.Unlock()
	last := m.complete(sale{id: "o1", category: "transport", region: "anhui", pricing: "FIXED", price: 10})
	run(t, x, m)
	deadline := time.Now().Add(5 * time.Second)
	for _, n := obs.read(); n == 0; _, n = obs.read() {
		require.True(t, time.Now().Before(deadline), "no interruption reported")
		time.Sleep(5 * time.Millisecond)
	}
	m.mu.Lock()
	m.getErr = nil
	m.mu.Unlock()
	caughtUp(t, x, last)
	block, _ := obs.read()
	assert.Equal(t, last.BlockNumber, block)
}
