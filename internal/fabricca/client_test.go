package fabricca_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
)

// enrollNew generates a key here, enrolls it, and returns the identity.
func enrollNew(t *testing.T, c *fabricca.Client, id, secret string, options ...fabricca.EnrollOption) (*fabricca.Identity, *fabricca.Enrollment) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csr, err := fabricca.CertificateRequest(key, id, pkix.Name{Country: []string{"CN"}})
	require.NoError(t, err)
	e, err := c.Enroll(context.Background(), id, secret, csr, options...)
	require.NoError(t, err)
	return &fabricca.Identity{CertificatePEM: e.CertificatePEM, Key: key}, e
}

func TestEnrollIssuesToTheCallersKeyWithBasicAuthentication(t *testing.T) {
	ca := fabricatest.New(t)
	ca.Name = "tlsca"
	ca.Add(&fabricatest.Identity{ID: "peer0", Secret: "pw", Type: "peer"})
	c := ca.Client(fabricca.WithCAName("tlsca"))

	id, e := enrollNew(t, c, "peer0", "pw", fabricca.WithProfile("tls"), fabricca.WithHosts("peer0.example", "127.0.0.1"))
	cert := fabricatest.Certificate(t, e.CertificatePEM)
	assert.Equal(t, "peer0", cert.Subject.CommonName)
	assert.Equal(t, []string{"peer"}, cert.Subject.OrganizationalUnit)
	assert.True(t, cert.PublicKey.(*ecdsa.PublicKey).Equal(id.Key.Public()), "issued to the key made here")
	assert.Equal(t, ca.CertificatePEM, e.CAChainPEM)
	assert.Equal(t, "tlsca", e.CAName)
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, cert.ExtKeyUsage, "the tls profile")
	assert.NoError(t, cert.VerifyHostname("peer0.example"))
	assert.NoError(t, cert.VerifyHostname("127.0.0.1"))

	_, err := c.Enroll(context.Background(), "peer0", "wrong", mustCSR(t, "peer0"))
	assert.True(t, fabricca.HasCode(err, fabricca.CodeAuthenticationFailure), "%v", err)
	var caErr *fabricca.Error
	require.ErrorAs(t, err, &caErr)
	assert.Equal(t, http.StatusUnauthorized, caErr.StatusCode)
	assert.NotContains(t, err.Error(), "wrong", "the secret is never repeated in errors")

	_, err = c.Enroll(context.Background(), "peer0", "pw", []byte("not a csr"))
	assert.ErrorContains(t, err, "PEM CERTIFICATE REQUEST")
	_, err = ca.Client(fabricca.WithCAName("other")).Enroll(context.Background(), "peer0", "pw", mustCSR(t, "peer0"))
	assert.Error(t, err, "the CA name reaches the server")
}

func mustCSR(t *testing.T, id string) []byte {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csr, err := fabricca.CertificateRequest(key, id, pkix.Name{})
	require.NoError(t, err)
	return csr
}

func TestRegisteredAttributesAreCertifiedAndSecretsOneTime(t *testing.T) {
	ca := fabricatest.New(t)
	c := ca.Client()
	registrar, _ := enrollNew(t, c, "admin", "adminpw")

	// Many tokens: about half of raw ECDSA signatures are high-S, which Fabric refuses, so this fails unless each
	// is normalised.
	for i := range 20 {
		id := "member" + string(rune('a'+i))
		secret, err := c.Register(context.Background(), registrar, fabricca.Registration{
			ID: id, Type: "client", MaxEnrollments: 1,
			Attributes: []fabricca.Attribute{{Name: "deltaledger.uscc", Value: "91320000MA1FL1700R", ECert: true},
				{Name: "note", Value: "not in certificates"}},
		})
		require.NoError(t, err)
		assert.NotEmpty(t, secret, "the CA chose a secret")
	}
	got, _ := ca.Identity("membera")
	_, e := enrollNew(t, c, "membera", got.Secret)
	attrs, err := fabricca.Attributes(fabricatest.Certificate(t, e.CertificatePEM))
	require.NoError(t, err)
	assert.Equal(t, "91320000MA1FL1700R", attrs["deltaledger.uscc"])
	assert.Equal(t, "membera", attrs["hf.EnrollmentID"])
	assert.NotContains(t, attrs, "note", "only ecert attributes are certified")

	_, err = c.Enroll(context.Background(), "membera", got.Secret, mustCSR(t, "membera"))
	assert.True(t, fabricca.HasCode(err, fabricca.CodeAuthenticationFailure), "a one-time secret enrolled twice: %v", err)

	_, err = c.Register(context.Background(), registrar, fabricca.Registration{ID: "membera", Type: "client"})
	assert.True(t, fabricca.HasCode(err, fabricca.CodeDuplicateRegistration), "%v", err)
	require.NoError(t, c.SetSecret(context.Background(), registrar, "memberb", "fresh"))
	enrollNew(t, c, "memberb", "fresh")
}

