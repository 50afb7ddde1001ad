package auth_test

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/model"
)

func TestKeysAreStoredAsHashesOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	s, err := auth.OpenKeyStore(path)
	require.NoError(t, err)
	key, rec, err := s.Create("alice", "app", auth.DefaultKeyLifetime)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(key, "dlk_"+rec.ID+"_"))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(b), strings.TrimPrefix(key, "dlk_"+rec.ID+"_"), "the secret must not be stored")
	assert.Contains(t, string(b), rec.SHA256)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	got, ok := s.Verify(key)
	require.True(t, ok)
	assert.Equal(t, "alice", got.Member)
	_, ok = s.Verify(key[:len(key)-1] + "x")
	assert.False(t, ok)
	_, ok = s.Verify("dlk_0123456789abcdef_" + strings.Repeat("A", 43))
	assert.False(t, ok, "a key of an unknown ID")

	require.NoError(t, s.Revoke(rec.ID))
	_, ok = s.Verify(key)
	assert.False(t, ok)
	assert.Error(t, s.Revoke(rec.ID), "revoking twice")
	assert.Error(t, s.Revoke("nope"))

	// Another process (the admin command) sees the same file.
	s2, err := auth.OpenKeyStore(path)
	require.NoError(t, err)
	keys, err := s2.List()
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.False(t, keys[0].Revoked.IsZero())
}

func TestKeyFileReadableByOthersIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"keys":[]}`), 0o644))
	_, err := auth.OpenKeyStore(path)
	assert.Error(t, err)
}

func TestCertificateMapping(t *testing.T) {
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	other := wallettest.NewCA(t, "JiangsuMSP")
	alice, aliceCert := ca.Member(t, "alice")
	tlsClient := ca.TLSClient(t, alice, "alice-tls")
	a := auth.New("ShanghaiMSP", wallet.New(alice), auth.WithTrustedCAs(
		auth.TrustedCA{MSPID: "ShanghaiMSP", Certificates: []*x509.Certificate{ca.Certificate}},
		auth.TrustedCA{MSPID: "JiangsuMSP", Certificates: []*x509.Certificate{other.Certificate}},
	))
	with := func(c *x509.Certificate) (*auth.Caller, error) { return overTLS(a, c) }
	c, err := with(aliceCert.Certificate)
	require.NoError(t, err)
	assert.Equal(t, "alice", c.Member)
	assert.Equal(t, auth.ClientCertificate, c.Method)
	c, err = with(tlsClient.Certificate)
	require.NoError(t, err, "the member's TLS client certificate maps to it too")
	assert.Equal(t, "alice", c.Member)

	_, err = with(other.Issue(t, "bob", "client").Certificate)
	assert.ErrorIs(t, err, auth.ErrForeignOrg)
	stranger := ca.Issue(t, "stranger", "client").Certificate
	c, err = with(stranger)
	require.NoError(t, err, "a member of the org whose key the gateway does not hold signs itself")
	assert.True(t, c.SignsItself())
	assert.Empty(t, c.Member, "it acts as no wallet member")
	assert.Equal(t, wallet.IdentityOf(stranger)+" key "+model.KeyDigest(stranger), c.Name(), "named by its identity and its key")
	assert.False(t, (&auth.Caller{Member: "alice", Certificate: aliceCert.Certificate}).SignsItself())
	_, err = with(wallettest.NewCA(t, "X").Issue(t, "x", "client").Certificate)
	assert.ErrorIs(t, err, auth.ErrUnauthenticated)
	_, err = a.Authenticate(httptest.NewRequest("GET", "/", nil))
	assert.ErrorIs(t, err, auth.ErrUnauthenticated)

	pool := a.ClientCAs()
	_, err = aliceCert.Certificate.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	assert.NoError(t, err, "the listener trusts the org's CA")
}

// revokedSet is a CRL as package revocation holds it: serial numbers of the org's CA.
type revokedSet map[string]bool

func (r revokedSet) Revoked(c *x509.Certificate) bool { return r[c.SerialNumber.String()] }

// Generation is always the same: a revokedSet is not changed once made.
func (r revokedSet) Generation() uint64 { return 0 }

func (r revokedSet) RevokedIn(chain []*x509.Certificate) *x509.Certificate {
	if i := slices.IndexFunc(chain[:len(chain)-1], r.Revoked); i >= 0 {
		return chain[i]
	}
	return nil
}

// A certificate the org's CA revoked authenticates nobody, over TLS or behind an API key, and the refusal names it;
// the org's other members are unaffected.
func TestARevokedCertificateAuthenticatesNobody(t *testing.T) {
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	alice, _ := ca.Member(t, "alice")
	bob, bobIssued := ca.Member(t, "bob")
	selfSigner, kept := ca.Issue(t, "91310000MA1FL1800B", "client"), ca.Issue(t, "91310000MA1FL1801A", "client")
	path := filepath.Join(t.TempDir(), "keys.json")
	keys, err := auth.OpenKeyStore(path)
	require.NoError(t, err)
	aliceKey, _, err := keys.Create("alice", "app", auth.DefaultKeyLifetime)
	require.NoError(t, err)
	revoked := revokedSet{alice.Certificate.SerialNumber.String(): true, selfSigner.Certificate.SerialNumber.String(): true}
	a := auth.New("ShanghaiMSP", wallet.New(alice, bob), auth.WithKeyStore(keys), auth.WithRevocations(revoked),
		auth.WithTrustedCAs(auth.TrustedCA{MSPID: "ShanghaiMSP", Certificates: []*x509.Certificate{ca.Certificate}}))

	withCert := func(c *x509.Certificate) *auth.Caller {
		r := httptest.NewRequest("GET", "/", nil)
		r.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{c}}
		caller, err := a.Authenticate(r)
		if err != nil {
			assert.ErrorIs(t, err, auth.ErrUnauthenticated)
			assert.Contains(t, err.Error(), "revoked by the CA of ShanghaiMSP")
			assert.Contains(t, err.Error(), c.SerialNumber.Text(16))
			return nil
		}
		return caller
	}
	assert.Nil(t, withCert(selfSigner.Certificate), "a member who signs itself, revoked")
	assert.Nil(t, withCert(alice.Certificate), "a wallet member, revoked")
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer "+aliceKey)
	_, err = a.Authenticate(r)
	assert.ErrorIs(t, err, auth.ErrUnauthenticated, "the API key of a member whose certificate was revoked")
	assert.ErrorContains(t, err, "revoked")

	if c := withCert(bobIssued.Certificate); assert.NotNil(t, c, "another wallet member") {
		assert.Equal(t, "bob", c.Member)
	}
	if c := withCert(kept.Certificate); assert.NotNil(t, c, "another member who signs itself") {
		assert.True(t, c.SignsItself())
	}
}

// OrgAdmin is read from the member's certificate: the NodeOU admin.
func TestOrgAdminComesFromTheCertificate(t *testing.T) {
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	admin, _ := ca.MemberOU(t, "Admin", model.AdminOU)
	alice, _ := ca.Member(t, "alice")
	keys, err := auth.OpenKeyStore(filepath.Join(t.TempDir(), "keys.json"))
	require.NoError(t, err)
	a := auth.New("ShanghaiMSP", wallet.New(admin, alice), auth.WithKeyStore(keys),
		auth.WithTrustedCAs(auth.TrustedCA{MSPID: "ShanghaiMSP", Certificates: []*x509.Certificate{ca.Certificate}}))
	for member, want := range map[string]bool{"Admin": true, "alice": false} {
		key, _, err := keys.Create(member, "app", auth.DefaultKeyLifetime)
		require.NoError(t, err)
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", "Bearer "+key)
		c, err := a.Authenticate(r)
		require.NoError(t, err)
		assert.Equal(t, want, c.OrgAdmin, member)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{ca.Issue(t, "Admin2", model.AdminOU).Certificate}}
	c, err := a.Authenticate(r)
	require.NoError(t, err)
	assert.True(t, c.OrgAdmin, "an admin's certificate over TLS")
}

// SetTrustedCAs replaces the trusted CAs for the requests authenticated from then on: a region that joined is
// recognised as another org (403 instead of 401) and its CA is in the listener's pool; a CA left out is no longer
// known; the org's own members map as before.
func TestSetTrustedCAsReplacesThePools(t *testing.T) {
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	jiangsu := wallettest.NewCA(t, "JiangsuMSP")
	suzhou := wallettest.NewCA(t, "SuzhouMSP")
	alice, aliceCert := ca.Member(t, "alice")
	own := auth.TrustedCA{MSPID: "ShanghaiMSP", Certificates: []*x509.Certificate{ca.Certificate}}
	a := auth.New("ShanghaiMSP", wallet.New(alice), auth.WithTrustedCAs(own,
		auth.TrustedCA{MSPID: "JiangsuMSP", Certificates: []*x509.Certificate{jiangsu.Certificate}}))
	with := func(c *x509.Certificate) (*auth.Caller, error) { return overTLS(a, c) }
	inPool := func(c *x509.Certificate) bool {
		_, err := c.Verify(x509.VerifyOptions{Roots: a.ClientCAs(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
		return err == nil
	}
	newcomer := suzhou.Issue(t, "buyer", "client").Certificate
	jiangsuMember := jiangsu.Issue(t, "buyer", "client").Certificate
	_, err := with(newcomer)
	assert.ErrorIs(t, err, auth.ErrUnauthenticated, "before: a CA the gateway does not know")
	assert.False(t, inPool(newcomer))

	a.SetTrustedCAs(own, auth.TrustedCA{MSPID: "SuzhouMSP", Certificates: []*x509.Certificate{suzhou.Certificate}})
	_, err = with(newcomer)
	assert.ErrorIs(t, err, auth.ErrForeignOrg, "after: a member of another org")
	assert.Contains(t, err.Error(), "SuzhouMSP")
	assert.True(t, inPool(newcomer))
	_, err = with(jiangsuMember)
	assert.ErrorIs(t, err, auth.ErrUnauthenticated, "a CA left out is unknown again")
	assert.False(t, inPool(jiangsuMember))
	c, err := with(aliceCert.Certificate)
	require.NoError(t, err)
	assert.Equal(t, "alice", c.Member)
}

// A wallet member whose signing certificate the org's CA revoked is cut off whichever credential it presents: its
// TLS client certificate (not itself on the CRL, as one of the TLS CA's) maps to the member, whose revoked
// certificate the gateway would sign with, so it is refused as the member's API key is.
func TestARevokedWalletMemberIsRefusedThroughItsTLSClientCertificate(t *testing.T) {
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	alice, _ := ca.Member(t, "alice")
	aliceTLS := ca.TLSClient(t, alice, "alice")
	bob, _ := ca.Member(t, "bob")
	bobTLS := ca.TLSClient(t, bob, "bob")
	revoked := revokedSet{alice.Certificate.SerialNumber.String(): true}
	a := auth.New("ShanghaiMSP", wallet.New(alice, bob), auth.WithRevocations(revoked),
		auth.WithTrustedCAs(auth.TrustedCA{MSPID: "ShanghaiMSP", Certificates: []*x509.Certificate{ca.Certificate}}))
	with := func(c *x509.Certificate) (*auth.Caller, error) { return overTLS(a, c) }
	c, err := with(aliceTLS.Certificate)
	assert.Nil(t, c, "a revoked member acting through its TLS client certificate")
	assert.ErrorIs(t, err, auth.ErrUnauthenticated)
	assert.ErrorContains(t, err, alice.Certificate.SerialNumber.Text(16), "the refusal names the revoked certificate")
	c, err = with(bobTLS.Certificate)
	require.NoError(t, err, "another member's TLS client certificate")
	assert.Equal(t, "bob", c.Member)
}

// clockAt is a clock for one test, set by the test: the time starts at a whole second (the store records keys'
// dates to the second).
type clockAt struct{ now time.Time }

func newClock() *clockAt { return &clockAt{now: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)} }

func (c *clockAt) Now() time.Time { return c.now }

// A key authenticates until its expiry, by the gateway's clock, and from that instant on is refused, as a revoked
// one is; its expiry is recorded with it.
func TestAKeyIsRefusedFromItsExpiryOn(t *testing.T) {
	clock := newClock()
	s, err := auth.OpenKeyStore(filepath.Join(t.TempDir(), "keys.json"), auth.WithClock(clock.Now))
	require.NoError(t, err)
	created := clock.now
	key, rec, err := s.Create("alice", "app", time.Hour)
	require.NoError(t, err)
	assert.Equal(t, created, rec.Created)
	assert.Equal(t, created.Add(time.Hour), rec.Expires)

	clock.now = created.Add(time.Hour - time.Second)
	_, ok := s.Verify(key)
	assert.True(t, ok, "a second before its expiry the key works")
	assert.True(t, s.ExpiresSoon(rec))
	clock.now = created.Add(time.Hour)
	_, ok = s.Verify(key)
	assert.False(t, ok, "at its expiry the key is refused")
	clock.now = created.Add(time.Hour + time.Second)
	_, ok = s.Verify(key)
	assert.False(t, ok, "a second after its expiry the key is refused")
	assert.True(t, s.Expired(rec))
}

// A lifetime that is not positive or is over auth.MaxKeyLifetime is refused and writes no key; the maximum itself
// is a lifetime.
func TestAKeysLifetimeIsPositiveAndAtMostTheMaximum(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	s, err := auth.OpenKeyStore(path)
	require.NoError(t, err)
	for _, d := range []time.Duration{0, -time.Hour, auth.MaxKeyLifetime + time.Second} {
		_, _, err := s.Create("alice", "app", d)
		assert.Error(t, err, "a lifetime of %s", d)
		assert.Error(t, auth.CheckLifetime(d))
		assert.NoFileExists(t, path, "a refused lifetime writes nothing")
	}
	_, rec, err := s.Create("alice", "app", auth.MaxKeyLifetime)
	require.NoError(t, err)
	assert.Equal(t, rec.Created.Add(auth.MaxKeyLifetime), rec.Expires)
	assert.Less(t, auth.DefaultKeyLifetime, auth.MaxKeyLifetime)
	assert.NoError(t, auth.CheckLifetime(auth.DefaultKeyLifetime))
}

// A record written before keys had a lifetime (no expires) keeps working for auth.DefaultKeyLifetime after its
// creation, the lifetime it would have had, and is refused from then on; one without even its creation time (no
// gateway wrote such a record) is refused.
func TestAKeyRecordedWithoutAnExpiryLivesTheDefaultLifetimeFromItsCreation(t *testing.T) {
	clock := newClock()
	path := filepath.Join(t.TempDir(), "keys.json")
	key, undated := "dlk_0123456789abcdef_"+strings.Repeat("A", 43), "dlk_fedcba9876543210_"+strings.Repeat("B", 43)
	hash := func(k string) string { sum := sha256.Sum256([]byte(k)); return hex.EncodeToString(sum[:]) }
	created := clock.now.Add(-24 * time.Hour)
	require.NoError(t, os.WriteFile(path, []byte(`{"keys":[`+
		`{"id":"0123456789abcdef","member":"alice","sha256":"`+hash(key)+`","created":"`+created.Format(time.RFC3339)+`"},`+
		`{"id":"fedcba9876543210","member":"bob","sha256":"`+hash(undated)+`","created":"0001-01-01T00:00:00Z"}]}`), 0o600))
	s, err := auth.OpenKeyStore(path, auth.WithClock(clock.Now))
	require.NoError(t, err)

	rec, ok := s.Verify(key)
	require.True(t, ok, "an old key keeps working after the upgrade")
	assert.True(t, rec.Expires.IsZero())
	assert.Equal(t, created.Add(auth.DefaultKeyLifetime), rec.ExpiresAt())
	clock.now = created.Add(auth.DefaultKeyLifetime - time.Second)
	_, ok = s.Verify(key)
	assert.True(t, ok, "a second before the default lifetime from its creation")
	clock.now = created.Add(auth.DefaultKeyLifetime)
	_, ok = s.Verify(key)
	assert.False(t, ok, "an old key expires the default lifetime after its creation")
	_, ok = s.Verify(undated)
	assert.False(t, ok, "a record without a creation time has expired")
}

// The keys to rotate: unrevoked keys expiring within auth.ExpiringSoon, and those expired; revoked keys are not
// counted.
func TestTheKeysExpiringSoonAreCounted(t *testing.T) {
	clock := newClock()
	s, err := auth.OpenKeyStore(filepath.Join(t.TempDir(), "keys.json"), auth.WithClock(clock.Now))
	require.NoError(t, err)
	for _, d := range []time.Duration{time.Hour, auth.ExpiringSoon, auth.ExpiringSoon + time.Second, auth.DefaultKeyLifetime} {
		_, _, err := s.Create("alice", d.String(), d)
		require.NoError(t, err)
	}
	_, revoked, err := s.Create("bob", "revoked", time.Hour)
	require.NoError(t, err)
	require.NoError(t, s.Revoke(revoked.ID))
	soon, expired := s.Expiring()
	assert.Equal(t, [2]int{2, 0}, [2]int{soon, expired}, "an hour and exactly auth.ExpiringSoon away are soon")
	clock.now = clock.now.Add(time.Hour)
	soon, expired = s.Expiring()
	assert.Equal(t, [2]int{2, 1}, [2]int{soon, expired})
}

// The registrar's attack on the gateway: whoever holds the registrar power of the org's CA has a certificate issued
// with a wallet member's subject over a key of its own. The gateway must not sign for the wallet member on it (the
// ledger would take the wallet's signature, of the key it binds): only the certificates the wallet holds, with their
// keys, map to the member. The forged one is a member who signs itself, whose signatures the ledger judges.
func TestACertificateOfAWalletMembersIdentityOverAnotherKeyIsNotThatMember(t *testing.T) {
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	alice, aliceCert := ca.Member(t, "alice")
	admin, _ := ca.MemberOU(t, "Admin", model.AdminOU)
	a := auth.New("ShanghaiMSP", wallet.New(alice, admin), auth.WithTrustedCAs(
		auth.TrustedCA{MSPID: "ShanghaiMSP", Certificates: []*x509.Certificate{ca.Certificate}}))
	with := func(c *x509.Certificate) *auth.Caller {
		r := httptest.NewRequest("GET", "/", nil)
		r.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{c}}
		caller, err := a.Authenticate(r)
		require.NoError(t, err)
		return caller
	}
	forged := ca.Issue(t, "alice", "client").Certificate
	require.Equal(t, wallet.IdentityOf(aliceCert.Certificate), wallet.IdentityOf(forged), "the same subject and issuer")
	c := with(forged)
	assert.Empty(t, c.Member, "the gateway signs for no wallet member on a key it does not hold")
	assert.True(t, c.SignsItself())

	forgedAdmin := ca.Issue(t, "Admin", model.AdminOU).Certificate
	c = with(forgedAdmin)
	assert.Empty(t, c.Member)
	assert.True(t, c.SignsItself())

	assert.Equal(t, "alice", with(aliceCert.Certificate).Member, "the wallet's own certificate still maps")
}

// A key's scope reaches its caller; a record of a scope this gateway does not know (a file edited by hand, or
// written by a later version) authenticates nobody rather than everything its member may.
func TestAKeysScopeIsItsCallers(t *testing.T) {
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	admin, _ := ca.MemberOU(t, "admin", model.AdminOU)
	path := filepath.Join(t.TempDir(), "keys.json")
	keys, err := auth.OpenKeyStore(path)
	require.NoError(t, err)
	scrape, _, err := keys.CreateScoped("admin", "prometheus", auth.ScopeMetrics, auth.DefaultKeyLifetime)
	require.NoError(t, err)
	a := auth.New("ShanghaiMSP", wallet.New(admin), auth.WithKeyStore(keys))
	r := httptest.NewRequest("GET", "/metrics", nil)
	r.Header.Set("Authorization", "Bearer "+scrape)
	caller, err := a.Authenticate(r)
	require.NoError(t, err)
	assert.Equal(t, auth.ScopeMetrics, caller.Scope)
	assert.True(t, caller.OrgAdmin, "the key's member is the org's Admin; its scope narrows what the key may call")

	b, err := os.ReadFile(path)
	require.NoError(t, err)
	edited := strings.Replace(string(b), `"scope": "metrics"`, `"scope": "admin"`, 1)
	require.NotEqual(t, string(b), edited)
	path2 := filepath.Join(t.TempDir(), "keys.json")
	require.NoError(t, os.WriteFile(path2, []byte(edited), 0o600))
	keys2, err := auth.OpenKeyStore(path2)
	require.NoError(t, err)
	_, ok := keys2.Verify(scrape)
	assert.False(t, ok, "a scope this gateway does not know")
}
