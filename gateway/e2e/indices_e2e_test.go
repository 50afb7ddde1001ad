//go:build e2e

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/model"
)

// On the real four-region network a period's indices are published only
// with a majority of the regions' attestations of the same figures: a peer
// whose org has not attested refuses to endorse, two orgs are not a
// majority, three are.
func TestIndicesArePublishedWithAMajorityOfRegions(t *testing.T) {
	// A past period of its own: every run publishes a new one.
	period := "day:" + time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(time.Now().Unix()/60%9000)).Format(time.DateOnly)
	gws := map[string]*gateway{}
	for _, org := range []string{"shanghai", "jiangsu", "zhejiang", "anhui"} {
		dir := t.TempDir()
		gws[org] = startGateway(t, org, dir, func(c *config.Config) {
			c.Index.Enabled, c.Index.Path, c.Indices.Member = true, filepath.Join(dir, "market-index.db"), "regulator"
		})
	}
	stats := gws["shanghai"].must(200, "regulator", "GET", "/v1/market/statistics", nil)
	to := uint64(stats["indexedBlock"].(float64))
	var digests []string
	for _, org := range []string{"shanghai", "jiangsu", "zhejiang"} {
		a := gws[org].must(200, "regulator", "POST", fmt.Sprintf("/v1/indices/%s/attest?toBlock=%d", period, to), nil)
		digests = append(digests, a["digest"].(string))
	}
	assert.Equal(t, digests[0], digests[1], "the regions compute the same figures")
	assert.Equal(t, digests[0], digests[2])

	publish := func(orgs string) answer {
		return gws["shanghai"].call("regulator", "POST", fmt.Sprintf("/v1/indices/%s/publish?toBlock=%d&endorsingOrganizations=%s", period, to, orgs), nil)
	}
	refused := publish("ShanghaiMSP,AnhuiMSP")
	assert.NotEqual(t, 200, refused.Status)
	assert.Contains(t, string(refused.Body), "AnhuiMSP has not attested", "Anhui's peer refuses to endorse")
	assert.NotContains(t, string(refused.Body), "do not match", "the endorsing peers read the same state")
	minority := publish("ShanghaiMSP,JiangsuMSP")
	assert.NotEqual(t, 200, minority.Status, "two of four orgs are no majority: %s", minority.Body)
	assert.Contains(t, string(minority.Body), "ENDORSEMENT_POLICY_FAILURE")
	done := publish("ShanghaiMSP,JiangsuMSP,ZhejiangMSP")
	require.Equal(t, 200, done.Status, "%s", done.Body)

	// Anyone may read and check the publication, on any region's peer once
	// it has the publication's block (X-Min-Block).
	require.NotEmpty(t, done.Header.Get("X-Ledger-Block"))
	p := gws["anhui"].must(200, "buyer", "GET", "/v1/indices/"+period, nil, "X-Min-Block", done.Header.Get("X-Ledger-Block"))
	assert.Equal(t, model.PublicationPublished, p["status"])
	assert.Equal(t, []any{"JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}, p["attestedBy"])
	// The orgs of the rules at the publication, over which its majority is
	// counted for good (interface 9.0.0): the three are a majority of them.
	require.IsType(t, []any{}, p["electorate"])
	assert.Subset(t, p["electorate"], p["attestedBy"])
	assert.Less(t, len(p["electorate"].([]any)), 6)
	sum := sha256.Sum256([]byte(p["figures"].(string)))
	assert.Equal(t, hex.EncodeToString(sum[:]), p["figuresHash"])
	assert.Equal(t, digests[0], model.IndicesDigest(period, uint64(p["fromBlock"].(float64)), uint64(p["toBlock"].(float64)),
		p["inputHash"].(string), p["figuresHash"].(string)))
	csv := gws["jiangsu"].call("holder", "GET", "/v1/indices/"+period+"/figures.csv", nil, "X-Min-Block", done.Header.Get("X-Ledger-Block"))
	require.Equal(t, 200, csv.Status, "%s", csv.Body)
	assert.True(t, strings.HasPrefix(string(csv.Body), "period,division,level,category,"), "%s", csv.Body)
	again := publish("ShanghaiMSP,JiangsuMSP,ZhejiangMSP")
	assert.Equal(t, 409, again.Status, "a publication is final: %s", again.Body)
}

// On the real network an org's admin places its data holder in a district
// (GB/T 2260 code, checked by the chaincode against the shipped table and
// the org's region); the holder's new asset carries the district, the
// catalogue finds it by district and by city, and a period's figures count
// it in the district, its city, its province and the delta.
func TestIndicesByCityAndDistrict(t *testing.T) {
	dir := t.TempDir()
	js := startGateway(t, "jiangsu", dir, func(c *config.Config) {
		c.Index.Enabled, c.Index.Path, c.Indices.Member = true, filepath.Join(dir, "market-index.db"), "regulator"
	})
	holder := js.must(200, "holder", "GET", "/v1/participants/me", nil)["id"].(string)
	place := func(role, division string) answer {
		return js.call(role, "PUT", "/v1/participants/"+holder+"/division", map[string]any{"division": division})
	}
	if a := place("Admin", "320576"); a.Status != 409 { // 409: placed there by the demo or an earlier run
		require.Equal(t, 200, a.Status, "%s", a.Body)
	}
	wrongRegion := place("Admin", "330106")
	assert.Equal(t, 400, wrongRegion.Status, "%s", wrongRegion.Body)
	assert.Contains(t, string(wrongRegion.Body), "lies in zhejiang", "a Jiangsu member is not placed in Hangzhou")
	assert.Equal(t, 403, place("holder", "320505").Status, "a member does not place itself")

	category := "geo-" + run
	assetID := id("geo-asset")
	registerAssetIn(t, js, assetID, category)
	asset := js.must(200, "buyer", "GET", "/v1/assets/"+assetID, nil)
	assert.Equal(t, "320576", asset["division"])
	registered, err := time.Parse(time.RFC3339, asset["registeredAt"].(string))
	require.NoError(t, err)

	var indexed float64
	require.Eventually(t, func() bool {
		a := js.call("buyer", "GET", "/v1/catalogue?category="+category+"&division=320500", nil)
		var cat struct {
			IndexedBlock float64          `json:"indexedBlock"`
			Items        []map[string]any `json:"items"`
		}
		if a.Status != 200 || json.Unmarshal(a.Body, &cat) != nil {
			return false // the new index may still be reading the channel
		}
		indexed = cat.IndexedBlock
		items := cat.Items
		return len(items) == 1 && items[0]["status"] == model.AssetRegistered
	}, 60*time.Second, 500*time.Millisecond, "the city's catalogue lists the asset once it is registered")
	district := js.must(200, "buyer", "GET", "/v1/catalogue?category="+category+"&division=320576", nil)
	assert.Len(t, district["items"], 1)
	elsewhere := js.must(200, "buyer", "GET", "/v1/catalogue?category="+category+"&division=320505", nil)
	assert.Empty(t, elsewhere["items"], "not in Huqiu District")

	period := "hour:" + registered.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15")
	computed := js.must(200, "buyer", "GET", fmt.Sprintf("/v1/indices/%s/computed?toBlock=%d", period, uint64(indexed)), nil)
	counted := map[string]any{}
	for _, d := range computed["figures"].(map[string]any)["divisions"].([]any) {
		d := d.(map[string]any)
		if d["category"] == category {
			counted[d["division"].(string)+" "+d["level"].(string)] = d["registrations"]
		}
	}
	assert.Equal(t, map[string]any{"320576 district": 1.0, "320500 city": 1.0, "320000 province": 1.0, model.DeltaDivision + " delta": 1.0}, counted)
}

// On the real network the regions publish each closed period with no one
// asking and no coordinator: four gateways, each a region's regulator,
// close every minute by themselves (a test configuration: minute periods,
// a round every 2 s). A member stamps a transaction in the minute of a new
// asset's registration as far ahead as the peers accept (past the minute's
// end): it does not close the minute, so a registration later in the
// minute counts. At the minute's closing instant (model.PeriodClosesAt)
// the publishers open it, which closes it (closeMinute); it is attested by
// the regions at the block before the opening and published once, though
// all four race to open and publish it; every
// region recomputes the same digest from its own index at that block, and
// the figures count both registrations.
func TestIndicesPublishThemselvesAtEachPeriodsClose(t *testing.T) {
	t.Parallel() // it waits for a minute to close (closeMinute)
	gws := map[string]*gateway{}
	for _, org := range []string{"shanghai", "jiangsu", "zhejiang", "anhui"} {
		dir := t.TempDir()
		gws[org] = startGateway(t, org, dir, func(c *config.Config) {
			c.Index.Enabled, c.Index.Path, c.Indices.Member = true, filepath.Join(dir, "market-index.db"), "regulator"
			c.Indices.AutoPublish, c.Indices.Periods, c.Indices.Lookback, c.Indices.Interval = true, []string{model.PeriodMinute}, 2, 2*time.Second
		})
	}
	category := "close-" + run
	first, late := id("close-asset"), id("close-late")
	applyForAsset(t, gws["shanghai"], first, category)
	applyForAsset(t, gws["shanghai"], late, category)
	// Both are registered in the first 40 seconds of one minute.
	if time.Now().Second() > 15 {
		time.Sleep(time.Until(time.Now().Truncate(time.Minute).Add(time.Minute + time.Second)))
	}
	certifyAsset(t, gws["shanghai"], first)
	period := model.PeriodOf(model.PeriodMinute, registeredAt(t, gws["shanghai"], first))
	_, end, err := model.ParsePeriod(period)
	require.NoError(t, err)

	// As far ahead as the peers accept, past the minute's end: from 45 s before it on.
	time.Sleep(time.Until(end.Add(-model.MaxClockLead + 15*time.Second)))
	ahead := time.Now().Add(model.MaxClockLead - 10*time.Second)
	require.True(t, ahead.After(end), "stamped after the end of %s", period)
	_, err = testNet.SubmitStampedAt(t.Context(), "shanghai", "Admin", ahead, "market:GetRules")
	require.NoError(t, err, "a transaction stamped ahead, within what the peers accept")
	certifyAsset(t, gws["shanghai"], late)
	require.Equal(t, period, model.PeriodOf(model.PeriodMinute, registeredAt(t, gws["shanghai"], late)),
		"the second registration was not made in the minute of the first: the test ran too slowly")
	closeMinute(t, period)

	var p map[string]any
	require.Eventually(t, func() bool {
		a := gws["anhui"].call("buyer", "GET", "/v1/indices/"+period, nil)
		if a.Status != 200 || json.Unmarshal(a.Body, &p) != nil {
			return false
		}
		return p["status"] == model.PublicationPublished
	}, 3*time.Minute, time.Second, "the minute %s was not published by itself", period)

	assert.GreaterOrEqual(t, len(p["attestedBy"].([]any)), 3, "a majority of the regions attested by themselves: %v", p["attestedBy"])
	toBlock := uint64(p["toBlock"].(float64))
	for org, g := range gws {
		c := g.must(200, "regulator", "GET", fmt.Sprintf("/v1/indices/%s/computed?toBlock=%d", period, toBlock), nil)
		assert.Equal(t, p["digest"], c["digest"], "%s computes the published figures from its own index at block %d", org, toBlock)
	}
	var figures struct {
		Divisions []struct {
			Division, Category string
			Registrations      int
		} `json:"divisions"`
	}
	require.NoError(t, json.Unmarshal([]byte(p["figures"].(string)), &figures))
	counted := 0
	for _, d := range figures.Divisions {
		if d.Category == category && d.Division == model.DeltaDivision {
			counted = d.Registrations
		}
	}
	assert.Equal(t, 2, counted, "the minute's figures count both assets registered in it, the second after a transaction stamped ahead")
	// The list is the newest first, from Jiangsu's own index: the minute
	// just published is on its first page, whatever was published before.
	list := gws["jiangsu"].must(200, "buyer", "GET", "/v1/indices?limit=100&minBlock="+fmt.Sprint(toBlock), nil)
	times := 0
	var previous time.Time
	for i, item := range list["items"].([]any) {
		p := item.(map[string]any)
		if p["period"] == period {
			times++
		}
		assert.Equal(t, model.PublicationPublished, p["status"], "each item is a publication the chain vouches for")
		_, end, err := model.ParsePeriod(p["period"].(string))
		require.NoError(t, err)
		assert.False(t, i > 0 && end.After(previous), "newest first: %s after a period that ended before it", p["period"])
		previous = end
	}
	assert.Equal(t, 1, times, "published once, though four regulators' gateways raced")
}

// registeredAt is when an asset was registered, as the chain says.
func registeredAt(t *testing.T, g *gateway, assetID string) time.Time {
	t.Helper()
	asset := g.must(200, "buyer", "GET", "/v1/assets/"+assetID, nil)
	at, err := time.Parse(time.RFC3339, asset["registeredAt"].(string))
	require.NoError(t, err)
	return at
}

// closeMinute waits for a minute period's closing instant
// (model.PeriodClosesAt), when the publishers of the gateways the test
// started open it, which closes it (index.ClosingBlock): no transaction
// stamped there closes it, as a transaction endorsed by one org alone may
// be stamped at any time. The wait is five minutes or more, so the tests
// that call it run in parallel (t.Parallel) and wait once, together, after
// the package's other tests.
func closeMinute(t *testing.T, period string) {
	t.Helper()
	_, end, err := model.ParsePeriod(period)
	require.NoError(t, err)
	time.Sleep(time.Until(model.PeriodClosesAt(end)))
}
