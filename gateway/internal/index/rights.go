package index

import "github.com/deltaledger/deltaledger/model"

// The index stores a right's status as the ledger stores it; EXPIRED is
// never stored. Every answer reads it as the chaincode does
// (model.Right.StatusAt): an ACTIVE right whose validUntil has come reads
// EXPIRED, at the index's clock (Index.now) to the second. The rule's
// comparison of the ledger's fixed-width UTC text is done byte by byte
// (dialect.bytewise), as in Go.

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

// status is the SQL expression of a right's status as it reads.
func (rr rightsRead) status() (string, []any) {
	ended, args := rr.termEnded()
	return "CASE WHEN r.status = ? AND " + ended + " THEN ? ELSE r.status END",
		append(append([]any{model.RightActive}, args...), model.RightExpired)
}

// statusIs is the SQL condition that a right reads status; it keeps to the
// stored status column (indexed) where it can.
func (rr rightsRead) statusIs(status string) (string, []any) {
	ended, args := rr.termEnded()
	switch status {
	case model.RightActive:
		return "r.status = ? AND NOT (" + ended + ")", append([]any{model.RightActive}, args...)
	case model.RightExpired:
		return "r.status = ? AND " + ended, append([]any{model.RightActive}, args...)
	}
	return "r.status = ?", []any{status}
}
