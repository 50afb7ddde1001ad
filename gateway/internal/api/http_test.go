package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

const validRegister = `{"id":"p-1","certificatePem":"PEM","roles":["holder","buyer"],"uscc":"91330100799655058B","name":"Acme","region":"shanghai"}`

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice", Roles: []string{"holder"}})
	cases := []struct {
		name   string
		opts   []reqOption
		member string
		status int
		code   string
		who    string
	}{
		{name: "no credentials", status: 401, code: "UNAUTHENTICATED"},
		{name: "garbage bearer", opts: []reqOption{header("Authorization", "Bearer nope")}, status: 401, code: "UNAUTHENTICATED"},
		{name: "basic scheme", opts: []reqOption{header("Authorization", "Basic YWxpY2U6eA==")}, status: 401, code: "UNAUTHENTICATED"},
		{name: "well-formed unknown key", opts: []reqOption{header("Authorization", "Bearer dlk_0123456789abcdef_"+strings.Repeat("A", 43))}, status: 401, code: "UNAUTHENTICATED"},
		{name: "api key", member: "alice", status: 200, who: "alice"},
		{name: "client certificate", opts: []reqOption{clientCert(e.certs["bob"])}, status: 200, who: "bob"},
		{name: "certificate of another org", opts: []reqOption{clientCert(e.foreign)}, status: 403, code: "FORBIDDEN"},
		{name: "certificate of an unknown CA", opts: []reqOption{clientCert(e.rogue)}, status: 401, code: "UNAUTHENTICATED"},
		// A certificate of the own CA whose key the gateway does not hold signs itself: signing_test.go.
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			before := len(e.fake.Calls())
			resp := e.do(c.member, "GET", "/v1/participants/me", "", c.opts...)
			require.Equal(t, c.status, resp.Status, "body: %s", resp.Body)
			if c.code != "" {
				assert.Equal(t, c.code, resp.errorBody(t).Code)
				assert.Len(t, e.fake.Calls(), before, "a refused request must not reach the ledger")
				if c.status == 401 {
					assert.NotEmpty(t, resp.Header.Get("WWW-Authenticate"))
				}
				return
			}
			calls := e.fake.Calls()
			assert.Equal(t, c.who, calls[len(calls)-1].Member)
		})
	}
}

func TestRevokedKeyIsRefused(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice"})
	require.Equal(t, 200, e.do("alice", "GET", "/v1/participants/me", "").Status)
	keys, err := e.store.List()
	require.NoError(t, err)
	for _, k := range keys {
		if k.Member == "alice" {
			require.NoError(t, e.store.Revoke(k.ID))
		}
	}
	// The store re-reads the file at most once a second.
	require.Eventually(t, func() bool {
		return e.do("alice", "GET", "/v1/participants/me", "").Status == 401
	}, 3*time.Second, 100*time.Millisecond)
}

// A refused API key is refused in the same words whatever is wrong with it: another region's gateway's key (its
// member's name is in this wallet too), a key of a known ID with a wrong secret, a revoked key, an expired key (by
// the gateway's clock, whatever time the caller says), a key of an ID that never existed. The answer says nothing of
// which key IDs exist here, or which key was revoked or expired, and none reaches the ledger.
func TestEveryRefusedKeyIsRefusedAlike(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice"})
	elsewhere, err := auth.OpenKeyStore(filepath.Join(t.TempDir(), "jiangsu-apikeys.json"))
	require.NoError(t, err)
	otherRegions, _, err := elsewhere.Create("alice", "the same member name at another region's gateway", auth.DefaultKeyLifetime)
	require.NoError(t, err)
	wrongSecret := e.keys["alice"][:len(e.keys["alice"])-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(e.keys["alice"], "A")]
	revokeKeysOf(t, e, "bob")
	expired, _, err := e.store.Create("carol", "an hour", time.Hour)
	require.NoError(t, err)
	e.advance(time.Hour)

	keys := map[string]string{
		"another region's key":     otherRegions,
		"a wrong secret":           wrongSecret,
		"a revoked key":            e.keys["bob"],
		"an expired key":           expired,
		"an ID that never existed": "dlk_0123456789abcdef_" + strings.Repeat("A", 43),
	}
	var first *wire.ErrorBody
	before := len(e.fake.Calls())
	for what, key := range keys {
		r := e.do("", "GET", "/v1/participants/me", "", header("Authorization", "Bearer "+key),
			header("Date", e.now().Add(-time.Hour).Format(http.TimeFormat)))
		require.Equal(t, http.StatusUnauthorized, r.Status, "%s: %s", what, r.Body)
		body := r.errorBody(t)
		if first == nil {
			first = &body
		}
		assert.Equal(t, *first, body, "%s is refused in other words", what)
	}
	assert.Len(t, e.fake.Calls(), before, "a refused key reaches the ledger")
}

func TestPublicOperationsNeedNoCredentials(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/healthz", "/readyz", "/v1/openapi.json"} {
		assert.Equal(t, 200, e.do("", "GET", path, "").Status, path)
	}
	e.fake.SetReady(fmt.Errorf("peer down"))
	e2 := newEnv(t, api.WithReadyCache(0, time.Second))
	e2.fake.SetReady(&chain.Error{Kind: chain.KindUnavailable, Message: "rpc error: code = Unavailable desc = connection refused by peer0.jiangsu.example:7051"})
	resp := e2.do("", "GET", "/readyz", "")
	assert.Equal(t, 503, resp.Status)
	assert.Contains(t, string(resp.Body), `"status":"unavailable"`)
	assert.NotContains(t, string(resp.Body), "peer0.jiangsu", "anyone may ask /readyz: what Fabric said is for the log")
}

// refusedRequest is a request the gateway must refuse before it reaches the
// ledger, and the refusal expected: its HTTP status, error code and the field
// named (empty when none is).
type refusedRequest struct {
	name   string
	method string
	path   string
	body   string
	opts   []reqOption
	status int
	code   string
	field  string
}

