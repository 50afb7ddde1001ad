package filetest_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/filetest"
)

func TestEachFileReadsEveryRegularFileAndNoLink(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "a", "b"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a", "b", "key"), []byte("secret"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "top"), []byte("plain"), 0o600))
	outside := filepath.Join(t.TempDir(), "elsewhere")
	require.NoError(t, os.WriteFile(outside, []byte("not below dir"), 0o600))
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "link")))

	read := map[string]string{}
	filetest.EachFile(t, dir, func(path, text string) { read[path] = text })
	assert.Equal(t, map[string]string{
		filepath.Join(dir, "a", "b", "key"): "secret",
		filepath.Join(dir, "top"):           "plain",
	}, read)
}

func TestEndsAnswersTheReadsError(t *testing.T) {
	refused := errors.New("refused")
	assert.Equal(t, refused, filetest.Ends(t, "reading", func() error { return refused }))
}
