package index_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// The projection answers what the ledger says: the catalogue, portfolios,
// trade histories, the flow matrix, credit lookup counts and statistics,
// each with the block it reflects; an invalid transaction wrote nothing and
// a negotiated price never enters the index.
func TestProjectionAnswersTheMarket(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		m := newMarket()
		x := following(t, open, m.Chain)
		last := uint64(len(m.All()) - 1)

		cat, err := x.Catalogue(ctx, index.CatalogueQuery{})
		require.NoError(t, err)
		require.Len(t, cat.Items, 1, "only the registered asset; the invalid transaction's asset is absent")
		a := cat.Items[0]
		assert.Equal(t, asset, a.ID)
		assert.Equal(t, last, cat.IndexedBlock)
		require.Len(t, a.Listings, 2)
		assert.Equal(t, int64(150000), a.Listings[0].PriceFen, "cheapest first")
		assert.Equal(t, int64(150000), *a.MinPriceFen)
		assert.NotEmpty(t, a.RegisteredAt)

		for q, want := range map[string]int{"洋山": 1, "洋山深水": 1, "PORT container": 1, "berth": 1, "ghost": 0, "transport": 1, "50%": 0, "a_b": 0} {
			got, err := x.Catalogue(ctx, index.CatalogueQuery{Text: q})
			require.NoError(t, err, q)
			assert.Len(t, got.Items, want, "search %q", q)
		}
		for _, c := range []struct {
			lo, hi *int64
			want   int
		}{{new(int64(200000)), new(int64(1000000)), 1}, {nil, new(int64(100)), 0}, {new(int64(150000)), new(int64(150000)), 1}, {new(int64(990001)), nil, 0}} {
			got, err := x.Catalogue(ctx, index.CatalogueQuery{MinPriceFen: c.lo, MaxPriceFen: c.hi})
			require.NoError(t, err)
			assert.Len(t, got.Items, c.want, "price range %v..%v", c.lo, c.hi)
		}
		for _, q := range []index.CatalogueQuery{{Category: "energy"}, {Region: "anhui"}, {Seller: buyerJS}, {Status: "PENDING_REVIEW"}, {Sort: ledgerindex.SortPriceDesc, Category: "x"}} {
			got, err := x.Catalogue(ctx, q)
			require.NoError(t, err)
			assert.Empty(t, got.Items, "%+v", q)
		}
		for _, q := range []index.CatalogueQuery{{Category: "transport"}, {Region: "shanghai"}, {Seller: holder}, {Sort: ledgerindex.SortName}, {Sort: ledgerindex.SortPrice}} {
			got, err := x.Catalogue(ctx, q)
			require.NoError(t, err)
			assert.Len(t, got.Items, 1, "%+v", q)
		}

		p, err := x.Portfolio(ctx, buyerJS, "", 0, "")
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, "R-bought", p.Items[0].RightID)
		assert.Equal(t, "Yangshan port container moves", p.Items[0].AssetName)
		assert.Equal(t, "route analytics", p.Items[0].Purpose)

		h, err := x.TradeHistory(ctx, holder, nil, 1, "")
		require.NoError(t, err)
		require.Len(t, h.Items, 1)
		assert.Equal(t, "trade-nego", h.Items[0].TradeID, "newest first")
		assert.Equal(t, "SELLER", h.Items[0].Side)
		assert.Equal(t, buyerZJ, h.Items[0].Counterparty)
		assert.Nil(t, h.Items[0].PriceFen, "a negotiated price is never in the index")
		require.NotEmpty(t, h.NextCursor)
		h2, err := x.TradeHistory(ctx, holder, nil, 1, h.NextCursor)
		require.NoError(t, err)
		require.Len(t, h2.Items, 1)
		assert.Equal(t, "trade-fixed", h2.Items[0].TradeID)
		assert.Equal(t, int64(150000), *h2.Items[0].PriceFen)
		assert.Empty(t, h2.NextCursor)
		completing := m.All()[7].Transactions[0]
		assert.Equal(t, completing.Timestamp.Format(time.RFC3339), h2.Items[0].CompletedAt,
			"completed by the transaction that first wrote it COMPLETED, not by the later purge request")
		_, err = x.TradeHistory(ctx, holder, nil, 1, "bm90IGEgY3Vyc29y")
		assert.ErrorIs(t, err, index.ErrBadCursor)
		_, err = x.Catalogue(ctx, index.CatalogueQuery{Cursor: h.NextCursor})
		assert.ErrorIs(t, err, index.ErrBadCursor, "a cursor of another list")

		stats, err := x.Statistics(ctx, ledgerindex.GroupByRegionCategory, index.Window{})
		require.NoError(t, err)
		assert.Equal(t, ledgerindex.MarketFigures{Volume: 2, DisclosedVolume: 1, UndisclosedVolume: 1, SumPriceFen: big.NewInt(150000), AveragePriceFen: new(int64(150000))}, stats.Total)
		assert.Equal(t, last, stats.IndexedBlock)

		flows, err := x.TradeFlows(ctx, index.Window{})
		require.NoError(t, err)
		require.Len(t, flows.Flows, 2)
		assert.Equal(t, "jiangsu", flows.Flows[0].BuyerRegion)
		assert.Equal(t, "150000", flows.Flows[0].SumPriceFen.String())
		assert.Equal(t, "zhejiang", flows.Flows[1].BuyerRegion)
		assert.Equal(t, int64(1), flows.Flows[1].UndisclosedVolume)

		lookups, err := x.CreditLookups(ctx, index.Window{})
		require.NoError(t, err)
		assert.Equal(t, []ledgerindex.CreditLookupCount{{QuerierRegion: "zhejiang", SubjectRegion: "shanghai", Lookups: 1}}, lookups.Counts)
		day := m.Clock().In(index.ChinaStandardTime)
		midnight := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, index.ChinaStandardTime)
		next, err := x.CreditLookups(ctx, index.Window{From: midnight.Add(time.Second)})
		require.NoError(t, err)
		assert.Zero(t, next.Total, "the lookup's day starts before the window")
		same, err := x.CreditLookups(ctx, index.Window{From: midnight, To: midnight.AddDate(0, 0, 1)})
		require.NoError(t, err)
		assert.Equal(t, int64(1), same.Total)

		dump, err := x.Dump(ctx)
		require.NoError(t, err)
		for _, rows := range dump {
			for _, r := range rows {
				assert.NotContains(t, r, "777777", "no negotiated price anywhere")
				assert.NotContains(t, r, "asset-ghost")
			}
		}
		assert.Len(t, dump["asset_steps"], 3, "applied, public notice, registered")
	})
}

