//go:build e2e

package addregion_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// division is what the region holds (make add-region DIVISION=) and where its holder is placed: Suzhou, and its
// Industrial Park, which was Jiangsu's before Suzhou joined.
const (
	division       = "3205"
	holderDivision = "320576"
)

// placedInItsDivisions checks that the market rules in force give the region the division prefix add-region passed
// and that the ledger holds every member to them: the region's admin places its holder in 320576, and neither
// places it in Shanghai nor Jiangsu's admin a Jiangsu member in Suzhou's Huqiu District (3205 is Suzhou's now: the
// longest prefix wins), each refused naming division.
func placedInItsDivisions(t *testing.T, cfg *fabricnet.Config, region string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ms := newMembers(cfg)
	defer ms.close()

	raw, err := ms.as(t, region, "Admin").Evaluate(ctx, "market:GetRules", nil)
	require.NoError(t, err)
	var rules model.MarketRules
	require.NoError(t, json.Unmarshal(raw, &rules))
	org, ok := rules.Org(msp)
	require.True(t, ok)
	require.Equal(t, []string{division}, org.Divisions, "the rules in force give %s what DIVISION= said", region)
	for code, holder := range map[string]string{holderDivision: region, "320500": region, "320106": "jiangsu", "310115": "shanghai"} {
		require.Equal(t, holder, rules.RegionOf(code), code)
	}

	refused := func(org, code, phrase string) {
		t.Helper()
		_, err := ms.as(t, org, "Admin").Submit(ctx, "participants:SetDivision", []string{demo.ParticipantID(org, "holder"), code})
		require.Error(t, err, "%s's admin places its holder in %s", org, code)
		require.ErrorContains(t, err, "division")
		require.ErrorContains(t, err, phrase)
	}
	refused(region, "310115", "lies in shanghai, not "+region)
	refused("jiangsu", "320505", "lies in "+region+", not jiangsu")
	require.NoError(t, ms.submit(ctx, region, "Admin", "participants:SetDivision", []string{demo.ParticipantID(region, "holder"), holderDivision}))
}

// countedInItsDivisions checks that the region's gateway's index counts the region's holder's data asset, certified
// in block, where the holder is: the district, Suzhou's city, the province, the delta, once each.
func countedInItsDivisions(t *testing.T, c *client.Client, asset *model.Asset, block uint64) {
	require.Equal(t, holderDivision, asset.Division, "the asset counts where its applicant was placed")
	registered, err := time.Parse(time.RFC3339, asset.RegisteredAt)
	require.NoError(t, err)
	period := "hour:" + registered.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15")
	counted := map[string]int64{}
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		computed, err := c.Indices().Computed(ctx, period, block)
		if err != nil {
			return false // the index may still be reading the block
		}
		clear(counted)
		for _, d := range computed.Figures.Divisions {
			if d.Category == asset.Category {
				counted[d.Division+" "+d.Level] = d.Registrations
			}
		}
		return true
	}, time.Minute, time.Second, "the index computes %s up to block %d", period, block)
	require.Equal(t, map[string]int64{holderDivision + " district": 1, "320500 city": 1, "320000 province": 1, model.DeltaDivision + " delta": 1}, counted)
}
