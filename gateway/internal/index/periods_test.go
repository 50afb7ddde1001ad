package index_test

import (
	"math"
	"math/big"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// requirePublishable checks that computed figures are what indices:Publish
// accepts: well-formed in the market's vocabulary, and figures their
// canonical text.
func requirePublishable(t *testing.T, got *ledgerindex.ComputedIndices, figures string) {
	t.Helper()
	require.NoError(t, got.Figures.Check(got.Figures.Period, got.Figures.FromBlock, got.Figures.ToBlock))
	canonical, err := ledgerindex.CanonicalFigures(got.Figures)
	require.NoError(t, err)
	require.Equal(t, string(canonical), figures)
}

// A period's figures are computed from the blocks up to the one asked for,
// identically (byte for byte) on SQLite and PostgreSQL; the price index is
// chained from period to period; a block range that ends earlier counts
// less; bad periods and unread blocks are refused.
func TestPeriodFigures(t *testing.T) {
	m := newMarket()
	// The next day: a sale of the FIXED listing at twice the price.
	next := m.fixed
	next.ID, next.PriceFen, next.Status = "trade-next-day", 300000, "COMPLETED"
	later := chaintest.Tx(chaintest.Record("trade", next, next.ID))
	later.Timestamp = m.Clock().Add(24 * time.Hour)
	m.Add(later)
	last := uint64(len(m.All()) - 1)

	hashes := map[string]string{}
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		x := following(t, open, m.Chain)
		day := "day:2026-03-02"
		got, figures, err := x.ComputePeriod(t.Context(), day, last-1)
		require.NoError(t, err)
		hashes[t.Name()] = got.FiguresHash
		requirePublishable(t, got, figures)
		assert.Equal(t, model.FiguresHash(figures), got.FiguresHash)
		assert.Equal(t, model.IndicesDigest(day, got.Figures.FromBlock, last-1, got.InputHash, got.FiguresHash), got.Digest)
		assert.Equal(t, 5, got.InputRows, "1 registration, 2 listings, 2 sales")
		delta := got.Figures.Divisions[0]
		assert.Equal(t, ledgerindex.DivisionFigures{Division: "YRD", Level: "delta", Category: "*", Registrations: 1, Listings: 2, Trades: 2,
			DisclosedTrades: 1, DisclosedValueFen: big.NewInt(150000), MeanPriceFen: new(int64(150000)), MedianPriceFen: new(int64(150000))}, delta)
		assert.Contains(t, got.Figures.Divisions, ledgerindex.DivisionFigures{Division: "310000", Level: "province", Category: "transport",
			Registrations: 1, Listings: 2, Trades: 2, DisclosedTrades: 1, DisclosedValueFen: big.NewInt(150000), MeanPriceFen: new(int64(150000)), MedianPriceFen: new(int64(150000))})
		assert.Equal(t, []ledgerindex.ActivityFigure{{Division: "310000", Activity: 5, Index: 1000}}, got.Figures.Activity)
		assert.Contains(t, got.Figures.PriceIndex, ledgerindex.PriceIndexFigure{Category: "*", Index: 1000, BasePeriod: day, Traded: true})

		hour, _, err := x.ComputePeriod(t.Context(), "hour:2026-03-02T17", last-1)
		require.NoError(t, err)
		assert.Equal(t, 5, hour.InputRows, "every fact of the day was made between 17:00 and 18:00 CST")

		nextDay, nextFigures, err := x.ComputePeriod(t.Context(), "day:2026-03-03", last)
		require.NoError(t, err)
		requirePublishable(t, nextDay, nextFigures)
		assert.Contains(t, nextDay.Figures.PriceIndex, ledgerindex.PriceIndexFigure{Category: "transport", Index: 2000, BasePeriod: day, Traded: true},
			"chained: 1000 × 300000 / 150000")
		assert.Equal(t, 1, nextDay.InputRows)

		early, earlyFigures, err := x.ComputePeriod(t.Context(), day, 5)
		require.NoError(t, err)
		requirePublishable(t, early, earlyFigures)
		assert.Equal(t, int64(0), early.Figures.Divisions[0].Trades, "no sale in blocks up to 5")
		assert.NotEqual(t, got.InputHash, early.InputHash)

		_, _, err = x.ComputePeriod(t.Context(), "week:2026-10", last)
		assert.ErrorAs(t, err, new(index.ErrBadPeriod))
		_, _, err = x.ComputePeriod(t.Context(), day, last+1)
		assert.ErrorAs(t, err, new(*index.BehindError))
	})
	require.Len(t, hashes, 2)
	assert.Equal(t, hashes[t.Name()+"/sqlite"], hashes[t.Name()+"/postgres"], "both databases give the same figures, byte for byte")
	_ = strconv.Itoa
}

// A period's figures at a block never change once the index has read it:
// asked again for the same period and block, the index answers them
// without reading the facts again, with its current height; another block
// is computed afresh.
func TestAPeriodsFiguresAtABlockAreReadOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		m := newMarket()
		x := open()
		reads := 0
		x.SetFactsRead(func() { reads++ })
		follow(t, x, m.Chain)
		day, to := "day:2026-03-02", uint64(len(m.All())-1)
		first, figures, err := x.ComputePeriod(t.Context(), day, to)
		require.NoError(t, err)
		for range 3 {
			again, againFigures, err := x.ComputePeriod(t.Context(), day, to)
			require.NoError(t, err)
			assert.Equal(t, first, again)
			assert.Equal(t, figures, againFigures)
		}
		assert.Equal(t, 1, reads, "the same period at the same block")

		// A later sale of the same day, in a later block: the figures up to
		// the earlier block stay, the index height is the current one.
		late := m.fixed
		late.ID, late.PriceFen, late.Status = "trade-late", 300000, "COMPLETED"
		m.Add(chaintest.Tx(chaintest.Record("trade", late, late.ID)))
		caughtUp(t, x, m.Chain)
		again, againFigures, err := x.ComputePeriod(t.Context(), day, to)
		require.NoError(t, err)
		assert.Equal(t, 1, reads)
		assert.Equal(t, figures, againFigures)
		assert.Equal(t, to+1, again.IndexHeight.IndexedBlock, "the height is read afresh")
		again.IndexHeight = first.IndexHeight
		assert.Equal(t, first, again)

		later, _, err := x.ComputePeriod(t.Context(), day, to+1)
		require.NoError(t, err)
		assert.Equal(t, 2, reads, "another block is computed")
		assert.Equal(t, first.InputRows+1, later.InputRows)
	})
}

