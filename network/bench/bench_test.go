package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
)

func TestSettleCountsByCommitStatusNotByTheAnswer(t *testing.T) {
	codes := map[string]string{"ok1": "VALID", "ok2": "VALID", "mvcc": "MVCC_READ_CONFLICT"}
	timeout := &client.Error{Status: 504, Code: "OUTCOME_UNKNOWN"}
	for name, c := range map[string]struct {
		out  Outcome
		want int
		kind string
	}{
		"read answered":                 {Outcome{}, 0, ""},
		"read refused":                  {Outcome{Err: &client.Error{Status: 429}}, 0, "http_429"},
		"committed":                     {Outcome{TxIDs: []string{"ok1"}}, 1, ""},
		"unknown outcome, committed":    {Outcome{TxIDs: []string{"ok1"}, Err: timeout}, 1, ""},
		"unknown outcome, not in block": {Outcome{TxIDs: []string{"gone"}, Err: timeout}, 1, KindTimeout},
		"said yes, no block holds it":   {Outcome{TxIDs: []string{"gone"}}, 1, KindNotCommitted},
		"committed invalid":             {Outcome{TxIDs: []string{"mvcc"}}, 1, "MVCC_READ_CONFLICT"},
		"trade stopped after two steps": {Outcome{TxIDs: []string{"ok1", "ok2"}, Err: &client.Error{Status: 409}}, 5, "http_409"},
		"refused before ordering":       {Outcome{Err: errors.New("endorsement")}, 1, KindError},
		"timed out":                     {Outcome{Err: fmt.Errorf("wrapped: %w", context.DeadlineExceeded)}, 1, KindTimeout},
		"incomplete lookup":             {Outcome{Err: fmt.Errorf("%w: x", errIncomplete)}, 1, KindIncomplete},
	} {
		assert.Equal(t, c.kind, settle(c.out, codes, c.want), name)
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	assert.Equal(t, 50.0, percentile(d, 50))
	assert.Equal(t, 99.0, percentile(d, 99))
	assert.Equal(t, 100.0, percentile(d, 100))
	assert.Equal(t, 7.0, percentile([]time.Duration{7 * time.Millisecond}, 99))
	assert.Equal(t, 0.0, percentile(nil, 99))
}

func TestShareSplitsEveryOperation(t *testing.T) {
	total := 0
	for r := range 3 {
		total += share(100, 3, r)
	}
	assert.Equal(t, 100, total)
	assert.Equal(t, []int{34, 33, 33}, []int{share(100, 3, 0), share(100, 3, 1), share(100, 3, 2)})
}

// blocks is a fake commit source: the transactions "committed" so far.
type blocks struct {
	mu        sync.Mutex
	committed map[string]string
	n         uint64
}

func (b *blocks) commit(id, code string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.committed[id] = code
	b.n++
}

func (b *blocks) height(context.Context) (uint64, error) { return b.n, nil }

func (b *blocks) codes(context.Context, uint64) (map[string]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]string{}
	for k, v := range b.committed {
		out[k] = v
	}
	return out, nil
}

// cpuCounter is a cpuMeter whose processes use the CPU time the operations
// say they cost.
type cpuCounter struct {
	mu   sync.Mutex
	used cpuTimes
}

func (c *cpuCounter) spend(role string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.used[role] += d
}

func (c *cpuCounter) read() cpuTimes {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.used)
}

func TestMeasureRunsRoundsAndSettlesAgainstTheBlocks(t *testing.T) {
	chain := &blocks{committed: map[string]string{}}
	cpu := &cpuCounter{used: cpuTimes{}}
	var mu sync.Mutex
	seen := map[string][]int{}
	record := func(path string, i int) {
		mu.Lock()
		defer mu.Unlock()
		seen[path] = append(seen[path], i)
	}
	write := Path{Name: "write", Unit: "tx", Transactions: 1, Op: func(_ context.Context, i int) Outcome {
		record("write", i)
		cpu.spend("peer", 2*time.Millisecond)
		cpu.spend(RoleClient, time.Millisecond)
		id := fmt.Sprint("w", i)
		switch {
		case i%10 == 1:
			chain.commit(id, codeMVCC)
		case i%10 == 2: // answered success, but no block holds it
		default:
			chain.commit(id, codeValid)
		}
		return Outcome{TxIDs: []string{id}}
	}}
	read := Path{Name: "read", Unit: "read", Read: true, Op: func(_ context.Context, i int) Outcome {
		record("read", i)
		cpu.spend("peer", 500*time.Microsecond)
		if i%4 == 0 {
			return Outcome{Err: &client.Error{Status: 429}}
		}
		return Outcome{}
	}}
	s := Settings{Writes: 30, Reads: 40, InFlight: 4, Rounds: 2, Warmup: 5, OpTimeout: time.Second}
	figures, err := measure(context.Background(), chain, cpu, []Path{write, read}, s, io.Discard)
	require.NoError(t, err)

	w, r := figures[0], figures[1]
	assert.Equal(t, 35, len(seen["write"]), "warm-up and rounds run")
	assert.Equal(t, 30, w.Attempted, "the warm-up is not counted")
	assert.Equal(t, 3, w.Failures[codeMVCC])
	assert.Equal(t, 3, w.Failures[KindNotCommitted])
	assert.Equal(t, 24, w.Succeeded)
	assert.Len(t, w.RoundPerSecond, 2)
	assert.Equal(t, 40, r.Attempted)
	assert.Equal(t, 10, r.Failures["http_429"])
	assert.Equal(t, 30, r.Succeeded)
	assert.Equal(t, 3, conflicts(figures))
	assert.Equal(t, map[string]float64{"peer": 2, RoleClient: 1}, w.CPUPerOp, "the warm-up's CPU time is not counted")
	assert.Equal(t, 3.0, w.CPUTotal())
	assert.Equal(t, map[string]float64{"peer": 0.5}, r.CPUPerOp, "each path counts the time its own rounds used")
	assert.Positive(t, w.CPUCores)
	ids := map[int]bool{}
	for _, i := range seen["write"] {
		assert.False(t, ids[i], "operation index %d used twice", i)
		ids[i] = true
	}
}