func TestRevocationAndReenrollment(t *testing.T) {
	ca := fabricatest.New(t)
	c := ca.Client()
	registrar, _ := enrollNew(t, c, "admin", "adminpw")
	_, err := c.Register(context.Background(), registrar, fabricca.Registration{ID: "acme", Type: "client", Secret: "pw"})
	require.NoError(t, err)
	acme, first := enrollNew(t, c, "acme", "pw")

	rotated, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csr, err := fabricca.CertificateRequest(rotated, "acme", pkix.Name{Country: []string{"CN"}})
	require.NoError(t, err)
	second, err := c.Reenroll(context.Background(), acme, csr)
	require.NoError(t, err)
	cert := fabricatest.Certificate(t, second.CertificatePEM)
	assert.True(t, cert.PublicKey.(*ecdsa.PublicKey).Equal(rotated.Public()), "the new certificate is the new key's")
	assert.Equal(t, fabricatest.Certificate(t, first.CertificatePEM).Subject.String(), cert.Subject.String(), "same identity")

	res, err := c.Revoke(context.Background(), registrar, fabricca.Revocation{ID: "acme", Reason: "privilegewithdrawn", GenCRL: true})
	require.NoError(t, err)
	assert.Len(t, res.Revoked, 2, "both certificates of the identity")
	block, _ := pem.Decode(res.CRL)
	require.NotNil(t, block)
	crl, err := x509.ParseRevocationList(block.Bytes)
	require.NoError(t, err)
	require.NoError(t, crl.CheckSignatureFrom(ca.Certificate))
	assert.Len(t, crl.RevokedCertificateEntries, 2)

	_, err = c.Reenroll(context.Background(), acme, csr)
	assert.Error(t, err, "a revoked certificate cannot re-enroll")
	_, err = c.Enroll(context.Background(), "acme", "pw", mustCSR(t, "acme"))
	assert.Error(t, err, "a revoked identity cannot enroll")

	crlPEM, err := c.CRL(context.Background(), registrar)
	require.NoError(t, err)
	assert.Contains(t, string(crlPEM), "X509 CRL")
}

func TestCallsNeedAValidToken(t *testing.T) {
	ca := fabricatest.New(t)
	c := ca.Client()
	registrar, _ := enrollNew(t, c, "admin", "adminpw")
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	forged := &fabricca.Identity{CertificatePEM: registrar.CertificatePEM, Key: other}
	_, err = c.Register(context.Background(), forged, fabricca.Registration{ID: "x", Type: "client"})
	assert.True(t, fabricca.HasCode(err, fabricca.CodeInvalidToken), "%v", err)

	_, err = c.Register(context.Background(), nil, fabricca.Registration{ID: "x", Type: "client"})
	assert.ErrorContains(t, err, "enrolled identity")
	_, err = c.Revoke(context.Background(), registrar, fabricca.Revocation{Serial: "ab"})
	assert.ErrorContains(t, err, "name an ID, or a serial and an AKI")
}

func TestInfoAndURLs(t *testing.T) {
	ca := fabricatest.New(t)
	info, err := ca.Client().Info(context.Background())
	require.NoError(t, err)
	assert.Equal(t, ca.CertificatePEM, info.CAChainPEM)
	assert.Equal(t, "1.5.15", info.Version)

	for _, bad := range []string{"ftp://ca:1", "127.0.0.1:7054", "https://registrar:pw@ca:7054"} {
		_, err := fabricca.New(bad)
		assert.Error(t, err, bad)
	}
	// fabric-ca-client takes an enrollment secret in the URL: no error here repeats it.
	for _, bad := range []string{"ftp://registrar:s3cret@ca:1", "https://registrar:s3cret@ca:port", "http://registrar:s3cret@ca:7054"} {
		_, err := fabricca.New(bad)
		require.Error(t, err, bad)
		assert.NotContains(t, err.Error(), "s3cret", bad)
	}
}

func TestAttributesOfACertificateWithoutThem(t *testing.T) {
	ca := fabricatest.New(t)
	attrs, err := fabricca.Attributes(ca.Certificate)
	require.NoError(t, err)
	assert.Empty(t, attrs)

	bad := *ca.Certificate
	bad.Extensions = []pkix.Extension{{Id: fabricca.AttributesOID, Value: []byte("{not json")}}
	_, err = fabricca.Attributes(&bad)
	assert.Error(t, err)
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, b, 0o600))
}

// A CA never redirects: a client that followed one would send the enrollment secret (basic authentication) again
// to the same host on another port or over plain http, and after a 307 the request body too, to any host. The
// client refuses the redirect, with its own HTTP client or the caller's.
func TestTheClientFollowsNoRedirect(t *testing.T) {
	var elsewhere []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere = append(elsewhere, r.Header.Get("Authorization"))
		http.Error(w, "no", http.StatusTeapot)
	}))
	defer other.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirecting.Close()

	for name, options := range map[string][]fabricca.Option{
		"own":      nil,
		"caller's": {fabricca.WithHTTPClient(&http.Client{})},
	} {
		c, err := fabricca.New(redirecting.URL, options...)
		require.NoError(t, err)
		_, err = c.Enroll(context.Background(), "peer0", "s3cret", mustCSR(t, "peer0"))
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "does not follow", name)
	}
	assert.Empty(t, elsewhere, "the secret went to the redirect's target")
}
