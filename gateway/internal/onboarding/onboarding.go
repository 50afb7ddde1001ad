// Package onboarding brings a new enterprise into the gateway's org: the gateway registers the enterprise's
// identity with the org's Fabric CA as a registrar of its own (an operator asks through the API and never holds the
// registrar's credentials), with the enterprise's USCC, roles and legal name (and division, when given) certified as
// attributes of its enrollment certificates (model.AttrUSCC, AttrRoles, AttrLegalName, AttrDivision), and answers a
// secret that enrolls once. The enterprise then enrolls from its own machine: it generates its key pair there and
// sends only a certificate signing request, which the gateway passes to the CA (Enroll).
package onboarding

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Member is an enterprise to onboard. The API checks each field against model.OnboardingFields.
type Member struct {
	// LegalName is the enterprise's registered legal name.
	LegalName string
	// USCC is its Unified Social Credit Code: its enrollment ID at the CA.
	USCC string
	// Roles are its participant roles, each one of model.EnterpriseRoles.
	Roles []string
	// Division is where it is (model.CheckDivision, in the org's region), or "" when the operator did not say.
	Division string
}

// Invitation is what an operator hands the new member: with it the member enrolls once.
type Invitation struct {
	// EnrollmentID is the member's enrollment ID at the CA (the USCC): the CN of its certificates.
	EnrollmentID string
	// Secret enrolls once.
	Secret string
}

// Certificate is a member's enrollment: its new certificate and the CA's chain.
type Certificate struct {
	// CertificatePEM is the member's enrollment certificate.
	CertificatePEM []byte
	// CAChainPEM is the issuing CA's certificate chain.
	CAChainPEM []byte
}

// Errors of Register and Enroll; others mean the CA could not be asked.
var (
	// ErrDuplicate: the enterprise already has an identity at this CA.
	ErrDuplicate = errors.New("the enterprise already has an identity at this CA")
	// ErrEnrollmentRefused: the enrollment ID and secret do not enroll (unknown, wrong, already used or locked
	// after too many attempts; the CA does not say which, and neither does the gateway).
	ErrEnrollmentRefused = errors.New("the enrollment ID and secret do not enroll")
	// ErrBadRequest: the CA refused the certificate signing request.
	ErrBadRequest = errors.New("the certificate signing request was refused")
	// ErrNotOnboarded: the identity to revoke is not a member this gateway's registrar onboarded (the CA shows it
	// no certificate of it, or refuses to revoke it).
	ErrNotOnboarded = errors.New("not a member onboarded through this gateway")
	// ErrStillEnrolled: the identity still holds a certificate the CA has not revoked; it rotates its key with
	// that one (re-enrollment) and needs no new invitation.
	ErrStillEnrolled = errors.New("the identity still holds a certificate that is not revoked")
)

// invitationAttr is the attribute (at the CA, never certified) in which Reinvite records how many certificates of
// the identity the CA had issued when it was last invited. The registrar may set it: it is one of deltaledger.*.
const invitationAttr = "deltaledger.invitation"

// secretBytes is the randomness of an enrollment secret (144 bits): guessing it through the public enroll route is
// hopeless, so the CAs lock no identity after wrong secrets (a lock would let anyone who knows a USCC block it).
const secretBytes = 18

// Registrar registers and enrolls members at the org's CA.
type Registrar struct {
	ca          *fabricca.Client
	registrar   *fabricca.Identity
	refusalTime time.Duration
}

// RefusalTime is how long after it was asked Enroll answers a refusal of the enrollment ID and secret, at the
// least. Fabric CA refuses an unknown enrollment ID at once but checks a known one's secret first (bcrypt: about
// 60 ms against 7 ms on the 2-core machine, through the gateway), so without it the time of a refusal would tell
// anyone, without credentials, which enterprises (enrollment ID = USCC) the region's CA knows.
const RefusalTime = time.Second

// Option configures a Registrar.
type Option func(*Registrar)

// WithRefusalTime sets the least time Enroll takes to answer a refusal (RefusalTime unless set), for tests.
func WithRefusalTime(d time.Duration) Option {
	return func(r *Registrar) { r.refusalTime = d }
}

// New returns a Registrar that acts at ca as registrar, an identity whose registration lets it register client
// identities with the model's attributes (network/enroll issues the gateway's).
func New(ca *fabricca.Client, registrar *fabricca.Identity, options ...Option) *Registrar {
	r := &Registrar{ca: ca, registrar: registrar, refusalTime: RefusalTime}
	for _, apply := range options {
		apply(r)
	}
	return r
}

