package bench

import (
	"maps"
	"math"
	"slices"
	"time"
)

// Figures are what the benchmark measured of one path, over all rounds.
type Figures struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Unit        string `json:"unit"`
	// Attempted counts the operations run (warm-up excluded).
	Attempted int `json:"attempted"`
	// Succeeded counts the operations committed (every transaction VALID
	// in a block) or, for reads, answered.
	Succeeded int `json:"succeeded"`
	// Seconds is the time the path's rounds took together.
	Seconds float64 `json:"seconds"`
	// PerSecond is Succeeded / Seconds.
	PerSecond float64 `json:"per_second"`
	// RoundPerSecond is the rate of each round, for the spread.
	RoundPerSecond []float64 `json:"round_per_second"`
	// RoundP99 is the 99th latency percentile of each round, in ms.
	RoundP99 []float64 `json:"round_p99_ms"`
	// Latency of the operations that succeeded, in milliseconds.
	Latency Latency `json:"latency_ms"`
	// Failures counts the operations that did not succeed, by kind.
	Failures map[string]int `json:"failures"`
	// Examples are the first few error messages.
	Examples []string `json:"examples,omitempty"`
	// LoadAverage is the machine's one-minute load average at the end of
	// each of the path's rounds, averaged.
	LoadAverage float64 `json:"load_average"`
	// CPUPerOp is the CPU time, in milliseconds per operation run, that the
	// processes of each role used during the path's rounds: the peers,
	// ordering nodes, chaincode services and gateways of the network that
	// run on this machine, and the client (this benchmark). It shows where
	// an operation's cost goes, which on a machine whose cores every process
	// shares is what bounds each path's rate. Everything that ran counts,
	// so a figure is the path's own only on an otherwise quiet machine.
	CPUPerOp map[string]float64 `json:"cpu_ms_per_op"`
	// CPUCores is that CPU time over the rounds' wall time: how many cores
	// the path kept busy.
	CPUCores float64 `json:"cpu_cores"`

	want      int // transactions an operation must commit
	latencies []time.Duration
	loads     []float64
	cpu       cpuTimes // used during the rounds, by role
}

// Latency holds percentiles in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// maxExamples bounds the error messages kept per path.
const maxExamples = 3

func newFigures(p Path) *Figures {
	return &Figures{Name: p.Name, Description: p.Description, Unit: p.Unit, Failures: map[string]int{}, want: p.Transactions,
		cpu: cpuTimes{}}
}

// add takes in one round's batch, settled against the blocks' codes, the
// load average at its end and the CPU time used while it ran.
func (f *Figures) add(b batch, codes map[string]string, load float64, used cpuTimes) {
	for role, d := range used {
		f.cpu[role] += d
	}
	succeeded := 0
	var round []time.Duration
	for _, r := range b.results {
		f.Attempted++
		kind := settle(r.Outcome, codes, f.want)
		if kind == "" {
			succeeded++
			round = append(round, r.latency)
			continue
		}
		f.Failures[kind]++
		if r.Err != nil && len(f.Examples) < maxExamples {
			f.Examples = append(f.Examples, r.Err.Error())
		}
	}
	f.Succeeded += succeeded
	f.latencies = append(f.latencies, round...)
	slices.Sort(round)
	f.RoundP99 = append(f.RoundP99, percentile(round, 99))
	f.Seconds += b.elapsed.Seconds()
	f.RoundPerSecond = append(f.RoundPerSecond, rate(succeeded, b.elapsed.Seconds()))
	f.loads = append(f.loads, load)
	f.finish()
}

// finish computes the derived figures.
func (f *Figures) finish() {
	f.PerSecond = rate(f.Succeeded, f.Seconds)
	s := slices.Clone(f.latencies)
	slices.Sort(s)
	f.Latency = Latency{P50: percentile(s, 50), P95: percentile(s, 95), P99: percentile(s, 99), Max: percentile(s, 100)}
	sum := 0.0
	for _, l := range f.loads {
		sum += l
	}
	if len(f.loads) > 0 {
		f.LoadAverage = sum / float64(len(f.loads))
	}
	f.CPUPerOp = map[string]float64{}
	for role, d := range f.cpu {
		f.CPUPerOp[role] = round3(perOp(d, f.Attempted))
	}
	if f.Seconds > 0 {
		f.CPUCores = round3(f.cpu.total().Seconds() / f.Seconds)
	}
}

// CPUTotal is the CPU time of every role, in milliseconds per operation.
func (f *Figures) CPUTotal() float64 {
	total := 0.0
	for _, ms := range f.CPUPerOp {
		total += ms
	}
	return round3(total)
}

// perOp is d over n operations, in milliseconds.
func perOp(d time.Duration, n int) float64 {
	if n == 0 {
		return 0
	}
	return d.Seconds() * 1000 / float64(n)
}

// FailureCount is the number of failures of the given kinds.
func (f *Figures) FailureCount(kinds ...string) int {
	n := 0
	for _, k := range kinds {
		n += f.Failures[k]
	}
	return n
}

// failureKinds returns the kinds of failure seen, sorted.
func (f *Figures) failureKinds() []string {
	return slices.Sorted(maps.Keys(f.Failures))
}

func rate(n int, seconds float64) float64 {
	if seconds <= 0 {
		return 0
	}
	return float64(n) / seconds
}

// percentile is the nearest-rank p-th percentile (0 < p <= 100) of sorted
// latencies, in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	rank = min(max(rank, 0), len(sorted)-1)
	return float64(sorted[rank].Microseconds()) / 1000
}