// A crash after a batch's rows are written and before its checkpoint is
// loses the batch whole: the feed reads it again, and nothing is counted
// twice. The index ends equal to one that never failed.
func TestRestartBetweenRowsAndCheckpoint(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		m := newMarket()
		x := open()
		var failures atomic.Int32
		x.SetAfterRows(func() error {
			if failures.Add(1) <= 3 {
				return errors.New("simulated crash between the rows and the checkpoint")
			}
			return nil
		})
		follow(t, x, m.Chain)
		assert.GreaterOrEqual(t, failures.Load(), int32(4))
		assert.GreaterOrEqual(t, len(m.Streams()), 4, "the feed resumed from its checkpoint after each failure")
		for _, from := range m.Streams() {
			assert.Zero(t, from, "nothing was checkpointed before the failures stopped")
		}
		got, err := x.Dump(t.Context())
		require.NoError(t, err)

		clean := openIndex(t, index.Store{Path: t.TempDir() + "/clean.db"})
		follow(t, clean, m.Chain)
		want, err := clean.Dump(t.Context())
		require.NoError(t, err)
		assert.Equal(t, want, got)
		lookups, err := x.CreditLookups(t.Context(), index.Window{})
		require.NoError(t, err)
		assert.Equal(t, int64(1), lookups.Total, "the lookup is counted once")
	})
}

