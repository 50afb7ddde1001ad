package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// MemberService onboards enterprises into the gateway's org and enrolls them with the org's Fabric CA.
type MemberService struct{ c *Client }

// OnboardRequest names an enterprise to onboard (POST /v1/members).
type OnboardRequest struct {
	// LegalName is the enterprise's registered legal name.
	LegalName string `json:"legalName"`
	// USCC is its Unified Social Credit Code: its enrollment ID.
	USCC string `json:"uscc"`
	// Roles are holder, buyer or agency; at least one.
	Roles []string `json:"roles"`
}

// Invitation is what onboarding answers: the operator hands it to the enterprise, which enrolls with it once.
type Invitation struct {
	// EnrollmentID is the enterprise's enrollment ID at its org's CA (its USCC).
	EnrollmentID string `json:"enrollmentId"`
	// Secret enrolls once.
	Secret string `json:"secret"`
	// MSPID is the enterprise's org.
	MSPID string `json:"mspId"`
}

// Register onboards an enterprise: the gateway registers it with its org's CA, which certifies its USCC, roles
// and legal name, and answers a one-time secret. Only an active operator of the gateway's org may. It is never
// retried automatically: a second registration of the same USCC is a CONFLICT.
func (s *MemberService) Register(ctx context.Context, r OnboardRequest) (*Invitation, error) {
	a, err := s.c.do(ctx, &request{method: http.MethodPost, path: "/v1/members", body: r})
	if err != nil {
		return nil, err
	}
	var inv Invitation
	if err := decode(a, &inv); err != nil {
		return nil, err
	}
	return &inv, nil
}

// Enrollment is a member's identity as enrollment left it: a key pair made here and the certificate the CA
// issued for it.
type Enrollment struct {
	// Key is the member's private key. It never left this process.
	Key *ecdsa.PrivateKey
	// CertificatePEM is the enrollment certificate, with the member's USCC, roles and legal name certified.
	CertificatePEM []byte
	// CAChainPEM is the issuing CA's certificate chain.
	CAChainPEM []byte
	// MSPID is the member's org.
	MSPID string
}

// Enroll generates a P-256 key pair here and exchanges the invitation's secret for a certificate of it (POST
// /v1/members/enroll, which needs no credentials): only the certificate signing request leaves the machine. A
// secret enrolls once; it is never retried automatically.
func (s *MemberService) Enroll(ctx context.Context, enrollmentID, secret string) (*Enrollment, error) {
	if enrollmentID == "" || secret == "" {
		return nil, errRequired("enrollment ID and secret")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: generating the key pair: %w", err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: enrollmentID}}, key)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the certificate signing request: %w", err)
	}
	csr := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
	a, err := s.c.do(ctx, &request{method: http.MethodPost, path: "/v1/members/enroll",
		body: map[string]string{"enrollmentId": enrollmentID, "secret": secret, "csr": string(csr)}})
	if err != nil {
		return nil, err
	}
	var b struct {
		Certificate string `json:"certificate"`
		CAChain     string `json:"caChain"`
		MSPID       string `json:"mspId"`
	}
	if err := decode(a, &b); err != nil {
		return nil, err
	}
	cert, err := parseCertificatePEM([]byte(b.Certificate))
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the enrollment certificate: %w", err)
	}
	if pub, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || !pub.Equal(&key.PublicKey) {
		return nil, errors.New("deltaledger: the enrollment certificate is not of the key generated here")
	}
	return &Enrollment{Key: key, CertificatePEM: []byte(b.Certificate), CAChainPEM: []byte(b.CAChain), MSPID: b.MSPID}, nil
}

// WriteMSP writes the enrollment as a Fabric MSP folder under dir, the layout Fabric tools and clients read:
// keystore/priv_sk (mode 600), signcerts/cert.pem and cacerts/ca.pem. It refuses to overwrite a key.
func (e *Enrollment) WriteMSP(dir string) error {
	der, err := x509.MarshalPKCS8PrivateKey(e.Key)
	if err != nil {
		return fmt.Errorf("deltaledger: encoding the key: %w", err)
	}
	keyFile := filepath.Join(dir, "keystore", "priv_sk")
	if _, err := os.Stat(keyFile); err == nil {
		return fmt.Errorf("deltaledger: %s exists; enroll into an empty folder", keyFile)
	}
	for _, f := range []struct {
		path string
		data []byte
		mode os.FileMode
	}{
		{keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600},
		{filepath.Join(dir, "cacerts", "ca.pem"), e.CAChainPEM, 0o644},
		{filepath.Join(dir, "signcerts", "cert.pem"), e.CertificatePEM, 0o644},
	} {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
			return fmt.Errorf("deltaledger: %w", err)
		}
		if err := os.WriteFile(f.path, f.data, f.mode); err != nil {
			return fmt.Errorf("deltaledger: %w", err)
		}
	}
	return nil
}

// Attributes returns the attributes the CA certified in the enrollment certificate: model.AttrUSCC,
// model.AttrRoles and model.AttrLegalName, besides Fabric CA's own hf.* ones.
func (e *Enrollment) Attributes() (map[string]string, error) {
	cert, err := parseCertificatePEM(e.CertificatePEM)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the enrollment certificate: %w", err)
	}
	return fabricca.Attributes(cert)
}

func parseCertificatePEM(b []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("not a PEM CERTIFICATE")
	}
	return x509.ParseCertificate(block.Bytes)
}
