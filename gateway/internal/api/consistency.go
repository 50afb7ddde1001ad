package api

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/model"
)

// heightStale is how old the known height of the peer may be before a read
// refreshes it (in the background: a read answers with the height it knew,
// a block it reflects at least).
const heightStale = 250 * time.Millisecond

// heightPoll is how often a request waiting for a block asks the peer.
const heightPoll = 50 * time.Millisecond

// peerHeight is what the gateway knows of its peer's height: the number of
// blocks it has committed, learnt from the peer and from commits.
type peerHeight struct {
	ledger chain.Ledger

	mu         sync.Mutex
	height     uint64
	at         time.Time
	refreshing bool
}

// observe records that the peer has committed at least height blocks.
func (p *peerHeight) observe(height uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if height > p.height {
		p.height = height
	}
}

// known returns the height the gateway knows, starting a refresh in the
// background when it is stale.
func (p *peerHeight) known() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.at) > heightStale && !p.refreshing {
		p.refreshing = true
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, _ = p.refresh(ctx)
		}()
	}
	return p.height
}

// refresh asks the peer for its height.
func (p *peerHeight) refresh(ctx context.Context) (uint64, error) {
	h, err := p.ledger.Height(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refreshing = false
	if err != nil {
		return p.height, err
	}
	p.at = time.Now()
	if h > p.height {
		p.height = h
	}
	return p.height, nil
}

// waitFor returns once the peer has committed block, or an error when it
// has not within wait; asker names what asked for the block (X-Min-Block,
// an event stream's resume position) in that error.
func (p *peerHeight) waitFor(ctx context.Context, block uint64, wait time.Duration, asker string) error {
	p.mu.Lock()
	h := p.height
	p.mu.Unlock()
	if h > block {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		h, _ := p.refresh(ctx)
		if h > block {
			return nil
		}
		select {
		case <-ctx.Done():
			e := newError(http.StatusServiceUnavailable, CodeUnavailable,
				"this region's peer has not yet committed block %d (%s): it has committed up to block %d; retry shortly", block, asker, int64(h)-1)
			e.header = http.Header{"Retry-After": {"1"}}
			return e
		case <-time.After(heightPoll):
		}
	}
}

// minBlockOf reads the block a request asks for in X-Min-Block; asked is
// false without the header.
func minBlockOf(r *http.Request) (block uint64, asked bool, err error) {
	v := r.Header.Values(model.MinBlockHeader)
	if len(v) == 0 {
		return 0, false, nil
	}
	block, err = strconv.ParseUint(v[0], 10, 64)
	if err != nil || len(v) > 1 {
		return 0, false, invalid(model.MinBlockHeader, "must be one block number, a whole number")
	}
	return block, true, nil
}

// consistent runs a ledger request once the gateway's peer has committed the
// block the caller asks for in X-Min-Block, and names in X-Ledger-Block the
// last block the peer had committed before the request ran; a submit
// replaces it with the block it committed in.
func (s *Server) consistent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		block, asked, err := minBlockOf(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if asked {
			if err := s.height.waitFor(r.Context(), block, s.minBlockWait, model.MinBlockHeader); err != nil {
				writeError(w, r, err)
				return
			}
		}
		if h := s.height.known(); h > 0 {
			w.Header().Set(model.LedgerBlockHeader, strconv.FormatUint(h-1, 10))
		}
		next.ServeHTTP(w, r)
	})
}

// committedIn names the block a submit committed in and records that the
// peer has it.
func (s *Server) committedIn(w http.ResponseWriter, block uint64) {
	s.height.observe(block + 1)
	w.Header().Set(model.LedgerBlockHeader, strconv.FormatUint(block, 10))
}