// refused sends c as member (empty: by its options alone) in the subtest t and
// checks the refusal: c's status, code and field, a message, and no call of
// the ledger. It returns the answer for a table's own further checks.
func (e *env) refused(t *testing.T, member string, c refusedRequest) response {
	t.Helper()
	e.t = t
	before := len(e.fake.Calls())
	resp := e.do(member, c.method, c.path, c.body, c.opts...)
	require.Equal(t, c.status, resp.Status, "body: %s", resp.Body)
	body := resp.errorBody(t)
	assert.Equal(t, c.code, body.Code)
	assert.Equal(t, c.field, body.Field)
	assert.NotEmpty(t, body.Message)
	assert.Len(t, e.fake.Calls(), before, "a refused request must not reach the ledger")
	return resp
}

func TestBadRequests(t *testing.T) {
	e := newEnv(t, api.WithBodyLimit(1024))
	e.fake.Returns("participants:Register", model.Participant{ID: "p-1"})
	e.fake.Returns("participants:List", map[string]any{"items": []any{}, "bookmark": ""})
	cases := []refusedRequest{
		{name: "not JSON", method: "POST", path: "/v1/participants", body: `{"id":`, status: 400, code: "INVALID_ARGUMENT"},
		{name: "array body", method: "POST", path: "/v1/participants", body: `[1,2]`, status: 400, code: "INVALID_ARGUMENT"},
		{name: "two objects", method: "POST", path: "/v1/participants", body: validRegister + validRegister, status: 400, code: "INVALID_ARGUMENT"},
		{name: "empty body", method: "POST", path: "/v1/participants", body: ``, status: 400, code: "INVALID_ARGUMENT"},
		{name: "field given twice", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"id"`, `"name":"A","id"`, 1), status: 400, code: "INVALID_ARGUMENT", field: "name"},
		{name: "trailing garbage", method: "POST", path: "/v1/participants", body: validRegister + ` x`, status: 400, code: "INVALID_ARGUMENT"},
		{name: "unknown field", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"id"`, `"colour":"red","id"`, 1), status: 400, code: "INVALID_ARGUMENT", field: "colour"},
		{name: "missing field", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"name":"Acme",`, ``, 1), status: 400, code: "INVALID_ARGUMENT", field: "name"},
		{name: "null field", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"name":"Acme"`, `"name":null`, 1), status: 400, code: "INVALID_ARGUMENT", field: "name"},
		{name: "number for string", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"name":"Acme"`, `"name":5`, 1), status: 400, code: "INVALID_ARGUMENT", field: "name"},
		{name: "string for list", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `["holder","buyer"]`, `"holder"`, 1), status: 400, code: "INVALID_ARGUMENT", field: "roles"},
		{name: "empty list", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `["holder","buyer"]`, `[]`, 1), status: 400, code: "INVALID_ARGUMENT", field: "roles"},
		{name: "bad enum item", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"buyer"`, `"king"`, 1), status: 400, code: "INVALID_ARGUMENT", field: "roles[1]"},
		{name: "bad region", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"shanghai"`, `"Beijing"`, 1), status: 400, code: "INVALID_ARGUMENT", field: "region"},
		{name: "bad pattern", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"p-1"`, `"-bad id"`, 1), status: 400, code: "INVALID_ARGUMENT", field: "id"},
		{name: "too long", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"Acme"`, `"`+strings.Repeat("a", 101)+`"`, 1), status: 400, code: "INVALID_ARGUMENT", field: "name"},
		{name: "oversized body", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"PEM"`, `"`+strings.Repeat("a", 2000)+`"`, 1), status: 413, code: "PAYLOAD_TOO_LARGE"},
		{name: "wrong media type", method: "POST", path: "/v1/participants", body: validRegister, opts: []reqOption{header("Content-Type", "text/plain")}, status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "unknown query parameter", method: "GET", path: "/v1/participants?mspId=ShanghaiMSP&colour=red", status: 400, code: "INVALID_ARGUMENT", field: "colour"},
		{name: "repeated query parameter", method: "GET", path: "/v1/participants?mspId=A&mspId=B", status: 400, code: "INVALID_ARGUMENT", field: "mspId"},
		{name: "missing required query", method: "GET", path: "/v1/participants", status: 400, code: "INVALID_ARGUMENT", field: "mspId"},
		{name: "limit zero", method: "GET", path: "/v1/participants?mspId=A&limit=0", status: 400, code: "INVALID_ARGUMENT", field: "limit"},
		{name: "limit too big", method: "GET", path: "/v1/participants?mspId=A&limit=101", status: 400, code: "INVALID_ARGUMENT", field: "limit"},
		{name: "limit not a number", method: "GET", path: "/v1/participants?mspId=A&limit=ten", status: 400, code: "INVALID_ARGUMENT", field: "limit"},
		{name: "forged cursor", method: "GET", path: "/v1/participants?mspId=A&cursor=abc", status: 400, code: "INVALID_ARGUMENT", field: "cursor"},
		{name: "bad escape", method: "GET", path: "/v1/participants?mspId=%zz", status: 400, code: "INVALID_ARGUMENT"},
		{name: "bad wait", method: "POST", path: "/v1/participants?wait=maybe", body: validRegister, status: 400, code: "INVALID_ARGUMENT", field: "wait"},
		{name: "bad path id", method: "GET", path: "/v1/participants/-x", status: 400, code: "INVALID_ARGUMENT", field: "id"},
		{name: "body on bodiless submit", method: "POST", path: "/v1/participants/p-1/reinstate", body: `{"x":1}`, status: 400, code: "INVALID_ARGUMENT", field: "x"},
		{name: "unknown path", method: "GET", path: "/v1/nothing", status: 404, code: "NOT_FOUND"},
		{name: "wrong method", method: "DELETE", path: "/v1/participants", status: 405, code: "METHOD_NOT_ALLOWED"},
		{name: "bad txid", method: "GET", path: "/v1/transactions/xyz", status: 400, code: "INVALID_ARGUMENT", field: "txid"},
		{name: "bad Last-Event-ID", method: "GET", path: "/v1/events", opts: []reqOption{header("Last-Event-ID", "yesterday")}, status: 400, code: "INVALID_ARGUMENT", field: "Last-Event-ID"},
		{name: "bad idempotency key", method: "POST", path: "/v1/participants", body: validRegister, opts: []reqOption{header("Idempotency-Key", strings.Repeat("k", 201))}, status: 400, code: "INVALID_ARGUMENT", field: "Idempotency-Key"},
	}
	v := newDocValidator(t, e.srv.Document())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := e.refused(t, "alice", c)
			if c.status == 405 {
				assert.NotEmpty(t, resp.Header.Get("Allow"))
			}
			if c.status != 404 && c.status != 405 {
				template := c.path
				if i := strings.IndexByte(template, '?'); i >= 0 {
					template = template[:i]
				}
				switch {
				case strings.HasPrefix(template, "/v1/participants/-x"):
					template = "/v1/participants/{id}"
				case strings.HasPrefix(template, "/v1/transactions/"):
					template = "/v1/transactions/{txid}"
				case strings.HasSuffix(template, "/reinstate"):
					template = "/v1/participants/{id}/reinstate"
				}
				v.validate(c.method, template, resp)
			}
		})
	}
}

