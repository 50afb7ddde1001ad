package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/idempotency"
	"github.com/deltaledger/deltaledger/gateway/internal/ledger"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
)

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 200

// chaincode serves a route that runs one chaincode function.
func (s *Server) chaincode(rt routes.Route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.bind(w, r, rt)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if rt.Submit {
			s.submit(w, r, rt, c)
			return
		}
		s.evaluate(w, r, rt, c)
	}
}

func (s *Server) evaluate(w http.ResponseWriter, r *http.Request, rt routes.Route, c *call) {
	var options []ledger.CallOption
	if len(c.transient) > 0 {
		options = append(options, ledger.WithTransient(c.transient))
	}
	if rt.OwnOrg && s.mspID != "" {
		options = append(options, ledger.WithEndorsingOrganizations(s.mspID))
	}
	payload, err := s.ledger.Evaluate(r.Context(), caller(r).Member, rt.Function, c.args, options...)
	if err != nil {
		writeError(w, r, err)
		return
	}
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
			m[f], _ = json.Marshal(encodeCursor(bookmark))
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
		writeError(w, r, newError(http.StatusBadGateway, CodeInternal, "the chaincode answered a list with something other than {items, bookmark}: %v", err))
		return
	}
	if p.Items == nil {
		p.Items = []json.RawMessage{}
	}
	writeJSON(w, http.StatusOK, routes.PageBody{Items: p.Items, NextCursor: encodeCursor(p.Bookmark)})
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

// submit runs a submit, answering the first outcome again for a retry with
// the same Idempotency-Key.
func (s *Server) submit(w http.ResponseWriter, r *http.Request, rt routes.Route, c *call) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" || s.idem == nil {
		s.answer(w, r, s.runSubmit(r, rt, c))
		return
	}
	if len(key) > maxIdempotencyKey || !printable(key) {
		writeError(w, r, invalid("Idempotency-Key", "must be 1 to %d printable ASCII characters", maxIdempotencyKey))
		return
	}
	storeKey := caller(r).Member + "\x00" + key
	prior, ticket, err := s.idem.Begin(r.Context(), storeKey, c.fingerprint)
	switch {
	case errors.Is(err, idempotency.ErrKeyReused):
		writeError(w, r, newError(http.StatusUnprocessableEntity, CodeKeyReused, "%s", err.Error()))
		return
	case err != nil:
		writeError(w, r, err)
		return
	}
	if prior != nil {
		s.metrics.IdempotentReplay()
		if info := infoFrom(r.Context()); info != nil {
			info.replayed = true
		}
		w.Header().Set("Idempotent-Replayed", "true")
		if prior.Pending {
			resolved := s.resolvePending(r, *prior)
			if !resolved.Pending {
				_ = s.idem.Update(storeKey, resolved)
			}
			prior = &resolved
		}
		setTransaction(r.Context(), prior.TransactionID)
		writeRaw(w, prior.Status, prior.Body)
		return
	}
	o := s.runSubmit(r, rt, c)
	if o.abandon {
		ticket.Abandon()
	} else if err := ticket.Complete(o.Outcome); err != nil {
		s.log.Error("recording an idempotent outcome", "error", err, "transaction_id", o.TransactionID)
	}
	s.answer(w, r, o)
}

// submitOutcome is an answer to a submit, as stored for idempotent retries.
type submitOutcome struct {
	idempotency.Outcome
	header  http.Header
	abandon bool // nothing was submitted: a retry may run the request again
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, o submitOutcome) {
	setTransaction(r.Context(), o.TransactionID)
	for k, vs := range o.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if o.Status >= 400 {
		if info := infoFrom(r.Context()); info != nil {
			var body struct{ Code, Message string }
			_ = json.Unmarshal(o.Body, &body)
			info.errCode, info.errMessage = body.Code, body.Message
		}
	}
	writeRaw(w, o.Status, o.Body)
}

