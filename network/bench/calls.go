package bench

import (
	"fmt"

	"github.com/deltaledger/deltaledger/network/demo"
)

// ApplyCall applies for the i-th of a series of different assets, each with
// its own ID and content hash, as a data holder does.
func ApplyCall(prefix string) Call {
	return func(i int) (string, []string) {
		id := fmt.Sprintf("%s-%d", prefix, i)
		return "assets:Apply", []string{id, "Benchmark dataset " + id, "benchmark", "shanghai",
			"Synthetic asset of the load test", demo.Hash(id)}
	}
}
