package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// Page is one of the gateway's pages (the API explorer, the dashboard),
// served from the files its package embeds under page/: the templates
// index.html and unbuilt.html, and the page's own scripts and styles, kept
// out of the HTML so that its policy allows no inline script.
type Page struct {
	// Path is the page's stable path, ending in "/"; its files are served
	// below it.
	Path string
	// Files holds page/.
	Files fs.FS
	// Own names the page's own files in page/, scripts (.js) and styles
	// (.css); nothing else below Path is served from Files.
	Own []string
	// Index and Unbuilt are the data of index.html and of unbuilt.html,
	// which a binary built without the web assets answers with 503.
	Index, Unbuilt any
	// ContentSecurityPolicy is the policy of every answer.
	ContentSecurityPolicy string
}

// strictPolicy are the directives every page's content security policy
// carries: nothing loads from elsewhere, no script but the gateway's own
// files (no inline script), calls only to this gateway, no framing.
var strictPolicy = []string{"default-src 'none'", "script-src 'self';", "connect-src 'self'", "frame-ancestors 'none'"}

// ownTypes are the content types of a page's own files, by extension: a
// fixed table, not the machine's MIME database.
var ownTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

// Handler serves the page at p.Path and its own files below it, with the
// headers of PageHeaders. more, if not nil, adds the page's other answers to
// the mux. A policy that lacks a directive every page has (strictPolicy),
// and, the files being embedded, a template or a file that is missing or
// does not execute, are bugs: they panic, and the page's tests catch them.
func (p Page) Handler(more func(mux *http.ServeMux)) http.Handler {
	for _, d := range strictPolicy {
		if !strings.Contains(p.ContentSecurityPolicy, d) {
			panic(fmt.Sprintf("web: the policy of page %s lacks %q", p.Path, d))
		}
	}
	templates := template.Must(template.ParseFS(p.Files, "page/*.html"))
	render := func(name string, data any) []byte {
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, name, data); err != nil {
			panic(err)
		}
		return b.Bytes()
	}
	index, unbuilt := render("index.html", p.Index), render("unbuilt.html", p.Unbuilt)
	type file struct {
		body        []byte
		contentType string
	}
	own := map[string]file{}
	for _, name := range p.Own {
		body, err := fs.ReadFile(p.Files, "page/"+name)
		if err != nil {
			panic(err)
		}
		contentType, ok := ownTypes[path.Ext(name)]
		if !ok {
			panic("web: a page's own file is a script or a style: " + name)
		}
		own[name] = file{body, contentType}
	}
	mux := http.NewServeMux()
	if more != nil {
		more(mux)
	}
	mux.HandleFunc("GET "+p.Path+"{$}", func(w http.ResponseWriter, r *http.Request) {
		if !Built() {
			WritePage(w, http.StatusServiceUnavailable, "text/html; charset=utf-8", unbuilt)
			return
		}
		WritePage(w, http.StatusOK, "text/html; charset=utf-8", index)
	})
	mux.HandleFunc("GET "+p.Path+"{file}", func(w http.ResponseWriter, r *http.Request) {
		f, ok := own[r.PathValue("file")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		WritePage(w, http.StatusOK, f.contentType, f.body)
	})
	return PageHeaders(p.ContentSecurityPolicy, mux)
}

// PageHeaders wraps a handler of one of the gateway's pages (the API
// explorer, the dashboard) with the headers every page carries: its content
// security policy, no MIME sniffing, no referrer, no caching (a page
// embeds the gateway's current document and asset URLs) and a browsing
// context of its own (Cross-Origin-Opener-Policy: same-origin): a page of
// another site that opened the page (window.open) keeps no handle on it, to
// send it elsewhere (a copy of the page asking for the API key again) or to
// watch it, and the page none on that site.
func PageHeaders(contentSecurityPolicy string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Content-Security-Policy", contentSecurityPolicy)
		hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

// WritePage answers with status and body of the given content type.
func WritePage(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
