package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func TestServeHelpDocumentsEverySetting(t *testing.T) {
	help, err := run(t, "serve", "--help")
	require.NoError(t, err)
	c := config.Default()
	for _, s := range config.Settings(&c) {
		assert.Contains(t, help, "--"+s.Flag, "flag of %s", s.Path)
		assert.Contains(t, help, s.Env)
	}
	assert.Contains(t, help, "--config")
}

func TestAPIKeyLifecycle(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys.json")
	key, err := run(t, "apikey", "create", "--api-keys", file, "--member", "User2@shanghai", "--label", "holder app")
	require.NoError(t, err)
	key = strings.TrimSpace(key)
	assert.True(t, strings.HasPrefix(key, "dlk_"))

	list, err := run(t, "apikey", "list", "--api-keys", file)
	require.NoError(t, err)
	assert.Contains(t, list, "User2@shanghai")
	assert.Contains(t, list, "holder app")
	assert.NotContains(t, list, key, "keys are never shown again")
	id := strings.Split(key, "_")[1]
	assert.Contains(t, list, id)

	_, err = run(t, "apikey", "revoke", "--api-keys", file, id)
	require.NoError(t, err)
	list, err = run(t, "apikey", "list", "--api-keys", file)
	require.NoError(t, err)
	assert.NotContains(t, list, " -\n", "the key shows its revocation time")

	_, err = run(t, "apikey", "create", "--api-keys", file)
	assert.Error(t, err, "--member is required")
}

func TestOpenAPICommandPrintsTheDocument(t *testing.T) {
	out, err := run(t, "openapi")
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "3.1.0", doc["openapi"])
}
