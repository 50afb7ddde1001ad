// Package ctxsleep is the one wait that gives way to its context: the
// gateway's background workers between rounds, the SDK between retries and the chaos
// nemesis between faults all stop waiting when they are told to stop.
package ctxsleep

import (
	"context"
	"time"
)

// Sleep waits d, or until ctx ends; it returns ctx.Err() if ctx ended first
// and nil otherwise. Unlike time.After its timer is stopped when ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Until calls try until it reports done, sleeping d after each call that did not, and reports whether it did before
// ctx ended.
func Until(ctx context.Context, d time.Duration, try func() bool) bool {
	for !try() {
		if Sleep(ctx, d) != nil {
			return false
		}
	}
	return true
}

// Every calls round, then sleeps d, until ctx ends: the rounds of a background worker.
func Every(ctx context.Context, d time.Duration, round func()) {
	for {
		round()
		if Sleep(ctx, d) != nil {
			return
		}
	}
}
