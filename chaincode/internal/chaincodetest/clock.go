package chaincodetest

import "time"

// The network has a clock of its own, so that transaction timestamps (which
// chaincode reads with GetTxTimestamp and which history records) are
// deterministic. Every proposal takes the clock's current time and then
// moves the clock on by one second, so consecutive transactions are ordered
// in time as well as in the ledger.

// Now returns the time the next proposal will be given.
func (n *Network) Now() time.Time {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.now
}

// Advance moves the network clock on by d, to let time pass between
// transactions (for example past a deadline the chaincode enforces).
func (n *Network) Advance(d time.Duration) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.now = n.now.Add(d)
}
