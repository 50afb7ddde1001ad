// Package revocation keeps the certificate revocation lists (CRLs) of the gateway's org's Fabric CAs, one per
// issuing CA, and says whether a certificate of those CAs is revoked, so that the gateway refuses a revoked member
// before anything else (package auth asks it for every request, including each step of a call the member signs
// itself).
//
// A CRL names certificates of its issuer only, and the org may have several issuers at once: a CA renewed with a new
// key (the old one still trusted until every member re-enrolled), a root whose CRL revokes an intermediate. So each
// CA's CRL is held apart (keyed by the CA's subject and key): installing one CA's CRL leaves every other CA's held.
//
// The CA's list is refreshed on a timer (Run) and installed at once when the gateway itself revokes (Set). Each
// issuer's CRL only moves forward: a CRL older than the one held of its issuer, or not signed by a configured CA, is
// refused, and a failed refresh keeps the lists held, so a CA outage never un-revokes anyone while the gateway runs.
// With a file (WithFile) the lists also survive a restart: every newer CRL installed is written there (every
// issuer's, one PEM block each) before Set returns, and Load installs them again at start, before the CA is asked, so
// a gateway restarted while its CA does not answer still refuses every certificate it refused before.
package revocation

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Fetch returns the CA's current CRL (PEM or DER).
type Fetch func(ctx context.Context) ([]byte, error)

// List is the revocation lists of the org's CAs, one per issuer. It is safe for concurrent use; the zero value is
// not: use New.
type List struct {
	fetch Fetch
	log   *slog.Logger
	file  string // where the CRLs held are kept across restarts; "" for none

	mu sync.RWMutex
	// issuers are the CA certificates one of which must have signed a CRL to install (SetIssuers replaces them).
	issuers []*x509.Certificate
	// held is the newest CRL of each CA that signed one (issuerKey of its certificate), in the order first installed
	// (so that the file is written in a stable order).
	held  map[string]*crl
	order []string
	// generation counts the changes of what Revoked and RevokedIn answer (a CRL installed, the issuers replaced), so
	// that a verdict reached under one generation (package auth's Recheck) is reached again after any of them.
	generation atomic.Uint64
}

// crl is the CRL held of one CA.
type crl struct {
	issuer     *x509.Certificate // the CA certificate that signed it
	raw        []byte            // DER
	thisUpdate time.Time
	number     *big.Int
	revoked    map[string]bool // serial numbers (decimal)
}

// issuerKey names a CA by its subject and its key: a CA renewed with a new key under the same name is another
// issuer, whose serial numbers and CRLs are its own; a CA certificate re-issued over the same key is the same one.
func issuerKey(ca *x509.Certificate) string {
	return string(ca.RawSubject) + "\x00" + string(ca.RawSubjectPublicKeyInfo)
}

// Option configures a List.
type Option func(*List)

// WithFile keeps the CRL held in path (written atomically and synced, mode 0600) so that Load can install it again
// after a restart.
func WithFile(path string) Option { return func(l *List) { l.file = path } }

// New returns the lists of the CAs whose certificates are issuers (a CRL must be signed by one of them), refreshed
// with fetch (nil for a list that only Set installs: it must not Run or Refresh). It holds no CRL until Load,
// Refresh or Set succeeds: until then no certificate counts as revoked.
func New(issuers []*x509.Certificate, fetch Fetch, log *slog.Logger, options ...Option) *List {
	if log == nil {
		log = slog.Default()
	}
	l := &List{issuers: issuers, fetch: fetch, log: log, held: map[string]*crl{}}
	for _, o := range options {
		o(l)
	}
	return l
}

