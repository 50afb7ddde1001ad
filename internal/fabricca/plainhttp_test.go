package fabricca_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509/pkix"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/loopback/loopbacktest"
)

// sentInClear records each request a client would put on the wire, and answers none.
type sentInClear struct{ requests []*http.Request }

func (s *sentInClear) RoundTrip(r *http.Request) (*http.Response, error) {
	s.requests = append(s.requests, r)
	return nil, errors.New("not sent")
}

// A CA reached over plain http would get the enrollment secret (basic authentication), the registrar's signed
// tokens and the one-time secrets it answers to registrations in clear, before anyone on the way, who could then
// enroll in the member's place: a gateway's ca.url, an SDK's re-enrollment and the network's enrolment all go
// through fabricca.New, which takes plain http for a CA on this machine only (a test's), as the SDK does for its
// gateway.
func TestAnEnrollmentSecretIsNeverSentInClearToAnotherMachine(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csr, err := fabricca.CertificateRequest(key, "acme", pkix.Name{})
	require.NoError(t, err)
	for _, url := range []string{"http://ca.shanghai.example:27154", "http://10.0.0.7:27154", "HTTP://[2001:db8::1]:27154"} {
		wire := &sentInClear{}
		c, err := fabricca.New(url, fabricca.WithHTTPClient(&http.Client{Transport: wire}))
		if err == nil {
			_, _ = c.Enroll(context.Background(), "acme", "one-time-secret", csr)
		}
		for _, r := range wire.requests {
			_, secret, _ := r.BasicAuth()
			assert.NotEqual(t, "one-time-secret", secret, "%s: the enrollment secret went to %s in clear", url, r.URL)
		}
		require.Error(t, err, url)
		assert.Contains(t, err.Error(), "plain http", url)
	}
	for _, local := range []string{"http://127.0.0.1:27154", "http://localhost:27154", "http://[::1]:27154", "https://ca.shanghai.example:27154"} {
		_, err := fabricca.New(local)
		assert.NoError(t, err, local)
	}
}

// "localhost" is a name, which a hosts file without it or a DNS server may resolve to another machine: a plain
// http connection that reached one is closed before the enrollment secret is sent on it.
func TestAnEnrollmentSecretIsNeverSentInClearToALocalhostElsewhere(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csr, err := fabricca.CertificateRequest(key, "acme", pkix.Name{})
	require.NoError(t, err)
	far, sent := loopbacktest.Far(t)
	c, err := fabricca.New("http://localhost:27154", fabricca.WithHTTPClient(&http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DialContext: far}}))
	require.NoError(t, err)
	_, err = c.Enroll(context.Background(), "acme", "one-time-secret", csr)
	require.Error(t, err)
	assert.ErrorContains(t, err, "not on this machine")
	assert.Empty(t, sent(), "sent to another machine")
}
