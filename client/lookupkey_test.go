package client

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// keyedCall is one of the calls that submit a transaction without being a
// submit of their own (they answer after the commit, with an answer of
// their own), and the gateway's answer to it.
type keyedCall struct {
	name   string
	answer any
	call   func(c *Client, opts ...SubmitOption) (key string, err error)
}

const lookupUSCC = "91310000MA1FL1800B"

func keyedCalls() []keyedCall {
	lookup := map[string]any{"transaction_id": txA, "block_number": 5, "complete": true, "records": []any{}, "holders": []any{},
		"trace": map[string]any{"traceId": "trace-1", "expiresAt": "2026-12-07T13:15:00Z"}}
	return []keyedCall{
		{"Lookup", lookup, func(c *Client, opts ...SubmitOption) (string, error) {
			res, err := c.Credit().Lookup(context.Background(), lookupUSCC, LookupRequest{Purpose: "due diligence", AuthorizationID: "auth-1"}, opts...)
			if err != nil {
				return "", err
			}
			return res.IdempotencyKey, nil
		}},
		{"Attest", map[string]any{"figures": map[string]any{"period": "day:2026-03-04"}}, func(c *Client, opts ...SubmitOption) (string, error) {
			res, err := c.Indices().Attest(context.Background(), "day:2026-03-04", 40, opts...)
			if err != nil {
				return "", err
			}
			return res.IdempotencyKey, nil
		}},
		{"Publish", map[string]any{"transaction_id": txA, "block_number": 5, "result": map[string]any{"period": "day:2026-03-04"}}, func(c *Client, opts ...SubmitOption) (string, error) {
			res, err := c.Indices().Publish(context.Background(), "day:2026-03-04", 40, []string{"ShanghaiMSP"}, opts...)
			if err != nil {
				return "", err
			}
			return res.IdempotencyKey, nil
		}},
	}
}

// A lookup commits a trace the subject sees, and an attestation or a
// publication a transaction: each carries an Idempotency-Key, generated
// when none is given, and the client's retry after a 503 sends the same
// one, which the gateway answers with the first outcome. They carried none
// and were never retried: a lookup answered 503 by a proxy after its trace
// committed could only be called again, writing a second trace.
func TestLookupAttestAndPublishRetryWithTheSameGeneratedKey(t *testing.T) {
	for _, kc := range keyedCalls() {
		t.Run(kc.name, func(t *testing.T) {
			n := 0
			g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if n++; n == 1 {
					fail(w, 503, "UNAVAILABLE", "peer unavailable")
					return
				}
				reply(w, 200, kc.answer)
			})
			key, err := kc.call(g.c)
			require.NoError(t, err)
			reqs := g.requests()
			require.Len(t, reqs, 2, "a 503 is retried once a key makes it safe")
			assert.Regexp(t, `^dlc-[0-9a-f]{32}$`, reqs[0].Header.Get("Idempotency-Key"))
			assert.Equal(t, reqs[0].Header.Get("Idempotency-Key"), reqs[1].Header.Get("Idempotency-Key"), "the retry carries the first try's key")
			assert.Equal(t, reqs[0].RawQuery, reqs[1].RawQuery)
			assert.Equal(t, reqs[0].Header.Get("Idempotency-Key"), key, "the result names the key it was made with")

			// A second call is another operation: another key.
			_, err = kc.call(g.c)
			require.NoError(t, err)
			assert.NotEqual(t, reqs[0].Header.Get("Idempotency-Key"), g.last().Header.Get("Idempotency-Key"))
		})
	}
}

// WithIdempotencyKey makes the application's own repeat of the call safe
// (it had no way to give a key at all), and NoIdempotencyKey makes a call
// that is never retried: a retry without a key could commit twice.
func TestLookupAttestAndPublishTakeTheCallersKeyAndNeverRetryWithoutOne(t *testing.T) {
	for _, kc := range keyedCalls() {
		t.Run(kc.name, func(t *testing.T) {
			g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { reply(w, 200, kc.answer) })
			key, err := kc.call(g.c, WithIdempotencyKey("lookup-acme-2026-12"))
			require.NoError(t, err)
			assert.Equal(t, "lookup-acme-2026-12", g.last().Header.Get("Idempotency-Key"))
			assert.Equal(t, "lookup-acme-2026-12", key)

			g = newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				fail(w, 503, "UNAVAILABLE", "peer unavailable")
			})
			_, err = kc.call(g.c, NoIdempotencyKey())
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 503, e.Status)
			require.Len(t, g.requests(), 1, "a call without a key is never retried")
			assert.Empty(t, g.last().Header.Get("Idempotency-Key"))

			// They answer after the commit: NoWait would be a query
			// parameter the route refuses, so it is refused here, naming
			// the call, and nothing is sent.
			g = newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { reply(w, 200, kc.answer) })
			_, err = kc.call(g.c, NoWait())
			require.ErrorContains(t, err, "NoWait does not apply to "+kc.name)
			assert.Empty(t, g.requests())
		})
	}
}

