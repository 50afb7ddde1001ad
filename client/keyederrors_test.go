package client

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// keyedCallsAndASubmit are the calls that answer after their commit, and an
// ordinary submit, which carries its key the same way.
func keyedCallsAndASubmit() []keyedCall {
	return append(keyedCalls(), keyedCall{"Authorize", nil, func(c *Client, opts ...SubmitOption) (string, error) {
		res, err := c.Credit().Authorize(context.Background(), AuthorizeRequest{AuthID: "auth-1", GranteeID: "anhui.buyer", Purpose: "due diligence",
			ValidUntil: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}, opts...)
		if err != nil {
			return "", err
		}
		return res.IdempotencyKey, nil
	}})
}

// A keyed call that failed without its outcome (504 OUTCOME_UNKNOWN, a
// connection reset after the gateway got the request, the client's
// timeout) returned an error without the key it had generated: the
// transaction, a lookup's trace among them, could still commit, and the
// caller could only run the call again under a new key, writing a second
// trace the subject sees. The error carries the key, the gateway's *Error
// and an *UnansweredError alike, and a call without a key carries none.
func TestAKeyedCallsErrorCarriesItsKey(t *testing.T) {
	for _, kc := range keyedCallsAndASubmit() {
		t.Run(kc.name, func(t *testing.T) {
			g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				fail(w, 504, "OUTCOME_UNKNOWN", "the commit of transaction "+txA+" was not seen")
			})
			_, err := kc.call(g.c)
			var e *Error
			require.ErrorAs(t, err, &e)
			sent := g.last().Header.Get("Idempotency-Key")
			require.Regexp(t, `^dlc-[0-9a-f]{32}$`, sent)
			assert.Equal(t, sent, e.IdempotencyKey, "the gateway's error names the key the call sent")
			assert.Equal(t, sent, IdempotencyKeyOf(err))
			assert.True(t, IsOutcomeUnknown(err))

			_, err = kc.call(g.c, NoIdempotencyKey())
			require.ErrorAs(t, err, &e)
			assert.Empty(t, e.IdempotencyKey)
			assert.Empty(t, IdempotencyKeyOf(err))

			// The connection is reset after the gateway read the request.
			g = newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				conn, _, err := w.(http.Hijacker).Hijack()
				require.NoError(t, err)
				_ = conn.Close()
			})
			_, err = kc.call(g.c, WithIdempotencyKey("op-7"))
			var u *UnansweredError
			require.ErrorAs(t, err, &u)
			assert.Equal(t, "op-7", u.IdempotencyKey)
			assert.Equal(t, "op-7", IdempotencyKeyOf(err))
			assert.Equal(t, u.Err.Error(), err.Error(), "it reads as its cause")

			// The client's timeout ends the call: the cause stays visible.
			release := make(chan struct{})
			g = newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { <-release }, WithTimeout(50*time.Millisecond))
			_, err = kc.call(g.c)
			close(release)
			require.ErrorAs(t, err, &u)
			assert.Equal(t, g.last().Header.Get("Idempotency-Key"), u.IdempotencyKey)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		})
	}
}

// The gateway keeps a refusal under the key (24 hours) and marks its
// replay Idempotent-Replayed, but the error dropped the header: a lender
// repeating a lookup refused 403 (the authorisation not yet in force) under
// its business-derived key got the old 403 and took it for a fresh one.
func TestAReplayedRefusalSaysSo(t *testing.T) {
	for _, kc := range keyedCallsAndASubmit() {
		t.Run(kc.name, func(t *testing.T) {
			g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				w.Header().Set("Idempotent-Replayed", "true")
				fail(w, 403, "FORBIDDEN", "authorization auth-1 is not in force")
			})
			_, err := kc.call(g.c, WithIdempotencyKey("lookup-acme-1"))
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.True(t, e.Replayed)
			assert.Equal(t, "deltaledger: 403 FORBIDDEN: authorization auth-1 is not in force (replayed)", err.Error())
			assert.Equal(t, "deltaledger: 403 FORBIDDEN: authorization auth-1 is not in force（重放）", e.In(ledgererr.Chinese))

			g = newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				fail(w, 403, "FORBIDDEN", "authorization auth-1 is not in force")
			})
			_, err = kc.call(g.c, WithIdempotencyKey("lookup-acme-1"))
			require.ErrorAs(t, err, &e)
			assert.False(t, e.Replayed, "a fresh refusal is not marked")
			assert.NotContains(t, err.Error(), "replayed")
		})
	}
}

