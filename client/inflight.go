package client

import (
	"errors"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// TransactionSentError is the error of a self-signed submit (WithSigner) whose signed transaction was handed to
// the gateway for ordering when the answer was lost: the connection broke, or something else than the gateway
// answered (a proxy's page). The transaction may still commit; Err is what failed. Follow it with
// Transactions().Status(ctx, TransactionID).
type TransactionSentError struct {
	// TransactionID identifies the transaction sent.
	TransactionID string
	// Err is the failure that lost the answer.
	Err error
}

// Error names the failure and the transaction.
func (e *TransactionSentError) Error() string {
	return e.Err.Error() + ledgererr.Messagef(" (transaction %s)", e.TransactionID).Error()
}

// Unwrap returns the failure.
func (e *TransactionSentError) Unwrap() error { return e.Err }

// InFlight reports whether err leaves a submitted transaction that may still commit, and its ID: the gateway's
// OUTCOME_UNKNOWN (see IsOutcomeUnknown), or a TransactionSentError. Any other error is of a transaction that was
// never ordered, or one the ledger answered, or it names no transaction.
func InFlight(err error) (txID string, ok bool) {
	var sent *TransactionSentError
	if errors.As(err, &sent) {
		return sent.TransactionID, true
	}
	if e, isAPI := asError(err); isAPI && e.Code == CodeOutcomeUnknown && e.TransactionID != "" {
		return e.TransactionID, true
	}
	return "", false
}
