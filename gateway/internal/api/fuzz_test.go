package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/wire"
)

// FuzzRequest sends arbitrary methods, paths, queries and bodies: the
// gateway must answer every one with a documented status in the error shape
// (or success), never a 500 (a recovered panic would be one).
func FuzzRequest(f *testing.F) {
	for _, rt := range chaincodeRoutes() {
		path, body, _, _ := sampleRequest(f, rt)
		p, q, _ := strings.Cut(path, "?")
		f.Add(rt.Method, p, q, []byte(body))
	}
	f.Add("POST", "/v1/participants", "wait=false", []byte(`{"id":"x","roles":[1]}`))
	f.Add("GET", "/v1/participants", "limit=-1&cursor=c1.%%%", []byte(nil))
	f.Add("POST", "/v1/assets", "", []byte(`{"id":"a","id":"b"}`))
	f.Add("GET", "/v1/credit/subjects/X/records", "purpose=%00", []byte(nil))
	f.Add("GET", "/v1/market/statistics", "groupBy=region&from=2026-01-01&to=2026-02-01T00:00:00.5Z", []byte(nil))
	f.Add("GET", "/v1/market/price-index", "interval=week&region=anhui&category=x", []byte(nil))

	e := newEnv(f, api.WithOrg(ownMSP))
	for _, rt := range chaincodeRoutes() {
		programResult(e.fake, rt)
	}
	f.Fuzz(func(t *testing.T, method, path, query string, body []byte) {
		switch method {
		case "GET", "POST", "PUT", "DELETE", "PATCH":
		default:
			method = "POST"
		}
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#?%") || path == "/v1/events" {
			return
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.Method = method
		r.URL.Path = path
		r.URL.RawQuery = query
		r.Body = http.NoBody
		if len(body) > 0 {
			r.Body = httpBody(body)
			r.Header.Set("Content-Type", "application/json")
		}
		r.Header.Set("Authorization", "Bearer "+e.keys["alice"])
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s?%s %q: %d %s", method, path, query, body, w.Code, w.Body)
		}
		if w.Code >= 400 {
			var e wire.ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code == "" || e.Message == "" {
				t.Fatalf("error answer not in the error shape: %s", w.Body)
			}
		}
	})
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

func httpBody(b []byte) readCloser { return readCloser{bytes.NewReader(b)} }
