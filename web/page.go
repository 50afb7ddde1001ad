package web

import "net/http"

// PageHeaders wraps a handler of one of the gateway's pages (the API
// explorer, the dashboard) with the headers every page carries: its content
// security policy, no MIME sniffing, no referrer and no caching (a page
// embeds the gateway's current document and asset URLs).
func PageHeaders(contentSecurityPolicy string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Content-Security-Policy", contentSecurityPolicy)
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
