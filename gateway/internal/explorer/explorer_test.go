package explorer_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/deltaledger/deltaledger/gateway/internal/explorer"
	"github.com/deltaledger/deltaledger/web"
)

func get(h http.Handler, path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

// The page loads Swagger UI from the gateway's own assets and points it at
// the document it is given; every answer forbids loading anything from
// elsewhere.
func TestPage(t *testing.T) {
	h := explorer.Handler("/v1/openapi.json")
	w := get(h, explorer.Path)
	if w.Header().Get("Content-Security-Policy") == "" {
		t.Error("no Content-Security-Policy (web.Page holds every page to a strict one)")
	}
	body := w.Body.String()
	if !web.Built() {
		if w.Code != http.StatusServiceUnavailable || !strings.Contains(body, "make assets") || !strings.Contains(body, `href="/v1/openapi.json"`) {
			t.Fatalf("unbuilt explorer: %d %s", w.Code, body)
		}
		return
	}
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s: %d %s", explorer.Path, w.Code, w.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		`data-openapi="/v1/openapi.json"`,
		`src="` + web.URL("swagger-ui-dist", "swagger-ui-bundle.js") + `"`,
		`href="` + web.URL("swagger-ui-dist", "swagger-ui.css") + `"`,
		`src="explorer.js"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "http://") || strings.Contains(body, "https://") {
		t.Error("page has an inline script or an absolute URL")
	}
}

func TestPageFiles(t *testing.T) {
	h := explorer.Handler("/v1/openapi.json")
	w := get(h, explorer.Path+"explorer.js")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") ||
		!strings.Contains(w.Body.String(), "SwaggerUIBundle(") || !strings.Contains(w.Body.String(), "validatorUrl: null") {
		t.Fatalf("explorer.js: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	if w := get(h, explorer.Path+"explorer.css"); w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("explorer.css: %d", w.Code)
	}
	for _, p := range []string{explorer.Path + "index.html", explorer.Path + "unbuilt.html", explorer.Path + "page/explorer.js", explorer.Path + "x/explorer.js"} {
		if w := get(h, p); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, w.Code)
		}
	}
	r := httptest.NewRequest(http.MethodPost, explorer.Path, nil)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST %s: %d", explorer.Path, w.Code)
	}
}
