package revocation_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/revocation"
)

// ca is a CA that issues certificates and signs CRLs.
type ca struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newCA(t *testing.T, name string) *ca {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, SubjectKeyId: []byte(name)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &ca{cert, key}
}

func (c *ca) issue(t *testing.T, serial int64) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(serial),
		Subject: pkix.Name{CommonName: "member"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)},
		c.cert, &key.PublicKey, c.key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

// crl is a PEM CRL of c numbered n (none when 0), issued at, listing serials.
func (c *ca) crl(t *testing.T, n int64, at time.Time, serials ...int64) []byte {
	t.Helper()
	var entries []x509.RevocationListEntry
	for _, s := range serials {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: big.NewInt(s), RevocationTime: at})
	}
	var der []byte
	var err error
	if n > 0 {
		der, err = x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(n), ThisUpdate: at, NextUpdate: at.Add(time.Hour),
			RevokedCertificateEntries: entries}, c.cert, c.key)
	} else {
		// Fabric CA's CRLs carry no CRL number (cfssl signs them with the older API, as here).
		var revoked []pkix.RevokedCertificate
		for _, e := range entries {
			revoked = append(revoked, pkix.RevokedCertificate{SerialNumber: e.SerialNumber, RevocationTime: e.RevocationTime})
		}
		der, err = c.cert.CreateCRL(rand.Reader, c.key, revoked, at, at.Add(time.Hour))
	}
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der})
}

func TestTheListRefusesWhatTheCARevokedAndNothingElse(t *testing.T) {
	org, other := newCA(t, "org"), newCA(t, "other")
	revoked, kept := org.issue(t, 7), org.issue(t, 8)
	sameSerialElsewhere := other.issue(t, 7)
	l := revocation.New([]*x509.Certificate{org.cert}, nil, nil)
	assert.False(t, l.Revoked(revoked), "no CRL held yet")

	require.NoError(t, l.Set(org.crl(t, 1, time.Now(), 7)))
	assert.True(t, l.Revoked(revoked))
	assert.False(t, l.Revoked(kept))
	assert.False(t, l.Revoked(sameSerialElsewhere), "a serial number names a certificate of its issuer only")
	assert.Equal(t, 1, l.Len())
}

func TestTheListOnlyMovesForward(t *testing.T) {
	org, other := newCA(t, "org"), newCA(t, "other")
	revoked := org.issue(t, 7)
	l := revocation.New([]*x509.Certificate{org.cert}, nil, nil)
	now := time.Now().Truncate(time.Second)
	require.NoError(t, l.Set(org.crl(t, 2, now, 7)))

	assert.ErrorIs(t, l.Set(org.crl(t, 1, now.Add(time.Minute))), revocation.ErrStale, "an older CRL number")
	assert.Error(t, l.Set(other.crl(t, 3, now.Add(time.Minute))), "a CRL another CA signed")
	assert.Error(t, l.Set([]byte("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n")), "garbage")
	assert.True(t, l.Revoked(revoked), "the CRL held stays after every refusal")

	unnumbered := revocation.New([]*x509.Certificate{org.cert}, nil, nil)
	require.NoError(t, unnumbered.Set(org.crl(t, 0, now, 7)))
	assert.ErrorIs(t, unnumbered.Set(org.crl(t, 0, now.Add(-time.Minute))), revocation.ErrStale, "an earlier issue time (Fabric CA's CRLs carry no number)")
	require.NoError(t, unnumbered.Set(org.crl(t, 0, now.Add(time.Minute), 7, 9)))
	assert.Equal(t, 2, unnumbered.Len())
}

func TestAFailedRefreshKeepsTheListHeld(t *testing.T) {
	org := newCA(t, "org")
	revoked := org.issue(t, 7)
	answers := [][]byte{org.crl(t, 1, time.Now(), 7)}
	fetch := func(context.Context) ([]byte, error) {
		if len(answers) == 0 {
			return nil, errors.New("the CA does not answer")
		}
		crl := answers[0]
		answers = answers[1:]
		return crl, nil
	}
	l := revocation.New([]*x509.Certificate{org.cert}, fetch, nil)
	require.NoError(t, l.Refresh(context.Background()))
	assert.Error(t, l.Refresh(context.Background()))
	assert.True(t, l.Revoked(revoked), "a CA outage un-revokes nobody")
}

