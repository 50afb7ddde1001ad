package model

import (
	"fmt"
	"slices"
	"time"
)

// Kinds of period of the published indices: a minute (for tests and demos),
// an hour, a day or a month of China Standard Time.
const (
	PeriodMinute = "minute"
	PeriodHour   = "hour"
	PeriodDay    = "day"
	PeriodMonth  = "month"
)

// chinaStandardTime is the zone of the periods: the market's calendar.
var chinaStandardTime = time.FixedZone("CST", 8*60*60)

// periodKind is how a kind's periods are named and how long they last.
type periodKind struct {
	layout string
	next   func(start time.Time) time.Time
}

var periodKinds = map[string]periodKind{
	PeriodMinute: {"2006-01-02T15:04", func(t time.Time) time.Time { return t.Add(time.Minute) }},
	PeriodHour:   {"2006-01-02T15", func(t time.Time) time.Time { return t.Add(time.Hour) }},
	PeriodDay:    {time.DateOnly, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	PeriodMonth:  {"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
}

// PeriodKinds returns the kinds of period, shortest first.
func PeriodKinds() []string { return []string{PeriodMinute, PeriodHour, PeriodDay, PeriodMonth} }

// CheckPeriodKind checks that kind is one of PeriodKinds.
func CheckPeriodKind(kind string) error {
	if _, ok := periodKinds[kind]; !ok {
		return fmt.Errorf("must be one of %v, got %q", PeriodKinds(), Clipped(kind))
	}
	return nil
}

// PeriodOf names the period of the kind that holds t, e.g. "day:2026-12-02".
// It panics on a kind that CheckPeriodKind refuses.
func PeriodOf(kind string, t time.Time) string {
	k, ok := periodKinds[kind]
	if !ok {
		panic("model.PeriodOf: no kind of period " + kind)
	}
	return kind + ":" + t.In(chinaStandardTime).Format(k.layout)
}

// ClosedPeriods names the last n periods of the kind that have ended by
// now, latest first.
func ClosedPeriods(kind string, now time.Time, n int) []string {
	current, _, _ := ParsePeriod(PeriodOf(kind, now))
	var out []string
	for end := current; len(out) < n; {
		start := previousStart(kind, end)
		out = append(out, PeriodOf(kind, start))
		end = start
	}
	return slices.Clip(out)
}

// OpenablePeriods names the last n periods of the kind that indices:Open
// opens at now, latest first: those whose closing instant (PeriodClosesAt)
// has come by now (a period ended sooner may still get transactions). A
// later period never closes sooner than an earlier one, so these are the
// ended periods from the newest that has closed back.
func OpenablePeriods(kind string, now time.Time, n int) []string {
	current, _, _ := ParsePeriod(PeriodOf(kind, now))
	var out []string
	for end := current; len(out) < n; {
		start := previousStart(kind, end)
		if !now.Before(PeriodClosesAt(end)) {
			out = append(out, PeriodOf(kind, start))
		}
		end = start
	}
	return slices.Clip(out)
}

// previousStart is the start of the period of the kind that ends at end.
func previousStart(kind string, end time.Time) time.Time {
	switch kind {
	case PeriodMinute:
		return end.Add(-time.Minute)
	case PeriodHour:
		return end.Add(-time.Hour)
	case PeriodDay:
		return end.AddDate(0, 0, -1)
	}
	return end.AddDate(0, -1, 0)
}
