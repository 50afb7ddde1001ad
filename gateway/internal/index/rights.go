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
// (RENOUNCED). The rule's comparison of the ledger's fixed-width UTC text is
// done byte by byte (dialect.bytewise), as in Go.
//
// A row keeps, in revoked_above, the nearest right up its parent chain that
// was revoked or renounced (endedStatuses), and in ended_above_status which
// of the two, so that no answer walks the chain: they are set from the
// parent's row when the right is written (a parent is always on the ledger
// before its sublicences), and the end of a right sets them below it
// (endBelow). The column keeps its first name, from when only a revocation
// ended a right. The chain's terms need no such column: a right's term lies
// within its parent's (model.Scope.Covers), so a right has expired by the
// time any right above it has.

// endedStatuses are the stored statuses that end a right before its term
// and stop every right below it.
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

// endedAbove is the revoked_above and ended_above_status of a right whose
// parent is parentID: the parent and its status if it is revoked or
// renounced, else the parent's own; "" for a right without parent (or a
// parent the index could not read).
func endedAbove(ctx context.Context, t *tx, parentID string) (id, status string, err error) {
	if parentID == "" {
		return "", "", nil
	}
	err = t.queryRow(ctx, `SELECT CASE WHEN status IN (?, ?) THEN id ELSE revoked_above END,
		CASE WHEN status IN (?, ?) THEN status ELSE ended_above_status END FROM rights WHERE id = ?`,
		endedStatuses[0], endedStatuses[1], endedStatuses[0], endedStatuses[1], parentID).Scan(&id, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return id, status, err
}

// endBelow records that the right id ended with status (revoked or
// renounced) in the rows below it: every right down its sublicence tree
// reads that status from it, except below a right that ended itself, whose
// own tree names that nearer one.
func endBelow(ctx context.Context, t *tx, id, status string) error {
	_, err := t.exec(ctx, `WITH RECURSIVE below (id) AS (
		SELECT id FROM rights WHERE parent_id = ? AND status NOT IN (?, ?)
		UNION ALL
		SELECT r.id FROM rights r JOIN below b ON r.parent_id = b.id WHERE r.status NOT IN (?, ?)
	) UPDATE rights SET revoked_above = ?, ended_above_status = ? WHERE id IN (SELECT id FROM below)`,
		id, endedStatuses[0], endedStatuses[1], endedStatuses[0], endedStatuses[1], id, status)
	return err
}
