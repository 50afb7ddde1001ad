package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteIfChangedLeavesAnUnchangedFileAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.json")
	wrote, err := WriteIfChanged(path, []byte("one\n"), 0o600)
	require.NoError(t, err)
	assert.True(t, wrote)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	require.NoError(t, os.Chtimes(path, old, old))

	wrote, err = WriteIfChanged(path, []byte("one\n"), 0o600)
	require.NoError(t, err)
	assert.False(t, wrote)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.True(t, info.ModTime().Equal(old))

	wrote, err = WriteIfChanged(path, []byte("one\n"), 0o644)
	require.NoError(t, err)
	assert.True(t, wrote, "a changed mode is written")
	info, err = os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())

	wrote, err = WriteIfChanged(path, []byte("two\n"), 0o644)
	require.NoError(t, err)
	assert.True(t, wrote)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "two\n", string(b))
	left, err := filepath.Glob(filepath.Join(filepath.Dir(path), ".f.json.*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary file is left behind")
}

func TestWriteIfChangedFailsInAMissingFolder(t *testing.T) {
	_, err := WriteIfChanged(filepath.Join(t.TempDir(), "missing", "f"), []byte("x"), 0o644)
	assert.Error(t, err)
}

// TestWriteIfChangedMakesTheFileDurableBeforeItIsRenamed: a rename can reach the disk before the data it names, so
// a crash just after it could leave an empty file where the old one was: an empty private key in place of the
// member's, after a re-enrollment the CA has already answered. The new file's data is flushed before the rename,
// and the folder after it, so that the write (an enrollment that used its one-time secret) outlives a crash.
func TestWriteIfChangedMakesTheFileDurableBeforeItIsRenamed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "priv_sk")
	require.NoError(t, os.WriteFile(path, []byte("old key\n"), 0o600))
	var synced []string
	defer func(orig func(*os.File) error) { syncFile = orig }(syncFile)
	syncFile = func(f *os.File) error {
		old, err := os.ReadFile(path)
		require.NoError(t, err)
		synced = append(synced, filepath.Base(f.Name())+" with "+string(old))
		return f.Sync()
	}
	_, err := WriteIfChanged(path, []byte("new key\n"), 0o600)
	require.NoError(t, err)
	require.Len(t, synced, 2, "the new file, then the folder")
	assert.Regexp(t, `^\.priv_sk\.[0-9]+ with old key\n$`, synced[0], "the new file before the rename")
	assert.Equal(t, filepath.Base(dir)+" with new key\n", synced[1], "the folder after it")
}
