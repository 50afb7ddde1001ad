// Package explorer serves the gateway's API explorer: Swagger UI (embedded
// by package web, nothing loaded from the internet) over the gateway's own
// OpenAPI document, with which a member authorizes with an API key and tries
// the operations.
package explorer

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"

	"github.com/deltaledger/deltaledger/web"
)

// Path is the explorer's stable path; Handler serves it and everything
// under it.
const Path = "/explorer/"

// swaggerUI is the npm package the page is built on (web/package.json).
const swaggerUI = "swagger-ui-dist"

//go:embed page
var page embed.FS

var templates = template.Must(template.ParseFS(page, "page/*.html"))

// contentSecurityPolicy lets the page load only this gateway's own scripts,
// styles and images, and call only this gateway. Swagger UI sets inline
// styles, and draws some icons as data: URLs.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; " +
	"frame-ancestors 'none'"

// Handler serves the explorer page over the OpenAPI document at document
// (a path on the same gateway). In a binary built without the web assets
// the page is 503 and says so.
func Handler(document string) http.Handler {
	index := render("index.html", map[string]string{
		"Document":   document,
		"SwaggerJS":  web.URL(swaggerUI, "swagger-ui-bundle.js"),
		"SwaggerCSS": web.URL(swaggerUI, "swagger-ui.css"),
		"Favicon":    web.URL(swaggerUI, "favicon-32x32.png"),
	})
	unbuilt := render("unbuilt.html", map[string]string{"Document": document, "Reason": web.NotBuilt})
	js, _ := page.ReadFile("page/explorer.js")
	css, _ := page.ReadFile("page/explorer.css")
	files := map[string]struct {
		body        []byte
		contentType string
	}{
		"explorer.js":  {js, "text/javascript; charset=utf-8"},
		"explorer.css": {css, "text/css; charset=utf-8"},
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+Path+"{$}", func(w http.ResponseWriter, r *http.Request) {
		if !web.Built() {
			web.WritePage(w, http.StatusServiceUnavailable, "text/html; charset=utf-8", unbuilt)
			return
		}
		web.WritePage(w, http.StatusOK, "text/html; charset=utf-8", index)
	})
	mux.HandleFunc("GET "+Path+"{file}", func(w http.ResponseWriter, r *http.Request) {
		f, ok := files[r.PathValue("file")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		web.WritePage(w, http.StatusOK, f.contentType, f.body)
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
