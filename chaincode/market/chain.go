package market

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// CAs is one org's CA certificates as the market rules in force list them,
// parsed: what InForce judges the chain of a certificate of the org by. An
// org the rules do not list (removed, or never named) has none to judge by.
type CAs struct {
	mspID                string
	listed               bool
	roots, intermediates []*caCert
}

// caCert is a CA certificate of the rules, parsed, with the digest its
// signatures are remembered by (signs).
type caCert struct {
	cert *x509.Certificate
	sum  [sha256.Size]byte
}

// CAsRead is a read of one org's CA certificates, for a caller that reads
// them in one request with other keys (state.GetAll of its Read), as
// RulesRead is for the rules; CAs then takes them.
type CAsRead struct {
	state.Read
	mspID string
}

// NewCAsRead prepares a read of the CA certificates of org mspID.
func NewCAsRead(ctx state.Context, mspID string) (*CAsRead, error) {
	key, err := state.Key(ctx, keyCA, mspID)
	if err != nil {
		return nil, err
	}
	return &CAsRead{Read: state.Read{Key: key}, mspID: mspID}, nil
}

// CAs returns the certificates read, parsed; none listed when the rules in
// force do not name the org. The record is decoded and parsed once per
// chaincode process (records), not at every caller's resolution.
func (r *CAsRead) CAs() (*CAs, error) {
	if !r.Found {
		return &CAs{mspID: r.mspID}, nil
	}
	memoryMu.Lock()
	c, ok := records[string(r.Value)]
	memoryMu.Unlock()
	if ok {
		return c, nil
	}
	var rec orgCAs
	if err := json.Unmarshal(r.Value, &rec); err != nil {
		return nil, ledgererr.Internalf(err, "decoding the CA certificates of %s", r.mspID)
	}
	c = casOf(r.mspID, rec.RootCerts, rec.IntermediateCerts)
	remember(records, recordLimit, string(r.Value), c)
	return c, nil
}

// ReadCAs reads the CA certificates of org mspID as the rules in force list
// them, alone (CAsRead reads them with other keys).
func ReadCAs(ctx state.Context, mspID string) (*CAs, error) {
	r, err := NewCAsRead(ctx, mspID)
	if err != nil {
		return nil, err
	}
	if err := state.GetAll(ctx, &r.Read); err != nil {
		return nil, err
	}
	return r.CAs()
}

// casOf parses an org's CA certificates, each once per chaincode process
// (parsed).
func casOf(mspID string, roots, intermediates []string) *CAs {
	c := &CAs{mspID: mspID, listed: true}
	for _, p := range roots {
		c.roots = append(c.roots, parsed(p))
	}
	for _, p := range intermediates {
		c.intermediates = append(c.intermediates, parsed(p))
	}
	return c
}

// InForce is the one judgement of whether a certificate of the org acts
// (caller resolution, an admin's call, a member's registration): it must
// be in force itself (its dates by the transaction time at and by this
// endorsing peer's clock, checkDates), and so must every CA certificate of
// its chain to a root as the market rules list them for the org, judged
// alike. Fabric's MSP verifies a creator's chain as of the certificate's own
// NotBefore (FAB-3678): without this, a retired intermediate or root CA the
// org still lists, whose key is less well guarded, would issue a backdated
// certificate with a member's subject that acted as the member. A
// certificate acts when one of its chains is in force whole (a CA
// certificate renewed over the same key leaves two). For an org the rules
// do not list there is no chain to judge: its certificate's own dates only
// (whoever needs the org listed refuses it for that).
//
// Its error is a phrase of the refusals' catalogue, for the refusal that
// quotes it; it names no CA certificate, whose subject and dates a caller
// need not know.
func (c *CAs) InForce(cert *x509.Certificate, at time.Time) error {
	if err := checkDates(cert, at); err != nil {
		return err
	}
	if !c.listed {
		return nil
	}
	found, inForce := c.chain(&caCert{cert: cert, sum: sha256.Sum256(cert.Raw)}, at, issues)
	switch {
	case inForce:
		return nil
	case found:
		return errors.New(ledgererr.Phrase("a CA certificate of its chain is not in force, by the transaction time or the endorsing peer's clock"))
	default:
		return errors.New(ledgererr.Phrase("it chains to no CA certificate of %s as the market rules hold them", c.mspID))
	}
}

