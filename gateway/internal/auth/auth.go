// Package auth decides which member of the gateway's org a request acts as.
//
// A caller proves who it is with a TLS client certificate issued by the org's
// CA (mapped to the wallet member whose signing or TLS client certificate has
// the same subject and issuer and the same key (KeyedIdentity); a certificate of the org's enrolment CA of no
// wallet member is a member who signs itself, see Caller.SignsItself, and one of its TLS CA only is nobody) or with a bearer API key (only its
// SHA-256 is stored). A request without valid credentials is refused with 401; one
// whose certificate was issued by another org's CA is refused with 403. There
// is no fallback to a shared identity. A certificate the org's CA revoked
// (WithRevocations) is refused with 401 before anything else, whether it is
// presented over TLS or held in the wallet for an API key.
package auth

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Method says how a caller authenticated.
type Method string

// Authentication methods.
const (
	ClientCertificate Method = "client-certificate"
	BearerKey         Method = "api-key"
)

// Caller is an authenticated member.
type Caller struct {
	// Member is the wallet member the request acts as; "" for a member whose key the gateway does not hold (see
	// SignsItself).
	Member string
	// Certificate is the client certificate the caller authenticated with (ClientCertificate only).
	Certificate *x509.Certificate
	// MSPID is the member's org.
	MSPID string
	// Method is how the caller authenticated.
	Method Method
	// KeyID is the API key's ID, for BearerKey.
	KeyID string
	// Scope is the API key's scope (APIKey.Scope): "" for everything the member may, ScopeMetrics for the
	// metrics alone.
	Scope string
	// OrgAdmin is true when the member's certificate is one of the org's admins (OU model.AdminOU, the NodeOU the
	// MSP classifies as admin, as the chaincode reads it).
	OrgAdmin bool
	// keyed is Certificate's KeyedIdentity, computed once when the caller authenticated: a request names its
	// caller more than once (its log line, its rate budget).
	keyed string
	// signing is a wallet member's signing certificate, the creator of the transactions the gateway signs for it
	// (Sender).
	signing *x509.Certificate
	// from and until bound when the chains Certificate was verified by are all in force (the latest NotBefore and the
	// earliest NotAfter of their certificates): outside them the verification would be refused (Recheck).
	from, until time.Time
}

// isOrgAdmin reports whether cert is of the org's admins.
func isOrgAdmin(cert *x509.Certificate) bool {
	return cert != nil && slices.Contains(cert.Subject.OrganizationalUnit, model.AdminOU)
}

// Errors of Authenticate. The HTTP layer maps ErrUnauthenticated to 401 and
// ErrForeignOrg to 403.
var (
	ErrUnauthenticated = errors.New("unauthenticated")
	ErrForeignOrg      = errors.New("member of another organisation")
)

// Error is an authentication refusal with the reason to report.
type Error struct {
	// Kind is ErrUnauthenticated or ErrForeignOrg.
	Kind error
	// Reason is safe to show the caller, in the caller's language.
	Reason *ledgererr.Message
}

func (e *Error) Error() string { return e.Reason.Error() }

// SignsItself reports whether the caller is a member of the org whose key the gateway does not hold: a
// non-custodial member, authenticated by its enrolled certificate, who signs each step of its calls itself.
func (c *Caller) SignsItself() bool { return c.Member == "" && c.Certificate != nil }

// Name names the caller in logs: the wallet member, or, when it signs itself, the identity and the key of its
// certificate (KeyedIdentity: "x509::<subject>::<issuer> key <SHA-256 of the public key>"). The identity alone would
// let a certificate of the member's identity over another key, which whoever holds the registrar power of the org's
// CA can have issued and the ledger refuses, pass for it in the log.
func (c *Caller) Name() string {
	switch {
	case !c.SignsItself():
		return c.Member
	case c.keyed != "":
		return c.keyed
	}
	return KeyedIdentity(c.Certificate)
}

