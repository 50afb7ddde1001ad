// Package chain is the gateway's side of the ledger: the boundary between the
// REST gateway and the Fabric network. The HTTP layer talks only to the Ledger
// interface, so that it can be tested against a fake and so that nothing above
// this package knows about gRPC, proposals or endorsements.
//
// Every call that runs the chaincode acts as one member of the gateway's
// organisation: the member whose signing identity the gateway holds in its
// wallet and whom the caller authenticated as. There is no shared or default
// identity for them. Reading the channel itself (blocks, chaincode events,
// transactions by ID) is the org's own business: the channel admits its
// orgs' admins, peers and orderers to it and no member, so the Ledger does
// it with the one identity it is configured to read with, and what a member
// sees of it is decided above this package.
package chain

import (
	"context"
)

// Ledger runs chaincode functions and reads chaincode events as a member of
// the gateway's organisation.
type Ledger interface {
	// Submit endorses a transaction, sends it for ordering and, unless
	// WithoutCommitWait is given, waits until it is committed. A transaction
	// whose ordering outcome is unknown is resolved through its commit status
	// before Submit returns; it is never reported as failed when it committed.
	Submit(ctx context.Context, member, function string, args []string, options ...CallOption) (*Submitted, error)

	// Evaluate runs a read-only chaincode function on one peer (or on the
	// peers of the organisations named with WithEndorsingOrganizations) and
	// returns its response. Nothing is ordered or written.
	Evaluate(ctx context.Context, member, function string, args []string, options ...CallOption) ([]byte, error)

	// CommitStatus reports whether a transaction has been committed, waiting
	// at most until ctx is done. A transaction that has not committed by then
	// is reported with Committed false and no error.
	CommitStatus(ctx context.Context, member, transactionID string) (*Status, error)

	// Events streams the chaincode's events from the given position, read
	// with the Ledger's reading identity: every event of every member, which
	// the caller filters. The channel closes when ctx is done or the stream
	// breaks; the caller resumes from the position of the last event it
	// handled.
	Events(ctx context.Context, from Position) (<-chan *Event, error)

	// Height is the number of blocks the gateway's peer has committed:
	// block N is there once Height > N.
	Height(ctx context.Context) (uint64, error)

	// Ready checks that the peer is reachable and that the channel and
	// chaincode answer.
	Ready(ctx context.Context) error
}

// Finder is implemented by a Ledger that can look a transaction up on the
// channel without waiting for it to commit.
type Finder interface {
	// Find reports the transaction as the gateway's peer has committed it,
	// or Committed false when the peer holds no transaction with that ID.
	// A commit-status wait that ends without the commit cannot tell a
	// transaction the peer never saw from a peer too loaded to answer in
	// time; Find can. It reads the channel with the Ledger's reading
	// identity.
	Find(ctx context.Context, transactionID string) (*Status, error)
}

// Resubmitter is implemented by a Ledger that can send a transaction for
// ordering again.
type Resubmitter interface {
	// Resubmit sends for ordering again a transaction prepared by an
	// earlier Submit (the bytes given to its WithBeforeOrdering hook),
	// signed anew as member. It is safe whatever became of the first
	// sending: Fabric commits a transaction ID at most once, a second copy
	// is invalid (DUPLICATE_TXID) and the first one's status stands.
	Resubmit(ctx context.Context, member string, transaction []byte) error
}

// Submitted is the outcome of a submitted transaction.
type Submitted struct {
	// TransactionID identifies the transaction on the channel.
	TransactionID string
	// Result is the chaincode function's response, as endorsed.
	Result []byte
	// Committed reports whether the commit was awaited and happened; it is
	// false after a submit WithoutCommitWait.
	Committed bool
	// BlockNumber is the block that holds the committed transaction.
	BlockNumber uint64
}

// Status is the commit status of a transaction.
type Status struct {
	// TransactionID identifies the transaction.
	TransactionID string
	// Committed reports whether the transaction is in a block yet.
	Committed bool
	// Valid reports whether the committed transaction passed validation, so
	// that its writes took effect.
	Valid bool
	// Code is the Fabric validation code, e.g. "VALID" or
	// "MVCC_READ_CONFLICT"; empty while not committed.
	Code string
	// BlockNumber is the block that holds the transaction, once committed.
	BlockNumber uint64
}

// Event is one chaincode event of a committed, valid transaction.
type Event struct {
	// BlockNumber is the block that holds the transaction.
	BlockNumber uint64
	// TransactionID is the transaction that emitted the event.
	TransactionID string
	// Name is the event's name, e.g. "ParticipantRegistered".
	Name string
	// Payload is the event's JSON payload.
	Payload []byte
}

// Position is where an event stream starts. The zero value starts at the
// next block to be committed.
type Position struct {
	// Block is the first block to read. With AfterTransactionID set, it is
	// the block of that transaction.
	Block uint64
	// AfterTransactionID, when set, skips the events of Block up to and
	// including this transaction: the stream resumes just after it.
	AfterTransactionID string
	// Set distinguishes an explicit start at block 0 from the zero value.
	Set bool
}

// After returns the position just after an event, where a stream that
// handled it resumes without a gap or a duplicate.
func After(e *Event) Position {
	return Position{Block: e.BlockNumber, AfterTransactionID: e.TransactionID, Set: true}
}

// FromBlock returns the position at the start of a block.
func FromBlock(block uint64) Position {
	return Position{Block: block, Set: true}
}
