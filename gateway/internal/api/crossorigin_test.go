package api_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/signing"
	"github.com/deltaledger/deltaledger/model"
)

// A browser that holds a member's client certificate (an enterprise's USB
// key) presents it to the gateway on any request, whichever site made the
// browser send it: a page of another site must not make the member change
// the ledger, whether by a body-less POST, a POST whose body has no media
// type (a Blob) or the credit lookup's GET, which commits a query trace.
func TestCrossOriginBrowserRequestsDoNotChangeTheLedger(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("participants:Register", model.Participant{ID: "p-1"})
	e.fake.Returns("participants:WhoAmI", model.Participant{ID: "admin"})
	e.fake.Returns("trades:Confirm", model.Trade{ID: "T-1"})
	programCredit(t, e.fake, false)
	noMediaType := func(r *http.Request) { r.Header.Del("Content-Type") }
	cases := []refusedRequest{
		{name: "cross-site POST", method: "POST", path: "/v1/participants", body: validRegister,
			opts: []reqOption{clientCert(e.certs["admin"]), noMediaType, header("Sec-Fetch-Site", "cross-site")}, status: 403, code: "FORBIDDEN"},
		{name: "same-site POST (another port of the host)", method: "POST", path: "/v1/participants", body: validRegister,
			opts: []reqOption{clientCert(e.certs["admin"]), noMediaType, header("Sec-Fetch-Site", "same-site")}, status: 403, code: "FORBIDDEN"},
		{name: "POST from another origin, older browser", method: "POST", path: "/v1/participants", body: validRegister,
			opts: []reqOption{clientCert(e.certs["admin"]), noMediaType, header("Origin", "https://evil.example")}, status: 403, code: "FORBIDDEN"},
		{name: "cross-site body-less POST", method: "POST", path: "/v1/trades/T-1/confirm",
			opts: []reqOption{clientCert(e.certs["alice"]), header("Sec-Fetch-Site", "cross-site")}, status: 403, code: "FORBIDDEN"},
		{name: "cross-site credit lookup", method: "GET", path: "/v1/credit/subjects/" + subject + "/records?purpose=loan",
			opts: []reqOption{clientCert(e.certs["bob"]), header("Sec-Fetch-Site", "cross-site")}, status: 403, code: "FORBIDDEN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.refused(t, "", c) })
	}
	t.Run("the gateway's own pages and programs pass", func(t *testing.T) {
		e.t = t
		resp := e.do("", "POST", "/v1/participants", validRegister, clientCert(e.certs["admin"]), header("Sec-Fetch-Site", "same-origin"))
		assert.Equal(t, 201, resp.Status, "body: %s", resp.Body)
		resp = e.do("admin", "POST", "/v1/participants", validRegister, header("Origin", "https://example.com"), func(r *http.Request) { r.Host = "example.com" })
		assert.Equal(t, 201, resp.Status, "body: %s", resp.Body)
		resp = e.do("admin", "POST", "/v1/participants", validRegister) // the SDK, curl
		assert.Equal(t, 201, resp.Status, "body: %s", resp.Body)
		resp = e.do("", "GET", "/v1/participants/me", "", clientCert(e.certs["admin"]), header("Sec-Fetch-Site", "same-origin"))
		assert.Equal(t, 200, resp.Status, "body: %s", resp.Body)
	})
}

// A page of another site that makes the browser of a member's employee (its USB key presents the member's client
// certificate) send reads must spend none of what is the member's: a recomputation of a period's indices takes from
// its write budget, an event stream one of its places. Such a request is refused, reads included, before anything is
// spent; the member's programs (API key) and the gateway's own pages (same origin) are served.
func TestCrossOriginBrowserRequestsSpendNoneOfTheMembersBudgets(t *testing.T) {
	e, ts := streamEnv(t, programRoles, api.WithReadLimit(1000, 1000), api.WithWriteLimit(1, 3))
	crossSite := []reqOption{clientCert(e.certs["alice"]), header("Sec-Fetch-Site", "cross-site"), header("Sec-Fetch-Mode", "no-cors")}
	for range 3 { // <img src="https://gateway/v1/indices/day:2026-12-01/computed">
		r := e.do("", "GET", "/v1/indices/day:2026-12-01/computed", "", crossSite...)
		require.Equal(t, http.StatusForbidden, r.Status, "body: %s", r.Body)
		assert.Equal(t, "FORBIDDEN", r.errorBody(t).Code)
		assert.Contains(t, r.errorBody(t).Message, "another site")
	}
	r := e.do("", "GET", "/v1/participants/me", "", clientCert(e.certs["alice"]), header("Origin", "https://evil.example"))
	assert.Equal(t, http.StatusForbidden, r.Status, "an older browser's Origin: %s", r.Body)
	e.fake.Returns("participants:Register", model.Participant{ID: "p-1"})
	resp := e.do("alice", "POST", "/v1/participants", validRegister)
	require.Equal(t, 201, resp.Status, "the member's program still has its write budget: %s", resp.Body)

	// The TLS listener sets r.TLS from the browser's client certificate; here the test does.
	alice := e.certs["alice"].Certificate
	browser := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{alice}}
		e.srv.ServeHTTP(w, r)
	}))
	t.Cleanup(browser.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for range routes.EventStreamsMaxPerMember {
		req, _ := http.NewRequestWithContext(ctx, "GET", browser.URL+"/v1/events", nil)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Sec-Fetch-Mode", "no-cors")
		resp, err := browser.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusForbidden, resp.StatusCode, "a stream for a page of another site")
	}
	status, body := e.streamStatus(t, ts, "alice", "")
	assert.Equal(t, 200, status, "the member's own program opens its stream: %s", body)
	req, _ := http.NewRequestWithContext(ctx, "GET", browser.URL+"/v1/events", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin") // the dashboard's own page
	own, err := browser.Client().Do(req)
	require.NoError(t, err)
	own.Body.Close()
	assert.Equal(t, 200, own.StatusCode)
}