// Share names whose share of the gateway's limits the caller spends (its rate budgets; the store of self-signed
// calls counts the same): the wallet member, or, when it signs itself, its certificate's identity (wallet.IdentityOf)
// whatever its key. A member re-enrolling with the org's CA, a new key and certificate each time, gets no more than
// one share; a certificate of its identity over a key the registrar chose shares it too, which only the org that
// runs the gateway can have issued.
func (c *Caller) Share() string {
	if !c.SignsItself() {
		return c.Member
	}
	return wallet.IdentityOf(c.Certificate)
}

// Sender names the certificate the caller's transactions are created with, by its identity and key
// (KeyedIdentity), as the ledger index names each transaction's sender (SenderDigest): a member who signs itself is
// its own certificate (Name), a wallet member the signing certificate the gateway signs with for it, whichever
// certificate or API key it authenticated with. "" names nobody (a caller made without one).
func (c *Caller) Sender() string {
	switch {
	case c.SignsItself():
		return c.Name()
	case c.signing != nil:
		return KeyedIdentity(c.signing)
	}
	return ""
}

// Unwrap returns the kind, for errors.Is, and the reason, for its text in
// another language.
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Reason} }

func unauthenticated(format string, args ...any) error {
	return &Error{Kind: ErrUnauthenticated, Reason: ledgererr.Messagef(format, args...)}
}

// TrustedCA is a CA whose client certificates the TLS listener accepts.
type TrustedCA struct {
	// MSPID is the org whose CA it is.
	MSPID string
	// Certificates are the CA's certificates.
	Certificates []*x509.Certificate
}

// Revocations says whether the org's CAs revoked a certificate (package revocation keeps their CRLs, one per CA).
type Revocations interface {
	// Revoked reports whether the CRL of cert's issuer lists it.
	Revoked(cert *x509.Certificate) bool
	// RevokedIn returns the first certificate of a verified chain (leaf first) below its root that the CRL of its
	// issuer lists, nil for none: an intermediate CA its root revoked issues nobody.
	RevokedIn(chain []*x509.Certificate) *x509.Certificate
	// Generation changes whenever Revoked or RevokedIn may answer otherwise (a CRL installed, the issuers replaced):
	// a verdict reached under one generation is not kept under another (Recheck).
	Generation() uint64
}

// Authenticator maps requests to members.
type Authenticator struct {
	revoked Revocations
	mspID   string
	members map[string]string // certificate identity and key (KeyedIdentity) -> member name
	// identities is the wallet members' signing certificates, which tell the org's enrolment CA (trust.enrolment).
	identities []*x509.Certificate
	// trust is the trusted CAs in force, replaced whole by SetTrustedCAs (a region that joins the running network,
	// README "A region joins") while requests are being authenticated: each request reads one version.
	trust atomic.Pointer[trust]
	// trusted collects the CAs of WithTrustedCAs, and identityCAs those of WithIdentityCAs, while New applies the
	// options.
	trusted     []TrustedCA
	identityCAs *IdentityCAs
	keys        *KeyStore
	wallet      *wallet.Wallet
	// now is the gateway's clock, which certificates are verified by (WithNow).
	now func() time.Time
}

// trust is one version of the trusted CAs; it is never changed once stored.
type trust struct {
	own *x509.CertPool
	// enrolment is the own org's CAs that issue member identities when the org's MSP folder is not configured
	// (identities nil): those of own that issued a wallet member's signing certificate (an identity of the org's
	// MSP). The org's TLS CA, in own too, issues its members' TLS client certificates and its peers' and orderers'
	// TLS certificates, which are nobody's identity on the chain.
	enrolment *x509.CertPool
	enrolers  int
	// identities, from the org's MSP folder (IdentityCAs), says which certificates are identities as Fabric does;
	// idCAs is what it was made of, kept for SetTrustedCAs.
	identities *identityIssuers
	idCAs      *IdentityCAs
	all        *x509.CertPool
	foreign    map[string]*x509.CertPool
}

// enrolled reports whether leaf, a certificate of the own org's CAs, is an identity of the org's MSP: by its MSP
// folder's CAs when it is configured, else by the CAs that issued the wallet's members (verify, which takes the
// chain the caller presented).
func (t *trust) enrolled(leaf *x509.Certificate, verify func(*x509.CertPool) bool) bool {
	if t.identities != nil {
		return t.identities.issued(leaf)
	}
	return verify(t.enrolment)
}