// runSubmit submits the transaction and turns the result into an outcome.
// The submit runs on a context detached from the client's: once a
// transaction is endorsed and sent, it is followed to its commit even if the
// client goes away, so that its outcome is recorded.
func (s *Server) runSubmit(r *http.Request, rt routes.Route, c *call) submitOutcome {
	ctx := context.WithoutCancel(r.Context())
	var options []ledger.CallOption
	if len(c.transient) > 0 {
		options = append(options, ledger.WithTransient(c.transient))
	}
	if !c.wait {
		options = append(options, ledger.WithoutCommitWait())
	}
	if rt.OwnOrg && s.mspID != "" {
		options = append(options, ledger.WithEndorsingOrganizations(s.mspID))
	}
	res, err := s.ledger.Submit(ctx, caller(r).Member, rt.Function, c.args, options...)
	o := submitOutcome{Outcome: idempotency.Outcome{Fingerprint: c.fingerprint, SuccessStatus: rt.SuccessStatus()}}
	if err != nil {
		e := fromLedger(err)
		o.TransactionID = e.body.TransactionID
		o.Status = e.status
		o.Body, _ = json.Marshal(e.body)
		le := ledger.AsError(err)
		switch le.Kind {
		case ledger.KindRejected, ledger.KindCommitFailed:
			// Final: the same request would be refused again, or the
			// transaction was committed (invalid) and must not be repeated
			// silently.
		case ledger.KindOutcomeUnknown:
			o.Pending = true
			o.Result = jsonOrNull(le.Result)
			o.header = http.Header{"Location": {statusURL(o.TransactionID)}}
		default:
			o.abandon = true
		}
		return o
	}
	o.TransactionID = res.TransactionID
	s.recent.put(res.TransactionID, res.Result)
	if !res.Committed {
		o.Status = http.StatusAccepted
		o.Body, _ = json.Marshal(routes.AcceptedBody{TransactionID: res.TransactionID, StatusURL: statusURL(res.TransactionID)})
		o.header = http.Header{"Location": {statusURL(res.TransactionID)}}
		return o
	}
	o.Status = rt.SuccessStatus()
	o.Body = submitBody(res.TransactionID, res.BlockNumber, res.Result)
	return o
}

func submitBody(txID string, block uint64, result []byte) []byte {
	body := routes.SubmitBody{TransactionID: txID, BlockNumber: block}
	if len(bytes.TrimSpace(result)) > 0 {
		body.Result = jsonOrNull(result)
	}
	b, _ := json.Marshal(body)
	return b
}

func statusURL(txID string) string {
	return "/v1/transactions/" + url.PathEscape(txID)
}

// resolvePending reads the commit status of a transaction whose outcome was
// unknown and returns its final outcome when it is known.
func (s *Server) resolvePending(r *http.Request, o idempotency.Outcome) idempotency.Outcome {
	ctx, cancel := context.WithTimeout(r.Context(), s.resolveWait)
	defer cancel()
	st, err := s.ledger.CommitStatus(ctx, caller(r).Member, o.TransactionID)
	if err != nil || !st.Committed {
		return o
	}
	o.Pending = false
	if st.Valid {
		o.Status = o.SuccessStatus
		if o.Status == 0 {
			o.Status = http.StatusOK
		}
		o.Body = submitBody(o.TransactionID, st.BlockNumber, o.Result)
		return o
	}
	e := fromLedger(&ledger.Error{Kind: ledger.KindCommitFailed, TransactionID: o.TransactionID, ValidationCode: st.Code,
		Message: "transaction " + o.TransactionID + " was committed in block " + itoa(st.BlockNumber) + " as invalid: " + st.Code})
	o.Status = e.status
	o.Body, _ = json.Marshal(e.body)
	return o
}

// transactionStatus serves GET /v1/transactions/{txid}.
func (s *Server) transactionStatus(w http.ResponseWriter, r *http.Request) {
	txID := r.PathValue("txid")
	if !txIDForm(txID) {
		writeError(w, r, invalid("txid", "must be a transaction ID: 64 lowercase hexadecimal characters"))
		return
	}
	if len(r.URL.RawQuery) > 0 {
		writeError(w, r, invalid(strings.SplitN(r.URL.RawQuery, "=", 2)[0], "is not a query parameter of this operation"))
		return
	}
	setTransaction(r.Context(), txID)
	ctx, cancel := context.WithTimeout(r.Context(), s.statusWait)
	defer cancel()
	st, err := s.ledger.CommitStatus(ctx, caller(r).Member, txID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	body := routes.TransactionStatusBody{TransactionID: txID, Committed: st.Committed, Valid: st.Valid, Code: st.Code, BlockNumber: st.BlockNumber}
	if st.Valid {
		if result, ok := s.recent.get(txID); ok && len(bytes.TrimSpace(result)) > 0 {
			body.Result = jsonOrNull(result)
		}
	}
	writeJSON(w, http.StatusOK, body)
}

func txIDForm(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func itoa(n uint64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// recentResults remembers the chaincode results of transactions this
// gateway submitted, so that the status of a ?wait=false submit can report
// the result once committed.
type recentResults struct {
	mu    sync.Mutex
	max   int
	ttl   time.Duration
	m     map[string]recentResult
	order []string
}

type recentResult struct {
	result []byte
	at     time.Time
}

func newRecentResults(max int, ttl time.Duration) *recentResults {
	return &recentResults{max: max, ttl: ttl, m: map[string]recentResult{}}
}

func (c *recentResults) put(txID string, result []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[txID]; !ok {
		c.order = append(c.order, txID)
	}
	c.m[txID] = recentResult{result: result, at: time.Now()}
	for len(c.order) > c.max {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *recentResults) get(txID string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[txID]
	if !ok || time.Since(r.at) > c.ttl {
		return nil, false
	}
	return r.result, true
}
