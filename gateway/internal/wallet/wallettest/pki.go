// Package wallettest issues throwaway X.509 identities for tests: a CA per
// org, and members with signing and TLS client certificates.
package wallettest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
)

// CA is a test certificate authority of one org.
type CA struct {
	MSPID       string
	Certificate *x509.Certificate
	key         *ecdsa.PrivateKey
	serial      int64
}

// NewCA creates a CA for mspID.
func NewCA(t testing.TB, mspID string) *CA {
	t.Helper()
	return newCA(t, &CA{MSPID: mspID}, "ca."+mspID)
}

// Intermediate creates a CA of ca's org named cn whose certificate ca issues: an intermediate CA below it.
func (ca *CA) Intermediate(t testing.TB, cn string) *CA {
	t.Helper()
	return newCA(t, ca, cn)
}

// newCA creates a CA of parent's org named cn, whose certificate parent issues; a parent without a certificate
// (only its MSP ID) makes a root CA.
func newCA(t testing.TB, parent *CA, cn string) *CA {
	t.Helper()
	i := parent.certify(t, &x509.Certificate{
		Subject:               pkix.Name{CommonName: cn, Organization: []string{parent.MSPID}},
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	})
	return &CA{MSPID: parent.MSPID, Certificate: i.Certificate, key: i.Key, serial: 1}
}

// certify makes a new key and a certificate of it from tmpl, numbered with ca's next serial and valid from an hour
// ago for a day, which ca signs: a ca without a certificate (only its MSP ID) has the new key sign it itself.
func (ca *CA) certify(t testing.TB, tmpl *x509.Certificate) Issued {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca.serial++
	tmpl.SerialNumber = big.NewInt(ca.serial)
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	issuer, signer := tmpl, key
	if ca.Certificate != nil {
		issuer, signer = ca.Certificate, ca.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return Issued{Certificate: cert, Key: key}
}

// CRL returns the CA's certificate revocation list (PEM) listing revoked, as its Fabric CA server generates it.
func (ca *CA) CRL(t testing.TB, revoked ...*x509.Certificate) []byte {
	t.Helper()
	var entries []x509.RevocationListEntry
	for _, c := range revoked {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: time.Now()})
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: time.Now(),
		NextUpdate: time.Now().Add(24 * time.Hour), RevokedCertificateEntries: entries}, ca.Certificate, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der})
}

// Issued is a certificate with its key.
type Issued struct {
	Certificate *x509.Certificate
	Key         *ecdsa.PrivateKey
}

// TLS returns the certificate as a tls.Certificate for a client.
func (i Issued) TLS() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{i.Certificate.Raw}, PrivateKey: i.Key, Leaf: i.Certificate}
}

// CertPEM returns the certificate in PEM.
func (i Issued) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: i.Certificate.Raw})
}

// KeyPEM returns the key in PKCS#8 PEM.
func (i Issued) KeyPEM() []byte {
	der, _ := x509.MarshalPKCS8PrivateKey(i.Key)
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// Issue makes a certificate for common name cn with organisational unit ou
// ("client", "admin", "server"), usable for TLS client authentication (and
// server authentication, with dnsNames: host names or IP addresses).
func (ca *CA) Issue(t testing.TB, cn, ou string, dnsNames ...string) Issued {
	t.Helper()
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: cn, OrganizationalUnit: []string{ou}, Organization: []string{ca.MSPID}},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
	}
	for _, n := range dnsNames {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	return ca.certify(t, tmpl)
}

// TLSClient issues m a TLS client certificate of common name cn (organisational unit "client") and adds it to m's
// client certificates, which map to m.
func (ca *CA) TLSClient(t testing.TB, m *wallet.Member, cn string) Issued {
	t.Helper()
	i := ca.Issue(t, cn, "client")
	m.ClientCertificates = append(m.ClientCertificates, i.Certificate)
	return i
}

// Member issues a wallet member named name.
func (ca *CA) Member(t testing.TB, name string) (*wallet.Member, Issued) {
	t.Helper()
	return ca.MemberOU(t, name, "client")
}

// MemberOU is Member with a certificate of organizational unit ou (the identity type NodeOUs classify, e.g.
// "admin").
func (ca *CA) MemberOU(t testing.TB, name, ou string) (*wallet.Member, Issued) {
	t.Helper()
	i := ca.Issue(t, name, ou)
	return &wallet.Member{Name: name, MSPID: ca.MSPID, Certificate: i.Certificate, PrivateKey: i.Key}, i
}

// WriteMember writes a member into a wallet directory in the flat layout,
// with the key readable by its owner only.
func WriteMember(t testing.TB, dir, name string, i Issued) {
	t.Helper()
	d := filepath.Join(dir, name)
	if err := os.MkdirAll(d, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, "cert.pem"), i.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, "key.pem"), i.KeyPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
}
