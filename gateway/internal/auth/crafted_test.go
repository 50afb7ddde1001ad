package auth_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
)

// craftedKey returns a key of the keyForm for id (16 hex digits) and the file record of it with the given created
// and expires fields (JSON values, "" to leave the field out).
func craftedKey(id, created, expires string) (key, record string) {
	key = "dlk_" + id + "_" + strings.Repeat("C", 43)
	sum := sha256.Sum256([]byte(key))
	record = fmt.Sprintf(`{"id":%q,"member":"alice","sha256":%q`, id, hex.EncodeToString(sum[:]))
	if created != "" {
		record += `,"created":` + created
	}
	if expires != "" {
		record += `,"expires":` + expires
	}
	return key, record + "}"
}

// A key file edited by hand (or by whoever could write it) cannot make a key that never expires: an expiry years
// ahead counts only up to auth.MaxKeyLifetime after the key's creation, as no key the gateway creates lives longer,
// and a creation time ahead of the gateway's clock (which would carry any lifetime with it) is not in force yet. An
// expiry before the creation, or a record with neither date, is refused.
func TestAKeyFileEditedByHandMakesNoKeyThatNeverExpires(t *testing.T) {
	clock := newClock()
	path := filepath.Join(t.TempDir(), "keys.json")
	ts := func(at time.Time) string { return `"` + at.UTC().Format(time.RFC3339) + `"` }
	day := 24 * time.Hour
	cases := []struct {
		name, created, expires string
	}{
		{"an expiry in the year 9999", ts(clock.now.Add(-day)), `"9999-12-31T23:59:59Z"`},
		{"an expiry in the year 9999 and no creation time", "", `"9999-12-31T23:59:59Z"`},
		{"a creation in the year 9999 and no expiry", `"9999-12-31T23:59:59Z"`, ""},
		{"a creation and an expiry years ahead", ts(clock.now.Add(2 * 365 * day)), ts(clock.now.Add(2*365*day + day))},
		{"an expiry before the creation", ts(clock.now.Add(-day)), ts(clock.now.Add(-2 * day))},
		{"neither date", "", ""},
		{"null dates", "null", "null"},
	}
	var records []string
	keys := map[string]string{}
	for i, c := range cases {
		key, record := craftedKey(fmt.Sprintf("%016x", i+1), c.created, c.expires)
		records = append(records, record)
		keys[c.name] = key
	}
	require.NoError(t, os.WriteFile(path, []byte(`{"keys":[`+strings.Join(records, ",")+`]}`), 0o600))
	s, err := auth.OpenKeyStore(path, auth.WithClock(clock.Now))
	require.NoError(t, err)

	// The first record is a key made a day ago: it works until a year after its creation, and not a second longer.
	_, ok := s.Verify(keys[cases[0].name])
	assert.True(t, ok, "a key with a far expiry works within the longest lifetime")
	start := clock.now
	clock.now = start.Add(-day + auth.MaxKeyLifetime)
	_, ok = s.Verify(keys[cases[0].name])
	assert.False(t, ok, "an expiry in the year 9999 is cut at auth.MaxKeyLifetime after the creation")

	for _, at := range []time.Time{start, start.Add(3 * 365 * day), start.Add(50 * 365 * day)} {
		clock.now = at
		for _, c := range cases[1:] {
			_, ok := s.Verify(keys[c.name])
			assert.False(t, ok, "%s authenticates at %s", c.name, at)
		}
	}
	soon, expired := s.Expiring()
	assert.Equal(t, len(cases), soon+expired, "every crafted key is one to rotate")
}

// A key file with a record that is not an object (null) is refused as a file that does not parse: opened, it is
// an error; changed under a running gateway, the keys last read stay in force and every request is still answered
// (a panic while the store's lock was held locked every later request out).
func TestAKeyFileWithANullRecordIsRefusedAndLocksNobodyOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"keys":[null]}`), 0o600))
	_, err := auth.OpenKeyStore(path)
	require.Error(t, err)

	require.NoError(t, os.Remove(path))
	s, err := auth.OpenKeyStore(path)
	require.NoError(t, err)
	key, _, err := s.Create("alice", "app", auth.DefaultKeyLifetime)
	require.NoError(t, err)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), `"keys": [`, `"keys": [null, `, 1)), 0o600))
	require.NoError(t, os.Chtimes(path, time.Now(), time.Now().Add(time.Hour)))
	assert.Error(t, s.Revoke("0000000000000000"), "a forced read of the file refuses it")
	done := make(chan bool, 1)
	go func() {
		defer func() { recover() }()
		_, ok := s.Verify(key)
		done <- ok
	}()
	select {
	case ok := <-done:
		assert.True(t, ok, "the keys last read stay in force")
	case <-time.After(3 * time.Second):
		t.Fatal("Verify hangs")
	}
	_, err = s.List()
	assert.Error(t, err)
}
