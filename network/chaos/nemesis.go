package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/internal/ctxsleep"
)

// Kind is a kind of fault.
type Kind string

// The faults of a run, each injected once.
const (
	KillOrderer   Kind = "kill-orderer"
	KillPeer      Kind = "kill-peer"
	KillGateway   Kind = "kill-gateway"
	KillChaincode Kind = "kill-chaincode"
	// Isolate cuts one region off from the others (all its processes on
	// one host: they are paused) and then lets it back.
	Isolate Kind = "isolate-region"
	// AddRegion is no fault but a change under load: the region Fault.Region
	// names joins the running network (scripts/add-region.sh); nothing is
	// healed after it. Only a schedule given in Options has it.
	AddRegion Kind = "add-region"
)

// Fault is one planned fault.
type Fault struct {
	Kind   Kind   `json:"kind"`
	Region string `json:"region"`
	// HoldFactor scales Options.Hold for this fault (0.75 to 1.25).
	HoldFactor float64 `json:"hold_factor"`
}

// process is the process a kill targets ("" for Isolate).
func (f Fault) process() string {
	switch f.Kind {
	case KillOrderer:
		return "orderer-" + f.Region
	case KillPeer:
		return "peer-" + f.Region
	case KillGateway:
		return "gateway-" + f.Region
	case KillChaincode:
		return "chaincode-" + f.Region
	}
	return ""
}

func (f Fault) String() string {
	if p := f.process(); p != "" {
		return "kill -9 " + p
	}
	if f.Kind == AddRegion {
		return "add region " + f.Region
	}
	return "isolate " + f.Region
}

// Schedule is the faults of a run in the order they happen.
type Schedule []Fault

// NewSchedule draws the faults' order, targets and lengths from seed.
func NewSchedule(seed uint64, regions []*region) Schedule {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	kinds := []Kind{KillOrderer, KillPeer, KillGateway, KillChaincode, Isolate}
	rng.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	s := make(Schedule, len(kinds))
	for i, k := range kinds {
		s[i] = Fault{Kind: k, Region: regions[rng.IntN(len(regions))].Key, HoldFactor: 0.75 + rng.Float64()/2}
	}
	return s
}

func (s Schedule) String() string {
	parts := make([]string, len(s))
	for i, f := range s {
		parts[i] = f.String()
	}
	return strings.Join(parts, ", ")
}

// Injected is a fault as it happened.
type Injected struct {
	Fault
	InjectedAt time.Time `json:"injected_at"`
	HealedAt   time.Time `json:"healed_at"`
	// RecoveredAt is when every region had acknowledged an element it began
	// after the heal (zero if that did not happen within the bound).
	RecoveredAt time.Time `json:"recovered_at,omitzero"`
	// RecoverySeconds is RecoveredAt - HealedAt (-1 if not recovered).
	RecoverySeconds float64 `json:"recovery_seconds"`
	// Unrecovered names the regions that had not acknowledged an element
	// within the bound.
	Unrecovered []string `json:"unrecovered,omitempty"`
	// Error is set when the fault or its heal could not be carried out.
	Error string `json:"error,omitempty"`
}

// Nemesis injects and heals faults through scripts/node.sh.
type Nemesis struct {
	// Root is the repository root (scripts/node.sh is run there).
	Root string
	// Regions are the regions' keys: recovery waits for every one.
	Regions []string
	// Log receives a line per action.
	Log func(format string, args ...any)
	// Progress reports, per region, the earliest acknowledgement of an
	// element begun at or after a time.
	Progress func(since time.Time) map[string]time.Time
	// Bound is how long to wait for recovery after a heal.
	Bound time.Duration
	// Sites says the network runs on sites (make up SITES=1), where isolating a region brings its link down.
	Sites bool
	// Latency is the one-way delay between the sites ("" for none; make up SITES=1 LATENCY=...).
	Latency string
}

// Mode names how faults are injected on this network.
func (n *Nemesis) Mode() string {
	if n.Sites && n.Latency != "" {
		return "sites " + n.Latency + " apart (isolate brings the region's site link down)"
	}
	if n.Sites {
		return "sites (isolate brings the region's site link down)"
	}
	return "single-host (isolate pauses the region's processes)"
}

// Run spreads the schedule over about d: each fault is injected, held for
// hold (times its factor), healed, and followed until every region makes
// progress again (at most Bound) before the next one. It returns what
// happened.
func (n *Nemesis) Run(ctx context.Context, s Schedule, hold, d time.Duration) []Injected {
	gap := d / time.Duration(2*len(s)+1) // quiet time before each fault and after the last
	var out []Injected
	for _, f := range s {
		if ctxsleep.Sleep(ctx, gap) != nil {
			break
		}
		in := Injected{Fault: f, InjectedAt: time.Now().UTC()}
		n.Log("inject: %s", f)
		if err := n.inject(ctx, f); err != nil {
			in.Error = err.Error()
		}
		_ = ctxsleep.Sleep(ctx, time.Duration(float64(hold)*f.HoldFactor))
		n.Log("heal: %s", f)
		if err := n.heal(ctx, f); err != nil {
			in.Error = strings.TrimSpace(in.Error + "; heal: " + err.Error())
		}
		in.HealedAt = time.Now().UTC()
		n.awaitRecovery(ctx, &in)
		out = append(out, in)
	}
	return out
}

func (n *Nemesis) awaitRecovery(ctx context.Context, in *Injected) {
	in.RecoverySeconds = -1
	deadline := in.HealedAt.Add(n.Bound)
	for {
		acks := n.Progress(in.HealedAt)
		var missing []string
		var last time.Time
		for _, r := range n.Regions {
			t, ok := acks[r]
			if !ok {
				missing = append(missing, r)
			} else if t.After(last) {
				last = t
			}
		}
		if len(missing) == 0 {
			in.RecoveredAt = last.UTC()
			in.RecoverySeconds = last.Sub(in.HealedAt).Seconds()
			n.Log("recovered from %s in %.1fs", in.Fault, in.RecoverySeconds)
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			in.Unrecovered = missing
			n.Log("NOT recovered from %s within %s: no acknowledgement in %s", in.Fault, n.Bound, strings.Join(missing, ", "))
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func (n *Nemesis) inject(ctx context.Context, f Fault) error {
	if p := f.process(); p != "" {
		return n.node(ctx, "kill", p)
	}
	if f.Kind == AddRegion {
		return n.script(ctx, "add-region.sh", f.Region)
	}
	return n.node(ctx, "isolate", f.Region)
}

func (n *Nemesis) heal(ctx context.Context, f Fault) error {
	if p := f.process(); p != "" {
		return n.node(ctx, "restart", p)
	}
	if f.Kind == AddRegion {
		return nil
	}
	return n.node(ctx, "rejoin", f.Region)
}

// HealAll makes sure every process of every region runs and none is paused,
// whatever happened during the run.
func (n *Nemesis) HealAll(ctx context.Context) error {
	for _, r := range n.Regions {
		procs := []string{"orderer-" + r, "peer-" + r, "chaincode-" + r, "gateway-" + r}
		if err := n.node(ctx, append([]string{"restart"}, procs...)...); err != nil {
			return err
		}
		if err := n.node(ctx, append([]string{"resume"}, procs...)...); err != nil {
			return err
		}
	}
	return nil
}

// node runs scripts/node.sh.
func (n *Nemesis) node(ctx context.Context, args ...string) error {
	return n.script(ctx, "node.sh", args...)
}

// script runs a script of scripts/; its output goes to the log when it fails.
func (n *Nemesis) script(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(n.Root, "scripts", name), args...)
	cmd.Dir = n.Root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("scripts/%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
