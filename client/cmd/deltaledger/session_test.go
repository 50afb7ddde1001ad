package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
)

func TestSessionFile(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	assert.Equal(t, "/net/cli-session", sessionFile(env(nil), "/net/cli-session"), "a profile's network keeps it")
	assert.Empty(t, sessionFile(env(nil), ""), "a bare --gateway keeps none")
	assert.Equal(t, "/s", sessionFile(env(map[string]string{"DELTALEDGER_SESSION": "/s"}), "/net/cli-session"))
	assert.Empty(t, sessionFile(env(map[string]string{"DELTALEDGER_SESSION": "none"}), "/net/cli-session"))
}

// A command's session is saved for the next one, and never moves back: a
// command that saw an older block (run at the same time) leaves it.
func TestSessionIsKeptBetweenCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deltaledger", "last-block")
	_, ok := loadSession(path).Block()
	assert.False(t, ok, "no file, no block")

	require.NoError(t, saveSession(path, client.ResumeSession(41)))
	b, ok := loadSession(path).Block()
	require.True(t, ok)
	assert.Equal(t, uint64(41), b)

	require.NoError(t, saveSession(path, client.ResumeSession(7)))
	b, _ = loadSession(path).Block()
	assert.Equal(t, uint64(41), b, "an older block does not replace a newer one")

	require.NoError(t, saveSession(path, client.NewSession()))
	require.NoError(t, os.WriteFile(path, []byte("garbage"), 0o600))
	_, ok = loadSession(path).Block()
	assert.False(t, ok, "an unreadable file is a new session")
}
