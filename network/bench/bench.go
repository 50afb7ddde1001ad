// Package bench measures the ledger on the running network through the
// fabric-gateway client API: many transactions in flight at once, each
// endorsed, submitted and awaited asynchronously, with their validation codes
// counted. A conflict-free design shows as every transaction VALID; an MVCC
// read conflict means two transactions touched the same key.
package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/network/demo"
)

// Report is the outcome of one run.
type Report struct {
	Name        string
	Submitted   int
	InFlight    int
	Elapsed     time.Duration
	Codes       map[string]int // validation code (or OK for a query) -> count; ERROR for failures before commit
	Latencies   []time.Duration
	FirstErrors []string
}

// Succeeded is the number of transactions committed as valid, or of
// queries answered.
func (r *Report) Succeeded() int { return r.Codes["VALID"] + r.Codes["OK"] }

// Percentile returns the p-th percentile (0..100) of the latencies.
func (r *Report) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.Latencies)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

// Print writes the figures of the run.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%s: %d calls, %d in flight, %.1fs, %.1f/s succeeded\n",
		r.Name, r.Submitted, r.InFlight, r.Elapsed.Seconds(), float64(r.Succeeded())/r.Elapsed.Seconds())
	fmt.Fprintf(w, "  latency p50 %s  p95 %s  p99 %s  max %s\n",
		r.Percentile(50).Round(time.Millisecond), r.Percentile(95).Round(time.Millisecond),
		r.Percentile(99).Round(time.Millisecond), r.Percentile(100).Round(time.Millisecond))
	codes := make([]string, 0, len(r.Codes))
	for c := range r.Codes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		fmt.Fprintf(w, "  %-28s %d\n", c, r.Codes[c])
	}
	for _, e := range r.FirstErrors {
		fmt.Fprintf(w, "  error: %s\n", e)
	}
}

// Call builds the i-th transaction of a run: function and arguments.
type Call func(i int) (function string, args []string)

// Run submits n transactions built by call as member, at most inFlight at
// once, and waits for each commit status.
func Run(ctx context.Context, name string, member *demo.Member, n, inFlight int, call Call) *Report {
	return runPool(name, n, inFlight, func(i int) (string, error) {
		fn, args := call(i)
		_, st, err := member.SubmitStatus(ctx, fn, args)
		if err != nil {
			return "ERROR", err
		}
		return st.Code.String(), nil
	})
}

// RunEvaluate evaluates n queries built by call, at most inFlight at once.
func RunEvaluate(ctx context.Context, name string, member *demo.Member, n, inFlight int, call Call) *Report {
	return runPool(name, n, inFlight, func(i int) (string, error) {
		fn, args := call(i)
		if _, err := member.Evaluate(ctx, fn, args); err != nil {
			return "ERROR", err
		}
		return "OK", nil
	})
}

// runPool runs do for 0..n-1 on inFlight workers and records each outcome.
func runPool(name string, n, inFlight int, do func(i int) (string, error)) *Report {
	r := &Report{Name: name, Submitted: n, InFlight: inFlight, Codes: map[string]int{}}
	var mu sync.Mutex
	work := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < inFlight; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				began := time.Now()
				code, err := do(i)
				latency := time.Since(began)
				mu.Lock()
				r.Codes[code]++
				if err == nil {
					r.Latencies = append(r.Latencies, latency)
				} else if len(r.FirstErrors) < 3 {
					r.FirstErrors = append(r.FirstErrors, err.Error())
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	r.Elapsed = time.Since(start)
	return r
}
