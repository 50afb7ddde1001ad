//go:build e2e

package dashboard_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/deltaledger/deltaledger/gateway/internal/dashboard"
	"github.com/deltaledger/deltaledger/internal/browsertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/web"
)

// published is a publication as GET /v1/indices lists it, with figures and
// hashes the page's own check accepts.
func published(period string, attestedBy, electorate []string) model.Publication {
	return publishedFigures(period, fmt.Sprintf(`{"period":%q,"toBlock":20,"divisions":[]}`, period), attestedBy, electorate)
}

// publishedFigures is a publication of the figures given (JSON text).
func publishedFigures(period, figures string, attestedBy, electorate []string) model.Publication {
	p := model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: 11, ToBlock: 20,
		InputHash: model.FiguresHash("input " + period), FiguresHash: model.FiguresHash(figures), Figures: figures,
		AttestedBy: attestedBy, Electorate: electorate}
	p.Digest = model.IndicesDigest(p.Period, p.FromBlock, p.ToBlock, p.InputHash, p.FiguresHash)
	return p
}

// gatewayAnswering serves the dashboard, its assets and an API that
// answers the page's reads with an empty market and the publications
// given; the live feed stays open and silent.
func gatewayAnswering(t *testing.T, publications ...model.Publication) *httptest.Server {
	t.Helper()
	return gatewayFeeding(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, nil, publications...)
}

// gatewayFeeding is gatewayAnswering whose live feed, once its headers are
// sent, is feed's; asked, if not nil, is told the path of every read.
func gatewayFeeding(t *testing.T, feed http.HandlerFunc, asked func(path string), publications ...model.Publication) *httptest.Server {
	t.Helper()
	if !web.Built() {
		t.Fatal("web assets not built: run `make assets`")
	}
	answers := map[string]any{
		"/v1/market/statistics":  map[string]any{"groups": []any{}, "indexedBlock": 20},
		"/v1/market/flows":       map[string]any{"flows": []any{}, "indexedBlock": 20},
		"/v1/market/price-index": map[string]any{"points": []any{}},
		"/v1/indices":            map[string]any{"items": publications},
		"/v1/catalogue":          map[string]any{"items": []any{}, "indexedBlock": 20},
	}
	mux := http.NewServeMux()
	mux.Handle(dashboard.Path, dashboard.Handler())
	mux.Handle(web.Prefix, web.Handler())
	for path, answer := range answers {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			if asked != nil {
				asked(path)
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(answer)
		})
	}
	mux.HandleFunc("GET /v1/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		feed(w, r)
	})
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close) // after the browser's cleanup, which ends the feed's request
	return srv
}

// connected opens the dashboard of srv in Chromium, connects with an API
// key and waits until the page shows what until (a script) says.
func connected(t *testing.T, srv *httptest.Server, until string) *browsertest.Browser {
	b := browsertest.New(t, browsertest.TrustCertificate(srv.Certificate()), browsertest.WithTimeout(time.Minute))
	b.Do(t, "open the dashboard and connect",
		chromedp.Navigate(srv.URL+dashboard.Path),
		chromedp.WaitVisible(chromedp.ID("key")),
		chromedp.SendKeys(chromedp.ID("key"), "dlk_test"),
		chromedp.Click(chromedp.CSS("#connect button")),
		chromedp.Poll[chromedp.Void](until))
	return b
}

