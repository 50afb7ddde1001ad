// Package ledgererr defines the errors the DeltaLedger chaincode returns.
//
// Every refusal carries a stable Code so that clients (the REST gateway, the
// SDK) can map it to a protocol status without parsing prose. On the wire an
// error is a single line:
//
//	CODE: message
//	INVALID_ARGUMENT: field: rule
//
// The peer wraps chaincode messages in text of its own (for example
// "chaincode response 500, ..."), so Parse looks for the code anywhere in the
// text it is given.
package ledgererr

import (
	"errors"
	"fmt"
	"regexp"
)

// Code classifies an error. The set is closed: clients switch on it.
type Code string

const (
	// InvalidArgument means an input broke a validation rule; Field names it.
	InvalidArgument Code = "INVALID_ARGUMENT"
	// NotFound means a referenced record does not exist.
	NotFound Code = "NOT_FOUND"
	// Forbidden means the caller may not do this: wrong org, role, or party.
	Forbidden Code = "FORBIDDEN"
	// Conflict means the record is in a state that does not allow the change,
	// or the record already exists.
	Conflict Code = "CONFLICT"
	// Internal means the chaincode itself failed (corrupt state, stub error).
	Internal Code = "INTERNAL"
)

// Error is a chaincode refusal with a stable code.
type Error struct {
	Code    Code
	Field   string // the input field at fault, only for InvalidArgument
	Message string
}

// Error renders the wire form: "CODE: field: message" or "CODE: message".
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Invalid reports that field broke the rule described by the format.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: InvalidArgument, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf reports a missing record.
func NotFoundf(format string, args ...any) *Error {
	return &Error{Code: NotFound, Message: fmt.Sprintf(format, args...)}
}

// Forbiddenf reports that the caller may not perform the action.
func Forbiddenf(format string, args ...any) *Error {
	return &Error{Code: Forbidden, Message: fmt.Sprintf(format, args...)}
}

// Conflictf reports a state conflict: wrong state, duplicate, already done.
func Conflictf(format string, args ...any) *Error {
	return &Error{Code: Conflict, Message: fmt.Sprintf(format, args...)}
}

// Internalf wraps an unexpected failure, keeping the cause for errors.Is/As.
func Internalf(cause error, format string, args ...any) error {
	return fmt.Errorf("%w: %w", &Error{Code: Internal, Message: fmt.Sprintf(format, args...)}, cause)
}

// CodeOf returns the code of err, or Internal when err carries none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

var wireForm = regexp.MustCompile(`\b(INVALID_ARGUMENT|NOT_FOUND|FORBIDDEN|CONFLICT|INTERNAL): (.*)`)

// fieldForm is how a field path looks: participantId, scope.regions[0].
var fieldForm = regexp.MustCompile(`^([a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*|\[[0-9]+\])*): (.+)$`)

// Parse recovers an Error from text that contains the wire form, such as the
// message of a failed endorsement. It reports false when no code is present.
func Parse(text string) (*Error, bool) {
	m := wireForm.FindStringSubmatch(text)
	if m == nil {
		return nil, false
	}
	e := &Error{Code: Code(m[1]), Message: m[2]}
	if e.Code == InvalidArgument {
		if f := fieldForm.FindStringSubmatch(e.Message); f != nil {
			e.Field, e.Message = f[1], f[2]
		}
	}
	return e, true
}
