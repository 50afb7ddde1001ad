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

// Error formats the error as "deltaledger: 409 CONFLICT: message", and "
// (transaction ID)" when it names one.
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
