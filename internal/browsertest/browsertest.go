// Package browsertest drives a real headless Chromium (Debian's chromium
// package) from Go tests with chromedp, and collects what a person would see
// go wrong in the browser's console: errors logged by scripts, uncaught
// exceptions, failed loads and Content-Security-Policy violations.
//
//	b := browsertest.New(t, browsertest.TrustCertificate(cert))
//	b.Do(t, "open the page", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("#app")))
//	b.NoConsoleErrors(t)
//
// Each Browser is a new Chromium process with a new empty profile, stopped
// when the test ends. It runs as root here, hence --no-sandbox; it never
// reaches out by itself (no component updates, sync or background
// networking).
package browsertest

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumEnv names the variable that overrides where Chromium is found.
const ChromiumEnv = "DELTALEDGER_CHROMIUM"

// Browser is one headless Chromium with one tab.
type Browser struct {
	ctx     context.Context
	timeout time.Duration

	mu       sync.Mutex
	problems []string
}

// Option configures New.
type Option func(*settings)

type settings struct {
	spki    []string
	timeout time.Duration
	size    [2]int
}

// TrustCertificate makes the browser accept TLS servers presenting cert
// (pinned by its public key), as a test's own CA would otherwise be unknown.
func TrustCertificate(cert *x509.Certificate) Option {
	return func(s *settings) {
		sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
		s.spki = append(s.spki, base64.StdEncoding.EncodeToString(sum[:]))
	}
}

// WithTimeout bounds each Do and Eval (default 3 minutes: machines are shared, and a loaded one starts Chromium slowly).
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// WithWindowSize sets the window in pixels (default 1280x1024).
func WithWindowSize(width, height int) Option {
	return func(s *settings) { s.size = [2]int{width, height} }
}

// Chromium returns the Chromium executable: $DELTALEDGER_CHROMIUM, else
// chromium on the PATH. The test fails when there is none: .ci/run installs
// Debian's chromium.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(ChromiumEnv); p != "" {
		return p
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("no Chromium: install Debian's chromium package (apt-get install chromium; .ci/run does) or set %s", ChromiumEnv)
	}
	return p
}

// New starts Chromium; it is stopped when the test ends. When the test has
// failed by then, a screenshot of the page is written next to the test's
// temporary files and its path logged.
func New(t testing.TB, options ...Option) *Browser {
	t.Helper()
	s := settings{timeout: 3 * time.Minute, size: [2]int{1280, 1024}}
	for _, o := range options {
		o(&s)
	}
	profile, err := os.MkdirTemp("", "browsertest-profile-")
	if err != nil {
		t.Fatal(err)
	}
	flags := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(s.size[0], s.size[1]),
	}
	if len(s.spki) > 0 {
		// Honoured only with --user-data-dir, which is always set here.
		flags = append(flags, chromedp.Flag("ignore-certificate-errors-spki-list", strings.Join(s.spki, ",")))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), flags...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx, timeout: s.timeout}
	// Console starts the browser (with no timeout: a timeout on the first
	// call would bound the browser's life) and subscribes at once.
	messages := chromedp.Console(ctx)
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.mu.Lock()
				b.problems = append(b.problems, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
				b.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			b.screenshot(t)
		}
		cancel()
		cancelAlloc()
		<-watched
		_ = os.RemoveAll(profile)
	})
	return b
}

// Context is the tab's context, for chromedp calls the helpers do not wrap.
func (b *Browser) Context() context.Context { return b.ctx }

// Do runs chromedp actions in the tab, in order, within the browser's
// timeout, and fails the test (saying what it was doing) when one fails.
func (b *Browser) Do(t testing.TB, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := b.TryDo(steps...); err != nil {
		t.Fatalf("%s: %v (console: %q)", what, err, b.ConsoleErrors())
	}
}

// TryDo is Do that returns the error.
func (b *Browser) TryDo(steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	return chromedp.Do(ctx, steps...)
}

// Eval evaluates a JavaScript expression in the page within the browser's
// timeout and decodes its value.
func Eval[T any](t testing.TB, b *Browser, expression string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		t.Fatalf("evaluating %s: %v (console: %q)", expression, err, b.ConsoleErrors())
	}
	return v
}

// ConsoleErrors returns what went wrong in the page so far.
func (b *Browser) ConsoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

// NoConsoleErrors fails the test when anything went wrong in the page.
func (b *Browser) NoConsoleErrors(t testing.TB) {
	t.Helper()
	for _, p := range b.ConsoleErrors() {
		t.Errorf("browser console: %s", p)
	}
}

func (b *Browser) screenshot(t testing.TB) {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	// A new file of a random name (O_EXCL, mode 600): a name another user of the machine could guess in the shared
	// temporary folder could be a link planted there, which WriteFile would follow into a file of the tester's.
	f, err := os.CreateTemp("", "browsertest-"+strings.ReplaceAll(t.Name(), "/", "_")+"-*.png")
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	_, err = f.Write(png)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	t.Logf("screenshot of the page: %s", f.Name())
}
