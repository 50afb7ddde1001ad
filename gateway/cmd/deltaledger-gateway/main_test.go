package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
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

// serve's SIGHUP loads the configuration again: each load reads the file as it is now (a region's CA added to
// tls.clientCAs), into a configuration of its own, with the flags given applied again over it.
func TestEachLoadReadsTheFileAgain(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gateway.yaml")
	write := func(cas ...string) {
		yaml := "mspId: ShanghaiMSP\ntls:\n  clientCAs:\n"
		for _, ca := range cas {
			yaml += "    - " + ca + "\n"
		}
		require.NoError(t, os.WriteFile(file, []byte(yaml+"log:\n  level: info\n"), 0o644))
	}
	cmd := &cobra.Command{}
	load := configured(cmd)
	require.NoError(t, cmd.ParseFlags([]string{"--config", file, "--log-level", "debug"}))
	write("ShanghaiMSP=/s.pem")
	first, err := load()
	require.NoError(t, err)
	write("ShanghaiMSP=/s.pem", "SuzhouMSP=/su.pem")
	second, err := load()
	require.NoError(t, err)
	assert.Equal(t, []string{"ShanghaiMSP=/s.pem"}, first.TLS.ClientCAs, "an earlier load is not changed by a later one")
	assert.Equal(t, []string{"ShanghaiMSP=/s.pem", "SuzhouMSP=/su.pem"}, second.TLS.ClientCAs)
	assert.Equal(t, "debug", second.Log.Level, "the flag given still wins over the file")
}

// Every command that works from the configuration reads it first and stops
// at one that does not load (an unknown key here), having done nothing: no
// output, no key file.
func TestConfiguredCommandsStopAtAConfigurationThatDoesNotLoad(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "gateway.yaml")
	require.NoError(t, os.WriteFile(file, []byte("mspId: ShanghaiMSP\nlisen: 127.0.0.1:27180\n"), 0o600))
	keys := filepath.Join(dir, "apikeys.json")
	for _, args := range [][]string{
		{"config", "digest"},
		{"apikey", "create", "--member", "User2@shanghai"},
		{"apikey", "ensure", "--member", "User2@shanghai"},
		{"apikey", "list"},
		{"apikey", "revoke", "k1"},
		{"index", "rebuild"},
	} {
		out, err := run(t, append(args, "--config", file, "--api-keys", keys)...)
		require.Error(t, err, "%v", args)
		assert.Contains(t, err.Error(), "lisen", "%v names the unknown key", args)
		assert.Empty(t, out, "%v", args)
	}
	assert.NoFileExists(t, keys)
}
