// Package web serves the front-end packages that DeltaLedger's pages use
// (Swagger UI for the gateway's API explorer, and whatever else
// package.json's "webAssets" names), embedded in the binary.
//
// The packages come from the npm registry at build time: package.json and
// package-lock.json pin them, scripts/build-web.sh (`make assets`) installs
// them and build.mjs copies the named files into dist/ with a manifest of
// versions and SHA-256 hashes. dist/ is git-ignored except a placeholder, so
// that a fresh clone builds and vets before npm has run; such a binary
// reports the assets as not built (Built is false and Handler answers 503).
// Nothing is loaded from the internet at run time.
package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// Prefix is the path under which servers mount Handler; URL builds the
// paths of its files.
const Prefix = "/assets/"

// NotBuilt is the message of a binary built before the assets.
const NotBuilt = "web assets not built: run `make assets` (scripts/build-web.sh) and build again"

//go:embed dist
var dist embed.FS

// Manifest is dist/manifest.json, written by build.mjs.
type Manifest struct {
	Packages map[string]Package `json:"packages"`
}

// Package is one npm package's embedded files.
type Package struct {
	Version string            `json:"version"`
	Files   map[string]string `json:"files"` // file name -> SHA-256 (hex)
}

// assets are the files of a dist directory and its manifest (nil when the
// directory has none: not built).
type assets struct {
	fsys     fs.FS
	manifest *Manifest
	err      error
}

func newAssets(fsys fs.FS) *assets {
	a := &assets{fsys: fsys}
	b, err := fs.ReadFile(fsys, "manifest.json")
	if err != nil {
		return a // not built
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		a.err = fmt.Errorf("web: dist/manifest.json: %w", err)
		return a
	}
	a.manifest = &m
	return a
}

// embedded is what this binary was built with.
var embedded = newAssets(FS())

// FS is the embedded dist/ directory (manifest.json and one directory per
// package), for callers that need more than Handler.
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path
	}
	return sub
}

// Built reports whether the assets were built into this binary. A binary
// whose manifest is unreadable panics instead, so that a broken build never
// passes for an unbuilt one.
func Built() bool { return embedded.built() }

// Version is the embedded version of an npm package, if it is embedded.
func Version(pkg string) (string, bool) { return embedded.version(pkg) }

// URL is the path at which Handler serves a file of a package, for pages to
// link to: URL("swagger-ui-dist", "swagger-ui.css") is
// "/assets/swagger-ui-dist/swagger-ui.css".
func URL(pkg, file string) string { return Prefix + pkg + "/" + file }

// Handler serves the manifest's files at Prefix (it expects the full path,
// Prefix included), with the file's SHA-256 as ETag, revalidated on every
// use (Cache-Control: no-cache). Files the manifest does not list are 404;
// in a binary built without the assets every path is 503 with NotBuilt.
func Handler() http.Handler { return embedded.handler() }

func (a *assets) built() bool {
	if a.err != nil {
		panic(a.err)
	}
	return a.manifest != nil
}

func (a *assets) version(pkg string) (string, bool) {
	if !a.built() {
		return "", false
	}
	p, ok := a.manifest.Packages[pkg]
	return p.Version, ok
}

func (a *assets) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if !a.built() {
			http.Error(w, NotBuilt, http.StatusServiceUnavailable)
			return
		}
		rest, under := strings.CutPrefix(r.URL.Path, Prefix)
		pkg, file := splitPackage(rest)
		sum, listed := a.manifest.Packages[pkg].Files[file]
		if !under || !listed {
			http.NotFound(w, r)
			return
		}
		f, err := a.fsys.Open(pkg + "/" + file)
		if err != nil {
			http.Error(w, fmt.Sprintf("web: %s/%s is in the manifest but not embedded", pkg, file), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		content, ok := f.(io.ReadSeeker)
		if !ok {
			http.Error(w, fmt.Sprintf("web: %s/%s cannot seek", pkg, file), http.StatusInternalServerError)
			return
		}
		if ct := mime.TypeByExtension(path.Ext(file)); ct != "" {
			w.Header().Set("Content-Type", ct)
		} else {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8") // LICENSE, NOTICE
		}
		w.Header().Set("ETag", `"`+sum+`"`)
		w.Header().Set("Cache-Control", "no-cache")
		// A zero modification time leaves revalidation to the ETag.
		http.ServeContent(w, r, file, time.Time{}, content)
	})
}

// splitPackage splits "<package>/<file>" where a scoped package's name has a
// slash of its own ("@scope/name/file").
func splitPackage(p string) (pkg, file string) {
	scope := ""
	if strings.HasPrefix(p, "@") {
		var ok bool
		if scope, p, ok = strings.Cut(p, "/"); !ok {
			return "", ""
		}
		scope += "/"
	}
	pkg, file, _ = strings.Cut(p, "/")
	return scope + pkg, file
}
