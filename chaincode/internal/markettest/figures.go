package markettest

import (
	"math/big"
	"slices"
	"time"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// PeriodFigures returns well-formed figures of period counting the blocks
// from to to, as a gateway computes them: one disclosed trade of finance at
// 1,200 fen in 320576 Suzhou Industrial Park, rolled up to the delta. A
// period that is none is the test's own mistake: it panics.
func PeriodFigures(period string, from, to uint64) ledgerindex.PeriodFigures {
	start, end, err := model.ParsePeriod(period)
	if err != nil {
		panic(err)
	}
	price := int64(1200)
	var divisions []ledgerindex.DivisionFigures
	for _, d := range model.RollUp("320576") {
		for _, category := range []string{ledgerindex.AllCategories, "finance"} {
			divisions = append(divisions, ledgerindex.DivisionFigures{Division: d.Code, Level: d.Level, Category: category,
				Trades: 1, DisclosedTrades: 1, DisclosedValueFen: big.NewInt(price), MeanPriceFen: &price, MedianPriceFen: &price})
		}
	}
	slices.SortFunc(divisions, ledgerindex.CompareDivisionFigures)
	return ledgerindex.PeriodFigures{Period: period, Start: start.Format(time.RFC3339), End: end.Format(time.RFC3339),
		FromBlock: from, ToBlock: to, Divisions: divisions,
		PriceIndex: []ledgerindex.PriceIndexFigure{{Category: ledgerindex.AllCategories, Index: 1000, BasePeriod: period, Traded: true},
			{Category: "finance", Index: 1000, BasePeriod: period, Traded: true}},
		Activity: []ledgerindex.ActivityFigure{{Division: "320576", Activity: 1, Index: 1000}}}
}

// Figures returns the canonical text of figures (ledgerindex.CanonicalFigures).
func Figures(figures ledgerindex.PeriodFigures) string {
	b, err := ledgerindex.CanonicalFigures(figures)
	if err != nil {
		panic(err)
	}
	return string(b)
}
