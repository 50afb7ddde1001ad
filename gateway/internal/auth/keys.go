package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/internal/private"
)

// An API key has the form "dlk_<id>_<secret>": the ID finds the stored
// record, the SHA-256 of the whole key is compared with the stored hash. The
// key itself is shown once, when it is created, and never stored.
const keyPrefix = "dlk_"

var keyForm = regexp.MustCompile(`^dlk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$`)

// DefaultKeyLifetime is how long a key lives when its creator does not say (`apikey create --valid-for`), and how
// long a key recorded before keys had a lifetime lives after its creation (APIKey.ExpiresAt). 90 days is the
// rotation period exchanges' credential policies commonly set: a member's application is re-keyed four times a
// year, not every few weeks, and a key leaked and forgotten stops working within a quarter instead of never. It
// also outlasts by far any demo or CI run of `make up`, whose keys get it.
const DefaultKeyLifetime = 90 * 24 * time.Hour

// MaxKeyLifetime is the longest lifetime a key may be given: a year, the lifetime Fabric CA gives the members'
// enrollment certificates by default, so that a key is held to the rhythm at which the identity it signs as is
// renewed. A key needed for longer is rotated: a new key is created and the old one revoked.
const MaxKeyLifetime = 365 * 24 * time.Hour

// ExpiringSoon is how long before its expiry a key counts as expiring soon (KeyStore.ExpiresSoon): two weeks, time
// for the member to put a new key in its application before the old one is refused. The gateway warns of such
// keys at start and counts them in a metric, and `apikey ensure` replaces such a key instead of keeping it.
const ExpiringSoon = 14 * 24 * time.Hour

// ScopeMetrics is the scope of a key that reads the gateway's metrics (GET /metrics) and is refused every other
// operation: the credential a monitoring system (Prometheus) holds, which whoever reads its configuration holds too,
// so that it is not an org admin's.
const ScopeMetrics = "metrics"

// Scopes are the scopes a key may have ("" is none: everything its member may).
var Scopes = []string{ScopeMetrics}

// CheckScope refuses a scope no key may have.
func CheckScope(scope string) error {
	if scope != "" && !slices.Contains(Scopes, scope) {
		return fmt.Errorf("scope %q is not one of %v (or none)", scope, Scopes)
	}
	return nil
}

// APIKey is the stored record of an API key: never the key itself.
type APIKey struct {
	// ID identifies the key; it is the part of the key after "dlk_".
	ID string `json:"id"`
	// Member is the wallet member the key authenticates as.
	Member string `json:"member"`
	// Label says what the key is for.
	Label string `json:"label,omitempty"`
	// Scope, when set, narrows what the key may call: ScopeMetrics reads the gateway's metrics and nothing else.
	// Empty: everything its member may. A record of a scope this gateway does not know authenticates nobody.
	Scope string `json:"scope,omitempty"`
	// SHA256 is the hex SHA-256 of the whole key.
	SHA256 string `json:"sha256"`
	// Created is when the key was made.
	Created time.Time `json:"created"`
	// Expires is when the key stops authenticating, set when it is created. Zero in a record written before keys
	// had a lifetime: ExpiresAt says when such a key expires.
	Expires time.Time `json:"expires,omitzero"`
	// Revoked is when the key was revoked; zero while it is valid.
	Revoked time.Time `json:"revoked,omitzero"`
}

// ExpiresAt is when the key stops authenticating: Expires, or for a record written before keys had a lifetime
// (no Expires), DefaultKeyLifetime after its creation, the lifetime it would have had. Every such record has its
// creation time (the gateway always wrote it); one without it would have expired in the year 1. Whatever the record
// says, it is at most MaxKeyLifetime after the creation, as for every key the gateway creates: a file edited by hand
// cannot give a key an expiry in the year 9999.
func (k *APIKey) ExpiresAt() time.Time {
	at := k.Expires
	if at.IsZero() {
		at = k.Created.Add(DefaultKeyLifetime)
	}
	if longest := k.Created.Add(MaxKeyLifetime); at.After(longest) {
		return longest
	}
	return at
}

