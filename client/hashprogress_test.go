package client

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHashProgressCountsEveryByte(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 250_000) // 2.4 MiB: three chunks
	file := filepath.Join(t.TempDir(), "data.bin")
	require.NoError(t, os.WriteFile(file, data, 0o600))

	var seen []HashProgress
	sum, err := SHA256File(file, WithHashProgress(func(p HashProgress) { seen = append(seen, p) }))
	require.NoError(t, err)
	assert.Equal(t, SHA256(data), sum, "progress changes nothing of the hash")
	require.Len(t, seen, 3)
	for i, p := range seen {
		assert.Equal(t, int64(len(data)), p.Total, "the file's size")
		if i > 0 {
			assert.Greater(t, p.Done, seen[i-1].Done)
		}
	}
	assert.Equal(t, int64(len(data)), seen[2].Done)

	// A reader of unknown size reports Total 0, unless told.
	seen = nil
	_, err = SHA256Reader(bytes.NewReader(data), WithHashProgress(func(p HashProgress) { seen = append(seen, p) }))
	require.NoError(t, err)
	assert.Equal(t, HashProgress{Done: int64(len(data))}, seen[len(seen)-1])
	seen = nil
	_, err = SHA256Reader(bytes.NewReader(data), WithHashTotal(7), WithHashProgress(func(p HashProgress) { seen = append(seen, p) }))
	require.NoError(t, err)
	assert.Equal(t, int64(7), seen[0].Total)
}
