package dashboard_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/deltaledger/deltaledger/gateway/internal/dashboard"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/web"
)

func get(h http.Handler, method, path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, path, nil))
	return w
}

// The page loads ECharts from the gateway's own assets and its own script;
// every answer forbids loading anything from elsewhere or any inline
// script.
func TestPage(t *testing.T) {
	h := dashboard.Handler()
	w := get(h, http.MethodGet, dashboard.Path)
	if w.Header().Get("Content-Security-Policy") == "" {
		t.Error("no Content-Security-Policy (web.Page holds every page to a strict one)")
	}
	body := w.Body.String()
	if !web.Built() {
		if w.Code != http.StatusServiceUnavailable || !strings.Contains(body, "make assets") {
			t.Fatalf("unbuilt dashboard: %d %s", w.Code, body)
		}
		return
	}
	if _, ok := web.Version("echarts"); !ok {
		t.Fatal("web/package.json's webAssets do not embed echarts")
	}
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s: %d %s", dashboard.Path, w.Code, w.Header().Get("Content-Type"))
	}
	for _, want := range []string{`src="` + web.URL("echarts", "dist/echarts.min.js") + `"`, `src="dashboard.js"`, `href="dashboard.css"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "http://") || strings.Contains(body, "https://") {
		t.Error("page has an inline script or an absolute URL")
	}
	if a := get(web.Handler(), http.MethodGet, web.URL("echarts", "dist/echarts.min.js")); a.Code != http.StatusOK {
		t.Errorf("the page's ECharts is not served: %d", a.Code)
	}
}

func TestPageFiles(t *testing.T) {
	h := dashboard.Handler()
	w := get(h, http.MethodGet, dashboard.Path+"dashboard.js")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") || !strings.Contains(w.Body.String(), "echarts.init(") {
		t.Fatalf("dashboard.js: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	if w := get(h, http.MethodGet, dashboard.Path+"dashboard.css"); w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("dashboard.css: %d", w.Code)
	}
	for _, p := range []string{dashboard.Path + "index.html", dashboard.Path + "unbuilt.html", dashboard.Path + "page/dashboard.js", dashboard.Path + "x/dashboard.js"} {
		if w := get(h, http.MethodGet, p); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, w.Code)
		}
	}
	if w := get(h, http.MethodPost, dashboard.Path); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST %s: %d", dashboard.Path, w.Code)
	}
}

// ECharts inserts a tooltip formatter's answer as HTML, and the page's
// tooltips name ledger data (a division's code, a region): every formatter
// answers through escapeHTML. The browser test
// (TestTheTreemapsTooltipShowsADivisionCodeAsText, make test-e2e) shows a
// code of markup as text.
func TestEveryTooltipFormatterEscapesHTML(t *testing.T) {
	script := get(dashboard.Handler(), http.MethodGet, dashboard.Path+"dashboard.js").Body.String()
	formatters := regexp.MustCompile(`formatter:\s*(\([^)]*\)|\w+)\s*=>\s*(\w+\()?`).FindAllStringSubmatch(script, -1)
	if len(formatters) == 0 {
		t.Fatal("dashboard.js has no tooltip formatter: this test reads the wrong file")
	}
	for _, f := range formatters {
		if f[2] != "escapeHTML(" {
			t.Errorf("%q answers without escapeHTML", f[0])
		}
	}
}

// The page names the divisions from the chaincode's table: every division,
// with its Chinese and English names, level and region.
func TestDivisionsAreTheChaincodes(t *testing.T) {
	w := get(dashboard.Handler(), http.MethodGet, dashboard.Path+"divisions.json")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("divisions.json: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	var got []model.Division
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, model.Divisions()) {
		t.Errorf("divisions.json holds %d divisions, not the chaincode's %d", len(got), len(model.Divisions()))
	}
	park, _ := model.LookupDivision("320576")
	if park.Name != "苏州工业园区" || !strings.Contains(w.Body.String(), `"name":"苏州工业园区","nameEn":"Suzhou Industrial Park"`) {
		t.Errorf("320576 is named %q (%q) in the table; divisions.json: %.200s", park.Name, park.NameEn, w.Body.String())
	}
}
