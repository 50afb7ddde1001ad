// Package peerclock is the endorsing peer's wall clock, the one clock
// chaincode reads besides the transaction timestamp: only to bound what a
// client may claim about time (model.MaxClockSkew, model.MaxClockLead),
// never to compute what a transaction writes.
//
// It is a package of its own so that the in-memory peer
// (chaincode/internal/chaincodetest) can make its network's clock the peers'
// clock without importing the contracts' helpers.
package peerclock

import "time"

// Now is this peer's wall clock. Production code never sets it; the
// in-memory peer sets it to its network's clock (chaincodetest.NewNetwork),
// and a test may set it to play a peer whose clock is off.
var Now = time.Now
