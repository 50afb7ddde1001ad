package model

// Read-your-writes across regions. Each region's peer commits a block a
// little after another region's, so a step through one region right after
// another party's acknowledged step through another region could miss it.
// Every gateway answer that comes from the ledger names the block it
// reflects in LedgerBlockHeader: the block a submit committed in, or the
// last block the gateway's peer had committed before a read. A request that
// sends MinBlockHeader is run only once the gateway's peer has committed
// that block, waiting a bounded time, and is otherwise refused naming in
// LedgerBlockHeader the last block the peer has; a client that sends the
// highest block it has seen sees everything it saw before, whichever region
// it asks.
const (
	// LedgerBlockHeader is the answer header with the block number the
	// answer reflects.
	LedgerBlockHeader = "X-Ledger-Block"
	// MinBlockHeader is the request header with the block number the
	// gateway's peer must have committed before the request runs.
	MinBlockHeader = "X-Min-Block"
)
