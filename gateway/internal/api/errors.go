package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/deltaledger/deltaledger/gateway/internal/ledger"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/internal/locale"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Gateway error codes, beside the chaincode's (ledgererr) codes.
const (
	CodeUnauthenticated  = string(ledgererr.Unauthenticated)
	CodeForbidden        = string(ledgererr.Forbidden)
	CodeInvalidArgument  = string(ledgererr.InvalidArgument)
	CodeNotFound         = string(ledgererr.NotFound)
	CodeConflict         = string(ledgererr.Conflict)
	CodeInternal         = string(ledgererr.Internal)
	CodePayloadTooLarge  = string(ledgererr.PayloadTooLarge)
	CodeUnsupportedMedia = string(ledgererr.UnsupportedMediaType)
	CodeMethodNotAllowed = string(ledgererr.MethodNotAllowed)
	CodeRateLimited      = string(ledgererr.RateLimited)
	CodeKeyReused        = string(ledgererr.IdempotencyKeyReused)
	CodeUnavailable      = string(ledgererr.Unavailable)
	CodeTimeout          = string(ledgererr.Timeout)
)

// apiError is an error answer: status plus body.
type apiError struct {
	status int
	body   routes.ErrorBody
	header http.Header
	// rule and args, when set, are the catalogue's rule that body.Field
	// broke: the message is written in the request's language.
	rule ledgererr.Rule
	args []any
	// detail is what Fabric said (peer addresses, MSP IDs, gRPC text): for
	// the gateway's log, never for the caller.
	detail string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.status, e.body.Code, e.body.Message)
}

func newError(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, body: routes.ErrorBody{Code: code, Message: fmt.Sprintf(format, args...)}}
}

// invalid is a 400 naming the request field at fault.
func invalid(field, format string, args ...any) *apiError {
	e := newError(http.StatusBadRequest, CodeInvalidArgument, format, args...)
	e.body.Field = field
	if field != "" {
		e.body.Message = field + ": " + e.body.Message
	}
	return e
}

// invalidRule is a 400 for a field that breaks one of the catalogue's rules.
func invalidRule(field string, rule ledgererr.Rule, args ...any) *apiError {
	e := invalid(field, "%s", rule.Format(ledgererr.English, args...))
	e.rule, e.args = rule, args
	return e
}

// message is the answer's message in lang. English is the message as made.
// In another language a rule of the catalogue is written in it; any other
// message (the chaincode's refusals, Fabric's details) is kept as it is,
// after what its code means in that language.
func (e *apiError) message(lang ledgererr.Language) string {
	if lang == ledgererr.English {
		return e.body.Message
	}
	if e.rule != "" {
		text := e.rule.Format(lang, e.args...)
		if e.body.Field != "" {
			return e.body.Field + ": " + text
		}
		return text
	}
	return ledgererr.Code(e.body.Code).Text().In(lang) + ": " + e.body.Message
}

// statusOfChaincode maps a chaincode code to an HTTP status.
func statusOfChaincode(code ledgererr.Code) int {
	switch code {
	case ledgererr.InvalidArgument:
		return http.StatusBadRequest
	case ledgererr.Forbidden:
		return http.StatusForbidden
	case ledgererr.NotFound:
		return http.StatusNotFound
	case ledgererr.Conflict:
		return http.StatusConflict
	default:
		return http.StatusInternalServerError
	}
}

// fromLedger maps a ledger error to an answer.
func fromLedger(err error) *apiError {
	if errors.Is(err, context.DeadlineExceeded) {
		return newError(http.StatusGatewayTimeout, CodeTimeout, "the peer did not answer in time")
	}
	if errors.Is(err, context.Canceled) {
		return newError(499, string(ledgererr.Canceled), "the request was canceled")
	}
	e := ledger.AsError(err)
	out := &apiError{body: routes.ErrorBody{Message: e.Message, TransactionID: e.TransactionID}}
	switch e.Kind {
	case ledger.KindRejected:
		out.status = statusOfChaincode(e.Code)
		out.body.Code = string(e.Code)
		out.body.Field = e.Field
		if e.Field != "" {
			out.body.Message = e.Field + ": " + e.Message
		}
		if out.status == http.StatusInternalServerError {
			// The chaincode's own failure (corrupt state, a stub error): its
			// text names Go types and causes, for the log.
			out.body.Code = CodeInternal
			out.body.Message, out.detail = "the chaincode failed to handle the request"+seeLog, e.Message
		}
		return out
	case ledger.KindCommitFailed:
		if e.LostRace() {
			// Not a failure of the gateway: another transaction got there
			// first. The caller decides again on what is now the record.
			out.status = http.StatusConflict
			out.body.Code = CodeConflict
			out.body.Message = "another transaction changed the records this request concerns first (" + e.Message +
				"), so it had no effect: read them again and repeat the request only if it still applies"
			return out
		}
		out.status = http.StatusBadGateway
		out.body.Code = string(e.Kind)
		return out // the message names the transaction, its block and validation code only
	}
	out.status, out.body.Message = failureOf(e.Kind)
	out.body.Code = string(e.Kind)
	if e.Kind == ledger.KindUnknownMember || e.Kind == ledger.KindInternal {
		out.body.Code = CodeInternal
	}
	out.detail = e.Message
	return out
}

// failureOf is the status and the caller's message of a failure around the
// chaincode. Fabric's own text (peer and orderer addresses, MSP IDs, gRPC
// codes) goes to the gateway's log with the request ID, not to the caller,
// who can act on the kind of failure only.
func failureOf(kind ledger.Kind) (int, string) {
	switch kind {
	case ledger.KindEndorsement:
		return http.StatusBadGateway, "the peers did not endorse the transaction for a reason other than a refusal by the chaincode; nothing was submitted" + seeLog
	case ledger.KindOrdering:
		return http.StatusServiceUnavailable, "the ordering service did not accept the transaction, and it was not committed; retry shortly" + seeLog
	case ledger.KindUnavailable:
		return http.StatusServiceUnavailable, "this region's peer or the ordering service cannot be reached; retry shortly" + seeLog
	case ledger.KindOutcomeUnknown:
		return http.StatusGatewayTimeout, "the transaction was sent for ordering, but its commit could not be confirmed in time; read its status" + seeLog
	case ledger.KindTimeout:
		return http.StatusGatewayTimeout, "the ledger did not answer in time" + seeLog
	default:
		return http.StatusInternalServerError, "the gateway failed to handle the request" + seeLog
	}
}

// seeLog ends the message of a failure whose detail is in the gateway's log.
const seeLog = " (the gateway's log has the details under this answer's X-Request-ID)"

// writeError answers with the error shape.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		e = fromLedger(err)
	}
	info := infoFrom(r.Context())
	if info != nil {
		if e.body.TransactionID != "" && info.txID == "" {
			info.txID = e.body.TransactionID
		}
		info.errCode, info.errMessage, info.errDetail = e.body.Code, e.body.Message, e.detail
	}
	for k, vs := range e.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	lang := locale.FromAcceptLanguage(r.Header.Get("Accept-Language"))
	w.Header().Add("Vary", "Accept-Language")
	w.Header().Set("Content-Language", string(lang))
	body := e.body
	body.Message = e.message(lang)
	writeJSON(w, e.status, body)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"code":"INTERNAL","message":"encoding the answer failed"}`)
	}
	writeRaw(w, status, b)
}

// writeRaw answers with a JSON body given as bytes.
func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	_, _ = w.Write([]byte("\n"))
}
