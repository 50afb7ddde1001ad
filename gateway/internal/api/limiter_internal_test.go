package api

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// A budget by client address keeps at most so many buckets: anyone chooses
// the keys, so it forgets the addresses whose buckets are full again and
// refuses a new one while none is.
func TestABudgetByAddressKeepsBoundedBuckets(t *testing.T) {
	l := newLimiter(budgetWrite, 1000, 1).byAddress()
	l.most = 2
	_, ok := l.allow("192.0.2.1")
	assert.True(t, ok)
	_, ok = l.allow("192.0.2.2")
	assert.True(t, ok)
	_, ok = l.allow("192.0.2.3")
	assert.False(t, ok, "two buckets in use, none full: a third address waits")
	assert.Len(t, l.m, 2)

	time.Sleep(20 * time.Millisecond) // both buckets refill (1,000 a second)
	_, ok = l.allow("192.0.2.3")
	assert.True(t, ok)
	assert.Len(t, l.m, 1, "the full buckets were forgotten")

	var none *limiter
	assert.Nil(t, none.byAddress(), "no limit, none by address either")
}
