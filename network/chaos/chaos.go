// Package chaos is DeltaLedger's fault test, checked the way Jepsen checks a
// database with its set workload.
//
// Clients of every region add elements to a set: each element is an asset
// registration (assets:Apply) submitted through the region's own REST
// gateway with an Idempotency-Key, retried by the client with the same key
// until it gets an answer. Meanwhile a nemesis, on a schedule drawn from a
// seed, kills -9 and restarts one ordering node, one peer, one gateway and
// one chaincode service, and cuts one region off from the others and lets
// it back (scripts/node.sh). Afterwards the checker reads the ledger through
// every region's gateway and asserts:
//
//   - every element acknowledged with a 2xx is committed exactly once
//     (present in every region's state, one AssetApplied event);
//   - nothing committed was reported failed without a later resolution;
//   - every gateway's event stream, followed live through the faults and
//     read again afterwards, and its market index reached the same final
//     block with no gap and no duplicate;
//   - service resumed within a stated time after each heal.
//
// Run writes a report (report.json, summary.txt, history.jsonl) under
// chaos-results/.
package chaos

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// Options describe one run.
type Options struct {
	// Duration is how long the clients submit; the run goes on until the
	// nemesis has injected, healed and waited out every fault.
	Duration time.Duration
	// Seed draws the fault schedule: the order of the faults, their targets
	// and how long each lasts. The same seed gives the same schedule.
	Seed uint64
	// Schedule, when set, is the run's faults instead of the drawn ones
	// (e.g. a region joining, AddRegion).
	Schedule Schedule
	// WorkersPerRegion is the number of clients of each region, each with
	// one submit in flight.
	WorkersPerRegion int
	// Hold is how long a fault lasts before it is healed, on average (each
	// draws between 3/4 and 5/4 of it).
	Hold time.Duration
	// RecoveryBound is the stated time within which service must resume
	// after each heal.
	RecoveryBound time.Duration
	// OpTimeout bounds one element's submit with all its retries; an
	// element still unanswered then is indeterminate.
	OpTimeout time.Duration
	// ResultsDir is where the report is written (a new directory per run);
	// a relative path is taken from the repository root.
	ResultsDir string
	// Log receives progress lines.
	Log io.Writer
}

// DefaultOptions are the long run's (make chaos).
func DefaultOptions() Options {
	return Options{
		Duration:         5 * time.Minute,
		Seed:             1,
		WorkersPerRegion: 3,
		Hold:             20 * time.Second,
		RecoveryBound:    90 * time.Second,
		OpTimeout:        2 * time.Minute,
		ResultsDir:       "chaos-results",
		Log:              io.Discard,
	}
}

// region is one region's gateway as the demo members use it.
type region struct {
	Key       string
	Holder    *client.Client // submits the elements (the region's holder)
	Regulator *client.Client // reads every event
	HolderID  string         // the holder's participant ID
}

