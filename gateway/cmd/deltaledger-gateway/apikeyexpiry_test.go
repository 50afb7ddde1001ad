package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
)

// --valid-for sets a new key's lifetime, auth.DefaultKeyLifetime when not given; zero, a negative lifetime or one
// over auth.MaxKeyLifetime is refused naming the flag, before any key is written.
func TestAPIKeyCreateValidForSetsTheLifetimeWithinItsBounds(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys.json")
	for _, bad := range []string{"0s", "-1h", (auth.MaxKeyLifetime + time.Second).String()} {
		for _, command := range []string{"create", "ensure"} {
			_, err := run(t, "apikey", command, "--api-keys", file, "--member", "User2@shanghai", "--valid-for", bad)
			require.Error(t, err, "%s --valid-for %s", command, bad)
			assert.Contains(t, err.Error(), "--valid-for", "%s --valid-for %s: the refusal names the flag", command, bad)
			assert.NoFileExists(t, file, "a refused lifetime writes no key")
		}
	}

	_, err := run(t, "apikey", "create", "--api-keys", file, "--member", "User2@shanghai", "--label", "default")
	require.NoError(t, err)
	_, err = run(t, "apikey", "create", "--api-keys", file, "--member", "User2@shanghai", "--label", "month", "--valid-for", "720h")
	require.NoError(t, err)
	store, err := auth.OpenKeyStore(file)
	require.NoError(t, err)
	keys, err := store.List()
	require.NoError(t, err)
	lifetimes := map[string]time.Duration{}
	for _, k := range keys {
		lifetimes[k.Label] = k.Expires.Sub(k.Created)
	}
	assert.Equal(t, map[string]time.Duration{"default": auth.DefaultKeyLifetime, "month": 720 * time.Hour}, lifetimes)
}

// apikey list shows each key's expiry, marked EXPIRED once passed (a key recorded without an expiry long ago) and
// SOON within auth.ExpiringSoon of it; a revoked key's expiry is not marked, the key being refused anyway.
func TestAPIKeyListShowsAndMarksExpiries(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys.json")
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	require.NoError(t, os.WriteFile(file, []byte(`{"keys":[{"id":"0123456789abcdef","member":"User9@shanghai","label":"old",`+
		`"sha256":"00","created":"`+old.Format(time.RFC3339)+`"}]}`), 0o600))
	_, err := run(t, "apikey", "create", "--api-keys", file, "--member", "User2@shanghai", "--label", "day", "--valid-for", "24h")
	require.NoError(t, err)
	_, err = run(t, "apikey", "create", "--api-keys", file, "--member", "User3@shanghai", "--label", "quarter")
	require.NoError(t, err)

	list, err := run(t, "apikey", "list", "--api-keys", file)
	require.NoError(t, err)
	lines := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(list), "\n") {
		lines[strings.Fields(l)[2]] = l
	}
	assert.Contains(t, lines["LABEL"], "EXPIRES")
	assert.Contains(t, lines["old"], old.Add(auth.DefaultKeyLifetime).Format(time.RFC3339)+" EXPIRED",
		"a key recorded without an expiry expires the default lifetime after its creation")
	assert.Contains(t, lines["day"], " SOON")
	assert.NotContains(t, lines["quarter"], " SOON")
	assert.NotContains(t, lines["quarter"], " EXPIRED")
}

// ensure replaces a key of the member that is still valid but expires within auth.ExpiringSoon: a key it kept
// would stop working in the middle of the demo or CI run that follows `make up`.
func TestAPIKeyEnsureReplacesAKeyExpiringSoon(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys.json")
	flags := []string{"--api-keys", file, "--member", "User2@shanghai"}
	short, err := run(t, append([]string{"apikey", "create", "--valid-for", (auth.ExpiringSoon - time.Hour).String()}, flags...)...)
	require.NoError(t, err)
	short = strings.TrimSpace(short)
	renewed, err := ensure(t, short, flags...)
	require.NoError(t, err)
	assert.NotEqual(t, short, renewed, "a key expiring soon is replaced")
	kept, err := ensure(t, renewed, flags...)
	require.NoError(t, err)
	assert.Equal(t, renewed, kept, "its replacement, of the default lifetime, is kept")
}
