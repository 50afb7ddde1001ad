// Package bench measures the ledger on the running network, every path a
// member can take side by side in one run: what the network commits at all
// (a put-a-key probe chaincode beside the market's), registrations through
// fabric-gateway directly, through one REST gateway and spread over four,
// complete trades through REST, and reads (one asset through REST and
// directly, catalogue pages, traced credit lookups).
//
// Each path is driven by the same closed loop (a number of operations, a
// fixed number in flight, a warm-up that is not counted). The paths run in
// rounds, each round running every path once in a rotated order, so that
// the machine's drift (this machine is shared) falls on all of them alike:
// the ratios between paths are what the benchmark is for, and each ratio is
// also given per round to show its spread. Transactions are counted by their
// commit status as the blocks record it, never by what a call answered.
package bench

import (
	"context"
)

// Outcome is what one operation of a path did.
type Outcome struct {
	// TxIDs are the transactions the operation submitted; the operation
	// counts as committed only when every one is in a block as VALID. Empty
	// for a read.
	TxIDs []string
	// Err is the operation's error, if any.
	Err error
}

// Op runs the i-th operation of a path. i is unique within a run, so that
// an operation can derive the IDs of what it creates from it.
type Op func(ctx context.Context, i int) Outcome

// Path is one way of using the ledger that the benchmark measures.
type Path struct {
	// Name is the path's stable key in the results, e.g. "rest".
	Name string
	// Description says what one operation is, for the table and the JSON.
	Description string
	// Unit names one operation: "tx", "trade", "read", "lookup".
	Unit string
	// Read marks paths that take the read count of the run rather than the
	// write count.
	Read bool
	// Transactions is the number of transactions one operation must commit
	// to count (1 for a registration, 5 for a complete trade); 0 for a pure
	// read.
	Transactions int
	// Op runs one operation.
	Op Op
}
