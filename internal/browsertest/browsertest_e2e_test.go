//go:build e2e

package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/deltaledger/deltaledger/internal/browsertest"
)

func pages() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/clean", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><title>clean</title><link rel="icon" href="data:,"><p id="p">hello</p><script>console.log("fine")</script>`))
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><title>broken</title><p id="p">hello</p>` +
			`<script>console.error("something broke")</script><script src="/missing.js"></script>` +
			`<script>setTimeout(() => { throw new Error("uncaught boom") }, 0)</script>`))
	})
	return httptest.NewTLSServer(mux)
}

// The helper trusts exactly the certificate it is given, reports every kind
// of console problem, and none on a clean page.
func TestBrowserReportsConsoleProblems(t *testing.T) {
	srv := pages()
	defer srv.Close()

	untrusting := browsertest.New(t)
	if err := untrusting.TryDo(chromedp.Navigate(srv.URL + "/clean")); err == nil {
		t.Error("a browser that trusts no certificate loaded a page of an unknown CA")
	}

	b := browsertest.New(t, browsertest.TrustCertificate(srv.Certificate()))
	b.Do(t, "open the clean page", chromedp.Navigate(srv.URL+"/clean"), chromedp.WaitVisible(chromedp.ID("p")))
	if got := browsertest.Eval[string](t, b, `document.getElementById("p").textContent`); got != "hello" {
		t.Fatalf("text %q", got)
	}
	if p := b.ConsoleErrors(); len(p) != 0 {
		t.Fatalf("clean page: %q", p)
	}

	b.Do(t, "open the broken page", chromedp.Navigate(srv.URL+"/broken"), chromedp.WaitVisible(chromedp.ID("p")))
	// The console's messages arrive asynchronously.
	want := []string{"something broke", "404", "uncaught boom"}
	var got string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		got = strings.Join(b.ConsoleErrors(), "\n")
		if containsAll(got, want) {
			return
		}
	}
	t.Fatalf("console problems %q lack one of %q", got, want)
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
