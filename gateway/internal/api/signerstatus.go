package api

import (
	"context"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/index"
)

// indexLagWait is how long a transaction status waits for the ledger index to read up to the peer's height before it
// answers that the index is catching up: longer than the index's usual lag behind the peer (a batch's linger and its
// write), far shorter than a catch-up.
const indexLagWait = 250 * time.Millisecond

// indexCatchingUp is the answer to a member who signs itself when the gateway finds the transaction it asks for
// neither among those it sent for it nor in the ledger index while the index has not read every block the peer holds
// (after a restart, while it reprojects the channel from block 0, or lagging): the transaction may be the member's own,
// committed in a block the index reads next, and "unknown" (404) would have it sent again, and run twice. The answer
// is the same 503 whatever the ID, so that it tells nobody which IDs are committed, and it is nil once the index has
// caught up: an ID then missed is unknown.
//
// It is read before the index is asked, for every ID alike: the index's count of blocks read (in memory; the lookup
// that follows sees at least those blocks; waited for up to indexLagWait when behind) and the peer's height the gateway knows (the one it names in
// X-Ledger-Block, refreshed in the background at most every heightStale as requests come, raised by every commit it
// sees and by X-Min-Block), asked of the peer only while the gateway knows none (after a start). A transaction
// committed in a block the gateway does not know of yet is not waited for: a client that knows the block sends
// X-Min-Block, which the peer's height then reflects.
func (s *Server) indexCatchingUp(ctx context.Context, txID string) *apiError {
	if s.market == nil {
		return nil
	}
	height := s.height.current()
	if height == 0 {
		s.height.read(ctx)
		height = s.height.current()
	}
	read := s.market.BlocksRead()
	if height > 0 && read < height {
		// The index reads a block moments after the peer commits it: on a busy channel the height the gateway knows
		// is often a block or two ahead of it, and every unknown ID would answer 503 with nothing to wait for.
		wait, cancel := context.WithTimeout(ctx, indexLagWait)
		if s.market.WaitFor(wait, height-1) == nil {
			read = s.market.BlocksRead()
		}
		cancel()
	}
	if height > 0 && read >= height {
		return nil
	}
	// A peer that answered no height (unreachable since the start) leaves the index's next block as the one awaited.
	behind := &index.BehindError{Want: max(height, read+1) - 1, Have: max(read, 1) - 1, Empty: read == 0}
	return retryShortly("the status of transaction %s cannot be told yet: the gateway's ledger index is catching up with the channel, and a transaction of yours may be in a block it has not read: %v", txID, behind.Message())
}
