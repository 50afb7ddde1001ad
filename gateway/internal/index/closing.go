package index

import (
	"context"
	"database/sql"

	"github.com/deltaledger/deltaledger/model"
)

// ClosingBlock is the last block a period's published figures count, the
// same for every region without anyone choosing it: the block before the
// first block with a valid transaction of the market chaincode stamped at or
// after the period's closing instant, model.PeriodClosesAt of its end
// (Fabric's blocks are the same on every peer, so every index that has read
// that block finds the same one). The endorsers accept a stamp at most
// model.MaxClockLead ahead of their clocks (at most MaxClockSkew, on a ledger
// written before the chaincode bounded the lead apart), so such a stamp
// proves that their clocks had passed the end: a member stamping ahead
// closes no period before it ended, which would leave the transactions of
// its last minutes out of every figure. The rule waits longer than the lead:
// a transaction stamped in the period's last seconds may reach the ledger up
// to MaxClockSkew later (a member signing its own calls), and closing sooner
// would leave it out; and the periods already published were closed by the
// rule of their day, which every index, also one rebuilt from block 0, must
// find again (model.ClosingRuleCutOver). closed is false while the index has
// read no such block: the period may still get transactions. empty is true
// when the period ended before the ledger's first valid transaction (there
// is nothing to publish). A transaction stamped in the period but ordered
// after the closing block is not counted in it.
func (x *Index) ClosingBlock(ctx context.Context, period string) (toBlock uint64, closed, empty bool, err error) {
	_, end, err := model.ParsePeriod(period)
	if err != nil {
		return 0, false, false, ErrBadPeriod{err}
	}
	t, err := x.db.read(ctx)
	if err != nil {
		return 0, false, false, err
	}
	defer t.Rollback()
	var first, after sql.NullInt64
	if err := t.queryRow(ctx, `SELECT MIN(block) FROM block_times`).Scan(&first); err != nil {
		return 0, false, false, err
	}
	if err := t.queryRow(ctx, `SELECT MIN(block) FROM block_times WHERE last_at >= ?`, model.PeriodClosesAt(end).Unix()).Scan(&after); err != nil {
		return 0, false, false, err
	}
	switch {
	case !after.Valid:
		return 0, false, false, nil
	case after.Int64 == first.Int64:
		return 0, true, true, nil
	}
	return uint64(after.Int64) - 1, true, false, nil
}
