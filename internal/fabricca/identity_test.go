package fabricca_test

import (
	"crypto/ecdsa"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
)

// A file that does not hold what it should is named in the error, whichever
// of the identity's files it is, so that the operator knows which to fix.
func TestReadingAnIdentityNamesTheBadFile(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	id, _ := writeIdentityFiles(t, certFile, keyFile)

	got, err := fabricca.ReadIdentity(certFile, keyFile)
	require.NoError(t, err)
	assert.Equal(t, id.CertificatePEM, got.CertificatePEM)
	cert, err := fabricca.ReadCertificate(certFile)
	require.NoError(t, err)
	assert.NotNil(t, cert)

	// Each file in the other's place: the certificate file holds a key, the
	// key file a certificate.
	_, err = fabricca.ReadIdentity(keyFile, certFile)
	assert.ErrorContains(t, err, keyFile+": not a PEM CERTIFICATE")
	_, err = fabricca.ReadIdentity(certFile, certFile)
	assert.ErrorContains(t, err, certFile+": x509: failed to parse EC private key")
	_, err = fabricca.ReadCertificate(keyFile)
	assert.ErrorContains(t, err, keyFile+": not a PEM CERTIFICATE")

	_, err = fabricca.ReadIdentity(filepath.Join(dir, "missing.pem"), keyFile)
	assert.ErrorContains(t, err, "missing.pem")
}

// writeIdentityFiles enrolls the admin of a new test CA and writes its
// certificate to certFile and its private key (PKCS #8 PEM) to keyFile, as
// fabric-ca-client would; it returns the identity and the key's PEM.
func writeIdentityFiles(t *testing.T, certFile, keyFile string) (*fabricca.Identity, []byte) {
	t.Helper()
	ca := fabricatest.New(t)
	id, _ := enrollNew(t, ca.Client(), "admin", "adminpw")
	keyPEM, err := fabricca.MarshalPrivateKey(id.Key.(*ecdsa.PrivateKey))
	require.NoError(t, err)
	writeFile(t, certFile, id.CertificatePEM)
	writeFile(t, keyFile, keyPEM)
	return id, keyPEM
}
