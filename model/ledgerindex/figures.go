package ledgerindex

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// FiguresShape names the members of a period's figures, for refusals.
const FiguresShape = "{period, start, end, fromBlock, toBlock, divisions, priceIndex, activity}"

// CanonicalFigures is the one text of a period's figures that the regions
// hash and indices:Publish accepts: encoding/json's encoding of f (members
// in declaration order, no whitespace, integers in decimal), every list
// written [] when it is empty. Equal figures written any other way (spaces,
// another member order, null for an empty list, escapes) would hash
// differently: the chaincode refuses them, so that one period's figures
// have one hash, and a text that differs holds different figures.
func CanonicalFigures(f PeriodFigures) ([]byte, error) {
	f.Divisions = orEmpty(f.Divisions)
	f.PriceIndex = orEmpty(f.PriceIndex)
	f.Activity = orEmpty(f.Activity)
	return json.Marshal(f)
}

// orEmpty is s, or an empty list where s is nil.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// levelOrder ranks the levels of DivisionFigures, the whole delta first.
var levelOrder = map[string]int{model.LevelDelta: 0, model.LevelProvince: 1, model.LevelCity: 2, model.LevelDistrict: 3}

// CompareDivisionFigures orders the divisions of the figures: by level (the
// delta, then provinces, cities and districts), division code and category.
func CompareDivisionFigures(a, b DivisionFigures) int {
	if c := levelOrder[a.Level] - levelOrder[b.Level]; c != 0 {
		return c
	}
	if c := strings.Compare(a.Division, b.Division); c != 0 {
		return c
	}
	return strings.Compare(a.Category, b.Category)
}

// Check checks that f are well-formed figures of period counting the blocks
// fromBlock to toBlock, in the market's own vocabulary: the division codes
// those of the division table (model.LookupDivision) or model.DeltaDivision
// at their own level, the categories data categories (model.CategoryField)
// or AllCategories, counts not negative, amounts in fen within what the
// disclosed trades can sum to, and every list sorted as the gateways sort
// it, each entry once. A refusal names the member of the figures
// ("figures.divisions[3].category") and the rule.
func (f *PeriodFigures) Check(period string, fromBlock, toBlock uint64) error {
	start, end, err := model.ParsePeriod(period)
	if err != nil {
		return ledgererr.Invalid("period", "%v", err)
	}
	for _, c := range []struct{ field, want, got string }{
		{"figures.period", period, f.Period},
		{"figures.start", start.Format(time.RFC3339), f.Start},
		{"figures.end", end.Format(time.RFC3339), f.End},
	} {
		if c.got != c.want {
			return ledgererr.Invalid(c.field, "must be %q, that of the period published, got %q", c.want, model.Clipped(c.got))
		}
	}
	if f.FromBlock != fromBlock || f.ToBlock != toBlock {
		return ledgererr.Invalid("figures.fromBlock", "must be the block range published (%d to %d), got %d to %d", fromBlock, toBlock, f.FromBlock, f.ToBlock)
	}
	if err := checkSorted("divisions", f.Divisions, checkDivisionPlace, CompareDivisionFigures,
		ledgererr.Phrase("the divisions are sorted by level (delta, province, city, district), division and category"), checkDivisionCounts); err != nil {
		return err
	}
	if err := checkSorted("priceIndex", f.PriceIndex,
		func(field string, p PriceIndexFigure) error { return checkCategory(field+".category", p.Category) },
		func(a, b PriceIndexFigure) int { return strings.Compare(a.Category, b.Category) },
		ledgererr.Phrase("the price index is sorted by category"),
		func(field string, p PriceIndexFigure) error {
			if err := notNegative(field+".index", p.Index); err != nil {
				return err
			}
			return checkBasePeriod(field+".basePeriod", p.BasePeriod, period, start)
		}); err != nil {
		return err
	}
	return checkSorted("activity", f.Activity,
		func(field string, a ActivityFigure) error { return checkDivision(field+".division", a.Division) },
		func(a, b ActivityFigure) int { return strings.Compare(a.Division, b.Division) },
		ledgererr.Phrase("the activity is sorted by division"),
		func(field string, a ActivityFigure) error {
			if a.Activity < 1 {
				return ledgererr.Invalid(field+".activity", "must be at least 1 (a division without activity is not listed), got %d", a.Activity)
			}
			return notNegative(field+".index", a.Index)
		})
}

// checkSorted checks one list of the figures, named member ("priceIndex"),
// entry by entry in its order: the entry's key, what the list is sorted by,
// with key; then that it comes after the entry before it by compare (every
// list is sorted as the gateways sort it, each entry once; sortedBy says by
// what); then the rest of the entry with rest. The checks are given the
// entry's name ("figures.priceIndex[3]"), which a refusal names or names a
// member of.
func checkSorted[T any](member string, entries []T, key func(field string, e T) error, compare func(a, b T) int, sortedBy string,
	rest func(field string, e T) error) error {
	for i, e := range entries {
		field := fmt.Sprintf("figures.%s[%d]", member, i)
		if err := key(field, e); err != nil {
			return err
		}
		if i > 0 && compare(entries[i-1], e) >= 0 {
			return ledgererr.Invalid(field, "must come after the entry before it: %s, each once", sortedBy)
		}
		if err := rest(field, e); err != nil {
			return err
		}
	}
	return nil
}

