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
// (model.StatusInChain): an ACTIVE right whose validUntil has come reads
// EXPIRED, at the index's clock (Index.now) to the second, and an ACTIVE
// right in term below a revoked right reads REVOKED. The rule's comparison
// of the ledger's fixed-width UTC text is done byte by byte
// (dialect.bytewise), as in Go.
//
// A row keeps, in revoked_above, the nearest REVOKED right up its parent
// chain, so that no answer walks the chain: it is set from the parent's row
// when the right is written (a parent is always on the ledger before its
// sublicences), and a revocation sets it below the revoked right
// (revokeBelow). The chain's terms need no such column: a right's term lies
// within its parent's (model.Scope.Covers), so a right has expired by the
// time any right above it has.

// rightsRead is the reading of the rights table (aliased r) at one instant.
type rightsRead struct {
	d   dialect
	now string // the reading time in the ledger's layout
}

// readRights reads rights at the index's clock.
func (x *Index) readRights() rightsRead {
	return rightsRead{d: x.db.dialect, now: model.FormatTime(x.now())}
}

// termEnded is model.TermEnded in SQL.
func (rr rightsRead) termEnded() (string, []any) {
	return "r.valid_until COLLATE " + rr.d.bytewise + " <= ?", []any{rr.now}
}

// status is the SQL expression of a right's status as it reads and of the
// right it reads it from (statusFrom: the revoked right above, or "").
func (rr rightsRead) status() (string, []any) {
	ended, args := rr.termEnded()
	underRevoked := "r.status = ? AND NOT (" + ended + ") AND r.revoked_above <> ''"
	return "CASE WHEN r.status = ? AND " + ended + " THEN ? WHEN " + underRevoked + " THEN ? ELSE r.status END, " +
			"CASE WHEN " + underRevoked + " THEN r.revoked_above ELSE '' END",
		slices.Concat([]any{model.RightActive}, args, []any{model.RightExpired, model.RightActive}, args, []any{model.RightRevoked},
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
		return "r.status = ? AND " + ended, append([]any{model.RightActive}, args...)
	case model.RightRevoked:
		return "(r.status = ? OR (r.status = ? AND NOT (" + ended + ") AND r.revoked_above <> ''))",
			append([]any{model.RightRevoked, model.RightActive}, args...)
	}
	return "r.status = ?", []any{status}
}

// revokedAbove is the revoked_above of a right whose parent is parentID:
// the parent if it is REVOKED, else the parent's own revoked_above; "" for
// a right without parent (or a parent the index could not read).
func revokedAbove(ctx context.Context, t *tx, parentID string) (string, error) {
	if parentID == "" {
		return "", nil
	}
	var above string
	err := t.queryRow(ctx, `SELECT CASE WHEN status = ? THEN id ELSE revoked_above END FROM rights WHERE id = ?`,
		model.RightRevoked, parentID).Scan(&above)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return above, err
}

// revokeBelow records that the right id is REVOKED in the rows below it:
// every right down its sublicence tree reads REVOKED from it, except below
// a right that is REVOKED itself, whose own tree names that nearer one.
func revokeBelow(ctx context.Context, t *tx, id string) error {
	_, err := t.exec(ctx, `WITH RECURSIVE below (id) AS (
		SELECT id FROM rights WHERE parent_id = ? AND status <> ?
		UNION ALL
		SELECT r.id FROM rights r JOIN below b ON r.parent_id = b.id WHERE r.status <> ?
	) UPDATE rights SET revoked_above = ? WHERE id IN (SELECT id FROM below)`, id, model.RightRevoked, model.RightRevoked, id)
	return err
}
