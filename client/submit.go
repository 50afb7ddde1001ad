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
// restarts too.
func WithIdempotencyKey(key string) SubmitOption {
	return func(s *submitSettings) { s.key, s.noKey = key, false }
}

// NoIdempotencyKey submits without an Idempotency-Key, so the client never
// retries the submit by itself: a 503 or 429 is answered to the caller.
func NoIdempotencyKey() SubmitOption {
	return func(s *submitSettings) { s.key, s.noKey = "", true }
}

// NoWait answers as soon as the transaction is accepted for ordering (the
// gateway's 202 with ?wait=false), without waiting for its commit: the
// Submitted has Committed false, no block and no result yet. Follow it with
// Submitted.Wait or Transactions().Wait.
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

// newIdempotencyKey returns a random key.
func newIdempotencyKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather)
	return "dlc-" + hex.EncodeToString(b)
}

// submit runs a transaction: method (POST or PUT) on path with a JSON body.
func submit[T any](ctx context.Context, c *Client, method, path string, body any, opts []SubmitOption) (*Submitted[T], error) {
	var s submitSettings
	for _, o := range opts {
		o(&s)
	}
	if !s.noKey && s.key == "" {
		s.key = newIdempotencyKey()
	}
	if body == nil {
		body = struct{}{}
	}
	req := &request{method: method, path: path, body: body, idempotent: s.key != "", header: http.Header{}}
	if s.key != "" {
		req.header.Set("Idempotency-Key", s.key)
	}
	req.query = s.query
	if s.noWait {
		if req.query == nil {
			req.query = url.Values{}
		}
		req.query.Set("wait", "false")
	}
	b, a, err := send[submitBody](ctx, c, req)
	if err != nil {
		return nil, err
	}
	out := &Submitted[T]{
		TransactionID:  b.TransactionID,
		BlockNumber:    b.BlockNumber,
		Committed:      a.status != http.StatusAccepted,
		IdempotencyKey: s.key,
		Replayed:       a.header.Get("Idempotent-Replayed") == "true",
		client:         c,
	}
	if out.Committed && len(b.Result) > 0 && string(b.Result) != "null" {
		var v T
		if err := json.Unmarshal(b.Result, &v); err != nil {
			return nil, err
		}
		out.Result = &v
	}
	return out, nil
}