// The lookup's path and query are as before, the key beside them, and the
// gateway's replay (Idempotent-Replayed) reaches the result.
func TestCreditLookupRequestAndReplay(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Idempotent-Replayed", "true")
		reply(w, 200, keyedCalls()[0].answer)
	})
	res, err := g.c.Credit().Lookup(context.Background(), lookupUSCC, LookupRequest{Purpose: "due diligence", AuthorizationID: "auth-1"}, WithIdempotencyKey("k1"))
	require.NoError(t, err)
	r := g.last()
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, "/v1/credit/subjects/91310000MA1FL1800B/records", r.Path)
	assert.Equal(t, "authorization=auth-1&purpose=due+diligence", r.RawQuery)
	assert.Empty(t, r.Body, "a GET has no body")
	assert.True(t, res.Replayed)
	assert.Equal(t, "trace-1", res.Trace.TraceID)
	assert.NoError(t, res.Err())
}

// A lookup some holding org's peer did not answer is answered 200 with
// complete false. Lookup returned it as a success, and a caller that did not
// read Complete took it for the whole answer ("no DEFAULT record"); now it
// returns the result and an error naming the orgs that did not answer, the
// records without verified contents, and the key to repeat it with.
func TestAnIncompleteLookupIsAnErrorWithItsResult(t *testing.T) {
	contents := `{"type":"RATING","grade":"AA"}`
	answer := wire.CreditLookupBody{TransactionID: txA, BlockNumber: 5,
		Trace: model.Trace{TraceID: "trace-1", ExpiresAt: "2026-12-07T13:15:00Z"},
		Records: []wire.CreditRecordRead{
			{Record: model.Record{RecordID: "r-sh", AgencyMSP: "ShanghaiMSP", ContentHash: SHA256([]byte(contents))}, HeldBy: "ShanghaiMSP", Contents: []byte(contents), Verified: true},
			{Record: model.Record{RecordID: "r-js", AgencyMSP: "JiangsuMSP"}, HeldBy: "JiangsuMSP"},
			{Record: model.Record{RecordID: "r-old", AgencyMSP: "ShanghaiMSP"}, HeldBy: "ShanghaiMSP", Expired: true},
		},
		Holders: []wire.CreditHolder{
			{MSPID: "JiangsuMSP", Error: &wire.ErrorBody{Code: "NOT_FOUND", Message: "trace trace-1 not found"}},
			{MSPID: "ShanghaiMSP", OK: true},
		},
	}
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { reply(w, 200, answer) })
	res, err := g.c.Credit().Lookup(context.Background(), lookupUSCC, LookupRequest{Purpose: "due diligence"}, WithIdempotencyKey("lookup-1"))
	var incomplete *IncompleteLookupError
	require.ErrorAs(t, err, &incomplete)
	require.NotNil(t, res, "the records received stay available")
	assert.Len(t, res.Records, 3)
	assert.Equal(t, err, res.Err())
	assert.Equal(t, "trace-1", incomplete.TraceID)
	assert.Equal(t, "2026-12-07T13:15:00Z", incomplete.ExpiresAt)
	assert.Equal(t, "lookup-1", incomplete.IdempotencyKey)
	require.Len(t, incomplete.Holders, 1)
	assert.Equal(t, "JiangsuMSP", incomplete.Holders[0].MSPID)
	assert.Equal(t, []string{"r-js"}, incomplete.Records, "a record withheld as expired is not missing")
	assert.Equal(t, "deltaledger: the lookup under trace trace-1 is incomplete: the peers of JiangsuMSP (NOT_FOUND: trace trace-1 not found) did not answer, "+
		"and the records those orgs hold may be missing; the contents of r-js did not come verified; "+
		"repeat it with the Idempotency-Key lookup-1 before 2026-12-07T13:15:00Z to read them again under the same trace", err.Error())
	assert.Contains(t, incomplete.In(ledgererr.Chinese), "JiangsuMSP (NOT_FOUND: trace trace-1 not found) 的节点没有应答")
	assert.Contains(t, incomplete.In(ledgererr.Chinese), "以 Idempotency-Key lookup-1 重复")

	// Without a key there is nothing to repeat it under.
	_, err = g.c.Credit().Lookup(context.Background(), lookupUSCC, LookupRequest{Purpose: "due diligence"}, NoIdempotencyKey())
	require.ErrorAs(t, err, &incomplete)
	assert.NotContains(t, err.Error(), "Idempotency-Key")

	// A complete answer is no error.
	answer.Complete, answer.Holders[0] = true, wire.CreditHolder{MSPID: "JiangsuMSP", OK: true}
	answer.Records = answer.Records[:1]
	res, err = g.c.Credit().Lookup(context.Background(), lookupUSCC, LookupRequest{Purpose: "due diligence"})
	require.NoError(t, err)
	assert.NoError(t, res.Err())
}
