package api_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// The gateway's own routes that commit a transaction submit it through the transaction manager, as a chaincode
// route does: a retry with the same Idempotency-Key is answered the first outcome, marked Idempotent-Replayed, and
// submits nothing again; the same key with another request is refused.
func TestTheGatewaysOwnSubmitsReplayTheFirstOutcome(t *testing.T) {
	t.Run("credit lookup", func(t *testing.T) {
		e := newEnv(t)
		programCredit(t, e.fake, false)
		path := "/v1/credit/subjects/" + subject + "/records?purpose=loan%20review&authorization=auth-1"
		first := e.keyed(t, "bob", "GET", path, "lookup-1", 200, false)
		retry := e.keyed(t, "bob", "GET", path, "lookup-1", 200, true)
		require.Len(t, e.fake.CallsTo("credit:RequestQuery"), 1, "one trace committed")

		var a, b wire.CreditLookupBody
		require.NoError(t, json.Unmarshal(first.Body, &a))
		require.NoError(t, json.Unmarshal(retry.Body, &b))
		assert.Equal(t, a.TransactionID, b.TransactionID)
		assert.Equal(t, a.BlockNumber, b.BlockNumber)
		assert.Equal(t, a.Trace.TraceID, b.Trace.TraceID)
		assert.Equal(t, strconv.FormatUint(a.BlockNumber, 10), retry.Header.Get(model.LedgerBlockHeader))
		reads := e.fake.CallsTo("credit:ReadRecords")
		assert.Equal(t, []string{a.Trace.TraceID}, reads[len(reads)-1].Args, "the retry reads under the first trace")
		assert.True(t, b.Complete)
		assert.Len(t, b.Records, 2)

		other := e.do("bob", "GET", "/v1/credit/subjects/"+subject+"/records?purpose=hiring&authorization=auth-1", "", header("Idempotency-Key", "lookup-1"))
		assert.Equal(t, 422, other.Status, "%s", other.Body)
		assert.Len(t, e.fake.CallsTo("credit:RequestQuery"), 1)
	})

	t.Run("indices", func(t *testing.T) {
		e := newIndexedEnv(t)
		last := e.sell("t1", "jiangsu", "energy", 4200, time.Date(2026, 5, 2, 3, 0, 0, 0, time.UTC))
		to := strconv.FormatUint(last.Number, 10)
		attestAsTheChaincode(e.fake)
		e.fake.Returns("indices:Open", map[string]string{})
		// The endorsing peers have not yet committed the opening the first time they are asked: the retry within the
		// request is not the outcome the key replays.
		lagging := true
		e.fake.Handle("indices:Publish", func(chaintest.Call) (chaintest.Response, error) {
			if lagging {
				lagging = false
				return chaintest.Response{}, chain.Rejected(ledgererr.NotFound, "", "period day:2026-05-02 is not opened", "")
			}
			b, _ := json.Marshal(model.Publication{Status: "PUBLISHED"})
			return chaintest.Response{Result: b}, nil
		})

		attest := "/v1/indices/day:2026-05-02/attest?toBlock=" + to
		first := e.do("regulator", "POST", attest, "", header("Idempotency-Key", "attest-1"))
		require.Equal(t, 200, first.Status, "%s", first.Body)
		retry := e.do("regulator", "POST", attest, "", header("Idempotency-Key", "attest-1"))
		require.Equal(t, 200, retry.Status, "%s", retry.Body)
		assert.Equal(t, "true", retry.Header.Get("Idempotent-Replayed"))
		assert.Equal(t, first.Header.Get(model.LedgerBlockHeader), retry.Header.Get(model.LedgerBlockHeader))
		assert.JSONEq(t, string(first.Body), string(retry.Body))
		assert.Len(t, e.fake.CallsTo("indices:Attest"), 1, "attested once")

		publish := "/v1/indices/day:2026-05-02/publish?toBlock=" + to
		first = e.do("regulator", "POST", publish, "", header("Idempotency-Key", "publish-1"))
		require.Equal(t, 200, first.Status, "%s", first.Body)
		retry = e.do("regulator", "POST", publish, "", header("Idempotency-Key", "publish-1"))
		require.Equal(t, 200, retry.Status, "%s", retry.Body)
		assert.Equal(t, "true", retry.Header.Get("Idempotent-Replayed"))
		assert.JSONEq(t, string(first.Body), string(retry.Body), "the first publication")
		assert.Len(t, e.fake.CallsTo("indices:Publish"), 2, "published once, after the lagging peer's refusal")

		other := e.do("regulator", "POST", publish, "", header("Idempotency-Key", "attest-1"))
		assert.Equal(t, 422, other.Status, "%s", other.Body)
		assert.Len(t, e.fake.CallsTo("indices:Publish"), 2)
	})

	t.Run("credit lookup of unknown outcome", func(t *testing.T) {
		e := newEnv(t)
		programCredit(t, e.fake, false)
		tx := strings.Repeat("ab", 32)
		trace, _ := json.Marshal(model.Trace{TraceID: "trace-first", SubjectUSCC: subject, QuerierID: "bob", Purpose: "loan review", AuthID: "auth-1"})
		e.fake.Fails("credit:RequestQuery", &chain.Error{Kind: chain.KindOutcomeUnknown, TransactionID: tx, Result: trace,
			Message: "insufficient number of orderers could successfully process transaction to satisfy quorum requirement"})
		path := "/v1/credit/subjects/" + subject + "/records?purpose=loan%20review&authorization=auth-1"
		first := e.do("bob", "GET", path, "", header("Idempotency-Key", "lookup-1"))
		require.Equal(t, 504, first.Status, "%s", first.Body)
		assert.Equal(t, "/v1/transactions/"+tx, first.Header.Get("Location"))
		assert.Empty(t, e.fake.CallsTo("credit:ReadRecords"), "nothing read without a committed trace")

		// Once the trace shows committed, the retry reads under it, and commits no other.
		e.fake.SetStatus(chain.Status{TransactionID: tx, Committed: true, Valid: true, Code: "VALID", BlockNumber: 42})
		retry := e.do("bob", "GET", path, "", header("Idempotency-Key", "lookup-1"))
		require.Equal(t, 200, retry.Status, "%s", retry.Body)
		assert.Equal(t, "true", retry.Header.Get("Idempotent-Replayed"))
		var b wire.CreditLookupBody
		require.NoError(t, json.Unmarshal(retry.Body, &b))
		assert.Equal(t, tx, b.TransactionID)
		assert.Equal(t, uint64(42), b.BlockNumber)
		assert.Equal(t, "trace-first", b.Trace.TraceID)
		for _, c := range e.fake.CallsTo("credit:ReadRecords") {
			assert.Equal(t, []string{"trace-first"}, c.Args)
		}
		assert.Len(t, b.Records, 2)
		assert.Len(t, e.fake.CallsTo("credit:RequestQuery"), 1)
	})
}

