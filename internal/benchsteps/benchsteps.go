// Package benchsteps is the one timing of a benchmark whose round runs two
// or more steps that are compared with one another (an operation and its
// bare baseline): each step is timed on its own and reported per op, so that
// their ratio compares across versions where the times alone, on a shared
// machine, would not.
package benchsteps

import (
	"fmt"
	"testing"
	"time"
)

// Step is one timed step of a benchmark's round: Name names its metric and
// Run runs it once, in round i (0 to b.N-1).
type Step struct {
	Name string
	Run  func(i int)
}

// unitNames are the units a step's metric may be reported in.
var unitNames = map[time.Duration]string{time.Nanosecond: "ns", time.Microsecond: "µs", time.Millisecond: "ms"}

// Time runs b.N rounds of the steps, in the order given, timing each step on
// its own (the setup before Time is not timed). It reports each step's mean
// time per op in unit (time.Nanosecond, time.Microsecond or
// time.Millisecond) as "<name>-<unit>/op", and returns each step's total,
// in the steps' order, for ratios the benchmark reports itself.
func Time(b *testing.B, unit time.Duration, steps ...Step) []time.Duration {
	b.Helper()
	unitName, ok := unitNames[unit]
	if !ok {
		b.Fatalf("benchsteps: unit %v is none of ns, µs, ms", unit)
	}
	totals := make([]time.Duration, len(steps))
	b.ResetTimer()
	for i := range b.N {
		for s, step := range steps {
			start := time.Now()
			step.Run(i)
			totals[s] += time.Since(start)
		}
	}
	b.StopTimer()
	for s, step := range steps {
		b.ReportMetric(PerOp(b, totals[s], unit), fmt.Sprintf("%s-%s/op", step.Name, unitName))
	}
	return totals
}

// PerOp is total's mean per op of the benchmark, in unit.
func PerOp(b *testing.B, total, unit time.Duration) float64 {
	return float64(total) / float64(unit) / float64(b.N)
}
