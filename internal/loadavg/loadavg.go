// Package loadavg reads the machine's load averages, which the benchmarks
// print beside their figures: on a shared machine a figure means little
// without the load it was measured at.
package loadavg

import (
	"os"
	"strconv"
	"strings"
)

// Read returns the 1, 5 and 15 minute load averages; zeros where
// /proc/loadavg cannot be read.
func Read() [3]float64 {
	var out [3]float64
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return out
	}
	for i, f := range strings.Fields(string(b)) {
		if i == len(out) {
			break
		}
		out[i], _ = strconv.ParseFloat(f, 64)
	}
	return out
}
