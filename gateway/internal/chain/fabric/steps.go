package fabric

import (
	"context"
	"log/slog"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"google.golang.org/grpc"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/internal/commitstatus"
)

// The steps of a call that the gateway's own signing (Evaluate, Submit) and
// a member's offline signing (offlineProposal) both run on a proposal, so
// that their timeouts, errors and metrics are the same whoever signed it.

// evaluate runs proposal as a read-only call of function, within the
// evaluate timeout.
func (l *Ledger) evaluate(ctx context.Context, proposal *client.Proposal, function string) ([]byte, error) {
	return toEndorsers(ctx, l, proposal, "evaluate", function, l.cfg.EvaluateTimeout, proposal.EvaluateWithContext)
}

// endorse has proposal, a call of function, endorsed within the endorse
// timeout. A failure here means nothing was sent for ordering.
func (l *Ledger) endorse(ctx context.Context, proposal *client.Proposal, function string, log *slog.Logger) (*client.Transaction, error) {
	tx, err := toEndorsers(ctx, l, proposal, "endorse", function, l.cfg.EndorseTimeout, proposal.EndorseWithContext)
	if err != nil {
		log.Debug("endorsement failed", "error", chain.AsError(err).Message)
	}
	return tx, err
}

// order sends tx, a call of function, for ordering within the submit
// timeout. err, a chain.Error of KindOrdering, says that it surely was not
// ordered; unknown, an error after which it may have been, leaves the
// outcome to the transaction's commit status.
func (l *Ledger) order(ctx context.Context, tx *client.Transaction, function string) (commit *client.Commit, unknown, err error) {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.SubmitTimeout)
	defer cancel()
	start := time.Now()
	commit, failure := tx.SubmitWithContext(ctx)
	if failure == nil {
		l.metrics.FabricCall("submit", function, "ok", time.Since(start))
		return commit, nil, nil
	}
	l.metrics.FabricCall("submit", function, "error", time.Since(start))
	if commitstatus.DefinitelyNotOrdered(failure) {
		return nil, nil, &chain.Error{Kind: chain.KindOrdering, TransactionID: tx.TransactionID(), Message: failure.Error(), Cause: failure}
	}
	return nil, failure, nil
}

// toEndorsers sends proposal to the endorsing peers with send, one of its
// methods, within timeout, and counts the call as step of function: a
// failure is classified as an endorsement's.
func toEndorsers[T any](ctx context.Context, l *Ledger, proposal *client.Proposal, step, function string, timeout time.Duration,
	send func(context.Context, ...grpc.CallOption) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	answer, err := send(ctx)
	if err != nil {
		e := classify(err, proposal.TransactionID(), chain.KindEndorsement)
		l.metrics.FabricCall(step, function, string(e.Kind), time.Since(start))
		var none T
		return none, e
	}
	l.metrics.FabricCall(step, function, "ok", time.Since(start))
	return answer, nil
}