// Rebuilding from block 0 gives the rows the incremental feed wrote,
// though the feed read the chain in small batches over broken streams and
// restarts.
func TestRebuildEqualsIncremental(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		m := newMarket()
		m.BreakStreamsAfter(2)
		x := open()
		stop := follow(t, x, m.Chain)
		stop()
		// More blocks after a restart.
		m.fixed.Status = model.TradeCompleted
		l := model.Listing{ID: "listing-2", AssetID: asset, RightType: "USE", Pricing: "FIXED", PriceFen: 5, Category: "transport",
			SourceRegion: "shanghai", SellerID: holder, SellerMSP: "ShanghaiMSP", Region: "shanghai", Status: "ACTIVE"}
		m.Add(chaintest.Tx(chaintest.Record("listing", l, l.ID)))
		x.Close()
		x = open()
		follow(t, x, m.Chain)
		incremental, err := x.Dump(t.Context())
		require.NoError(t, err)
		require.NotEmpty(t, incremental["listings"])

		m.BreakStreamsAfter(0)
		blocks, rows, _, err := x.Rebuild(t.Context(), m.Chain)
		require.NoError(t, err)
		assert.Equal(t, uint64(len(m.All())), blocks)
		rebuilt, err := x.Dump(t.Context())
		require.NoError(t, err)
		assert.Equal(t, incremental, rebuilt)
		n := 0
		for _, r := range rebuilt {
			n += len(r)
		}
		assert.Equal(t, n, rows)
	})
}

// The checkpoint moves only from where a batch started: a batch applied
// twice (a second writer, a replay) and a batch with a gap change nothing.
func TestCheckpointIsCompareAndSet(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		m := newMarket()
		a, b := open(), open()
		_, next, err := a.Apply(t.Context(), m.All())
		require.NoError(t, err)
		assert.Equal(t, uint64(len(m.All())), next)
		_, next, err = b.Apply(t.Context(), m.All())
		require.NoError(t, err, "blocks before the checkpoint are skipped")
		assert.Equal(t, uint64(len(m.All())), next)
		lookups, err := a.CreditLookups(t.Context(), index.Window{})
		require.NoError(t, err)
		assert.Equal(t, int64(1), lookups.Total)

		more := m.Add(chaintest.Tx())
		m.Add(chaintest.Tx())
		_, _, err = a.Apply(t.Context(), m.All()[len(m.All())-1:])
		assert.ErrorContains(t, err, "gap")
		cp, err := a.Checkpoint(t.Context())
		require.NoError(t, err)
		assert.Equal(t, more.Number, cp)
	})
}

// ?minBlock waits until the index has read the block, and no longer than
// its bound.
func TestWaitForABlock(t *testing.T) {
	m := newMarket()
	// The bound is long enough for a block to be projected on a loaded
	// machine (200 ms was not, at load 40).
	const bound = 2 * time.Second
	x := openIndex(t, index.Store{Path: t.TempDir() + "/wait.db"}, index.WithMaxWait(bound))
	err := x.WaitFor(t.Context(), 0)
	var behind *index.BehindError
	require.ErrorAs(t, err, &behind)
	assert.True(t, behind.Empty)
	follow(t, x, m.Chain)
	want := uint64(len(m.All()))
	start := time.Now()
	require.ErrorAs(t, x.WaitFor(t.Context(), want), &behind)
	assert.Equal(t, want-1, behind.Have)
	assert.GreaterOrEqual(t, time.Since(start), bound)
	go func() { time.Sleep(20 * time.Millisecond); m.Add(chaintest.Tx()) }()
	require.NoError(t, x.WaitFor(t.Context(), want), "the block arrives within the wait")
}

// Advanced tells a background worker that the index read a block: it is
// closed once the next block is written, not before.
func TestAdvancedIsClosedByTheNextBlock(t *testing.T) {
	m := newMarket()
	x := openIndex(t, index.Store{Path: t.TempDir() + "/advanced.db"})
	follow(t, x, m.Chain)
	require.NoError(t, x.WaitFor(t.Context(), uint64(len(m.All())-1)))
	advanced := x.Advanced()
	select {
	case <-advanced:
		t.Fatal("closed with no block read since it was taken")
	case <-time.After(50 * time.Millisecond):
	}
	m.Add(chaintest.Tx())
	select {
	case <-advanced:
	case <-time.After(5 * time.Second):
		t.Fatal("not closed when the index read the next block")
	}
}

