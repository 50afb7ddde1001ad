package index_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// lookupsMarket is the test market with more credit lookups, at noon (China
// Standard Time) of days of March 2026, each at the Shanghai holder and each
// by a querier of its own (lookingFrom): from Zhejiang 1 on the 10th, 3+2
// (two bases, one day-cell of exactly ledgerindex.MinimumCreditLookupCount
// queriers) on the 11th and 7 on the 12th; from Jiangsu 2 on the 11th (a
// pair of small days only).
func lookupsMarket() *marketChain {
	m := newMarket()
	look := lookingFrom(m)
	look("zhejiang", 10, 1, model.BasisAuthorization)
	look("zhejiang", 11, 3, model.BasisAuthorization)
	look("zhejiang", 11, 2, model.BasisSubject)
	look("zhejiang", 12, 7, model.BasisAuthorization)
	look("jiangsu", 11, 2, model.BasisAuthorization)
	return m
}

// lookingFrom returns how m's tests add count lookups at the Shanghai holder
// at noon (China Standard Time) of a day of March 2026, each by a new
// querier of region.
func lookingFrom(m *marketChain) func(region string, day, count int, basis string) {
	n := 0
	return func(region string, day, count int, basis string) {
		for range count {
			n++
			querier := fmt.Sprintf("%s.querier-%d", region, n)
			lookAt(m, participant(querier, "x", region, "buyer", fmt.Sprintf("9133%014d", n), m.Clock()), day, n, basis)
		}
	}
}

// lookAt adds querier (registered first when it is new) and its lookup number n at the Shanghai holder at noon
// (China Standard Time) of a day of March 2026.
func lookAt(m *marketChain, querier model.Participant, day, n int, basis string) {
	at := time.Date(2026, 3, day, 12, 0, 0, 0, index.ChinaStandardTime)
	tr := model.Trace{TraceID: fmt.Sprintf("trace-lookups-%d", n), SubjectUSCC: usccSH, QuerierID: querier.ID, QuerierMSP: querier.MSPID,
		Purpose: "due diligence", Basis: basis, At: ts(at), ExpiresAt: ts(at.Add(time.Hour))}
	m.Add(chaintest.Tx(chaintest.Record("participant", querier, querier.ID), chaintest.Record("credit.trace", tr, tr.TraceID)))
}

// march is the window of the days of March 2026 from one day to another
// (China Standard Time).
func march(from, to int) index.Window {
	return index.Window{From: time.Date(2026, 3, from, 0, 0, 0, 0, index.ChinaStandardTime), To: time.Date(2026, 3, to, 0, 0, 0, 0, index.ChinaStandardTime)}
}

// The regulator reads every count; an operator reads the counts of the
// day-cells that at least ledgerindex.MinimumCreditLookupCount queriers made, the
// others withheld before the days are summed: a day of 1 lookup is
// withheld, a day of exactly the minimum (over two bases) is shown, a pair
// of small days only is not listed, and the total is the sum of what is
// shown.
func TestOperatorsReadNoSmallLookupCount(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		x := following(t, open, lookupsMarket().Chain)
		week := march(10, 17)

		exact, err := x.CreditLookups(ctx, week)
		require.NoError(t, err)
		assert.True(t, exact.Exact)
		assert.Equal(t, int64(1), exact.MinimumCount)
		assert.Equal(t, []ledgerindex.CreditLookupCount{
			{QuerierRegion: "jiangsu", SubjectRegion: "shanghai", Lookups: 2},
			{QuerierRegion: "zhejiang", SubjectRegion: "shanghai", Lookups: 13},
		}, exact.Counts)
		assert.Equal(t, int64(15), exact.Total)
		one, err := x.CreditLookups(ctx, march(10, 11))
		require.NoError(t, err)
		assert.Equal(t, []ledgerindex.CreditLookupCount{{QuerierRegion: "zhejiang", SubjectRegion: "shanghai", Lookups: 1}}, one.Counts,
			"the regulator reads a day of one lookup")

		op, err := x.OperatorCreditLookups(ctx, week)
		require.NoError(t, err)
		assert.False(t, op.Exact)
		assert.Equal(t, int64(ledgerindex.MinimumCreditLookupCount), op.MinimumCount)
		assert.Equal(t, []ledgerindex.CreditLookupCount{{QuerierRegion: "zhejiang", SubjectRegion: "shanghai", Lookups: 12}}, op.Counts,
			"the 10th's one lookup withheld, the 11th's five over two bases shown, Jiangsu's two not listed")
		assert.Equal(t, int64(12), op.Total, "the total is the sum of what is shown")
		for day, want := range map[int][]ledgerindex.CreditLookupCount{
			10: {},
			11: {{QuerierRegion: "zhejiang", SubjectRegion: "shanghai", Lookups: ledgerindex.MinimumCreditLookupCount}},
		} {
			got, err := x.OperatorCreditLookups(ctx, march(day, day+1))
			require.NoError(t, err)
			if len(want) == 0 {
				want = []ledgerindex.CreditLookupCount{}
			}
			assert.Equal(t, want, got.Counts, "March %d", day)
		}
	})
}

