package index_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
)

// opening is the transaction of the period's opening: indices:Open's write
// of the period's publication record, stamped at at.
func opening(period string, at time.Time) chain.Transaction {
	tx := chaintest.Tx(chaintest.Record("indices.publication", model.Publication{Period: period, Status: model.PublicationOpen}, period))
	tx.Timestamp = at
	return tx
}

// A period closes at the block before the first block with a valid write of
// its publication record (its opening), the same on every store: a stamp
// past its end closes nothing, nor does an invalid opening or another
// period's, a second write of the record (its publication) moves nothing,
// a period not opened has no closing block, and a period that ended before
// the ledger's first transaction is empty.
func TestClosingBlockOfAPeriod(t *testing.T) {
	m := newMarket() // 2026-03-02, in the minute from 17:00 in Beijing
	const period = "minute:2026-03-02T17:00"
	_, end, err := model.ParsePeriod(period)
	require.NoError(t, err)
	nextDay := chaintest.Tx()
	nextDay.Timestamp = m.Clock().Add(24 * time.Hour)
	m.Add(nextDay, chain.Transaction{Timestamp: m.Clock()}) // stamped late and early in one block
	invalid := opening(period, model.PeriodClosesAt(end))
	invalid.ValidationCode = "MVCC_READ_CONFLICT"
	m.Add(invalid)
	m.Add(opening("minute:2026-03-02T17:01", model.PeriodClosesAt(end.Add(time.Minute))))
	closing := m.Add(opening(period, model.PeriodClosesAt(end)))
	published := opening(period, model.PeriodClosesAt(end).Add(time.Minute))
	published.Writes = []chain.Write{chaintest.Record("indices.publication", model.Publication{Period: period, Status: model.PublicationPublished,
		FromBlock: 0, ToBlock: closing.Number - 1}, period)}
	m.Add(published)

	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		x := following(t, open, m.Chain)
		for period, want := range map[string]struct {
			toBlock       uint64
			closed, empty bool
		}{
			period:               {closing.Number - 1, true, false},
			"hour:2026-03-02T17": {0, false, false},
			"day:2026-03-02":     {0, false, false},
			"month:2026-03":      {0, false, false},
			"day:2026-03-01":     {0, true, true},
		} {
			toBlock, closed, empty, err := x.ClosingBlock(t.Context(), period)
			require.NoError(t, err, period)
			assert.Equal(t, want, struct {
				toBlock       uint64
				closed, empty bool
			}{toBlock, closed, empty}, period)
		}
		_, _, _, err := x.ClosingBlock(t.Context(), "week:2026-10")
		assert.ErrorAs(t, err, new(index.ErrBadPeriod))
	})
}

// One org endorsing alone (a write under its own key-level policy: its
// seller's listing), running code of its own that skips the chaincode's
// clock check, commits a valid transaction stamped in 2099, which Fabric
// never checks. It closes no period: not the day it was made in, whose
// later listings still count once the day is opened, nor any period up to
// its stamp before it began.
func TestOneOrgsStampFarAheadClosesNoPeriod(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		c := chaintest.NewChain(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)) // 09:00 in Beijing
		l := model.Listing{ID: "L1", AssetID: "A1", RightType: model.RightUse, Pricing: model.PricingFixed, PriceFen: 100,
			Category: "transport", SourceRegion: "shanghai", SellerID: "s", SellerMSP: "ShanghaiMSP", Region: "shanghai",
			Status: model.ListingActive, CreatedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
		c.Add(chaintest.Tx(chaintest.Record("listing", l, l.ID)))
		forged := chaintest.Tx(chaintest.Record("listing", l, l.ID))
		forged.Timestamp = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
		c.Add(forged)
		for _, id := range []string{"L2", "L3"} { // the same morning, honest listings go on being made
			l2 := l
			l2.ID = id
			c.Add(chaintest.Tx(chaintest.Record("listing", l2, id)))
		}
		x := following(t, open, c)
		for _, period := range []string{"day:2026-03-02", "month:2026-03", "month:2026-04", "day:2030-06-01", "month:2098-12"} {
			_, closed, empty, err := x.ClosingBlock(t.Context(), period)
			require.NoError(t, err)
			assert.False(t, closed || empty, "%s is closed by a stamp one org chose", period)
		}

		const day = "day:2026-03-02"
		_, end, err := model.ParsePeriod(day)
		require.NoError(t, err)
		opened := c.Add(opening(day, model.PeriodClosesAt(end)))
		caughtUp(t, x, c)
		toBlock, closed, _, err := x.ClosingBlock(t.Context(), day)
		require.NoError(t, err)
		require.True(t, closed)
		assert.Equal(t, opened.Number-1, toBlock)
		out, _, err := x.ComputePeriod(t.Context(), day, toBlock)
		require.NoError(t, err)
		assert.Equal(t, 3, out.InputRows, "L2 and L3, listed that day after the forged stamp, count")
	})
}
