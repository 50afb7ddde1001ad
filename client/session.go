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
// from a success (2xx) answer: a refusal names nothing the caller saw. And a
// gateway that refuses a request for a block its peer has not committed in
// time (503, naming in X-Ledger-Block the last block it has) lowers the
// session's block to that one when the block came from another gateway (or
// from Observe or ResumeSession), and the request is sent again: one gateway
// that names a block far ahead, hostile or on another network, costs each
// other gateway one refused request, not every request for good. A gateway's
// refusal of a block it named itself lowers nothing.
//
// The trade-off: read-your-writes across regions holds while the region
// asked is no further behind the one that wrote than the gateway waits (10 s
// by default). A region that has not committed the session's block by then
// answers from what it has, without the writes made through the other region
// since, rather than refuse every request until it catches up (a peer that
// lags so far is reported by its region's monitoring). Through one gateway,
// writes are always read: it never refuses a block it named.
type Session struct {
	mu    sync.Mutex
	block uint64 // the highest block seen, plus one (0: none yet)
	from  string // the gateway whose answer named block; "" for Observe and ResumeSession
}

// NewSession returns a session that has seen no block.
func NewSession() *Session { return &Session{} }

// ResumeSession returns a session that has seen block, for a program that
// keeps its session between runs (as the deltaledger CLI does).
func ResumeSession(block uint64) *Session {
	s := &Session{}
	s.Observe(block)
	return s
}

// Observe records that a block was seen.
func (s *Session) Observe(block uint64) { s.raise(block, "") }

// raise records that from named block.
func (s *Session) raise(block uint64, from string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if block+1 > s.block {
		s.block, s.from = block+1, from
	}
}

// Block returns the highest block seen; ok is false before any.
func (s *Session) Block() (block uint64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.block == 0 {
		return 0, false
	}
	return s.block - 1, true
}

// require asks the gateway for the session's block.
func (s *Session) require(h http.Header) {
	if b, ok := s.Block(); ok {
		h.Set(model.MinBlockHeader, strconv.FormatUint(b, 10))
	}
}

// observeAnswer records the block a success answer of gateway from names.
func (s *Session) observeAnswer(from string, h http.Header) {
	if b, ok := ledgerBlock(h); ok {
		s.raise(b, from)
	}
}

// refused takes the refusal (503) by gateway from of a request that asked for
// block: when the refusal names a lower block, the last one from's peer has,
// and the session's block is still the one asked for and came from another
// gateway, the session's block becomes from's. It reports whether the
// session now asks for less than block, so that the request (which the
// gateway refused before running it) is worth sending again.
func (s *Session) refused(from string, block uint64, h http.Header) bool {
	has, ok := ledgerBlock(h)
	if !ok || has >= block {
		return false // not a refusal of the block asked for
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.block == block+1 && s.from != from {
		s.block, s.from = has+1, from
	}
	return s.block <= block
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
