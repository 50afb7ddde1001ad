package web

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

func testPage() Page {
	return Page{
		Path: "/p/",
		Files: fstest.MapFS{
			"page/index.html":   {Data: []byte(`<p>index {{.}}</p>`)},
			"page/unbuilt.html": {Data: []byte(`<p>unbuilt {{.}}</p>`)},
			"page/p.js":         {Data: []byte("js();")},
			"page/p.css":        {Data: []byte("css{}")},
			"page/secret.txt":   {Data: []byte("not served")},
		},
		Own:                   []string{"p.js", "p.css"},
		Index:                 "I",
		Unbuilt:               "U",
		ContentSecurityPolicy: "default-src 'none'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
	}
}

// A page answers its index (503 unbuilt.html before `make assets`), its own
// files with their types, what more adds, and nothing else from its files;
// every answer carries the page headers.
func TestPageServesItsIndexAndOwnFilesOnly(t *testing.T) {
	h := testPage().Handler(func(mux *http.ServeMux) {
		mux.HandleFunc("GET /p/extra.json", func(w http.ResponseWriter, r *http.Request) {
			WritePage(w, http.StatusOK, "application/json", []byte(`{}`))
		})
	})
	saved := embedded
	t.Cleanup(func() { embedded = saved })

	embedded = newAssets(fstest.MapFS{"README.md": {Data: []byte("placeholder")}})
	w := serve(t, h, http.MethodGet, "/p/", nil)
	if w.Code != http.StatusServiceUnavailable || w.Body.String() != "<p>unbuilt U</p>" {
		t.Fatalf("unbuilt index: %d %q", w.Code, w.Body.String())
	}

	embedded = newAssets(builtFS())
	w = serve(t, h, http.MethodGet, "/p/", nil)
	if w.Code != http.StatusOK || w.Body.String() != "<p>index I</p>" || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("built index: %d %q %q", w.Code, w.Body.String(), w.Header().Get("Content-Type"))
	}
	for path, want := range map[string]string{
		"/p/p.js":       "text/javascript; charset=utf-8",
		"/p/p.css":      "text/css; charset=utf-8",
		"/p/extra.json": "application/json",
	} {
		w := serve(t, h, http.MethodGet, path, nil)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != want {
			t.Errorf("GET %s: %d %q, want 200 %q", path, w.Code, w.Header().Get("Content-Type"), want)
		}
		if w.Header().Get("Content-Security-Policy") != testPage().ContentSecurityPolicy || w.Header().Get("X-Content-Type-Options") != "nosniff" ||
			w.Header().Get("Cross-Origin-Opener-Policy") != "same-origin" {
			t.Errorf("GET %s lacks the page headers: %v", path, w.Header())
		}
	}
	for _, path := range []string{"/p/secret.txt", "/p/index.html", "/p/page/p.js"} {
		if w := serve(t, h, http.MethodGet, path, nil); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, w.Code)
		}
	}
	if w := serve(t, h, http.MethodPost, "/p/p.js", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST an own file: %d, want 405", w.Code)
	}
}

// buildPanics reports whether building p's handler panics.
func buildPanics(p Page) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	p.Handler(nil)
	return false
}

// A page whose policy would let it load from elsewhere is a bug, found when
// its handler is built.
func TestPageRefusesALaxPolicy(t *testing.T) {
	for _, policy := range []string{
		"",
		"default-src *; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
		"default-src 'none'; script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
		"default-src 'none'; script-src 'self'; connect-src *; frame-ancestors 'none'",
		"default-src 'none'; script-src 'self'; connect-src 'self'",
	} {
		p := testPage()
		p.ContentSecurityPolicy = policy
		if !buildPanics(p) {
			t.Errorf("policy %q: no panic", policy)
		}
	}
}

// A page whose own file is missing or of an unknown kind is a bug, found
// when its handler is built, not on a request.
func TestPageRefusesAMissingOrUnknownOwnFile(t *testing.T) {
	for _, own := range [][]string{{"absent.js"}, {"secret.txt"}} {
		p := testPage()
		p.Own = own
		if !buildPanics(p) {
			t.Errorf("Own %v: no panic", own)
		}
	}
}
