package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func serve(t *testing.T, h http.Handler, method, path string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func sum(b string) string {
	s := sha256.Sum256([]byte(b))
	return hex.EncodeToString(s[:])
}

// builtFS is a dist directory as build.mjs writes it: one package, two
// files, and a file that is present but not in the manifest.
func builtFS() fstest.MapFS {
	js, css := "window.lib = 1;\n", "body { margin: 0 }\n"
	m := Manifest{Packages: map[string]Package{
		"lib":        {Version: "1.2.3", Files: map[string]string{"lib.js": sum(js), "lib.css": sum(css)}},
		"@scope/pkg": {Version: "0.1.0", Files: map[string]string{"dist/pkg.min.js": sum(js)}},
	}}
	b, _ := json.Marshal(m)
	return fstest.MapFS{
		"README.md":                  {Data: []byte("placeholder")},
		"manifest.json":              {Data: b},
		"lib/lib.js":                 {Data: []byte(js)},
		"lib/lib.css":                {Data: []byte(css)},
		"lib/secret.json":            {Data: []byte(`{"not":"listed"}`)},
		"@scope/pkg/dist/pkg.min.js": {Data: []byte(js)},
	}
}

func TestServesManifestFiles(t *testing.T) {
	const js = "window.lib = 1;\n"
	a := newAssets(builtFS())
	if !a.built() {
		t.Fatal("a dist with a manifest is not built")
	}
	if v, ok := a.version("lib"); !ok || v != "1.2.3" {
		t.Fatalf("version(lib) = %q, %v", v, ok)
	}
	h := a.handler()
	w := serve(t, h, http.MethodGet, URL("lib", "lib.js"), nil)
	if w.Code != http.StatusOK || w.Body.String() != "window.lib = 1;\n" {
		t.Fatalf("GET lib.js: %d %q", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("Content-Type %q", ct)
	}
	etag := w.Header().Get("ETag")
	if etag != `"`+sum("window.lib = 1;\n")+`"` || w.Header().Get("Cache-Control") != "no-cache" ||
		w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers %v", w.Header())
	}
	if w := serve(t, h, http.MethodGet, URL("lib", "lib.js"), http.Header{"If-None-Match": {etag}}); w.Code != http.StatusNotModified {
		t.Errorf("revalidation with the ETag: %d, want 304", w.Code)
	}
	if w := serve(t, h, http.MethodGet, URL("@scope/pkg", "dist/pkg.min.js"), nil); w.Code != http.StatusOK || w.Body.String() != js {
		t.Errorf("a scoped package's file in a subdirectory: %d %q", w.Code, w.Body)
	}
	if w := serve(t, h, http.MethodGet, URL("lib", "lib.css"), nil); !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Errorf("lib.css Content-Type %q", w.Header().Get("Content-Type"))
	}
}

// Only what the manifest lists is served: not the manifest, not other files
// of the directory, not paths that climb out.
func TestServesNothingElse(t *testing.T) {
	h := newAssets(builtFS()).handler()
	for _, p := range []string{
		URL("lib", "secret.json"), "/assets/manifest.json", "/assets/README.md", "/assets/lib/", "/assets/lib",
		"/assets/lib/../manifest.json", "/assets/lib/lib.js/x", "/assets/other/lib.js", "/lib/lib.js",
		"/assets/@scope", "/assets/@scope/pkg/pkg.min.js", "/assets/@scope/dist/pkg.min.js",
	} {
		if w := serve(t, h, http.MethodGet, p, nil); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, w.Code)
		}
	}
	if w := serve(t, h, http.MethodPost, URL("lib", "lib.js"), nil); w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d Allow %q", w.Code, w.Header().Get("Allow"))
	}
}

// A binary built before `make assets` says so on every path, and claims no
// package.
func TestNotBuiltIsReported(t *testing.T) {
	a := newAssets(fstest.MapFS{"README.md": {Data: []byte("placeholder")}})
	if a.built() {
		t.Fatal("a dist without a manifest is built")
	}
	if _, ok := a.version("lib"); ok {
		t.Fatal("an unbuilt dist reports a version")
	}
	w := serve(t, a.handler(), http.MethodGet, URL("lib", "lib.js"), nil)
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "make assets") {
		t.Fatalf("unbuilt: %d %q, want 503 naming make assets", w.Code, w.Body)
	}
}

func TestBrokenManifestIsNotMistakenForUnbuilt(t *testing.T) {
	a := newAssets(fstest.MapFS{"manifest.json": {Data: []byte("{")}})
	defer func() {
		if recover() == nil {
			t.Fatal("a broken manifest did not panic")
		}
	}()
	a.built()
}

// The binary's own assets are either absent (a fresh clone before
// `make assets`) or exactly what package.json and package-lock.json pin:
// every webAssets file of every package, at the locked version.
func TestEmbeddedMatchesPackageJSON(t *testing.T) {
	var pkg struct {
		Dependencies map[string]string   `json:"dependencies"`
		WebAssets    map[string][]string `json:"webAssets"`
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	for name, v := range map[string]any{"package.json": &pkg, "package-lock.json": &lock} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if len(pkg.WebAssets) == 0 {
		t.Fatal("package.json names no webAssets")
	}
	if !Built() {
		if w := serve(t, Handler(), http.MethodGet, URL("swagger-ui-dist", "swagger-ui.css"), nil); w.Code != http.StatusServiceUnavailable {
			t.Fatalf("unbuilt binary answers %d", w.Code)
		}
		t.Log("assets not built into this test binary (make assets builds them)")
		return
	}
	for name, files := range pkg.WebAssets {
		locked := lock.Packages["node_modules/"+name].Version
		if pkg.Dependencies[name] != locked {
			t.Errorf("%s: package.json wants %q, the lock has %q (pin exact versions)", name, pkg.Dependencies[name], locked)
		}
		if v, ok := Version(name); !ok || v != locked {
			t.Errorf("%s: embedded %q, locked %q: run make assets", name, v, locked)
		}
		for _, f := range files {
			if w := serve(t, Handler(), http.MethodHead, URL(name, f), nil); w.Code != http.StatusOK {
				t.Errorf("HEAD %s: %d", URL(name, f), w.Code)
			}
		}
	}
}
