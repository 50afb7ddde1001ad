// Package dashboard serves the market monitor: a web page on every gateway
// that shows what the gateway's ledger index and the ledger say about the
// market (volumes per region, the cross-region flow matrix, the price index,
// the published indices with their on-chain proof and the divisions' figures,
// the catalogue search and a live feed of market events), in Chinese and
// English. The page calls this gateway's API with the member's API key, which
// stays in the browser tab; its charts are Apache ECharts, embedded by
// package web. Nothing is loaded from the internet.
package dashboard

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/web"
)

// Path is the dashboard's stable path; Handler serves it and everything
// under it.
const Path = "/dashboard/"

// echarts is the npm package the charts are drawn with (web/package.json).
const echarts = "echarts"

//go:embed page
var page embed.FS

var templates = template.Must(template.ParseFS(page, "page/*.html"))

// contentSecurityPolicy lets the page load only this gateway's own scripts
// and styles and call only this gateway. ECharts positions its tooltips
// with inline styles.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// files are the page's own scripts and styles, kept out of the HTML so
// that the policy allows no inline script.
var files = map[string]string{
	"dashboard.js":  "text/javascript; charset=utf-8",
	"dashboard.css": "text/css; charset=utf-8",
}

// Handler serves the dashboard. In a binary built without the web assets
// the page is 503 and says so.
func Handler() http.Handler {
	index := render("index.html", map[string]string{"ECharts": web.URL(echarts, "dist/echarts.min.js")})
	unbuilt := render("unbuilt.html", map[string]string{"Reason": web.NotBuilt})
	divisions, err := json.Marshal(model.Divisions())
	if err != nil {
		panic(err) // a table of strings always encodes
	}
	mux := http.NewServeMux()
	// The page names the divisions of the figures from the chaincode's own
	// table, never a copy of it.
	mux.HandleFunc("GET "+Path+"divisions.json", func(w http.ResponseWriter, r *http.Request) {
		web.WritePage(w, http.StatusOK, "application/json", divisions)
	})
	mux.HandleFunc("GET "+Path+"{$}", func(w http.ResponseWriter, r *http.Request) {
		if !web.Built() {
			web.WritePage(w, http.StatusServiceUnavailable, "text/html; charset=utf-8", unbuilt)
			return
		}
		web.WritePage(w, http.StatusOK, "text/html; charset=utf-8", index)
	})
	mux.HandleFunc("GET "+Path+"{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		contentType, ok := files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body, _ := page.ReadFile("page/" + name)
		web.WritePage(w, http.StatusOK, contentType, body)
	})
	return web.PageHeaders(contentSecurityPolicy, mux)
}

func render(name string, data any) []byte {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		panic(err) // the templates are embedded: a failure is a bug caught by the tests
	}
	return b.Bytes()
}