// Load installs the CRLs kept in the list's file (WithFile), as Set would; no file, or none written yet, is not an
// error. A CRL there no configured CA signed is left (logged): the CA it revoked for, retired since, is trusted no
// more. A file that cannot be parsed, or holds no CRL of a configured CA, is an error: the gateway must not start
// believing nobody is revoked.
func (l *List) Load() error {
	if l.file == "" {
		return nil
	}
	kept, err := os.ReadFile(l.file)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the CRL kept in %s: %w", l.file, err)
	}
	crls := [][]byte{kept} // a DER file: one CRL
	if block, rest := pem.Decode(kept); block != nil {
		crls = [][]byte{block.Bytes}
		for block, rest = pem.Decode(rest); block != nil; block, rest = pem.Decode(rest) {
			crls = append(crls, block.Bytes)
		}
	}
	var unsigned error
	installed := 0
	for _, c := range crls {
		switch err := l.Set(c); {
		case err == nil, errors.Is(err, ErrStale):
			installed++
		case errors.Is(err, errUnsigned):
			unsigned = err
			l.log.Warn("revocation: a CRL kept is of no configured CA and is left", "file", l.file)
		default:
			return fmt.Errorf("the CRL kept in %s: %w", l.file, err)
		}
	}
	if installed == 0 && unsigned != nil {
		return fmt.Errorf("the CRL kept in %s: %w", l.file, unsigned)
	}
	return nil
}

// errUnsigned refuses a CRL no configured CA signed.
var errUnsigned = errors.New("the CRL is not signed by the org's CA")

// Revoked reports whether cert, or a CA above it, is on its issuer's CRL (a wallet member's certificate, which comes
// with no chain). Its issuer is the CA the list knows (configured, or the signer of a CRL held) of cert's issuer name
// whose key verifies cert's signature: a renewed CA's CRL says nothing of the old CA's certificates.
func (l *List) Revoked(cert *x509.Certificate) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.revokedUp(cert) != nil
}

// RevokedIn returns the first certificate of chain (a verified chain, leaf first, each certificate issued by the
// next) that the CRL held of its issuer lists, nil for none: an intermediate CA its root revoked issues nobody. Above
// the chain's last certificate (an intermediate tls.clientCAs names) the CAs the list knows are followed as Revoked.
func (l *List) RevokedIn(chain []*x509.Certificate) *x509.Certificate {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if len(chain) == 0 {
		return nil
	}
	for i := 0; i+1 < len(chain); i++ {
		if c := l.held[issuerKey(chain[i+1])]; c != nil && c.revoked[chain[i].SerialNumber.String()] {
			return chain[i]
		}
	}
	return l.revokedUp(chain[len(chain)-1])
}

// revokedUp returns cert, or the first CA above it, that the CRL held of its issuer lists, following the issuers the
// list knows up to a self-signed root or a CA it does not know; nil for none. l.mu must be held.
func (l *List) revokedUp(cert *x509.Certificate) *x509.Certificate {
	if len(l.held) == 0 {
		return nil
	}
	// Each step goes to another CA the list knows: more steps than it knows CAs is a loop of cross-signed CAs.
	for range len(l.issuers) + len(l.held) {
		issuer := l.issuerOf(cert)
		if issuer == nil {
			return nil
		}
		if c := l.held[issuerKey(issuer)]; c != nil && c.revoked[cert.SerialNumber.String()] {
			return cert
		}
		if issuerKey(issuer) == issuerKey(cert) {
			return nil // a self-signed root
		}
		cert = issuer
	}
	return nil
}

// issuerOf returns the CA the list knows (configured, or the signer of a CRL held) that issued cert, nil for none.
// l.mu must be held.
func (l *List) issuerOf(cert *x509.Certificate) *x509.Certificate {
	issued := func(ca *x509.Certificate) bool {
		return bytes.Equal(cert.RawIssuer, ca.RawSubject) && cert.CheckSignatureFrom(ca) == nil
	}
	if i := slices.IndexFunc(l.issuers, issued); i >= 0 {
		return l.issuers[i]
	}
	for _, key := range l.order {
		if ca := l.held[key].issuer; issued(ca) {
			return ca
		}
	}
	return nil
}

// SetIssuers replaces the CA certificates a CRL must be signed by, for the CRLs installed from now on (the CRLs held
// stay): the gateway's reload of the CAs it trusts (a renewed CA, which signs its CRL with its new key).
func (l *List) SetIssuers(issuers []*x509.Certificate) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.issuers = issuers
	l.generation.Add(1) // a CA the list knows now may place a certificate under a CRL held
}

