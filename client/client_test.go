package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
	"github.com/deltaledger/deltaledger/internal/loopback/loopbacktest"
	"github.com/deltaledger/deltaledger/internal/serverurl"
	"github.com/deltaledger/deltaledger/model"
)

func TestNewValidatesTheURLAndOptions(t *testing.T) {
	for _, bad := range []string{"", "127.0.0.1:27180", "ftp://host", "https://", "https://h/?q=1", "https://h/#f"} {
		_, err := New(bad)
		assert.Error(t, err, "New(%q)", bad)
	}
	for name, opt := range map[string]Option{
		"empty key":        WithAPIKey(""),
		"empty cert":       WithTLSClientCertificate(tls.Certificate{}),
		"nil pool":         WithRootCAs(nil),
		"no CA file":       WithCAFile(filepath.Join(t.TempDir(), "missing.pem")),
		"nil HTTP client":  WithHTTPClient(nil),
		"negative timeout": WithTimeout(-time.Second),
		"bad retries":      WithRetries(-1, 0, 0),
	} {
		_, err := New("https://127.0.0.1:27180", opt)
		assert.Error(t, err, name)
	}
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("not a certificate"), 0o600))
	_, err := New("https://127.0.0.1:27180", WithCAFile(notPEM))
	assert.ErrorContains(t, err, "no PEM certificate")

	c, err := New(" https://127.0.0.1:27180/ ")
	require.NoError(t, err)
	assert.Equal(t, "https://127.0.0.1:27180", c.BaseURL())
}

// TestNewRefusesPlainHTTPToAnotherMachine: over plain HTTP the API key and
// every answer travel in clear, so only a gateway on this machine may be
// reached so; a name that merely resolves to a loopback address does not count.
func TestNewRefusesPlainHTTPToAnotherMachine(t *testing.T) {
	for _, far := range []string{"http://10.0.0.7:27180", "http://gateway.example", "http://0.0.0.0:27180",
		"http://localhost.example:27180", "http://[::ffff:10.0.0.7]:27180"} {
		_, err := New(far, WithAPIKey("k"))
		assert.ErrorContains(t, err, "plain http only for a gateway on this machine", "New(%q)", far)
	}
	for _, near := range []string{"http://127.0.0.1:27180", "http://localhost:27180", "http://[::1]:27180", "https://10.0.0.7:27180"} {
		_, err := New(near, WithAPIKey("k"))
		assert.NoError(t, err, "New(%q)", near)
	}
}

// Plain http is for a gateway on this machine: a connection to http://localhost that reached another machine
// (the name resolved elsewhere, or a proxy of the caller's transport) is closed before a byte is sent, the API
// key among them.
func TestPlainHTTPSendsNothingToAnotherMachine(t *testing.T) {
	far, sent := loopbacktest.Far(t)
	c, err := New("http://localhost:27180", WithAPIKey(testKey), WithRetries(0, 0, 0), WithTimeout(5*time.Second),
		WithHTTPClient(&http.Client{Transport: &http.Transport{DialContext: far}}))
	require.NoError(t, err)
	_, err = c.Participants().Me(context.Background())
	require.Error(t, err)
	assert.ErrorContains(t, err, "not on this machine")
	assert.Empty(t, sent(), "sent to another machine")
}

// TestNewRefusesAUserOrPasswordInTheURL: the client would drop them (it authenticates with WithAPIKey or a
// certificate) and an error that echoed the URL would write the password into a log; so a URL with user
// information is refused, and no error of New repeats the password, a URL that does not parse included.
func TestNewRefusesAUserOrPasswordInTheURL(t *testing.T) {
	for _, bad := range []string{"https://alice:s3cret@gw.example:27180", "https://:s3cret@gw.example", "http://alice:s3cret@127.0.0.1:27180",
		"http://alice:s3cret@gw.example", "ftp://alice:s3cret@gw.example", "https://alice:s3cret@gw.example/?q=1",
		"https://alice:s3cret@gw.example:port", "https://alice:s3cret@gw.example/%zz"} {
		_, err := New(bad, WithAPIKey("k"))
		require.Error(t, err, "New(%q)", bad)
		assert.NotContains(t, err.Error(), "s3cret", "New(%q)", bad)
	}
	_, err := New("https://alice:s3cret@gw.example:27180")
	assert.ErrorIs(t, err, serverurl.ErrUserInfo)
}