// A regulator sees at a glance who vouched for a published index: the
// regions that attested it out of the electorate it was counted over, and
// the regions that did not attest, in Chinese and in English; a
// publication made before records kept an electorate shows its attesters
// alone, as before.
func TestPublishedIndicesShowTheirElectorate(t *testing.T) {
	attested := []string{"JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}
	srv := gatewayAnswering(t,
		published("day:2026-12-05", attested, []string{"AnhuiMSP", "JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}),
		published("day:2026-12-04", attested, nil))
	b := connected(t, srv, `document.querySelectorAll("#published tbody td.verified").length === 2`)
	attesters := func() map[string]string {
		return browsertest.Eval[map[string]string](t, b,
			`Object.fromEntries([...document.querySelectorAll("#published tbody tr")].map(tr => [tr.dataset.period, tr.children[2].textContent]))`)
	}
	want := map[string]string{
		"day:2026-12-05": "4 个区域中的 3 个：JiangsuMSP, ShanghaiMSP, ZhejiangMSP；未证明：AnhuiMSP",
		"day:2026-12-04": "JiangsuMSP, ShanghaiMSP, ZhejiangMSP",
	}
	if got := attesters(); !reflect.DeepEqual(got, want) {
		t.Errorf("attesters in Chinese:\n got %q\nwant %q", got, want)
	}
	checks := browsertest.Eval[[]string](t, b, `[...document.querySelectorAll("#published td.verified")].map(td => td.textContent)`)
	if !reflect.DeepEqual(checks, []string{"✓ 哈希一致", "✓ 哈希一致"}) {
		t.Errorf("the page's own check of the publications: %q", checks)
	}

	b.Do(t, "switch to English", chromedp.Click(chromedp.ID("lang")),
		chromedp.Poll[chromedp.Void](`document.documentElement.lang === "en" && document.querySelector("#published td.verified").textContent.includes("hashes match")`))
	want["day:2026-12-05"] = "3 of 4 regions: JiangsuMSP, ShanghaiMSP, ZhejiangMSP; not attested: AnhuiMSP"
	if got := attesters(); !reflect.DeepEqual(got, want) {
		t.Errorf("attesters in English:\n got %q\nwant %q", got, want)
	}
	b.NoConsoleErrors(t)
}

// A division's code in published figures is ledger data: the treemap's
// tooltip, which ECharts inserts as HTML, shows a code the divisions table
// does not name as text, never as markup.
func TestTheTreemapsTooltipShowsADivisionCodeAsText(t *testing.T) {
	code := `<b id="injected">31</b>`
	division, err := json.Marshal(map[string]any{"division": code, "level": "province", "category": "*", "registrations": 7, "listings": 0, "trades": 0})
	if err != nil {
		t.Fatal(err)
	}
	period := "day:2026-12-05"
	srv := gatewayAnswering(t, publishedFigures(period, fmt.Sprintf(`{"period":%q,"toBlock":20,"divisions":[%s]}`, period, division), nil, nil))
	b := connected(t, srv, `document.querySelector("#divisions .chart").dataset.period === "`+period+`"`)
	// The one province fills the treemap: hover its middle.
	middle := browsertest.Eval[[]float64](t, b, `(() => { const r = document.querySelector("#divisions .chart").getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
	b.Do(t, "hover the division",
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, middle[0]-5, middle[1]-5),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, middle[0], middle[1]),
		chromedp.Poll[chromedp.Void](`document.querySelector("#divisions .chart").textContent.includes(": 7")`))
	if browsertest.Eval[bool](t, b, `document.getElementById("injected") !== null`) {
		t.Error("the division's code was inserted as HTML")
	}
	if tip := browsertest.Eval[string](t, b, `document.querySelector("#divisions .chart").textContent`); !strings.Contains(tip, code+": 7") {
		t.Errorf("the tooltip does not show the code as text: %q", tip)
	}
	b.NoConsoleErrors(t)
}

// The figures follow the market: a second after an event the page reads
// them again, however many events follow within that second. A market whose
// events came faster than one a second (a busy market, or a rival that kept
// one coming) left them as they were when the page connected, the live feed
// moving beside them.
func TestTheFiguresFollowAMarketThatNeverPauses(t *testing.T) {
	var mu sync.Mutex
	reads := 0
	asked := func(path string) {
		if path == "/v1/market/statistics" {
			mu.Lock()
			reads++
			mu.Unlock()
		}
	}
	readsNow := func() int {
		mu.Lock()
		defer mu.Unlock()
		return reads
	}
	// An event every 200 ms, for as long as the page listens.
	feed := func(w http.ResponseWriter, r *http.Request) {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for n := 1; ; n++ {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
			fmt.Fprintf(w, "id: %d\nevent: AssetApplied\ndata: {\"name\":\"AssetApplied\",\"block_number\":%d,\"transaction_id\":\"tx%d\",\"payload\":{\"assetId\":\"a%d\"}}\n\n", n, n, n, n)
			w.(http.Flusher).Flush()
		}
	}
	srv := gatewayFeeding(t, feed, asked, published("day:2026-12-05", nil, nil))
	b := connected(t, srv, `document.querySelectorAll("#feed li").length >= 3`)
	connectedReads := readsNow()
	deadline := time.Now().Add(10 * time.Second)
	for readsNow() < connectedReads+2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := readsNow(); got < connectedReads+2 {
		t.Errorf("the page read the figures %d times in 10 s of events every 200 ms, %d of them when it connected", got, connectedReads)
	}
	b.NoConsoleErrors(t)
}
