package client

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/deltaledger/deltaledger/model"
)

// Session gives read-your-writes across regions: it remembers the highest
// ledger block its clients have seen (every gateway's success answer names
// one), and every request through them asks the gateway to wait until its
// peer has committed that block before running. Each region's peer commits a
// block a little after another's, so without it a step through one region
// right after one through another could miss it.
//
// Every Client has its own Session unless WithSession gives it a shared
// one: clients of one program that act as different members, or through
// different regions, share one to see each other's writes. A Session is
// safe for concurrent use.
//
// A session trusts no gateway with another's requests. It takes a block only
// from a success (2xx) answer: a refusal names nothing the caller saw. It
// keeps the highest block each gateway named, and the highest its member's
// own writes (submits) committed in. A gateway G that refuses a request for a
// block its peer has not committed in time (503, naming in X-Ledger-Block the
// last block it has) discards that block when one other gateway alone (or
// Observe and ResumeSession) named it, and the request is sent again when the
// session now asks for less: one gateway that names a block far
// ahead, hostile or on another network, costs each other gateway one refused
// request, not every request for good. The refusal never lowers the block G
// itself named, the highest a third gateway named, nor a block the member's
// own write committed in: a hostile gateway's instant refusal, naming block
// 0, lowers no block an honest gateway named while a third vouches for it,
// and never one the member wrote in. (A gateway the member writes through is
// trusted with the block its write committed in.)
//
// The trade-off: read-your-writes across regions holds while the region
// asked is no further behind the one that wrote than the gateway waits (10 s
// by default). A region that has not committed the session's block by then
// answers from what it has, without the writes made through the other region
// since, rather than refuse every request until it catches up (a peer that
// lags so far is reported by its region's monitoring). Through one gateway,
// writes are always read: it never refuses a block it named.
type Session struct {
	mu sync.Mutex
	// named is the highest block each gateway named, plus one; the key ""
	// holds Observe's and ResumeSession's.
	named map[string]uint64
	// written is the highest block the member's own writes committed in,
	// plus one (0: none yet).
	written uint64
}

// NewSession returns a session that has seen no block.
func NewSession() *Session { return &Session{named: map[string]uint64{}} }

// ResumeSession returns a session that has seen block, for a program that
// keeps its session between runs (as the deltaledger CLI does).
func ResumeSession(block uint64) *Session {
	s := NewSession()
	s.Observe(block)
	return s
}

// Observe records that a block was seen.
func (s *Session) Observe(block uint64) { s.raise(block, "", false) }

// raise records that from named block, in an answer to the member's own
// write when written.
func (s *Session) raise(block uint64, from string, written bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.named == nil {
		s.named = map[string]uint64{}
	}
	s.named[from] = max(s.named[from], block+1)
	if written {
		s.written = max(s.written, block+1)
	}
}

// top is the session's block, plus one (0: none). Called with mu held.
func (s *Session) top() uint64 {
	top := s.written
	for _, b := range s.named {
		top = max(top, b)
	}
	return top
}

// Block returns the highest block seen; ok is false before any.
func (s *Session) Block() (block uint64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	top := s.top()
	if top == 0 {
		return 0, false
	}
	return top - 1, true
}

// require asks the gateway for the session's block.
func (s *Session) require(h http.Header) {
	if b, ok := s.Block(); ok {
		h.Set(model.MinBlockHeader, strconv.FormatUint(b, 10))
	}
}

// observeAnswer records the block a success answer of gateway from names,
// to the member's own write when written.
func (s *Session) observeAnswer(from string, written bool, h http.Header) {
	if b, ok := ledgerBlock(h); ok {
		s.raise(b, from, written)
	}
}

// refused takes the refusal (503) by gateway from of a request that asked for
// block: when the refusal names a lower block, the last one from's peer has,
// and the session's block is still the one asked for, named by another
// gateway alone (not by from, a third gateway, nor the member's own write),
// that gateway's block is discarded, and the session's block becomes the
// highest of from's, the rest and the member's own writes (see Session). It reports whether the session now asks for less than block, so
// that the request (which the gateway refused before running it) is worth
// sending again.
func (s *Session) refused(from string, block uint64, h http.Header) bool {
	has, ok := ledgerBlock(h)
	if !ok || has >= block {
		return false // not a refusal of the block asked for
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.top() != block+1 || s.named[from] == block+1 || s.written == block+1 {
		return s.top() <= block
	}
	var namers []string
	for g, b := range s.named {
		if b == block+1 {
			namers = append(namers, g)
		}
	}
	if len(namers) > 1 {
		return false // two named it: one refusal lowers neither
	}
	delete(s.named, namers[0])
	if s.top() <= has {
		// From's peer has at least has: as if from had named it.
		s.named[from] = has + 1
	}
	return s.top() <= block
}

// ledgerBlock reads the block an answer names in X-Ledger-Block.
func ledgerBlock(h http.Header) (uint64, bool) {
	v := h.Get(model.LedgerBlockHeader)
	if v == "" {
		return 0, false
	}
	b, err := strconv.ParseUint(v, 10, 64)
	return b, err == nil
}

// WithSession makes the client share a session with others (see Session).
func WithSession(s *Session) Option {
	return func(st *settings) error {
		st.session = s
		return nil
	}
}