// newTrust returns the pools of cas for the org mspID, whose wallet members' signing certificates are identities,
// and whose MSP folder's CAs that issue identities are ids (nil when not configured).
func newTrust(mspID string, cas []TrustedCA, identities []*x509.Certificate, ids *IdentityCAs) *trust {
	t := &trust{own: x509.NewCertPool(), enrolment: x509.NewCertPool(), all: x509.NewCertPool(), foreign: map[string]*x509.CertPool{},
		identities: newIdentityIssuers(ids), idCAs: ids}
	var own []*x509.Certificate
	for _, ca := range cas {
		pool := t.own
		if ca.MSPID != mspID {
			if t.foreign[ca.MSPID] == nil {
				t.foreign[ca.MSPID] = x509.NewCertPool()
			}
			pool = t.foreign[ca.MSPID]
		} else {
			own = append(own, ca.Certificates...)
		}
		for _, c := range ca.Certificates {
			pool.AddCert(c)
			t.all.AddCert(c)
		}
	}
	for _, c := range own {
		if issuedAny(c, identities) {
			t.enrolment.AddCert(c)
			t.enrolers++
		}
	}
	return t
}

// issuedAny reports whether ca issued (signed) one of certs.
func issuedAny(ca *x509.Certificate, certs []*x509.Certificate) bool {
	return slices.ContainsFunc(certs, func(c *x509.Certificate) bool { return c.CheckSignatureFrom(ca) == nil })
}

// Option configures an Authenticator.
type Option func(*Authenticator)

// WithKeyStore accepts bearer API keys from the store.
func WithKeyStore(s *KeyStore) Option {
	return func(a *Authenticator) { a.keys = s }
}

// WithRevocations refuses the certificates r says the org's CA revoked.
func WithRevocations(r Revocations) Option {
	return func(a *Authenticator) { a.revoked = r }
}

// WithNow verifies certificates by the clock now instead of the system clock, for tests of a certificate's expiry
// that do not wait for it.
func WithNow(now func() time.Time) Option {
	return func(a *Authenticator) { a.now = now }
}

// isRevoked reports whether the org's CA revoked cert.
func (a *Authenticator) isRevoked(cert *x509.Certificate) bool {
	return a.revoked != nil && cert != nil && a.revoked.Revoked(cert)
}

// chainRevoked refuses a client certificate one of whose verified chains holds a certificate its issuer's CRL lists,
// naming that certificate; nil when none does.
func (a *Authenticator) chainRevoked(chains [][]*x509.Certificate) error {
	if a.revoked == nil {
		return nil
	}
	for _, chain := range chains {
		switch revoked := a.revoked.RevokedIn(chain); {
		case revoked == nil:
		case revoked == chain[0]:
			return a.revokedError(revoked, ledgererr.Messagef("the client certificate"))
		default:
			return a.revokedError(revoked, ledgererr.Messagef("a CA certificate of the client certificate's chain"))
		}
	}
	return nil
}

// revokedError refuses a revoked certificate, naming it by serial number (the CRL's own name for it).
func (a *Authenticator) revokedError(cert *x509.Certificate, whose *ledgererr.Message) error {
	return unauthenticated("%s (serial %s) was revoked by the CA of %s: it authenticates nobody (a suspended member is cut off; ask the org's exchange)",
		whose, cert.SerialNumber.Text(16), a.mspID)
}

// WithTrustedCAs sets the CAs whose client certificates identify callers:
// those of the gateway's own org map to members; those of other orgs are
// recognised only to answer 403 instead of 401.
func WithTrustedCAs(cas ...TrustedCA) Option {
	return func(a *Authenticator) { a.trusted = append(a.trusted, cas...) }
}

// WithIdentityCAs tells the own org's member identities by the CAs of its MSP folder (tls.orgMSP) rather than by
// the CAs that issued the wallet's members.
func WithIdentityCAs(ids *IdentityCAs) Option {
	return func(a *Authenticator) { a.identityCAs = ids }
}

