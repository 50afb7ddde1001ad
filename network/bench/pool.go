package bench

import (
	"context"
	"sync"
	"time"
)

// opResult is one operation's outcome and how long it took.
type opResult struct {
	Outcome
	latency time.Duration
}

// batch is one closed-loop run of a path's operations.
type batch struct {
	results []opResult
	elapsed time.Duration
}

// runBatch runs op for first..first+n-1 with inFlight operations at once: a
// closed loop, each worker starting its next operation as soon as its last
// one ended. Each operation gets its own bound of opTimeout.
func runBatch(ctx context.Context, op Op, first, n, inFlight int, opTimeout time.Duration) batch {
	if inFlight > n {
		inFlight = n
	}
	b := batch{results: make([]opResult, n)}
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range inFlight {
		wg.Go(func() {
			for k := range next {
				opCtx, cancel := context.WithTimeout(ctx, opTimeout)
				began := time.Now()
				out := op(opCtx, first+k)
				b.results[k] = opResult{Outcome: out, latency: time.Since(began)}
				cancel()
			}
		})
	}
	for k := range n {
		next <- k
	}
	close(next)
	wg.Wait()
	b.elapsed = time.Since(start)
	return b
}

// txIDs returns every transaction the batch's operations submitted.
func (b batch) txIDs() []string {
	var ids []string
	for _, r := range b.results {
		ids = append(ids, r.TxIDs...)
	}
	return ids
}