// Generation changes whenever Revoked or RevokedIn may answer otherwise than before: at every CRL installed and at
// every SetIssuers, under the lock the change is made under. A verdict taken as of the generation read BEFORE asking the
// list is thus never kept past a change: one made after that read, seen by the answer or not, has raised it.
func (l *List) Generation() uint64 { return l.generation.Load() }

// Refresh fetches the CA's CRL and installs it (Set): it replaces the CRL of the CA that signed it alone.
func (l *List) Refresh(ctx context.Context) error {
	crl, err := l.fetch(ctx)
	if err != nil {
		return fmt.Errorf("fetching the CRL: %w", err)
	}
	return l.Set(crl)
}

// ErrStale refuses a CRL older than the one held of its issuer.
var ErrStale = errors.New("the CRL is older than the one held of its CA")

// Set installs crl (PEM or DER) if one of the configured CA certificates signed it and it is not older than the CRL
// held of that CA (by CRL number when both have one, else by issue time; on a tie, it must list every certificate
// the held one lists). The CRLs held of other CAs stay.
func (l *List) Set(der []byte) error {
	if block, _ := pem.Decode(der); block != nil {
		der = block.Bytes
	}
	list, err := x509.ParseRevocationList(der)
	if err != nil {
		return fmt.Errorf("the CRL cannot be parsed: %w", err)
	}
	l.mu.RLock()
	issuers := l.issuers
	l.mu.RUnlock()
	var issuer *x509.Certificate
	for _, ca := range issuers {
		if bytes.Equal(list.RawIssuer, ca.RawSubject) && list.CheckSignatureFrom(ca) == nil {
			issuer = ca
			break
		}
	}
	if issuer == nil {
		return errUnsigned
	}
	next := &crl{issuer: issuer, raw: list.Raw, thisUpdate: list.ThisUpdate, number: list.Number,
		revoked: make(map[string]bool, len(list.RevokedCertificateEntries))}
	for _, e := range list.RevokedCertificateEntries {
		next.revoked[e.SerialNumber.String()] = true
	}
	key := issuerKey(issuer)
	l.mu.Lock()
	defer l.mu.Unlock()
	held := l.held[key]
	if held != nil && bytes.Equal(list.Raw, held.raw) {
		return nil
	}
	// A CRL of the same number, or without numbers of the same issue time (Fabric CA's count whole seconds), may
	// be older than the one held: it is installed only if it lists every certificate the held one does.
	switch {
	case held == nil:
		l.order = append(l.order, key)
	case held.number != nil && next.number != nil:
		if c := next.number.Cmp(held.number); c < 0 || c == 0 && !held.listedIn(next.revoked) {
			return ErrStale
		}
	case next.thisUpdate.Before(held.thisUpdate), next.thisUpdate.Equal(held.thisUpdate) && !held.listedIn(next.revoked):
		return ErrStale
	}
	l.held[key] = next
	l.generation.Add(1)
	if l.file != "" {
		// Written under the lock, so that the file never goes back to an older CRL than one held.
		if err := writeFile(l.file, l.pem()); err != nil {
			l.log.Error("revocation: the CA's CRL is held but not kept on disk; a restart while the CA does not answer would forget it",
				"file", l.file, "error", err)
		}
	}
	return nil
}

// pem is every CRL held, one PEM block each, in the order their CAs' first were installed. l.mu must be held.
func (l *List) pem() []byte {
	var out []byte
	for _, key := range l.order {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: l.held[key].raw})...)
	}
	return out
}

// listedIn reports whether revoked lists every serial number c does.
func (c *crl) listedIn(revoked map[string]bool) bool {
	for serial := range c.revoked {
		if !revoked[serial] {
			return false
		}
	}
	return true
}

// writeFile replaces path with b atomically: a crash leaves the old file or the new one, never half of one.
func writeFile(path string, b []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".crl-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Len is the number of certificates the CRLs held list.
func (l *List) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	n := 0
	for _, c := range l.held {
		n += len(c.revoked)
	}
	return n
}

// Run refreshes the list every interval until ctx ends, logging failures (the list held stays).
func (l *List) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := l.Refresh(ctx); err != nil && ctx.Err() == nil {
			l.log.Warn("revocation: refreshing the CA's CRL failed; the list held stays", "error", err, "revoked", l.Len())
		}
	}
}