// A credit lookup replayed with its Idempotency-Key reads again under the first query trace. Once the chaincode no
// longer lets the caller read under it (the trace's 15 minutes are over, the authorisation was revoked), the replay
// is that refusal, 403 FORBIDDEN naming why, not a 200 without records, which a client could take for a subject
// without records. Another member's same key is a key of its own: its lookup tells nothing of the first.
func TestACreditLookupReplayedAfterItsTraceStoppedIsRefused(t *testing.T) {
	for _, tc := range []struct{ name, refusal string }{
		{"trace expired", `query trace %q is valid from 2026-05-02T03:00:00Z until 2026-05-02T03:15:00Z; the transaction time 2026-05-02T03:16:00Z is outside it`},
		{"authorisation revoked", `authorization "auth-1" was revoked at 2026-05-02T03:05:00Z`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			programCredit(t, e.fake, false)
			path := "/v1/credit/subjects/" + subject + "/records?purpose=loan%20review&authorization=auth-1"
			first := e.keyed(t, "bob", "GET", path, "lookup-1", 200, false)
			var a wire.CreditLookupBody
			require.NoError(t, json.Unmarshal(first.Body, &a))
			// The chaincode's refusal of a read under the trace read (c.Args[0]).
			refusal := func(traceID string) string {
				if strings.Contains(tc.refusal, "%q") {
					return fmt.Sprintf(tc.refusal, traceID)
				}
				return tc.refusal
			}
			e.fake.Handle("credit:ReadRecords", func(c chaintest.Call) (chaintest.Response, error) {
				return chaintest.Response{}, chain.Rejected(ledgererr.Forbidden, "", refusal(c.Args[0]), "")
			})

			retry := e.keyed(t, "bob", "GET", path, "lookup-1", 403, true)
			body := retry.json(t)
			assert.Equal(t, "FORBIDDEN", body["code"])
			assert.Equal(t, refusal(a.Trace.TraceID), body["message"], "the refusal names why")
			assert.NotContains(t, body, "records")
			assert.Len(t, e.fake.CallsTo("credit:RequestQuery"), 1, "no second trace")

			other := e.do("alice", "GET", path, "", header("Idempotency-Key", "lookup-1"))
			assert.Empty(t, other.Header.Get("Idempotent-Replayed"))
			assert.NotContains(t, string(other.Body), a.Trace.TraceID)
			assert.NotContains(t, string(other.Body), a.TransactionID)
			calls := e.fake.CallsTo("credit:RequestQuery")
			require.Len(t, calls, 2, "alice's key is her own: her lookup leaves her own trace")
			assert.Equal(t, "alice", calls[1].Member)
		})
	}
}

