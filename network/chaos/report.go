package chaos

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Report is a run's result: report.json has this shape.
type Report struct {
	// Acknowledged counts the elements the clients hold for committed: a
	// 2xx answer, or a failure report resolved by reading them back.
	Acknowledged int `json:"acknowledged"`
	// Lost counts acknowledged elements missing from the ledger (from any
	// region's state, or without an application in the event stream).
	Lost int `json:"lost"`
	// Duplicated counts elements applied more than once.
	Duplicated int `json:"duplicated"`
	// Faults are the faults injected, with the time to recover from each.
	Faults []Injected `json:"faults"`
	// Valid is the verdict: no problem found.
	Valid bool `json:"valid"`
	// Problems describes every violation found.
	Problems []string `json:"problems"`
	// Dir is the directory Run wrote the report to.
	Dir string `json:"-"`

	Run                  string        `json:"run"`
	Seed                 uint64        `json:"seed"`
	Mode                 string        `json:"mode"`
	Started              time.Time     `json:"started"`
	Finished             time.Time     `json:"finished"`
	WorkersPerRegion     int           `json:"workers_per_region"`
	RecoveryBoundSeconds float64       `json:"recovery_bound_seconds"`
	StartBlock           uint64        `json:"start_block"`
	FinalBlock           uint64        `json:"final_block"`
	Operations           OpCounts      `json:"operations"`
	Streams              []StreamCheck `json:"streams"`
}

// OpCounts details the elements' outcomes.
type OpCounts struct {
	Attempted int `json:"attempted"`
	// Resolved are acknowledged after a failure report (see Resolved).
	Resolved int `json:"acknowledged_after_resolution"`
	// Failed were refused for good and not found by the client.
	Failed int `json:"failed"`
	// FailedButCommitted were reported failed and are on the ledger: each is
	// a violation.
	FailedButCommitted int `json:"failed_but_committed"`
	// Indeterminate got no final answer; either way is allowed for them.
	Indeterminate          int `json:"indeterminate"`
	IndeterminateCommitted int `json:"indeterminate_committed"`
	// Attempts counts every HTTP submit, retries included.
	Attempts int `json:"attempts"`
	// Replayed counts acknowledgements answered from the gateway's
	// idempotency store.
	Replayed  int     `json:"replayed"`
	PerSecond float64 `json:"acknowledged_per_second"`
}

// StreamCheck is what one region's gateway showed of the run.
type StreamCheck struct {
	Region string `json:"region"`
	// Events is the number of events of the stream read again after the
	// run, from the start block to the end.
	Events int `json:"events"`
	// LiveEvents is the number the stream followed through the faults had.
	LiveEvents int `json:"live_events"`
	// Gaps and Duplicates count events of the stream read again that the
	// live one missed, and events the live one had more than once.
	Gaps       int    `json:"gaps"`
	Duplicates int    `json:"duplicates"`
	Reconnects int    `json:"reconnects"`
	FinalBlock uint64 `json:"final_block"`
	// IndexedBlock is the block the gateway's market index reached.
	IndexedBlock uint64 `json:"indexed_block"`
	// SameAsOthers: the same events, in the same order, as the first
	// region's stream.
	SameAsOthers bool `json:"same_as_others"`
}

// judgeRecovery adds a problem for each fault not recovered from within
// bound, or not carried out, and sets the verdict.
func (r *Report) judgeRecovery(bound time.Duration) {
	for _, f := range r.Faults {
		switch {
		case f.Error != "":
			r.Problems = append(r.Problems, fmt.Sprintf("fault %s: %s", f.Fault, f.Error))
		case f.RecoverySeconds < 0 || f.RecoverySeconds > bound.Seconds():
			r.Problems = append(r.Problems, fmt.Sprintf("no service within %s after healing %s (no acknowledgement in %s)",
				bound, f.Fault, strings.Join(f.Unrecovered, ", ")))
		}
	}
	r.Valid = len(r.Problems) == 0
	if r.Problems == nil {
		r.Problems = []string{}
	}
}

// Write writes report.json, summary.txt and history.jsonl (one element per
// line) into a new directory under dir and returns it.
func (r *Report) Write(dir string, history []*Op) (string, error) {
	out := filepath.Join(dir, r.Started.Format("20060102T150405Z")+fmt.Sprintf("-seed%d", r.Seed))
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(out, "report.json"), append(b, '\n'), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(out, "summary.txt"), []byte(r.Summary()), 0o644); err != nil {
		return "", err
	}
	f, err := os.Create(filepath.Join(out, "history.jsonl"))
	if err != nil {
		return "", err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, op := range history {
		if err := enc.Encode(op); err != nil {
			f.Close()
			return "", err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	return out, f.Close()
}

// Summary is the report for people.
func (r *Report) Summary() string {
	var b strings.Builder
	verdict := "VALID"
	if !r.Valid {
		verdict = "INVALID"
	}
	fmt.Fprintf(&b, "DeltaLedger fault test %s: %s\n", r.Run, verdict)
	fmt.Fprintf(&b, "seed %d, %s, %d clients per region, %s to %s (%s), blocks %d to %d\n\n", r.Seed, r.Mode,
		r.WorkersPerRegion, r.Started.Format(time.RFC3339), r.Finished.Format(time.RFC3339),
		r.Finished.Sub(r.Started).Round(time.Second), r.StartBlock, r.FinalBlock)
	o := r.Operations
	fmt.Fprintf(&b, "elements: %d submitted (%d HTTP attempts), %d acknowledged (%d of them after resolving a failure report, %d replayed by the idempotency store), %.1f acknowledged/s\n",
		o.Attempted, o.Attempts, r.Acknowledged, o.Resolved, o.Replayed, o.PerSecond)
	fmt.Fprintf(&b, "          %d failed (%d of them committed nonetheless), %d indeterminate (%d of them committed)\n",
		o.Failed, o.FailedButCommitted, o.Indeterminate, o.IndeterminateCommitted)
	fmt.Fprintf(&b, "lost: %d   duplicated: %d\n\n", r.Lost, r.Duplicated)
	fmt.Fprintf(&b, "faults (service must resume within %.0fs of each heal):\n", r.RecoveryBoundSeconds)
	for _, f := range r.Faults {
		rec := "NOT recovered"
		if f.RecoverySeconds >= 0 {
			rec = fmt.Sprintf("recovered %.1fs after the heal", f.RecoverySeconds)
		}
		fmt.Fprintf(&b, "  %-28s at %s, held %4.1fs, %s%s\n", f.Fault, f.InjectedAt.Format("15:04:05"),
			f.HealedAt.Sub(f.InjectedAt).Seconds(), rec, errSuffix(f.Error))
	}
	fmt.Fprintf(&b, "\nstreams and indexes (events from block %d to %d):\n", r.StartBlock, r.FinalBlock)
	for _, s := range r.Streams {
		fmt.Fprintf(&b, "  %-10s %5d events, live %5d (%d missing, %d repeated, %d reconnects), final block %d, index at %d, same as the others: %t\n",
			s.Region, s.Events, s.LiveEvents, s.Gaps, s.Duplicates, s.Reconnects, s.FinalBlock, s.IndexedBlock, s.SameAsOthers)
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(&b, "\nproblems:\n")
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "  - %s\n", p)
		}
	}
	return b.String()
}

func errSuffix(e string) string {
	if e == "" {
		return ""
	}
	return " (" + e + ")"
}