func TestRunRefreshesOnItsTimer(t *testing.T) {
	org := newCA(t, "org")
	revoked := org.issue(t, 7)
	fetches := make(chan struct{}, 1000)
	crl := org.crl(t, 1, time.Now(), 7)
	fetch := func(context.Context) ([]byte, error) {
		fetches <- struct{}{}
		return crl, nil
	}
	l := revocation.New([]*x509.Certificate{org.cert}, fetch, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.Run(ctx, 10*time.Millisecond); close(done) }()
	select {
	case <-fetches:
	case <-time.After(5 * time.Second):
		t.Fatal("Run never fetched the CRL")
	}
	require.Eventually(t, func() bool { return l.Revoked(revoked) }, 5*time.Second, 5*time.Millisecond)
	cancel()
	<-done
}

// A gateway restarted while its CA does not answer still refuses what it refused before: without a file the new
// list holds nothing (what the gateway did before the CRL was kept), with it Load installs the CRL held.
func TestTheListSurvivesARestartWhileTheCAIsDown(t *testing.T) {
	org := newCA(t, "org")
	revoked, kept := org.issue(t, 7), org.issue(t, 8)
	down := func(context.Context) ([]byte, error) { return nil, errors.New("the CA does not answer") }
	file := filepath.Join(t.TempDir(), "ca-crl.pem")

	before := revocation.New([]*x509.Certificate{org.cert}, nil, nil, revocation.WithFile(file))
	require.NoError(t, before.Load(), "no file yet is no error")
	require.NoError(t, before.Set(org.crl(t, 0, time.Now(), 7)))
	info, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	forgetful := revocation.New([]*x509.Certificate{org.cert}, down, nil)
	assert.Error(t, forgetful.Refresh(context.Background()))
	assert.False(t, forgetful.Revoked(revoked), "without its file a restarted list knows nothing until the CA answers")

	after := revocation.New([]*x509.Certificate{org.cert}, down, nil, revocation.WithFile(file))
	require.NoError(t, after.Load())
	assert.Error(t, after.Refresh(context.Background()))
	assert.True(t, after.Revoked(revoked), "the restarted gateway refuses the revoked certificate while the CA is down")
	assert.False(t, after.Revoked(kept))

	// An older CRL is refused and does not reach the file either.
	assert.ErrorIs(t, after.Set(org.crl(t, 0, time.Now().Add(-time.Hour))), revocation.ErrStale)
	again := revocation.New([]*x509.Certificate{org.cert}, down, nil, revocation.WithFile(file))
	require.NoError(t, again.Load())
	assert.True(t, again.Revoked(revoked))
	assert.NotContains(t, dirNames(t, filepath.Dir(file)), ".crl-", "no temporary file left behind")
}

// A file that holds no CRL of the org's CA stops the gateway from starting: it must not believe nobody is revoked.
func TestLoadRefusesAFileTheCADidNotSign(t *testing.T) {
	org, other := newCA(t, "org"), newCA(t, "other")
	file := filepath.Join(t.TempDir(), "ca-crl.pem")
	for name, content := range map[string][]byte{"another CA's CRL": other.crl(t, 0, time.Now(), 7), "garbage": []byte("not a CRL")} {
		require.NoError(t, os.WriteFile(file, content, 0o600))
		l := revocation.New([]*x509.Certificate{org.cert}, nil, nil, revocation.WithFile(file))
		assert.ErrorContains(t, l.Load(), file, name)
	}
}