// The differencing attack: an operator who reads two overlapping windows
// ([d, e) and [d+1, e)) learns by their difference the count of day d. Every
// such difference, of a pair's count or of the total, is 0 or at least
// ledgerindex.MinimumCreditLookupCount, and an operator's window is the
// sum of its days, so no pair of windows reveals a withheld day.
func TestNoDifferenceOfWindowsRevealsAWithheldDay(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		x := following(t, open, lookupsMarket().Chain)
		read := func(from, to int) (map[string]int64, int64) {
			got, err := x.OperatorCreditLookups(ctx, march(from, to))
			require.NoError(t, err)
			counts := map[string]int64{}
			var shown int64
			for _, c := range got.Counts {
				counts[c.QuerierRegion+">"+c.SubjectRegion] = c.Lookups
				shown += c.Lookups
			}
			assert.Equal(t, shown, got.Total, "[%d, %d): the total is the sum of the counts shown", from, to)
			return counts, got.Total
		}
		shown := func(n int64) bool { return n == 0 || n >= ledgerindex.MinimumCreditLookupCount }
		for from := 8; from < 14; from++ {
			for to := from + 1; to <= 14; to++ {
				counts, total := read(from, to)
				later, laterTotal := read(from+1, to)
				assert.True(t, shown(total-laterTotal), "[%d, %d) less [%d, %d): total %d", from, to, from+1, to, total-laterTotal)
				for pair, n := range counts {
					assert.True(t, shown(n-later[pair]), "[%d, %d) less [%d, %d): %s %d", from, to, from+1, to, pair, n-later[pair])
				}
				var sum int64
				for day := from; day < to; day++ {
					_, t := read(day, day+1)
					sum += t
				}
				assert.Equal(t, sum, total, "[%d, %d) is the sum of its days", from, to)
			}
		}
	})
}

// Padding: an operator entitled to a subject of a region (or a colleague of its region) makes lookups of its own
// until a withheld day-cell shows, and reads the others' count as the rest; and one querier's many lookups of a day
// name it where its region has few queriers. An operator is shown a day's count only when at least
// ledgerindex.MinimumCreditLookupCount distinct queriers made it: one other querier's lookup padded with four of one
// querier is withheld, as are one querier's five lookups alone; five queriers' five lookups are shown. The regulator
// reads every count.
func TestAnOperatorIsShownADayOnlyWhenEnoughQueriersMadeIt(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		m := newMarket()
		pad := participant("zhejiang.operator", "ZhejiangMSP", "zhejiang", "operator", "91330000MA1FL1400P", m.Clock())
		n := 0
		lookBy := func(querier model.Participant, day, count int) {
			for range count {
				n++
				lookAt(m, querier, day, n, model.BasisAuthorization)
			}
		}
		other := participant("zhejiang.bank", "ZhejiangMSP", "zhejiang", "buyer", "91330000MA1FL1300Q", m.Clock())
		lookBy(other, 10, 1) // the lookup the operator would read
		lookBy(pad, 10, 4)   // and its own padding
		lookBy(pad, 11, 5)   // one querier's day
		for i := range 5 {   // five queriers' day
			lookBy(participant(fmt.Sprintf("zhejiang.q%d", i), "ZhejiangMSP", "zhejiang", "buyer", fmt.Sprintf("913300000000000%03d", i), m.Clock()), 12, 1)
		}
		x := following(t, open, m.Chain)
		for day, want := range map[int]int64{10: 0, 11: 0, 12: 5} {
			got, err := x.OperatorCreditLookups(ctx, march(day, day+1))
			require.NoError(t, err)
			assert.Equal(t, want, got.Total, "March %d: %+v", day, got.Counts)
			exact, err := x.CreditLookups(ctx, march(day, day+1))
			require.NoError(t, err)
			assert.Equal(t, int64(5), exact.Total, "March %d: the regulator reads every lookup", day)
		}
	})
}
