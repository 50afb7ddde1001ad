//go:build e2e

package chaos_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/network/chaos"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

func TestMain(m *testing.M) {
	os.Exit(fabricnet.RunTests(m, nil))
}

// The short fault test of make test: every fault once, about two minutes.
// CHAOS_SEED picks another schedule.
func TestShortChaosRun(t *testing.T) {
	cfg, err := fabricnet.LoadConfig("")
	require.NoError(t, err)
	opts := chaos.DefaultOptions()
	opts.Duration, opts.Hold, opts.WorkersPerRegion, opts.OpTimeout = 60*time.Second, 5*time.Second, 2, 90*time.Second
	opts.Seed = 7
	if s := os.Getenv("CHAOS_SEED"); s != "" {
		opts.Seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
	}
	opts.Log = testWriter{t}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()

	rep, err := chaos.Run(ctx, cfg, opts)
	require.NoError(t, err)
	t.Log("\n" + rep.Summary())
	require.Empty(t, rep.Problems)
	require.True(t, rep.Valid)
	require.Zero(t, rep.Lost)
	require.Zero(t, rep.Duplicated)
	require.Greater(t, rep.Acknowledged, 20, "the clients must have made progress for the test to mean anything")
	require.Len(t, rep.Faults, 5, "every kind of fault once")
	for _, f := range rep.Faults {
		require.GreaterOrEqual(t, f.RecoverySeconds, 0.0, "%s", f.Fault)
	}
	require.Len(t, rep.Streams, len(cfg.Orgs))

	// The report on disk (kept in chaos-results/ like make chaos's): the
	// JSON's top level as documented.
	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(must(os.ReadFile(filepath.Join(rep.Dir, "report.json"))), &top))
	for _, k := range []string{"acknowledged", "lost", "duplicated", "faults"} {
		require.Contains(t, top, k)
	}
	require.Equal(t, strconv.Itoa(rep.Acknowledged), string(top["acknowledged"]))
	require.FileExists(t, filepath.Join(rep.Dir, "summary.txt"))
	history := must(os.ReadFile(filepath.Join(rep.Dir, "history.jsonl")))
	require.Equal(t, rep.Operations.Attempted+2*len(cfg.Orgs), strings.Count(string(history), "\n"),
		"every element and the start and end marks")
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p[:len(p)-1]))
	return len(p), nil
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