func TestRequestsCarryTheCredentialsAndUserAgent(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		reply(w, 200, model.Participant{ID: "jiangsu.buyer", MSPID: "JiangsuMSP", Roles: []string{"buyer"}})
	}, WithUserAgent("bank-portal/2.1"))
	me, err := g.c.Participants().Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "jiangsu.buyer", me.ID)
	assert.Equal(t, []string{"buyer"}, me.Roles)

	r := g.last()
	assert.Equal(t, "GET", r.Method)
	assert.Equal(t, "/v1/participants/me", r.Path)
	assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Equal(t, "bank-portal/2.1 deltaledger-go/"+Version, r.Header.Get("User-Agent"))
	assert.Empty(t, r.Header.Get("Idempotency-Key"), "reads carry no idempotency key")
	assert.Empty(t, r.Body)
}

func TestApplySendsTheFieldsAndDecodesTheCommittedResult(t *testing.T) {
	hash := SHA256([]byte("port data"))
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		b := bodyOf(t, body)
		reply(w, 201, map[string]any{"transaction_id": txA, "block_number": 42, "result": model.Asset{
			AssetDescription: model.AssetDescription{ID: b["id"].(string), Name: b["name"].(string), ContentHash: b["contentHash"].(string)},
			Status:           model.AssetPendingReview, HolderID: "shanghai.holder",
		}})
	})
	res, err := g.c.Assets().Apply(context.Background(), ApplyRequest{ID: "asset-1", Name: "Waigaoqiao container moves",
		Category: "transport", SourceRegion: "shanghai", Description: "Hourly moves per berth", ContentHash: hash})
	require.NoError(t, err)
	assert.Equal(t, txA, res.TransactionID)
	assert.Equal(t, uint64(42), res.BlockNumber)
	assert.True(t, res.Committed)
	assert.False(t, res.Replayed)
	require.NotNil(t, res.Result)
	assert.Equal(t, model.AssetPendingReview, res.Result.Status)
	assert.Equal(t, hash, res.Result.ContentHash)

	r := g.last()
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, "/v1/assets", r.Path)
	assert.Empty(t, r.RawQuery)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Regexp(t, `^dlc-[0-9a-f]{32}$`, r.Header.Get("Idempotency-Key"))
	assert.Equal(t, r.Header.Get("Idempotency-Key"), res.IdempotencyKey)
	assert.Equal(t, map[string]any{"id": "asset-1", "name": "Waigaoqiao container moves", "category": "transport",
		"sourceRegion": "shanghai", "description": "Hourly moves per berth", "contentHash": hash}, bodyOf(t, r.Body))

	// Every call gets its own key.
	_, err = g.c.Assets().Apply(context.Background(), ApplyRequest{ID: "asset-2"})
	require.NoError(t, err)
	assert.NotEqual(t, res.IdempotencyKey, g.last().Header.Get("Idempotency-Key"))
}

func TestActionsWithoutFieldsSendAnEmptyObject(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		reply(w, 200, map[string]any{"transaction_id": txA, "block_number": 9, "result": map[string]any{"id": "t1", "status": "ACCEPTED"}})
	})
	res, err := g.c.Trades().Accept(context.Background(), "t1")
	require.NoError(t, err)
	assert.Equal(t, "ACCEPTED", res.Result.Status)
	r := g.last()
	assert.Equal(t, "/v1/trades/t1/accept", r.Path)
	assert.JSONEq(t, `{}`, string(r.Body))
}