// A replayed attestation answers the figures only when they are those the first transaction attested: the figures
// recomputed now (after the gateway restarted over an index rebuilt, the outcomes kept) are refused with the
// digest the transaction attested, never answered with its block as if they were the attested ones.
func TestAnAttestationReplayAnswersOnlyTheAttestedFigures(t *testing.T) {
	e := newIndexedEnv(t)
	last := e.sell("t1", "jiangsu", "energy", 4200, time.Date(2026, 5, 2, 3, 0, 0, 0, time.UTC))
	to := strconv.FormatUint(last.Number, 10)
	attestAsTheChaincode(e.fake)
	m := transactions.New(e.fake, transactions.NewStore(24*time.Hour), transactions.WithOrg(ownMSP))
	e.serve(e.fake, api.WithMarketIndex(e.idx), api.WithOrg(ownMSP), api.WithTransactions(m))

	attest := "/v1/indices/day:2026-05-02/attest?toBlock=" + to
	first := e.keyed(t, "regulator", "POST", attest, "attest-1", 200, false)
	var attested ledgerindex.ComputedIndices
	require.NoError(t, json.Unmarshal(first.Body, &attested))
	retry := e.keyed(t, "regulator", "POST", attest, "attest-1", 200, true)
	assert.JSONEq(t, string(first.Body), string(retry.Body), "the same figures are the attested ones")

	// The same block holds another sale in the rebuilt index.
	rebuilt := newIndexedEnv(t)
	again := rebuilt.sell("t1", "jiangsu", "energy", 4300, time.Date(2026, 5, 2, 3, 0, 0, 0, time.UTC))
	require.Equal(t, last.Number, again.Number)
	e.serve(e.fake, api.WithMarketIndex(rebuilt.idx), api.WithOrg(ownMSP), api.WithTransactions(m))
	retry = e.keyed(t, "regulator", "POST", attest, "attest-1", 409, true)
	assert.NotContains(t, string(retry.Body), "figures\":", "no figures")
	assert.Contains(t, retry.json(t)["message"], attested.Digest, "names what was attested")
	assert.Len(t, e.fake.CallsTo("indices:Attest"), 1, "attested once")
}

// attestAsTheChaincode makes the fake answer indices:Attest as the chaincode does: the attestation of the digest of
// its arguments.
func attestAsTheChaincode(f *chaintest.Fake) {
	f.Handle("indices:Attest", func(c chaintest.Call) (chaintest.Response, error) {
		from, _ := strconv.ParseUint(c.Args[1], 10, 64)
		to, _ := strconv.ParseUint(c.Args[2], 10, 64)
		b, _ := json.Marshal(model.Attestation{Period: c.Args[0], MSPID: ownMSP, Digest: model.IndicesDigest(c.Args[0], from, to, c.Args[3], c.Args[4])})
		return chaintest.Response{Result: b}, nil
	})
}

