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
// ended (TermEnded) reads EXPIRED, and so does an OFFERED one whose offer
// lapsed (EndsAt: not accepted within OfferWindow, nor within its term),
// for it can no longer be accepted; any other status reads as stored.
func (r *Right) StatusAt(now time.Time) string {
	return r.StatusAtOver(nil, now)
}

// StatusAtOver is how r reads at now in the chain of child, a right
// directly below it (nil: r's own chain): StatusAt, of the status it counts
// with there (StatusOver).
func (r *Right) StatusAtOver(child *Right, now time.Time) string {
	status := r.StatusOver(child)
	if (status == RightActive || status == RightOffered) && TermEnded(r.EndsAt(), now) {
		return RightExpired
	}
	return status
}

// StatusOver is the stored status with which r counts in the chain of
// child, a right directly below it (nil: r's own chain, where r counts as
// stored). It is r's own, but for a right its holder renounced over a child
// bought in a trade (OriginTrade): the seller who sold under its OPERATION
// right gives up its own use by renouncing it, not what it sold, which only
// the exchange revokes (rights:Revoke); over such a child it counts as
// ACTIVE, so its term still ends the child, and the rights above it, a
// revocation among them, still count, as does its own revocation after the
// renunciation (rights:Revoke ends a RENOUNCED right: a renunciation keeps
// nothing sold from its licensor). Over any other child (a sublicence,
// which the renouncer could revoke anyway) a renunciation ends it.
func (r *Right) StatusOver(child *Right) string {
	if r.Status == RightRenounced && child != nil && child.Origin == OriginTrade {
		return RightActive
	}
	return r.Status
}

// StatusInChain is how a right reads at now together with its parents:
// chain is the right followed by its parents, nearest first, as far up as
// they are known. The first of them that does not read ACTIVE at now
// over the right below it (StatusAtOver) decides, and from is its
// ID; if all read ACTIVE the right is ACTIVE and from is "". Using a right
// checks the same chain in the same order, so a right reads what its use
// would say: a sublicence of a revoked right reads REVOKED though its own
// record says ACTIVE, and a right bought under an OPERATION right its
// seller renounced since reads ACTIVE. (A parent's term ending makes no
// difference of its own: a right's term lies within its parent's
// (Scope.Covers), so the right has expired by then.)
func StatusInChain(chain []*Right, now time.Time) (status, from string) {
	var child *Right
	for _, r := range chain {
		if s := r.StatusAtOver(child, now); s != RightActive {
			return s, r.ID
		}
		child = r
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

// MaxClockSkew is how far a transaction's timestamp may lie before the
// endorsing peer's clock, and MaxClockLead how far after it: every endorser
// refuses a proposal stamped further off (chaincode/internal/state, the
// check every contract runs before its function). A client writes the timestamp into
// the proposal it signs; Fabric's peers hold it only to their
// peer.authentication.timewindow (15 minutes in network/config/core.yaml.tmpl,
// a peer setting outside the chaincode's reach), so without the check a
// member could date a credit lookup's trace, or a deadline it beats, by a
// quarter of an hour either way, or as it liked on a peer configured
// loosely. The chaincode's bound is the law and the tighter one.
//
// The bound behind the clock must exceed the longest a signed proposal can
// wait between being stamped and being simulated, or honest calls would be
// refused:
//   - a member who signs its own calls (offline signing) gets a proposal the
//     gateway stamped, and may take up to the gateway's SigningTTL (5 min) to
//     sign it;
//   - the gateway then endorses within its EndorseTimeout (15 s by default;
//     evaluations 10 s), and neither the gateway nor the SDK ever sends an
//     old proposal again: an SDK retry makes a new call, which the gateway
//     stamps anew, and an unknown ordering outcome is resolved by reading
//     the commit status or by resending the endorsed transaction, which no
//     chaincode runs again;
//   - the sites' clocks (NTP-synchronised) drift apart by far less than the
//     remaining 45 s.
//
// Ordering latency (SmartBFT) does not count: the check runs when a peer
// endorses, not when the block commits. A test in the gateway keeps
// SigningTTL and the default EndorseTimeout within this bound.
//
// Reading the wall clock in chaincode is deliberate and keeps it
// deterministic where it matters: a refusal writes nothing, and what a
// transaction writes still depends on its timestamp alone. Peers whose
// clocks disagree about a borderline timestamp only make the endorsement
// policy fail (the client sees a refusal); they never commit different
// states.
const MaxClockSkew = 6 * time.Minute

// MaxClockLead is how far after the endorsing peer's clock a transaction may
// be stamped. An honest proposal is never stamped ahead of the peer but by
// the drift between the sites' clocks (NTP-synchronised, far less than a
// minute): waiting, which MaxClockSkew allows for, only makes a stamp older.
// A stamp ahead serves no one but a caller who wants a time that has not come:
// certifying an asset before its public notice ends, expiring a trade before
// its deadline, or opening a credit lookup's trace window later than it was
// opened, so that it lasts longer. Bounding it by a minute rather than by
// MaxClockSkew leaves such a caller a minute at most.
const MaxClockLead = time.Minute
