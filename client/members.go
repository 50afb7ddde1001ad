package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/deltaledger/deltaledger/gateway/wire"
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
	// Division is where the enterprise is, certified in its certificate: a city or county-level division of the
	// org's region (six digits, e.g. 320576), which the ledger gives the participant from its registration on.
	// Optional: without it, the org's admin places the participant later (Participants().SetDivision).
	Division string `json:"division,omitempty"`
}

// Invitation is what onboarding answers: the operator hands it to the enterprise, which enrolls with it once.
type Invitation = wire.MemberInvitationBody

// Register onboards an enterprise: the gateway registers it with its org's CA, which certifies its USCC, roles
// and legal name (and division, when given), and answers a one-time secret. Only an active operator of the gateway's org may. It is never
// retried automatically: a second registration of the same USCC is a CONFLICT.
func (s *MemberService) Register(ctx context.Context, r OnboardRequest) (*Invitation, error) {
	return post[Invitation](ctx, s.c, "/v1/members", r)
}

// Reinvite lets a reinstated member enroll again (POST /v1/participants/{id}/enrollment): a member whose
// certificates were all revoked at its org's CA, and whom the org's admin reinstated (Participants().Reinstate),
// gets a new one-time secret for its identity, which the operator hands it like an onboarding invitation; it
// enrolls (Enroll) a certificate of the same subject, hence the same participant, certifying the same enterprise.
// Only an active operator of the gateway's org may; a member that still holds a valid certificate (it
// re-enrolls), is SUSPENDED, or is of another org is refused. Not retried automatically (each call replaces the
// secret).
func (s *MemberService) Reinvite(ctx context.Context, participantID string) (*Invitation, error) {
	path, err := pathf("/v1/participants/%s/enrollment", seg("participant ID", participantID))
	if err != nil {
		return nil, err
	}
	return post[Invitation](ctx, s.c, path, nil)
}

// Revocation is what the org's CA revoked for a suspended member (POST /v1/participants/{id}/revocation).
type Revocation = wire.MemberRevocationBody

// Revoke cuts off a member the ledger records SUSPENDED (Participants().Suspend) that the gateway onboarded: the
// gateway revokes every certificate of the participant's enrollment ID (its USCC, whatever subject it was
// re-enrolled under) at its org's CA, and refuses them from then on (org admin). A revoked certificate never comes
// back. Calling it again revokes what is left; an ACTIVE participant, or one the gateway did not onboard, is a
// CONFLICT.
func (s *MemberService) Revoke(ctx context.Context, participantID string) (*Revocation, error) {
	path, err := pathf("/v1/participants/%s/revocation", seg("participant ID", participantID))
	if err != nil {
		return nil, err
	}
	return post[Revocation](ctx, s.c, path, nil)
}

// post sends a POST that is never retried automatically (each of the onboarding calls changes the CA) and decodes
// its answer.
func post[T any](ctx context.Context, c *Client, path string, body any) (*T, error) {
	return decoded[T](ctx, c, &request{method: http.MethodPost, path: path, body: body})
}

// Enrollment is a member's identity as enrollment left it: a key pair made here (or in the member's token) and
// the certificate the CA issued for it.
type Enrollment struct {
	// Key is the member's private key when it was made in this process (Enroll); it never left it. Nil for a key
	// kept in a token (EnrollWithSigner).
	Key *ecdsa.PrivateKey
	// Signer signs with the member's key wherever it is kept (Key itself after Enroll).
	Signer Signer
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
	e, err := s.EnrollWithSigner(ctx, enrollmentID, secret, key)
	if err != nil {
		return nil, err
	}
	e.Key = key
	return e, nil
}

// EnrollWithSigner is Enroll for a key the member already made where it keeps it, for example in a PKCS#11 token
// (pkcs11.Token.GenerateKey): the certificate signing request is signed by key, and the certificate is checked to
// be of it and of the identity asked for (its CN, and the enrollment ID and USCC it certifies, are enrollmentID).
func (s *MemberService) EnrollWithSigner(ctx context.Context, enrollmentID, secret string, key Signer) (*Enrollment, error) {
	if enrollmentID == "" || secret == "" {
		return nil, errRequired("enrollment ID and secret")
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: enrollmentID}}, key)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the certificate signing request: %w", err)
	}
	csr := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
	b, err := post[struct {
		Certificate string `json:"certificate"`
		CAChain     string `json:"caChain"`
		MSPID       string `json:"mspId"`
	}](ctx, s.c, "/v1/members/enroll", map[string]string{"enrollmentId": enrollmentID, "secret": secret, "csr": string(csr)})
	if err != nil {
		return nil, err
	}
	if _, err := checkIssued([]byte(b.Certificate), issuedFor{key: key.Public(), enrollmentID: enrollmentID}); err != nil {
		return nil, err
	}
	return &Enrollment{Signer: key, CertificatePEM: []byte(b.Certificate), CAChainPEM: []byte(b.CAChain), MSPID: b.MSPID}, nil
}

// The files of an MSP folder that WriteMSP writes, relative to the folder.
var (
	// MSPKeyFile is the member's private key (none for a key kept in a token).
	MSPKeyFile = fabricca.MSPKeyFile
	// MSPCertFile is the member's enrollment certificate.
	MSPCertFile = fabricca.MSPCertFile
	// MSPCAFile is the chain of the CA that issued it.
	MSPCAFile = fabricca.MSPCAFile
)

// WriteMSP writes the enrollment as a Fabric MSP folder under dir, the layout Fabric tools and clients read:
// MSPKeyFile (mode 600; not for a key kept in a token), MSPCAFile and, last, MSPCertFile. It refuses to overwrite
// a key or a certificate, and a folder that another user of the machine owns or may write (it makes a missing one
// with mode 700).
func (e *Enrollment) WriteMSP(dir string) error {
	if err := ownMSPFolder(dir); err != nil {
		return err
	}
	for _, f := range []string{filepath.Join(dir, MSPKeyFile), filepath.Join(dir, MSPCertFile)} {
		if _, err := os.Stat(f); err == nil {
			return failuref("%s exists; enroll into an empty folder", f)
		}
	}
	var keyPEM []byte
	if e.Key != nil {
		var err error
		if keyPEM, err = fabricca.MarshalPrivateKey(e.Key); err != nil {
			return fmt.Errorf("deltaledger: encoding the key: %w", err)
		}
	}
	if err := fabricca.WriteMSP(dir, keyPEM, e.CAChainPEM, e.CertificatePEM); err != nil {
		return fmt.Errorf("deltaledger: %w", err)
	}
	return nil
}

// Attributes returns the attributes the CA certified in the enrollment certificate: model.AttrUSCC,
// model.AttrRoles, model.AttrLegalName and model.AttrDivision (when onboarding gave one), besides Fabric CA's own
// hf.* ones.
func (e *Enrollment) Attributes() (map[string]string, error) {
	cert, err := fabricca.ParseCertificate(e.CertificatePEM)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the enrollment certificate: %w", err)
	}
	return fabricca.Attributes(cert)
}
