package model

import "time"

// TimeLayout is how the ledger writes instants: RFC 3339 in UTC, to the
// second. Fixed-width UTC text sorts in time order, which index keys and the
// expiry rule (TermEnded) rely on.
const TimeLayout = "2006-01-02T15:04:05Z"

// FormatTime writes an instant the way the ledger stores it.
func FormatTime(t time.Time) string {
	return t.UTC().Format(TimeLayout)
}

// TermEnded reports whether a term whose end the ledger stores as
// validUntil (TimeLayout) has ended at now: from the second it names on.
// It is the one expiry rule of rights and credit authorisations, applied
// by the chaincode at the transaction time of a read and by a gateway's
// ledger index at the gateway's clock; never at a time a reader chooses.
// As stored instants are fixed-width UTC text, the rule is a comparison of
// text, which a database applies byte by byte just the same.
func TermEnded(validUntil string, now time.Time) bool {
	return FormatTime(now) >= validUntil
}

// StatusAt is how the right reads at now: an ACTIVE right whose term has
// ended (TermEnded) reads EXPIRED; any other status reads as stored.
func (r *Right) StatusAt(now time.Time) string {
	if r.Status == RightActive && TermEnded(r.Scope.ValidUntil, now) {
		return RightExpired
	}
	return r.Status
}

// StatusInChain is how a right reads at now together with its parents:
// chain is the right followed by its parents, nearest first, as far up as
// they are known. The first of them that does not read ACTIVE at now
// (StatusAt) decides, and from is its ID; if all read ACTIVE the right is
// ACTIVE and from is "". Using a right checks the same chain in the same
// order, so a right reads what its use would say: a sublicence of a
// revoked right reads REVOKED though its own record says ACTIVE. (A
// parent's term ending makes no difference of its own: a right's term lies
// within its parent's (Scope.Covers), so the right has expired by then.)
func StatusInChain(chain []*Right, now time.Time) (status, from string) {
	for _, r := range chain {
		if s := r.StatusAt(now); s != RightActive {
			return s, r.ID
		}
	}
	return RightActive, ""
}

// StatusAt is how the authorisation reads at now: an ACTIVE one whose term
// has ended (TermEnded) reads EXPIRED; any other status reads as stored.
func (a *Authorization) StatusAt(now time.Time) string {
	if a.Status == AuthorizationActive && TermEnded(a.ValidUntil, now) {
		return AuthorizationExpired
	}
	return a.Status
}
