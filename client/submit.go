package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/deltaledger/deltaledger/internal/locale"
)

// SubmitOption changes how a transaction is submitted.
type SubmitOption func(*submitSettings)

type submitSettings struct {
	key    string
	noKey  bool
	noWait bool
	query  url.Values // the operation's own query parameters
}

// WithIdempotencyKey submits with the given Idempotency-Key (1 to
// wire.MaxIdempotencyKeyLength printable ASCII characters) instead of a
// generated one. The gateway runs a
// key once per member: a repeated request with the same key answers the
// first outcome (Submitted.Replayed), and the same key with another request
// is a 422. Derive the key from the business operation (for example
// "pay-"+tradeID) to make the application's own retries safe, across process
// restarts too. It applies alike to the calls that submit a transaction
// and answer after its commit: CreditService.Lookup (whose repeat reads
// under the first trace), IndicesService.Attest and IndicesService.Publish.
// The error of a keyed call carries its key (IdempotencyKeyOf), generated
// or given, for the repeat after an unknown outcome or a lost answer.
//
// The gateway keeps a refusal under the key as it keeps a success (24 hours
// by default), and answers it again to a repeat (Error.Replayed): a new
// attempt after putting the cause right (an authorisation now in force, a
// role granted, a state reached) takes a new key, e.g. one derived from the
// operation and the attempt.
func WithIdempotencyKey(key string) SubmitOption {
	return func(s *submitSettings) { s.key, s.noKey = key, false }
}

// NoIdempotencyKey submits without an Idempotency-Key, so the client never
// retries the submit by itself: a 503 or 429 is answered to the caller.
// It is the choice against a gateway before REST API 11.0.0 for Lookup,
// Attest and Publish, which such a gateway runs again on a retry whatever
// its key (see CreditService.Lookup).
func NoIdempotencyKey() SubmitOption {
	return func(s *submitSettings) { s.key, s.noKey = "", true }
}

// NoWait answers as soon as the transaction is accepted for ordering (the
// gateway's 202 with ?wait=false), without waiting for its commit: the
// Submitted has Committed false, no block and no result yet. Follow it with
// Submitted.Wait or Transactions().Wait. Lookup, Attest and Publish, which
// answer after the commit, refuse it.
func NoWait() SubmitOption {
	return func(s *submitSettings) { s.noWait = true }
}

// Submitted is the outcome of a transaction that changed the ledger.
type Submitted[T any] struct {
	// TransactionID identifies the transaction.
	TransactionID string `json:"transaction_id"`
	// BlockNumber is the block that committed it (0 while not committed).
	BlockNumber uint64 `json:"block_number,omitempty"`
	// Committed is true once the transaction is committed (and valid); false
	// for a submit made with NoWait.
	Committed bool `json:"committed"`
	// Result is the chaincode's result, the record as the transaction left
	// it; nil while not committed.
	Result *T `json:"result,omitempty"`
	// IdempotencyKey is the key the submit was made with ("" with
	// NoIdempotencyKey).
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// Replayed is true when the gateway answered a previous submit's
	// outcome for the same idempotency key instead of running it again.
	Replayed bool `json:"replayed,omitempty"`

	client *Client
}

// Wait follows a submit made with NoWait to its commit and returns it with
// its block and (when the gateway still remembers it, an hour by default)
// its result. A transaction committed as invalid is a *Error with Code
// COMMIT_FAILED. A committed Submitted is returned as it is.
func (s *Submitted[T]) Wait(ctx context.Context) (*Submitted[T], error) {
	if s.Committed {
		return s, nil
	}
	if s.client == nil {
		return nil, errors.New("deltaledger: this Submitted was not made by a Client")
	}
	st, err := s.client.Transactions().Wait(ctx, s.TransactionID)
	if err != nil {
		return nil, err
	}
	if !st.Valid {
		return nil, commitFailed(locale.FromAcceptLanguage(s.client.language), st.TransactionID, st.BlockNumber, st.Code)
	}
	out := *s
	out.Committed, out.BlockNumber = true, st.BlockNumber
	if len(st.Result) > 0 && string(st.Result) != "null" {
		var v T
		if err := json.Unmarshal(st.Result, &v); err != nil {
			return nil, err
		}
		out.Result = &v
	}
	return &out, nil
}

