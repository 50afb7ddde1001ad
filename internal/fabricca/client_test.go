package fabricca_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// fakeCA answers the Fabric CA REST API the way fabric-ca-server v1.5 does, and checks each request as the server
// would: basic authentication for enroll, the signed token for everything else (verified over the method, URI
// and body that reached the server, with Fabric's low-S rule).
type fakeCA struct {
	t       *testing.T
	key     *ecdsa.PrivateKey
	cert    *x509.Certificate
	certPEM []byte
	secrets map[string]string // enrollment ID -> secret
	last    map[string]any    // the last request body
	caller  string            // CN of the last token's certificate
}

func newFakeCA(t *testing.T) (*fakeCA, *httptest.Server) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, _ := x509.ParseCertificate(der)
	ca := &fakeCA{t: t, key: key, cert: cert, certPEM: pemOf("CERTIFICATE", der), secrets: map[string]string{}}
	srv := httptest.NewTLSServer(http.HandlerFunc(ca.serve))
	t.Cleanup(srv.Close)
	return ca, srv
}

func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func (ca *fakeCA) fail(w http.ResponseWriter, status, code int, msg string) {
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"success": false, "result": "", "errors": []any{map[string]any{"code": code, "message": msg}}})
}

func (ca *fakeCA) ok(w http.ResponseWriter, result any) {
	json.NewEncoder(w).Encode(map[string]any{"success": true, "result": result, "errors": []any{}})
}

// verifyToken is fabric-ca-server's check of the Authorization header.
func (ca *fakeCA) verifyToken(r *http.Request, body []byte) bool {
	b64cert, b64sig, ok := strings.Cut(r.Header.Get("Authorization"), ".")
	if !ok {
		return false
	}
	certPEM, err1 := base64.StdEncoding.DecodeString(b64cert)
	sig, err2 := base64.StdEncoding.DecodeString(b64sig)
	if err1 != nil || err2 != nil {
		return false
	}
	cert, err := fabricca.ParseCertificate(certPEM)
	if err != nil || cert.CheckSignatureFrom(ca.cert) != nil {
		return false
	}
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(sig, &rs); err != nil {
		return false
	}
	pub := cert.PublicKey.(*ecdsa.PublicKey)
	if rs.S.Cmp(new(big.Int).Rsh(pub.Curve.Params().N, 1)) > 0 {
		return false // Fabric's BCCSP refuses high-S signatures
	}
	b64 := base64.StdEncoding.EncodeToString
	payload := r.Method + "." + b64([]byte(r.URL.RequestURI())) + "." + b64(body) + "." + b64cert
	digest := sha256.Sum256([]byte(payload))
	ca.caller = cert.Subject.CommonName
	return ecdsa.VerifyASN1(pub, digest[:], sig)
}

func (ca *fakeCA) issue(csrPEM string, attrs map[string]string) []byte {
	block, _ := pem.Decode([]byte(csrPEM))
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	require.NoError(ca.t, err)
	require.NoError(ca.t, csr.CheckSignature())
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: csr.Subject,
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(time.Hour),
		AuthorityKeyId: []byte{0, 1, 2},
	}
	if attrs != nil {
		v, _ := json.Marshal(map[string]any{"attrs": attrs})
		tmpl.ExtraExtensions = []pkix.Extension{{Id: fabricca.AttributesOID, Value: v}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, csr.PublicKey, ca.key)
	require.NoError(ca.t, err)
	return pemOf("CERTIFICATE", der)
}

