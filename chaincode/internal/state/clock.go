package state

import (
	"time"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// ClockSkew is how far an endorsing peer's clock may disagree with a
// transaction's timestamp before the peer refuses to vouch for it (see
// AttestedNow), and how far a peer's clock may stray from the times clients
// stamped on the records it checks reads against.
const ClockSkew = 5 * time.Minute

// PeerClock is this peer's wall clock. Chaincode reads it only to bound what
// a client may claim about time: never to compute what a transaction
// writes, which depends on the transaction time alone. It is a variable so
// that tests can play a peer whose clock they choose.
var PeerClock = time.Now

// AttestedNow is the transaction time (Now), refused unless it is within
// ClockSkew of this peer's clock.
//
// The transaction time is the client's own claim: Fabric does not check a
// proposal's timestamp. Where a deadline decides who may act (an offer
// accepted in time, an answer given late), a client could otherwise stamp its
// transaction on the right side of the deadline. Every endorsing peer checks
// the claim against its own clock: what the transaction writes still depends
// on the transaction time only, so endorsements agree, and a timestamp that
// an honest peer's clock contradicts gets no endorsement from it. Functions
// whose key-level policy needs the other party's org therefore judge their
// deadlines by a clock no single party chooses, to within ClockSkew.
func AttestedNow(ctx Context) (time.Time, error) {
	now, err := Now(ctx)
	if err != nil {
		return time.Time{}, err
	}
	wall := PeerClock().UTC()
	if d := wall.Sub(now); d > ClockSkew || d < -ClockSkew {
		return time.Time{}, ledgererr.Forbiddenf("the transaction is stamped %s but this peer's clock says %s: a deadline is judged by the endorsing peers' clocks, within %s",
			Format(now), Format(wall), ClockSkew)
	}
	return now, nil
}
