//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/network/bench"
)

// Registering 1,000 different assets concurrently must not produce a single
// MVCC read conflict: no key is written by every registration. Each is
// counted by its validation code in the blocks.
func TestConcurrentRegistrationsDoNotConflict(t *testing.T) {
	env := bench.Open(testNet.Config())
	defer env.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	f, err := env.Registrations(ctx, id("concurrent"), 1000, 50)
	require.NoError(t, err)
	t.Logf("%d registrations, 50 in flight: %.1f/s, p99 %.0f ms, failures %v", f.Attempted, f.PerSecond, f.Latency.P99, f.Failures)
	assert.Equal(t, 1000, f.Succeeded, "every registration must commit valid: %v, e.g. %v", f.Failures, f.Examples)
	assert.Zero(t, f.Failures["MVCC_READ_CONFLICT"])
}
