package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
)

// A configuration file that holds index.dsn's password must be its owner's alone, as the API key file is: a file
// its group or other users may read is refused, and the error does not repeat the password. A file without a
// secret may be read by others.
func TestAConfigFileHoldingAPasswordMustBeItsOwners(t *testing.T) {
	dir := t.TempDir()
	load := func(dsn string, mode os.FileMode) error {
		t.Helper()
		path := filepath.Join(dir, "gw.yaml")
		require.NoError(t, os.WriteFile(path, []byte("mspId: AnhuiMSP\nindex:\n  dsn: \""+dsn+"\"\n"), 0o600))
		require.NoError(t, os.Chmod(path, mode))
		c := config.Default()
		return config.Load(&c, path, nil, nil)
	}
	for _, dsn := range []string{"postgres://deltaledger:Sesame7@db.internal:5432/ledger_index",
		"postgresql://deltaledger@db.internal/ledger_index?sslmode=verify-full&password=Sesame7",
		"host=db.internal user=deltaledger password='Sesame 8' dbname=ledger_index",
		"host=db.internal sslkey=/k.pem sslpassword=Sesame7"} {
		for _, mode := range []os.FileMode{0o644, 0o640, 0o604} {
			err := load(dsn, mode)
			require.Error(t, err, "%s, mode %04o", dsn, mode)
			assert.Contains(t, err.Error(), "index.dsn")
			assert.Contains(t, err.Error(), "chmod 600")
			assert.NotContains(t, err.Error(), "Sesame")
		}
		assert.NoError(t, load(dsn, 0o600), dsn)
	}
	assert.NoError(t, load("postgres://deltaledger@db.internal:5432/ledger_index", 0o644), "no secret in the file")
	assert.NoError(t, load("host=db.internal user=deltaledger", 0o644), "no secret in the file")
}

// Every user of the machine reads a process's flags (ps): a DSN with a password is refused as a flag, naming the
// flag and where the password goes instead, never the password. Without a password, or in the environment, it is
// taken.
func TestADSNPasswordIsRefusedAsAFlag(t *testing.T) {
	load := func(environ []string, args ...string) (config.Config, error) {
		t.Helper()
		c := config.Default()
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		config.Bind(fs, &c)
		require.NoError(t, fs.Parse(args))
		c = config.Default()
		return c, config.Load(&c, "", fs, environ)
	}
	for _, dsn := range []string{"postgres://deltaledger:Sesame7@db.internal/ledger_index",
		"postgres://deltaledger@db.internal/ledger_index?password=Sesame7", "host=db.internal password=Sesame7"} {
		_, err := load(nil, "--index-dsn", dsn)
		require.Error(t, err, dsn)
		assert.Contains(t, err.Error(), "--index-dsn")
		assert.Contains(t, err.Error(), "DLGW_INDEX_DSN")
		assert.NotContains(t, err.Error(), "Sesame7")
	}
	c, err := load(nil, "--index-dsn", "postgres://deltaledger@db.internal/ledger_index")
	require.NoError(t, err)
	assert.Equal(t, "postgres://deltaledger@db.internal/ledger_index", c.Index.DSN)
	c, err = load([]string{"DLGW_INDEX_DSN=postgres://deltaledger:Sesame7@db.internal/ledger_index"})
	require.NoError(t, err)
	assert.Equal(t, "postgres://deltaledger:Sesame7@db.internal/ledger_index", c.Index.DSN)
}

// The digest is printed for scripts: it holds no password that one who knows the other settings could test guesses
// of offline. It changes with every other part of the DSN, and with a password added or removed.
func TestTheDigestHoldsNoPassword(t *testing.T) {
	digest := func(dsn string) string {
		c := config.Default()
		c.Index.DSN = dsn
		return c.Digest()
	}
	for _, pair := range [][2]string{
		{"postgres://deltaledger:guess1@db.internal/ledger_index", "postgres://deltaledger:guess2@db.internal/ledger_index"},
		{"postgres://deltaledger@db.internal/ledger_index?password=guess1&sslmode=require", "postgres://deltaledger@db.internal/ledger_index?password=guess2&sslmode=require"},
		{"host=db.internal password=guess1 dbname=ledger_index", "host=db.internal password='guess 2' dbname=ledger_index"},
		{"host=db.internal sslpassword=guess1", "host=db.internal sslpassword=guess2"},
	} {
		assert.Equal(t, digest(pair[0]), digest(pair[1]), "only the password differs: %s", pair[0])
	}
	base := digest("postgres://deltaledger:guess1@db.internal/ledger_index")
	for _, other := range []string{"postgres://deltaledger:guess1@db.other/ledger_index", "postgres://admin:guess1@db.internal/ledger_index",
		"postgres://deltaledger:guess1@db.internal/other", "postgres://db.internal/ledger_index", ""} {
		assert.NotEqual(t, base, digest(other), other)
	}
	assert.NotEqual(t, digest("host=db.internal password=x dbname=a"), digest("host=db.internal password=x dbname=b"))
}