// newSecret makes an enrollment secret of secretBytes random bytes.
func newSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Register registers m as a client identity whose secret enrolls once, and returns the invitation.
func (r *Registrar) Register(ctx context.Context, m Member) (*Invitation, error) {
	fresh, err := newSecret()
	if err != nil {
		return nil, err
	}
	attributes := []fabricca.Attribute{
		{Name: model.AttrUSCC, Value: m.USCC, ECert: true},
		{Name: model.AttrRoles, Value: strings.Join(m.Roles, ","), ECert: true},
		{Name: model.AttrLegalName, Value: m.LegalName, ECert: true},
	}
	if m.Division != "" {
		attributes = append(attributes, fabricca.Attribute{Name: model.AttrDivision, Value: m.Division, ECert: true})
	}
	secret, err := r.ca.Register(ctx, r.registrar, fabricca.Registration{
		ID:             m.USCC,
		Type:           "client",
		Secret:         fresh,
		MaxEnrollments: 1,
		Affiliation:    model.MembersAffiliation,
		Attributes:     attributes,
	})
	if fabricca.HasCode(err, fabricca.CodeDuplicateRegistration) {
		return nil, ErrDuplicate
	}
	if err != nil {
		return nil, fmt.Errorf("registering at the CA: %w", err)
	}
	return &Invitation{EnrollmentID: m.USCC, Secret: secret}, nil
}

