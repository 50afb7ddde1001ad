package auth_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/model"
)

// The org's TLS CA, trusted beside its enrolment CA (tls.clientCAs names both, as make up writes it), issues its
// peers' and orderers' TLS certificates: one of them, admin OU and client-auth usage and all, is no member who signs
// itself (it could hold signing slots and read /metrics as an admin), while a wallet member's TLS client certificate
// of that CA still maps to the member and a member's enrolled certificate still signs itself, before and after a
// reload of the trusted CAs.
func TestACertificateOfTheTLSCAOnlyIsNoMember(t *testing.T) {
	enrolment := wallettest.NewCA(t, "ShanghaiMSP")
	tlsCA := wallettest.NewCA(t, "ShanghaiMSP")
	alice, _ := enrolment.Member(t, "alice")
	aliceTLS := tlsCA.TLSClient(t, alice, "alice")
	cas := auth.TrustedCA{MSPID: "ShanghaiMSP", Certificates: []*x509.Certificate{enrolment.Certificate, tlsCA.Certificate}}
	a := auth.New("ShanghaiMSP", wallet.New(alice), auth.WithTrustedCAs(cas))
	with := func(c *x509.Certificate) (*auth.Caller, error) { return overTLS(a, c) }
	for _, round := range []string{"at start", "after a reload"} {
		peerTLS := tlsCA.Issue(t, "peer0.shanghai.deltaledger.local", model.AdminOU)
		_, err := with(peerTLS.Certificate)
		require.ErrorIs(t, err, auth.ErrUnauthenticated, round)
		assert.Contains(t, err.Error(), "TLS CA of ShanghaiMSP", round)

		c, err := with(aliceTLS.Certificate)
		require.NoError(t, err, round)
		assert.Equal(t, "alice", c.Member, "a wallet member's TLS client certificate maps to it: %s", round)

		member := enrolment.Issue(t, "enterprise", "client").Certificate
		c, err = with(member)
		require.NoError(t, err, round)
		assert.True(t, c.SignsItself(), "a certificate of the enrolment CA signs itself: %s", round)
		a.SetTrustedCAs(cas)
	}
}

// overTLS authenticates a request that presents the client certificate chain (leaf first) over TLS.
func overTLS(a *auth.Authenticator, chain ...*x509.Certificate) (*auth.Caller, error) {
	r := httptest.NewRequest("GET", "/", nil)
	r.TLS = &tls.ConnectionState{PeerCertificates: chain}
	return a.Authenticate(r)
}