func TestErrorMapping(t *testing.T) {
	var logs syncBuffer
	e := newEnv(t, api.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	v := newDocValidator(t, e.srv.Document())
	tx := strings.Repeat("cd", 32)
	cases := []struct {
		name   string
		err    error
		status int
		code   string
		field  string
		tx     string
	}{
		{"invalid argument", chain.Rejected(ledgererr.InvalidArgument, "scope.regions[1]", "must be a region", ""), 400, "INVALID_ARGUMENT", "scope.regions[1]", ""},
		{"forbidden", chain.Rejected(ledgererr.Forbidden, "", "only an admin", ""), 403, "FORBIDDEN", "", ""},
		{"not found", chain.Rejected(ledgererr.NotFound, "", "no such participant", ""), 404, "NOT_FOUND", "", ""},
		{"conflict", chain.Rejected(ledgererr.Conflict, "", "already exists", ""), 409, "CONFLICT", "", ""},
		{"chaincode internal", chain.Rejected(ledgererr.Internal, "", "corrupt", ""), 500, "INTERNAL", "", ""},
		{"endorsement", &chain.Error{Kind: chain.KindEndorsement, Message: "no combination of peers can be derived"}, 502, "ENDORSEMENT_FAILED", "", ""},
		{"ordering", &chain.Error{Kind: chain.KindOrdering, Message: "no orderer nodes available", TransactionID: tx}, 503, "ORDERING_FAILED", "", tx},
		{"outcome unknown", &chain.Error{Kind: chain.KindOutcomeUnknown, Message: "insufficient number of orderers", TransactionID: tx}, 504, "OUTCOME_UNKNOWN", "", tx},
		{"mvcc", &chain.Error{Kind: chain.KindCommitFailed, ValidationCode: "MVCC_READ_CONFLICT", Message: "MVCC_READ_CONFLICT", TransactionID: tx}, 409, "CONFLICT", "", tx},
		{"phantom", &chain.Error{Kind: chain.KindCommitFailed, ValidationCode: "PHANTOM_READ_CONFLICT", Message: "phantom", TransactionID: tx}, 409, "CONFLICT", "", tx},
		{"policy changed by a concurrent sale", &chain.Error{Kind: chain.KindCommitFailed, ValidationCode: "ENDORSEMENT_POLICY_FAILURE", Message: "policy", TransactionID: tx}, 409, "CONFLICT", "", tx},
		{"other commit failure", &chain.Error{Kind: chain.KindCommitFailed, ValidationCode: "BAD_CREATOR_SIGNATURE", Message: "bad signature", TransactionID: tx}, 502, "COMMIT_FAILED", "", tx},
		{"unavailable", &chain.Error{Kind: chain.KindUnavailable, Message: "connection refused"}, 503, "UNAVAILABLE", "", ""},
		{"timeout", &chain.Error{Kind: chain.KindTimeout, Message: "deadline"}, 504, "TIMEOUT", "", ""},
		{"deadline", context.DeadlineExceeded, 504, "TIMEOUT", "", ""},
		{"unknown member", &chain.Error{Kind: chain.KindUnknownMember, Message: "no signer"}, 500, "INTERNAL", "", ""},
		{"plain error", fmt.Errorf("boom"), 500, "INTERNAL", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			e.fake.Fails("participants:Suspend", c.err)
			resp := e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`)
			require.Equal(t, c.status, resp.Status, "body: %s", resp.Body)
			body := resp.errorBody(t)
			assert.Equal(t, c.code, body.Code)
			assert.Equal(t, c.field, body.Field)
			assert.Equal(t, c.tx, body.TransactionID)
			if le, ok := c.err.(*chain.Error); ok {
				if le.Kind == chain.KindRejected && c.status < 500 || le.Kind == chain.KindCommitFailed {
					assert.Contains(t, body.Message, le.Message, "the chaincode's refusal or the validation code is the message")
				} else {
					// Fabric's text (peer addresses, MSP IDs, gRPC codes) is
					// for the gateway's log, found by the request ID.
					assert.NotContains(t, body.Message, le.Message)
					assert.Contains(t, body.Message, "X-Request-ID")
					line := logs.lineWith(t, resp.Header.Get("X-Request-ID"))
					assert.Equal(t, le.Message, line["error_detail"], "the log keeps Fabric's detail")
				}
			}
			v.validate("POST", "/v1/participants/{id}/suspend", resp)

			e.fake.Fails("participants:Get", c.err)
			resp = e.do("alice", "GET", "/v1/participants/p-1", "")
			require.Equal(t, c.status, resp.Status, "evaluate: %s", resp.Body)
			v.validate("GET", "/v1/participants/{id}", resp)
		})
	}
}

func TestPanicsBecome500(t *testing.T) {
	e := newEnv(t)
	e.fake.Handle("participants:Get", func(chaintest.Call) (chaintest.Response, error) { panic("bug") })
	resp := e.do("alice", "GET", "/v1/participants/p-1", "")
	require.Equal(t, 500, resp.Status)
	assert.Equal(t, "INTERNAL", resp.errorBody(t).Code)
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, api.WithReadLimit(1, 2))
	e.fake.Returns("participants:Get", model.Participant{ID: "p-1"})
	for range 2 {
		require.Equal(t, 200, e.do("alice", "GET", "/v1/participants/p-1", "").Status)
	}
	resp := e.do("alice", "GET", "/v1/participants/p-1", "")
	require.Equal(t, 429, resp.Status)
	assert.Equal(t, "RATE_LIMITED", resp.errorBody(t).Code)
	assert.Contains(t, resp.errorBody(t).Message, "read rate limit")
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	// Another member has its own bucket.
	assert.Equal(t, 200, e.do("bob", "GET", "/v1/participants/p-1", "").Status)
}

func TestReadsAndWritesHaveSeparateBudgets(t *testing.T) {
	e := newEnv(t, api.WithReadLimit(1, 1), api.WithWriteLimit(1, 1))
	e.fake.Returns("participants:Get", model.Participant{ID: "p-1"})
	e.fake.Returns("participants:Suspend", model.Participant{ID: "p-1", Status: "SUSPENDED"})
	require.Equal(t, 200, e.do("admin", "GET", "/v1/participants/p-1", "").Status)
	// The read budget is spent; a write still has its own.
	require.Equal(t, 429, e.do("admin", "GET", "/v1/participants/p-1", "").Status)
	resp := e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`)
	require.Equal(t, 200, resp.Status, "body: %s", resp.Body)
	resp = e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`)
	require.Equal(t, 429, resp.Status)
	assert.Contains(t, resp.errorBody(t).Message, "write rate limit")
	// A credit lookup commits a trace: it spends the write budget.
	resp = e.do("admin", "GET", "/v1/credit/subjects/"+subject+"/records?purpose=loan", "")
	require.Equal(t, 429, resp.Status)
	assert.Contains(t, resp.errorBody(t).Message, "write rate limit")
}

// Attesting and publishing a period's indices commit transactions as the caller (indices:Attest, indices:Open,
// indices:Publish): they spend the write budget, so that an operator or the regulator cannot commit them at the
// rate of its reads.
func TestAttestAndPublishSpendTheWriteBudget(t *testing.T) {
	e := newEnv(t, api.WithWriteLimit(1, 1))
	e.fake.Returns("participants:Suspend", model.Participant{ID: "p-1", Status: "SUSPENDED"})
	require.Equal(t, 200, e.do("regulator", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`).Status)
	for _, path := range []string{"/v1/indices/day:2026-05-02/attest?toBlock=1", "/v1/indices/day:2026-05-02/publish?toBlock=1"} {
		resp := e.do("regulator", "POST", path, "")
		require.Equal(t, 429, resp.Status, "%s: %s", path, resp.Body)
		assert.Contains(t, resp.errorBody(t).Message, "write rate limit", path)
	}
}

