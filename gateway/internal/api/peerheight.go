package api

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

// heightStale is how old the known height of the peer may be before a read
// refreshes it (in the background: a read answers with the height it knew,
// a block it reflects at least).
const heightStale = 250 * time.Millisecond

// heightPoll is how often the gateway asks the peer for its height while
// requests wait for a block: at most one read each heightPoll, however many
// requests wait, since each would otherwise be a call to the peer of its own.
const heightPoll = 50 * time.Millisecond

// heightReadTimeout bounds a read started in the background, which no
// request's context bounds.
const heightReadTimeout = 5 * time.Second

// peerHeight is what the gateway knows of its peer's height: the number of
// blocks it has committed, learnt from the peer and from commits. Every
// caller shares one read of the peer at a time (see read).
type peerHeight struct {
	ledger chain.Ledger

	mu     sync.Mutex
	height uint64
	// lastBlock is the X-Ledger-Block value of height (its last block),
	// formatted once per height rather than once per answer, and shared by
	// every answer that names it; nil while the height is unknown (0).
	lastBlock []string
	// at is when a read last answered; started when one last began.
	at, started time.Time
	// reading is closed once the read in flight (or waiting for its turn)
	// has answered or given up; nil when there is none.
	reading chan struct{}
}

// observe records that the peer has committed at least height blocks.
func (p *peerHeight) observe(height uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.raise(height)
}

// raise makes height the known height when it is higher (p.mu is held): the
// known height never goes back.
func (p *peerHeight) raise(height uint64) {
	if height > p.height {
		p.height = height
		// Of capacity 1: an answer that adds a value to the header gets an
		// array of its own and never writes into the shared one.
		p.lastBlock = []string{strconv.FormatUint(height-1, 10)}
	}
}

// current returns the height the gateway knows, without asking the peer.
func (p *peerHeight) current() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.height
}

// knownLastBlock returns the X-Ledger-Block value of the height the gateway
// knows (nil while it knows none), starting a refresh in the background when
// it is stale. The value is shared: an answer may replace it, never write
// into it.
func (p *peerHeight) knownLastBlock() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.at) > heightStale && p.reading == nil {
		done, turn := p.claim()
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), heightReadTimeout)
			defer cancel()
			p.readAfter(ctx, turn, done)
		}()
	}
	return p.lastBlock
}

// read returns once a read of the peer's height has answered (and raised
// the known height, which never goes back) or failed, or when ctx is done.
// A caller finding a read in flight waits for that one instead of asking
// again; otherwise it reads itself.
func (p *peerHeight) read(ctx context.Context) {
	p.mu.Lock()
	inFlight := p.reading
	var done chan struct{}
	var turn time.Duration
	if inFlight == nil {
		done, turn = p.claim()
	}
	p.mu.Unlock()
	if inFlight == nil {
		p.readAfter(ctx, turn, done)
		return
	}
	select {
	case <-inFlight:
	case <-ctx.Done():
	}
}

// claim makes its caller the one to read the peer's height next, before
// anyone else may look (p.mu is held): it must then call readAfter with
// what claim returns. turn is how long it waits before reading, so that a
// read begins no sooner than heightPoll after the last one did.
func (p *peerHeight) claim() (done chan struct{}, turn time.Duration) {
	p.reading = make(chan struct{})
	return p.reading, heightPoll - time.Since(p.started)
}

// readAfter reads the peer's height once turn has passed and closes done,
// waking every caller waiting on it, even when ctx ends its turn first, so
// that one of them reads next.
func (p *peerHeight) readAfter(ctx context.Context, turn time.Duration, done chan struct{}) {
	var h uint64
	var err error
	defer func() {
		p.mu.Lock()
		if err == nil {
			p.at = time.Now()
			p.raise(h)
		}
		p.reading = nil
		p.mu.Unlock()
		close(done)
	}()
	if turn > 0 {
		t := time.NewTimer(turn)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			err = ctx.Err()
			return
		}
	}
	p.mu.Lock()
	p.started = time.Now()
	p.mu.Unlock()
	h, err = p.ledger.Height(ctx)
}

// waitFor returns once the peer has committed block, or an error when it
// has not within wait; asker names what asked for the block (X-Min-Block,
// an event stream's resume position) in that error. A read of the peer that
// fails is retried at the next turn; the error names the height known last.
func (p *peerHeight) waitFor(ctx context.Context, block uint64, wait time.Duration, asker string) error {
	if p.current() > block {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		p.read(ctx)
		h := p.current()
		if h > block {
			return nil
		}
		if ctx.Err() != nil {
			return retryShortly("this region's peer has not yet committed block %d (%s): it has committed up to block %d; retry shortly", block, asker, int64(h)-1)
		}
	}
}
