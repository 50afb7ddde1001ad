package index

import (
	"sync"

	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// computedCacheSize bounds how many computations of a period's figures the
// index keeps: enough for the periods the regions attest and publish and
// the dashboards show at one block, few enough that their figures (a
// month's divisions by category) hold little memory.
const computedCacheSize = 16

// computedKey is what a period's figures depend on: once the index has
// read toBlock, the facts of blocks up to it never change, so neither do
// the figures.
type computedKey struct {
	period  string
	toBlock uint64
}

// computation is a period's figures as ComputePeriod answered them, but
// for the index height, which each answer reads afresh.
type computation struct {
	out     ledgerindex.ComputedIndices
	figures string
}

// computedCache keeps the latest computations, the oldest forgotten first,
// so that callers asking for the same period at the same block (the
// regions attesting, the regulator publishing, the dashboards) read the
// facts once. It does not bound the work of a caller that asks for another
// block each time: the route's budget does (routes.GatewayRoute.Recomputes).
type computedCache struct {
	mu    sync.Mutex
	order []computedKey // oldest first
	kept  map[computedKey]computation
}

// get returns the computation of k, if kept.
func (c *computedCache) get(k computedKey) (computation, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.kept[k]
	return v, ok
}

// put keeps the computation of k, forgetting the oldest beyond the bound.
func (c *computedCache) put(k computedKey, v computation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kept == nil {
		c.kept = map[computedKey]computation{}
	}
	if _, ok := c.kept[k]; ok {
		return // computed twice at once: the same figures
	}
	if len(c.order) == computedCacheSize {
		delete(c.kept, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, k)
	c.kept[k] = v
}
