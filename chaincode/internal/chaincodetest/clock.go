package chaincodetest

import (
	"sync"
	"testing"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/peerclock"
	"github.com/deltaledger/deltaledger/model"
)

// clock is the network's own clock, which makes transaction timestamps
// (what chaincode reads with GetTxTimestamp, and what history records)
// deterministic. Every proposal takes the clock's current time and then
// moves the clock on by one second, so consecutive transactions are ordered
// in time as well as in the ledger.
//
// It has a lock of its own so that chaincode under test, and SubmitFunc
// bodies, may read or advance it while the network is busy running them.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

// tick returns the current time and moves the clock on by a second.
func (c *clock) tick() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now
	c.now = c.now.Add(time.Second)
	return t
}

// Now returns the time the next proposal will be given. It may be called
// from within a transaction, where it returns the time after the current
// transaction's.
func (n *Network) Now() time.Time {
	n.clock.mu.Lock()
	defer n.clock.mu.Unlock()
	return n.clock.now
}

// StampFarBehind is a stamp a client may write into its proposal now, as
// far behind the peers' clocks as they accept (model.MaxClockSkew, with two
// seconds to spare): how a party dates its step before one committed a
// moment ago.
func (n *Network) StampFarBehind() time.Time {
	return n.Now().Add(-model.MaxClockSkew + 2*time.Second)
}

// Advance moves the network clock on by d, to let time pass between
// transactions (for example past a deadline the chaincode enforces).
func (n *Network) Advance(d time.Duration) {
	n.clock.mu.Lock()
	defer n.clock.mu.Unlock()
	n.clock.now = n.clock.now.Add(d)
}

// ParseTime parses s, an RFC 3339 instant such as a deadline a record
// names, and fails the test immediately if it is not one. Tests read the
// times the chaincode wrote to work out the instants they expect, or the
// one to move the clock to.
func ParseTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("parsing time %q: %v", s, err)
	}
	return at
}

// SetPeerClockOffset makes the peers' wall clock (peerclock.Now) read d
// after the network's clock from now on, to test a rule that judges a
// transaction's timestamp against the endorsing peer's clock; 0 puts them
// back together. The next NewNetwork puts them back together as well.
func (n *Network) SetPeerClockOffset(d time.Duration) {
	peerclock.Now = func() time.Time { return n.Now().Add(d) }
}
