package api_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/metrics"
	"github.com/deltaledger/deltaledger/gateway/internal/revocation"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
)

const ownMSP = "ShanghaiMSP"

// env is a gateway over a fake ledger, with members who hold API keys and
// client certificates.
type env struct {
	t       testing.TB
	fake    *chaintest.Fake
	srv     *api.Server
	keys    map[string]string            // member -> API key
	certs   map[string]wallettest.Issued // member -> client certificate
	foreign wallettest.Issued            // a member of another org
	rogue   wallettest.Issued            // issued by an unknown CA
	stray   wallettest.Issued            // issued by the own CA but not in the wallet: a member who signs itself
	stray2  wallettest.Issued            // another one
	// strayOtherKey has stray's identity (subject and issuer) over another key: what whoever holds the registrar
	// power of the org's CA can have issued.
	strayOtherKey wallettest.Issued
	// adminOtherKey has the identity of the wallet's admin over another key, as strayOtherKey.
	adminOtherKey wallettest.Issued
	store         *auth.KeyStore
	authn         *auth.Authenticator
	crl           *revocation.List // the CRL the gateway holds (onboardingEnv)
	// ca is the org's CA, which issued the members' certificates, and revoked the CRLs of it the gateway's
	// authentication holds (none listing anyone until a test installs one).
	ca      *wallettest.CA
	revoked *revocation.List
	// clock is the gateway's clock, which keys are created by and judged expired by: the time the env was made
	// until a test moves it on (advance).
	clock atomic.Pointer[time.Time]
}

// now reads the gateway's clock.
func (e *env) now() time.Time { return *e.clock.Load() }

// advance moves the gateway's clock on by d.
func (e *env) advance(d time.Duration) {
	at := e.now().Add(d)
	e.clock.Store(&at)
}

var memberNames = []string{"admin", "alice", "bob", "carol", "regulator"}

func newEnv(t testing.TB, options ...api.Option) *env {
	t.Helper()
	ca := wallettest.NewCA(t, ownMSP)
	other := wallettest.NewCA(t, "JiangsuMSP")
	unknown := wallettest.NewCA(t, "NobodyMSP")
	e := &env{t: t, fake: chaintest.New(), keys: map[string]string{}, certs: map[string]wallettest.Issued{}, ca: ca,
		revoked: revocation.New([]*x509.Certificate{ca.Certificate}, nil, nil)}
	start := time.Now()
	e.clock.Store(&start)
	var members []*wallet.Member
	for _, n := range memberNames {
		ou := "client"
		if n == "admin" {
			ou = model.AdminOU // the org's Fabric admin (NodeOU)
		}
		m, issued := ca.MemberOU(t, n, ou)
		members = append(members, m)
		e.certs[n] = issued
	}
	w := wallet.New(members...)
	store, err := auth.OpenKeyStore(filepath.Join(t.TempDir(), "apikeys.json"), auth.WithClock(e.now))
	require.NoError(t, err)
	e.store = store
	for _, n := range memberNames {
		key, _, err := store.Create(n, "test", auth.DefaultKeyLifetime)
		require.NoError(t, err)
		e.keys[n] = key
	}
	e.foreign = other.Issue(t, "mallory", "client")
	e.rogue = unknown.Issue(t, "rogue", "client")
	e.stray = ca.Issue(t, "stray", "client")
	e.stray2 = ca.Issue(t, "stray2", "client")
	e.strayOtherKey = ca.Issue(t, "stray", "client")
	e.adminOtherKey = ca.Issue(t, "admin", model.AdminOU)
	authn := auth.New(ownMSP, w, auth.WithKeyStore(store), auth.WithRevocations(e.revoked), auth.WithTrustedCAs(
		auth.TrustedCA{MSPID: ownMSP, Certificates: []*x509.Certificate{ca.Certificate}},
		auth.TrustedCA{MSPID: "JiangsuMSP", Certificates: []*x509.Certificate{other.Certificate}},
	))
	e.authn = authn
	e.serve(e.fake, options...)
	return e
}

// serve makes e's gateway a new one over ledger, as a restart does: what the gateway kept in memory (the calls
// waiting for signatures, the transactions it sent) is gone.
func (e *env) serve(ledger chain.Ledger, options ...api.Option) {
	e.t.Helper()
	opts := append([]api.Option{
		api.WithHeartbeat(50 * time.Millisecond),
		api.WithMetrics(metrics.New()),
	}, options...)
	srv, err := api.New(routes.Table(), ledger, e.authn, opts...)
	require.NoError(e.t, err)
	e.srv = srv
}

