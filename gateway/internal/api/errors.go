package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/wire"
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
	body   wire.ErrorBody
	header http.Header
	// rule, when set, is the catalogue's rule that body.Field broke, and
	// failure the catalogue's sentence for a failure around the chaincode;
	// args are theirs. The message is written in the request's language.
	rule    ledgererr.Rule
	failure ledgererr.Failure
	args    []any
	// detail is what Fabric said (peer addresses, MSP IDs, gRPC text): for
	// the gateway's log, never for the caller.
	detail string
	// refusal, when set, is a chaincode refusal's message as the chaincode
	// made it (without its field): the catalogue of the chaincode's
	// refusals writes it in the request's language.
	refusal string
	// said, when set, is the gateway's own message (without its field),
	// written in the request's language from the catalogue.
	said *ledgererr.Message
}

// refusals recognises the chaincode's refusals, compiled once at start.
var refusals = ledgererr.NewRefusals()

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.status, e.body.Code, e.body.Message)
}

// newError is an answer with the gateway's own message, made from a format
// of the catalogue (ledgererr.Messagef). An error among args is written in
// the request's language when it is a message of the catalogue: pass the
// error, not its text.
func newError(status int, code, format string, args ...any) *apiError {
	said := ledgererr.Messagef(format, args...)
	return &apiError{status: status, body: wire.ErrorBody{Code: code, Message: said.Error()}, said: said}
}

// retryShortly is a 503 UNAVAILABLE that asks the client to retry after a
// second (Retry-After): the gateway, its peer or its index is getting to
// the answer, which a moment will bring.
func retryShortly(format string, args ...any) *apiError {
	e := newError(http.StatusServiceUnavailable, CodeUnavailable, format, args...)
	e.header = http.Header{"Retry-After": {"1"}}
	return e
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
	e := &apiError{status: http.StatusBadRequest, body: wire.ErrorBody{Code: CodeInvalidArgument, Field: field}, rule: rule, args: args}
	e.body.Message = e.message(ledgererr.English)
	return e
}

// failed is the answer to a failure around the chaincode: the catalogue's
// sentence for it, and detail (what Fabric said) for the log.
func failed(status int, code string, failure ledgererr.Failure, detail string, args ...any) *apiError {
	e := &apiError{status: status, body: wire.ErrorBody{Code: code}, failure: failure, args: args, detail: detail}
	e.body.Message = e.message(ledgererr.English)
	return e
}

// message is the answer's message in lang. A rule, failure or message of
// the catalogue, and a chaincode refusal the catalogue recognises, are
// written in lang (a recognised refusal first: the gateway's message that
// passes one on knows no better words); any other message (a refusal the
// catalogue does not know) is English as made, after what its code means
// in lang.
func (e *apiError) message(lang ledgererr.Language) string {
	switch {
	case e.rule != "":
		text := e.rule.Format(lang, e.args...)
		if e.body.Field != "" {
			return e.body.Field + ": " + text
		}
		return text
	case e.failure != "":
		text := e.failure.Format(lang, e.args...)
		if e.detail != "" {
			text += ledgererr.SeeLog.In(lang)
		}
		return text
	case lang == ledgererr.English:
		return e.body.Message
	}
	text, ok := "", false
	if e.refusal != "" {
		text, ok = refusals.Translate(e.refusal, lang)
	}
	if !ok && e.said != nil {
		text, ok = e.said.In(lang), true
	}
	switch {
	case !ok:
		return ledgererr.Code(e.body.Code).Text().In(lang) + ": " + e.body.Message
	case e.body.Field != "":
		return e.body.Field + ": " + text
	default:
		return text
	}
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
		return failed(http.StatusGatewayTimeout, CodeTimeout, ledgererr.FailureTimeout, "")
	}
	if errors.Is(err, context.Canceled) {
		return newError(499, string(ledgererr.Canceled), "the request was canceled")
	}
	e := chain.AsError(err)
	var out *apiError
	switch {
	case e.Kind == chain.KindRejected && statusOfChaincode(e.Code) != http.StatusInternalServerError:
		out = &apiError{status: statusOfChaincode(e.Code), body: wire.ErrorBody{Code: string(e.Code), Field: e.Field, Message: e.Message}, refusal: e.Message, said: e.Said}
		if e.Field != "" {
			out.body.Message = e.Field + ": " + e.Message
		}
	case e.Kind == chain.KindRejected:
		// The chaincode's own failure (corrupt state, a stub error): its
		// text names Go types and causes, for the log.
		out = failed(http.StatusInternalServerError, CodeInternal, ledgererr.FailureChaincode, e.Message)
	case e.Kind == chain.KindCommitFailed && e.LostRace():
		// Not a failure of the gateway: another transaction got there
		// first. The caller decides again on what is now the record.
		out = failed(http.StatusConflict, CodeConflict, ledgererr.FailureLostRace, "", committed(e))
	case e.Kind == chain.KindCommitFailed:
		// The message names the transaction, its block and validation code only.
		out = &apiError{status: http.StatusBadGateway, body: wire.ErrorBody{Code: string(e.Kind), Message: e.Message}, said: committed(e)}
	default:
		status, code, failure := failureOf(e.Kind)
		out = failed(status, code, failure, e.Message)
	}
	out.body.TransactionID = e.TransactionID
	return out
}

// committed is what the commit of a transaction committed as invalid said:
// the catalogue's message, or for a failure kept without its block (an
// outcome stored by an older gateway) the English text it was kept with.
func committed(e *chain.Error) *ledgererr.Message {
	if e.BlockNumber == 0 {
		return ledgererr.Messagef("%s", e.Message)
	}
	return ledgererr.CommittedInvalid(e.TransactionID, e.BlockNumber, e.ValidationCode)
}

// failureOf is the status, code and catalogue sentence of a failure around
// the chaincode. Fabric's own text (peer and orderer addresses, MSP IDs,
// gRPC codes) goes to the gateway's log with the request ID, not to the
// caller, who can act on the kind of failure only.
func failureOf(kind chain.Kind) (int, string, ledgererr.Failure) {
	switch kind {
	case chain.KindEndorsement:
		return http.StatusBadGateway, string(kind), ledgererr.FailureEndorsement
	case chain.KindOrdering:
		return http.StatusServiceUnavailable, string(kind), ledgererr.FailureOrdering
	case chain.KindUnavailable:
		return http.StatusServiceUnavailable, string(kind), ledgererr.FailureUnavailable
	case chain.KindOutcomeUnknown:
		return http.StatusGatewayTimeout, string(kind), ledgererr.FailureOutcomeUnknown
	case chain.KindTimeout:
		return http.StatusGatewayTimeout, string(kind), ledgererr.FailureTimeout
	default: // KindUnknownMember, KindInternal
		return http.StatusInternalServerError, CodeInternal, ledgererr.FailureGateway
	}
}

// logError puts e on the request's log line and metrics: its code, message and what Fabric said.
func logError(r *http.Request, e *apiError) {
	info := infoFrom(r.Context())
	if info == nil {
		return
	}
	if e.body.TransactionID != "" && info.txID == "" {
		info.txID = e.body.TransactionID
	}
	info.errCode, info.errMessage, info.errDetail = e.body.Code, e.body.Message, e.detail
}

// writeError answers with the error shape.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		e = fromLedger(err)
	}
	logError(r, e)
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
