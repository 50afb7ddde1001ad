package fabricatest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"math/big"
	"testing"
	"time"

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

// SelfSigned signs tmpl with a new P-256 key of its own, as a root CA's certificate (this server's, or one a test
// puts in an MSP) or a throwaway TLS client's is, and returns the certificate's DER and the key; it fails t if it
// cannot. A template without a serial number gets 1; one without a validity period is valid from an hour ago to an
// hour from now.
func SelfSigned(t testing.TB, tmpl *x509.Certificate) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = big.NewInt(1)
	}
	if tmpl.NotBefore.IsZero() && tmpl.NotAfter.IsZero() {
		tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}
