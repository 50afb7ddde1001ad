//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/gateway/internal/dashboard"
	"github.com/deltaledger/deltaledger/internal/browsertest"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
)

// artifacts is where the browser tests leave their screenshots
// (git-ignored).
var artifacts = filepath.Join("..", "..", "test-artifacts")

// A regulator opens the market monitor in a real browser against the real
// network: the charts show the numbers the API answers, a trade made
// meanwhile through two regions' gateways appears in the live feed and in
// the charts, the catalogue search finds the asset it was about, both
// languages render, and nothing goes wrong in the console (the
// Content-Security-Policy would report any load from elsewhere).
func TestDashboardInABrowser(t *testing.T) {
	t.Parallel() // it waits for a minute to close (closeMinute)
	// Three regions' gateways keep an index and close every minute by
	// themselves (a test configuration), so that the trade's minute is
	// published while the page is open.
	closing := func(dir string) func(*config.Config) {
		return func(c *config.Config) {
			c.Index.Enabled, c.Index.Path, c.Indices.Member = true, filepath.Join(dir, "market-index.db"), "regulator"
			c.Indices.AutoPublish, c.Indices.Periods, c.Indices.Lookback, c.Indices.Interval = true, []string{model.PeriodMinute}, 2, 2*time.Second
		}
	}
	dir, jsDir, zjDir := t.TempDir(), t.TempDir(), t.TempDir()
	sh := startGateway(t, "shanghai", dir, closing(dir))
	js := startGateway(t, "jiangsu", jsDir, closing(jsDir))
	startGateway(t, "zhejiang", zjDir, closing(zjDir))
	cert, err := fabricca.ReadCertificate(filepath.Join(dir, "tls.crt"))
	require.NoError(t, err)

	// A just-registered asset, listed; the index has read it (and the
	// channel from block 0) before the page opens.
	category := "dash-" + run
	assetID, listingID, tradeID := id("dash-asset"), id("dash-listing"), id("dash-trade")
	registerAssetIn(t, sh, assetID, category)
	listed := sh.must(201, "holder", "POST", "/v1/listings", map[string]any{
		"id": listingID, "assetId": assetID, "rightType": "USE", "pricing": "FIXED", "priceFen": 54321, "termsHash": hash("terms " + listingID),
		"scope": map[string]any{"purpose": "dashboard e2e", "regions": []string{"shanghai", "jiangsu"},
			"validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "maySublicense": false},
	})
	// The index has read the channel up to the listing.
	sh.must(200, "regulator", "GET", fmt.Sprintf("/v1/market/flows?minBlock=%d", int(listed["block_number"].(float64))), nil)

	b := browsertest.New(t, browsertest.TrustCertificate(cert))
	b.Do(t, "open the dashboard and connect with the regulator's key",
		chromedp.Navigate(sh.url+dashboard.Path),
		chromedp.WaitVisible(chromedp.ID("key")),
		chromedp.SendKeys(chromedp.ID("key"), sh.keys["regulator"]),
		chromedp.Click(chromedp.CSS("#connect button")),
		chromedp.Poll[chromedp.Void](`document.body.dataset.indexedBlock !== undefined`, chromedp.WithPollingTimeout(time.Minute)))
	flowsBefore := chartsMatchTheAPI(t, b, sh)

	// A trade from Shanghai to Jiangsu, made while the page is open.
	js.must(201, "buyer", "POST", "/v1/trades", map[string]any{"tradeId": tradeID, "listingId": listingID})
	sh.must(200, "holder", "POST", "/v1/trades/"+tradeID+"/accept", nil)
	js.must(200, "buyer", "POST", "/v1/trades/"+tradeID+"/payment", map[string]any{"settlementRef": "BANK-" + tradeID, "amountFen": 54321})
	sh.must(200, "holder", "POST", "/v1/trades/"+tradeID+"/deliver", map[string]any{"deliveryHash": hash("delivery " + tradeID)})
	confirmed := js.must(200, "buyer", "POST", "/v1/trades/"+tradeID+"/confirm", nil)
	completedAt, err := time.Parse(time.RFC3339, result(confirmed)["updatedAt"].(string))
	require.NoError(t, err)

	b.Do(t, "see the completed trade in the live feed",
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`[...document.querySelectorAll("#feed li")].some(li => li.dataset.event === "TradeCompleted" && li.textContent.includes("tradeId=%s"))`, tradeID),
			chromedp.WithPollingInterval(200*time.Millisecond), chromedp.WithPollingTimeout(time.Minute)))
	var flowsAfter map[[2]int]int64
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Second) {
		flowsAfter = chartsMatchTheAPI(t, b, sh)
		if flowsAfter[[2]int{0, 1}] > flowsBefore[[2]int{0, 1}] || time.Now().After(deadline) {
			break
		}
	}
	assert.Equal(t, flowsBefore[[2]int{0, 1}]+1, flowsAfter[[2]int{0, 1}], "the flow matrix counts the new Shanghai → Jiangsu trade")

	b.Do(t, "find the new asset in the catalogue",
		chromedp.SetValue(chromedp.ID("q"), assetID),
		// The page lists the newest assets before any search: the answer to
		// the search is that asset alone.
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`(rows => rows.length === 1 && rows[0].dataset.asset === %q)(document.querySelectorAll("#search tbody tr")) || (document.querySelector("#search-form button").click(), false)`, assetID),
			chromedp.WithPollingInterval(time.Second), chromedp.WithPollingTimeout(time.Minute)))
	assert.Equal(t, "Port logistics "+run, browsertest.Eval[string](t, b, fmt.Sprintf(`document.querySelector('#search tbody tr[data-asset=%q]').children[1].textContent`, assetID)))
	// The treemap of this month as the gateway computes it (not published
	// yet): the asset counts in its division, named from the chaincode's
	// table in the page's language, with the API's figures.
	division := sh.must(200, "regulator", "GET", "/v1/assets/"+assetID, nil)["division"].(string)
	if division == "" {
		division = model.PrefixDivision(model.FoundingDivisions["shanghai"][0]) // a holder placed nowhere counts at its region's division
	}
	place, ok := model.LookupDivision(division)
	require.True(t, ok, division)
	month := "month:" + time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01")
	b.Do(t, "pick this month's figures for the treemap",
		chromedp.Poll[chromedp.Void](`(s => (s.value = "now:month", s.dispatchEvent(new Event("change"))))(document.querySelector("#division-period"))`),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector("#divisions .chart").dataset.period === %q && %s.includes(%q)`,
			month, treemapNames, place.Name+" "+division), chromedp.WithPollingTimeout(time.Minute)))
	// The block and the size read in one evaluation: the page redraws the
	// treemap as its index moves on, and two reads could straddle a redraw.
	shown := browsertest.Eval[struct {
		ToBlock string  `json:"toBlock"`
		Value   float64 `json:"value"`
	}](t, b, fmt.Sprintf(`({toBlock: document.querySelector("#divisions .chart").dataset.toBlock, value: %s[%q]})`, treemapValues, place.Name+" "+division))
	computed := sh.must(200, "regulator", "GET", "/v1/indices/"+month+"/computed?toBlock="+shown.ToBlock, nil)
	var activity float64
	for _, d := range computed["figures"].(map[string]any)["divisions"].([]any) {
		if d := d.(map[string]any); d["division"] == division && d["category"] == "*" {
			activity = d["registrations"].(float64) + d["listings"].(float64) + d["trades"].(float64)
		}
	}
	assert.GreaterOrEqual(t, activity, 3.0, "this month's registration, listing and trade of the asset count in %s", division)
	assert.Equal(t, activity, shown.Value,
		"the treemap sizes %s by the activity the API computes", division)

	// The trade's minute, once closed, is published by the regions by
	// themselves; the page lists it with its block range and attesters, checks its hashes
	// in the browser, and offers it to the treemap.
	minute := model.PeriodOf(model.PeriodMinute, completedAt)
	closeMinute(t, minute)
	var published map[string]any
	require.Eventually(t, func() bool {
		a := sh.call("regulator", "GET", "/v1/indices/"+minute, nil)
		return a.Status == 200 && json.Unmarshal(a.Body, &published) == nil && published["status"] == model.PublicationPublished
	}, 3*time.Minute, time.Second, "the minute %s of the trade was not published", minute)
	row := fmt.Sprintf(`#published tbody tr[data-period=%q]`, minute)
	b.Do(t, "see the publication in the published indices, checked",
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector(%q) !== null || (refresh(), false)`, row+" td.verified"),
			chromedp.WithPollingInterval(2*time.Second), chromedp.WithPollingTimeout(time.Minute)))
	cells := browsertest.Eval[[]string](t, b, fmt.Sprintf(`[...document.querySelector(%q).children].map(td => td.textContent)`, row))
	require.Len(t, cells, 6)
	var attestedBy, absent []string
	for _, org := range published["attestedBy"].([]any) {
		attestedBy = append(attestedBy, org.(string))
	}
	electorate := published["electorate"].([]any)
	for _, org := range electorate {
		if !slices.Contains(attestedBy, org.(string)) {
			absent = append(absent, org.(string))
		}
	}
	// The attesters out of the electorate the majority was counted over,
	// then the regions that did not attest.
	attesters := fmt.Sprintf("%d 个区域中的 %d 个：%s", len(electorate), len(attestedBy), strings.Join(attestedBy, ", "))
	if len(absent) > 0 {
		attesters += "；未证明：" + strings.Join(absent, ", ")
	}
	assert.Equal(t, minute, cells[0])
	assert.Equal(t, fmt.Sprintf("%d–%d", int(published["fromBlock"].(float64)), int(published["toBlock"].(float64))), cells[1], "the block range on chain")
	assert.Equal(t, attesters, cells[2], "the regions that attested, of the electorate")
	assert.Equal(t, published["digest"].(string)[:16]+"…", cells[3])
	assert.Equal(t, "✓ 哈希一致", cells[4], "the figures hash and the digest recomputed in the browser match the record")
	assert.Contains(t, cells[5], "CSV")
	assert.True(t, browsertest.Eval[bool](t, b, fmt.Sprintf(`document.querySelector('#division-period option[value=%q]') !== null`, minute)),
		"the treemap's period picker offers the publication")
	screenshot(t, b, "dashboard-zh.png")
	// The page names the divisions from the chaincode's table.
	assert.Equal(t, []string{"苏州工业园区 320576", "上海市 310000"}, browsertest.Eval[[]string](t, b, `["320576", "310000"].map(divisionName)`))

	b.Do(t, "switch to English", chromedp.Click(chromedp.ID("lang")),
		chromedp.Poll[chromedp.Void](`document.documentElement.lang === "en"`))
	assert.Equal(t, "Yangtze River Delta data market monitor", browsertest.Eval[string](t, b, `document.querySelector("h1").textContent`))
	assert.Equal(t, []string{"Shanghai", "Jiangsu", "Zhejiang", "Anhui"}, browsertest.Eval[[]string](t, b,
		`echarts.getInstanceByDom(document.querySelector("#volumes .chart")).getOption().xAxis[0].data`))
	assert.Equal(t, []string{"Suzhou Industrial Park 320576", "Shanghai 310000"}, browsertest.Eval[[]string](t, b, `["320576", "310000"].map(divisionName)`))
	assert.Contains(t, browsertest.Eval[[]string](t, b, treemapNames), place.NameEn+" "+division, "the treemap in English")
	assert.Contains(t, browsertest.Eval[string](t, b, `document.querySelector("#division-period option[value='now:month']").textContent`),
		"This month", "the period picker in English")
	screenshot(t, b, "dashboard-en.png")
	b.NoConsoleErrors(t)
}

// treemapNames and treemapValues read the divisions' treemap as drawn: the
// names of its nodes at every level, and each node's value by name.
const (
	treemapNodes  = `(function walk(nodes) { return nodes.flatMap(n => [n, ...walk(n.children || [])]); })(echarts.getInstanceByDom(document.querySelector("#divisions .chart")).getOption().series[0].data)`
	treemapNames  = `(` + treemapNodes + `).map(n => n.name)`
	treemapValues = `Object.fromEntries((` + treemapNodes + `).map(n => [n.name, n.value]))`
)

// regionOrder is the dashboard's order of the regions on its axes.
var regionOrder = []string{"shanghai", "jiangsu", "zhejiang", "anhui"}

// chartsMatchTheAPI reads the volumes and flow charts as drawn and requires
// them to be what the API answers at the block the page shows; it returns
// the flow matrix (seller, buyer index -> trades).
func chartsMatchTheAPI(t *testing.T, b *browsertest.Browser, g *gateway) map[[2]int]int64 {
	t.Helper()
	shown := browsertest.Eval[float64](t, b, `Number(document.body.dataset.indexedBlock)`)
	volumes := browsertest.Eval[[]float64](t, b,
		`echarts.getInstanceByDom(document.querySelector("#volumes .chart")).getOption().series[0].data.map(d => typeof d === "object" ? d.value : d)`)
	cells := browsertest.Eval[[][]float64](t, b,
		`echarts.getInstanceByDom(document.querySelector("#flows .chart")).getOption().series[0].data.map(d => Array.isArray(d) ? d : d.value)`)
	// The API at the same block: the index may have moved on since the page
	// drew, so only an answer reflecting that very block is compared.
	stats := g.must(200, "regulator", "GET", fmt.Sprintf("/v1/market/statistics?groupBy=region&minBlock=%d", int(shown)), nil)
	flows := g.must(200, "regulator", "GET", fmt.Sprintf("/v1/market/flows?minBlock=%d", int(shown)), nil)
	if stats["indexedBlock"] != shown || flows["indexedBlock"] != shown {
		t.Logf("the index moved on from block %v to %v: comparing the page with the API again later", shown, flows["indexedBlock"])
		return chartFlows(cells)
	}
	want := make([]float64, len(regionOrder))
	for _, g := range stats["groups"].([]any) {
		group := g.(map[string]any)
		want[slices.Index(regionOrder, group["region"].(string))] = group["volume"].(float64)
	}
	assert.Equal(t, want, volumes, "trades per region, drawn as the API answers")
	wantFlows := map[[2]int]int64{}
	for _, f := range flows["flows"].([]any) {
		flow := f.(map[string]any)
		wantFlows[[2]int{slices.Index(regionOrder, flow["sellerRegion"].(string)), slices.Index(regionOrder, flow["buyerRegion"].(string))}] = int64(flow["volume"].(float64))
	}
	got := chartFlows(cells)
	assert.Equal(t, wantFlows, got, "the flow matrix, drawn as the API answers")
	return got
}

func chartFlows(cells [][]float64) map[[2]int]int64 {
	out := map[[2]int]int64{}
	for _, c := range cells {
		out[[2]int{int(c[0]), int(c[1])}] = int64(c[2])
	}
	return out
}

// screenshot saves the page as a test artefact.
func screenshot(t *testing.T, b *browsertest.Browser, name string) {
	t.Helper()
	png, err := chromedp.Run(b.Context(), chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(artifacts, 0o755))
	path := filepath.Join(artifacts, name)
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("screenshot: %s", path)
}
