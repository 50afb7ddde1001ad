package chain

import (
	"errors"
	"fmt"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Kind classifies why a ledger call failed, so that the HTTP layer can choose
// a status without knowing Fabric's error types.
type Kind string

const (
	// KindRejected means the chaincode refused the call; Code says why.
	KindRejected Kind = "REJECTED"
	// KindEndorsement means no valid endorsement could be had for a reason
	// other than a chaincode refusal: peers unreachable, the endorsement
	// policy unsatisfiable, endorsers disagreeing.
	KindEndorsement = Kind(ledgererr.EndorsementFailed)
	// KindOrdering means the ordering service refused the transaction and
	// its commit status shows it was not committed.
	KindOrdering = Kind(ledgererr.OrderingFailed)
	// KindOutcomeUnknown means the transaction was sent for ordering but
	// neither its failure nor its commit could be confirmed in time. It may
	// still commit; its status is read with CommitStatus.
	KindOutcomeUnknown = Kind(ledgererr.OutcomeUnknown)
	// KindCommitFailed means the transaction was committed in a block but
	// marked invalid (for example MVCC_READ_CONFLICT), so it wrote nothing.
	KindCommitFailed = Kind(ledgererr.CommitFailed)
	// KindUnavailable means the peer could not be reached.
	KindUnavailable = Kind(ledgererr.Unavailable)
	// KindTimeout means the peer did not answer in time.
	KindTimeout = Kind(ledgererr.Timeout)
	// KindUnknownMember means the gateway holds no signing identity for the
	// member the call names.
	KindUnknownMember Kind = "UNKNOWN_MEMBER"
	// KindInternal is any other failure.
	KindInternal = Kind(ledgererr.Internal)
)

// Error is a failed ledger call. Its JSON form (without the cause) is how
// the gateway's outcome store keeps a failed submission for idempotent
// retries.
type Error struct {
	// Kind classifies the failure.
	Kind Kind `json:"kind"`
	// Code is the chaincode's error code, set when Kind is KindRejected.
	Code ledgererr.Code `json:"code,omitempty"`
	// Field names the input at fault, for a chaincode INVALID_ARGUMENT.
	Field string `json:"field,omitempty"`
	// Message describes the failure. For Fabric failures it keeps the
	// detail the peers and orderers gave.
	Message string `json:"message"`
	// TransactionID identifies the transaction, when one was created.
	TransactionID string `json:"transaction_id,omitempty"`
	// ValidationCode is Fabric's validation code of a KindCommitFailed
	// transaction, e.g. "MVCC_READ_CONFLICT".
	ValidationCode string `json:"validation_code,omitempty"`
	// BlockNumber is the block a KindCommitFailed transaction was committed
	// in.
	BlockNumber uint64 `json:"block_number,omitempty"`
	// Result is the endorsed chaincode response of a KindOutcomeUnknown
	// transaction: the answer to give once its commit is confirmed; and of
	// a KindCommitFailed one whose sender's own copy of the ID may have
	// committed valid after another's invalid copy (OwnCopy).
	Result []byte `json:"result,omitempty"`
	// Cause is the underlying error, if any. It is not stored: an error
	// value has no JSON form that reads back.
	Cause error `json:"-"`
	// Said, when set, is Message as the gateway's own message of the
	// catalogue, for a refusal the gateway makes itself (an unknown
	// transaction ID), so that it is answered in the caller's language. It
	// is not stored.
	Said *ledgererr.Message `json:"-"`
}

// Error renders the kind, code and message.
func (e *Error) Error() string {
	switch {
	case e.Code != "" && e.Field != "":
		return fmt.Sprintf("%s: %s: %s: %s", e.Kind, e.Code, e.Field, e.Message)
	case e.Code != "":
		return fmt.Sprintf("%s: %s: %s", e.Kind, e.Code, e.Message)
	default:
		return fmt.Sprintf("%s: %s", e.Kind, e.Message)
	}
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// Rejected returns the error of a chaincode refusal.
func Rejected(code ledgererr.Code, field, message, transactionID string) *Error {
	return &Error{Kind: KindRejected, Code: code, Field: field, Message: message, TransactionID: transactionID}
}

// CommitFailed returns the error of a transaction Fabric committed in block
// as invalid, with its validation code.
func CommitFailed(transactionID string, block uint64, validationCode string) *Error {
	return &Error{Kind: KindCommitFailed, TransactionID: transactionID, BlockNumber: block, ValidationCode: validationCode,
		Message: ledgererr.CommittedInvalid(transactionID, block, validationCode).Error()}
}

// FromChaincode returns the error of a chaincode refusal given in the
// chaincode's wire form ("CODE: field: rule"), or nil when text holds none.
func FromChaincode(text, transactionID string) *Error {
	e, ok := ledgererr.Parse(text)
	if !ok {
		return nil
	}
	return Rejected(e.Code, e.Field, e.Message, transactionID)
}

// AsError returns err as an *Error, wrapping anything else as KindInternal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Message: err.Error(), Cause: err}
}
