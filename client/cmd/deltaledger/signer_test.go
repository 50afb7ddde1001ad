package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client/pkcs11"
	"github.com/deltaledger/deltaledger/client/pkcs11/softhsm"
)

// issuing answers POST /v1/members/enroll with a certificate of the request's key, as the CA does.
func issuing(t *testing.T) http.HandlerFunc {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca.jiangsu"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	return func(w http.ResponseWriter, r *http.Request) {
		var req map[string]string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		block, _ := pem.Decode([]byte(req["csr"]))
		csr, err := x509.ParseCertificateRequest(block.Bytes)
		require.NoError(t, err)
		require.NoError(t, csr.CheckSignature(), "the request is signed by the key it names")
		der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(2), Subject: csr.Subject,
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}, ca, csr.PublicKey, caKey)
		require.NoError(t, err)
		jsonAnswer(w, 200, map[string]string{"mspId": "JiangsuMSP",
			"certificate": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
			"caChain":     string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))})
	}
}

func TestEnrollWithAPKCS11TokenMakesTheKeyThere(t *testing.T) {
	f := newFake(t, false)
	f.on("POST /v1/members/enroll", issuing(t))
	tok := softhsm.NewToken(t, "enterprise")
	dir := filepath.Join(t.TempDir(), "msp")
	code, _, errOut := cli(t, map[string]string{"DELTALEDGER_PKCS11_PIN": tok.PIN}, "--gateway", f.srv.URL,
		"--pkcs11-lib", tok.Library, "--pkcs11-label", tok.Label, "enroll", "--id", "91320500MA1FL1700R", "--secret", "s", "--msp-dir", dir)
	require.Equal(t, 0, code, errOut)
	assert.NoDirExists(t, filepath.Join(dir, "keystore"), "the key stays in the token")
	certPEM, err := os.ReadFile(filepath.Join(dir, "signcerts", "cert.pem"))
	require.NoError(t, err)
	block, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)

	token, err := pkcs11.Open(tok.Library, tok.Label, tok.PIN)
	require.NoError(t, err)
	defer token.Close()
	_, err = token.Key(cert.PublicKey)
	assert.NoError(t, err, "the certificate is of the token's key")
}

func TestSigningFlagsRefuseBadCommandLines(t *testing.T) {
	f := newFake(t, false)
	f.on("GET /v1/participants/me", me)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "priv_sk")
	writeKeyFile(t, keyFile, 0o600)
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader) // the certificate is of another key
	require.NoError(t, err)
	certFile := filepath.Join(dir, "cert.pem")
	writeSelfSignedCert(t, certFile, &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "x"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}, other)

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--client-cert", certFile, "--client-key", keyFile, "--key", keyFile}, "no --client-key"},
		{[]string{"--client-cert", certFile, "--key", keyFile, "--pkcs11-lib", "/x.so"}, "not both"},
		{[]string{"--client-cert", certFile, "--pkcs11-lib", "/x.so"}, "--pkcs11-label"},
		{[]string{"--client-cert", certFile, "--key", keyFile}, "not the certificate's"},
	} {
		code, _, errOut := cli(t, nil, append(append([]string{"--gateway", f.srv.URL}, c.args...), "whoami")...)
		assert.Equal(t, 2, code, "%v: %s", c.args, errOut)
		assert.Contains(t, errOut, c.want, "%v", c.args)
	}
	assert.Zero(t, f.count(), "nothing reached the gateway")
}

// A TLS client certificate's key authenticates as its member as much as a signing key: a key file its group or
// other users may read is refused, as --key's is (and the gateway's own keys are), before anything is sent.
func TestClientKeyReadableByOthersIsRefused(t *testing.T) {
	f := newFake(t, true)
	f.on("GET /v1/participants/me", me)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "client.key")
	key := writeKeyFile(t, keyFile, 0o644)
	certFile := filepath.Join(dir, "client.crt")
	writeSelfSignedCert(t, certFile, &x509.Certificate{SerialNumber: big.NewInt(4), Subject: pkix.Name{CommonName: "x"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, key)
	ca := filepath.Join(dir, "gateway-ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw}), 0o644))
	args := []string{"--gateway", f.srv.URL, "--cacert", ca, "--client-cert", certFile, "--client-key", keyFile, "whoami"}

	code, _, errOut := cli(t, nil, args...)
	assert.Equal(t, exitFailed, code, errOut)
	assert.Contains(t, errOut, "chmod 600")
	assert.Zero(t, f.count(), "nothing reached the gateway")

	require.NoError(t, os.Chmod(keyFile, 0o600))
	code, _, errOut = cli(t, nil, args...)
	assert.Equal(t, 0, code, errOut)
}

// writeKeyFile makes a P-256 key and writes it to path as a PKCS #8 PEM file with mode perm, as an MSP keystore
// holds one.
func writeKeyFile(t *testing.T, path string, perm os.FileMode) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), perm))
	return key
}

// writeSelfSignedCert writes to path a PEM certificate of tmpl that key issues to itself.
func writeSelfSignedCert(t *testing.T, path string, tmpl *x509.Certificate, key *ecdsa.PrivateKey) {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
}
