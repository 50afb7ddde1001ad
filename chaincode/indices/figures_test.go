package indices_test

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// badFigures are figures that break one rule of the market's vocabulary or
// of the canonical text, each with the member of the figures the refusal
// names.
func badFigures(t *testing.T) []struct{ name, figures, field string } {
	t.Helper()
	edit := func(change func(f *ledgerindex.PeriodFigures)) string {
		f := markettest.PeriodFigures(period, 3, 40)
		change(&f)
		return markettest.Figures(f)
	}
	last := len(markettest.PeriodFigures(period, 3, 40).Divisions) - 1
	good := figuresOf(period)
	indented, err := json.MarshalIndent(markettest.PeriodFigures(period, 3, 40), "", " ")
	require.NoError(t, err)
	empty := markettest.PeriodFigures(period, 3, 40)
	empty.PriceIndex, empty.Activity = nil, nil
	nulls, err := json.Marshal(empty)
	require.NoError(t, err)
	return []struct{ name, figures, field string }{
		{"an unknown division code", edit(func(f *ledgerindex.PeriodFigures) { f.Divisions[last].Division = "329999" }), "figures.divisions[" + strconv.Itoa(last) + "].division"},
		{"an unknown division of the activity", edit(func(f *ledgerindex.PeriodFigures) { f.Activity[0].Division = "000000" }), "figures.activity[0].division"},
		{"a division at another level", edit(func(f *ledgerindex.PeriodFigures) { f.Divisions[last].Level = "city" }), "figures.divisions[" + strconv.Itoa(last) + "].level"},
		{"an unknown category", edit(func(f *ledgerindex.PeriodFigures) { f.Divisions[1].Category = "Finance" }), "figures.divisions[1].category"},
		{"script as a category", edit(func(f *ledgerindex.PeriodFigures) { f.PriceIndex[1].Category = "<script>alert(1)</script>" }), "figures.priceIndex[1].category"},
		{"HTML as a division", edit(func(f *ledgerindex.PeriodFigures) { f.Activity[0].Division = `<img src=x onerror=alert(1)>` }), "figures.activity[0].division"},
		{"a negative count", edit(func(f *ledgerindex.PeriodFigures) { f.Divisions[0].Registrations = -1 }), "figures.divisions[0].registrations"},
		{"a negative amount in fen", edit(func(f *ledgerindex.PeriodFigures) { f.Divisions[0].DisclosedValueFen = big.NewInt(-1200) }), "figures.divisions[0].disclosedValueFen"},
		{"an amount in fen no trade can sum to", edit(func(f *ledgerindex.PeriodFigures) {
			f.Divisions[0].DisclosedValueFen, _ = new(big.Int).SetString("1000000000000000000000000000000", 10)
		}), "figures.divisions[0].disclosedValueFen"},
		{"an amount in fen beyond int64", strings.Replace(good, `"meanPriceFen":1200`, `"meanPriceFen":99999999999999999999`, 1), "figures.divisions.meanPriceFen"},
		{"a mean price its sum does not give", edit(func(f *ledgerindex.PeriodFigures) { f.Divisions[0].MeanPriceFen = new(int64(1)) }), "figures.divisions[0].meanPriceFen"},
		{"more disclosed trades than trades", edit(func(f *ledgerindex.PeriodFigures) { f.Divisions[0].Trades = 0 }), "figures.divisions[0].disclosedTrades"},
		{"a duplicate division entry", edit(func(f *ledgerindex.PeriodFigures) { f.Divisions = append(f.Divisions, f.Divisions[last]) }), "figures.divisions[" + strconv.Itoa(last+1) + "]"},
		{"a duplicate price index", edit(func(f *ledgerindex.PeriodFigures) { f.PriceIndex = append(f.PriceIndex, f.PriceIndex[1]) }), "figures.priceIndex[2]"},
		{"unsorted divisions", edit(func(f *ledgerindex.PeriodFigures) { f.Divisions[0], f.Divisions[1] = f.Divisions[1], f.Divisions[0] }), "figures.divisions[1]"},
		{"unsorted activity", edit(func(f *ledgerindex.PeriodFigures) {
			f.Activity = append([]ledgerindex.ActivityFigure{{Division: "320583", Activity: 1, Index: 1000}}, f.Activity...)
		}), "figures.activity[1]"},
		{"a base period after the period", edit(func(f *ledgerindex.PeriodFigures) { f.PriceIndex[0].BasePeriod = "day:2026-03-05" }), "figures.priceIndex[0].basePeriod"},
		{"figures of another period", markettest.Figures(markettest.PeriodFigures("day:2026-03-03", 3, 40)), "figures.period"},
		{"figures of other blocks", markettest.Figures(markettest.PeriodFigures(period, 1, 40)), "figures.fromBlock"},
		{"an unknown member", strings.Replace(good, `"period":`, `"note":"<b>hi</b>","period":`, 1), "figures"},
		{"the same figures indented", string(indented), "figures"},
		{"null for an empty list", string(nulls), "figures"},
		{"the same figures with another member order", `{"start":` + strings.Replace(strings.TrimPrefix(good, `{"period":"day:2026-03-04","start":`), `,"end":`, `,"period":"day:2026-03-04","end":`, 1), "figures"},
		{"the same figures with < escaped otherwise", strings.Replace(good, `"finance"`, `"fin\u0061nce"`, 1), "figures"},
	}
}

// Publish refuses figures that are not well-formed in the market's own
// vocabulary or not in their canonical text, though a majority of the
// regions attested them, naming the member and the rule, and writes
// nothing; the well-formed figures of the period are then published.
func TestPublishRefusesFiguresOutsideTheVocabulary(t *testing.T) {
	f := newFixture(t)
	f.Submit("reg-0", "indices:Open", period).MustOK(t)
	for _, c := range badFigures(t) {
		t.Run(c.name, func(t *testing.T) {
			for i := range f.orgs {
				f.attest(t, i, c.figures).MustOK(t)
			}
			before := f.Snapshot()
			markettest.RequireRefused(t, f.publishOf(period, c.figures, f.orgs...), ledgererr.InvalidArgument, c.field)
			f.RequireUnchanged(t, before)
		})
	}
	for i := range f.orgs {
		f.attest(t, i, figures).MustOK(t)
	}
	f.publish(f.orgs...).MustOK(t)
}