// checkDivisionPlace checks where an entry of the figures' divisions counts,
// what they are sorted by: its division, at the division's level, and its
// category.
func checkDivisionPlace(field string, d DivisionFigures) error {
	if err := checkDivision(field+".division", d.Division); err != nil {
		return err
	}
	if level := divisionLevel(d.Division); d.Level != level {
		return ledgererr.Invalid(field+".level", "must be %q, the level of division %s, got %q", level, d.Division, model.Clipped(d.Level))
	}
	return checkCategory(field+".category", d.Category)
}

// checkDivisionCounts checks the counts and amounts of an entry of the
// figures' divisions.
func checkDivisionCounts(field string, d DivisionFigures) error {
	for _, c := range []struct {
		name string
		n    int64
	}{{"registrations", d.Registrations}, {"listings", d.Listings}, {"trades", d.Trades}, {"disclosedTrades", d.DisclosedTrades}} {
		if err := notNegative(field+"."+c.name, c.n); err != nil {
			return err
		}
	}
	if d.DisclosedTrades > d.Trades {
		return ledgererr.Invalid(field+".disclosedTrades", "must be at most trades (%d), got %d", d.Trades, d.DisclosedTrades)
	}
	most := new(big.Int).Mul(big.NewInt(d.DisclosedTrades), big.NewInt(model.MaxAmountFen))
	if d.DisclosedValueFen == nil || d.DisclosedValueFen.Sign() < 0 || d.DisclosedValueFen.Cmp(most) > 0 {
		return ledgererr.Invalid(field+".disclosedValueFen", "must be an amount in fen from 0 to %s: disclosedTrades prices of at most %d fen each", most, model.MaxAmountFen)
	}
	if (d.MeanPriceFen != nil) != (d.DisclosedTrades > 0) || (d.MedianPriceFen != nil) != (d.DisclosedTrades > 0) {
		return ledgererr.Invalid(field, "must give meanPriceFen and medianPriceFen when disclosedTrades is above 0, and only then")
	}
	if d.DisclosedTrades == 0 {
		return nil
	}
	mean := new(big.Int).Quo(d.DisclosedValueFen, big.NewInt(d.DisclosedTrades))
	if mean.Cmp(big.NewInt(*d.MeanPriceFen)) != 0 {
		return ledgererr.Invalid(field+".meanPriceFen", "must be disclosedValueFen / disclosedTrades rounded down (%s), got %d", mean, *d.MeanPriceFen)
	}
	if m := *d.MedianPriceFen; m < 1 || m > model.MaxAmountFen {
		return ledgererr.Invalid(field+".medianPriceFen", "must be an integer amount in fen from 1 to %d, got %d", model.MaxAmountFen, m)
	}
	return nil
}

// checkDivision checks a division code of the figures: one of the division
// table or model.DeltaDivision.
func checkDivision(field, code string) error {
	if _, ok := model.LookupDivision(code); !ok && code != model.DeltaDivision {
		return ledgererr.Invalid(field, "must be a division code of the division table (GB/T 2260) or %s, got %q", model.DeltaDivision, model.Clipped(code))
	}
	return nil
}

// divisionLevel is the level of a division code checkDivision accepts.
func divisionLevel(code string) string {
	if code == model.DeltaDivision {
		return model.LevelDelta
	}
	d, _ := model.LookupDivision(code)
	return d.Level
}

// categoryForm is the form of a data category (model.CategoryField).
var categoryForm = regexp.MustCompile(model.CategoryField.Pattern)

// checkCategory checks a category of the figures: a data category or
// AllCategories.
func checkCategory(field, category string) error {
	if category != AllCategories && (len(category) > model.CategoryField.MaxLength || !categoryForm.MatchString(category)) {
		return ledgererr.Invalid(field, "must be %s or a data category (a lowercase slug of at most %d characters), got %q", AllCategories, model.CategoryField.MaxLength, model.Clipped(category))
	}
	return nil
}

// checkBasePeriod checks the base period of a price index: a period of the
// same kind as the period published, not after it.
func checkBasePeriod(field, base, period string, start time.Time) error {
	baseStart, _, err := model.ParsePeriod(base)
	kind, _, _ := strings.Cut(period, ":")
	if err != nil || !strings.HasPrefix(base, kind+":") || baseStart.After(start) {
		return ledgererr.Invalid(field, "must be a period of the same kind as %s, not after it, got %q", period, model.Clipped(base))
	}
	return nil
}

// notNegative checks a count or index of the figures.
func notNegative(field string, n int64) error {
	if n < 0 {
		return ledgererr.Invalid(field, "must not be negative, got %d", n)
	}
	return nil
}
