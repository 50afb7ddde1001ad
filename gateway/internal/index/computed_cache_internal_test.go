package index

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The cache of computations keeps the latest computedCacheSize, the oldest
// forgotten first: a caller asking for one block after another grows no
// memory.
func TestTheComputedCacheIsBounded(t *testing.T) {
	var c computedCache
	for block := range uint64(computedCacheSize + 1) {
		c.put(computedKey{"day:2026-03-02", block}, computation{figures: "f"})
	}
	assert.Len(t, c.kept, computedCacheSize)
	assert.Len(t, c.order, computedCacheSize)
	_, ok := c.get(computedKey{"day:2026-03-02", 0})
	assert.False(t, ok, "the oldest is forgotten")
	_, ok = c.get(computedKey{"day:2026-03-02", computedCacheSize})
	assert.True(t, ok, "the newest is kept")
}
