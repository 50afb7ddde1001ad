package bench

import (
	"context"
	"fmt"
	"io"
	"time"

	fabricclient "github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/demo"
)

// loadChunk is how many registrations the loader runs between two progress
// lines.
const loadChunk = 2000

// loadID is the ID of the loader's n-th asset.
func loadID(n int) string { return fmt.Sprintf("growth-%07d", n) }

// StageDone receives a growth run's results each time a stage is measured:
// the stages so far, finished as of that stage.
type StageDone func(res *Results, stage *GrowthStage) error

// Growth measures GrowthPaths with the ledger at each size in turn: before
// each stage the loader fills the ledger up to that many assets. After each
// stage it passes the results so far to done (when not nil), so that a run
// cut short keeps the stages it measured.
func (e *Env) Growth(ctx context.Context, sizes []int, s Settings, loadInFlight int, progress io.Writer, done StageDone) (*Results, error) {
	if len(sizes) == 0 {
		return nil, fmt.Errorf("a growth run needs at least one ledger size")
	}
	res := e.newResults(s)
	fx, err := e.Setup(ctx, RunID(res.StartedAt), 1, progress) // no trades: one listing of each org
	if err != nil {
		return nil, fmt.Errorf("setting up the fixture: %w", err)
	}
	for _, size := range sizes {
		took, err := e.Load(ctx, size, loadInFlight, progress)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(progress, "== %d assets (loaded in %.0fs)\n", size, took.Seconds())
		// Each stage registers assets of its own: the IDs of the write
		// paths start with the run's ID, and a second stage under the same
		// one would apply for IDs the first took.
		staged := *fx
		staged.Run = fmt.Sprintf("%s-%d", fx.Run, size)
		figures, err := e.measure(ctx, e.GrowthPaths(&staged), s, progress)
		if err != nil {
			return nil, err
		}
		stage := &GrowthStage{Assets: size, LoadSeconds: took.Seconds(), Paths: figures}
		stage.Ratios, _ = ratios(figures)
		res.Growth = append(res.Growth, stage)
		res.MVCCConflicts += conflicts(figures)
		res.finish()
		if done != nil {
			if err := done(res, stage); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

// Load fills the ledger with registrations until the loader's assets
// growth-0000000 .. growth-<target-1> exist: asset n is applied by the
// holder of org n % 4 through that org's peer, inFlight at once. It finds
// where an earlier load stopped by looking the IDs up, so that loading to
// 10,000 after 1,000 registers 9,000. It returns how long loading took.
func (e *Env) Load(ctx context.Context, target, inFlight int, progress io.Writer) (time.Duration, error) {
	started := time.Now()
	have, err := e.loaded(ctx, target)
	if err != nil {
		return 0, err
	}
	if have >= target {
		return 0, nil
	}
	fmt.Fprintf(progress, "loading assets %d to %d, %d in flight\n", have, target, inFlight)
	orgs := e.orgs()
	apply := func(ctx context.Context, n int) Outcome {
		org := orgs[n%len(orgs)]
		out := e.submit(ctx, org, role, e.cfg.Chaincode, "assets:Apply", applyArgs(loadID(n), org)...)
		if code, ok := demo.CodeOf(out.Err); ok && code.Code == ledgererr.Conflict {
			out.Err = nil // registered by an earlier, interrupted load
		}
		return out
	}
	for first := have; first < target; first += loadChunk {
		n := min(loadChunk, target-first)
		b := runBatch(ctx, apply, first, n, inFlight, 2*time.Minute)
		failed := 0
		var last error
		for _, r := range b.results {
			if r.Err != nil {
				failed++
				last = r.Err
			}
		}
		done := first + n - have
		perSecond := float64(done) / time.Since(started).Seconds()
		fmt.Fprintf(progress, "loaded %d/%d (%.0f/s, %s left)\n", first+n, target, perSecond,
			(time.Duration(float64(target-first-n)/perSecond) * time.Second).Round(time.Second))
		if failed > n/100 {
			return 0, fmt.Errorf("%d of %d registrations failed, the last with: %w", failed, n, last)
		}
		if err := ctx.Err(); err != nil {
			return 0, err
		}
	}
	return time.Since(started), nil
}

// loaded returns how many of the loader's assets exist (at most limit),
// assuming an earlier load registered a prefix of them: a binary search on
// the smallest n whose asset is missing.
func (e *Env) loaded(ctx context.Context, limit int) (int, error) {
	_, contract, err := e.contract(e.orgs()[0], role, e.cfg.Chaincode)
	if err != nil {
		return 0, err
	}
	exists := func(n int) (bool, error) {
		_, err := contract.EvaluateWithContext(ctx, "assets:Get", fabricclient.WithArguments(loadID(n)))
		if code, ok := demo.CodeOf(err); ok && code.Code == ledgererr.NotFound {
			return false, nil
		}
		return err == nil, err
	}
	lo, hi := 0, limit // the answer is in [lo, hi]
	for lo < hi {
		mid := (lo + hi) / 2
		ok, err := exists(mid)
		if err != nil {
			return 0, fmt.Errorf("looking up %s: %w", loadID(mid), err)
		}
		if ok {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, nil
}
