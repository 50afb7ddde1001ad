package index_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
)

// A period closes at the block before the first block with a valid
// transaction of the market chaincode stamped at or after its end, the same
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
		x := open()
		follow(t, x, m.Chain)
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
