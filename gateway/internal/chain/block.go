package chain

import (
	"context"
	"time"
)

// BlockReader streams the channel's blocks, as the ledger index reads them.
// It is apart from Ledger because only the index needs it.
type BlockReader interface {
	// Blocks streams the channel's blocks from block number from on, in
	// order, each with the chaincode's writes. The channel closes when ctx
	// is done or the stream breaks; the caller resumes from the block after
	// the last it handled. The blocks are read with the Ledger's reading
	// identity.
	Blocks(ctx context.Context, from uint64) (<-chan *Block, error)

	// Height is the channel's number of blocks: the next block to be
	// committed (the same method as Ledger's).
	Height(ctx context.Context) (uint64, error)
}

// Block is one block of the channel: its transactions, valid or not, in
// block order.
type Block struct {
	// Number is the block's number; the genesis block is 0.
	Number uint64
	// Transactions are the block's transactions; configuration blocks have
	// none that touch the chaincode.
	Transactions []Transaction
}

// Transaction is one transaction of a block as the chaincode saw it.
type Transaction struct {
	// ID is the transaction ID.
	ID string
	// Timestamp is the transaction's timestamp (the proposal header's):
	// the time the chaincode read as "now".
	Timestamp time.Time
	// CreatorMSP is the MSP ID of the identity that submitted it.
	CreatorMSP string
	// Creator is the certificate (PEM) of the identity that submitted it,
	// as its signature header names it.
	Creator []byte
	// ValidationCode is Fabric's validation code, "VALID" or why the
	// transaction was invalidated; an invalid transaction wrote nothing.
	ValidationCode string
	// Writes are the transaction's writes to the chaincode's public state,
	// in the order the block holds them. Private data never appears here:
	// a block carries only its hashes.
	Writes []Write
	// Event is the chaincode event the transaction set, or nil.
	Event *Event
	// OtherChaincode reports that the transaction invoked no action of the
	// gateway's chaincode (its config's chaincode) but another one, such as
	// _lifecycle: it has no writes or event here, and its timestamp says
	// nothing about the market (the ledger index closes no period by it).
	OtherChaincode bool
}

// Valid reports whether the transaction's writes took effect.
func (t *Transaction) Valid() bool { return t.ValidationCode == "VALID" }

// Write is one write of a transaction to the public state.
type Write struct {
	// Key is the state key (a composite key for the chaincode's records).
	Key string
	// Value is the value written; nil for a delete.
	Value []byte
	// Delete reports whether the key was deleted.
	Delete bool
}
