package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// chaincode serves a route that runs one chaincode function.
func (s *Server) chaincode(rt routes.ChaincodeRoute) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.bind(w, r, rt)
		if err != nil {
			writeError(w, r, err)
			return
		}
		switch {
		case caller(r).SignsItself():
			s.propose(w, r, rt, c)
		case rt.Submit:
			s.submit(w, r, rt, c)
		default:
			s.evaluate(w, r, rt, c)
		}
	}
}

func (s *Server) evaluate(w http.ResponseWriter, r *http.Request, rt routes.ChaincodeRoute, c *call) {
	payload, err := s.transactions.Evaluate(r.Context(), callOf(r, rt, c))
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.writeEvaluated(w, r, rt, payload)
}

// writeEvaluated answers the response of an evaluated function.
func (s *Server) writeEvaluated(w http.ResponseWriter, r *http.Request, rt routes.ChaincodeRoute, payload []byte) {
	if rt.List {
		s.writePage(w, r, payload)
		return
	}
	if len(rt.CursorFields) > 0 {
		payload = cursorFields(payload, rt.CursorFields)
	}
	writeRaw(w, http.StatusOK, jsonOrNull(payload))
}

// cursorFields rewrites the named top-level string fields of a JSON object,
// chaincode bookmarks, as opaque cursors.
func cursorFields(payload []byte, fields []string) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(payload, &m) != nil {
		return payload
	}
	for _, f := range fields {
		var bookmark string
		if raw, ok := m[f]; ok && json.Unmarshal(raw, &bookmark) == nil {
			m[f], _ = json.Marshal(routes.EncodeCursor(bookmark))
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		return payload
	}
	return out
}

// chaincodePage is the page every list function returns.
type chaincodePage struct {
	Items    []json.RawMessage `json:"items"`
	Bookmark string            `json:"bookmark"`
}

// writePage answers a chaincode page as {items, next_cursor}.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, payload []byte) {
	var p chaincodePage
	if err := json.Unmarshal(payload, &p); err != nil {
		// What encoding/json says is for the log (Go types, offsets).
		e := newError(http.StatusBadGateway, CodeInternal, "the chaincode answered a list with something other than {items, bookmark}")
		e.detail = err.Error()
		writeError(w, r, e)
		return
	}
	if p.Items == nil {
		p.Items = []json.RawMessage{}
	}
	writeJSON(w, http.StatusOK, wire.PageBody{Items: p.Items, NextCursor: routes.EncodeCursor(p.Bookmark)})
}

// jsonOrNull returns a chaincode response as a JSON body: JSON as is, an
// empty response as null and anything else as a JSON string.
func jsonOrNull(payload []byte) []byte {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 {
		return []byte("null")
	}
	if json.Valid(trimmed) {
		return trimmed
	}
	b, _ := json.Marshal(string(payload))
	return b
}

// callOf is the chaincode call a bound request makes.
func callOf(r *http.Request, rt routes.ChaincodeRoute, c *call) transactions.Call {
	return transactions.Call{Member: caller(r).Member, Function: rt.Function, Args: c.args, Transient: c.transient, Orgs: c.orgs}
}

// submit submits through the transaction manager, which answers the first
// outcome again for a retry with the same Idempotency-Key.
func (s *Server) submit(w http.ResponseWriter, r *http.Request, rt routes.ChaincodeRoute, c *call) {
	o, err := s.submitted(r, transactions.Submission{Call: callOf(r, rt, c), Wait: c.wait, Fingerprint: c.fingerprint(), Sender: caller(r).Sender()})
	if err != nil {
		writeError(w, r, err)
		return
	}
	if o.Replayed {
		replayed(w.Header())
	}
	switch {
	case !o.Committed:
		w.Header().Set("Location", statusURL(o.TransactionID))
		writeJSON(w, http.StatusAccepted, wire.AcceptedBody{TransactionID: o.TransactionID, StatusURL: statusURL(o.TransactionID)})
	default:
		s.committedIn(w, o.BlockNumber)
		writeRaw(w, rt.SuccessStatus(), submitBody(o.TransactionID, o.BlockNumber, o.Result))
	}
}

// idempotencyKey is the request's Idempotency-Key, "" for none.
func idempotencyKey(r *http.Request) (string, error) {
	key := r.Header.Get("Idempotency-Key")
	if key != "" && (len(key) > wire.MaxIdempotencyKeyLength || !printable(key)) {
		return "", invalid("Idempotency-Key", "must be 1 to %d printable ASCII characters", wire.MaxIdempotencyKeyLength)
	}
	return key, nil
}