// chain looks for a chain of c's certificates from child to a root: found
// when there is one, inForce when one has every CA certificate in force at
// at (checkDates). issued is the relation of a CA certificate to one it
// issued: issues, which a test counts the checks of.
//
// A chain that repeats a certificate has a shorter one within it, so the
// search reaches each intermediate once, breadth first from child in the
// order the rules list them, and ends on any list, cycles included, after
// at most (1+intermediates)·(roots+intermediates) checks of issued: a
// search of every chain would take exponentially many, on a list of
// self-issued certificates (same subject and key) that all issue one
// another. A chain in force has only intermediates in force, so it first
// goes through those alone, setting aside those it reaches that are not in
// force; when no root in force issues what it reached, it goes on from
// those set aside to tell whether there is a chain at all. A certificate
// the first part reached is not reached again by the second, which looks
// only for some chain. The signatures it checks are remembered (signs):
// once a process has seen a certificate, judging it again costs
// comparisons of dates only.
func (c *CAs) chain(child *caCert, at time.Time, issued func(parent, child *caCert) bool) (found, inForce bool) {
	reached := make([]bool, len(c.intermediates))
	// throughInForce are the certificates reached through intermediates in
	// force only, not yet searched from; setAside those reached through
	// one that is not in force, the first of them included.
	throughInForce, setAside := []*caCert{child}, []*caCert(nil)
	for len(throughInForce) > 0 {
		ca := throughInForce[0]
		throughInForce = throughInForce[1:]
		for _, root := range c.roots {
			if issued(root, ca) {
				found = true
				if checkDates(root.cert, at) == nil {
					return true, true
				}
			}
		}
		for i, inter := range c.intermediates {
			if reached[i] || !issued(inter, ca) {
				continue
			}
			reached[i] = true
			if checkDates(inter.cert, at) == nil {
				throughInForce = append(throughInForce, inter)
			} else {
				setAside = append(setAside, inter)
			}
		}
	}
	for len(setAside) > 0 && !found {
		ca := setAside[0]
		setAside = setAside[1:]
		for _, root := range c.roots {
			if issued(root, ca) {
				return true, false
			}
		}
		for i, inter := range c.intermediates {
			if !reached[i] && issued(inter, ca) {
				reached[i] = true
				setAside = append(setAside, inter)
			}
		}
	}
	return found, false
}

// issues reports whether parent issued child: child names it as its issuer
// and its key signed child, as a CA's may (x509's CheckSignatureFrom).
func issues(parent, child *caCert) bool {
	return bytes.Equal(child.cert.RawIssuer, parent.cert.RawSubject) && signs(parent, child)
}

// checkDates refuses a certificate that is not valid at at, the
// transaction's time, or by this endorsing peer's clock (state.ClockReached):
// within the stamp's slack (model.MaxClockSkew behind, model.MaxClockLead
// ahead) its caller, not the time, would decide whether a certificate the
// peers hold expired, or not yet valid, still counts. Fabric's MSP checks a
// creator's chain, not its validity period (it verifies at the
// certificate's NotBefore, FAB-3678), and the ordering service refuses an
// expired creator's transactions but answers no evaluation: without this a
// certificate would read the ledger for ever after it expired. A refusal by
// the peer's clock writes nothing, so the endorsements still agree on what
// is written. Its error is a phrase of the refusals' catalogue, for the
// refusal that quotes it.
func checkDates(cert *x509.Certificate, at time.Time) error {
	notBefore, notAfter := state.Format(cert.NotBefore), state.Format(cert.NotAfter)
	switch {
	case at.Before(cert.NotBefore) || !state.ClockReached(notBefore):
		return errors.New(ledgererr.Phrase("it is not valid before %s, by the transaction time or the endorsing peer's clock", notBefore))
	case at.After(cert.NotAfter) || state.ClockPassed(notAfter):
		return errors.New(ledgererr.Phrase("it expired at %s, by the transaction time or the endorsing peer's clock", notAfter))
	}
	return nil
}

