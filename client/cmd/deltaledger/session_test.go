package main

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
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

	require.NoError(t, saveSession(path, nil, client.ResumeSession(41)))
	b, ok := loadSession(path).Block()
	require.True(t, ok)
	assert.Equal(t, uint64(41), b)

	require.NoError(t, saveSession(path, nil, client.ResumeSession(7)))
	b, _ = loadSession(path).Block()
	assert.Equal(t, uint64(41), b, "an older block does not replace a newer one")

	require.NoError(t, saveSession(path, nil, client.NewSession()))
	require.NoError(t, os.WriteFile(path, []byte("garbage"), 0o600))
	_, ok = loadSession(path).Block()
	assert.False(t, ok, "an unreadable file is a new session")
}

// A command that fails keeps no block, whatever its gateway named; one that
// succeeds after a gateway lowered the block the file held (a block another
// gateway named, which this one's peer had not committed: client.Session)
// replaces it, so that the next command is not refused again.
func TestAFailedCommandKeepsNoSession(t *testing.T) {
	f := newFake(t, false)
	refuse := true
	f.on("GET /v1/participants/me", func(w http.ResponseWriter, r *http.Request) {
		if refuse { // a success the command cannot read
			w.Header().Set(model.LedgerBlockHeader, "999999999999")
			jsonAnswer(w, 200, "not a participant")
			return
		}
		w.Header().Set(model.LedgerBlockHeader, "41")
		if v := r.Header.Get(model.MinBlockHeader); v != "" && v != "41" {
			jsonAnswer(w, 503, map[string]string{"code": "UNAVAILABLE", "message": "this region's peer has not yet committed block " + v})
			return
		}
		jsonAnswer(w, 200, map[string]any{"id": "p-1", "mspId": "JiangsuMSP", "roles": []string{"holder"}})
	})
	path := filepath.Join(t.TempDir(), "session")
	env := map[string]string{"DELTALEDGER_SESSION": path}
	code, _, _ := cli(t, env, "--gateway", f.srv.URL, "whoami")
	require.NotEqual(t, 0, code)
	_, err := os.Stat(path)
	assert.True(t, os.IsNotExist(err), "a failed command wrote %v", err)

	// The file holds a block another gateway named far ahead.
	require.NoError(t, os.WriteFile(path, []byte("999999999999\n"), 0o600))
	refuse = false
	code, _, stderr := cli(t, env, "--gateway", f.srv.URL, "whoami")
	require.Equal(t, 0, code, stderr)
	b, _ := loadSession(path).Block()
	assert.Equal(t, uint64(41), b, "the gateway's block replaces the one it refused")
	code, _, stderr = cli(t, env, "--gateway", f.srv.URL, "whoami")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "41", f.last().Header.Get(model.MinBlockHeader))

	// A lowered block does not replace one another command wrote meanwhile.
	require.NoError(t, saveSession(path, client.ResumeSession(50), client.ResumeSession(41)))
	b, _ = loadSession(path).Block()
	assert.Equal(t, uint64(41), b)
	require.NoError(t, os.WriteFile(path, []byte("60\n"), 0o600))
	require.NoError(t, saveSession(path, client.ResumeSession(50), client.ResumeSession(30)))
	b, _ = loadSession(path).Block()
	assert.Equal(t, uint64(60), b)
}
