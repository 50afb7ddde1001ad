package index_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/index"
)

// The SQLite index holds what the channel's blocks wrote (every trade's
// buyer and seller, which trades:Get shows only to its parties and
// overseers; the credit lookups per region), and the channel lets no member
// read its blocks: its files are the gateway's user's alone (0600, as the
// gateway's other state files), even in a directory others may enter,
// whatever the process's umask, and also for a store an older gateway made
// readable.
func TestTheIndexFilesAreTheGatewaysUsersAlone(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o755))
	path := filepath.Join(dir, "market-index.db")
	x := openIndex(t, index.Store{Path: path})
	follow(t, x, newMarket().Chain)
	requirePrivate(t, path)
	require.NoError(t, x.Close())

	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(name); err == nil {
			require.NoError(t, os.Chmod(name, 0o644))
		}
	}
	x = openIndex(t, index.Store{Path: path})
	follow(t, x, newMarket().Chain)
	requirePrivate(t, path)
}

func requirePrivate(t *testing.T, path string) {
	t.Helper()
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		require.NoError(t, err, name)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "%s", filepath.Base(name))
	}
}
