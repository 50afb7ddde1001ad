// Package explorer serves the gateway's API explorer: Swagger UI (embedded
// by package web, nothing loaded from the internet) over the gateway's own
// OpenAPI document, with which a member authorizes with an API key and tries
// the operations.
package explorer

import (
	"embed"
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
	return web.Page{
		Path:  Path,
		Files: page,
		Own:   []string{"explorer.js", "explorer.css"},
		Index: map[string]string{
			"Document":   document,
			"SwaggerJS":  web.URL(swaggerUI, "swagger-ui-bundle.js"),
			"SwaggerCSS": web.URL(swaggerUI, "swagger-ui.css"),
			"Favicon":    web.URL(swaggerUI, "favicon-32x32.png"),
		},
		Unbuilt:               map[string]string{"Document": document, "Reason": web.NotBuilt},
		ContentSecurityPolicy: contentSecurityPolicy,
	}.Handler(nil)
}
