package model_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// A period of each kind is named from any instant it holds, in China
// Standard Time, and the periods closed by an instant are the ones that
// ended before it, across a day's, a month's and a year's end.
func TestPeriodsOfEachKind(t *testing.T) {
	at := time.Date(2026, 12, 31, 16, 0, 30, 0, time.UTC) // 2027-01-01 00:00:30 in Beijing
	assert.Equal(t, "minute:2027-01-01T00:00", model.PeriodOf(model.PeriodMinute, at))
	assert.Equal(t, "hour:2027-01-01T00", model.PeriodOf(model.PeriodHour, at))
	assert.Equal(t, "day:2027-01-01", model.PeriodOf(model.PeriodDay, at))
	assert.Equal(t, "month:2027-01", model.PeriodOf(model.PeriodMonth, at))
	assert.Equal(t, []string{"minute:2026-12-31T23:59", "minute:2026-12-31T23:58"}, model.ClosedPeriods(model.PeriodMinute, at, 2))
	assert.Equal(t, []string{"hour:2026-12-31T23"}, model.ClosedPeriods(model.PeriodHour, at, 1))
	assert.Equal(t, []string{"day:2026-12-31", "day:2026-12-30"}, model.ClosedPeriods(model.PeriodDay, at, 2))
	assert.Equal(t, []string{"month:2026-12", "month:2026-11", "month:2026-10"}, model.ClosedPeriods(model.PeriodMonth, at, 3))
	for _, kind := range model.PeriodKinds() {
		for _, p := range model.ClosedPeriods(kind, at, 3) {
			_, end, err := model.ParsePeriod(p)
			require.NoError(t, err, p)
			assert.False(t, end.After(at), "%s has ended by %s", p, at)
		}
		require.NoError(t, model.CheckPeriodKind(kind))
	}
	assert.ErrorContains(t, model.CheckPeriodKind("week"), "must be one of")
	assert.Panics(t, func() { model.PeriodOf("week", at) })
}

// The periods indices:Open opens at an instant are those that ended
// MaxClockSkew or more before it: in the first minutes of a new hour, the
// hour just ended is not one of them yet.
func TestOpenablePeriodsEndedMaxClockSkewAgo(t *testing.T) {
	at := time.Date(2026, 12, 31, 16, 0, 30, 0, time.UTC) // 2027-01-01 00:00:30 in Beijing
	assert.Equal(t, []string{"hour:2026-12-31T22"}, model.OpenablePeriods(model.PeriodHour, at, 1))
	assert.Equal(t, []string{"hour:2026-12-31T23"}, model.OpenablePeriods(model.PeriodHour, at.Add(model.MaxClockSkew), 1))
	assert.Equal(t, []string{"minute:2026-12-31T23:53"}, model.OpenablePeriods(model.PeriodMinute, at, 1))
}