// SetTrustedCAs replaces the trusted CAs (those of WithTrustedCAs) with cas, for the requests authenticated from
// now on, keeping the identity CAs in force; ClientCAs returns the new pool.
func (a *Authenticator) SetTrustedCAs(cas ...TrustedCA) {
	a.SetTrust(cas, a.trust.Load().idCAs)
}

// SetTrust replaces the trusted CAs and the identity CAs of the org's MSP folder (nil: none configured) at once,
// for the requests authenticated from now on. The gateway calls it when it reloads tls.clientCAs and tls.orgMSP.
func (a *Authenticator) SetTrust(cas []TrustedCA, ids *IdentityCAs) {
	a.trust.Store(newTrust(a.mspID, cas, a.identities, ids))
}

// EnrolsByWallet reports whether the org's member identities are told by the CAs that issued the wallet's members
// (no tls.orgMSP), and how many of the own org's trusted CAs did: none refuses every member who signs itself.
func (a *Authenticator) EnrolsByWallet() (byWallet bool, issuers int) {
	t := a.trust.Load()
	return t.identities == nil, t.enrolers
}

// New returns an authenticator for the members of w, all of org mspID.
func New(mspID string, w *wallet.Wallet, options ...Option) *Authenticator {
	a := &Authenticator{
		mspID:   mspID,
		members: map[string]string{},
		wallet:  w,
		now:     time.Now,
	}
	for _, m := range w.Members() {
		a.members[KeyedIdentity(m.Certificate)] = m.Name
		a.identities = append(a.identities, m.Certificate)
		for _, c := range m.ClientCertificates {
			a.members[KeyedIdentity(c)] = m.Name
		}
	}
	for _, apply := range options {
		apply(a)
	}
	a.SetTrust(a.trusted, a.identityCAs)
	a.trusted, a.identityCAs = nil, nil
	return a
}

// ClientCAs returns the pool the TLS listener verifies client certificates
// against: the own org's CAs and those of other orgs, as SetTrustedCAs last set them.
func (a *Authenticator) ClientCAs() *x509.CertPool {
	return a.trust.Load().all.Clone()
}

// Authenticate returns the caller of r. A request with an Authorization
// header is judged by it alone; otherwise by its verified TLS client
// certificate.
func (a *Authenticator) Authenticate(r *http.Request) (*Caller, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return a.bearer(h)
	}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		return a.certificate(r.TLS.PeerCertificates)
	}
	return nil, unauthenticated("credentials required: a TLS client certificate of the org's CA or an API key (Authorization: Bearer)")
}

func (a *Authenticator) bearer(header string) (*Caller, error) {
	scheme, key, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || a.keys == nil {
		return nil, unauthenticated("the Authorization header must be \"Bearer <API key>\"")
	}
	rec, ok := a.keys.Verify(strings.TrimSpace(key))
	if !ok {
		return nil, unauthenticated("invalid, expired or revoked API key")
	}
	m, ok := a.wallet.Member(rec.Member)
	if !ok {
		return nil, unauthenticated("the API key's member %q is not in this gateway's wallet", rec.Member)
	}
	if a.isRevoked(m.Certificate) {
		return nil, a.revokedError(m.Certificate, ledgererr.Messagef("the certificate of the API key's member"))
	}
	return &Caller{Member: rec.Member, MSPID: a.mspID, Method: BearerKey, KeyID: rec.ID, Scope: rec.Scope, OrgAdmin: isOrgAdmin(m.Certificate), signing: m.Certificate}, nil
}

