package model_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// endOf is the end of a period, which the test names.
func endOf(t *testing.T, period string) time.Time {
	t.Helper()
	_, end, err := model.ParsePeriod(period)
	require.NoError(t, err, period)
	return end
}

// A period of 2027 (Beijing time) or later closes MaxClockSkew+MaxClockLead
// after its end; one that ended by the cut-over, all of them published by
// the old rule, still closes MaxClockSkew after it.
func TestAPeriodClosesAMinuteLaterFromTheCutOver(t *testing.T) {
	cutOver := model.ClosingRuleCutOver()
	assert.Equal(t, "2026-12-31T16:00:00Z", cutOver.UTC().Format(time.RFC3339))
	assert.Equal(t, model.MaxClockSkew+model.MaxClockLead, model.PeriodClosingDelay)
	for period, delay := range map[string]time.Duration{
		"minute:2026-12-31T23:59": model.MaxClockSkew,
		"hour:2026-12-31T23":      model.MaxClockSkew,
		"day:2026-12-31":          model.MaxClockSkew,
		"month:2026-12":           model.MaxClockSkew,
		"day:2026-03-04":          model.MaxClockSkew,
		"minute:2027-01-01T00:00": model.PeriodClosingDelay,
		"hour:2027-01-01T00":      model.PeriodClosingDelay,
		"day:2027-01-01":          model.PeriodClosingDelay,
		"month:2027-01":           model.PeriodClosingDelay,
		"day:2027-06-30":          model.PeriodClosingDelay,
	} {
		end := endOf(t, period)
		assert.Equal(t, end.Add(delay), model.PeriodClosesAt(end), period)
	}
}

// Around the cut-over the openable periods follow each period's own rule:
// seven minutes into 2027, the last minute of 2026 opens (it closed at six)
// while the first of 2027 does not (it closes at eight); after the cut-over
// a period opens only MaxClockSkew+MaxClockLead after its end.
func TestOpenablePeriodsFollowEachPeriodsClosingRule(t *testing.T) {
	newYear := model.ClosingRuleCutOver()
	assert.Equal(t, []string{"minute:2026-12-31T23:59", "minute:2026-12-31T23:58"},
		model.OpenablePeriods(model.PeriodMinute, newYear.Add(7*time.Minute), 2))
	assert.Equal(t, []string{"minute:2027-01-01T00:00"}, model.OpenablePeriods(model.PeriodMinute, newYear.Add(8*time.Minute), 1))

	end := endOf(t, "hour:2027-06-30T11")
	assert.Equal(t, []string{"hour:2027-06-30T10"}, model.OpenablePeriods(model.PeriodHour, end.Add(model.MaxClockSkew), 1),
		"an hour of 2027 opened MaxClockSkew after its end")
	assert.Equal(t, []string{"hour:2027-06-30T10"}, model.OpenablePeriods(model.PeriodHour, end.Add(model.PeriodClosingDelay-time.Second), 1))
	assert.Equal(t, []string{"hour:2027-06-30T11", "hour:2027-06-30T10"},
		model.OpenablePeriods(model.PeriodHour, end.Add(model.PeriodClosingDelay), 2))
	for _, kind := range model.PeriodKinds() {
		at := newYear.Add(90 * 24 * time.Hour)
		for _, p := range model.OpenablePeriods(kind, at, 3) {
			assert.False(t, at.Before(model.PeriodClosesAt(endOf(t, p))), "%s opens at %s", p, at)
		}
	}
}