// Sums of prices are exact however large they grow (the rule of every
// index of the market: never accumulate money in int64): one category's
// sum and the total pass int64, the averages stay exact, in the statistics,
// the flows and the price index.
func TestSumsBeyondInt64AreExact(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		m := newMarket()
		for i := range 3 {
			tr := m.fixed
			tr.ID, tr.PriceFen, tr.Category = "huge-"+strconv.Itoa(i), math.MaxInt64, "huge"
			m.Add(chaintest.Tx(chaintest.Record("trade", tr, tr.ID)))
		}
		x := following(t, open, m.Chain)
		three := new(big.Int).Mul(big.NewInt(3), big.NewInt(math.MaxInt64))
		total := new(big.Int).Add(three, big.NewInt(150000))
		stats, err := x.Statistics(t.Context(), ledgerindex.GroupByCategory, index.Window{})
		require.NoError(t, err)
		require.Len(t, stats.Groups, 2)
		huge := stats.Groups[0]
		assert.Equal(t, "huge", huge.Category)
		assert.Equal(t, three.String(), huge.SumPriceFen.String())
		assert.Equal(t, int64(math.MaxInt64), *huge.AveragePriceFen, "exact")
		assert.Equal(t, total.String(), stats.Total.SumPriceFen.String())
		assert.Equal(t, new(big.Int).Quo(total, big.NewInt(4)).Int64(), *stats.Total.AveragePriceFen)

		flows, err := x.TradeFlows(t.Context(), index.Window{})
		require.NoError(t, err)
		var flowSum big.Int
		for _, f := range flows.Flows {
			flowSum.Add(&flowSum, f.SumPriceFen)
		}
		assert.Equal(t, total.String(), flowSum.String())

		days, err := x.PriceIndex(t.Context(), index.PriceIndexQuery{Interval: ledgerindex.IntervalDay, Category: "huge"})
		require.NoError(t, err)
		require.NotEmpty(t, days.Points)
		var daySum big.Int
		for _, p := range days.Points {
			daySum.Add(&daySum, p.SumPriceFen)
		}
		assert.Equal(t, three.String(), daySum.String())

		// The published figures' value is exact too.
		period, _, err := x.ComputePeriod(t.Context(), "day:2026-03-02", uint64(len(m.All())-1))
		require.NoError(t, err)
		var published int
		for _, d := range period.Figures.Divisions {
			if d.Category == "huge" {
				assert.Equal(t, three.String(), d.DisclosedValueFen.String(), d.Division)
				published++
			}
		}
		assert.GreaterOrEqual(t, published, 2, "the delta and the asset's province at least")
	})
}

// A store built from another ledger is refused; one of a newer schema too.
func TestStoreBelongsToOneLedger(t *testing.T) {
	path := t.TempDir() + "/one.db"
	x := openIndex(t, index.Store{Path: path})
	x.Close()
	_, err := index.Open(index.Store{Path: path}, index.WithLedgerName("other", "deltaledger"))
	assert.ErrorContains(t, err, "yrd-market/deltaledger")
	var _ context.Context
}

// The catalogue search finds an asset by what its record says now: an
// asset written again under another name is found by the new words only,
// once, and a rebuild finds the same.
func TestSearchFindsWhatTheRecordSaysNow(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		m := newMarket()
		x := following(t, open, m.Chain)
		renamed := m.asset
		renamed.Name, renamed.Description = "Zhoushan ferry crossings", "Daily crossings at 舟山"
		other := m.asset
		other.ID, other.Name, other.Description = "asset-berths", "Yangshan berth plan", "Berths by day"
		m.Add(chaintest.Tx(chaintest.Record("asset", renamed, renamed.ID)), chaintest.Tx(chaintest.Record("asset", other, other.ID)))
		caughtUp(t, x, m.Chain)
		search := func(text string) []string {
			page, err := x.Catalogue(ctx, index.CatalogueQuery{Text: text, Status: model.AssetRegistered})
			require.NoError(t, err, text)
			var ids []string
			for _, a := range page.Items {
				ids = append(ids, a.ID)
			}
			return ids
		}
		check := func() {
			assert.Equal(t, []string{asset}, search("ferry"))
			assert.Equal(t, []string{asset}, search("舟山"))
			assert.Empty(t, search("洋山"), "the old description is gone")
			assert.Equal(t, []string{"asset-berths"}, search("yangshan"), "the old name is gone, the other asset keeps its own")
		}
		check()
		_, _, _, err := x.Rebuild(ctx, m.Chain)
		require.NoError(t, err)
		check()
	})
}

