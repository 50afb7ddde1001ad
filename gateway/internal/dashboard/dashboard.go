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
	"embed"
	"encoding/json"
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

// contentSecurityPolicy lets the page load only this gateway's own scripts
// and styles and call only this gateway. ECharts positions its tooltips
// with inline styles.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves the dashboard. In a binary built without the web assets
// the page is 503 and says so.
func Handler() http.Handler {
	divisions, err := json.Marshal(model.Divisions())
	if err != nil {
		panic(err) // a table of strings always encodes
	}
	return web.Page{
		Path:                  Path,
		Files:                 page,
		Own:                   []string{"dashboard.js", "dashboard.css"},
		Index:                 map[string]string{"ECharts": web.URL(echarts, "dist/echarts.min.js")},
		Unbuilt:               map[string]string{"Reason": web.NotBuilt},
		ContentSecurityPolicy: contentSecurityPolicy,
	}.Handler(func(mux *http.ServeMux) {
		// The page names the divisions of the figures from the chaincode's
		// own table, never a copy of it.
		mux.HandleFunc("GET "+Path+"divisions.json", func(w http.ResponseWriter, r *http.Request) {
			web.WritePage(w, http.StatusOK, "application/json", divisions)
		})
	})
}