// Computing a period's indices reads every sale since the first (the chained
// price index) and recomputes the figures: a cost that grows with the
// market's history. Any member may ask for it, at the rate of its writes,
// not of its reads, so that no member keeps the index busy.
func TestComputedIndicesSpendTheWriteBudget(t *testing.T) {
	e := newEnv(t, api.WithReadLimit(1000, 1000), api.WithWriteLimit(1, 1))
	e.fake.Returns("participants:Suspend", model.Participant{ID: "p-1", Status: "SUSPENDED"})
	require.Equal(t, 200, e.do("alice", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`).Status)
	resp := e.do("alice", "GET", "/v1/indices/day:2026-05-02/computed?toBlock=1", "")
	require.Equal(t, 429, resp.Status, "%s", resp.Body)
	assert.Contains(t, resp.errorBody(t).Message, "write rate limit")
	// Another member has its own budget.
	assert.NotEqual(t, 429, e.do("bob", "GET", "/v1/indices/day:2026-05-02/computed?toBlock=1", "").Status)
}

// Enrolling needs no credentials and calls the CA: the write budget is
// counted per client address, so nobody turns the gateway on its CA at the
// rate of its requests. GET operations that need no credentials are free.
func TestPublicWorkSpendsTheWriteBudgetOfTheClientsAddress(t *testing.T) {
	e := newEnv(t, api.WithWriteLimit(1, 1))
	enroll := `{"enrollmentId":"` + subject + `","secret":"x","csr":"x"}`
	first := e.do("", "POST", "/v1/members/enroll", enroll)
	require.NotEqual(t, 429, first.Status, "body: %s", first.Body)
	resp := e.do("", "POST", "/v1/members/enroll", enroll)
	require.Equal(t, 429, resp.Status, "body: %s", resp.Body)
	assert.Contains(t, resp.errorBody(t).Message, "write rate limit of 192.0.2.1", "httptest's client address")
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	for range 3 {
		assert.Equal(t, 200, e.do("", "GET", "/healthz", "").Status)
	}
	// A member's own write budget is its own, not its address's.
	e.fake.Returns("participants:Suspend", model.Participant{ID: "p-1", Status: "SUSPENDED"})
	assert.Equal(t, 200, e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`).Status)
}