// A replayed attestation was indistinguishable from a new one: the answer
// dropped the header.
func TestAReplayedAttestationSaysSo(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Idempotent-Replayed", "true")
		reply(w, 200, keyedCalls()[1].answer)
	})
	res, err := g.c.Indices().Attest(context.Background(), "day:2026-03-04", 40, WithIdempotencyKey("attest-day-0304"))
	require.NoError(t, err)
	assert.True(t, res.Replayed)
	assert.Equal(t, "attest-day-0304", res.IdempotencyKey)
	assert.Equal(t, "day:2026-03-04", res.Figures.Period)
}

// A record the gateway marked verified, in a lookup it answered complete,
// whose contents do not match the public content hash here passed: Err
// returned nil whenever Complete was true, and so did a lookup whose
// holders said an org did not answer. Err checks the answer itself.
func TestALookupWhoseContentsFailTheLocalCheckIsAnError(t *testing.T) {
	contents := `{"type":"DEFAULT","summary":"none"}`
	answer := wire.CreditLookupBody{TransactionID: txA, BlockNumber: 5, Complete: true,
		Trace: model.Trace{TraceID: "trace-1", ExpiresAt: "2026-12-07T13:15:00Z"},
		Records: []wire.CreditRecordRead{
			{Record: model.Record{RecordID: "r-sh", ContentHash: SHA256([]byte(`{"type":"DEFAULT","summary":"unpaid"}`))}, HeldBy: "ShanghaiMSP",
				Contents: []byte(contents), Verified: true},
			{Record: model.Record{RecordID: "r-old", ContentHash: SHA256([]byte("x"))}, HeldBy: "ShanghaiMSP", Expired: true},
		},
		Holders: []wire.CreditHolder{{MSPID: "ShanghaiMSP", OK: true}},
	}
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { reply(w, 200, answer) })
	res, err := g.c.Credit().Lookup(context.Background(), lookupUSCC, LookupRequest{Purpose: "due diligence"}, WithIdempotencyKey("lookup-1"))
	var incomplete *IncompleteLookupError
	require.ErrorAs(t, err, &incomplete)
	require.NotNil(t, res)
	assert.Equal(t, []string{"r-sh"}, incomplete.Mismatched)
	assert.Empty(t, incomplete.Records, "a record withheld as expired is neither missing nor mismatched")
	assert.False(t, incomplete.Repeatable(), "a repeat reads the same bytes")
	assert.Equal(t, "deltaledger: the lookup under trace trace-1 is incomplete: the contents of r-sh do not match the public content hash", err.Error())
	assert.Contains(t, incomplete.In(ledgererr.Chinese), "r-sh 的内容与公开的内容哈希不符")

	// A holder that did not answer is an error whatever Complete says.
	answer.Records = answer.Records[1:]
	answer.Holders = append(answer.Holders, wire.CreditHolder{MSPID: "JiangsuMSP", Error: &wire.ErrorBody{Code: "UNAVAILABLE", Message: "no peer answered"}})
	_, err = g.c.Credit().Lookup(context.Background(), lookupUSCC, LookupRequest{Purpose: "due diligence"}, WithIdempotencyKey("lookup-1"))
	require.ErrorAs(t, err, &incomplete)
	require.Len(t, incomplete.Holders, 1)
	assert.Equal(t, "JiangsuMSP", incomplete.Holders[0].MSPID)
	assert.True(t, incomplete.Repeatable())
	assert.Contains(t, err.Error(), "repeat it with the Idempotency-Key lookup-1")

	// Nothing wrong, complete: no error.
	answer.Holders = answer.Holders[:1]
	_, err = g.c.Credit().Lookup(context.Background(), lookupUSCC, LookupRequest{Purpose: "due diligence"})
	require.NoError(t, err)
}
