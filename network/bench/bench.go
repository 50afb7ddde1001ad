package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/internal/loadavg"
)

// NetworkSettings are the keys of network/network.env that shape the
// network's speed, copied into the results.
var NetworkSettings = []string{"ORGS", "ENDORSEMENT_POLICY", "BFT_REQUEST_BATCH_MAX_INTERVAL", "BATCH_MAX_MESSAGE_COUNT",
	"PEER_GATEWAY_CONCURRENCY"}

// RunID names a run after its start time; every ID the run creates starts
// with it, so that runs never collide.
func RunID(t time.Time) string { return "b" + strconv.FormatInt(t.Unix(), 36) }

// Run creates the fixture, measures the paths named in only (every path of
// Paths when empty) and returns the results. Progress lines go to progress.
func (e *Env) Run(ctx context.Context, s Settings, only []string, progress io.Writer) (*Results, error) {
	res := e.newResults(s)
	fx, err := e.Setup(ctx, RunID(res.StartedAt), tradeListings(s.InFlight), progress)
	if err != nil {
		return nil, fmt.Errorf("setting up the fixture: %w", err)
	}
	paths, err := selectPaths(e.Paths(fx), only)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(paths, func(p Path) bool { return p.Name == PathMemberSigned }) {
		if err := e.OnboardSelfSigners(ctx, fx, selfSignersFor(s.InFlight), progress); err != nil {
			return nil, fmt.Errorf("setting up the fixture: %w", err)
		}
	}
	figures, err := e.measure(ctx, paths, s, progress)
	if err != nil {
		return nil, err
	}
	res.Paths = figures
	res.Ratios, res.RatioRounds = ratios(figures)
	res.MVCCConflicts = conflicts(figures)
	res.finish()
	return res, nil
}

func (e *Env) newResults(s Settings) *Results {
	network := map[string]string{}
	for _, k := range NetworkSettings {
		if v, ok := e.cfg.Values[k]; ok {
			network[strings.ToLower(k)] = v
		}
	}
	return &Results{StartedAt: time.Now().UTC(), Machine: thisMachine(), Network: network, Settings: s}
}

func (r *Results) finish() {
	r.FinishedAt = time.Now().UTC()
	r.Machine.LoadAverageEnd = loadavg.Read()
}

// measure runs paths in rounds, reading commit status through the first
// org's peer and the CPU time of the network's processes from /proc.
func (e *Env) measure(ctx context.Context, paths []Path, s Settings, progress io.Writer) ([]*Figures, error) {
	cpu, err := newProcessCPU(e.cfg)
	if err != nil {
		return nil, err
	}
	commits, err := newCommitReader(e.net, e.orgs()[0])
	if err != nil {
		return nil, err
	}
	defer commits.Close()
	return measure(ctx, commits, cpu, paths, s, progress)
}

// selectPaths returns the paths named in only, in that order; all of them
// when only is empty.
func selectPaths(paths []Path, only []string) ([]Path, error) {
	if len(only) == 0 {
		return paths, nil
	}
	var out []Path
	for _, name := range only {
		i := slices.IndexFunc(paths, func(p Path) bool { return p.Name == name })
		if i < 0 {
			names := make([]string, len(paths))
			for k, p := range paths {
				names[k] = p.Name
			}
			return nil, fmt.Errorf("no path %q (paths: %s)", name, strings.Join(names, ", "))
		}
		out = append(out, paths[i])
	}
	return out, nil
}

// Registrations measures n registrations of distinct assets (IDs run-d-0,
// run-d-1, ...) through fabric-gateway as the first org's holder, inFlight
// at once, in one round without warm-up, counted by commit status.
func (e *Env) Registrations(ctx context.Context, run string, n, inFlight int) (*Figures, error) {
	s := Settings{Writes: n, Reads: n, InFlight: inFlight, Rounds: 1, OpTimeout: 2 * time.Minute}
	p := Path{Name: PathDirect, Unit: "tx", Transactions: 1, Op: e.directApply(run, e.orgs()[0])}
	figures, err := e.measure(ctx, []Path{p}, s, io.Discard)
	if err != nil {
		return nil, err
	}
	return figures[0], nil
}