// Enroll exchanges an invitation's secret for a certificate of the public key in csrPEM (whose CN must be the
// enrollment ID). The certificate carries the attributes registered. A refusal of the enrollment ID and secret
// (ErrEnrollmentRefused) comes no sooner than the Registrar's refusal time after the call (RefusalTime), whether
// the CA knows the ID or not.
func (r *Registrar) Enroll(ctx context.Context, id, secret string, csrPEM []byte) (*Certificate, error) {
	asked := time.Now()
	if reason, cause := checkRequest(csrPEM, id); reason != nil {
		return nil, &requestRefused{reason: reason, cause: cause}
	}
	e, err := r.ca.Enroll(ctx, id, secret, csrPEM)
	var caErr *fabricca.Error
	if errors.As(err, &caErr) {
		if enrollmentRefusals[caErr.Code] {
			waitUntil(ctx, asked.Add(r.refusalTime))
			return nil, ErrEnrollmentRefused
		}
		if reason := caRefusal(caErr.Code, id); reason != nil {
			return nil, &requestRefused{reason: reason, cause: caErr}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("enrolling at the CA: %w", err)
	}
	return &Certificate{CertificatePEM: e.CertificatePEM, CAChainPEM: e.CAChainPEM}, nil
}

// waitUntil returns at t, or when ctx ends if sooner.
func waitUntil(ctx context.Context, t time.Time) {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
}

// revocationReason is the RFC 5280 reason of a suspended member's revocation.
const revocationReason = "privilegewithdrawn"

// maxRevocationRounds bounds Revoke's rounds: each round revokes every certificate the previous listing named, and
// only a certificate not yet revoked can re-enroll a new one, so a member racing the revocation gains at most one
// certificate per round.
const maxRevocationRounds = 5

// Revoke revokes, at the org's CA, every certificate of enrollment ID id, the suspended participant's, whatever
// its subject, and returns the serial numbers (hex) revoked and the CA's CRL after them. identity (subject and
// issuer, wallet.IdentityOf) is the one the ledger holds for the participant: the CA must show the registrar a
// certificate of id with it, or the participant is not a member this gateway onboarded (ErrNotOnboarded, and
// nothing is revoked). The CA refuses to revoke an identity outside the registrar's affiliation: ErrNotOnboarded.
//
// Certificates of id with another subject are revoked too: Fabric CA lets the holder of a certificate re-enroll
// with a subject of its choice (O, L, ST, C), and such a certificate, left valid, would re-enroll back to the
// participant's subject after the revocation.
func (r *Registrar) Revoke(ctx context.Context, id, identity string) (serials []string, crl []byte, err error) {
	if !r.issued(ctx, id, identity) {
		return nil, nil, ErrNotOnboarded
	}
	for round := 0; ; round++ {
		valid, err := r.ca.Certificates(ctx, r.registrar, fabricca.CertificateQuery{ID: id, NotRevoked: true})
		if err != nil {
			return serials, nil, fmt.Errorf("listing the certificates of %s at the CA: %w", id, err)
		}
		if len(valid) == 0 {
			break
		}
		if round == maxRevocationRounds {
			return serials, nil, fmt.Errorf("%s still had %d certificates not revoked after %d rounds", id, len(valid), round)
		}
		for _, c := range valid {
			serial, aki := fabricca.SerialAndAKI(c)
			_, err := r.ca.Revoke(ctx, r.registrar, fabricca.Revocation{Serial: serial, AKI: aki, Reason: revocationReason})
			switch {
			case fabricca.HasCode(err, fabricca.CodeAlreadyRevoked):
				continue
			case fabricca.HasCode(err, fabricca.CodeAuthorizationFailure):
				return serials, nil, ErrNotOnboarded
			case err != nil:
				return serials, nil, fmt.Errorf("revoking %s's certificate %s at the CA: %w", id, serial, err)
			}
			serials = append(serials, serial)
		}
	}
	crl, err = r.CRL(ctx)
	return serials, crl, err
}

// Reinvite lets a member whose every certificate is revoked enroll once more: enrollment ID id, which the CA shows
// a certificate of with identity (subject and issuer, the one the ledger holds for the participant), gets a new
// one-time secret. Its registered attributes are not touched, so the new certificate certifies the same
// enterprise, and its subject and issuer are the old ones: the ledger's participant. A member the registrar did not
// onboard is ErrNotOnboarded; one that still holds a certificate not revoked, whatever its subject, is
// ErrStillEnrolled (it re-enrolls with it instead).
//
// The new secret replaces any earlier one and allows one enrollment more than the identity has been allowed so
// far, unless the last invitation is still unused: then it only replaces that one's secret, so that a secret
// enrolls once however often it was asked for. Fabric CA does not show how many enrollments an identity has used,
// so the identity keeps, in attribute invitationAttr (not certified), how many certificates of it the CA had issued
// when it was last invited; none issued since means that invitation is unused.
func (r *Registrar) Reinvite(ctx context.Context, id, identity string) (*Invitation, error) {
	issued := r.issuedCount(ctx, id, identity)
	if issued == 0 {
		return nil, ErrNotOnboarded
	}
	valid, err := r.ca.Certificates(ctx, r.registrar, fabricca.CertificateQuery{ID: id, NotRevoked: true})
	if err != nil {
		return nil, fmt.Errorf("listing the certificates of %s at the CA: %w", id, err)
	}
	if len(valid) > 0 {
		return nil, ErrStillEnrolled
	}
	info, err := r.ca.Identity(ctx, r.registrar, id)
	if fabricca.HasCode(err, fabricca.CodeAuthorizationFailure) {
		return nil, ErrNotOnboarded
	}
	if err != nil {
		return nil, fmt.Errorf("reading the identity %s at the CA: %w", id, err)
	}
	max := info.MaxEnrollments + 1
	if info.MaxEnrollments < 0 {
		max = info.MaxEnrollments // without limit: the new secret is the only control
	}
	count := strconv.Itoa(issued)
	if slices.ContainsFunc(info.Attributes, func(a fabricca.Attribute) bool { return a.Name == invitationAttr && a.Value == count }) {
		max = info.MaxEnrollments // the last invitation is unused: its secret is replaced, its enrollment not added to
	}
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	if err := r.ca.Reinvite(ctx, r.registrar, id, secret, max, fabricca.Attribute{Name: invitationAttr, Value: count}); err != nil {
		if fabricca.HasCode(err, fabricca.CodeAuthorizationFailure) {
			return nil, ErrNotOnboarded
		}
		return nil, fmt.Errorf("giving %s a new secret at the CA: %w", id, err)
	}
	return &Invitation{EnrollmentID: id, Secret: secret}, nil
}

// issued reports whether the CA shows the registrar a certificate of id with identity, revoked or not: whether the
// participant is a member of the registrar's affiliation that enrolled.
func (r *Registrar) issued(ctx context.Context, id, identity string) bool {
	return r.issuedCount(ctx, id, identity) > 0
}

// issuedCount is how many certificates of id, revoked or not and whatever their subject, the CA shows the
// registrar: 0 when none of them has identity (or the CA cannot be asked).
func (r *Registrar) issuedCount(ctx context.Context, id, identity string) int {
	certs, err := r.ca.Certificates(ctx, r.registrar, fabricca.CertificateQuery{ID: id})
	if err != nil || !slices.ContainsFunc(certs, func(c *x509.Certificate) bool { return wallet.IdentityOf(c) == identity }) {
		return 0
	}
	return len(certs)
}

// CRL returns the org's CA's current CRL (PEM).
func (r *Registrar) CRL(ctx context.Context) ([]byte, error) {
	crl, err := r.ca.CRL(ctx, r.registrar)
	if err != nil {
		return nil, fmt.Errorf("generating the CA's CRL: %w", err)
	}
	return crl, nil
}

// requestRefused is ErrBadRequest with its reason, which the caller reads,
// and what the CA or the parser said, if anything, for the log.
type requestRefused struct {
	reason *ledgererr.Message
	cause  error
}

func (e *requestRefused) Error() string {
	if e.cause != nil {
		return ErrBadRequest.Error() + ": " + e.reason.Error() + " (" + e.cause.Error() + ")"
	}
	return ErrBadRequest.Error() + ": " + e.reason.Error()
}

// Is makes the error ErrBadRequest.
func (e *requestRefused) Is(target error) bool { return target == ErrBadRequest }

// Reason is why Enroll refused a certificate signing request (an error that
// is ErrBadRequest), in the catalogue's words: the gateway's check or the
// CA's refusal (the CA's own text stays in err, for the log). It is err
// itself for any other error.
func Reason(err error) error {
	var refused *requestRefused
	if errors.As(err, &refused) {
		return refused.reason
	}
	return err
}

// caRefusal is the catalogue's reason for the CA's refusal of a certificate
// signing request with code, nil for a code that is no refusal of the
// request. The CA's own text (English, and quoting the request) is for the
// gateway's log.
func caRefusal(code int, id string) *ledgererr.Message {
	switch code {
	case fabricca.CodeBadCSR:
		return ledgererr.Messagef("the CA cannot read it as a certificate signing request")
	case fabricca.CodeCSRNotOfTheID:
		return ledgererr.Messagef("its CN must be the enrollment ID %s", id)
	case fabricca.CodeCSRSubjectTooLong:
		return ledgererr.Messagef("the CA refused its subject: a name in it is longer than X.509 allows (64 characters for CN, O, OU, L and ST)")
	}
	return nil
}

// checkRequest requires csrPEM to be one PEM certificate signing request, signed by its key, for enrollment ID id.
// It returns the reason it is not, and what crypto/x509 said about it, for the log.
func checkRequest(csrPEM []byte, id string) (reason *ledgererr.Message, cause error) {
	block, rest := pem.Decode(csrPEM)
	if block == nil || block.Type != "CERTIFICATE REQUEST" || len(bytes.TrimSpace(rest)) > 0 {
		return ledgererr.Messagef("must be one PEM CERTIFICATE REQUEST"), nil
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		return ledgererr.Messagef("cannot be parsed as a PKCS #10 certificate signing request"), err
	}
	if err := csr.CheckSignature(); err != nil {
		return ledgererr.Messagef("is not signed by its own key"), err
	}
	if csr.Subject.CommonName != id {
		return ledgererr.Messagef("its CN must be the enrollment ID %s", id), nil
	}
	return nil, nil
}

// enrollmentRefusals are the CA's codes for credentials that do not enroll.
var enrollmentRefusals = map[int]bool{
	fabricca.CodeAuthenticationFailure: true, fabricca.CodePasswordAttempts: true, fabricca.CodeRevokedIdentity: true,
}

// Open returns the Registrar of CA caName of the CA server at url, whose TLS certificate tlsCACertFile (PEM)
// verifies, acting as the registrar whose MSP folder (signcerts/, keystore/) is registrarMSP.
func Open(url, caName, tlsCACertFile, registrarMSP string) (*Registrar, error) {
	pemBytes, err := os.ReadFile(tlsCACertFile)
	if err != nil {
		return nil, fmt.Errorf("ca.tlsCACert: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("ca.tlsCACert: %s holds no PEM certificate", tlsCACertFile)
	}
	certFile, keyFile, err := fabricca.MSPFiles(registrarMSP)
	if err != nil {
		return nil, fmt.Errorf("ca.registrar: %w", err)
	}
	// The registrar's key registers and revokes the org's members at its CA: held to the rule of the wallet's keys,
	// it is refused when the machine's other users may read it.
	if err := wallet.CheckPrivate(keyFile); err != nil {
		return nil, fmt.Errorf("ca.registrar: %w", err)
	}
	registrar, err := fabricca.ReadIdentity(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("ca.registrar: %w", err)
	}
	ca, err := fabricca.New(url, fabricca.WithRootCAs(pool), fabricca.WithCAName(caName))
	if err != nil {
		return nil, fmt.Errorf("ca.url: %w", err)
	}
	return New(ca, registrar), nil
}
