package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Error is an error the gateway answered: its HTTP status and the one error
// shape of the API, {"code", "message", "field", "transaction_id"}. Get it
// with errors.As:
//
//	var e *client.Error
//	if errors.As(err, &e) && e.Code == client.CodeConflict { ... }
type Error struct {
	// Status is the HTTP status, e.g. 409.
	Status int `json:"-"`
	// Code is the chaincode's code (INVALID_ARGUMENT, NOT_FOUND, FORBIDDEN,
	// CONFLICT, INTERNAL) or the gateway's (UNAUTHENTICATED, RATE_LIMITED,
	// ENDORSEMENT_FAILED, ORDERING_FAILED, COMMIT_FAILED, OUTCOME_UNKNOWN,
	// UNAVAILABLE, TIMEOUT, ...); see the Code constants.
	Code string `json:"code"`
	// Message explains the error; a chaincode refusal keeps the chaincode's
	// message.
	Message string `json:"message"`
	// Field names the request field at fault, for INVALID_ARGUMENT (for
	// example "scope.regions[1]").
	Field string `json:"field,omitempty"`
	// TransactionID identifies the transaction the error concerns, when
	// there is one (an invalid commit, an unknown outcome).
	TransactionID string `json:"transaction_id,omitempty"`
	// RetryAfter is the wait the gateway asked for with a 429.
	RetryAfter time.Duration `json:"-"`
	// IdempotencyKey is the Idempotency-Key of the call that got the error,
	// when it sent one (every submit, Lookup, Attest, Publish, unless
	// NoIdempotencyKey): after an OUTCOME_UNKNOWN, a 503 or a 429 the
	// transaction may have committed, or may still, and repeating the call
	// WithIdempotencyKey(IdempotencyKey) answers its outcome rather than
	// running it twice (a second credit trace, a second transfer).
	IdempotencyKey string `json:"-"`
	// Replayed is true when the gateway answered this error again for the
	// same Idempotency-Key (header Idempotent-Replayed): it keeps a
	// refusal under its key (24 hours by default) as it keeps a success, so
	// a repeat with the same key after putting the cause right (an
	// authorisation now in force, a role granted) gets the old refusal; the
	// new attempt takes a new key.
	Replayed bool `json:"-"`
}

// Codes of the gateway's errors (Error.Code): the chaincode's and the
// gateway's own, as package ledgererr defines them.
const (
	CodeInvalidArgument     = string(ledgererr.InvalidArgument)
	CodeNotFound            = string(ledgererr.NotFound)
	CodeForbidden           = string(ledgererr.Forbidden)
	CodeConflict            = string(ledgererr.Conflict)
	CodeInternal            = string(ledgererr.Internal)
	CodeUnauthenticated     = string(ledgererr.Unauthenticated)
	CodeRateLimited         = string(ledgererr.RateLimited)
	CodeIdempotencyKeyReuse = string(ledgererr.IdempotencyKeyReused)
	CodeEndorsementFailed   = string(ledgererr.EndorsementFailed)
	CodeOrderingFailed      = string(ledgererr.OrderingFailed)
	CodeCommitFailed        = string(ledgererr.CommitFailed)
	CodeOutcomeUnknown      = string(ledgererr.OutcomeUnknown)
	CodeUnavailable         = string(ledgererr.Unavailable)
	CodeTimeout             = string(ledgererr.Timeout)
)

// Error formats the error as "deltaledger: 409 CONFLICT: message", " (transaction
// ID)" when it names one, and " (replayed)" when the gateway answered it again
// for the same Idempotency-Key.
func (e *Error) Error() string { return e.In(ledgererr.English) }

// In writes the error with the client's own words in lang: the message is
// the gateway's, in the language the client asked for (WithAcceptLanguage).
func (e *Error) In(lang ledgererr.Language) string {
	var b strings.Builder
	b.WriteString("deltaledger: ")
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteByte(' ')
	}
	b.WriteString(e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.TransactionID != "" {
		b.WriteString(ledgererr.Messagef(" (transaction %s)", e.TransactionID).In(lang))
	}
	if e.Replayed {
		b.WriteString(ledgererr.Messagef(" (replayed)").In(lang))
	}
	return b.String()
}

// asError returns the *Error in err's chain.
func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound reports whether err is the gateway's 404: a record the request
// names does not exist, or is a trade or a credit record the caller may not
// read, which the ledger answers exactly as a missing one.
func IsNotFound(err error) bool { e, ok := asError(err); return ok && e.Status == http.StatusNotFound }

// IsUnavailable reports whether err is the gateway's 503 UNAVAILABLE: its
// peer or the ordering service does not answer, or its ledger index has not
// read the block asked for, or is catching up with the channel; the same
// request may succeed shortly (Error.RetryAfter says when, if the gateway
// named a wait). The client has already repeated a safe request a few times.
func IsUnavailable(err error) bool {
	e, ok := asError(err)
	return ok && e.Status == http.StatusServiceUnavailable
}

