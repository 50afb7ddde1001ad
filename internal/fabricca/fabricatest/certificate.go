package fabricatest

import (
	"crypto/x509"
	"testing"

	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// Certificate parses the PEM of an issued certificate (an enrollment's CertificatePEM) for a test that looks inside
// it, and fails t if it is none.
func Certificate(t testing.TB, certPEM []byte) *x509.Certificate {
	t.Helper()
	cert, err := fabricca.ParseCertificate(certPEM)
	if err != nil {
		t.Fatalf("parsing an issued certificate: %v", err)
	}
	return cert
}
