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

// A period closes at the block before the first block with a valid
// transaction of the market chaincode stamped model.MaxClockSkew or more
// after its end, the same
// on every store: an invalid transaction closes nothing, nor does a valid
// one of another chaincode (whose timestamp no endorser of the market
// chaincode checked), a period still open has no closing
// block, and a period that ended before the ledger's first transaction is
// empty.
func TestClosingBlockOfAPeriod(t *testing.T) {
	m := newMarket() // 2026-03-02, in the minute from 17:00 in Beijing
	lateButInvalid := chaintest.Tx()
	lateButInvalid.Timestamp, lateButInvalid.ValidationCode = m.Clock().Add(48*time.Hour), "MVCC_READ_CONFLICT"
	m.Add(lateButInvalid)
	lateButAnotherChaincode := chaintest.Tx()
	lateButAnotherChaincode.Timestamp, lateButAnotherChaincode.OtherChaincode = m.Clock().Add(48*time.Hour), true
	m.Add(lateButAnotherChaincode)
	nextDay := chaintest.Tx()
	nextDay.Timestamp = m.Clock().Add(24 * time.Hour)
	closing := m.Add(nextDay, chain.Transaction{Timestamp: m.Clock()}) // stamped late and early in one block
	last := uint64(len(m.All()) - 1)

	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		x := following(t, open, m.Chain)
		for period, want := range map[string]struct {
			toBlock       uint64
			closed, empty bool
		}{
			"day:2026-03-02":          {closing.Number - 1, true, false},
			"hour:2026-03-02T17":      {closing.Number - 1, true, false},
			"minute:2026-03-02T17:00": {closing.Number - 1, true, false},
			"day:2026-03-03":          {0, false, false},
			"month:2026-03":           {0, false, false},
			"day:2026-03-01":          {0, true, true},
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
	assert.Equal(t, last, closing.Number)
}

// A transaction stamped ahead, as far as the endorsers accept, closes no
// period before it ended: the transactions stamped in the period's last
// minutes, ordered after it, still count. Only a stamp model.MaxClockSkew
// past the end, which proves every endorser's clock had passed it, closes
// the period.
func TestAStampAheadClosesNoPeriodEarly(t *testing.T) {
	const period = "minute:2026-03-02T17:01"
	_, end, err := model.ParsePeriod(period)
	require.NoError(t, err)
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		m := newMarket()
		require.True(t, m.Clock().Before(end.Add(-time.Minute)), "the market's transactions are stamped before the minute")
		ahead := chaintest.Tx()
		ahead.Timestamp = end.Add(model.MaxClockSkew - time.Second)
		m.Add(ahead)
		inTime := m.Add(chain.Transaction{Timestamp: end.Add(-time.Second)})
		closesOnlyFrom(t, open, m.Chain, period, end.Add(model.MaxClockSkew), inTime,
			"a stamp less than MaxClockSkew past the end closed the period", "the transaction stamped in the period counts")
	})
}

// closesOnlyFrom checks the period on c, whose transactions so far include
// inPeriod, stamped in the period, and others stamped past its end short of
// closer: the index following c finds the period open (stillOpen says why
// that matters); a transaction then stamped at closer closes it at the block
// before its own, which covers inPeriod (counts says what that one is).
func closesOnlyFrom(t *testing.T, open func(...index.Option) *index.Index, c *chaintest.Chain, period string, closer time.Time, inPeriod *chain.Block, stillOpen, counts string) {
	t.Helper()
	x := following(t, open, c)
	_, closed, _, err := x.ClosingBlock(t.Context(), period)
	require.NoError(t, err)
	assert.False(t, closed, stillOpen)

	tx := chaintest.Tx()
	tx.Timestamp = closer
	closing := c.Add(tx)
	caughtUp(t, x, c)
	toBlock, closed, _, err := x.ClosingBlock(t.Context(), period)
	require.NoError(t, err)
	assert.True(t, closed)
	assert.Equal(t, closing.Number-1, toBlock)
	assert.GreaterOrEqual(t, toBlock, inPeriod.Number, counts)
}

// From model.ClosingRuleCutOver a period closes model.MaxClockSkew +
// model.MaxClockLead after its end: a transaction stamped MaxClockSkew past
// the end may have been endorsed a lead before that, while one stamped in
// the period's last second (a member signing its own calls, stamped behind)
// is still endorsed, ordered after it, and must count; only a stamp
// MaxClockSkew+MaxClockLead past the end closes it.
func TestAPeriodOfTheNewRuleClosesALeadLater(t *testing.T) {
	const period = "minute:2027-03-02T17:01"
	_, end, err := model.ParsePeriod(period)
	require.NoError(t, err)
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		c := chaintest.NewChain(end.Add(-time.Hour))
		c.Add(chaintest.Tx())
		skewPast := chaintest.Tx()
		skewPast.Timestamp = end.Add(model.MaxClockSkew)
		c.Add(skewPast)
		lastSecond := c.Add(chain.Transaction{Timestamp: end.Add(-time.Second)})
		closesOnlyFrom(t, open, c, period, end.Add(model.MaxClockSkew+model.MaxClockLead), lastSecond,
			"a stamp MaxClockSkew past the end closed a period of the new rule", "the transaction stamped in the period's last second counts")
	})
}

// The periods that end by model.ClosingRuleCutOver, published by the old
// rule, still close where they did, so that an index rebuilt from block 0
// finds their closing blocks and digests again: on a ledger across the
// new year, a transaction stamped six minutes into 2027 closes the last
// minute, hour, day and month of 2026, but not the first minute of 2027:
// one stamped seven minutes in (its old closing instant) does not either,
// one stamped eight minutes in does.
func TestPeriodsBeforeTheCutOverCloseWhereTheyDid(t *testing.T) {
	newYear := model.ClosingRuleCutOver()
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		c := chaintest.NewChain(newYear.Add(-time.Hour))
		c.Add(chaintest.Tx())
		at := func(d time.Duration) *chain.Block { return c.Add(chain.Transaction{Timestamp: newYear.Add(d)}) }
		at(30 * time.Second)
		sixMinutesIn := at(model.MaxClockSkew)
		at(time.Minute + model.MaxClockSkew) // would close the first minute of 2027 by the old rule
		eightMinutesIn := at(time.Minute + model.PeriodClosingDelay)
		x := following(t, open, c)
		for period, toBlock := range map[string]uint64{
			"minute:2026-12-31T23:59": sixMinutesIn.Number - 1,
			"hour:2026-12-31T23":      sixMinutesIn.Number - 1,
			"day:2026-12-31":          sixMinutesIn.Number - 1,
			"month:2026-12":           sixMinutesIn.Number - 1,
			"minute:2027-01-01T00:00": eightMinutesIn.Number - 1,
		} {
			got, closed, empty, err := x.ClosingBlock(t.Context(), period)
			require.NoError(t, err, period)
			assert.True(t, closed, period)
			assert.False(t, empty, period)
			assert.Equal(t, toBlock, got, period)
		}
		_, closed, _, err := x.ClosingBlock(t.Context(), "minute:2027-01-01T00:01")
		require.NoError(t, err)
		assert.False(t, closed, "minute:2027-01-01T00:01 closes nine minutes in")
	})
}