// submitBody is the gateway's answer to a committed submit, or (202) to one
// accepted for ordering.
type submitBody struct {
	TransactionID string          `json:"transaction_id"`
	BlockNumber   uint64          `json:"block_number"`
	Result        json.RawMessage `json:"result"`
	StatusURL     string          `json:"status_url"`
}

// NewIdempotencyKey returns a random key, as a call that is given none
// sends: for an application (the CLI) that makes it before the call, to
// name it whatever the call's outcome, or to derive the keys of several
// calls from it.
func NewIdempotencyKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather)
	return "dlc-" + hex.EncodeToString(b)
}

// keyed is the request of a call that submits a transaction, with its
// settings: it carries the Idempotency-Key the options give, or a generated
// one, and only then is it retried (request.idempotent), since a retry
// without a key could commit the transaction twice. Every call that submits
// goes through it, the ones that answer a Submitted (submit) and those
// with an answer of their own (a credit lookup, an attestation).
func keyed(method, path string, body any, opts []SubmitOption) (*request, *submitSettings) {
	var s submitSettings
	for _, o := range opts {
		o(&s)
	}
	if !s.noKey && s.key == "" {
		s.key = NewIdempotencyKey()
	}
	req := &request{method: method, path: path, body: body, query: s.query, idempotent: s.key != "", header: http.Header{}}
	if s.key != "" {
		req.header.Set("Idempotency-Key", s.key)
	}
	return req, &s
}

// keyedAndCommitted is keyed for a call that always answers after the
// commit (a credit lookup, an index's attestation or publication): NoWait
// does not apply to it and is refused, naming the operation, rather than
// dropped.
func keyedAndCommitted(op, method, path string, query url.Values, opts []SubmitOption) (*request, *submitSettings, error) {
	req, s := keyed(method, path, nil, opts)
	if s.noWait {
		return nil, nil, failuref("NoWait does not apply to %s, which answers after its transaction commits", op)
	}
	if method != http.MethodGet {
		req.body = struct{}{}
	}
	req.query = query
	return req, s, nil
}

// replayedAnswer reports whether the gateway answered a previous call's
// outcome for the same Idempotency-Key.
func replayedAnswer(a *answer) bool { return a.header.Get("Idempotent-Replayed") == "true" }

// submit runs a transaction: method (POST or PUT) on path with a JSON body.
func submit[T any](ctx context.Context, c *Client, method, path string, body any, opts []SubmitOption) (*Submitted[T], error) {
	if body == nil {
		body = struct{}{}
	}
	req, s := keyed(method, path, body, opts)
	if s.noWait {
		if req.query == nil {
			req.query = url.Values{}
		}
		req.query.Set("wait", "false")
	}
	return sendSubmit[T](ctx, c, req, s.key)
}

// sendSubmit sends a submit's request, made with key, and reads its
// answer, committed (200) or accepted for ordering (202).
func sendSubmit[T any](ctx context.Context, c *Client, req *request, key string) (*Submitted[T], error) {
	b, a, err := send[submitBody](ctx, c, req)
	if err != nil {
		return nil, err
	}
	out := &Submitted[T]{
		TransactionID:  b.TransactionID,
		BlockNumber:    b.BlockNumber,
		Committed:      a.status != http.StatusAccepted,
		IdempotencyKey: key,
		Replayed:       replayedAnswer(a),
		client:         c,
	}
	if out.Committed && len(b.Result) > 0 && string(b.Result) != "null" {
		var v T
		if err := json.Unmarshal(b.Result, &v); err != nil {
			return nil, withKey(err, req)
		}
		out.Result = &v
	}
	return out, nil
}