// Request counts by operation, as they happen, tell the market's activity
// (credit lookups, orders) to whoever reads them: only the org's admins do,
// by API key or client certificate, their own key or one the gateway holds.
func TestMetricsAreReadByTheOrgsAdminsOnly(t *testing.T) {
	e := newEnv(t)
	assert.Equal(t, http.StatusUnauthorized, e.do("", "GET", "/metrics", "").Status, "without credentials")
	for _, member := range []string{"alice", "regulator"} {
		r := e.do(member, "GET", "/metrics", "")
		assert.Equal(t, http.StatusForbidden, r.Status, member)
		assert.NotContains(t, string(r.Body), "deltaledger_gateway_", member)
	}
	assert.Equal(t, http.StatusForbidden, e.do("", "GET", "/metrics", "", clientCert(e.stray)).Status, "a member who signs itself")
	assert.Equal(t, http.StatusForbidden, e.do("", "GET", "/metrics", "", clientCert(e.foreign)).Status, "another org's member")
	for name, r := range map[string]response{
		"API key":            e.do("admin", "GET", "/metrics", ""),
		"client certificate": e.do("", "GET", "/metrics", "", clientCert(e.certs["admin"])),
	} {
		require.Equal(t, http.StatusOK, r.Status, name)
		assert.Contains(t, string(r.Body), "deltaledger_gateway_http_requests_total", name)
	}
}

// The credential a monitoring system holds is an API key of scope metrics: whoever reads its configuration reads the
// metrics and does nothing else as the key's member, the org's Admin, who registers participants and signs for the
// org: every other operation, reads included, is 403 naming the scope, and nothing reaches the chaincode.
func TestAMetricsKeyReadsTheMetricsAndNothingElse(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("participants:Register", model.Participant{ID: "p-1"})
	e.fake.Returns("participants:WhoAmI", model.Participant{ID: "admin"})
	scrape, rec, err := e.store.CreateScoped("admin", "prometheus", auth.ScopeMetrics, auth.DefaultKeyLifetime)
	require.NoError(t, err)
	assert.Equal(t, auth.ScopeMetrics, rec.Scope)
	bearer := header("Authorization", "Bearer "+scrape)

	r := e.do("", "GET", "/metrics", "", bearer)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	assert.Contains(t, string(r.Body), "deltaledger_gateway_event_streams")
	before := len(e.fake.Calls())
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/v1/participants", validRegister},
		{"GET", "/v1/participants/me", ""},
		{"GET", "/v1/events", ""},
		{"GET", "/v1/indices/day:2026-12-01/computed?toBlock=1", ""},
	} {
		r := e.do("", c.method, c.path, c.body, bearer)
		require.Equal(t, http.StatusForbidden, r.Status, "%s %s: %s", c.method, c.path, r.Body)
		assert.Equal(t, "FORBIDDEN", r.errorBody(t).Code)
		assert.Contains(t, r.errorBody(t).Message, `scope "metrics"`, "%s %s", c.method, c.path)
	}
	assert.Len(t, e.fake.Calls(), before, "nothing ran as the Admin")

	// The scope, not the member, admits to the metrics: a key of a member who is no admin reads them too (only
	// the gateway's operator creates keys).
	other, _, err := e.store.CreateScoped("alice", "prometheus", auth.ScopeMetrics, auth.DefaultKeyLifetime)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, e.do("", "GET", "/metrics", "", header("Authorization", "Bearer "+other)).Status)
	_, _, err = e.store.CreateScoped("admin", "", "everything", auth.DefaultKeyLifetime)
	assert.ErrorContains(t, err, `scope "everything"`)
}

func TestRateLimitsAreExposedAsMetrics(t *testing.T) {
	e := newEnv(t, api.WithReadLimit(1200, 2400), api.WithWriteLimit(100, 200))
	resp := e.do("admin", "GET", "/metrics", "")
	require.Equal(t, 200, resp.Status)
	for _, line := range []string{
		`deltaledger_gateway_rate_limit_per_second{budget="read"} 1200`,
		`deltaledger_gateway_rate_limit_burst{budget="read"} 2400`,
		`deltaledger_gateway_rate_limit_per_second{budget="write"} 100`,
		`deltaledger_gateway_rate_limit_burst{budget="write"} 200`,
	} {
		assert.Contains(t, string(resp.Body), line)
	}
}

func TestWaitFalseAnswers202WithStatusURL(t *testing.T) {
	e, resp := suspendWithoutWaiting(t, model.Participant{ID: "p-1", Status: "SUSPENDED"})
	v := newDocValidator(t, e.srv.Document())
	v.validate("POST", "/v1/participants/{id}/suspend", resp)
	m := resp.json(t)
	tx := m["transaction_id"].(string)
	assert.Equal(t, "/v1/transactions/"+tx, m["status_url"])
	assert.Equal(t, m["status_url"], resp.Header.Get("Location"))

	status := e.do("admin", "GET", m["status_url"].(string), "")
	require.Equal(t, 200, status.Status, "body: %s", status.Body)
	v.validate("GET", "/v1/transactions/{txid}", status)
	s := status.json(t)
	assert.Equal(t, true, s["committed"])
	assert.Equal(t, true, s["valid"])
	assert.Equal(t, "VALID", s["code"])
	assert.Equal(t, "SUSPENDED", s["result"].(map[string]any)["status"])

	// An ID no one ever sent is unknown, not pending.
	unknown := e.do("admin", "GET", "/v1/transactions/"+strings.Repeat("0", 64), "")
	require.Equal(t, 404, unknown.Status, "body: %s", unknown.Body)
	assert.Equal(t, "NOT_FOUND", unknown.errorBody(t).Code)
	assert.Equal(t, strings.Repeat("0", 64), unknown.errorBody(t).TransactionID)
	v.validate("GET", "/v1/transactions/{txid}", unknown)
}

// registeredOnce has the admin register p-1 with an Idempotency-Key, and returns the key and the answer.
func registeredOnce(t *testing.T, e *env) (reqOption, response) {
	t.Helper()
	e.fake.Returns("participants:Register", model.Participant{ID: "p-1"})
	key := header("Idempotency-Key", "register-p-1")
	first := e.do("admin", "POST", "/v1/participants", validRegister, key)
	require.Equal(t, 201, first.Status, "body: %s", first.Body)
	return key, first
}

