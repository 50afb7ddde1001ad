package client

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A pending enrollment is written whole beside the folder's own (its key mode 600), never over another pending
// one, which may be the key the ledger binds; installing it replaces the folder's key and certificate and removes
// it, discarding it leaves the folder's as they were.
func TestPendingMSPIsKeptWholeAndNeverOverwritten(t *testing.T) {
	current, next, other := enrolledMember(t), enrolledMember(t), enrolledMember(t)
	dir := filepath.Join(t.TempDir(), "msp")
	require.NoError(t, current.WriteMSP(dir))
	_, err := ReadPendingMSP(dir)
	assert.True(t, errors.Is(err, fs.ErrNotExist), "none pending: %v", err)

	require.NoError(t, next.WritePendingMSP(dir))
	assert.ErrorIs(t, other.WritePendingMSP(dir), ErrPendingMSP)
	pending, err := ReadPendingMSP(dir)
	require.NoError(t, err)
	assert.True(t, pending.Key.Equal(next.Key), "the first pending enrollment stays")
	info, err := os.Stat(filepath.Join(dir, MSPPendingDir, MSPKeyFile))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	leftovers, _ := filepath.Glob(filepath.Join(dir, "."+MSPPendingDir+".*"))
	assert.Empty(t, leftovers, "no half-written pending folder stays")

	require.NoError(t, DiscardPendingMSP(dir))
	read, err := ReadMSP(dir)
	require.NoError(t, err)
	assert.True(t, read.Key.Equal(current.Key), "discarding leaves the folder's key")
	assert.NoDirExists(t, filepath.Join(dir, MSPPendingDir))

	require.NoError(t, next.WritePendingMSP(dir))
	installed, err := InstallPendingMSP(dir)
	require.NoError(t, err)
	assert.True(t, installed.Key.Equal(next.Key))
	read, err = ReadMSP(dir)
	require.NoError(t, err)
	assert.True(t, read.Key.Equal(next.Key), "the pending key is installed")
	assert.Equal(t, next.CertificatePEM, read.CertificatePEM)
	assert.NoDirExists(t, filepath.Join(dir, MSPPendingDir))
}
