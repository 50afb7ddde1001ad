package main

import (
	"bytes"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// The benchmark runs end to end on a small channel, so that make test keeps
// it working (make bench-index measures at 100,000 assets): an empty SQLite
// index catches up from block 0 and answers every kind of search, and the
// row of figures says so.
func TestBenchmarkOnASmallChannel(t *testing.T) {
	var figures bytes.Buffer
	out = &figures
	t.Cleanup(func() { out = os.Stdout })
	*nSearches = 50
	blocks := channel(300, 10)
	if err := measure("sqlite", blocks); err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`^\| sqlite \| (\d+) blocks, (\d+) rows in [^|]+ \| \d+ \| \d+ \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \| [0-9.]+ to [0-9.]+ \|\n$`)
	m := row.FindStringSubmatch(figures.String())
	if m == nil {
		t.Fatalf("no row of figures: %q", figures.String())
	}
	if m[1] != strconv.Itoa(len(blocks)) || m[2] == "0" {
		t.Errorf("caught up with %s blocks (%s rows), want all %d of the channel", m[1], m[2], len(blocks))
	}
}