// certificate maps a client certificate chain (leaf first) to a member. The
// TLS listener has verified the chain against the union of trusted CAs; the
// chain is verified again here to learn which org's CA issued it.
func (a *Authenticator) certificate(chain []*x509.Certificate) (*Caller, error) {
	leaf := chain[0]
	intermediates := x509.NewCertPool()
	for _, c := range chain[1:] {
		intermediates.AddCert(c)
	}
	now := a.now()
	chainsTo := func(roots *x509.CertPool) ([][]*x509.Certificate, bool) {
		chains, err := leaf.Verify(x509.VerifyOptions{
			Roots: roots, Intermediates: intermediates, CurrentTime: now,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		})
		return chains, err == nil
	}
	verify := func(roots *x509.CertPool) bool {
		_, ok := chainsTo(roots)
		return ok
	}
	trusted := a.trust.Load()
	if chains, ok := chainsTo(trusted.own); ok {
		// Every chain is checked, the leaf and the CAs above it against their issuers' CRLs: a chain through an
		// intermediate its root revoked refuses the certificate even where another chain would not.
		if err := a.chainRevoked(chains); err != nil {
			return nil, err
		}
		// A certificate of the org's enrolment CA whose key the gateway does not hold is a member who signs
		// itself; what it may do is the chaincode's to say, on the identity its own signatures prove. One of the
		// org's TLS CA only is a wallet member's TLS client certificate or nobody's: a peer's or an orderer's TLS
		// certificate is no member, admin OU or not. Which is which the org's MSP folder says when configured
		// (trust.enrolled).
		keyed := KeyedIdentity(leaf)
		name, ok := a.members[keyed]
		if !ok && !trusted.enrolled(leaf, verify) {
			return nil, unauthenticated("the client certificate is of the TLS CA of %s and of no member of this gateway's wallet: a member who signs itself presents the certificate the CA of %[1]s enrolled it with", a.mspID)
		}
		admin := isOrgAdmin(leaf)
		var signing *x509.Certificate
		if m, ok := a.wallet.Member(name); ok {
			// The gateway signs as the member's own certificate: revoked, it authenticates nobody, whichever
			// certificate (a TLS client certificate of the TLS CA, which the CRL does not list) maps to it.
			if a.isRevoked(m.Certificate) {
				return nil, a.revokedError(m.Certificate, ledgererr.Messagef("the certificate of the client certificate's member"))
			}
			admin, signing = isOrgAdmin(m.Certificate), m.Certificate
		}
		from, until := inForce(chains)
		return &Caller{Member: name, Certificate: leaf, MSPID: a.mspID, Method: ClientCertificate, OrgAdmin: admin, keyed: keyed, signing: signing,
			from: from, until: until}, nil
	}
	for msp, pool := range trusted.foreign {
		if verify(pool) {
			return nil, &Error{Kind: ErrForeignOrg, Reason: ledgererr.Messagef("the client certificate belongs to a member of %[1]s; use %[1]s's gateway", msp)}
		}
	}
	return nil, unauthenticated("the client certificate was not issued by the CA of %s", a.mspID)
}

// inForce is when every certificate of chains is in force: from the latest NotBefore to the earliest NotAfter (the
// last instant crypto/x509 accepts). Bounding the verdict by every chain, not only the one that lasts longest, takes
// it again sooner than needed, never later.
func inForce(chains [][]*x509.Certificate) (from, until time.Time) {
	for i, c := range slices.Concat(chains...) {
		if i == 0 || c.NotBefore.After(from) {
			from = c.NotBefore
		}
		if i == 0 || c.NotAfter.Before(until) {
			until = c.NotAfter
		}
	}
	return from, until
}

// KeyedIdentity names a certificate by its identity (subject and issuer) and its public key (model.KeyDigest): it is
// what maps a client certificate to a wallet member, and what names a member who signs itself. The identity alone
// would not do: whoever holds the registrar power of the org's CA can have a certificate issued with a member's
// subject over a key of its own, and the gateway would sign for the member with the wallet's key, which the ledger
// binds (participants:RotateKey). A certificate of the identity over another key maps to no member: it signs itself,
// and the ledger judges its signatures. The digest, of fixed length, ends the name: two names are equal only for
// the same identity and key.
func KeyedIdentity(cert *x509.Certificate) string {
	return wallet.IdentityOf(cert) + " key " + model.KeyDigest(cert)
}

type callerKey struct{}

// WithCaller returns ctx carrying the caller.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller ctx carries.
func CallerFrom(ctx context.Context) (*Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(*Caller)
	return c, ok
}
