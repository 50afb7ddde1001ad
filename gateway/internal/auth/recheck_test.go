package auth_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/revocation"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
)

// countedCRLs is the gateway's CRLs, counting the full checks of a certificate (each verifies its chain first).
type countedCRLs struct {
	*revocation.List
	checks atomic.Int64
}

func (c *countedCRLs) RevokedIn(chain []*x509.Certificate) *x509.Certificate {
	c.checks.Add(1)
	return c.List.RevokedIn(chain)
}

// recheckEnv is a gateway's authentication of the wallet member alice, by the CRLs of the org's CA and the clock at,
// and a request of alice's over TLS with her certificate.
type recheckEnv struct {
	ca    *wallettest.CA
	alice wallettest.Issued
	crls  *countedCRLs
	a     *auth.Authenticator
	r     *http.Request
	at    atomic.Pointer[time.Time]
}

func newRecheckEnv(t testing.TB) *recheckEnv {
	e := &recheckEnv{ca: wallettest.NewCA(t, "ShanghaiMSP")}
	now := time.Now()
	e.at.Store(&now)
	m, alice := e.ca.Member(t, "alice")
	e.alice = alice
	e.crls = &countedCRLs{List: revocation.New([]*x509.Certificate{e.ca.Certificate}, nil, nil)}
	if err := e.crls.Set(e.ca.CRL(t)); err != nil {
		t.Fatal(err)
	}
	e.a = auth.New("ShanghaiMSP", wallet.New(m), auth.WithRevocations(e.crls), auth.WithNow(func() time.Time { return *e.at.Load() }),
		auth.WithTrustedCAs(auth.TrustedCA{MSPID: "ShanghaiMSP", Certificates: []*x509.Certificate{e.ca.Certificate}}))
	e.r = httptest.NewRequest("GET", "/v1/events", nil)
	e.r.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{alice.Certificate}}
	return e
}

func (e *recheckEnv) advance(d time.Duration) {
	at := e.at.Load().Add(d)
	e.at.Store(&at)
}

// A stream's certificate is verified once, and again only after a change its verdict depends on: a CRL installed, the
// CAs reloaded. Each such change is met at the very next check, and a CRL that lists the certificate, or the
// certificate's expiry by the gateway's clock, refuses it there. (Checked in full every time, a stream verified its
// chain once an event.)
func TestARecheckVerifiesACertificateAgainOnlyAfterAChange(t *testing.T) {
	e := newRecheckEnv(t)
	check := e.a.Recheck(e.r, "alice")
	for range 100 {
		require.True(t, check.Authenticated())
	}
	assert.EqualValues(t, 1, e.crls.checks.Load(), "verified once for 100 checks")
	e.advance(time.Hour)
	require.True(t, check.Authenticated())
	assert.EqualValues(t, 1, e.crls.checks.Load(), "the clock within the certificate's validity changes nothing")

	other := e.ca.Issue(t, "bob", "client")
	require.NoError(t, e.crls.Set(e.ca.CRL(t, other.Certificate)))
	require.True(t, check.Authenticated(), "another's revocation leaves alice in")
	assert.EqualValues(t, 2, e.crls.checks.Load(), "a CRL installed is met at the next check")
	require.True(t, check.Authenticated())
	assert.EqualValues(t, 2, e.crls.checks.Load())

	e.a.SetTrustedCAs(auth.TrustedCA{MSPID: "ShanghaiMSP", Certificates: []*x509.Certificate{e.ca.Certificate}})
	require.True(t, check.Authenticated())
	assert.EqualValues(t, 3, e.crls.checks.Load(), "the CAs reloaded are met at the next check")

	require.NoError(t, e.crls.Set(e.ca.CRL(t, other.Certificate, e.alice.Certificate)))
	assert.False(t, check.Authenticated(), "a CRL listing alice's certificate refuses it at the next check")
}

// The certificate's expiry (or its CA's) by the gateway's clock ends the verdict kept, and a CA reloaded without the certificate's
// issuer refuses it at the next check.
func TestARecheckRefusesACertificateExpiredOrNoLongerTrusted(t *testing.T) {
	e := newRecheckEnv(t)
	check := e.a.Recheck(e.r, "alice")
	require.True(t, check.Authenticated())
	last := e.alice.Certificate.NotAfter
	if ca := e.ca.Certificate.NotAfter; ca.Before(last) {
		last = ca // its chain is in force while its CA's certificate is
	}
	e.advance(last.Sub(*e.at.Load()))
	require.True(t, check.Authenticated(), "in force up to its chain's NotAfter, as crypto/x509 verifies")
	e.advance(time.Second)
	assert.False(t, check.Authenticated(), "expired by the gateway's clock")

	e = newRecheckEnv(t)
	check = e.a.Recheck(e.r, "alice")
	require.True(t, check.Authenticated())
	e.a.SetTrustedCAs(auth.TrustedCA{MSPID: "ShanghaiMSP", Certificates: []*x509.Certificate{wallettest.NewCA(t, "ShanghaiMSP").Certificate}})
	assert.False(t, check.Authenticated(), "its CA is trusted no more")
	assert.False(t, e.a.Recheck(e.r, "bob").Authenticated(), "a recheck is for the request's own member")
}

// BenchmarkAStreamsCheckPerEvent is what an event stream's check of a certificate's credentials costs an event: the
// full check (Authenticate: the chain verified, the CRLs followed up it), as every event paid before Recheck, and the
// check of the verdict Recheck keeps, with their ratio, in one run: each op is one full check and keptPerOp checks
// of the kept verdict, each timed apart (in batches, so that reading the clock costs the kept checks nothing much).
func BenchmarkAStreamsCheckPerEvent(b *testing.B) {
	const keptPerOp = 1000
	e := newRecheckEnv(b)
	check := e.a.Recheck(e.r, "alice")
	var full, kept time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := e.a.Authenticate(e.r); err != nil {
			b.Fatal(err)
		}
		between := time.Now()
		for range keptPerOp {
			if !check.Authenticated() {
				b.Fatal("refused")
			}
		}
		full, kept = full+between.Sub(start), kept+time.Since(between)
	}
	fullNs, keptNs := float64(full.Nanoseconds())/float64(b.N), float64(kept.Nanoseconds())/float64(b.N*keptPerOp)
	b.ReportMetric(fullNs, "full-ns/check")
	b.ReportMetric(keptNs, "kept-ns/check")
	b.ReportMetric(fullNs/keptNs, "full/kept")
}
