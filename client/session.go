package client

import (
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/deltaledger/deltaledger/model"
)

// Session gives read-your-writes across regions: it remembers the highest
// ledger block its clients have seen (every gateway answer names one), and
// every request through them asks the gateway to wait until its peer has
// committed that block before running. Each region's peer commits a block a
// little after another's, so without it a step through one region right
// after one through another could miss it.
//
// Every Client has its own Session unless WithSession gives it a shared
// one: clients of one program that act as different members, or through
// different regions, share one to see each other's writes. A Session is
// safe for concurrent use.
type Session struct {
	block atomic.Uint64 // the highest block seen, plus one (0: none yet)
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
func (s *Session) Observe(block uint64) {
	for {
		old := s.block.Load()
		if block+1 <= old || s.block.CompareAndSwap(old, block+1) {
			return
		}
	}
}

// Block returns the highest block seen; ok is false before any.
func (s *Session) Block() (block uint64, ok bool) {
	v := s.block.Load()
	if v == 0 {
		return 0, false
	}
	return v - 1, true
}

// require asks the gateway for the session's block.
func (s *Session) require(h http.Header) {
	if b, ok := s.Block(); ok {
		h.Set(model.MinBlockHeader, strconv.FormatUint(b, 10))
	}
}

// observeAnswer records the block an answer names.
func (s *Session) observeAnswer(h http.Header) {
	if v := h.Get(model.LedgerBlockHeader); v != "" {
		if b, err := strconv.ParseUint(v, 10, 64); err == nil {
			s.Observe(b)
		}
	}
}

// WithSession makes the client share a session with others (see Session).
func WithSession(s *Session) Option {
	return func(st *settings) error {
		st.session = s
		return nil
	}
}
