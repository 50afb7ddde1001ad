package client

import (
	"context"
	"time"

	"github.com/deltaledger/deltaledger/gateway/wire"
)

// TransactionService reads the commit status of transactions
// (GET /v1/transactions/{txid}).
type TransactionService struct{ c *Client }

// TransactionStatus is the commit status of a transaction.
type TransactionStatus = wire.TransactionStatusBody

// Status returns the commit status of a transaction. The gateway waits a
// few seconds for the commit before answering Committed false for a
// transaction the caller sent through it; an ID neither committed nor sent
// by the caller through that gateway (another member's pending transaction
// among them) is an *Error with code NOT_FOUND (see IsNotFound). A member
// who signs its own calls (WithSigner) signs nothing for it and sees its own
// transactions only (REST 7.1.0 on; 403 FORBIDDEN before): any other ID,
// committed or not, is NOT_FOUND to it, once the gateway's ledger index has
// read every block of the channel its peer holds; before (REST 8.0.0 on),
// any ID it does not find is 503 UNAVAILABLE (IsUnavailable), as the
// member's own may be committed in a block the index has not read yet.
func (s *TransactionService) Status(ctx context.Context, txID string) (*TransactionStatus, error) {
	return getAt[TransactionStatus](ctx, s.c, "/v1/transactions/%s", seg("transaction ID", txID))
}

// Wait asks for the commit status of a transaction until it is committed or
// ctx ends, and returns it; a transaction committed as invalid is returned
// with Valid false (and no error). An ID the gateway does not know ends the
// wait with the NOT_FOUND error. A gateway that answers 503 UNAVAILABLE (see
// IsUnavailable) is asked again, after the Retry-After it names, until ctx
// ends: to a member who signs its own calls, a gateway whose ledger index is
// catching up with the channel answers so for any ID (REST 8.0.0 on), as its
// transaction may be committed in a block the index has not read yet.
func (s *TransactionService) Wait(ctx context.Context, txID string) (*TransactionStatus, error) {
	pause := 100 * time.Millisecond
	for {
		st, err := s.Status(ctx, txID)
		if e, ok := asError(err); ok && IsUnavailable(err) {
			if err := s.c.pauseBefore(ctx, e, max(e.RetryAfter, pause)); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if st.Committed {
			return st, nil
		}
		// The gateway held the request for a while already; pause a little
		// more only so that a gateway answering at once is not hammered.
		if err := s.c.sleep(ctx, pause); err != nil {
			return nil, err
		}
		pause = min(2*pause, time.Second)
	}
}
