package bench

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/deltaledger/deltaledger/internal/loadavg"
)

// Settings shape a run: the same closed loop for every path.
type Settings struct {
	// Writes is the number of operations of each path that writes, over
	// all rounds.
	Writes int `json:"writes"`
	// Reads is the number of operations of each read path.
	Reads int `json:"reads"`
	// InFlight is the number of operations in flight at once.
	InFlight int `json:"in_flight"`
	// Rounds is the number of rounds; each runs every path once, in an
	// order rotated from round to round.
	Rounds int `json:"rounds"`
	// Warmup is the number of operations of each path run before the first
	// round and not counted (connections, caches, the peers' JIT of
	// endorsement plans).
	Warmup int `json:"warmup"`
	// OpTimeout bounds one operation.
	OpTimeout time.Duration `json:"-"`
}

// Check reports settings that cannot make a run.
func (s Settings) Check() error {
	switch {
	case s.Rounds < 1:
		return fmt.Errorf("rounds must be at least 1, got %d", s.Rounds)
	case s.Writes < s.Rounds || s.Reads < s.Rounds:
		return fmt.Errorf("writes (%d) and reads (%d) must be at least one per round (%d)", s.Writes, s.Reads, s.Rounds)
	case s.InFlight < 1:
		return fmt.Errorf("in flight must be at least 1, got %d", s.InFlight)
	case s.Warmup < 0:
		return fmt.Errorf("warm-up must not be negative, got %d", s.Warmup)
	case s.OpTimeout <= 0:
		return fmt.Errorf("the operation timeout must be positive")
	}
	return nil
}

// share is round r's part of total operations: equal parts, the remainder
// spread over the first rounds.
func share(total, rounds, r int) int {
	n := total / rounds
	if r < total%rounds {
		n++
	}
	return n
}

// commitSource tells which transactions the blocks hold (commitReader reads
// them from a peer).
type commitSource interface {
	height(ctx context.Context) (uint64, error)
	codes(ctx context.Context, from uint64) (map[string]string, error)
}

// measure runs the warm-up, then the rounds, and returns each path's
// figures in the order of paths. Progress lines go to progress.
func measure(ctx context.Context, commits commitSource, cpu cpuMeter, paths []Path, s Settings, progress io.Writer) ([]*Figures, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	figures := make([]*Figures, len(paths))
	next := make([]int, len(paths)) // each path's next operation index
	for i, p := range paths {
		figures[i] = newFigures(p)
		if s.Warmup > 0 {
			w := runBatch(ctx, p.Op, 0, s.Warmup, s.InFlight, s.OpTimeout)
			fmt.Fprintf(progress, "warm-up %-18s %d %s in %.1fs\n", p.Name, s.Warmup, p.Unit, w.elapsed.Seconds())
		}
		next[i] = s.Warmup
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	for r := range s.Rounds {
		for k := range paths {
			i := (k + r) % len(paths)
			p := paths[i]
			total := s.Writes
			if p.Read {
				total = s.Reads
			}
			n := share(total, s.Rounds, r)
			var from uint64
			if p.Transactions > 0 {
				h, err := commits.height(ctx)
				if err != nil {
					return nil, err
				}
				from = h
			}
			before := cpu.read()
			b := runBatch(ctx, p.Op, next[i], n, s.InFlight, s.OpTimeout)
			used := cpu.read().since(before)
			next[i] += n
			codes := map[string]string{}
			if p.Transactions > 0 {
				var err error
				if codes, err = commits.codes(ctx, from); err != nil {
					return nil, fmt.Errorf("reading the commit status of %s: %w", p.Name, err)
				}
			}
			figures[i].add(b, codes, loadavg.Read()[0], used)
			f := figures[i]
			fmt.Fprintf(progress, "round %d/%d %-18s %5d %-6s %8.1f/s  p99 %6.0f ms  load %.1f  cpu %.2f ms/op  %s\n", r+1, s.Rounds, p.Name, n, p.Unit,
				f.RoundPerSecond[r], f.RoundP99[r], loadavg.Read()[0], perOp(used.total(), n), failureList(f))
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	return figures, nil
}
