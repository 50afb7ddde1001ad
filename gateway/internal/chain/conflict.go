package chain

import "github.com/deltaledger/deltaledger/model/ledgererr"

// LostRace reports whether the transaction was committed invalid because a
// concurrent transaction changed what it read, or the policy of what it
// writes, first (see ledgererr.LostRace).
func (e *Error) LostRace() bool {
	return e.Kind == KindCommitFailed && ledgererr.LostRace(e.ValidationCode)
}