func dirNames(t *testing.T, dir string) string {
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

// Fabric CA's CRLs carry no number and their issue time counts whole seconds. A refresh the timer began just before
// the gateway revoked a member can answer the CA's CRL of that same second without the member, after the revocation
// installed the one with it: that CRL must not un-revoke the member until the next refresh.
func TestACRLOfTheSameSecondDoesNotUnrevoke(t *testing.T) {
	org := newCA(t, "org")
	old, suspended := org.issue(t, 7), org.issue(t, 9)
	second := time.Now().Truncate(time.Second)
	fetchedBefore := org.crl(t, 0, second, 7)        // the refresh's, generated just before the revocation
	installedByRevoke := org.crl(t, 0, second, 7, 9) // the revocation's, the same second
	l := revocation.New([]*x509.Certificate{org.cert}, nil, nil)
	require.NoError(t, l.Set(installedByRevoke))

	assert.ErrorIs(t, l.Set(fetchedBefore), revocation.ErrStale, "a CRL of the same second that lists less")
	assert.True(t, l.Revoked(suspended), "the member revoked stays refused")
	assert.True(t, l.Revoked(old))

	// The same rule for numbered CRLs that carry the same number.
	numbered := revocation.New([]*x509.Certificate{org.cert}, nil, nil)
	require.NoError(t, numbered.Set(org.crl(t, 4, second, 7, 9)))
	assert.ErrorIs(t, numbered.Set(org.crl(t, 4, second, 7)), revocation.ErrStale)
	assert.True(t, numbered.Revoked(suspended))

	// A CRL of the same second that lists as much or more is installed.
	require.NoError(t, l.Set(org.crl(t, 0, second, 7, 9, 11)))
	assert.Equal(t, 3, l.Len())
}

// The org renewed its CA with a new key (the gateway's reload takes the renewed CA's certificate): the CRL the
// renewed CA signs is refused until SetIssuers names it, then installed, and the certificate it revoked is refused;
// the issuers replaced, the old CA's CRLs are refused from then on.
func TestSetIssuersTakesTheCRLOfARenewedCA(t *testing.T) {
	old, renewed := newCA(t, "org"), newCA(t, "org-renewed")
	revoked := renewed.issue(t, 7)
	l := revocation.New([]*x509.Certificate{old.cert}, nil, nil)
	require.NoError(t, l.Set(old.crl(t, 0, time.Now().Add(-time.Minute))))
	require.Error(t, l.Set(renewed.crl(t, 0, time.Now(), 7)), "not signed by a CA the list knows")
	assert.False(t, l.Revoked(revoked))

	l.SetIssuers([]*x509.Certificate{renewed.cert})
	require.NoError(t, l.Set(renewed.crl(t, 0, time.Now(), 7)))
	assert.True(t, l.Revoked(revoked))
	require.Error(t, l.Set(old.crl(t, 0, time.Now().Add(time.Minute))))
}

// renew is c renewed: a CA of the same name over a new key.
func (c *ca) renew(t *testing.T) *ca {
	t.Helper()
	renewed := newCA(t, c.cert.Subject.CommonName)
	require.Equal(t, c.cert.RawSubject, renewed.cert.RawSubject)
	return renewed
}

// intermediate is a CA c issued with serial number serial.
func (c *ca) intermediate(t *testing.T, serial int64) *ca {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(serial),
		Subject: pkix.Name{CommonName: "intermediate"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign},
		c.cert, &key.PublicKey, c.key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &ca{cert, key}
}

// The org renewed its CA with a new key under the same name, and the old CA stays trusted until every member
// re-enrolled: the renewed CA's CRL, newer, leaves the old CA's held, so a certificate the old CA revoked stays
// refused, at once and after a restart; a serial number the old CA revoked names no certificate of the renewed one.
func TestARenewedCAsCRLKeepsTheOldCAsRevocations(t *testing.T) {
	old := newCA(t, "org")
	renewed := old.renew(t)
	suspended, reissued, revokedSince := old.issue(t, 7), renewed.issue(t, 7), renewed.issue(t, 9)
	file := filepath.Join(t.TempDir(), "crl.pem")
	l := revocation.New([]*x509.Certificate{old.cert, renewed.cert}, nil, nil, revocation.WithFile(file))
	require.NoError(t, l.Set(old.crl(t, 0, time.Now().Add(-time.Minute), 7)))
	require.NoError(t, l.Set(renewed.crl(t, 0, time.Now(), 9)))

	assert.True(t, l.Revoked(suspended), "the old CA's revocation outlives the renewed CA's CRL")
	assert.Equal(t, suspended, l.RevokedIn([]*x509.Certificate{suspended, old.cert}))
	assert.True(t, l.Revoked(revokedSince))
	assert.False(t, l.Revoked(reissued), "the old CA's serial number names no certificate of the renewed CA")
	assert.Nil(t, l.RevokedIn([]*x509.Certificate{reissued, renewed.cert}))
	assert.Equal(t, 2, l.Len())

	restarted := revocation.New([]*x509.Certificate{old.cert, renewed.cert}, nil, nil, revocation.WithFile(file))
	require.NoError(t, restarted.Load())
	assert.True(t, restarted.Revoked(suspended) && restarted.Revoked(revokedSince), "both CAs' CRLs are kept across a restart")
	assert.ErrorIs(t, restarted.Set(old.crl(t, 0, time.Now().Add(-time.Hour))), revocation.ErrStale, "each CA's CRL moves forward alone")

	retired := revocation.New([]*x509.Certificate{renewed.cert}, nil, nil, revocation.WithFile(file))
	require.NoError(t, retired.Load(), "the old CA retired (every member re-enrolled), its CRL kept is left")
	assert.True(t, retired.Revoked(revokedSince))
}

// The root's CRL revokes an intermediate CA: every certificate the intermediate issued is refused by its chain,
// though the intermediate's own CRL lists none of them; by the chain above the intermediate when tls.clientCAs names
// the intermediate itself; and without a chain (a wallet member's certificate, an API key's), through the CAs the
// list knows.
func TestAnIntermediateTheRootRevokedIssuesNobody(t *testing.T) {
	root := newCA(t, "root")
	intermediate := root.intermediate(t, 5)
	leaf := intermediate.issue(t, 7)
	l := revocation.New([]*x509.Certificate{root.cert, intermediate.cert}, nil, nil)
	require.NoError(t, l.Set(intermediate.crl(t, 0, time.Now(), 8)))
	require.NoError(t, l.Set(root.crl(t, 0, time.Now(), 5)))

	assert.Equal(t, intermediate.cert, l.RevokedIn([]*x509.Certificate{leaf, intermediate.cert, root.cert}))
	assert.Equal(t, intermediate.cert, l.RevokedIn([]*x509.Certificate{leaf, intermediate.cert}), "the chain ends at the intermediate")
	assert.True(t, l.Revoked(leaf), "a wallet member's certificate the intermediate issued")
	kept := root.intermediate(t, 6)
	assert.False(t, l.Revoked(kept.issue(t, 7)), "another intermediate's member, of the same serial number")
	assert.Nil(t, l.RevokedIn([]*x509.Certificate{kept.issue(t, 8), kept.cert}))
}

// The CA's CRL refreshed (ca.url, an intermediate's) replaces that CA's CRL alone: the root's, which revoked another
// intermediate, stays held.
func TestARefreshReplacesItsIssuersCRLAlone(t *testing.T) {
	root := newCA(t, "root")
	issuing, revoked := root.intermediate(t, 5), root.intermediate(t, 6)
	member := issuing.issue(t, 9)
	fetch := func(context.Context) ([]byte, error) { return issuing.crl(t, 0, time.Now(), 9), nil }
	l := revocation.New([]*x509.Certificate{root.cert, issuing.cert}, fetch, nil)
	require.NoError(t, l.Set(root.crl(t, 0, time.Now().Add(-time.Minute), 6)))
	require.NoError(t, l.Refresh(context.Background()))

	assert.True(t, l.Revoked(member), "the refreshed CRL is installed")
	assert.Equal(t, revoked.cert, l.RevokedIn([]*x509.Certificate{revoked.issue(t, 3), revoked.cert, root.cert}),
		"the root's CRL stays held")
}
