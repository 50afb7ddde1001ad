package config_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
)

func TestNamesAreDerivedFromTheYAMLPath(t *testing.T) {
	c := config.Default()
	byPath := map[string]config.Setting{}
	for _, s := range config.Settings(&c) {
		byPath[s.Path] = s
		assert.NotEmpty(t, s.Help, "setting %s needs help text", s.Path)
	}
	assert.Equal(t, "DLGW_PEER_TLS_CA_CERT", byPath["peer.tlsCACert"].Env)
	assert.Equal(t, "peer-tls-ca-cert", byPath["peer.tlsCACert"].Flag)
	assert.Equal(t, "tls-client-cas", byPath["tls.clientCAs"].Flag)
	assert.Equal(t, "DLGW_MSP_ID", byPath["mspId"].Env)
	assert.Equal(t, "limits-read-rate-per-second", byPath["limits.readRatePerSecond"].Flag)
	assert.Equal(t, "DLGW_LIMITS_WRITE_BURST", byPath["limits.writeBurst"].Env)
}

func TestPrecedenceFlagsOverEnvOverFileOverDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gw.yaml")
	require.NoError(t, os.WriteFile(path, []byte(`
mspId: ShanghaiMSP
listen: 127.0.0.1:1
peer:
  address: file:1
  tlsCACert: ca.pem
timeouts:
  commit: 90s
tls:
  clientCAs: [ShanghaiMSP=a.pem]
`), 0o600))
	c := config.Default()
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	config.Bind(fs, &c)
	require.NoError(t, fs.Parse([]string{"--peer-address", "flag:3", "--limits-write-burst", "7"}))
	require.NoError(t, config.Load(&c, path, fs, []string{"DLGW_PEER_ADDRESS=env:2", "DLGW_LISTEN=127.0.0.1:2", "DLGW_CHANNEL=other"}))
	assert.Equal(t, "flag:3", c.Peer.Address, "flag beats env and file")
	assert.Equal(t, "127.0.0.1:2", c.Listen, "env beats file")
	assert.Equal(t, "other", c.Channel)
	assert.Equal(t, 90*time.Second, c.Timeouts.Commit, "file beats default")
	assert.Equal(t, 10*time.Second, c.Timeouts.Submit, "default")
	assert.Equal(t, 7, c.Limits.WriteBurst)
	assert.Equal(t, []string{"ShanghaiMSP=a.pem"}, c.TLS.ClientCAs)
}

func TestUnknownEnvironmentSettingsAreRefused(t *testing.T) {
	c := config.Default()
	err := config.Load(&c, "", nil, []string{"DLGW_LIMITS_RATE_PER_SECOND=5", "OTHER_VARIABLE=1"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "DLGW_LIMITS_RATE_PER_SECOND")
	c = config.Default()
	require.NoError(t, config.Load(&c, "", nil, []string{"DLGW_LIMITS_WRITE_RATE_PER_SECOND=5", "OTHER_VARIABLE=1"}))
	assert.Equal(t, 5.0, c.Limits.WriteRatePerSecond)
}

func TestUnknownYAMLKeysAreRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gw.yaml")
	require.NoError(t, os.WriteFile(path, []byte("mspid: typo\n"), 0o600))
	c := config.Default()
	assert.Error(t, config.Load(&c, path, nil, nil))
}

func TestBadEnvValueIsAnError(t *testing.T) {
	c := config.Default()
	err := config.Load(&c, "", nil, []string{"DLGW_TIMEOUTS_COMMIT=soon"})
	assert.ErrorContains(t, err, "DLGW_TIMEOUTS_COMMIT")
}