// What a member may read (its credit lookups, its trades' terms) is answered
// to it alone: no cache, the browser's on disk included, may keep it.
func TestAuthenticatedAnswersAreNotStored(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice"})
	programCredit(t, e.fake, false)
	for _, c := range []struct {
		name string
		path string
		opts []reqOption
	}{
		{name: "by API key", path: "/v1/participants/me"},
		{name: "by client certificate", path: "/v1/participants/me", opts: []reqOption{clientCert(e.certs["alice"])}},
		{name: "a credit lookup", path: "/v1/credit/subjects/" + subject + "/records?purpose=loan"},
		{name: "a refusal", path: "/v1/participants/me", opts: []reqOption{header("Authorization", "Bearer nope")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			resp := e.do("bob", "GET", c.path, "", c.opts...)
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"), "status %d", resp.Status)
		})
	}
}

// A member who signs itself has each call it starts kept for its signature, at most a few at once. A page of
// another site that makes the member's browser (its USB key presents the certificate) send reads must not start
// calls in its name: they would fill the member's waiting calls and lock its own programs out until they expire.
func TestCrossOriginBrowserRequestsStartNoCallOfAMemberWhoSignsItself(t *testing.T) {
	e := newEnv(t, api.WithSigningStore(signing.NewStore(time.Minute, 2, routes.SigningAnswersMaxPerMember, routes.SigningMaxBytes)))
	e.fake.Returns("participants:WhoAmI", model.Participant{ID: "stray"})
	for range 3 {
		r := e.do("", "GET", "/v1/participants/me", "", clientCert(e.stray), header("Sec-Fetch-Site", "cross-site"))
		require.Equal(t, http.StatusForbidden, r.Status, "body: %s", r.Body)
		assert.Equal(t, "FORBIDDEN", r.errorBody(t).Code)
	}
	step(t, e.do("", "GET", "/v1/participants/me", "", clientCert(e.stray)))
	step(t, e.do("", "GET", "/v1/participants/me", "", clientCert(e.stray), header("Sec-Fetch-Site", "same-origin")))
}
