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
