package ctxsleep

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSleepWaitsTheDuration(t *testing.T) {
	start := time.Now()
	if err := Sleep(context.Background(), 30*time.Millisecond); err != nil {
		t.Fatalf("Sleep = %v, want nil", err)
	}
	if waited := time.Since(start); waited < 30*time.Millisecond {
		t.Fatalf("Sleep returned after %v, before the 30ms it was asked to wait", waited)
	}
}

func TestSleepStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	err := Sleep(ctx, time.Hour)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep = %v, want context.Canceled", err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Fatalf("Sleep waited %v after its context ended", waited)
	}
}

func TestSleepOnAnEndedContextReturnsAtOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Sleep = %v, want context.DeadlineExceeded", err)
	}
}

func TestUntilTriesAgainAfterEachFailure(t *testing.T) {
	tries := 0
	if !Until(context.Background(), time.Millisecond, func() bool { tries++; return tries == 3 }) {
		t.Fatal("Until = false, want true: it succeeded before the context ended")
	}
	if tries != 3 {
		t.Fatalf("tried %d times, want 3", tries)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Until(ctx, time.Hour, func() bool { return false }) {
		t.Fatal("Until = true after its context ended without success")
	}
}

func TestEveryRunsRoundsUntilTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	rounds := 0
	Every(ctx, time.Millisecond, func() {
		rounds++
		if rounds == 3 {
			cancel()
		}
	})
	if rounds != 3 {
		t.Fatalf("ran %d rounds, want 3: none after its context ended", rounds)
	}
}
