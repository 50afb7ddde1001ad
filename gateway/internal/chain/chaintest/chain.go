package chaintest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

// Chain is a channel's blocks, as a chain.BlockReader: it replays the
// blocks from the position asked for, then follows new ones. Its first
// block (0) is a configuration block, with no transaction.
type Chain struct {
	mu      sync.Mutex
	blocks  []*chain.Block
	changed chan struct{}
	txs     int
	clock   time.Time
	// breakAfter, when > 0, ends every stream after that many blocks.
	breakAfter int
	streams    []uint64
}

// NewChain returns a chain holding its genesis block, whose transactions'
// clock starts at start and moves a second per transaction.
func NewChain(start time.Time) *Chain {
	c := &Chain{changed: make(chan struct{}), clock: start}
	c.Add()
	return c
}

// NewReplay returns a chain of recorded blocks (numbered from 0), to which
// more can be added.
func NewReplay(blocks []*chain.Block) *Chain {
	c := &Chain{changed: make(chan struct{}), blocks: append([]*chain.Block(nil), blocks...)}
	for _, b := range blocks {
		for _, t := range b.Transactions {
			if t.Timestamp.After(c.clock) {
				c.clock = t.Timestamp
			}
		}
	}
	return c
}

// Blocks implements chain.BlockReader.
func (c *Chain) Blocks(ctx context.Context, from uint64) (<-chan *chain.Block, error) {
	c.mu.Lock()
	c.streams = append(c.streams, from)
	limit := c.breakAfter
	c.mu.Unlock()
	out := make(chan *chain.Block)
	go func() {
		defer close(out)
		sent := 0
		follow(ctx, int(from), c.from, func(b *chain.Block) bool {
			if limit > 0 && sent == limit || !sendOrDone(ctx, out, b) {
				return false
			}
			sent++
			return true
		})
	}()
	return out, nil
}

// from returns the blocks numbered next on and the channel the next block
// closes.
func (c *Chain) from(next int) ([]*chain.Block, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.blocks[min(next, len(c.blocks)):], c.changed
}

// Height implements chain.BlockReader.
func (c *Chain) Height(context.Context) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return uint64(len(c.blocks)), nil
}

// BreakStreamsAfter makes every stream opened from now on end after n
// blocks (0: never).
func (c *Chain) BreakStreamsAfter(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.breakAfter = n
}

// Streams returns the block each stream opened so far started at.
func (c *Chain) Streams() []uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]uint64(nil), c.streams...)
}

// Blocks returns the chain's blocks so far.
func (c *Chain) All() []*chain.Block {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*chain.Block(nil), c.blocks...)
}

// Clock is the time of the last transaction.
func (c *Chain) Clock() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clock
}

// Add appends a block of the given transactions and returns it. Each
// transaction gets, unless set: an ID, the next second of the clock,
// validation code VALID and creator ShanghaiMSP.
func (c *Chain) Add(txs ...chain.Transaction) *chain.Block {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := &chain.Block{Number: uint64(len(c.blocks))}
	for _, t := range txs {
		c.txs++
		if t.ID == "" {
			sum := sha256.Sum256(fmt.Appendf(nil, "tx-%d", c.txs))
			t.ID = hex.EncodeToString(sum[:])
		}
		if t.Timestamp.IsZero() {
			c.clock = c.clock.Add(time.Second)
			t.Timestamp = c.clock
		}
		if t.ValidationCode == "" {
			t.ValidationCode = "VALID"
		}
		if t.CreatorMSP == "" {
			t.CreatorMSP = "ShanghaiMSP"
		}
		if t.Event != nil {
			t.Event.BlockNumber, t.Event.TransactionID = b.Number, t.ID
		}
		b.Transactions = append(b.Transactions, t)
	}
	c.blocks = append(c.blocks, b)
	close(c.changed)
	c.changed = make(chan struct{})
	return b
}

// Tx is a transaction making the given writes.
func Tx(writes ...chain.Write) chain.Transaction {
	return chain.Transaction{Writes: writes}
}

// Record is the write of a chaincode record (v as JSON) under its composite
// key.
func Record(keyType string, v any, attrs ...string) chain.Write {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return chain.Write{Key: CompositeKey(keyType, attrs...), Value: b}
}

// Marker is the write of an index entry of the chaincode.
func Marker(keyType string, attrs ...string) chain.Write {
	return chain.Write{Key: CompositeKey(keyType, attrs...), Value: []byte{0}}
}

// CompositeKey builds a composite key as the shim does.
func CompositeKey(keyType string, attrs ...string) string {
	return "\x00" + keyType + "\x00" + strings.Join(append(attrs, ""), "\x00")
}

var _ chain.BlockReader = (*Chain)(nil)
