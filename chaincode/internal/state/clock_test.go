package state

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/peerclock"
)

func TestTheClockReachesADeadlineAtItsSecondAndPassesItAfter(t *testing.T) {
	deadline := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	at := Format(deadline)
	defer func(now func() time.Time) { peerclock.Now = now }(peerclock.Now)

	for _, c := range []struct {
		clock           time.Time
		reached, passed bool
	}{
		{deadline.Add(-time.Second), false, false},
		{deadline.Add(999 * time.Millisecond), true, false},
		{deadline.Add(time.Second), true, true},
	} {
		peerclock.Now = func() time.Time { return c.clock }
		assert.Equal(t, c.reached, ClockReached(at), "ClockReached(%s) at %s", at, c.clock)
		assert.Equal(t, c.passed, ClockPassed(at), "ClockPassed(%s) at %s", at, c.clock)
	}
}