// The chaincode process remembers what is a pure function of certificate
// bytes, so that no transaction decodes an org's record of CA
// certificates, parses a CA certificate of the rules, or checks a signature
// of a chain, that the process has seen before: records by their bytes,
// parsed certificates by their PEM, signatures by the digests of both
// certificates. What is remembered decides nothing that computing it again
// would not, so every peer answers alike whatever its process has seen.
// Each memory is bounded and emptied whole when full (no order of eviction
// to depend on): the rules list at most model.MaxCertsPerOrg certificates
// of each org, so the parsed ones fill it only across many changes of the
// rules, and the signatures only as members' certificates come and go.
var (
	memoryMu   sync.Mutex
	records    = map[string]*CAs{}
	parsedPEM  = map[string]*caCert{}
	signatures = map[[2][sha256.Size]byte]bool{}
)

// Bounds of the memories: the records and parsed CA certificates of many
// versions of the rules, and the signatures of the chains of tens of
// thousands of members' certificates (each entry under a hundred bytes).
const (
	recordLimit    = 256
	parsedLimit    = 1024
	signatureLimit = 1 << 16
)

// parsed is p parsed, from memory when the process parsed it before. p is a
// certificate the rules hold, which Parse checked before it was stored.
func parsed(p string) *caCert {
	memoryMu.Lock()
	c, ok := parsedPEM[p]
	memoryMu.Unlock()
	if ok {
		return c
	}
	cert := mustParse(p)
	c = &caCert{cert: cert, sum: sha256.Sum256(cert.Raw)}
	remember(parsedPEM, parsedLimit, p, c)
	return c
}

// signs reports whether parent's key signed child, from memory when the
// process checked it before.
func signs(parent, child *caCert) bool {
	key := [2][sha256.Size]byte{parent.sum, child.sum}
	memoryMu.Lock()
	ok, known := signatures[key]
	memoryMu.Unlock()
	if known {
		return ok
	}
	ok = child.cert.CheckSignatureFrom(parent.cert) == nil
	remember(signatures, signatureLimit, key, ok)
	return ok
}

// remember puts v in memory m under k, emptying m first when it holds
// limit entries.
func remember[K comparable, V any](m map[K]V, limit int, k K, v V) {
	memoryMu.Lock()
	defer memoryMu.Unlock()
	if len(m) >= limit {
		clear(m)
	}
	m[k] = v
}

// Issued checks that cert chains, through the org's intermediate
// certificates, to a root certificate of the org (x509's verification, key
// usages aside), as Fabric's MSP checks a creator: as of a second after the
// certificate's NotBefore (FAB-3678), whose being in force now is InForce's
// to judge. It is how the registry makes sure that an org registers only
// certificates its own CAs issued: the channel's MSP checks a
// transaction's creator, but not a certificate passed as an argument.
func (c *CAs) Issued(cert *x509.Certificate) error {
	roots, intermediates := x509.NewCertPool(), x509.NewCertPool()
	for _, r := range c.roots {
		roots.AddCert(r.cert)
	}
	for _, i := range c.intermediates {
		intermediates.AddCert(i.cert)
	}
	_, err := cert.Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: intermediates, CurrentTime: cert.NotBefore.Add(time.Second),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	return err
}

// orgCAsOf is the CAs of org mspID as rules r, not yet in force, list them:
// what market:Init, before any rules are in force, judges its caller's
// chain by. FORBIDDEN when r does not name the org.
func orgCAsOf(r *model.Rules, mspID string) (*CAs, error) {
	org, ok := r.Org(mspID)
	if !ok {
		return nil, ledgererr.Forbiddenf("the rules do not name %s, the org of the caller", mspID)
	}
	return casOf(mspID, org.RootCerts, org.IntermediateCerts), nil
}