func TestIdempotentRetryReturnsFirstOutcome(t *testing.T) {
	e := newEnv(t)
	key, first := registeredOnce(t, e)
	second := e.do("admin", "POST", "/v1/participants", validRegister, key)
	require.Equal(t, 201, second.Status)
	assert.JSONEq(t, string(first.Body), string(second.Body))
	assert.Equal(t, "true", second.Header.Get("Idempotent-Replayed"))
	assert.Len(t, e.fake.CallsTo("participants:Register"), 1, "a retry must not submit again")

	// The same key with another request is refused.
	other := e.do("admin", "POST", "/v1/participants", strings.Replace(validRegister, "Acme", "Other", 1), key)
	require.Equal(t, 422, other.Status)
	assert.Equal(t, "IDEMPOTENCY_KEY_REUSED", other.errorBody(t).Code)

	// Keys are per caller: another member's same key is a new request.
	third := e.do("bob", "POST", "/v1/participants", validRegister, key)
	require.Equal(t, 201, third.Status)
	assert.Len(t, e.fake.CallsTo("participants:Register"), 2)

	// A chaincode refusal is an outcome too.
	e.fake.Fails("participants:Suspend", chain.Rejected(ledgererr.Conflict, "", "already suspended", ""))
	k2 := header("Idempotency-Key", "suspend-1")
	require.Equal(t, 409, e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"x"}`, k2).Status)
	e.fake.Returns("participants:Suspend", model.Participant{ID: "p-1"})
	require.Equal(t, 409, e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"x"}`, k2).Status)
	assert.Len(t, e.fake.CallsTo("participants:Suspend"), 1)
}

// An attacker holding a valid key of its own sends another member's Idempotency-Keys: one whose request is running,
// with the same request, and one whose request committed, with another request. Each time it gets a call of its own
// (its own transaction ID, the chaincode run as itself), at once: neither the other's answer, nor a 422 for a key
// "already used", nor a wait behind the other's running request says that the other used the key. The key space is
// each member's own.
func TestAnotherMembersIdempotencyKeyTellsNothing(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	e.fake.Handle("participants:Reinstate", func(c chaintest.Call) (chaintest.Response, error) {
		if c.Member == "admin" && c.Args[0] == "p-1" {
			<-release
		}
		return chaintest.Response{Result: []byte(`{"id":"` + c.Member + `"}`)}, nil
	})
	var once sync.Once
	releaseAll := func() { once.Do(func() { close(release) }) }
	t.Cleanup(releaseAll)
	running, committed := header("Idempotency-Key", "reinstate-p-1"), header("Idempotency-Key", "reinstate-p-2")
	done := e.do("admin", "POST", "/v1/participants/p-2/reinstate", "", committed)
	require.Equal(t, http.StatusOK, done.Status, "body: %s", done.Body)
	first := make(chan response)
	go func() { first <- e.do("admin", "POST", "/v1/participants/p-1/reinstate", "", running) }()
	require.Eventually(t, func() bool { return len(e.fake.CallsTo("participants:Reinstate")) == 2 }, 3*time.Second, 5*time.Millisecond)

	answered := map[string]bool{done.json(t)["transaction_id"].(string): true}
	attack := func(when, path string, key reqOption) {
		t.Helper()
		answer := make(chan response, 1)
		go func() { answer <- e.do("bob", "POST", path, "", key) }()
		var r response
		select {
		case r = <-answer:
		case <-time.After(time.Second):
			t.Fatalf("%s: bob waits behind admin's request", when)
		}
		require.Equal(t, http.StatusOK, r.Status, "%s: %s", when, r.Body)
		assert.Empty(t, r.Header.Get("Idempotent-Replayed"), when)
		assert.JSONEq(t, `{"id":"bob"}`, string(mustRaw(t, r.json(t)["result"])), when)
		tx := r.json(t)["transaction_id"].(string)
		assert.False(t, answered[tx], "%s: bob was answered a transaction answered before", when)
		answered[tx] = true
	}
	attack("the key of admin's running request", "/v1/participants/p-1/reinstate", running)
	attack("the key of admin's committed request, another request", "/v1/participants/p-3/reinstate", committed)
	releaseAll()
	own := <-first
	require.Equal(t, http.StatusOK, own.Status, "body: %s", own.Body)
	assert.False(t, answered[own.json(t)["transaction_id"].(string)], "admin was answered bob's transaction")
	// Admin's keys are still admin's: a retry replays its own outcome.
	again := e.do("admin", "POST", "/v1/participants/p-2/reinstate", "", committed)
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	assert.JSONEq(t, string(done.Body), string(again.Body))
}