// Expired reports whether the key is out of force at now: from the instant of its expiry on, and before its
// creation (a record whose creation is ahead of the clock, written by hand, would carry its lifetime with it as far
// ahead as it likes).
func (k *APIKey) Expired(now time.Time) bool {
	return !now.Before(k.ExpiresAt()) || now.Before(k.Created)
}

// CheckLifetime says why d may not be a key's lifetime (not positive, or over MaxKeyLifetime), or nil.
func CheckLifetime(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("a key's lifetime must be positive, not %s", d)
	}
	if d > MaxKeyLifetime {
		return fmt.Errorf("a key may live at most %s (a year), not %s; rotate a key needed for longer: create a new one, then revoke the old", MaxKeyLifetime, d)
	}
	return nil
}

// keyFile is the file format.
type keyFile struct {
	Keys []*APIKey `json:"keys"`
}

// KeyStore is the file of API key hashes. The server reads it (re-reading it
// when it changes, at most once a second); the admin command writes it.
type KeyStore struct {
	path string
	// now is the gateway's clock: the time keys are created and revoked at and judged expired by. Callers never
	// choose it; tests set it (WithClock).
	now func() time.Time

	mu      sync.Mutex
	keys    map[string]*APIKey
	modTime time.Time
	size    int64
	checked time.Time
}

// StoreOption configures a KeyStore.
type StoreOption func(*KeyStore)

// WithClock makes the store read the time from now instead of the system clock, for tests of expiry that do not
// wait for it.
func WithClock(now func() time.Time) StoreOption {
	return func(s *KeyStore) { s.now = now }
}

// OpenKeyStore opens the key file at path. A missing file is an empty store
// (the first `apikey create` writes it).
func OpenKeyStore(path string, options ...StoreOption) (*KeyStore, error) {
	s := &KeyStore{path: path, keys: map[string]*APIKey{}, now: time.Now}
	for _, apply := range options {
		apply(s)
	}
	if err := s.reload(true); err != nil {
		return nil, err
	}
	return s, nil
}

// reload re-reads the file if it changed; force reads it regardless.
func (s *KeyStore) reload(force bool) error {
	info, err := os.Stat(s.path)
	if errors.Is(err, os.ErrNotExist) {
		s.keys = map[string]*APIKey{}
		s.modTime, s.size = time.Time{}, 0
		return nil
	}
	if err != nil {
		return err
	}
	if !force && info.ModTime().Equal(s.modTime) && info.Size() == s.size {
		return nil
	}
	if private.OthersMayRead(info) {
		return fmt.Errorf("API key file %s (mode %04o) is readable by group or others; chmod 600 it", s.path, info.Mode().Perm())
	}
	b, err := os.ReadFile(s.path)
	if err != nil {
		return err
	}
	var f keyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("API key file %s: %w", s.path, err)
	}
	keys := make(map[string]*APIKey, len(f.Keys))
	for i, k := range f.Keys {
		if k == nil {
			return fmt.Errorf("API key file %s: keys[%d] is null, not a key's record", s.path, i)
		}
		keys[k.ID] = k
	}
	s.keys, s.modTime, s.size = keys, info.ModTime(), info.Size()
	return nil
}

// Verify returns the record of key if it is valid: known, unrevoked and unexpired by the gateway's clock; or false.
func (s *KeyStore) Verify(key string) (*APIKey, bool) {
	m := keyForm.FindStringSubmatch(key)
	if m == nil {
		return nil, false
	}
	s.mu.Lock()
	rec, ok := s.current()[m[1]]
	s.mu.Unlock()
	// An unknown, revoked or expired ID is hashed and compared like a valid one, so that how long a refusal takes
	// does not tell which key IDs exist.
	stored := noKeyHash
	if ok {
		stored = rec.SHA256
	}
	sum := sha256.Sum256([]byte(key))
	want, err := hex.DecodeString(stored)
	if err != nil || subtle.ConstantTimeCompare(sum[:], want) != 1 || !ok || !rec.Revoked.IsZero() || rec.Expired(s.now()) ||
		CheckScope(rec.Scope) != nil {
		return nil, false
	}
	return rec, true
}