// response is a recorded answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

// errorBody decodes the error shape.
func (r response) errorBody(t *testing.T) wire.ErrorBody {
	t.Helper()
	var e wire.ErrorBody
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&e), "body: %s", r.Body)
	return e
}

// requireInvalid requires the answer to be a 400 naming field, and returns
// its error body; what names the request in a failure's message.
func (r response) requireInvalid(t *testing.T, field, what string) wire.ErrorBody {
	t.Helper()
	require.Equal(t, http.StatusBadRequest, r.Status, "%s: %s", what, r.Body)
	body := r.errorBody(t)
	require.Equal(t, field, body.Field, what)
	return body
}

// invalidGET is a GET of path that must be refused 400 naming field.
type invalidGET struct{ path, field string }

// requireInvalidGETs has member send each GET and requires each answer to be
// a 400 naming its field; it returns the answers in order, for a test that
// looks at them further.
func (e *env) requireInvalidGETs(t *testing.T, member string, gets []invalidGET) []response {
	t.Helper()
	answers := make([]response, len(gets))
	for i, g := range gets {
		answers[i] = e.do(member, "GET", g.path, "")
		answers[i].requireInvalid(t, g.field, g.path)
	}
	return answers
}

type reqOption func(*http.Request)

func header(k, v string) reqOption { return func(r *http.Request) { r.Header.Set(k, v) } }

func noAuth() reqOption { return func(r *http.Request) { r.Header.Del("Authorization") } }

func clientCert(i wallettest.Issued) reqOption {
	return func(r *http.Request) {
		r.Header.Del("Authorization")
		r.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{i.Certificate}}
	}
}

// do sends a request as member (by API key) and records the answer.
func (e *env) do(member, method, path, body string, options ...reqOption) response {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if member != "" {
		r.Header.Set("Authorization", "Bearer "+e.keys[member])
	}
	for _, o := range options {
		o(r)
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return response{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

// getOK sends a GET of path as member, requires a 200 and decodes the
// answer as a T.
func getOK[T any](e *env, member, path string) T {
	e.t.Helper()
	resp := e.do(member, http.MethodGet, path, "")
	require.Equal(e.t, http.StatusOK, resp.Status, "%s: %s", member, resp.Body)
	var v T
	require.NoError(e.t, json.Unmarshal(resp.Body, &v))
	return v
}

// sample returns a value of type t with every field filled, as the
// chaincode would return it.
func sample(t reflect.Type) any {
	return fill(t, 0).Interface()
}

func fill(t reflect.Type, depth int) reflect.Value {
	v := reflect.New(t).Elem()
	if t == reflect.TypeOf(json.RawMessage(nil)) {
		return reflect.ValueOf(json.RawMessage(`{}`))
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		if depth < 4 {
			v.Set(fill(t.Elem(), depth+1).Addr())
		}
	case reflect.Slice:
		s := reflect.MakeSlice(t, 0, 1)
		if depth < 4 {
			s = reflect.Append(s, fill(t.Elem(), depth+1))
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(t)
		if t.Key().Kind() == reflect.String && depth < 4 {
			m.SetMapIndex(reflect.ValueOf("k").Convert(t.Key()), fill(t.Elem(), depth+1))
		}
		v.Set(m)
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				v.Field(i).Set(fill(t.Field(i).Type, depth+1))
				// A field with a closed value set gets its first value (model.FieldValues), as the document demands.
				name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
				if values := model.FieldValues[t][name]; len(values) > 0 {
					if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() > 0 {
						f.Index(0).SetString(values[0])
					} else if f.Kind() == reflect.String {
						f.SetString(values[0])
					}
				}
			}
		}
	}
	return v
}

// syncBuffer collects the gateway's JSON log lines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lineWith returns the access log line of a request ID, waiting briefly:
// the line is written as the handler returns, which may be just after the
// client has read the answer.
func (b *syncBuffer) lineWith(t *testing.T, requestID string) map[string]any {
	t.Helper()
	require.NotEmpty(t, requestID)
	var found map[string]any
	require.Eventually(t, func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		for line := range strings.Lines(b.buf.String()) {
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["request_id"] == requestID && m["msg"] == "request" {
				found = m
				return true
			}
		}
		return false
	}, 2*time.Second, 10*time.Millisecond, "no log line for request %s", requestID)
	return found
}