func (ca *fakeCA) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ca.last = map[string]any{}
	json.Unmarshal(body, &ca.last)
	info := map[string]any{"CAName": "tlsca", "CAChain": base64.StdEncoding.EncodeToString(ca.certPEM), "Version": "1.5.15"}
	switch r.URL.Path {
	case "/api/v1/cainfo":
		ca.ok(w, info)
	case "/api/v1/enroll":
		id, secret, ok := r.BasicAuth()
		if !ok || ca.secrets[id] == "" || ca.secrets[id] != secret {
			ca.fail(w, http.StatusUnauthorized, 20, "Authentication failure")
			return
		}
		cert := ca.issue(ca.last["certificate_request"].(string), map[string]string{"hf.EnrollmentID": id, "deltaledger.uscc": "X"})
		ca.ok(w, map[string]any{"Cert": base64.StdEncoding.EncodeToString(cert), "ServerInfo": info})
	case "/api/v1/reenroll", "/api/v1/register", "/api/v1/revoke", "/api/v1/gencrl":
		if !ca.verifyToken(r, body) {
			ca.fail(w, http.StatusUnauthorized, 25, "Invalid token in authorization header")
			return
		}
		switch r.URL.Path {
		case "/api/v1/reenroll":
			cert := ca.issue(ca.last["certificate_request"].(string), nil)
			ca.ok(w, map[string]any{"Cert": base64.StdEncoding.EncodeToString(cert), "ServerInfo": info})
		case "/api/v1/register":
			id := ca.last["id"].(string)
			if _, taken := ca.secrets[id]; taken {
				ca.fail(w, http.StatusInternalServerError, 74, "Identity '"+id+"' is already registered")
				return
			}
			ca.secrets[id] = "s3cret-" + id
			ca.ok(w, map[string]any{"secret": ca.secrets[id]})
		case "/api/v1/revoke":
			ca.ok(w, map[string]any{"RevokedCerts": []any{map[string]any{"Serial": "ab", "AKI": "102"}},
				"CRL": base64.StdEncoding.EncodeToString([]byte("-----BEGIN X509 CRL-----"))})
		default:
			ca.ok(w, map[string]any{"CRL": base64.StdEncoding.EncodeToString([]byte("crl"))})
		}
	default:
		ca.fail(w, http.StatusNotFound, 0, "no route")
	}
}

func newClient(t *testing.T, srv *httptest.Server, options ...fabricca.Option) *fabricca.Client {
	t.Helper()
	c, err := fabricca.New(srv.URL, append([]fabricca.Option{fabricca.WithHTTPClient(srv.Client())}, options...)...)
	require.NoError(t, err)
	return c
}

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
	ca, srv := newFakeCA(t)
	ca.secrets["acme"] = "pw"
	c := newClient(t, srv, fabricca.WithCAName("tlsca"))

	id, e := enrollNew(t, c, "acme", "pw", fabricca.WithProfile("tls"), fabricca.WithHosts("peer0", "127.0.0.1"))
	cert, err := fabricca.ParseCertificate(e.CertificatePEM)
	require.NoError(t, err)
	assert.Equal(t, "acme", cert.Subject.CommonName)
	assert.True(t, cert.PublicKey.(*ecdsa.PublicKey).Equal(id.Key.Public()), "issued to the key made here")
	assert.Equal(t, ca.certPEM, e.CAChainPEM)
	assert.Equal(t, "tlsca", e.CAName)
	assert.Equal(t, "tls", ca.last["profile"])
	assert.Equal(t, "tlsca", ca.last["caname"])
	assert.Equal(t, []any{"peer0", "127.0.0.1"}, ca.last["hosts"])
	attrs, err := fabricca.Attributes(cert)
	require.NoError(t, err)
	assert.Equal(t, "X", attrs["deltaledger.uscc"])

	_, err = c.Enroll(context.Background(), "acme", "wrong", []byte("-----BEGIN CERTIFICATE REQUEST-----\nAA==\n-----END CERTIFICATE REQUEST-----\n"))
	assert.True(t, fabricca.HasCode(err, fabricca.CodeAuthenticationFailure), "%v", err)
	var caErr *fabricca.Error
	require.ErrorAs(t, err, &caErr)
	assert.Equal(t, http.StatusUnauthorized, caErr.StatusCode)
	assert.NotContains(t, err.Error(), "wrong", "the secret is never repeated in errors")

	_, err = c.Enroll(context.Background(), "acme", "pw", []byte("not a csr"))
	assert.ErrorContains(t, err, "PEM CERTIFICATE REQUEST")
}

