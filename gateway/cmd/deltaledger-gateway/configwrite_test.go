package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
)

// The file config write writes holds the settings given and nothing else,
// and serve's loading reads back exactly those settings over the defaults.
func TestConfigWriteWritesWhatServeReadsBack(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gateway.yaml")
	_, err := run(t, "config", "write", "--out", file, "--comment", "from network.env",
		"--listen", "127.0.0.1:27180", "--msp-id", "ShanghaiMSP", "--wallet", "/w", "--tls-cert", "/c.pem", "--tls-key", "/k.pem",
		"--tls-client-cas", "ShanghaiMSP=/a.pem,JiangsuMSP=/b.pem", "--peer-address", "127.0.0.1:27151", "--peer-tls-ca-cert", "/ca.pem",
		"--peer-reader", "Admin@shanghai", "--index-enabled=true", "--indices-member", "User5@shanghai", "--limits-read-rate-per-second", "7.5", "--timeouts-commit", "90s")
	require.NoError(t, err)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	text := string(b)
	assert.Contains(t, text, "# from network.env\n")
	assert.Contains(t, text, "clientCAs:\n    - ShanghaiMSP=/a.pem\n    - JiangsuMSP=/b.pem\n")
	assert.NotContains(t, text, "channel:", "a setting not given keeps its default and is not written")

	got := config.Default()
	require.NoError(t, config.Load(&got, file, nil, nil))
	want := config.Default()
	want.MSPID, want.Wallet, want.TLS.Cert, want.TLS.Key = "ShanghaiMSP", "/w", "/c.pem", "/k.pem"
	want.TLS.ClientCAs = []string{"ShanghaiMSP=/a.pem", "JiangsuMSP=/b.pem"}
	want.Peer.Address, want.Peer.TLSCACert, want.Peer.Reader = "127.0.0.1:27151", "/ca.pem", "Admin@shanghai"
	want.Index.Enabled, want.Indices.Member = true, "User5@shanghai"
	want.Limits.ReadRatePerSecond, want.Timeouts.Commit = 7.5, 90*time.Second
	want.StateDir = filepath.Dir(file)
	assert.Equal(t, want, got)
}

// Writing the same settings again leaves the file untouched; other settings
// replace it.
func TestConfigWriteRewritesOnlyChanges(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gateway.yaml")
	args := []string{"config", "write", "--out", file, "--msp-id", "AnhuiMSP", "--wallet", "/w", "--tls-disabled=true",
		"--peer-address", "127.0.0.1:27451", "--peer-tls-ca-cert", "/ca.pem", "--peer-reader", "Admin@anhui"}
	_, err := run(t, args...)
	require.NoError(t, err)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	require.NoError(t, os.Chtimes(file, old, old))
	_, err = run(t, args...)
	require.NoError(t, err)
	info, err := os.Stat(file)
	require.NoError(t, err)
	assert.True(t, info.ModTime().Equal(old), "unchanged file rewritten")

	_, err = run(t, append(args, "--log-level", "debug")...)
	require.NoError(t, err)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Contains(t, string(b), "level: debug")
}

// A configuration serve would refuse is not written.
func TestConfigWriteRefusesWhatServeWouldRefuse(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gateway.yaml")
	_, err := run(t, "config", "write", "--out", file, "--msp-id", "AnhuiMSP", "--wallet", "/w", "--tls-disabled=true",
		"--peer-address", "127.0.0.1:27451")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "peer.tlsCACert is required")
	_, err = os.Stat(file)
	assert.True(t, os.IsNotExist(err), "nothing written")
	_, err = run(t, "config", "write", "--msp-id", "AnhuiMSP")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"out" not set`)
}

// config digest tells the two kinds of change apart: one in tls.clientCAs
// alone (SIGHUP reloads it) changes only the first digest; one in any other
// setting, from the file or the environment, changes both; a file laid out
// or commented otherwise changes neither.
func TestConfigDigestTellsAReloadFromARestart(t *testing.T) {
	dir := t.TempDir()
	digest := func(yaml string) []string {
		t.Helper()
		file := filepath.Join(dir, "gateway.yaml")
		require.NoError(t, os.WriteFile(file, []byte(yaml), 0o644))
		out, err := run(t, "config", "digest", "--config", file)
		require.NoError(t, err)
		d := strings.Fields(out)
		require.Len(t, d, 2, out)
		return d
	}
	base := digest("mspId: ShanghaiMSP\ntls:\n  clientCAs:\n    - ShanghaiMSP=/s.pem\n")
	assert.Equal(t, base, digest("# a comment\nmspId:   ShanghaiMSP\ntls:\n  clientCAs: [ShanghaiMSP=/s.pem]\n"), "the same settings")

	joined := digest("mspId: ShanghaiMSP\ntls:\n  clientCAs:\n    - ShanghaiMSP=/s.pem\n    - SuzhouMSP=/su.pem\n")
	assert.NotEqual(t, base[0], joined[0], "a client CA more is a change")
	assert.Equal(t, base[1], joined[1], "that SIGHUP takes without a restart")

	moved := digest("mspId: ShanghaiMSP\nlisten: 127.0.0.1:27181\ntls:\n  clientCAs:\n    - ShanghaiMSP=/s.pem\n")
	assert.NotEqual(t, base[0], moved[0])
	assert.NotEqual(t, base[1], moved[1], "another listener needs a restart")

	t.Setenv(config.EnvPrefix+"LIMITS_READ_BURST", "7")
	limited := digest("mspId: ShanghaiMSP\ntls:\n  clientCAs:\n    - ShanghaiMSP=/s.pem\n")
	assert.NotEqual(t, base[1], limited[1], "a setting of the environment counts like one of the file")
}

// The configuration is the gateway's: the file is its owner's alone.
func TestConfigWriteKeepsTheFileToItsOwner(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gateway.yaml")
	_, err := run(t, "config", "write", "--out", file, "--msp-id", "AnhuiMSP", "--wallet", "/w", "--tls-disabled=true",
		"--peer-address", "127.0.0.1:27451", "--peer-tls-ca-cert", "/ca.pem",
		"--peer-reader", "Admin@anhui", "--index-enabled=true", "--indices-member", "User5@anhui", "--index-dsn", "postgres://deltaledger@db.internal:5432/ledger_index")
	require.NoError(t, err)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Contains(t, string(b), "deltaledger@db.internal")
	info, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

// config write takes its settings as flags, which every user of the machine reads in the process list: a DSN with
// a password is refused there as serve refuses it, naming the flag, not the password, and no file is written.
func TestConfigWriteRefusesADSNPasswordAsAFlag(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gateway.yaml")
	_, err := run(t, "config", "write", "--out", file, "--msp-id", "AnhuiMSP", "--wallet", "/w", "--tls-disabled=true",
		"--peer-address", "127.0.0.1:27451", "--peer-tls-ca-cert", "/ca.pem",
		"--peer-reader", "Admin@anhui", "--index-dsn", "postgres://deltaledger:Sesame7@db.internal:5432/ledger_index")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--index-dsn")
	assert.NotContains(t, err.Error(), "Sesame7")
	assert.NoFileExists(t, file)
}