// current returns the keys, re-reading the file if it changed and was last looked at a second ago or more (by the
// system clock: it paces file reads, it judges no key). The caller holds s.mu.
func (s *KeyStore) current() map[string]*APIKey {
	if now := time.Now(); now.Sub(s.checked) >= time.Second {
		s.checked = now
		// A failed reload keeps the keys last read: a half-written file
		// must not lock every caller out.
		_ = s.reload(false)
	}
	return s.keys
}

// Expired reports whether k has expired by the gateway's clock.
func (s *KeyStore) Expired(k *APIKey) bool { return k.Expired(s.now()) }

// ExpiresSoon reports whether k expires within ExpiringSoon of the gateway's clock, or has expired.
func (s *KeyStore) ExpiresSoon(k *APIKey) bool {
	return k.ExpiresAt().Sub(s.now()) <= ExpiringSoon
}

// Expiring counts the unrevoked keys that expire within ExpiringSoon (soon) and those that have expired (expired)
// by the gateway's clock: the keys to rotate.
func (s *KeyStore) Expiring() (soon, expired int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.current() {
		switch {
		case !k.Revoked.IsZero():
		case s.Expired(k):
			expired++
		case s.ExpiresSoon(k):
			soon++
		}
	}
	return soon, expired
}

// noKeyHash is what Verify compares a key of an unknown ID with: the hash of
// no key of the keyForm.
var noKeyHash = hex.EncodeToString(make([]byte, sha256.Size))

// List returns every key record, newest first.
func (s *KeyStore) List() ([]*APIKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reload(true); err != nil {
		return nil, err
	}
	out := make([]*APIKey, 0, len(s.keys))
	for _, k := range s.keys {
		c := *k
		out = append(out, &c)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Create makes a key for member that expires validFor from now (CheckLifetime) and stores its hash. It returns
// the key, which cannot be recovered later, and its record.
func (s *KeyStore) Create(member, label string, validFor time.Duration) (string, *APIKey, error) {
	return s.CreateScoped(member, label, "", validFor)
}

// CreateScoped is Create of a key of scope (CheckScope; "" for none).
func (s *KeyStore) CreateScoped(member, label, scope string, validFor time.Duration) (string, *APIKey, error) {
	if member == "" {
		return "", nil, errors.New("a key needs a member")
	}
	if err := CheckLifetime(validFor); err != nil {
		return "", nil, err
	}
	if err := CheckScope(scope); err != nil {
		return "", nil, err
	}
	id := make([]byte, 8)
	secret := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		return "", nil, err
	}
	if _, err := rand.Read(secret); err != nil {
		return "", nil, err
	}
	key := keyPrefix + hex.EncodeToString(id) + "_" + base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(key))
	created := s.now().UTC().Truncate(time.Second)
	rec := &APIKey{ID: hex.EncodeToString(id), Member: member, Label: label, Scope: scope, SHA256: hex.EncodeToString(sum[:]),
		Created: created, Expires: created.Add(validFor)}
	err := s.update(func(keys map[string]*APIKey) error {
		keys[rec.ID] = rec
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return key, rec, nil
}

// Revoke marks a key revoked; callers using it get 401 from then on.
func (s *KeyStore) Revoke(id string) error {
	return s.update(func(keys map[string]*APIKey) error {
		k, ok := keys[id]
		if !ok {
			return fmt.Errorf("no API key with ID %q", id)
		}
		if !k.Revoked.IsZero() {
			return fmt.Errorf("API key %q was already revoked at %s", id, k.Revoked.Format(time.RFC3339))
		}
		k.Revoked = s.now().UTC().Truncate(time.Second)
		return nil
	})
}

// update rewrites the file atomically (temporary file, then rename) with the
// change applied, readable only by its owner.
func (s *KeyStore) update(change func(map[string]*APIKey) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reload(true); err != nil {
		return err
	}
	keys := make(map[string]*APIKey, len(s.keys))
	for id, k := range s.keys {
		c := *k
		keys[id] = &c
	}
	if err := change(keys); err != nil {
		return err
	}
	f := keyFile{Keys: make([]*APIKey, 0, len(keys))}
	for _, k := range keys {
		f.Keys = append(f.Keys, k)
	}
	sort.Slice(f.Keys, func(i, j int) bool { return f.Keys[i].ID < f.Keys[j].ID })
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".apikeys-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return err
	}
	return s.reload(true)
}
