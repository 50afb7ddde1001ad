package model_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// TestEveryFieldIsDescribed checks each declared parameter: a name, a
// description, a type, a pattern that compiles, and a schema for objects.
func TestEveryFieldIsDescribed(t *testing.T) {
	functions := map[string]bool{}
	for _, c := range model.Contracts() {
		require.NotEmpty(t, c.Title, c.Name)
		for _, f := range c.Functions {
			assert.False(t, functions[f.FullName()], "%s is declared twice", f.FullName())
			functions[f.FullName()] = true
			assert.NotNil(t, f.Returns, f.FullName())
			names := map[string]bool{}
			for _, p := range append(append([]model.Field(nil), f.Params...), f.Transient...) {
				where := f.FullName() + " " + p.Name
				assert.NotEmpty(t, p.Name, where)
				assert.False(t, names[p.Name], "%s: parameter named twice", where)
				names[p.Name] = true
				assert.NotEmpty(t, p.Description, where)
				assert.NotEmpty(t, p.Type, where)
				if p.Pattern != "" {
					_, err := regexp.Compile(p.Pattern)
					assert.NoError(t, err, where)
				}
				assert.Equal(t, p.Type == model.TypeObject, p.Schema != nil, "%s: objects, and only objects, have a schema", where)
			}
			if f.Paginated() {
				assert.True(t, f.Evaluate, "%s: lists are evaluated", f.FullName())
				assert.NotPanics(t, func() { f.ItemOf() }, f.FullName())
			}
		}
	}
	assert.Len(t, functions, 101)
	f, ok := model.LookupFunction("assets:Apply")
	require.True(t, ok)
	assert.Equal(t, "name", f.Params[1].Name)
	assert.Equal(t, model.MaxAssetNameLength, f.Params[1].MaxLength)
	_, ok = model.LookupFunction("assets:Nothing")
	assert.False(t, ok)
}

// TestEventCatalogue checks that each event is declared once, that every
// credit event is for the regulator only, every trade event for those who
// may read the trade (its payload names them) but the closing of the trades
// a sale beat, and that the rest is the market's.
func TestEventCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range model.Events() {
		assert.False(t, seen[e.Name], "event %s is declared twice", e.Name)
		seen[e.Name] = true
		assert.NotNil(t, e.Payload, e.Name)
		switch e.Contract {
		case model.CreditContract.Name:
			assert.Equal(t, model.AudienceRegulator, e.Audience, e.Name)
		case model.TradesContract.Name:
			want := model.AudienceTrade
			if e.Name == model.EventTradesClosed {
				want = model.AudienceClosedTrades // it names other buyers' trades than its own
			}
			assert.Equal(t, want, e.Audience, e.Name)
			assert.IsType(t, model.TradeEvent{}, e.Payload, e.Name)
		default:
			assert.Equal(t, model.AudienceMarket, e.Audience, e.Name)
		}
		found, ok := model.LookupEvent(e.Name)
		assert.True(t, ok)
		assert.Equal(t, e.Name, found.Name)
	}
	assert.Len(t, seen, 53)
	_, ok := model.LookupEvent("Unclassified")
	assert.False(t, ok)
}