// A registration whose asset names no division counts in its region's own
// division as the market rules in force said when it was made, read from
// the blocks: Suzhou's city once the rules give Suzhou 3205, nowhere before
// (a region outside the founding table holds nothing until the rules say);
// a founding region's province throughout.
func TestAFactOfNoDivisionCountsInItsRegionsByTheRules(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		c := chaintest.NewChain(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		rules := model.MarketRules{Rules: model.Rules{Version: 1}}
		for _, region := range model.FoundingRegions {
			rules.Orgs = append(rules.Orgs, model.MarketOrg{MSPID: region + "MSP", Region: region})
		}
		registered := func(id, category, region string) {
			a := model.Asset{AssetDescription: model.AssetDescription{ID: id, Name: id, Category: category, SourceRegion: region, ContentHash: "ab"}, ExchangeRegion: region,
				Sources: []string{}, ApplicantID: region + ".holder", HolderID: region + ".holder", HolderMSP: region + "MSP",
				Status: model.AssetRegistered, AppliedAt: ts(c.Clock()), RegisteredAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
			c.Add(chaintest.Tx(chaintest.Record("asset", a, id)))
		}
		c.Add(chaintest.Tx(chaintest.Record("market~rules", rules, "current")))
		registered("sz-early", "early", "suzhou")
		registered("js-early", "early", "jiangsu")
		rules.Version++
		rules.Orgs = append(rules.Orgs, model.MarketOrg{MSPID: "SuzhouMSP", Region: "suzhou", Divisions: []string{"3205"}})
		c.Add(chaintest.Tx(chaintest.Record("market~rules", rules, "current")))
		registered("sz-late", "late", "suzhou")
		registered("js-late", "late", "jiangsu")

		x := following(t, open, c)
		period, figures, err := x.ComputePeriod(t.Context(), "day:2026-03-02", uint64(len(c.All())-1))
		require.NoError(t, err)
		requirePublishable(t, period, figures) // a fact of no division is the delta's activity
		counted := map[string]map[string]int64{"early": {}, "late": {}}
		for _, d := range period.Figures.Divisions {
			if counted[d.Category] != nil {
				counted[d.Category][d.Division] = d.Registrations
			}
		}
		assert.Equal(t, map[string]int64{"320000": 1, model.DeltaDivision: 2}, counted["early"], "before the rules name Suzhou")
		assert.Equal(t, map[string]int64{"320500": 1, "320000": 2, model.DeltaDivision: 2}, counted["late"], "Suzhou's city, in Jiangsu's province")
	})
}

// A period's figures stay exact however large the prices: the disclosed
// value of sales at math.MaxInt64 fen each passes int64 and is answered
// whole, their mean and median stay exact (no sum in int64), and a chained
// price index that rises beyond int64 reads math.MaxInt64, never a wrapped
// negative number; on both databases, byte for byte.
func TestPeriodFiguresBeyondInt64AreExact(t *testing.T) {
	m := newMarket()
	sale := func(id, category string, price int64, at time.Time) {
		tr := m.fixed
		tr.ID, tr.PriceFen, tr.Category = id, price, category
		txn := chaintest.Tx(chaintest.Record("trade", tr, tr.ID))
		txn.Timestamp = at
		m.Add(txn)
	}
	today, tomorrow := m.Clock(), m.Clock().Add(24*time.Hour)
	for i := range 3 {
		sale("huge-"+strconv.Itoa(i), "huge", math.MaxInt64, today)
	}
	sale("rising-0", "rising", 1, today)
	sale("rising-1", "rising", math.MaxInt64, tomorrow)
	last := uint64(len(m.All()) - 1)

	hashes := map[string]string{}
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		x := following(t, open, m.Chain)
		got, _, err := x.ComputePeriod(t.Context(), "day:2026-03-02", last)
		require.NoError(t, err)
		three := new(big.Int).Mul(big.NewInt(3), big.NewInt(math.MaxInt64))
		assert.Contains(t, got.Figures.Divisions, ledgerindex.DivisionFigures{Division: "YRD", Level: "delta", Category: "huge", Trades: 3,
			DisclosedTrades: 3, DisclosedValueFen: three, MeanPriceFen: new(int64(math.MaxInt64)), MedianPriceFen: new(int64(math.MaxInt64))})
		next, _, err := x.ComputePeriod(t.Context(), "day:2026-03-03", last)
		require.NoError(t, err)
		hashes[t.Name()] = next.FiguresHash
		assert.Contains(t, next.Figures.PriceIndex, ledgerindex.PriceIndexFigure{Category: "rising", Index: math.MaxInt64, BasePeriod: "day:2026-03-02", Traded: true},
			"1000 × MaxInt64 / 1 does not fit: the index reads MaxInt64")
	})
	require.Len(t, hashes, 2)
	assert.Equal(t, hashes[t.Name()+"/sqlite"], hashes[t.Name()+"/postgres"])
}