func TestTokenCallsAreSignedOverWhatTheServerReceives(t *testing.T) {
	ca, srv := newFakeCA(t)
	ca.secrets["registrar"] = "pw"
	c := newClient(t, srv)
	registrar, _ := enrollNew(t, c, "registrar", "pw")

	// Many tokens: about half of raw ECDSA signatures are high-S, so this fails unless each is normalised.
	for i := range 20 {
		secret, err := c.Register(context.Background(), registrar, fabricca.Registration{
			ID: "member" + string(rune('a'+i)), Type: "client", MaxEnrollments: 1,
			Attributes: []fabricca.Attribute{{Name: "deltaledger.uscc", Value: "91320000MA1FL1700R", ECert: true}},
		})
		require.NoError(t, err)
		assert.Equal(t, "s3cret-member"+string(rune('a'+i)), secret)
		assert.Equal(t, "registrar", ca.caller)
	}
	assert.Equal(t, []any{map[string]any{"name": "deltaledger.uscc", "value": "91320000MA1FL1700R", "ecert": true}}, ca.last["attrs"])
	assert.EqualValues(t, 1, ca.last["max_enrollments"])

	_, err := c.Register(context.Background(), registrar, fabricca.Registration{ID: "membera", Type: "client"})
	assert.True(t, fabricca.HasCode(err, fabricca.CodeDuplicateRegistration), "%v", err)

	res, err := c.Revoke(context.Background(), registrar, fabricca.Revocation{ID: "membera", Reason: "privilegewithdrawn", GenCRL: true})
	require.NoError(t, err)
	assert.Equal(t, []fabricca.RevokedCertificate{{Serial: "ab", AKI: "102"}}, res.Revoked)
	assert.Equal(t, "-----BEGIN X509 CRL-----", string(res.CRL))
	assert.Equal(t, "privilegewithdrawn", ca.last["reason"])

	crl, err := c.CRL(context.Background(), registrar)
	require.NoError(t, err)
	assert.Equal(t, "crl", string(crl))

	rotated, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csr, err := fabricca.CertificateRequest(rotated, "registrar", pkix.Name{})
	require.NoError(t, err)
	e, err := c.Reenroll(context.Background(), registrar, csr)
	require.NoError(t, err)
	cert, err := fabricca.ParseCertificate(e.CertificatePEM)
	require.NoError(t, err)
	assert.True(t, cert.PublicKey.(*ecdsa.PublicKey).Equal(rotated.Public()))
}

func TestATokenOfAnotherKeyIsRefused(t *testing.T) {
	ca, srv := newFakeCA(t)
	ca.secrets["registrar"] = "pw"
	c := newClient(t, srv)
	registrar, _ := enrollNew(t, c, "registrar", "pw")
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
	ca, srv := newFakeCA(t)
	info, err := newClient(t, srv).Info(context.Background())
	require.NoError(t, err)
	assert.Equal(t, ca.certPEM, info.CAChainPEM)
	assert.Equal(t, "1.5.15", info.Version)

	for _, bad := range []string{"ftp://ca:1", "127.0.0.1:7054", "https://registrar:pw@ca:7054"} {
		_, err := fabricca.New(bad)
		assert.Error(t, err, bad)
	}
}

func TestAttributesOfACertificateWithoutThem(t *testing.T) {
	ca, _ := newFakeCA(t)
	attrs, err := fabricca.Attributes(ca.cert)
	require.NoError(t, err)
	assert.Empty(t, attrs)

	bad := *ca.cert
	bad.Extensions = []pkix.Extension{{Id: fabricca.AttributesOID, Value: []byte("{not json")}}
	_, err = fabricca.Attributes(&bad)
	assert.Error(t, err)
}

func TestReadMSPIdentity(t *testing.T) {
	ca, srv := newFakeCA(t)
	ca.secrets["acme"] = "pw"
	id, _ := enrollNew(t, newClient(t, srv), "acme", "pw")
	dir := t.TempDir()
	der, err := x509.MarshalPKCS8PrivateKey(id.Key)
	require.NoError(t, err)
	writeFile(t, dir+"/signcerts/cert.pem", id.CertificatePEM)
	writeFile(t, dir+"/keystore/abc_sk", pemOf("PRIVATE KEY", der))
	got, err := fabricca.ReadMSPIdentity(dir)
	require.NoError(t, err)
	assert.Equal(t, id.CertificatePEM, got.CertificatePEM)
	assert.True(t, got.Key.Public().(*ecdsa.PublicKey).Equal(id.Key.Public()))

	writeFile(t, dir+"/keystore/second_sk", pemOf("PRIVATE KEY", der))
	_, err = fabricca.ReadMSPIdentity(dir)
	assert.ErrorContains(t, err, "exactly one file")
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, b, 0o600))
}
