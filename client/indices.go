package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// IndicesService reads and publishes the market's published indices: the
// monitoring figures of closed periods that a majority of the regions
// computed alike (gateway/README.md, "Published indices").
type IndicesService struct{ c *Client }

// Indices returns the published indices.
func (c *Client) Indices() *IndicesService { return &IndicesService{c} }

// List iterates over the published periods, newest first (by the period's
// end, then its start), each publication as the chain vouches for it (any
// member). The order is the gateway's ledger index's: a gateway that keeps
// none answers 404, and ListByKey reads the chain alone.
func (s *IndicesService) List(ctx context.Context, opts ...ListOption) iter.Seq2[model.Publication, error] {
	return list[model.Publication](ctx, s.c, "/v1/indices", nil, opts)
}

// ListByKey iterates over the published periods in the chaincode's key
// order (every day: period before every hour:, minute: and month: one, each
// kind oldest first), read from the chain alone (any member).
func (s *IndicesService) ListByKey(ctx context.Context, opts ...ListOption) iter.Seq2[model.Publication, error] {
	return list[model.Publication](ctx, s.c, "/v1/indices/by-key", nil, opts)
}

// Get returns a period's publication: the figures (JSON text), block range,
// hashes and digest (any member).
func (s *IndicesService) Get(ctx context.Context, period string) (*model.Publication, error) {
	return getAt[model.Publication](ctx, s.c, "/v1/indices/%s", seg("period", period))
}

// CSV downloads a published period's figures as CSV: table is divisions
// (when ""), priceIndex or activity.
func (s *IndicesService) CSV(ctx context.Context, period, table string) ([]byte, error) {
	path, err := pathf("/v1/indices/%s/figures.csv", seg("period", period))
	if err != nil {
		return nil, err
	}
	v := url.Values{}
	if table != "" {
		v.Set("table", table)
	}
	a, err := s.c.do(ctx, &request{method: http.MethodGet, path: path, query: v, idempotent: true})
	if err != nil {
		return nil, err
	}
	return a.body, nil
}

func periodPath(pattern, period string, toBlock uint64) (string, url.Values, error) {
	path, err := pathf(pattern, seg("period", period))
	return path, url.Values{"toBlock": {strconv.FormatUint(toBlock, 10)}}, err
}

// Computed returns the gateway's computation of a period's figures up to
// toBlock, without attesting them (any member; it takes from the member's
// write budget, as its cost grows with the market's history, REST 8.0.0).
func (s *IndicesService) Computed(ctx context.Context, period string, toBlock uint64) (*ledgerindex.ComputedIndices, error) {
	path, q, err := periodPath("/v1/indices/%s/computed", period, toBlock)
	if err != nil {
		return nil, err
	}
	return getQuery[ledgerindex.ComputedIndices](ctx, s.c, path, q)
}

// AttestResult is the answer of an attestation: the figures the gateway
// computed, which its org attested, and how the call went. It encodes as
// the gateway's answer does.
type AttestResult struct {
	ledgerindex.ComputedIndices
	// IdempotencyKey is the key the attestation was made with ("" with
	// NoIdempotencyKey).
	IdempotencyKey string `json:"-"`
	// Replayed is true when the gateway answered an earlier attestation
	// made with the same key (header Idempotent-Replayed) rather than
	// attesting: its figures are those that attestation recorded.
	Replayed bool `json:"-"`
}

// Attest has the gateway compute a period's figures up to toBlock and
// record its org's attestation of them (a regulator or an operator). It
// submits a transaction, and takes the SubmitOptions a submit does (but
// NoWait: it answers after the commit): it carries an Idempotency-Key,
// generated unless WithIdempotencyKey gives one or NoIdempotencyKey drops
// it, with which the client retries it after a 429 or 503 and the gateway
// answers a retry the first attestation (REST API 11.0.0, Replayed); a
// retry whose figures now differ from those attested under the key is a
// 409 naming GET /v1/indices/{period}/attestation. Without a key it is
// never retried. Its error carries the key (IdempotencyKeyOf). See Lookup
// for why the client does not check the gateway's version.
func (s *IndicesService) Attest(ctx context.Context, period string, toBlock uint64, opts ...SubmitOption) (*AttestResult, error) {
	path, q, err := periodPath("/v1/indices/%s/attest", period, toBlock)
	if err != nil {
		return nil, err
	}
	req, st, err := keyedAndCommitted("Attest", http.MethodPost, path, q, opts)
	if err != nil {
		return nil, err
	}
	v, a, err := send[ledgerindex.ComputedIndices](ctx, s.c, req)
	if err != nil {
		return nil, err
	}
	return &AttestResult{ComputedIndices: *v, IdempotencyKey: st.key, Replayed: replayedAnswer(a)}, nil
}

// Attestation returns the attestation of a period the gateway's org
// recorded (a regulator or an operator of that org).
func (s *IndicesService) Attestation(ctx context.Context, period string) (*model.Attestation, error) {
	return getAt[model.Attestation](ctx, s.c, "/v1/indices/%s/attestation", seg("period", period))
}

// Publish opens the period if needed and publishes the figures the gateway
// computes up to toBlock (the regulator). endorsingOrgs, when not empty,
// are the MSP IDs whose peers endorse; they must have attested the same
// figures. It takes the SubmitOptions a submit does (but NoWait: it
// answers after the commit) and carries an Idempotency-Key as Attest does:
// the client's own retries and the application's with the same
// WithIdempotencyKey are answered the first publication (Submitted.Replayed)
// rather than publishing again. Its error carries the key
// (IdempotencyKeyOf).
func (s *IndicesService) Publish(ctx context.Context, period string, toBlock uint64, endorsingOrgs []string, opts ...SubmitOption) (*Submitted[model.Publication], error) {
	path, q, err := periodPath("/v1/indices/%s/publish", period, toBlock)
	if err != nil {
		return nil, err
	}
	if len(endorsingOrgs) > 0 {
		q.Set(wire.EndorsingOrganizationsParam, strings.Join(endorsingOrgs, ","))
	}
	req, st, err := keyedAndCommitted("Publish", http.MethodPost, path, q, opts)
	if err != nil {
		return nil, err
	}
	return sendSubmit[model.Publication](ctx, s.c, req, st.key)
}