func TestWithIdempotencyKeyAndReplays(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.Header().Set("Idempotent-Replayed", "true")
		reply(w, 200, map[string]any{"transaction_id": txA, "block_number": 3, "result": map[string]any{"id": "t1", "status": "PAID"}})
	})
	res, err := g.c.Trades().Pay(context.Background(), "t1", PaymentRequest{SettlementRef: "BANK-1", AmountFen: 150000},
		WithIdempotencyKey("pay-t1"))
	require.NoError(t, err)
	assert.True(t, res.Replayed)
	assert.Equal(t, "pay-t1", res.IdempotencyKey)
	r := g.last()
	assert.Equal(t, "pay-t1", r.Header.Get("Idempotency-Key"))
	assert.Equal(t, "/v1/trades/t1/payment", r.Path)
	assert.Equal(t, map[string]any{"settlementRef": "BANK-1", "amountFen": float64(150000)}, bodyOf(t, r.Body))
}

func TestErrorsKeepTheGatewaysShape(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		check  func(error) bool
		code   string
	}{
		{404, `{"code":"NOT_FOUND","message":"asset \"x\" does not exist"}`, IsNotFound, "NOT_FOUND"},
		{409, `{"code":"CONFLICT","message":"trade \"t\" is COMPLETED; cannot confirm"}`, IsConflict, "CONFLICT"},
		{409, `{"code":"CONFLICT","message":"another transaction changed the records this request concerns first","transaction_id":"` + txA + `"}`, IsConflict, "CONFLICT"},
		{403, `{"code":"FORBIDDEN","message":"caller is not an operator"}`, IsForbidden, "FORBIDDEN"},
		{400, `{"code":"INVALID_ARGUMENT","message":"scope.regions[1]: must be a region","field":"scope.regions[1]"}`, IsInvalidArgument, "INVALID_ARGUMENT"},
		{401, `{"code":"UNAUTHENTICATED","message":"invalid API key"}`, IsUnauthenticated, "UNAUTHENTICATED"},
		{504, `{"code":"OUTCOME_UNKNOWN","message":"unknown","transaction_id":"` + txA + `"}`, IsOutcomeUnknown, "OUTCOME_UNKNOWN"},
		{502, `<html>Bad Gateway</html>`, func(error) bool { return true }, "HTTP_502"},
	} {
		t.Run(fmt.Sprint(tc.status, tc.code), func(t *testing.T) {
			g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { reply(w, tc.status, tc.body) })
			_, err := g.c.Assets().Get(context.Background(), "x")
			require.Error(t, err)
			wrapped := fmt.Errorf("registering: %w", err)
			var e *Error
			require.True(t, errors.As(wrapped, &e))
			assert.Equal(t, tc.status, e.Status)
			assert.Equal(t, tc.code, e.Code)
			assert.True(t, tc.check(wrapped))
			assert.Contains(t, e.Error(), fmt.Sprint(tc.status, " ", tc.code))
			if strings.Contains(tc.body, "field") {
				assert.Equal(t, "scope.regions[1]", e.Field)
			}
			if strings.Contains(tc.body, "transaction_id") {
				assert.Equal(t, txA, e.TransactionID)
				assert.Contains(t, e.Error(), txA)
			}
			if tc.code == "HTTP_502" {
				assert.Equal(t, "<html>Bad Gateway</html>", e.Message)
			}
			assert.False(t, IsNotFound(errors.New("other")) || (tc.status != 404 && IsNotFound(err)))
		})
	}
}

func TestRetriesOn429AfterRetryAfter(t *testing.T) {
	n := 0
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if n++; n <= 2 {
			w.Header().Set("Retry-After", "3")
			fail(w, 429, "RATE_LIMITED", "rate limit exceeded")
			return
		}
		reply(w, 200, model.Asset{AssetDescription: model.AssetDescription{ID: "a1"}})
	})
	a, err := g.c.Assets().Get(context.Background(), "a1")
	require.NoError(t, err)
	assert.Equal(t, "a1", a.ID)
	assert.Len(t, g.requests(), 3)
	assert.Equal(t, []time.Duration{3 * time.Second, 3 * time.Second}, g.waits())
}