// IsConflict reports whether err is the gateway's 409 CONFLICT: the record
// is in the wrong state for the request or its ID is taken, or the
// transaction lost a race to a concurrent one and was committed without
// effect (Error.TransactionID names it). Read the record again and repeat
// the request only if it still applies.
func IsConflict(err error) bool { e, ok := asError(err); return ok && e.Status == http.StatusConflict }

// IsForbidden reports whether err is the gateway's 403: the chaincode
// refused the caller (role, org, party), or the credentials are of another
// org.
func IsForbidden(err error) bool {
	e, ok := asError(err)
	return ok && e.Status == http.StatusForbidden
}

// IsInvalidArgument reports whether err is the gateway's 400; Error.Field
// names the input at fault.
func IsInvalidArgument(err error) bool {
	e, ok := asError(err)
	return ok && e.Status == http.StatusBadRequest
}

// IsUnauthenticated reports whether err is the gateway's 401: no, a bad, an expired or a
// revoked API key, or a certificate that maps to no member.
func IsUnauthenticated(err error) bool {
	e, ok := asError(err)
	return ok && e.Status == http.StatusUnauthorized
}

// IsOutcomeUnknown reports whether err says that a submit's outcome is
// unknown (504 OUTCOME_UNKNOWN): the transaction may still commit. Follow it
// with Transactions().Wait(ctx, e.TransactionID), or repeat the call with the
// same WithIdempotencyKey.
func IsOutcomeUnknown(err error) bool {
	e, ok := asError(err)
	return ok && e.Code == CodeOutcomeUnknown
}

// UnansweredError is the error of a call that sent an Idempotency-Key and
// got no answer of the gateway's that it could read: the connection failed
// or was reset, the client's timeout or the context ended, or the answer was
// cut off or could not be decoded. The gateway may have received the
// request, and its transaction may have committed or still commit: repeat
// the call WithIdempotencyKey(IdempotencyKey), which answers its outcome
// rather than running it twice. Err is the cause (errors.Is and As see it:
// context.DeadlineExceeded, a *net.OpError, ...); the error reads as Err.
type UnansweredError struct {
	// IdempotencyKey is the key the call sent.
	IdempotencyKey string
	// Err is why there was no answer to read.
	Err error
}

func (e *UnansweredError) Error() string { return e.Err.Error() }

// In writes the error in lang, as Err writes itself.
func (e *UnansweredError) In(lang ledgererr.Language) string { return ledgererr.ErrorIn(e.Err, lang) }

// Unwrap returns the cause.
func (e *UnansweredError) Unwrap() error { return e.Err }

// IdempotencyKeyOf returns the Idempotency-Key that the call which failed
// with err sent (Error.IdempotencyKey, UnansweredError.IdempotencyKey), ""
// when it sent none or failed before sending anything.
func IdempotencyKeyOf(err error) string {
	if e, ok := asError(err); ok && e.IdempotencyKey != "" {
		return e.IdempotencyKey
	}
	var u *UnansweredError
	if errors.As(err, &u) {
		return u.IdempotencyKey
	}
	return ""
}

// withKey puts the Idempotency-Key that req sent on err, the error of its
// call: on the gateway's *Error, or wrapping any other error (no answer, or
// none to read) in an *UnansweredError. A request without a key leaves err
// as it is.
func withKey(err error, req *request) error {
	key := req.header.Get("Idempotency-Key")
	if err == nil || key == "" {
		return err
	}
	if e, ok := asError(err); ok {
		e.IdempotencyKey = key
		return err
	}
	return &UnansweredError{IdempotencyKey: key, Err: err}
}

// errorFromAnswer decodes an error answer. An answer that is not in the
// API's error shape (a proxy's page) keeps its status and a clip of its text.
func errorFromAnswer(a *answer) *Error {
	e, _ := answeredError(a)
	return e
}

// answeredError is errorFromAnswer, and whether the answer is in the API's
// error shape: the gateway's, not a proxy's page.
func answeredError(a *answer) (*Error, bool) {
	e := &Error{}
	shaped := json.Unmarshal(a.body, e) == nil && e.Code != ""
	if !shaped {
		text := strings.TrimSpace(string(a.body))
		if len(text) > 200 {
			text = text[:200] + "..."
		}
		e = &Error{Code: "HTTP_" + strconv.Itoa(a.status), Message: text}
		if e.Message == "" {
			e.Message = http.StatusText(a.status)
		}
	}
	e.Status = a.status
	e.RetryAfter = retryAfter(a.header.Get("Retry-After"))
	e.Replayed = replayedAnswer(a)
	return e, shaped
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// commitFailed is the error of a transaction committed as invalid, its
// message in lang as the gateway writes it.
func commitFailed(lang ledgererr.Language, txID string, block uint64, code string) *Error {
	committed := ledgererr.CommittedInvalid(txID, block, code)
	if ledgererr.LostRace(code) {
		return &Error{Status: http.StatusConflict, Code: CodeConflict, TransactionID: txID,
			Message: ledgererr.FailureLostRace.Format(lang, committed)}
	}
	return &Error{Status: http.StatusBadGateway, Code: CodeCommitFailed, TransactionID: txID, Message: committed.In(lang)}
}
