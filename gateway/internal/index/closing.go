package index

import (
	"context"
	"database/sql"
	"errors"

	"github.com/deltaledger/deltaledger/model"
)

// ClosingBlock is the last block a period's published figures count, the
// same for every region without anyone choosing it: the block before the
// first block with a valid write of the period's publication record, its
// opening (indices:Open), which the chaincode makes only at or after the
// period's closing instant, model.PeriodClosesAt of its end, by the
// transaction's stamp and by the endorsing peers' clocks (Fabric's blocks
// are the same on every peer, so every index that has read that block finds
// the same one). That write alone is proof that the clocks passed the end:
// Fabric checked it against the record's policy, a majority of the orgs
// (the chaincode's policy for a new record, and the key-level policy Open
// puts it under), and it never checks a stamp, which only the endorsers'
// own code holds against their clocks. Any other transaction may be
// endorsed by one org alone (a write under its own key-level policy),
// running code of its own that skips the check, stamped at any time: one
// stamped years ahead would otherwise close the day at its block and every
// period up to its stamp before it began. Nor do the endorsements a block
// lists prove who endorsed: Fabric drops any whose signature or certificate
// fails as long as the rest satisfy the policy, so only what the policy
// itself asks is proven. The closing instant waits longer than the
// endorsers' lead, model.MaxClockLead: a transaction stamped in the
// period's last seconds may reach the ledger up to MaxClockSkew later (a
// member signing its own calls), and the opening, later still, leaves none
// out. closed is false while the index has read no opening: the period may
// still get transactions. empty is true when the period ended before the
// ledger's first valid transaction of the market chaincode (there is
// nothing to publish): a channel's first such transaction creates records
// or writes none, which the chaincode's policy, a majority, endorses, so
// its stamp was held against a majority's clocks. A transaction stamped in
// the period but ordered after the closing block is not counted in it. A
// period already published is not closed again: its publication names its
// block range (the publisher reads it first, and recomputes nothing), so
// the periods published by the rule before this one (the first valid
// transaction stamped at the closing instant) need no cut-over.
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
	var first, firstAt, opened sql.NullInt64
	if err := t.queryRow(ctx, `SELECT block, last_at FROM block_times ORDER BY block LIMIT 1`).Scan(&first, &firstAt); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return 0, false, false, err
	}
	if first.Valid && firstAt.Int64 >= model.PeriodClosesAt(end).Unix() {
		return 0, true, true, nil
	}
	if err := t.queryRow(ctx, `SELECT block FROM period_openings WHERE period = ?`, period).Scan(&opened); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return 0, false, false, err
	}
	if !opened.Valid || opened.Int64 == 0 {
		return 0, false, false, nil
	}
	return uint64(opened.Int64) - 1, true, false, nil
}