func TestRetriesA503SubmitWithTheSameKeyAndBody(t *testing.T) {
	n := 0
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if n++; n <= 2 {
			fail(w, 503, "UNAVAILABLE", "peer unavailable")
			return
		}
		reply(w, 201, map[string]any{"transaction_id": txA, "block_number": 5, "result": map[string]any{"id": "t1", "status": "NEGOTIATING"}})
	})
	res, err := g.c.Trades().StageTerms(context.Background(), "t1", 1, "l1", OfferTerms{PriceFen: 120000, Conditions: "SFTP"})
	require.NoError(t, err)
	assert.Equal(t, txA, res.TransactionID)
	reqs := g.requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs[1:] {
		assert.Equal(t, reqs[0].Header.Get("Idempotency-Key"), r.Header.Get("Idempotency-Key"))
		assert.Equal(t, string(reqs[0].Body), string(r.Body), "a retry sends the same body (the same generated salt)")
	}
	waits := g.waits()
	require.Len(t, waits, 2)
	assert.True(t, waits[0] >= DefaultMinBackoff/2 && waits[0] <= DefaultMinBackoff, "%s", waits[0])
	assert.True(t, waits[1] >= DefaultMinBackoff && waits[1] <= 2*DefaultMinBackoff, "%s", waits[1])
}

func TestNoRetryOfASubmitWithoutIdempotencyKey(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		fail(w, 503, "UNAVAILABLE", "peer unavailable")
	})
	_, err := g.c.Trades().Confirm(context.Background(), "t1", NoIdempotencyKey())
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 503, e.Status)
	require.Len(t, g.requests(), 1)
	assert.Empty(t, g.last().Header.Get("Idempotency-Key"))
}

func TestNoRetryOnOtherStatuses(t *testing.T) {
	for _, status := range []int{400, 409, 500, 502, 504} {
		g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { fail(w, status, "X", "no") })
		_, err := g.c.Listings().Get(context.Background(), "l1")
		require.Error(t, err)
		_, err = g.c.Listings().Delist(context.Background(), "l1", "sold elsewhere")
		require.Error(t, err)
		assert.Len(t, g.requests(), 2, "status %d", status)
	}
}

func TestRetriesAreBounded(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { fail(w, 503, "UNAVAILABLE", "down") },
		WithRetries(2, 10*time.Millisecond, 20*time.Millisecond))
	_, err := g.c.MarketRules().Get(context.Background())
	require.Error(t, err)
	assert.Len(t, g.requests(), 3)
	for _, d := range g.waits() {
		assert.LessOrEqual(t, d, 20*time.Millisecond)
	}

	g = newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { fail(w, 503, "UNAVAILABLE", "down") }, WithRetries(0, 0, 0))
	_, err = g.c.MarketRules().Get(context.Background())
	require.Error(t, err)
	assert.Len(t, g.requests(), 1)
}

func TestRetryAfterBeyondTheLimitOrTheDeadlineIsAnswered(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Retry-After", "3600")
		fail(w, 429, "RATE_LIMITED", "slow down")
	})
	_, err := g.c.Assets().Get(context.Background(), "a1")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, time.Hour, e.RetryAfter)
	assert.Len(t, g.requests(), 1)

	g = newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Retry-After", "5")
		fail(w, 429, "RATE_LIMITED", "slow down")
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err = g.c.Assets().Get(ctx, "a1")
	require.Error(t, err)
	assert.Len(t, g.requests(), 1)
}