// TestPatterns checks the identifier patterns against examples.
func TestPatterns(t *testing.T) {
	for pattern, cases := range map[string]map[string]bool{
		model.IDPattern:     {"asset-1": true, "a": true, "-a": false, "": false, "a b": false},
		model.RegionPattern: {"shanghai": true, "suzhou": true, "wuxi2": true, "s": false, "Suzhou": false, "2suzhou": false, "su-zhou": false, "abcdefghijklmnopqrstu": false},
		model.SlugPattern:   {"smart-city": true, "iot-2": true, "2iot": false, "a--b": false, "Finance": false},
		model.SHA256Pattern: {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855": true, "E3B0": false},
		model.USCCPattern:   {"91310000MA1FL1800B": true, "91310000MA1FL1800I": false},
		model.SaltPattern:   {"5a1f0c9e3b7d2a6f8e4c1b0d9a7f3e2c": true, "5a1f": false},
		model.PeriodPattern: {"day:2026-03-04": true, "month:2026-03": true, "hour:2026-03-04T09": true, "day:2026-3-4": false, "week:2026-10": false,
			"minute:2026-03-04T09:05": true, "minute:2026-03-04T09": false},
	} {
		re := regexp.MustCompile(pattern)
		for value, want := range cases {
			assert.Equal(t, want, re.MatchString(value), "%s ~ %q", pattern, value)
		}
	}
}

// TestParsePeriod checks the bounds of each kind of period in China
// Standard Time, and that a malformed one is refused with the rule. A
// period names a real span of the calendar, by one name only: a leap day
// exists in leap years alone, a month ends at its own last day, and no hour
// 24, minute 60, month 0 or 13 or day 0 parses; each period that parses is
// the one PeriodOf names from its start, so no two names of one kind cover
// the same span.
func TestParsePeriod(t *testing.T) {
	for period, want := range map[string][2]string{
		"minute:2026-03-04T09:59": {"2026-03-04T01:59:00Z", "2026-03-04T02:00:00Z"},
		"hour:2026-03-04T09":      {"2026-03-04T01:00:00Z", "2026-03-04T02:00:00Z"},
		"day:2026-03-04":          {"2026-03-03T16:00:00Z", "2026-03-04T16:00:00Z"},
		"month:2026-12":           {"2026-11-30T16:00:00Z", "2026-12-31T16:00:00Z"},
		"day:2028-02-29":          {"2028-02-28T16:00:00Z", "2028-02-29T16:00:00Z"},
		"month:2028-02":           {"2028-01-31T16:00:00Z", "2028-02-29T16:00:00Z"},
		"month:2027-02":           {"2027-01-31T16:00:00Z", "2027-02-28T16:00:00Z"},
		"minute:2026-12-31T23:59": {"2026-12-31T15:59:00Z", "2026-12-31T16:00:00Z"},
	} {
		start, end, err := model.ParsePeriod(period)
		require.NoError(t, err, period)
		assert.Equal(t, want[0], start.UTC().Format(time.RFC3339), period)
		assert.Equal(t, want[1], end.UTC().Format(time.RFC3339), period)
		kind, _, _ := strings.Cut(period, ":")
		assert.Equal(t, period, model.PeriodOf(kind, start), "the one name of the span")
	}
	for _, period := range []string{"day:2026-02-30", "day:2026-02-29", "day:2100-02-29", "day:2026-04-31", "day:2026-01-00", "month:2026-00",
		"month:2026-13", "hour:2026-03-04T24", "minute:2026-03-04T09:60", "day:2026-03-04 ", " day:2026-03-04", "day:2026-03-04\n", "Day:2026-03-04"} {
		_, _, err := model.ParsePeriod(period)
		assert.Error(t, err, "%q", period)
	}
	_, _, err := model.ParsePeriod("day:2026-02-30")
	assert.Error(t, err, "a day that does not exist")
	_, _, err = model.ParsePeriod("2026-03-04")
	assert.ErrorContains(t, err, model.PeriodRule)
	assert.NotEqual(t, model.IndicesDigest("day:2026-03-04", 1, 2, "a", "b"), model.IndicesDigest("day:2026-03-04", 1, 3, "a", "b"))
}

// TestOneOfSaysTheAlternatives checks the words the descriptions and the
// CLI's help give an enumeration: every value once, in order, the last
// after the "or".
func TestOneOfSaysTheAlternatives(t *testing.T) {
	assert.Equal(t, "UPHOLD, CORRECT or DISMISS", model.OneOf(model.Answers, ", ", " or "))
	assert.Equal(t, "UPHOLD、CORRECT 或 DISMISS", model.OneOf(model.Answers, "、", " 或 "))
	assert.Equal(t, "A", model.OneOf([]string{"A"}, ", ", " or "))
	assert.Empty(t, model.OneOf(nil, ", ", " or "))
}