// replayed marks an answer given again to a retry with the same Idempotency-Key.
func replayed(h http.Header) { h.Set("Idempotent-Replayed", "true") }

// submitted submits sub, with the request's Idempotency-Key, through the transaction manager: the one submit path of
// the chaincode routes and of the gateway's own routes that commit (the indices' attestation and publication, the
// credit lookup's trace). A retry with the same key is answered the first outcome (Outcome.Replayed, which the caller
// marks on its answer: replayed), a transaction whose outcome was unknown resolved. It returns the outcome of a
// transaction committed, or accepted for ordering (sub.Wait false), or the error to answer: the request's, a refusal,
// a failed commit, an unknown outcome (with the transaction's status URL).
func (s *Server) submitted(r *http.Request, sub transactions.Submission) (*transactions.Outcome, error) {
	key, err := idempotencyKey(r)
	if err != nil {
		return nil, err
	}
	sub.Key = key
	o, err := s.transactions.Submit(r.Context(), sub)
	var full *transactions.KeysFullError
	switch {
	case errors.Is(err, transactions.ErrKeyReused):
		return nil, newError(http.StatusUnprocessableEntity, CodeKeyReused, "%v", err)
	case errors.As(err, &full):
		// A new key past the member's or the store's bound: nothing was submitted (a key already used is answered).
		e := newError(http.StatusTooManyRequests, CodeRateLimited, "%v", err)
		e.header = retryAfter(full.RetryAfter)
		return nil, e
	case o == nil:
		return nil, err
	case err != nil:
		s.log.Error("submitting", "error", err, "transaction_id", o.TransactionID)
	}
	if o.Replayed {
		s.metrics.IdempotentReplay()
		if info := infoFrom(r.Context()); info != nil {
			info.replayed = true
		}
	}
	setTransaction(r.Context(), o.TransactionID)
	if o.Failure == nil {
		return o, nil
	}
	e := fromLedger(o.Failure)
	if e.header == nil {
		e.header = http.Header{}
	}
	if o.Replayed {
		replayed(e.header)
	}
	if o.Pending() {
		e.header.Set("Location", statusURL(o.TransactionID))
	}
	return nil, e
}

func submitBody(txID string, block uint64, result []byte) []byte {
	body := wire.SubmitBody{TransactionID: txID, BlockNumber: block}
	if len(bytes.TrimSpace(result)) > 0 {
		body.Result = jsonOrNull(result)
	}
	b, _ := json.Marshal(body)
	return b
}

func statusURL(txID string) string {
	return "/v1/transactions/" + url.PathEscape(txID)
}

// transactionStatus serves GET /v1/transactions/{txid}: to a member who signs its own calls, for its own
// transactions only (transactions.Manager.SignerStatus).
func (s *Server) transactionStatus(w http.ResponseWriter, r *http.Request) {
	txID, err := transactionID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if len(r.URL.RawQuery) > 0 {
		writeError(w, r, invalidRule(strings.SplitN(r.URL.RawQuery, "=", 2)[0], ledgererr.RuleNotAQueryParameter))
		return
	}
	setTransaction(r.Context(), txID)
	cl := caller(r)
	var st *transactions.Status
	if cl.SignsItself() {
		catchingUp := s.indexCatchingUp(r.Context(), txID) // before the index is asked, whatever the ID
		st, err = s.transactions.SignerStatus(r.Context(), cl.Name(), txID)
		if catchingUp != nil && transactions.IsUnknown(err) {
			err = catchingUp
		}
		if err != nil {
			err = indexError(err) // it may read the ledger index: its database's words stay in the log
		}
	} else {
		st, err = s.transactions.Status(r.Context(), cl.Member, cl.Sender(), txID)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	body := wire.TransactionStatusBody{TransactionID: txID, Committed: st.Committed, Valid: st.Valid, Code: st.Code, BlockNumber: st.BlockNumber}
	if len(bytes.TrimSpace(st.Result)) > 0 {
		body.Result = jsonOrNull(st.Result)
	}
	writeJSON(w, http.StatusOK, body)
}

// transactionID is the {txid} of the request's path, refused unless it is
// a transaction ID: 64 lowercase hexadecimal characters.
func transactionID(r *http.Request) (string, error) {
	s := r.PathValue("txid")
	ok := len(s) == 64
	for _, c := range s {
		ok = ok && (c >= '0' && c <= '9' || c >= 'a' && c <= 'f')
	}
	if !ok {
		return "", invalid("txid", "must be a transaction ID: 64 lowercase hexadecimal characters")
	}
	return s, nil
}
