package index_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
)

// A registration whose asset names no division counts in its region's own
// division as the market rules in force said when it was made, read from
// the blocks: Suzhou's city once the rules give Suzhou 3205, nowhere before
// (a region outside the founding table holds nothing until the rules say);
// a founding region's province throughout.
func TestAFactOfNoDivisionCountsInItsRegionsByTheRules(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		c := chaintest.NewChain(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		rules := model.MarketRules{Rules: model.Rules{Version: 1}}
		for _, region := range model.FoundingRegions {
			rules.Orgs = append(rules.Orgs, model.MarketOrg{MSPID: region + "MSP", Region: region})
		}
		registered := func(id, category, region string) {
			a := model.Asset{ID: id, Name: id, Category: category, SourceRegion: region, ExchangeRegion: region, ContentHash: "ab",
				Sources: []string{}, ApplicantID: region + ".holder", HolderID: region + ".holder", HolderMSP: region + "MSP",
				Status: model.AssetRegistered, AppliedAt: ts(c.Clock()), RegisteredAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
			c.Add(chaintest.Tx(chaintest.Record("asset", a, id)))
		}
		c.Add(chaintest.Tx(chaintest.Record("market~rules", rules, "current")))
		registered("sz-early", "early", "suzhou")
		registered("js-early", "early", "jiangsu")
		rules.Version++
		rules.Orgs = append(rules.Orgs, model.MarketOrg{MSPID: "SuzhouMSP", Region: "suzhou", Divisions: []string{"3205"}})
		c.Add(chaintest.Tx(chaintest.Record("market~rules", rules, "current")))
		registered("sz-late", "late", "suzhou")
		registered("js-late", "late", "jiangsu")

		x := open()
		run(t, x, c)
		caughtUp(t, x, c)
		period, _, err := x.ComputePeriod(t.Context(), "day:2026-03-02", uint64(len(c.All())-1))
		require.NoError(t, err)
		counted := map[string]map[string]int64{"early": {}, "late": {}}
		for _, d := range period.Figures.Divisions {
			if counted[d.Category] != nil {
				counted[d.Category][d.Division] = d.Registrations
			}
		}
		assert.Equal(t, map[string]int64{"320000": 1, model.DeltaDivision: 2}, counted["early"], "before the rules name Suzhou")
		assert.Equal(t, map[string]int64{"320500": 1, "320000": 2, model.DeltaDivision: 2}, counted["late"], "Suzhou's city, in Jiangsu's province")
	})
}
