package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
)

// ensure runs `apikey ensure` with stdin as its standard input.
func ensure(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(append([]string{"apikey", "ensure"}, args...))
	err := cmd.Execute()
	return strings.TrimSpace(out.String()), err
}

// A valid key of the member is kept (the key file is not rewritten); a
// missing, revoked, foreign or malformed one is replaced by a new key.
func TestAPIKeyEnsureKeepsAValidKeyAndReplacesOthers(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys.json")
	flags := []string{"--api-keys", file, "--member", "User2@shanghai", "--label", "demo holder"}
	first, err := ensure(t, "", flags...)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(first, "dlk_"))
	before, err := os.ReadFile(file)
	require.NoError(t, err)

	again, err := ensure(t, first+"\n", flags...)
	require.NoError(t, err)
	assert.Equal(t, first, again)
	after, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a kept key changes nothing")

	other, err := ensure(t, first, "--api-keys", file, "--member", "User3@shanghai")
	require.NoError(t, err)
	assert.NotEqual(t, first, other, "another member's key is not this member's")

	forged := first[:len(first)-1] + "A"
	if forged == first {
		forged = first[:len(first)-1] + "B"
	}
	replaced, err := ensure(t, forged, flags...)
	require.NoError(t, err)
	assert.NotEqual(t, first, replaced)

	_, err = run(t, "apikey", "revoke", "--api-keys", file, strings.Split(first, "_")[1])
	require.NoError(t, err)
	renewed, err := ensure(t, first, flags...)
	require.NoError(t, err)
	assert.NotEqual(t, first, renewed, "a revoked key is replaced")

	_, err = ensure(t, "", "--api-keys", file)
	assert.Error(t, err, "--member is required")
}

// A metrics key is ensured as any other, and kept only as a key of its scope: a full key of the member is no
// metrics key (and the other way round), and a scope no key may have is refused, naming the flag, with nothing
// written.
func TestAPIKeyEnsureOfAScope(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys.json")
	metrics := []string{"--api-keys", file, "--member", "Admin@shanghai", "--label", "prometheus", "--scope", auth.ScopeMetrics}
	scrape, err := ensure(t, "", metrics...)
	require.NoError(t, err)
	store, err := auth.OpenKeyStore(file)
	require.NoError(t, err)
	rec, ok := store.Verify(scrape)
	require.True(t, ok)
	assert.Equal(t, auth.ScopeMetrics, rec.Scope)
	again, err := ensure(t, scrape, metrics...)
	require.NoError(t, err)
	assert.Equal(t, scrape, again, "a valid metrics key is kept")

	full, err := ensure(t, scrape, "--api-keys", file, "--member", "Admin@shanghai")
	require.NoError(t, err)
	assert.NotEqual(t, scrape, full, "a metrics key is not the member's full key")
	store, err = auth.OpenKeyStore(file)
	require.NoError(t, err)
	rec, ok = store.Verify(full)
	require.True(t, ok)
	assert.Empty(t, rec.Scope)
	other, err := ensure(t, full, metrics...)
	require.NoError(t, err)
	assert.NotEqual(t, full, other, "nor the other way round")

	before, err := os.ReadFile(file)
	require.NoError(t, err)
	_, err = ensure(t, "", "--api-keys", file, "--member", "Admin@shanghai", "--scope", "admin")
	require.ErrorContains(t, err, "--scope")
	after, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, before, after)

	list, err := run(t, "apikey", "list", "--api-keys", file)
	require.NoError(t, err)
	assert.Contains(t, list, "SCOPE")
	assert.Contains(t, list, "prometheus  "+auth.ScopeMetrics)
}