// Run runs the test against the running network of cfg and returns its
// report, which is also written under opts.ResultsDir. The error is about
// running the test (the network was not reachable); the verdict is in
// Report.Valid.
func Run(ctx context.Context, cfg *fabricnet.Config, opts Options) (*Report, error) {
	logf := func(format string, args ...any) {
		fmt.Fprintf(opts.Log, "%s chaos: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
	net := fabricnet.New(cfg)
	defer net.Close()
	if err := demo.RegisterParticipants(ctx, net, io.Discard); err != nil {
		return nil, fmt.Errorf("registering the demo participants: %w", err)
	}
	regions, err := openRegions(cfg)
	if err != nil {
		return nil, err
	}
	started := time.Now().UTC()
	run := fmt.Sprintf("chaos%d", started.Unix())
	schedule := opts.Schedule
	if schedule == nil {
		schedule = NewSchedule(opts.Seed, regions)
	}
	logf("run %s, seed %d: %d workers per region for %s; faults: %s", run, opts.Seed, opts.WorkersPerRegion,
		opts.Duration, schedule)

	// A first element per region marks where the run starts on the ledger.
	w := newWorkload(run, regions, opts)
	startBlock, err := w.fences(ctx, "start")
	if err != nil {
		return nil, fmt.Errorf("the network does not take registrations before the faults: %w", err)
	}
	logf("first block of the run: %d", startBlock)

	streamCtx, stopStreams := context.WithCancel(ctx)
	defer stopStreams()
	live := make([]*stream, len(regions))
	for i, r := range regions {
		live[i] = follow(streamCtx, r, startBlock)
	}

	var wg sync.WaitGroup
	workCtx, stopWork := context.WithCancel(ctx)
	defer stopWork()
	wg.Go(func() { w.run(workCtx) })
	nemesis := &Nemesis{Root: cfg.Root, Sites: cfg.Sites, Latency: cfg.Values["SITES_LATENCY"], Regions: regionKeys(regions), Log: logf, Progress: w.progress,
		Bound: opts.RecoveryBound}
	faults := nemesis.Run(ctx, schedule, opts.Hold, opts.Duration)
	w.stopAfter(opts.Duration)
	wg.Wait()
	logf("workload done: %d elements submitted", len(w.history()))

	// Everything healed and running, even when the run was interrupted
	// (hence a context of its own), then one last element per region marks
	// the end: the reads below go up to it.
	healCtx, cancelHeal := context.WithTimeout(context.WithoutCancel(ctx), healTimeout)
	defer cancelHeal()
	if err := nemesis.HealAll(healCtx); err != nil {
		return nil, err
	}
	if _, err := w.fences(ctx, "end"); err != nil {
		return nil, fmt.Errorf("the network does not take registrations after the faults: %w", err)
	}
	rep := check(ctx, run, regions, w, live, startBlock, logf)
	stopStreams()
	rep.Seed, rep.Started, rep.Finished = opts.Seed, started, time.Now().UTC()
	rep.Mode = nemesis.Mode()
	rep.WorkersPerRegion, rep.RecoveryBoundSeconds = opts.WorkersPerRegion, opts.RecoveryBound.Seconds()
	rep.Faults = faults
	rep.judgeRecovery(opts.RecoveryBound)
	results := opts.ResultsDir
	if !filepath.IsAbs(results) {
		results = filepath.Join(cfg.Root, results)
	}
	if rep.Dir, err = rep.Write(results, w.history()); err != nil {
		return rep, err
	}
	logf("report written to %s", rep.Dir)
	return rep, nil
}

// openRegions reads the gateways' URLs, CAs and the demo members' API keys
// that make up wrote to demo-keys.env.
func openRegions(cfg *fabricnet.Config) ([]*region, error) {
	file := cfg.DemoKeysFile()
	vars, err := cfg.DemoKeys()
	if err != nil {
		return nil, err
	}
	var out []*region
	for _, o := range cfg.Orgs {
		prefix := strings.ToUpper(o.Key) + "_"
		url, ca := vars[prefix+"GW"], vars[prefix+"CA"]
		if url == "" || ca == "" {
			return nil, fmt.Errorf("%s has no %sGW or %sCA", file, prefix, prefix)
		}
		connect := func(role string) (*client.Client, error) {
			key := vars[prefix+strings.ToUpper(role)+"_KEY"]
			if key == "" {
				return nil, fmt.Errorf("%s has no %s%s_KEY", file, prefix, strings.ToUpper(role))
			}
			// The test retries by itself, with the same idempotency key, to
			// see and record every failure.
			return client.New(url, client.WithAPIKey(key), client.WithCAFile(ca),
				client.WithTimeout(requestTimeout), client.WithRetries(0, 0, 0))
		}
		holder, err := connect("holder")
		if err != nil {
			return nil, err
		}
		regulator, err := connect("regulator")
		if err != nil {
			return nil, err
		}
		out = append(out, &region{Key: o.Key, Holder: holder, Regulator: regulator,
			HolderID: demo.ParticipantID(o.Key, "holder")})
	}
	if len(out) == 0 {
		return nil, errors.New("network.env names no organisation")
	}
	return out, nil
}

// healTimeout bounds the restarts and resumptions after the faults.
const healTimeout = 3 * time.Minute

// requestTimeout bounds one HTTP request: a submit answers once committed,
// which takes longer while the ordering service changes its leader.
const requestTimeout = 30 * time.Second

func regionKeys(regions []*region) []string {
	keys := make([]string, len(regions))
	for i, r := range regions {
		keys[i] = r.Key
	}
	return keys
}

// contentHash is an element's content hash: the chaincode registers a
// content hash once, so each element has its own.
func contentHash(id string) string {
	sum := sha256.Sum256([]byte("chaos element " + id))
	return hex.EncodeToString(sum[:])
}