func TestResultsCarryTheIssuesRatiosAndAreKeptByDate(t *testing.T) {
	f := func(name string, perSecond, p99 float64, failures map[string]int) *Figures {
		return &Figures{Name: name, PerSecond: perSecond, RoundPerSecond: []float64{perSecond, perSecond / 2},
			Latency: Latency{P99: p99}, RoundP99: []float64{p99, p99}, Failures: failures}
	}
	figures := []*Figures{
		f(PathLimit, 120, 700, nil), f(PathRegisterShape, 100, 750, nil), f(PathDirect, 90, 800, nil), f(PathREST, 81, 900, map[string]int{codeMVCC: 2}),
		f(PathReadLimit, 1750, 50, nil), f(PathReadDirect, 1400, 60, nil), f(PathReadREST, 1190, 75, nil),
		f(PathTrades, 12, 5000, nil),
	}
	all, rounds := ratios(figures)
	assert.Equal(t, 0.75, all["direct_vs_limit"])
	assert.Equal(t, 0.833, all["register_shape_vs_limit"], "what a registration's keys, reads and policy cost the network")
	assert.Equal(t, 0.9, all["direct_vs_register_shape"], "what the contract costs beyond them")
	assert.Equal(t, 0.9, all["rest_vs_direct"])
	assert.Equal(t, 0.85, all["read_vs_direct"])
	assert.Equal(t, 0.8, all["read_direct_vs_limit"])
	assert.Equal(t, 1.25, all["read_p99_rest_vs_direct"])
	assert.Equal(t, 0.5, all["trade_tx_vs_limit"], "a trade is five transactions")
	assert.Equal(t, []float64{0.75, 0.75}, rounds["direct_vs_limit"])
	assert.NotContains(t, all, "rest_four_vs_direct", "no ratio without both paths")

	res := &Results{StartedAt: time.Date(2025, 12, 1, 8, 30, 0, 0, time.UTC), Paths: figures, Ratios: all,
		RatioRounds: rounds, MVCCConflicts: conflicts(figures)}
	dir := t.TempDir()
	latest, err := res.Write(dir)
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(dir, "2025-12-01T08-30-00Z.json"))
	b, err := os.ReadFile(latest)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	assert.Equal(t, 2.0, doc["mvcc_conflicts"])
	got := doc["ratios"].(map[string]any)
	for _, key := range []string{"direct_vs_limit", "rest_vs_direct", "read_vs_direct", "read_p99_rest_vs_direct"} {
		assert.Contains(t, got, key)
	}
	assert.Error(t, Check(res), "read conflicts fail the check")
}

func TestCheckRefusesAPathThatNeverSucceeded(t *testing.T) {
	ok := &Figures{Name: "a", Succeeded: 3, Failures: map[string]int{}}
	assert.NoError(t, Check(&Results{Paths: []*Figures{ok}}))
	none := &Figures{Name: "b", Failures: map[string]int{"http_429": 3}}
	err := Check(&Results{Paths: []*Figures{ok, none}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "http_429 3")
	lied := &Figures{Name: "c", Succeeded: 1, Failures: map[string]int{KindNotCommitted: 1}}
	assert.Error(t, Check(&Results{Paths: []*Figures{lied}}))
	assert.Error(t, Check(&Results{}), "an empty run is not a pass")
}

func TestTableSaysWhereEachPathsCPUTimeWent(t *testing.T) {
	direct := &Figures{Name: PathReadDirect, CPUPerOp: map[string]float64{"peer": 0.8, RoleClient: 0.19}, CPUCores: 1.93, Failures: map[string]int{}}
	rest := &Figures{Name: PathReadREST, CPUPerOp: map[string]float64{"peer": 0.82, "bench-gateway": 0.31, RoleClient: 0.12}, CPUCores: 1.95, Failures: map[string]int{}}
	var out strings.Builder
	PrintTable(&out, []*Figures{direct, rest}, nil, nil)
	lines := strings.Split(out.String(), "\n")
	row := func(name string) []string { // the CPU table's row of name
		cpuTable := false
		for _, l := range lines {
			cpuTable = cpuTable || strings.HasPrefix(strings.TrimSpace(l), "cpu ms/op")
			if !cpuTable {
				continue
			}
			cells := strings.Split(l, "|")
			if strings.TrimSpace(cells[0]) == name && len(cells) > 5 {
				for i := range cells {
					cells[i] = strings.TrimSpace(cells[i])
				}
				return cells
			}
		}
		t.Fatalf("no row %q in\n%s", name, out.String())
		return nil
	}
	assert.Equal(t, []string{"cpu ms/op", "cores", "total", "bench-gateway", "client", "peer", ""}, row("cpu ms/op"))
	assert.Equal(t, []string{PathReadDirect, "1.93", "0.990", "0.000", "0.190", "0.800", ""}, row(PathReadDirect)[:7])
	assert.Equal(t, []string{PathReadREST, "1.95", "1.250", "0.310", "0.120", "0.820", ""}, row(PathReadREST)[:7])
}
