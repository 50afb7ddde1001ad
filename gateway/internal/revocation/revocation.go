// Package revocation keeps the certificate revocation list (CRL) of the gateway's org's Fabric CA and says whether
// a certificate of that CA is revoked, so that the gateway refuses a revoked member before anything else (package
// auth asks it for every request, including each step of a call the member signs itself).
//
// The list is refreshed from the CA on a timer (Run) and installed at once when the gateway itself revokes (Set).
// It only moves forward: a CRL older than the one held, or not signed by the org's CA, is refused, and a failed
// refresh keeps the list held, so a CA outage never un-revokes anyone while the gateway runs. With a file (WithFile)
// the list also survives a restart: every newer CRL installed is written there before Set returns, and Load installs
// it again at start, before the CA is asked, so a gateway restarted while its CA does not answer still refuses
// every certificate it refused before.
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
	"sync"
	"time"
)

// Fetch returns the CA's current CRL (PEM or DER).
type Fetch func(ctx context.Context) ([]byte, error)

// List is the revocation list of one CA. It is safe for concurrent use; the zero value is not: use New.
type List struct {
	fetch Fetch
	log   *slog.Logger
	file  string // where the CRL held is kept across restarts; "" for none

	mu sync.RWMutex
	// issuers are the CA certificates one of which must have signed a CRL to install (SetIssuers replaces them).
	issuers    []*x509.Certificate
	raw        []byte // the CRL held (DER)
	rawIssuer  []byte
	thisUpdate time.Time
	number     *big.Int
	revoked    map[string]bool // serial numbers (decimal)
}

// Option configures a List.
type Option func(*List)

// WithFile keeps the CRL held in path (written atomically and synced, mode 0600) so that Load can install it again
// after a restart.
func WithFile(path string) Option { return func(l *List) { l.file = path } }

// New returns the list of the CA whose certificates are issuers (the CRL must be signed by one of them), refreshed
// with fetch. It holds no CRL until Load, Refresh or Set succeeds: until then no certificate counts as revoked.
func New(issuers []*x509.Certificate, fetch Fetch, log *slog.Logger, options ...Option) *List {
	if log == nil {
		log = slog.Default()
	}
	l := &List{issuers: issuers, fetch: fetch, log: log, revoked: map[string]bool{}}
	for _, o := range options {
		o(l)
	}
	return l
}

// Load installs the CRL kept in the list's file (WithFile), as Set would; no file, or none written yet, is not an
// error. A file that holds no CRL of the org's CA is: the gateway must not start believing nobody is revoked.
func (l *List) Load() error {
	if l.file == "" {
		return nil
	}
	crl, err := os.ReadFile(l.file)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the CRL kept in %s: %w", l.file, err)
	}
	if err := l.Set(crl); err != nil && !errors.Is(err, ErrStale) {
		return fmt.Errorf("the CRL kept in %s: %w", l.file, err)
	}
	return nil
}

// Revoked reports whether cert is on the CA's CRL: issued by the CRL's issuer with a serial number it lists.
func (l *List) Revoked(cert *x509.Certificate) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.revoked[cert.SerialNumber.String()] && bytes.Equal(cert.RawIssuer, l.rawIssuer)
}

// SetIssuers replaces the CA certificates a CRL must be signed by, for the CRLs installed from now on (the CRL held
// stays): the gateway's reload of the CAs it trusts (a renewed CA, which signs its CRL with its new key).
func (l *List) SetIssuers(issuers []*x509.Certificate) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.issuers = issuers
}

// Refresh fetches the CA's CRL and installs it (Set).
func (l *List) Refresh(ctx context.Context) error {
	crl, err := l.fetch(ctx)
	if err != nil {
		return fmt.Errorf("fetching the CRL: %w", err)
	}
	return l.Set(crl)
}

// ErrStale refuses a CRL older than the one held.
var ErrStale = errors.New("the CRL is older than the one held")

// Set installs crl (PEM or DER) if one of the CA's certificates signed it and it is not older than the CRL held
// (by CRL number when both have one, else by issue time; on a tie, it must list every certificate the held one lists).
func (l *List) Set(crl []byte) error {
	if block, _ := pem.Decode(crl); block != nil {
		crl = block.Bytes
	}
	list, err := x509.ParseRevocationList(crl)
	if err != nil {
		return fmt.Errorf("the CRL cannot be parsed: %w", err)
	}
	l.mu.RLock()
	issuers := l.issuers
	l.mu.RUnlock()
	signed := false
	for _, ca := range issuers {
		if list.CheckSignatureFrom(ca) == nil {
			signed = true
			break
		}
	}
	if !signed {
		return errors.New("the CRL is not signed by the org's CA")
	}
	revoked := make(map[string]bool, len(list.RevokedCertificateEntries))
	for _, e := range list.RevokedCertificateEntries {
		revoked[e.SerialNumber.String()] = true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if bytes.Equal(list.Raw, l.raw) {
		return nil
	}
	// A CRL of the same number, or without numbers of the same issue time (Fabric CA's count whole seconds), may
	// be older than the one held: it is installed only if it lists every certificate the held one does.
	switch {
	case l.rawIssuer == nil:
	case l.number != nil && list.Number != nil:
		if c := list.Number.Cmp(l.number); c < 0 || c == 0 && !l.listedIn(revoked) {
			return ErrStale
		}
	case list.ThisUpdate.Before(l.thisUpdate), list.ThisUpdate.Equal(l.thisUpdate) && !l.listedIn(revoked):
		return ErrStale
	}
	l.raw, l.rawIssuer, l.thisUpdate, l.number, l.revoked = list.Raw, list.RawIssuer, list.ThisUpdate, list.Number, revoked
	if l.file != "" {
		// Written under the lock, so that the file never goes back to an older CRL than the one held.
		if err := writeFile(l.file, pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: list.Raw})); err != nil {
			l.log.Error("revocation: the CA's CRL is held but not kept on disk; a restart while the CA does not answer would forget it",
				"file", l.file, "error", err)
		}
	}
	return nil
}

// listedIn reports whether revoked lists every serial number the CRL held does. l.mu must be held.
func (l *List) listedIn(revoked map[string]bool) bool {
	for serial := range l.revoked {
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

// Len is the number of certificates the CRL held lists.
func (l *List) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.revoked)
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
