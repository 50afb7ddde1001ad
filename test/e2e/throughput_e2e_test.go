//go:build e2e

package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/network/bench"
)

// Registering 1,000 different assets concurrently must not produce a single
// MVCC read conflict: no key is written by every registration.
func TestConcurrentRegistrationsDoNotConflict(t *testing.T) {
	holder := member(t, "shanghai", "holder")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	report := bench.Run(ctx, "concurrent assets:Apply", holder, 1000, 50, bench.ApplyCall(id("concurrent")))
	report.Print(os.Stderr)
	assert.Equal(t, 1000, report.Codes["VALID"], "every registration must commit valid: %v", report.Codes)
	assert.Zero(t, report.Codes["MVCC_READ_CONFLICT"])
}
