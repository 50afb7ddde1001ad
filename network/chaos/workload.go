package chaos

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/client"
)

// Outcome is what the client finally knows about an element.
type Outcome string

// The outcomes of an element's submit.
const (
	// Acknowledged: the gateway answered 2xx (on some attempt).
	Acknowledged Outcome = "acknowledged"
	// Resolved: an attempt was answered with a failure that can follow an
	// earlier attempt's commit (409: the ID exists, or the transaction lost
	// an MVCC race against it); reading the element back found it committed
	// with this element's content, which resolves the failure report.
	Resolved Outcome = "resolved"
	// Failed: refused for good, and not found on the ledger by the client.
	Failed Outcome = "failed"
	// Indeterminate: no final answer within the element's time.
	Indeterminate Outcome = "indeterminate"
)

// Op is one element of the set: its submit, as the client saw it.
type Op struct {
	ID            string    `json:"id"`
	Region        string    `json:"region"`
	Worker        int       `json:"worker"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	Attempts      int       `json:"attempts"`
	Outcome       Outcome   `json:"outcome"`
	Replayed      bool      `json:"replayed,omitempty"`
	TransactionID string    `json:"transaction_id,omitempty"`
	BlockNumber   uint64    `json:"block_number,omitempty"`
	// Errors are the failed attempts' errors, in order.
	Errors []string `json:"errors,omitempty"`
	// Fence marks the elements that mark the run's start and end.
	Fence bool `json:"fence,omitempty"`
}

// acked reports whether the client holds the element for committed.
func (o *Op) acked() bool { return o.Outcome == Acknowledged || o.Outcome == Resolved }

// workload runs the clients and keeps the history.
type workload struct {
	runID   string
	regions []*region
	opts    Options

	mu       sync.Mutex
	ops      []*Op
	deadline time.Time // no element starts after it; zero until stopAfter
	began    time.Time
}

func newWorkload(run string, regions []*region, opts Options) *workload {
	return &workload{runID: run, regions: regions, opts: opts, began: time.Now()}
}

// run starts the workers and returns when they have all stopped: ctx ended,
// or the deadline set by stopAfter passed and their last elements ended.
func (w *workload) run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, r := range w.regions {
		for n := range w.opts.WorkersPerRegion {
			wg.Go(func() {
				for seq := 1; ; seq++ {
					if ctx.Err() != nil || w.over() {
						return
					}
					w.add(ctx, r, n, fmt.Sprintf("%s-%s-%d-%d", w.runID, r.Key, n, seq), false)
				}
			})
		}
	}
	wg.Wait()
}

// stopAfter lets no element start later than d after the workload began
// (nor now, if that is already past).
func (w *workload) stopAfter(d time.Duration) {
	w.mu.Lock()
	w.deadline = w.began.Add(d)
	if now := time.Now(); w.deadline.Before(now) {
		w.deadline = now
	}
	w.mu.Unlock()
}

func (w *workload) over() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.deadline.IsZero() && time.Now().After(w.deadline)
}

// fences adds one element per region, concurrently, and returns the
// smallest block they were committed in; all must be acknowledged.
func (w *workload) fences(ctx context.Context, name string) (uint64, error) {
	ops := make([]*Op, len(w.regions))
	var wg sync.WaitGroup
	for i, r := range w.regions {
		wg.Go(func() {
			ops[i] = w.add(ctx, r, -1, fmt.Sprintf("%s-%s-%s", w.runID, name, r.Key), true)
		})
	}
	wg.Wait()
	var first uint64
	for _, op := range ops {
		if !op.acked() {
			return 0, fmt.Errorf("%s: %s after %d attempts: %v", op.ID, op.Outcome, op.Attempts, op.Errors)
		}
		if first == 0 || (op.BlockNumber > 0 && op.BlockNumber < first) {
			first = op.BlockNumber
		}
	}
	return first, nil
}

// add submits one element through r's gateway until it has a final answer
// or OpTimeout passes, and records it.
func (w *workload) add(ctx context.Context, r *region, worker int, id string, fence bool) *Op {
	op := &Op{ID: id, Region: r.Key, Worker: worker, Start: time.Now(), Fence: fence}
	defer func() {
		op.End = time.Now()
		w.mu.Lock()
		w.ops = append(w.ops, op)
		w.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(ctx, w.opts.OpTimeout)
	defer cancel()
	req := client.ApplyRequest{ID: id, Name: "Chaos test element " + id, Category: "chaos-test",
		SourceRegion: r.Key, Description: "An element of the fault test's set (network/chaos)", ContentHash: contentHash(id)}
	key := "chaos-" + id
	backoff := 250 * time.Millisecond
	for {
		op.Attempts++
		res, err := r.Holder.Assets().Apply(ctx, req, client.WithIdempotencyKey(key))
		if err == nil {
			op.Outcome, op.Replayed = Acknowledged, res.Replayed
			op.TransactionID, op.BlockNumber = res.TransactionID, res.BlockNumber
			return op
		}
		op.Errors = append(op.Errors, err.Error())
		if final(err) {
			// A refusal (409: the ID exists) or an invalid commit (an MVCC
			// race) can be the trace of an earlier attempt that committed.
			if op.Attempts > 1 && w.resolve(ctx, r, op) {
				return op
			}
			op.Outcome = Failed
			return op
		}
		select {
		case <-ctx.Done():
			op.Outcome = Indeterminate
			return op
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 4*time.Second)
	}
}

// final reports whether an attempt's error is an answer that a retry with
// the same key would only repeat: the chaincode's or the gateway's refusal
// (4xx other than 408 and 429), or a commit as invalid. Everything else (no
// connection, 5xx, timeouts, an unknown outcome) is retried.
func final(err error) bool {
	var e *client.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code == client.CodeCommitFailed || (e.Status >= 400 && e.Status < 500 && e.Status != 408 && e.Status != 429)
}

// resolve reads the element back through its region's gateway: committed
// with its own content hash means an earlier attempt made it.
func (w *workload) resolve(ctx context.Context, r *region, op *Op) bool {
	for {
		a, err := r.Holder.Assets().Get(ctx, op.ID)
		switch {
		case err == nil:
			if a.ContentHash != contentHash(op.ID) || a.ApplicantID != r.HolderID {
				return false
			}
			op.Outcome = Resolved
			return true
		case client.IsNotFound(err):
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(time.Second):
		}
	}
}

// progress returns, for each region, the earliest end of an acknowledged
// element that started at or after since (zero while there is none).
func (w *workload) progress(since time.Time) map[string]time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]time.Time{}
	for _, op := range w.ops {
		if op.Fence || !op.acked() || op.Start.Before(since) {
			continue
		}
		if t, ok := out[op.Region]; !ok || op.End.Before(t) {
			out[op.Region] = op.End
		}
	}
	return out
}

// history returns every element, in the order they started.
func (w *workload) history() []*Op {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := append([]*Op(nil), w.ops...)
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}