func TestNoWaitThenWait(t *testing.T) {
	polls := 0
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch r.URL.Path {
		case "/v1/trades/t1/cancel":
			w.Header().Set("Location", "/v1/transactions/"+txA)
			reply(w, 202, map[string]any{"transaction_id": txA, "status_url": "/v1/transactions/" + txA})
		case "/v1/transactions/" + txA:
			if polls++; polls == 1 {
				reply(w, 200, map[string]any{"transaction_id": txA, "committed": false, "valid": false})
				return
			}
			reply(w, 200, map[string]any{"transaction_id": txA, "committed": true, "valid": true, "code": "VALID", "block_number": 77,
				"result": map[string]any{"id": "t1", "status": "CANCELLED"}})
		default:
			fail(w, 404, "NOT_FOUND", r.URL.Path)
		}
	})
	sub, err := g.c.Trades().Cancel(context.Background(), "t1", "changed my mind", NoWait())
	require.NoError(t, err)
	assert.Equal(t, "wait=false", g.requests()[0].RawQuery)
	assert.False(t, sub.Committed)
	assert.Equal(t, txA, sub.TransactionID)
	assert.Nil(t, sub.Result)
	assert.Zero(t, sub.BlockNumber)

	done, err := sub.Wait(context.Background())
	require.NoError(t, err)
	assert.True(t, done.Committed)
	assert.Equal(t, uint64(77), done.BlockNumber)
	require.NotNil(t, done.Result)
	assert.Equal(t, "CANCELLED", done.Result.Status)
	assert.Equal(t, 2, polls)
	again, err := done.Wait(context.Background())
	require.NoError(t, err)
	assert.Same(t, done, again)
}

func TestWaitReportsAnInvalidCommit(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.Method == "POST" {
			reply(w, 202, map[string]any{"transaction_id": txB, "status_url": "/v1/transactions/" + txB})
			return
		}
		reply(w, 200, map[string]any{"transaction_id": txB, "committed": true, "valid": false, "code": "MVCC_READ_CONFLICT", "block_number": 12})
	})
	sub, err := g.c.Listings().UpdatePrice(context.Background(), "l1", 99000, "discount", NoWait())
	require.NoError(t, err)
	_, err = sub.Wait(context.Background())
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, CodeConflict, e.Code, "a lost race is a conflict, not a failure")
	assert.Equal(t, txB, e.TransactionID)
	assert.True(t, IsConflict(err))
	assert.Contains(t, e.Message, "read them again")

	st, err := g.c.Transactions().Wait(context.Background(), txB)
	require.NoError(t, err)
	assert.False(t, st.Valid)
	assert.Equal(t, "MVCC_READ_CONFLICT", st.Code)

	// In the client's language, as the gateway would have written it.
	zh, err := New(g.srv.URL, WithAPIKey(testKey), WithAcceptLanguage("zh-CN"))
	require.NoError(t, err)
	sub, err = zh.Listings().UpdatePrice(context.Background(), "l1", 99000, "discount", NoWait())
	require.NoError(t, err)
	_, err = sub.Wait(context.Background())
	require.ErrorAs(t, err, &e)
	assert.Equal(t, CodeConflict, e.Code)
	assert.True(t, strings.HasPrefix(e.Message, "另一笔交易先修改了本请求涉及的记录（交易 "+txB), e.Message)
}

func TestTimeoutBoundsEachRequest(t *testing.T) {
	release := make(chan struct{})
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}, WithTimeout(50*time.Millisecond))
	defer close(release)
	start := time.Now()
	_, err := g.c.Participants().Me(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestPathSegmentsAreEscapedAndRequired(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		reply(w, 200, model.Asset{AssetDescription: model.AssetDescription{ID: "x"}})
	})
	_, err := g.c.Assets().Get(context.Background(), "a b/c")
	require.NoError(t, err)
	assert.Equal(t, "/v1/assets/a%20b%2Fc", g.last().RawPath)

	n := len(g.requests())
	_, err = g.c.Assets().Get(context.Background(), "")
	assert.ErrorContains(t, err, "asset ID is required")
	_, err = g.c.Trades().Confirm(context.Background(), "")
	assert.ErrorContains(t, err, "trade ID is required")
	_, err = Collect(g.c.Listings().ByCategory(context.Background(), ""))
	assert.ErrorContains(t, err, "category is required")
	_, err = Collect(g.c.Credit().Traces(context.Background(), ""))
	assert.ErrorContains(t, err, "subject USCC is required")
	_, err = g.c.Credit().Lookup(context.Background(), "91310000MA1FL1800B", LookupRequest{})
	assert.ErrorContains(t, err, "purpose is required")
	_, err = g.c.Participants().Enterprise(context.Background(), "")
	assert.ErrorContains(t, err, "USCC is required")
	assert.Len(t, g.requests(), n, "nothing was sent")
}

