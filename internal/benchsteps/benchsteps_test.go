package benchsteps

import (
	"flag"
	"testing"
	"time"
)

// Each step runs once a round, in the order given, with the round's number,
// and each is reported per op under its name and unit.
func TestTimeRunsEachStepOnceARoundInOrder(t *testing.T) {
	benchtime := flag.Lookup("test.benchtime").Value.String()
	t.Cleanup(func() { _ = flag.Set("test.benchtime", benchtime) })
	if err := flag.Set("test.benchtime", "50x"); err != nil {
		t.Fatal(err)
	}
	var order []string
	var rounds []int
	var totals []time.Duration
	res := testing.Benchmark(func(b *testing.B) {
		order, rounds = nil, nil
		totals = Time(b, time.Microsecond,
			Step{"first", func(i int) { order = append(order, "first"); rounds = append(rounds, i) }},
			Step{"second", func(int) { order = append(order, "second") }})
	})
	if res.N != 50 || len(rounds) != 50 || len(order) != 100 || len(totals) != 2 {
		t.Fatalf("N %d: %d rounds, %d steps run, %d totals; want 50, 50, 100, 2", res.N, len(rounds), len(order), len(totals))
	}
	for i := range rounds {
		if rounds[i] != i || order[2*i] != "first" || order[2*i+1] != "second" {
			t.Fatalf("round %d: rounds %v, order %v", i, rounds[:i+1], order[:2*i+2])
		}
	}
	for _, metric := range []string{"first-µs/op", "second-µs/op"} {
		if _, ok := res.Extra[metric]; !ok {
			t.Errorf("metrics %v: no %s", res.Extra, metric)
		}
	}
}