func TestValidate(t *testing.T) {
	valid := func() config.Config {
		c := config.Default()
		c.MSPID, c.Wallet, c.Peer.Address, c.Peer.TLSCACert, c.Peer.Reader = "ShanghaiMSP", "w", "p:1", "ca.pem", "Admin"
		c.TLS.Cert, c.TLS.Key = "c.pem", "k.pem"
		return c
	}
	c := valid()
	require.NoError(t, c.Validate())
	for name, mutate := range map[string]func(*config.Config){
		"no msp":            func(c *config.Config) { c.MSPID = "" },
		"no tls cert":       func(c *config.Config) { c.TLS.Cert = "" },
		"half client tls":   func(c *config.Config) { c.Peer.ClientCert = "x" },
		"bad client ca":     func(c *config.Config) { c.TLS.ClientCAs = []string{"nofile"} },
		"tiny body":         func(c *config.Config) { c.Limits.BodyBytes = 10 },
		"negative rate":     func(c *config.Config) { c.Limits.ReadRatePerSecond = -1 },
		"rate, no burst":    func(c *config.Config) { c.Limits.WriteBurst = 0 },
		"bad level":         func(c *config.Config) { c.Log.Level = "loud" },
		"public pprof":      func(c *config.Config) { c.Debug.PprofListen = "0.0.0.0:6060" },
		"public plain http": func(c *config.Config) { c.TLS.Disabled, c.Listen = true, "0.0.0.0:27180" },
		"plain http, far":   func(c *config.Config) { c.TLS.Disabled, c.Listen = true, "10.0.0.7:27180" },
		"pprof, no port":    func(c *config.Config) { c.Debug.PprofListen = "127.0.0.1" },
		"no reader":         func(c *config.Config) { c.Peer.Reader = "" },
		"index, no member":  func(c *config.Config) { c.Index.Enabled = true },
		"weekly periods":    func(c *config.Config) { c.Indices.Periods = []string{"day", "week"} },
		"closing nonstop": func(c *config.Config) {
			c.Index.Enabled, c.Indices.Member, c.Indices.Interval = true, "User5", time.Millisecond
		},
		"closing trades nonstop": func(c *config.Config) {
			c.Index.Enabled, c.Closer.Member, c.Closer.Interval = true, "User1", time.Millisecond
		},
	} {
		c := valid()
		mutate(&c)
		assert.Error(t, c.Validate(), name)
	}
	c = valid()
	c.Index.Enabled, c.Indices.Member = true, "User5"
	require.NoError(t, c.Validate(), "periods closed by default")
	assert.True(t, c.Indices.AutoPublish)
	assert.Equal(t, []string{"day", "month"}, c.Indices.Periods)
	c.Indices.Member, c.Indices.AutoPublish = "", false
	assert.NoError(t, c.Validate(), "an index that closes no period needs no member to close them")
	c = valid()
	c.Debug.PprofListen = "127.0.0.1:6060"
	assert.NoError(t, c.Validate(), "profiles on loopback")
	c = valid()
	c.TLS.Disabled, c.TLS.Cert, c.TLS.Key, c.Listen = true, "", "", "127.0.0.1:27180"
	assert.NoError(t, c.Validate(), "no certificate needed without TLS, on loopback")
}

func TestIndexFileIsInTheStateDirByDefault(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "gw.yaml")
	require.NoError(t, os.WriteFile(path, []byte("index:\n  enabled: true\n"), 0o600))
	c := config.Default()
	require.NoError(t, config.Load(&c, path, nil, nil))
	assert.True(t, c.Index.Enabled)
	assert.Equal(t, dir, c.StateDir, "the configuration file's directory")
	assert.Equal(t, filepath.Join(dir, "market-index.db"), c.IndexFile())

	c = config.Default()
	require.NoError(t, config.Load(&c, path, nil, []string{"DLGW_STATE_DIR=/srv/gw"}))
	assert.Equal(t, "/srv/gw/market-index.db", c.IndexFile())

	c = config.Default()
	require.NoError(t, config.Load(&c, path, nil, []string{"DLGW_INDEX_PATH=/data/idx.db"}))
	assert.Equal(t, "/data/idx.db", c.IndexFile())

	c = config.Default()
	require.NoError(t, config.Load(&c, "", nil, nil))
	assert.Equal(t, "market-index.db", c.IndexFile(), "without a file: the working directory")
}