// mustRaw re-encodes a decoded JSON value.
func mustRaw(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// A certificate of a wallet member's identity over another key (what the holder of the org CA's registrar power can
// have issued) is a member who signs itself, not the member: it replays none of the member's idempotent outcomes,
// learns nothing of its transactions (they are unknown to it, as IDs nobody sent) and opens no stream as it.
func TestACertificateOfAWalletMembersIdentityOverAnotherKeyReachesNoneOfItsState(t *testing.T) {
	e := newEnv(t)
	key, first := registeredOnce(t, e)
	var done wire.SubmitBody
	require.NoError(t, json.Unmarshal(first.Body, &done))
	require.NotEmpty(t, done.TransactionID)

	forged := clientCert(e.adminOtherKey)
	retry := e.do("", "POST", "/v1/participants", validRegister, key, forged)
	require.Equal(t, http.StatusAccepted, retry.Status, "a proposal of its own to sign, not the admin's outcome: %s", retry.Body)
	assert.Empty(t, retry.Header.Get("Idempotent-Replayed"))
	assert.NotContains(t, string(retry.Body), done.TransactionID)
	requireAnsweredAsUnknown(t, e, done.TransactionID, "", forged)
	r := e.do("", "GET", "/v1/events", "", forged)
	require.Equal(t, http.StatusForbidden, r.Status, "body: %s", r.Body)
	assert.Len(t, e.fake.CallsTo("participants:Register"), 1, "nothing ran as the admin")
}

func TestIdempotentRetryAfterFailureBeforeSubmitRunsAgain(t *testing.T) {
	e := newEnv(t)
	e.fake.Fails("participants:Reinstate", &chain.Error{Kind: chain.KindEndorsement, Message: "peer down"})
	key := header("Idempotency-Key", "k")
	require.Equal(t, 502, e.do("admin", "POST", "/v1/participants/p-1/reinstate", "", key).Status)
	e.fake.Returns("participants:Reinstate", model.Participant{ID: "p-1"})
	require.Equal(t, 200, e.do("admin", "POST", "/v1/participants/p-1/reinstate", "", key).Status)
	assert.Len(t, e.fake.CallsTo("participants:Reinstate"), 2, "nothing was submitted the first time, so the retry runs")
}

func TestUnknownOutcomeIsResolvedOnRetry(t *testing.T) {
	e := newEnv(t)
	tx := strings.Repeat("ef", 32)
	result, _ := json.Marshal(model.Participant{ID: "p-1", Roles: []string{"holder"}, Status: "ACTIVE"})
	e.fake.Fails("participants:Reinstate", &chain.Error{Kind: chain.KindOutcomeUnknown, TransactionID: tx, Result: result,
		Message: "insufficient number of orderers could successfully process transaction to satisfy quorum requirement"})
	key := header("Idempotency-Key", "k")
	first := e.do("admin", "POST", "/v1/participants/p-1/reinstate", "", key)
	require.Equal(t, 504, first.Status, "body: %s", first.Body)
	assert.Equal(t, "OUTCOME_UNKNOWN", first.errorBody(t).Code)
	assert.Equal(t, tx, first.errorBody(t).TransactionID)

	// Still unknown: the retry answers the same, without submitting.
	again := e.do("admin", "POST", "/v1/participants/p-1/reinstate", "", key)
	require.Equal(t, 504, again.Status)

	// Once the transaction shows committed, the retry answers success with
	// the endorsed result, and never submits a duplicate.
	e.fake.SetStatus(chain.Status{TransactionID: tx, Committed: true, Valid: true, Code: "VALID", BlockNumber: 42})
	done := e.do("admin", "POST", "/v1/participants/p-1/reinstate", "", key)
	require.Equal(t, 200, done.Status, "body: %s", done.Body)
	m := done.json(t)
	assert.Equal(t, tx, m["transaction_id"])
	assert.Equal(t, float64(42), m["block_number"])
	assert.Equal(t, "ACTIVE", m["result"].(map[string]any)["status"])
	assert.Len(t, e.fake.CallsTo("participants:Reinstate"), 1)
	newDocValidator(t, e.srv.Document()).validate("POST", "/v1/participants/{id}/reinstate", done)
}

func TestConcurrentDuplicatesWaitForTheFirst(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	e.fake.Handle("participants:Reinstate", func(chaintest.Call) (chaintest.Response, error) {
		<-release
		return chaintest.Response{Result: []byte(`{"id":"p-1"}`)}, nil
	})
	var wg sync.WaitGroup
	results := make([]response, 5)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.do("admin", "POST", "/v1/participants/p-1/reinstate", "", header("Idempotency-Key", "same"))
		}()
	}
	time.Sleep(100 * time.Millisecond)
	close(release)
	wg.Wait()
	for _, r := range results {
		require.Equal(t, http.StatusOK, r.Status)
		assert.JSONEq(t, string(results[0].Body), string(r.Body))
	}
	assert.Len(t, e.fake.CallsTo("participants:Reinstate"), 1)
}

// TestTransactionResultOnlyToItsSubmitter checks that a transaction's status
// carries its result to the member who submitted it, and to nobody else:
// the result of another member's transaction is not theirs to read.
func TestTransactionResultOnlyToItsSubmitter(t *testing.T) {
	e, resp := suspendWithoutWaiting(t, model.Participant{ID: "p-1", Status: "SUSPENDED", StatusReason: "audit"})
	statusURL := resp.json(t)["status_url"].(string)

	own := e.do("admin", "GET", statusURL, "").json(t)
	assert.Equal(t, "SUSPENDED", own["result"].(map[string]any)["status"])
	other := e.do("bob", "GET", statusURL, "")
	require.Equal(t, 200, other.Status)
	assert.Equal(t, true, other.json(t)["committed"])
	assert.NotContains(t, other.json(t), "result")
}

// A member holding the ID of another's transaction that is not committed yet learns nothing of it: it is answered as
// an ID nobody sent (404, the same words), not "pending", so that the status route tells no member that another sent
// a transaction. Once committed, the transaction is on the channel every member reads: the status, without the result.
func TestAnotherMembersPendingTransactionIsUnknown(t *testing.T) {
	e, tx := pendingSuspension(t) // ordered, not committed yet

	own := e.do("admin", "GET", "/v1/transactions/"+tx, "")
	require.Equal(t, 200, own.Status, "body: %s", own.Body)
	assert.Equal(t, false, own.json(t)["committed"], "the sender sees its transaction pending")

	nobodys := strings.Repeat("0", 64)
	unknown := e.do("bob", "GET", "/v1/transactions/"+nobodys, "")
	other := e.do("bob", "GET", "/v1/transactions/"+tx, "")
	require.Equal(t, 404, other.Status, "another member learns that the transaction was sent: %s", other.Body)
	assert.Equal(t, unknown.errorBody(t).Code, other.errorBody(t).Code)
	assert.Equal(t, strings.ReplaceAll(unknown.errorBody(t).Message, nobodys, tx), other.errorBody(t).Message)

	e.fake.SetStatus(chain.Status{TransactionID: tx, Committed: true, Valid: true, Code: "VALID", BlockNumber: 9})
	other = e.do("bob", "GET", "/v1/transactions/"+tx, "")
	require.Equal(t, 200, other.Status, "body: %s", other.Body)
	assert.Equal(t, true, other.json(t)["committed"])
	assert.NotContains(t, other.json(t), "result")
}

