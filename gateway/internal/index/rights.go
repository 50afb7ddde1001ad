package index

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/deltaledger/deltaledger/model"
)

// The index stores a right's status as the ledger stores it; EXPIRED is
// never stored. Every answer reads it as the chaincode does
// (model.StatusInChain): an ACTIVE right whose validUntil has come, or an
// OFFERED one whose offer has lapsed (model.OfferWindow, or its term if
// that ends first), reads EXPIRED, at the index's clock (Index.now) to the
// second. The row keeps, in ends_at, model.Right.EndsAt, the instant that
// rule compares, computed by the model when the right is projected, so that
// the rule of an offer's lapse is the model's alone. An ACTIVE
// right in term below a revoked (renounced) right reads REVOKED
// (RENOUNCED), but that a renounced right does not end a right it sold
// (model.Right.StatusOver). The rule's comparison of the ledger's fixed-width UTC text is
// done byte by byte (dialect.bytewise), as in Go.
//
// A row keeps, in revoked_above, the nearest right up its parent chain that
// was revoked or renounced (endedStatuses) and counts so over the right
// below it, and in ended_above_status which
// of the two, so that no answer walks the chain: they are set from the
// parent's row when the right is written (a parent is always on the ledger
// before its sublicences), and the end of a right sets them below it
// (endBelow). The column keeps its first name, from when only a revocation
// ended a right. The chain's terms need no such column: a right's term lies
// within its parent's (model.Scope.Covers), so a right has expired by the
// time any right above it has.

// endedStatuses are the stored statuses that end a right before its term
// and stop the rights below it (all but the ones a renounced right sold).
var endedStatuses = []string{model.RightRevoked, model.RightRenounced}

// rightsRead is the reading of the rights table (aliased r) at one instant.
type rightsRead struct {
	d   dialect
	now string // the reading time in the ledger's layout
}

// readRights reads rights at the index's clock.
func (x *Index) readRights() rightsRead {
	return rightsRead{d: x.db.dialect, now: model.FormatTime(x.now())}
}

// termEnded is model.TermEnded of model.Right.EndsAt in SQL: an ACTIVE
// right's term, or an OFFERED one's offer, has ended.
func (rr rightsRead) termEnded() (string, []any) {
	return "r.ends_at COLLATE " + rr.d.bytewise + " <= ?", []any{rr.now}
}

// status is the SQL expression of a right's status as it reads and of the
// right it reads it from (statusFrom: the revoked or renounced right above,
// or "").
func (rr rightsRead) status() (string, []any) {
	ended, args := rr.termEnded()
	underEnded := "r.status = ? AND NOT (" + ended + ") AND r.revoked_above <> ''"
	return "CASE WHEN r.status IN (?, ?) AND " + ended + " THEN ? WHEN " + underEnded + " THEN r.ended_above_status ELSE r.status END, " +
			"CASE WHEN " + underEnded + " THEN r.revoked_above ELSE '' END",
		slices.Concat([]any{model.RightActive, model.RightOffered}, args, []any{model.RightExpired, model.RightActive}, args,
			[]any{model.RightActive}, args)
}

// statusIs is the SQL condition that a right reads status; it keeps to the
// stored status column (indexed) where it can.
func (rr rightsRead) statusIs(status string) (string, []any) {
	ended, args := rr.termEnded()
	switch status {
	case model.RightActive:
		return "r.status = ? AND NOT (" + ended + ") AND r.revoked_above = ''", append([]any{model.RightActive}, args...)
	case model.RightExpired:
		return "r.status IN (?, ?) AND " + ended, append([]any{model.RightActive, model.RightOffered}, args...)
	case model.RightOffered:
		// An offer that lapsed reads EXPIRED: it can no longer be accepted.
		return "r.status = ? AND NOT (" + ended + ")", append([]any{model.RightOffered}, args...)
	case model.RightRevoked, model.RightRenounced:
		return "(r.status = ? OR (r.status = ? AND NOT (" + ended + ") AND r.revoked_above <> '' AND r.ended_above_status = ?))",
			slices.Concat([]any{status, model.RightActive}, args, []any{status})
	}
	return "r.status = ?", []any{status}
}

// endedAbove is the revoked_above and ended_above_status of child, whose
// parent is child.ParentRightID: the parent and its status if it is revoked
// or renounced and counts so over child (model.Right.StatusOver: a right
// renounced does not over one it sold), else the parent's own; "" for a
// right without parent (or a parent the index could not read).
func endedAbove(ctx context.Context, t *tx, child *model.Right) (id, status string, err error) {
	if child.ParentRightID == "" {
		return "", "", nil
	}
	parent := model.Right{ID: child.ParentRightID}
	err = t.queryRow(ctx, `SELECT status, revoked_above, ended_above_status FROM rights WHERE id = ?`, parent.ID).Scan(&parent.Status, &id, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	if slices.Contains(endedStatuses, parent.StatusOver(child)) {
		return parent.ID, parent.Status, nil
	}
	return id, status, nil
}

// endBelow records that the right id ended with status (revoked or
// renounced) in the rows below it: every right down its sublicence tree
// reads that status from it, but below a right that ended itself and
// counts so over the right below it, whose own tree names that nearer one.
// The rows of rights ended themselves are kept too, for a right they sold
// reads through them.
func endBelow(ctx context.Context, t *tx, id, status string) error {
	root, rootArgs := endedOver("?", status)
	step, stepArgs := endedOver("b.status")
	_, err := t.exec(ctx, `WITH RECURSIVE below (id, status) AS (
		SELECT r.id, r.status FROM rights r WHERE r.parent_id = ? AND `+root+`
		UNION ALL
		SELECT r.id, r.status FROM rights r JOIN below b ON r.parent_id = b.id WHERE NOT `+step+`
	) UPDATE rights SET revoked_above = ?, ended_above_status = ? WHERE id IN (SELECT id FROM below)`,
		slices.Concat([]any{id}, rootArgs, stepArgs, []any{id, status})...)
	return err
}

// endedOver is the SQL condition that a parent whose stored status is the
// expression parentStatus ends the right r directly below it: it is revoked
// or renounced, and counts so over r (model.Right.StatusOver: a renounced
// right does not over a right it sold, origin TRADE). args are the
// arguments of parentStatus's placeholders, if any, which it names twice.
func endedOver(parentStatus string, args ...any) (string, []any) {
	return "(" + parentStatus + " IN (?, ?) AND NOT (" + parentStatus + " = ? AND r.origin = ?))",
		slices.Concat(args, []any{endedStatuses[0], endedStatuses[1]}, args, []any{model.RightRenounced, model.OriginTrade})
}
