package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// fakeClock returns a clock that advances by step at each reading.
func fakeClock(step time.Duration) func() time.Time {
	now := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	return func() time.Time {
		now = now.Add(step)
		return now
	}
}

func TestHashMeterShowsSizeRateAndTimeLeft(t *testing.T) {
	var b strings.Builder
	clock := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	m := newHashMeter(&b, "data.bin", false, func() time.Time { return clock }, ledgererr.English)
	const mib = 1 << 20
	step := func(after time.Duration, done int64) {
		clock = clock.Add(after)
		m.update(client.HashProgress{Done: done, Total: 8 * mib})
	}
	step(500*time.Millisecond, 1*mib) // within progressDelay: nothing yet
	assert.Empty(t, b.String())
	step(1500*time.Millisecond, 2*mib) // 2 s: 2 MiB of 8, 1 MiB/s, 6 s left
	assert.Equal(t, "hashing data.bin: 2.0 MiB of 8.0 MiB (25%), 1.0 MiB/s, 6s left\n", b.String())
	step(time.Second, 3*mib) // within progressLogEvery of the last line
	assert.Equal(t, 1, strings.Count(b.String(), "\n"))
	step(5*time.Second, 8*mib)
	m.finish()
	assert.Equal(t, "hashing data.bin: 2.0 MiB of 8.0 MiB (25%), 1.0 MiB/s, 6s left\n"+
		"hashing data.bin: 8.0 MiB of 8.0 MiB (100%), 1.0 MiB/s, 0s left\n"+
		"hashed data.bin: 8.0 MiB in 8s (1.0 MiB/s)\n", b.String())
}

func TestHashMeterRedrawsOneLineOnATerminal(t *testing.T) {
	var b strings.Builder
	m := newHashMeter(&b, "f", true, fakeClock(time.Second), ledgererr.English)
	m.update(client.HashProgress{Done: 512})
	m.update(client.HashProgress{Done: 1 << 30})
	m.finish()
	lines := strings.Split(b.String(), "\r\x1b[K")
	require.Len(t, lines, 4, "%q", b.String())
	assert.True(t, strings.HasPrefix(lines[1], "hashing f: 512 B, "), "no total, no percentage: %q", lines[1])
	assert.NotContains(t, lines[1], "left")
	assert.True(t, strings.HasPrefix(lines[2], "hashing f: 1.0 GiB, "), lines[2])
	assert.True(t, strings.HasPrefix(lines[3], "hashed f: 1.0 GiB in 3s"), lines[3])
	assert.True(t, strings.HasSuffix(b.String(), "\n"), "the terminal's next line starts clean")
	assert.Equal(t, 1, strings.Count(b.String(), "\n"))
}

func TestHashMeterInChinese(t *testing.T) {
	var b strings.Builder
	m := newHashMeter(&b, "数据.csv", false, fakeClock(2*time.Second), ledgererr.Chinese)
	m.update(client.HashProgress{Done: 4 << 20, Total: 8 << 20})
	m.finish()
	assert.Equal(t, "正在计算 数据.csv 的哈希：4.0 MiB / 8.0 MiB（50%），2.0 MiB/s，剩余 2s\n"+
		"已计算 数据.csv 的哈希：4.0 MiB，用时 4s（1.0 MiB/s）\n", b.String())
}

func TestHashMeterIsSilentForQuickHashes(t *testing.T) {
	var b strings.Builder
	m := newHashMeter(&b, "f", true, fakeClock(time.Millisecond), ledgererr.English)
	m.update(client.HashProgress{Done: 10, Total: 10})
	m.finish()
	assert.Empty(t, b.String())
}

// The meter goes to the standard error only, on a terminal or with
// --progress, never with -o json; the standard output stays the JSON answer.
func TestHashProgressOnlyWhereAsked(t *testing.T) {
	f := newFake(t, false)
	f.on("GET /v1/assets/a1/content-check", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 200, map[string]any{"assetId": "a1", "verified": true})
	})
	data := filepath.Join(t.TempDir(), "data.bin")
	content := make([]byte, 3<<20+5) // four chunks
	require.NoError(t, os.WriteFile(data, content, 0o600))
	args := []string{"--gateway", f.srv.URL, "--api-key", "k", "assets", "verify", "a1", "--content-file", data}
	for _, tc := range []struct {
		name     string
		terminal bool
		extra    []string
		want     bool
	}{
		{"not a terminal", false, nil, false},
		{"not a terminal, --progress", false, []string{"--progress"}, true},
		{"terminal", true, nil, true},
		{"terminal, -o table", true, []string{"-o", "table"}, true},
		{"terminal, -o json", true, []string{"-o", "json"}, false},
		{"terminal, --progress=false", true, []string{"--progress=false"}, false},
		{"-o json, --progress", false, []string{"-o", "json", "--progress"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cliWith(t, t.Context(), nil, func(a *app) {
				a.isTerminal = func(io.Writer) bool { return tc.terminal }
				a.now = fakeClock(time.Second)
			}, append(args, tc.extra...)...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, tc.want, strings.Contains(errOut, "hashing "+data+": "), errOut)
			assert.Equal(t, tc.want, strings.Contains(errOut, "hashed "+data+": 3.0 MiB in "), errOut)
			assert.NotContains(t, out, "hash", "the meter never goes to the standard output")
			if !strings.Contains(strings.Join(tc.extra, " "), "table") {
				var v map[string]any
				require.NoError(t, json.Unmarshal([]byte(out), &v), out)
			}
			assert.Equal(t, "contentHash="+client.SHA256(content), f.last().Query)
		})
	}
}
