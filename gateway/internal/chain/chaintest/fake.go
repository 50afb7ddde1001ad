// Package chaintest provides an in-memory chain.Ledger for tests of the
// layers above it. Tests program how each chaincode function answers, then
// assert the calls it received.
package chaintest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

// Call is one call the fake received.
type Call struct {
	// Submit is true for Submit, false for Evaluate.
	Submit bool
	// Member is the member the call acted as.
	Member string
	// Function is the qualified chaincode function, "contract:Function".
	Function string
	// Args are the function's arguments.
	Args []string
	// Options are the call's resolved options.
	Options chain.CallOptions
}

// Response is how a programmed function answers.
type Response struct {
	// Result is the chaincode's response payload.
	Result []byte
	// Event, when set, is the name of the chaincode event the transaction
	// emits once committed (submits only).
	Event string
	// EventPayload is the event's payload.
	EventPayload []byte
}

// Handler answers one call. An error that is a *chain.Error is returned to
// the caller as is.
type Handler func(Call) (Response, error)

// Fake is an in-memory chain.Ledger. The zero value is not usable; call New.
type Fake struct {
	mu       sync.Mutex
	handlers map[string]Handler
	calls    []Call
	statuses map[string]*chain.Status
	results  map[string][]byte
	events   []*chain.Event
	block    uint64
	height   uint64
	txCount  int
	changed  chan struct{}
	readyErr error
	eventErr error
	chain    *Chain

	resubmitted []string
	signed      map[string]int

	selfSubmitErr error
	selfStatusErr error
	// selfSubmitPanics makes the next self-signed Submit panic once its transaction is committed.
	selfSubmitPanics bool

	// openEvents counts the event streams Events opened that have not ended (OpenEventStreams).
	openEvents atomic.Int64
}

// OpenEventStreams is the number of event streams Events opened whose context has not ended yet: the delivery
// streams of the peer a gateway holds, for tests that none is left behind.
func (f *Fake) OpenEventStreams() int { return int(f.openEvents.Load()) }

// New returns a fake whose ledger is at block 10 and that answers no
// function until programmed.
func New() *Fake {
	return &Fake{
		handlers: map[string]Handler{},
		statuses: map[string]*chain.Status{},
		results:  map[string][]byte{},
		block:    10,
		changed:  make(chan struct{}),
		chain:    NewChain(time.Date(2026, 5, 11, 2, 0, 0, 0, time.UTC)),
	}
}

// Chain is the fake's blocks, which its Blocks and Height answer from
// (independent of its events and submits).
func (f *Fake) Chain() *Chain { return f.chain }

// Blocks implements chain.BlockReader from the fake's chain.
func (f *Fake) Blocks(ctx context.Context, from uint64) (<-chan *chain.Block, error) {
	return f.chain.Blocks(ctx, from)
}

// Handle programs how function answers.
func (f *Fake) Handle(function string, h Handler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[function] = h
}

// Returns programs function to answer with v encoded as JSON.
func (f *Fake) Returns(function string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	f.Handle(function, func(Call) (Response, error) { return Response{Result: b}, nil })
}

// Fails programs function to fail with err.
func (f *Fake) Fails(function string, err error) {
	f.Handle(function, func(Call) (Response, error) { return Response{}, err })
}

// SetReady sets the error Ready returns.
func (f *Fake) SetReady(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.readyErr = err
}

// SetStatus records the commit status of a transaction.
func (f *Fake) SetStatus(s chain.Status) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.statuses[s.TransactionID] = &s
}

// Calls returns the calls received so far.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// CallsTo returns the calls of one function.
func (f *Fake) CallsTo(function string) []Call {
	var out []Call
	for _, c := range f.Calls() {
		if c.Function == function {
			out = append(out, c)
		}
	}
	return out
}

// Emit appends a chaincode event in a new block, as if a transaction had
// emitted it, and returns it.
func (f *Fake) Emit(name string, payload []byte) *chain.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.block++
	f.txCount++
	return f.emitLocked(f.block, txID(f.txCount), name, payload)
}

// EmitInBlock appends an event of a new transaction to the given block,
// for tests of resuming in the middle of a block.
func (f *Fake) EmitInBlock(block uint64, name string, payload []byte) *chain.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.txCount++
	if block > f.block {
		f.block = block
	}
	return f.emitLocked(block, txID(f.txCount), name, payload)
}

func (f *Fake) emitLocked(block uint64, tx, name string, payload []byte) *chain.Event {
	e := &chain.Event{BlockNumber: block, TransactionID: tx, Name: name, Payload: payload}
	f.events = append(f.events, e)
	close(f.changed)
	f.changed = make(chan struct{})
	return e
}

// FailEvents makes Events fail with err.
func (f *Fake) FailEvents(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.eventErr = err
}

// newTxID takes the fake's next transaction ID.
func (f *Fake) newTxID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.txCount++
	return txID(f.txCount)
}

