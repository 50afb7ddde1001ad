package bench

import (
	"os"
	"strconv"
	"strings"
)

// loadAverages reads the machine's 1, 5 and 15 minute load averages; zeros
// where /proc/loadavg cannot be read.
func loadAverages() [3]float64 {
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
