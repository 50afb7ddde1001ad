package bench

import (
	"context"
	"errors"
	"fmt"
	"net"

	fabricclient "github.com/hyperledger/fabric-gateway/pkg/client"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/deltaledger/deltaledger/client"
)

// Kinds of failure, beside Fabric's validation codes (MVCC_READ_CONFLICT,
// PHANTOM_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE, ...) of transactions that
// were committed invalid, and "http_<status>" for REST answers.
const (
	// KindEndorsement: the endorsement failed (chaincode refusal, peers
	// disagreeing or unreachable); nothing was ordered.
	KindEndorsement = "endorsement"
	// KindOrdering: the ordering service refused the transaction.
	KindOrdering = "ordering"
	// KindCommitStatus: the commit status could not be read.
	KindCommitStatus = "commit_status"
	// KindTimeout: the operation's time ran out (504 from a REST gateway).
	KindTimeout = "timeout"
	// KindNotCommitted: the call said success but no block holds the
	// transaction. Never expected: it would mean an answer that lies.
	KindNotCommitted = "not_committed"
	// KindIncomplete: a credit lookup answered without every record's
	// contents verified.
	KindIncomplete = "incomplete"
	// KindError is any other failure.
	KindError = "error"
)

// Validation codes the results single out.
const (
	codeValid   = "VALID"
	codeMVCC    = "MVCC_READ_CONFLICT"
	codePhantom = "PHANTOM_READ_CONFLICT"
)

// kindOf classifies an operation's error.
func kindOf(err error) string {
	var restErr *client.Error
	var endorseErr *fabricclient.EndorseError
	var submitErr *fabricclient.SubmitError
	var statusErr *fabricclient.CommitStatusError
	var netErr net.Error
	switch {
	case errors.Is(err, errIncomplete):
		return KindIncomplete
	case errors.As(err, &restErr):
		if restErr.Status == 504 {
			return KindTimeout
		}
		return fmt.Sprintf("http_%d", restErr.Status)
	case errors.Is(err, context.DeadlineExceeded), status.Code(err) == codes.DeadlineExceeded:
		return KindTimeout
	case errors.As(err, &endorseErr):
		return KindEndorsement
	case errors.As(err, &submitErr):
		return KindOrdering
	case errors.As(err, &statusErr):
		return KindCommitStatus
	case errors.As(err, &netErr) && netErr.Timeout():
		return KindTimeout
	}
	return KindError
}

// settle decides an operation's fate from the validation codes of the
// blocks (codes: transaction ID to code, of every transaction committed
// while the batch ran). It returns "" for a success, else the kind of
// failure. An operation that submits nothing (want 0) succeeds when it
// answered; one that submits want transactions succeeds when that many of
// its transactions are in a block as VALID, whatever the call answered.
func settle(r Outcome, codes map[string]string, want int) string {
	valid := 0
	for _, id := range r.TxIDs {
		code, ok := codes[id]
		switch {
		case !ok:
		case code == codeValid:
			valid++
		default:
			return code
		}
	}
	switch {
	case want > 0 && valid >= want, want == 0 && r.Err == nil:
		return ""
	case r.Err != nil:
		return kindOf(r.Err)
	default:
		return KindNotCommitted
	}
}
