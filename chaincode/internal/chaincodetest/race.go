package chaincodetest

import (
	"strings"
	"testing"
)

// RequireLosesTheRace fails unless won, committed to l, wrote a key that
// lost, endorsed on the state before won, read: ordered after won in one
// block, lost then fails Fabric's read-set (MVCC) check and writes nothing.
// The network commits one transaction at a time, so a test races two
// proposals by endorsing lost (an evaluation returns its read set) before
// submitting won.
func RequireLosesTheRace(t testing.TB, l *Ledger, lost, won Result) {
	t.Helper()
	won.MustOK(t)
	for _, key := range lost.Reads {
		for _, h := range l.History(key) {
			if h.TxID == won.TxID {
				return
			}
		}
	}
	t.Fatalf("transaction %s wrote no key the racing proposal read (%s)", won.TxID, strings.ReplaceAll(strings.Join(lost.Reads, " "), "\x00", "|"))
}
