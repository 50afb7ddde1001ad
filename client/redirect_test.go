package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheClientFollowsNoRedirect: a gateway's (or a proxy's) redirect to
// another port of the same host, or to plain http there, would otherwise
// receive the API key (Go keeps Authorization for the same host) and, after
// a 307 or 308, the body again: an enrollment's one-time secret, to any host.
// The client follows none, with its own HTTP client or the caller's.
func TestTheClientFollowsNoRedirect(t *testing.T) {
	var mu sync.Mutex
	var stolen []string
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		stolen = append(stolen, r.Header.Get("Authorization")+" "+string(body))
		mu.Unlock()
		reply(w, 200, map[string]string{})
	}))
	t.Cleanup(thief.Close)
	redirect := func(w http.ResponseWriter, r *http.Request, _ []byte) {
		http.Redirect(w, r, thief.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}
	for name, opts := range map[string][]Option{"own": nil, "caller's": {WithHTTPClient(&http.Client{})}} {
		g := newGW(t, redirect, opts...)
		_, err := g.c.Participants().Me(context.Background())
		assert.ErrorContains(t, err, "redirect", "%s HTTP client: a read", name)
		_, err = g.c.Members().Enroll(context.Background(), "91320500MA1MXXXX0X", "s3cret")
		assert.ErrorContains(t, err, "redirect", "%s HTTP client: an enrollment", name)
		for _, err := range g.c.Events(context.Background(), EventsMaxReconnects(0)) {
			require.Error(t, err, "%s HTTP client: the event stream", name)
			assert.ErrorContains(t, err, "redirect", "%s HTTP client: the event stream", name)
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, stolen, "nothing reaches where the gateway redirects")
}