// What names a member, a party or a key stays out of what the gateway exports and logs: a key sent in the query
// string authenticates nobody and is written nowhere (the access log has the path, never the query), a refused key is
// not echoed, and the metrics (which the org's admins scrape and keep) are labelled by operation, method, status,
// error code and chaincode function, never by a member, a key ID, a path parameter such as a USCC or a participant's
// ID, or an Idempotency-Key. /healthz, which anyone may ask, says "ok" and nothing else.
func TestNoMemberKeyOrPathValueInTheMetricsOrTheLog(t *testing.T) {
	var logs syncBuffer
	e := newEnv(t, api.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	e.fake.Fails("assets:Get", chain.Rejected(ledgererr.NotFound, "", "no asset", ""))
	e.fake.Returns("participants:Reinstate", model.Participant{ID: "p-1"})
	const uscc, participant, asset, idemKey = "91310000MA1FL1800B", "p-marker-participant", "a-marker-asset", "marker-idempotency-key"
	keyID := strings.SplitN(e.keys["alice"], "_", 3)[1]

	inQuery := e.do("", "GET", "/v1/participants/me?api_key="+e.keys["alice"], "")
	require.Equal(t, http.StatusUnauthorized, inQuery.Status, "a key in the query string authenticates nobody: %s", inQuery.Body)
	refused := e.do("", "GET", "/v1/participants/me", "", header("Authorization", "Bearer "+e.keys["alice"]+"x"))
	require.Equal(t, http.StatusUnauthorized, refused.Status)
	assert.NotContains(t, string(refused.Body), keyID, "a refused key is not echoed")
	e.do("alice", "GET", "/v1/assets/"+asset, "")
	e.do("alice", "POST", "/v1/participants/"+participant+"/reinstate", "", header("Idempotency-Key", idemKey))
	e.do("alice", "GET", "/v1/credit/subjects/"+uscc+"/records?purpose=marker-purpose", "")
	e.do("bob", "GET", "/v1/participants/"+participant+"/portfolio", "")

	metrics := e.do("admin", "GET", "/metrics", "")
	require.Equal(t, http.StatusOK, metrics.Status)
	health := e.do("", "GET", "/healthz", "")
	require.Equal(t, http.StatusOK, health.Status)
	assert.JSONEq(t, `{"status":"ok"}`, string(health.Body))
	for _, secret := range []string{"alice", "bob", keyID, "dlk_", uscc, participant, asset, idemKey, "marker-purpose"} {
		assert.NotContains(t, string(metrics.Body), secret, "the metrics name it")
	}
	assert.Contains(t, string(metrics.Body), `route="getAsset"`, "requests are counted by operation")

	require.Eventually(t, func() bool {
		logs.mu.Lock()
		defer logs.mu.Unlock()
		return strings.Count(logs.buf.String(), `"msg":"request"`) >= 7
	}, 2*time.Second, 10*time.Millisecond)
	logs.mu.Lock()
	defer logs.mu.Unlock()
	for member, key := range e.keys {
		assert.NotContains(t, logs.buf.String(), strings.SplitN(key, "_", 3)[2], "the log holds %s's key", member)
	}
	assert.NotContains(t, logs.buf.String(), "api_key", "the log holds a query string")
}

// The method label of the request metrics takes the HTTP methods only:
// anybody, without credentials, may send a request with any method token,
// and each new label value would be a new series (a histogram's dozen) kept
// for the life of the process and scraped every time.
func TestRequestMetricsDoNotTakeTheCallersMethod(t *testing.T) {
	e := newEnv(t)
	for i := range 50 {
		resp := e.do("", fmt.Sprintf("BREW%d", i), "/v1/whatever", "")
		require.Equal(t, 404, resp.Status)
	}
	resp := e.do("admin", "GET", "/metrics", "")
	require.Equal(t, 200, resp.Status)
	assert.NotContains(t, string(resp.Body), `method="BREW`)
	assert.Contains(t, string(resp.Body), `deltaledger_gateway_http_requests_total{method="OTHER",route="notFound",status="404"} 50`)
}

// A new Idempotency-Key past the member's bound of kept outcomes is 429 RATE_LIMITED with Retry-After (when its first
// outcome expires), before anything is submitted; the member's kept key is still answered, a submit without a key
// runs, and another member's new key runs.
func TestANewIdempotencyKeyPastTheMembersBoundIs429(t *testing.T) {
	e := newEnv(t)
	store := transactions.NewStore(time.Hour, transactions.WithLimits(1, transactions.DefaultMaxBytes))
	e.serve(e.fake, api.WithTransactions(transactions.New(e.fake, store)))
	key, first := registeredOnce(t, e)
	r := e.do("admin", "POST", "/v1/participants", validRegister, header("Idempotency-Key", "register-p-2"))
	require.Equal(t, http.StatusTooManyRequests, r.Status, "body: %s", r.Body)
	assert.Equal(t, "RATE_LIMITED", r.errorBody(t).Code)
	wait, err := strconv.Atoi(r.Header.Get("Retry-After"))
	require.NoError(t, err)
	assert.True(t, wait > 3500 && wait <= 3600, "its first outcome expires within the hour: %d s", wait)
	assert.Len(t, e.fake.CallsTo("participants:Register"), 1, "nothing submitted for the refused key")

	again := e.do("admin", "POST", "/v1/participants", validRegister, key)
	require.Equal(t, 201, again.Status)
	assert.JSONEq(t, string(first.Body), string(again.Body), "the kept key is answered")
	require.Equal(t, 201, e.do("admin", "POST", "/v1/participants", validRegister).Status, "without a key")
	require.Equal(t, 201, e.do("bob", "POST", "/v1/participants", validRegister, header("Idempotency-Key", "register-p-2")).Status, "another member")
}