func TestABaseURLWithAPathPrefix(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		reply(w, 200, model.Participant{ID: "me"})
	})
	c, err := New(g.srv.URL+"/deltaledger/", WithAPIKey(testKey))
	require.NoError(t, err)
	_, err = c.Participants().Get(context.Background(), "anhui.buyer")
	require.NoError(t, err)
	assert.Equal(t, "/deltaledger/v1/participants/anhui.buyer", g.last().Path)
}

func TestPublicOperations(t *testing.T) {
	ready := false
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.URL.Path {
		case "/healthz":
			reply(w, 200, map[string]any{"status": "ok"})
		case "/readyz":
			if !ready {
				reply(w, 503, map[string]any{"status": "unavailable", "error": "peer unreachable"})
				return
			}
			reply(w, 200, map[string]any{"status": "ok"})
		case "/v1/openapi.json":
			reply(w, 200, `{"openapi":"3.1.0"}`)
		}
	})
	ctx := context.Background()
	require.NoError(t, g.c.Health(ctx))
	err := g.c.Ready(ctx)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 503, e.Status)
	assert.Equal(t, "peer unreachable", e.Message)
	ready = true
	require.NoError(t, g.c.Ready(ctx))
	doc, err := g.c.OpenAPI(ctx)
	require.NoError(t, err)
	assert.JSONEq(t, `{"openapi":"3.1.0"}`, string(doc))
}

