package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// indices openable names, for each kind, the newest period whose closing
// instant (model.PeriodClosesAt) has come: indices:Open refuses a newer one,
// and an older one is not the newest.
func TestIndicesOpenableNamesTheNewestPeriodThatOpensNow(t *testing.T) {
	for _, kind := range model.PeriodKinds() {
		before := time.Now()
		out, err := run(t, "indices", "openable", kind)
		require.NoError(t, err, kind)
		after := time.Now()
		period := strings.TrimSpace(out)
		start, end, err := model.ParsePeriod(period)
		require.NoError(t, err, "%s: %q", kind, out)
		assert.True(t, strings.HasPrefix(period, kind+":"), period)
		assert.False(t, model.PeriodClosesAt(end).After(after), "%s opens by now", period)
		next := model.PeriodOf(kind, end)
		_, nextEnd, err := model.ParsePeriod(next)
		require.NoError(t, err)
		assert.True(t, model.PeriodClosesAt(nextEnd).After(before), "%s, after %s, does not open yet", next, period)
		assert.True(t, start.Before(end))
	}
	out, err := run(t, "indices", "openable")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(out, model.PeriodHour+":"), "the default kind is the hour: %q", out)

	_, err = run(t, "indices", "openable", "week")
	assert.ErrorContains(t, err, "kind: must be one of")
}