// A text search reads the page of a common word from the first assets in
// the page's order and that of a rare word through the text index (SQLite's
// full-text table for three characters or more, a LIKE below that, and
// PostgreSQL's trigram index): whichever way, every page in every order is
// the one that checking every asset gives, and the pages together are every
// match once.
func TestTextSearchPagesAreTheSameForCommonAndRareWords(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		c := chaintest.NewChain(start)
		n := index.TextProbe + index.TextProbe/2
		type entry struct {
			id, name, search string
			at               int
			price            int64
		}
		var all []entry
		var txs []chain.Transaction
		for i := range n {
			name := fmt.Sprintf("dataset %04d", (i*7)%n) // names in another order than the ids
			switch {
			case i%2 == 0:
				name += " container"
			case i%37 == 0:
				name += " ferry" // about one in a page of the probe: the text index answers
			}
			if i%500 == 7 {
				name += " zhoushan"
			}
			description := "hourly figures"
			if i%3 == 0 {
				description += " 港口" // two characters: below the trigram index's three
			}
			at := start.Add(time.Duration(i/3) * time.Minute) // three assets a minute: ties broken by id
			e := entry{id: fmt.Sprintf("asset-%04d", i), name: name, at: i / 3, price: int64(1000 + (i*7919)%5000)}
			e.search = strings.ToLower(strings.Join([]string{e.id, name, description, "transport"}, " "))
			all = append(all, e)
			a := model.Asset{AssetDescription: model.AssetDescription{ID: e.id, Name: name, Description: description, Category: "transport", SourceRegion: "shanghai"},
				ExchangeRegion: "shanghai", Sources: []string{}, ApplicantID: holder, HolderID: holder, HolderMSP: "ShanghaiMSP",
				Status: model.AssetRegistered, AppliedAt: ts(at), RegisteredAt: ts(at), UpdatedAt: ts(at)}
			l := model.Listing{ID: "listing-" + e.id, AssetID: e.id, RightType: model.RightUse, Pricing: model.PricingFixed,
				PriceFen: e.price, Category: "transport", SourceRegion: "shanghai", SellerID: holder, SellerMSP: "ShanghaiMSP",
				Region: "shanghai", Status: model.ListingActive, CreatedAt: ts(at), UpdatedAt: ts(at)}
			txs = append(txs, chaintest.Tx(chaintest.Record("asset", a, e.id)), chaintest.Tx(chaintest.Record("listing", l, l.ID)))
			if len(txs) == 100 {
				c.Add(txs...)
				txs = nil
			}
		}
		c.Add(txs...)
		x := following(t, open, c)

		orders := map[string]func(a, b entry) int{
			ledgerindex.SortNewest: func(a, b entry) int { return cmp.Or(cmp.Compare(b.at, a.at), strings.Compare(b.id, a.id)) },
			ledgerindex.SortName:   func(a, b entry) int { return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.id, b.id)) },
			ledgerindex.SortPrice:  func(a, b entry) int { return cmp.Or(cmp.Compare(a.price, b.price), strings.Compare(a.id, b.id)) },
		}
		for _, word := range []string{"container", "ferry", "zhoushan", "港口", "Dataset 00", "nowhere"} {
			for sort, order := range orders {
				var want []string
				for _, e := range slices.SortedFunc(slices.Values(all), order) {
					if strings.Contains(e.search, strings.ToLower(word)) {
						want = append(want, e.id)
					}
				}
				var got []string
				q := index.CatalogueQuery{Text: word, Sort: sort, Limit: 50}
				for pages := 0; ; pages++ {
					require.Less(t, pages, n/50+2, "%s by %s: the pages end", word, sort)
					page, err := x.Catalogue(ctx, q)
					require.NoError(t, err)
					for _, a := range page.Items {
						got = append(got, a.ID)
					}
					if page.NextCursor == "" {
						break
					}
					q.Cursor = page.NextCursor
				}
				assert.Equal(t, want, got, "%q by %s", word, sort)
			}
		}
	})
}