func TestRequestBodiesOfTheTypedRequests(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		reply(w, 201, map[string]any{"transaction_id": txA, "block_number": 1, "result": map[string]any{}})
	})
	ctx := context.Background()
	until := time.Date(2027, 5, 1, 16, 30, 0, 0, time.FixedZone("CST", 8*3600))

	_, err := g.c.Listings().Create(ctx, CreateListingRequest{ID: "l1", AssetID: "a1", RightType: model.RightUse, Pricing: "FIXED",
		PriceFen: 150000, TermsHash: SHA256([]byte("terms")),
		Scope: &Scope{Purpose: "route analytics", Regions: []string{"shanghai", "jiangsu"}, ValidUntil: until}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"l1","assetId":"a1","rightType":"USE","pricing":"FIXED","priceFen":150000,"termsHash":"`+SHA256([]byte("terms"))+`",
		"scope":{"purpose":"route analytics","regions":["shanghai","jiangsu"],"validFrom":"","validUntil":"2027-05-01T08:30:00Z","maySublicense":false}}`,
		string(g.last().Body))

	_, err = g.c.Listings().Create(ctx, CreateListingRequest{ID: "l2", AssetID: "a1", RightType: model.RightHolding, Pricing: "NEGOTIABLE", PriceFen: 1, TermsHash: "h"})
	require.NoError(t, err)
	assert.NotContains(t, bodyOf(t, g.last().Body), "scope", "a HOLDING listing has no scope")

	_, err = g.c.Trades().StageTerms(ctx, "t1", 1, "l1", OfferTerms{PriceFen: 150000, Conditions: "SFTP"})
	require.NoError(t, err)
	assert.Equal(t, "/v1/trades/t1/terms", g.last().Path)
	staged := bodyOf(t, g.last().Body)
	assert.EqualValues(t, 1, staged["round"])
	assert.Equal(t, "l1", staged["listingId"], "round 1 names the listing, whose seller's org endorses")
	terms := staged["terms"].(map[string]any)
	assert.EqualValues(t, 150000, terms["priceFen"], "the terms carry the price as a JSON integer")
	assert.Equal(t, "SFTP", terms["conditions"])
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{32}$`), terms["salt"])

	_, err = g.c.Trades().StageTerms(ctx, "t1", 2, "", OfferTerms{PriceFen: 130000, Salt: strings.Repeat("ab", 16)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"round":2,"terms":{"priceFen":130000,"salt":"`+strings.Repeat("ab", 16)+`"}}`, string(g.last().Body), "a later round names no listing")

	_, err = g.c.Trades().Order(ctx, OrderRequest{TradeID: "t2", ListingID: "l1"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"tradeId":"t2","listingId":"l1"}`, string(g.last().Body))

	_, err = g.c.Trades().Counter(ctx, "t1")
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(g.last().Body), "a counter-offer carries no terms: they were staged")

	_, err = g.c.Credit().Stage(ctx, StageRequest{RecordID: "r1", SubjectUSCC: "91310000MA1FL1800B", Record: CreditContents{
		Type: "RATING", Grade: "A", EvidenceHash: SHA256([]byte("audit")), ValidUntil: until, Summary: "Annual rating"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"recordId":"r1","subjectUscc":"91310000MA1FL1800B","record":{"type":"RATING","grade":"A",
		"evidenceHash":"`+SHA256([]byte("audit"))+`","validUntil":"2027-05-01T08:30:00Z","summary":"Annual rating"}}`, string(g.last().Body))

	_, err = g.c.Credit().Authorize(ctx, AuthorizeRequest{AuthID: "auth-1", GranteeID: "jiangsu.buyer", Purpose: "due diligence", ValidUntil: until})
	require.NoError(t, err)
	assert.JSONEq(t, `{"authId":"auth-1","granteeId":"jiangsu.buyer","purpose":"due diligence","validUntil":"2027-05-01T08:30:00Z"}`, string(g.last().Body))

	_, err = g.c.MarketRules().Approve(ctx, model.Rules{Version: 2, NoticePeriodSeconds: 2, Orgs: []model.MarketOrg{}, Regulators: []model.Regulator{}})
	require.NoError(t, err)
	assert.Equal(t, "POST", g.last().Method)
	assert.JSONEq(t, `{"rules":{"version":2,"noticePeriodSeconds":2,"orgs":[],"regulators":[]}}`, string(g.last().Body))

	var s Scope
	require.NoError(t, s.UnmarshalJSON([]byte(`{"purpose":"p","regions":["anhui"],"validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-05-01T08:30:00Z","maySublicense":true}`)))
	assert.Equal(t, until.UTC(), s.ValidUntil)
	assert.True(t, s.MaySublicense)
}

func TestTLSWithACAFileAndAClientCertificate(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TLS.PeerCertificates) == 0 {
			fail(w, 401, "UNAUTHENTICATED", "no certificate")
			return
		}
		reply(w, 200, model.Participant{ID: r.TLS.PeerCertificates[0].Subject.CommonName})
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	srv.StartTLS()
	defer srv.Close()
	caFile := filepath.Join(t.TempDir(), "gateway-ca.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))

	c, err := New(srv.URL, WithCAFile(caFile), WithTLSClientCertificate(clientCertificate(t, "User3@shanghai.deltaledger.local")))
	require.NoError(t, err)
	me, err := c.Participants().Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "User3@shanghai.deltaledger.local", me.ID)

	// The same with a pool, and with an HTTP client of the caller's.
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c, err = New(srv.URL, WithRootCAs(pool), WithHTTPClient(&http.Client{Timeout: time.Minute}))
	require.NoError(t, err)
	_, err = c.Participants().Me(context.Background())
	assert.True(t, IsUnauthenticated(err), "no certificate: %v", err)

	// Without the CA the gateway is not trusted.
	c, err = New(srv.URL, WithAPIKey(testKey))
	require.NoError(t, err)
	_, err = c.Participants().Me(context.Background())
	assert.ErrorContains(t, err, "certificate")

	_, err = New(srv.URL, WithCAFile(caFile), WithHTTPClient(&http.Client{Transport: roundTripper(nil)}))
	assert.ErrorContains(t, err, "*http.Transport")
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// clientCertificate makes a self-signed TLS client certificate.
func clientCertificate(t *testing.T, cn string) tls.Certificate {
	t.Helper()
	der, key := fabricatest.SelfSigned(t, &x509.Certificate{
		Subject:  pkix.Name{CommonName: cn},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestHashes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "data.csv")
	require.NoError(t, os.WriteFile(file, []byte("berth,moves\n1,20\n"), 0o600))
	sum, err := SHA256File(file)
	require.NoError(t, err)
	assert.Equal(t, SHA256([]byte("berth,moves\n1,20\n")), sum)
	assert.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", SHA256(nil))
	_, err = SHA256File(filepath.Join(t.TempDir(), "missing"))
	assert.Error(t, err)
	assert.Regexp(t, `^[0-9a-f]{32}$`, NewSalt())
	assert.NotEqual(t, NewSalt(), NewSalt())
}

func TestConcurrentRequestsReuseTheirConnections(t *testing.T) {
	var mu sync.Mutex
	opened := 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, model.Participant{ID: "p-1"})
	}))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			mu.Lock()
			opened++
			mu.Unlock()
		}
	}
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c, err := New(srv.URL, WithAPIKey(testKey), WithRootCAs(pool))
	require.NoError(t, err)

	const inFlight = 20
	burst := func(each int) int {
		mu.Lock()
		before := opened
		mu.Unlock()
		var wg sync.WaitGroup
		for range inFlight {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					_, err := c.Participants().Get(context.Background(), "p-1")
					assert.NoError(t, err)
				}
			}()
		}
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return opened - before
	}
	// The first burst opens the connections; the client keeps them all, so
	// the next burst opens none. Go's default of two idle connections per
	// host would open most anew.
	burst(5)
	again := burst(20)
	assert.LessOrEqual(t, again, 2, "%d requests, %d in flight, after a first burst: opened %d more TLS connections", 20*inFlight, inFlight, again)
}

func TestAcceptLanguageIsSentWhenGiven(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		reply(w, 200, model.Participant{ID: "jiangsu.buyer"})
	}, WithAcceptLanguage("zh-CN"))
	_, err := g.c.Participants().Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "zh-CN", g.last().Header.Get("Accept-Language"))

	plain := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		reply(w, 200, model.Participant{ID: "jiangsu.buyer"})
	})
	_, err = plain.c.Participants().Me(context.Background())
	require.NoError(t, err)
	assert.Empty(t, plain.last().Header.Values("Accept-Language"), "none unless asked: the gateway's default is English")
}

// A gateway whose ledger index is catching up with the channel answers a member who signs its own calls 503 for any
// ID, its own committed transaction among them (REST 8.0.0): Wait asks again, after the Retry-After named, for
// longer than the client's own retries of one request, until the committed answer, which a NOT_FOUND would have
// ended (the caller taking it for never sent, and sending it again).
func TestWaitAsksAgainThroughAGatewayWhoseIndexIsCatchingUp(t *testing.T) {
	const catchingUp = 2 * (DefaultMaxRetries + 1)
	polls := 0
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if polls++; polls <= catchingUp {
			w.Header().Set("Retry-After", "1")
			fail(w, 503, "UNAVAILABLE", "the status of transaction "+txA+" cannot be told yet: the gateway's ledger index is catching up with the channel")
			return
		}
		reply(w, 200, map[string]any{"transaction_id": txA, "committed": true, "valid": true, "code": "VALID", "block_number": 5})
	})
	st, err := g.c.Transactions().Wait(context.Background(), txA)
	require.NoError(t, err)
	assert.True(t, st.Committed)
	assert.Equal(t, uint64(5), st.BlockNumber)
	assert.Equal(t, catchingUp+1, polls)
	for _, d := range g.sleeps {
		assert.Equal(t, time.Second, d, "the Retry-After named")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	polls = 0
	_, err = g.c.Transactions().Wait(ctx, txA)
	assert.ErrorIs(t, err, context.Canceled, "the wait ends with ctx")
}
