package api

import (
	"net/http"
	"strconv"

	"github.com/deltaledger/deltaledger/model"
)

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
			if err := s.reachMinBlock(w, r, block); err != nil {
				writeError(w, r, err)
				return
			}
		}
		s.nameLastBlock(w)
		next.ServeHTTP(w, r)
	})
}

// reachMinBlock waits until the peer has committed block, which the request
// asks for in X-Min-Block. Its refusal (503) names in X-Ledger-Block the last
// block the peer has, below the one asked for: a client whose block another
// gateway named, far ahead, lowers it to this one's (client.Session) rather
// than be refused by every gateway for good.
func (s *Server) reachMinBlock(w http.ResponseWriter, r *http.Request, block uint64) error {
	err := s.height.waitFor(r.Context(), block, s.minBlockWait, model.MinBlockHeader)
	if err != nil {
		s.nameLastBlock(w)
	}
	return err
}

// nameLastBlock names in X-Ledger-Block the last block the gateway knows its
// peer has committed, when it knows one.
func (s *Server) nameLastBlock(w http.ResponseWriter) {
	if lastBlock := s.height.knownLastBlock(); lastBlock != nil {
		// The header's canonical key, set without a copy of the value: a
		// read's answer allocates nothing for it, whether or not the
		// background read of the peer's height has answered yet.
		w.Header()[model.LedgerBlockHeader] = lastBlock
	}
}

// committedIn names the block a submit committed in and records that the
// peer has it.
func (s *Server) committedIn(w http.ResponseWriter, block uint64) {
	s.height.observe(block + 1)
	w.Header().Set(model.LedgerBlockHeader, strconv.FormatUint(block, 10))
}
