package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/internal/loadavg"
)

// Results are one run of the benchmark, as written to
// bench-results/latest.json.
type Results struct {
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	// Machine is what the figures were measured on.
	Machine Machine `json:"machine"`
	// Network holds the network's settings that shape its speed.
	Network map[string]string `json:"network"`
	// Settings are the run's load.
	Settings Settings `json:"settings"`
	// Paths are the figures of every path, in the table's order.
	Paths []*Figures `json:"paths"`
	// Ratios compare paths measured in the same run (see RatioDefinitions).
	Ratios map[string]float64 `json:"ratios"`
	// RatioRounds gives each ratio per round: its spread within the run.
	RatioRounds map[string][]float64 `json:"ratio_rounds"`
	// MVCCConflicts counts the transactions of every path committed as
	// MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT (distinct assets must
	// never conflict).
	MVCCConflicts int `json:"mvcc_conflicts"`
	// Growth holds the figures at each ledger size of a growth run.
	Growth []*GrowthStage `json:"growth,omitempty"`
}

// Machine describes the machine of a run.
type Machine struct {
	Cores            int        `json:"cores"`
	GoVersion        string     `json:"go_version"`
	LoadAverageStart [3]float64 `json:"load_average_start"`
	LoadAverageEnd   [3]float64 `json:"load_average_end"`
}

func thisMachine() Machine {
	return Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), LoadAverageStart: loadavg.Read()}
}

// GrowthStage is what was measured with the ledger at one size.
type GrowthStage struct {
	// Assets is the number of assets the loader had registered.
	Assets int `json:"assets"`
	// LoadSeconds is how long loading up to this size took.
	LoadSeconds float64            `json:"load_seconds"`
	Paths       []*Figures         `json:"paths"`
	Ratios      map[string]float64 `json:"ratios"`
}

// RatioDefinition is one ratio of the results: a path's rate over
// another's, or (P99) a path's 99th latency percentile over another's.
type RatioDefinition struct {
	Key, Numerator, Denominator string
	P99                         bool
}

// RatioDefinitions are the ratios a run reports, when it measured both
// paths.
var RatioDefinitions = []RatioDefinition{
	{Key: "direct_vs_limit", Numerator: PathDirect, Denominator: PathLimit},
	{Key: "register_shape_vs_limit", Numerator: PathRegisterShape, Denominator: PathLimit},
	{Key: "direct_vs_register_shape", Numerator: PathDirect, Denominator: PathRegisterShape},
	{Key: "rest_vs_direct", Numerator: PathREST, Denominator: PathDirect},
	{Key: "rest_four_vs_direct", Numerator: PathRESTFour, Denominator: PathDirect},
	{Key: "rest_defaults_vs_direct", Numerator: PathRESTDefaults, Denominator: PathDirect},
	{Key: "member_signed_vs_rest", Numerator: PathMemberSigned, Denominator: PathREST},
	{Key: "member_signed_p99_vs_rest", Numerator: PathMemberSigned, Denominator: PathREST, P99: true},
	{Key: "trade_tx_vs_limit", Numerator: PathTrades, Denominator: PathLimit},
	{Key: "read_direct_vs_limit", Numerator: PathReadDirect, Denominator: PathReadLimit},
	{Key: "read_vs_direct", Numerator: PathReadREST, Denominator: PathReadDirect},
	{Key: "read_p99_rest_vs_direct", Numerator: PathReadREST, Denominator: PathReadDirect, P99: true},
	{Key: "read_defaults_vs_direct", Numerator: PathReadRESTDefaults, Denominator: PathReadDirect},
}

// ratios computes the defined ratios of figures, overall and per round.
func ratios(figures []*Figures) (map[string]float64, map[string][]float64) {
	byName := map[string]*Figures{}
	for _, f := range figures {
		byName[f.Name] = f
	}
	all, rounds := map[string]float64{}, map[string][]float64{}
	for _, d := range RatioDefinitions {
		num, den := byName[d.Numerator], byName[d.Denominator]
		if num == nil || den == nil {
			continue
		}
		scale := 1.0
		if d.Numerator == PathTrades {
			scale = TradeTransactions // a trade is that many transactions
		}
		if d.P99 {
			all[d.Key] = quotient(num.Latency.P99, den.Latency.P99)
			rounds[d.Key] = quotients(num.RoundP99, den.RoundP99, 1)
		} else {
			all[d.Key] = quotient(scale*num.PerSecond, den.PerSecond)
			rounds[d.Key] = quotients(num.RoundPerSecond, den.RoundPerSecond, scale)
		}
	}
	return all, rounds
}

func quotient(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return round3(a / b)
}

func quotients(a, b []float64, scale float64) []float64 {
	out := make([]float64, min(len(a), len(b)))
	for i := range out {
		out[i] = quotient(scale*a[i], b[i])
	}
	return out
}

func round3(v float64) float64 {
	return float64(int64(v*1000+0.5)) / 1000
}

// conflicts totals the MVCC and phantom read conflicts of figures.
func conflicts(figures []*Figures) int {
	n := 0
	for _, f := range figures {
		n += f.FailureCount(codeMVCC, codePhantom)
	}
	return n
}

// Write saves the results as dir/<start time>.json and dir/latest.json; a
// growth run's as dir/growth-<start time>.json and dir/growth-latest.json.
// It returns the path of the latest file.
func (r *Results) Write(dir string) (string, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	b = append(b, '\n')
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	prefix := ""
	if len(r.Growth) > 0 {
		prefix = "growth-"
	}
	dated := filepath.Join(dir, prefix+r.StartedAt.UTC().Format("2006-01-02T15-04-05Z")+".json")
	if err := os.WriteFile(dated, b, 0o644); err != nil {
		return "", err
	}
	latest := filepath.Join(dir, prefix+"latest.json")
	tmp := latest + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, latest); err != nil {
		return "", fmt.Errorf("writing %s: %w", latest, err)
	}
	return latest, nil
}

// Check fails unless every path (of every growth stage) succeeded at least
// once, no transaction hit a read conflict, and no call's success is
// contradicted by the blocks: what the smoke run in `make test` asserts.
func Check(r *Results) error {
	figures := r.Paths
	for _, stage := range r.Growth {
		figures = append(figures, stage.Paths...)
	}
	if len(figures) == 0 {
		return errors.New("no path was measured")
	}
	var problems []string
	for _, f := range figures {
		if f.Succeeded == 0 {
			problems = append(problems, fmt.Sprintf("%s: nothing succeeded (%s)", f.Name, failureList(f)))
		}
		if n := f.FailureCount(KindNotCommitted); n > 0 {
			problems = append(problems, fmt.Sprintf("%s: %d answers said success for transactions no block holds", f.Name, n))
		}
	}
	if r.MVCCConflicts > 0 {
		problems = append(problems, fmt.Sprintf("%d read conflicts (MVCC or phantom) on distinct keys", r.MVCCConflicts))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
