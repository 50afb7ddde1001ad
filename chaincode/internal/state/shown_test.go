package state

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// scanOf scans entries as the peer pages a range: n from the entry whose
// key is bookmark on, with the key after them as its bookmark.
func scanOf(entries []Scanned[string]) func(n int32, bookmark string) ([]Scanned[string], string, error) {
	return func(n int32, bookmark string) ([]Scanned[string], string, error) {
		start := 0
		for start < len(entries) && entries[start].Key < bookmark {
			start++
		}
		end := min(start+int(n), len(entries))
		next := ""
		if end < len(entries) {
			next = entries[end].Key
		}
		return entries[start:end], next, nil
	}
}

// A list of more hidden entries than the largest page, a run of them
// between readable ones, and readable entries a filter leaves out: each
// page size walks the shown items once, in order, and hands out as a
// bookmark no key of a hidden entry.
func TestShownPageHandsOutNoHiddenKey(t *testing.T) {
	var entries []Scanned[string]
	var shown []string
	for i := range 3*model.MaxPageSize + 10 {
		e := Scanned[string]{Key: fmt.Sprintf("k%04d", i), Item: fmt.Sprint(i)}
		switch {
		case i%7 == 0 || (i > 20 && i < 20+2*model.MaxPageSize):
			e.Key += "-hidden"
		case i%5 == 0:
			e.Readable = true // read, and left out by the filter
		default:
			e.Readable, e.Shown = true, true
			shown = append(shown, e.Item)
		}
		entries = append(entries, e)
	}
	for _, size := range []int32{1, 2, 7, model.MaxPageSize} {
		var all []string
		bookmark, pages := "", 0
		for {
			items, next, err := ShownPage(size, bookmark, scanOf(entries))
			require.NoError(t, err)
			assert.NotContains(t, next, "hidden", "page size %d", size)
			all = append(all, items...)
			if pages++; next == "" || pages > len(entries) {
				break
			}
			bookmark = next
		}
		assert.Equal(t, shown, all, "page size %d", size)
	}
	items, next, err := ShownPage(5, "", scanOf(entries[:1]))
	require.NoError(t, err)
	assert.Equal(t, []string{}, items, "a list of hidden entries alone is an empty page, not nil")
	assert.Empty(t, next)
}
