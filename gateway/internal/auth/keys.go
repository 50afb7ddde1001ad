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
	"sort"
	"sync"
	"time"
)

// An API key has the form "dlk_<id>_<secret>": the ID finds the stored
// record, the SHA-256 of the whole key is compared with the stored hash. The
// key itself is shown once, when it is created, and never stored.
const keyPrefix = "dlk_"

var keyForm = regexp.MustCompile(`^dlk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$`)

// APIKey is the stored record of an API key: never the key itself.
type APIKey struct {
	// ID identifies the key; it is the part of the key after "dlk_".
	ID string `json:"id"`
	// Member is the wallet member the key authenticates as.
	Member string `json:"member"`
	// Label says what the key is for.
	Label string `json:"label,omitempty"`
	// SHA256 is the hex SHA-256 of the whole key.
	SHA256 string `json:"sha256"`
	// Created is when the key was made.
	Created time.Time `json:"created"`
	// Revoked is when the key was revoked; zero while it is valid.
	Revoked time.Time `json:"revoked,omitzero"`
}

// keyFile is the file format.
type keyFile struct {
	Keys []*APIKey `json:"keys"`
}

// KeyStore is the file of API key hashes. The server reads it (re-reading it
// when it changes, at most once a second); the admin command writes it.
type KeyStore struct {
	path string

	mu      sync.Mutex
	keys    map[string]*APIKey
	modTime time.Time
	size    int64
	checked time.Time
}

// OpenKeyStore opens the key file at path. A missing file is an empty store
// (the first `apikey create` writes it).
func OpenKeyStore(path string) (*KeyStore, error) {
	s := &KeyStore{path: path, keys: map[string]*APIKey{}}
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
	if info.Mode().Perm()&0o077 != 0 {
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
	for _, k := range f.Keys {
		keys[k.ID] = k
	}
	s.keys, s.modTime, s.size = keys, info.ModTime(), info.Size()
	return nil
}

// Verify returns the valid, unrevoked record of key, or false.
func (s *KeyStore) Verify(key string) (*APIKey, bool) {
	m := keyForm.FindStringSubmatch(key)
	if m == nil {
		return nil, false
	}
	s.mu.Lock()
	if now := time.Now(); now.Sub(s.checked) >= time.Second {
		s.checked = now
		// A failed reload keeps the keys last read: a half-written file
		// must not lock every caller out.
		_ = s.reload(false)
	}
	rec, ok := s.keys[m[1]]
	s.mu.Unlock()
	// An unknown or revoked ID is hashed and compared like a known one, so
	// that how long a refusal takes does not tell which key IDs exist.
	stored := noKeyHash
	if ok {
		stored = rec.SHA256
	}
	sum := sha256.Sum256([]byte(key))
	want, err := hex.DecodeString(stored)
	if err != nil || subtle.ConstantTimeCompare(sum[:], want) != 1 || !ok || !rec.Revoked.IsZero() {
		return nil, false
	}
	return rec, true
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

// Create makes a key for member and stores its hash. It returns the key,
// which cannot be recovered later, and its record.
func (s *KeyStore) Create(member, label string) (string, *APIKey, error) {
	if member == "" {
		return "", nil, errors.New("a key needs a member")
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
	rec := &APIKey{ID: hex.EncodeToString(id), Member: member, Label: label, SHA256: hex.EncodeToString(sum[:]), Created: time.Now().UTC().Truncate(time.Second)}
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
		k.Revoked = time.Now().UTC().Truncate(time.Second)
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
