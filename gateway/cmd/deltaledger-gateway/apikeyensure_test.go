package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
