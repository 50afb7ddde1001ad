package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testKey is the API key the test clients send.
const testKey = "dlk_0123456789abcdef_secret"

// seen is a request as the fake gateway received it.
type seen struct {
	Method   string
	Path     string // decoded
	RawPath  string // as sent
	RawQuery string
	Header   http.Header
	Body     []byte
}

// gw is a fake gateway: an httptest server with a handler of the test's,
// recording every request, and a client of it whose retries do not really
// sleep.
type gw struct {
	t      *testing.T
	srv    *httptest.Server
	c      *Client
	mu     sync.Mutex
	reqs   []seen
	sleeps []time.Duration
}

// newGW starts a fake gateway whose handler is h (body already read).
func newGW(t *testing.T, h func(w http.ResponseWriter, r *http.Request, body []byte), opts ...Option) *gw {
	t.Helper()
	g := &gw{t: t}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.reqs = append(g.reqs, seen{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
		g.mu.Unlock()
		h(w, r, body)
	}))
	t.Cleanup(g.srv.Close)
	c, err := New(g.srv.URL, append([]Option{WithAPIKey(testKey)}, opts...)...)
	require.NoError(t, err)
	c.sleep = func(ctx context.Context, d time.Duration) error {
		g.mu.Lock()
		g.sleeps = append(g.sleeps, d)
		g.mu.Unlock()
		return ctx.Err()
	}
	g.c = c
	return g
}

// requests returns the requests received so far.
func (g *gw) requests() []seen {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]seen(nil), g.reqs...)
}

// last returns the last request received.
func (g *gw) last() seen {
	g.t.Helper()
	r := g.requests()
	require.NotEmpty(g.t, r, "no request reached the gateway")
	return r[len(r)-1]
}

// waits returns the waits between retries so far.
func (g *gw) waits() []time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]time.Duration(nil), g.sleeps...)
}

// reply answers JSON.
func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if s, ok := v.(string); ok {
		_, _ = io.WriteString(w, s)
		return
	}
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers the gateway's error shape.
func fail(w http.ResponseWriter, status int, code, message string) {
	reply(w, status, map[string]any{"code": code, "message": message})
}

// bodyOf decodes a request body into a map.
func bodyOf(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), "body %s", b)
	return m
}

// txA and txB are transaction IDs (64 lowercase hex characters).
var (
	txA = strings.Repeat("5f2c", 16)
	txB = strings.Repeat("b7e1", 16)
)