// A publication whose first try opened the period and failed before anything was ordered is retried with its
// Idempotency-Key: the period is open by then (indices:Open refused CONFLICT), and an endorsing peer that has not yet
// committed the opening refuses NOT_FOUND. That refusal is asked again within the request and is never the key's
// outcome, which every retry with the key would be answered for its 24 hours.
func TestAPublishRetriedAfterItOpenedThePeriodIsNotRefusedForGood(t *testing.T) {
	e := newIndexedEnv(t)
	last := e.sell("t1", "jiangsu", "energy", 4200, time.Date(2026, 5, 2, 3, 0, 0, 0, time.UTC))
	publish := "/v1/indices/day:2026-05-02/publish?toBlock=" + strconv.FormatUint(last.Number, 10)
	opened := false
	e.fake.Handle("indices:Open", func(chaintest.Call) (chaintest.Response, error) {
		if opened {
			return chaintest.Response{}, chain.Rejected(ledgererr.Conflict, "", "the publication of day:2026-05-02 is already open", "")
		}
		opened = true
		return chaintest.Response{Result: []byte(`{}`)}, nil
	})
	publishes := 0
	e.fake.Handle("indices:Publish", func(chaintest.Call) (chaintest.Response, error) {
		publishes++
		switch publishes {
		case 1:
			return chaintest.Response{}, &chain.Error{Kind: chain.KindUnavailable, Message: "connection refused"}
		case 2:
			return chaintest.Response{}, chain.Rejected(ledgererr.NotFound, "", "the publication of day:2026-05-02 is not open: open it first", "")
		}
		b, _ := json.Marshal(model.Publication{Status: "PUBLISHED"})
		return chaintest.Response{Result: b}, nil
	})

	e.keyed(t, "regulator", "POST", publish, "publish-1", 503, false)
	retry := e.keyed(t, "regulator", "POST", publish, "publish-1", 200, false)
	again := e.keyed(t, "regulator", "POST", publish, "publish-1", 200, true)
	assert.JSONEq(t, string(retry.Body), string(again.Body))
	assert.Equal(t, 3, publishes, "published once, after the lagging peer's refusal")
}

// A publication whose endorsing peers still have not committed the opening of its period when its wait ends
// (publishAfterOpen) is answered 503 with Retry-After, not the peers' NOT_FOUND, which told the regulator that the
// period it had just opened was not open; the refusal is not the key's outcome, so a retry with the key publishes.
func TestAPublishWhosePeersLagIsAskedAgainLater(t *testing.T) {
	e := newIndexedEnv(t)
	last := e.sell("t1", "jiangsu", "energy", 4200, time.Date(2026, 5, 2, 3, 0, 0, 0, time.UTC))
	publish := "/v1/indices/day:2026-05-02/publish?toBlock=" + strconv.FormatUint(last.Number, 10)
	e.fake.Handle("indices:Open", func(chaintest.Call) (chaintest.Response, error) {
		return chaintest.Response{Result: []byte(`{}`)}, nil
	})
	var caughtUp atomic.Bool
	e.fake.Handle("indices:Publish", func(chaintest.Call) (chaintest.Response, error) {
		if !caughtUp.Load() {
			return chaintest.Response{}, chain.Rejected(ledgererr.NotFound, "", "the publication of day:2026-05-02 is not open: open it first", "")
		}
		b, _ := json.Marshal(model.Publication{Status: "PUBLISHED"})
		return chaintest.Response{Result: b}, nil
	})

	first := e.keyed(t, "regulator", "POST", publish, "publish-1", 503, false)
	assert.Equal(t, "1", first.Header.Get("Retry-After"))
	assert.Contains(t, string(first.Body), `"code":"UNAVAILABLE"`)
	assert.Contains(t, string(first.Body), "have not yet committed its opening")
	caughtUp.Store(true)
	e.keyed(t, "regulator", "POST", publish, "publish-1", 200, false)
}

// keyed has member send a request without a body with Idempotency-Key key, and checks its status and whether it is
// marked a replay (Idempotent-Replayed).
func (e *env) keyed(t *testing.T, member, method, path, key string, status int, replay bool) response {
	t.Helper()
	resp := e.do(member, method, path, "", header("Idempotency-Key", key))
	require.Equal(t, status, resp.Status, "%s", resp.Body)
	if replay {
		assert.Equal(t, "true", resp.Header.Get("Idempotent-Replayed"))
	} else {
		assert.Empty(t, resp.Header.Get("Idempotent-Replayed"))
	}
	return resp
}