func txID(n int) string {
	sum := sha256.Sum256([]byte("fake-tx-" + strconv.Itoa(n)))
	return hex.EncodeToString(sum[:])
}

func (f *Fake) call(c Call) (Response, error) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	h, ok := f.handlers[c.Function]
	f.mu.Unlock()
	if !ok {
		return Response{}, &chain.Error{Kind: chain.KindRejected, Code: "INTERNAL", Message: fmt.Sprintf("Function %s not found", c.Function)}
	}
	return h(c)
}

// Submit implements chain.Ledger.
func (f *Fake) Submit(ctx context.Context, member, function string, args []string, options ...chain.CallOption) (*chain.Submitted, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o := chain.Options(options...)
	resp, err := f.call(Call{Submit: true, Member: member, Function: function, Args: args, Options: o})
	if err != nil {
		return nil, err
	}
	tx := f.newTxID()
	if o.BeforeOrdering != nil {
		// The fake's prepared transaction is its ID.
		if err := o.BeforeOrdering(chain.Prepared{TransactionID: tx, Result: resp.Result, Transaction: []byte(tx)}); err != nil {
			return nil, &chain.Error{Kind: chain.KindInternal, TransactionID: tx, Message: err.Error(), Cause: err}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.block++
	f.statuses[tx] = &chain.Status{TransactionID: tx, Committed: true, Valid: true, Code: "VALID", BlockNumber: f.block}
	f.results[tx] = resp.Result
	if resp.Event != "" {
		f.emitLocked(f.block, tx, resp.Event, resp.EventPayload)
	}
	s := &chain.Submitted{TransactionID: tx, Result: resp.Result, Committed: !o.NoCommitWait}
	if s.Committed {
		s.BlockNumber = f.block
	}
	return s, nil
}

// Resubmit implements chain.Resubmitter: the transaction (its ID, as the fake
// prepares it) is committed valid in a new block unless it was committed
// before.
func (f *Fake) Resubmit(ctx context.Context, member string, transaction []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resubmitted = append(f.resubmitted, string(transaction))
	tx := string(transaction)
	if _, ok := f.statuses[tx]; !ok {
		f.block++
		f.statuses[tx] = &chain.Status{TransactionID: tx, Committed: true, Valid: true, Code: "VALID", BlockNumber: f.block}
	}
	return nil
}

// Resubmitted returns the transactions sent again with Resubmit.
func (f *Fake) Resubmitted() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.resubmitted)
}

// Evaluate implements chain.Ledger.
func (f *Fake) Evaluate(ctx context.Context, member, function string, args []string, options ...chain.CallOption) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	resp, err := f.call(Call{Member: member, Function: function, Args: args, Options: chain.Options(options...)})
	if err != nil {
		return nil, err
	}
	return resp.Result, nil
}

// CommitStatus implements chain.Ledger.
func (f *Fake) CommitStatus(ctx context.Context, member, transactionID string) (*chain.Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.statuses[transactionID]; ok {
		c := *s
		return &c, nil
	}
	return &chain.Status{TransactionID: transactionID}, nil
}

// Events implements chain.Ledger: it replays the recorded events from the
// position, then follows new ones until ctx is done.
func (f *Fake) Events(ctx context.Context, from chain.Position) (<-chan *chain.Event, error) {
	f.mu.Lock()
	if f.eventErr != nil {
		err := f.eventErr
		f.mu.Unlock()
		return nil, err
	}
	start := from
	if !start.Set {
		start = chain.FromBlock(f.block + 1)
	}
	f.mu.Unlock()

	out := make(chan *chain.Event)
	f.openEvents.Add(1)
	go func() {
		defer f.openEvents.Add(-1)
		defer close(out)
		skipping := start.AfterTransactionID != ""
		follow(ctx, 0, f.eventsFrom, func(e *chain.Event) bool {
			if e.BlockNumber < start.Block {
				return true
			}
			if skipping && e.BlockNumber == start.Block {
				if e.TransactionID == start.AfterTransactionID {
					skipping = false
				}
				return true
			}
			return sendOrDone(ctx, out, e)
		})
	}()
	return out, nil
}

// eventsFrom returns the events emitted from the next-th on and the channel
// the next event closes.
func (f *Fake) eventsFrom(next int) ([]*chain.Event, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.events[next:], f.changed
}

// SetHeight pins the height Height reports (the peer lags behind the
// fake's commits); 0 follows the commits again.
func (f *Fake) SetHeight(h uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.height = h
}

// Height implements chain.Ledger (and the BlockReader's Height): one block
// more than the last committed block number (block 0 is the genesis block),
// unless pinned by SetHeight. The fake's Chain, which feeds an index, has
// blocks of its own (Chain.Height).
func (f *Fake) Height(context.Context) (uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.height > 0 {
		return f.height, nil
	}
	return f.block + 1, nil
}

// Ready implements chain.Ledger.
func (f *Fake) Ready(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.readyErr
}

var _ chain.Ledger = (*Fake)(nil)
