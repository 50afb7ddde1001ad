//go:build e2e

package e2e

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/explorer"
	"github.com/deltaledger/deltaledger/internal/browsertest"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/network/demo"
)

// A member opens the API explorer in a real browser, authorizes with an API
// key and tries an operation against the real network: the page loads with
// nothing wrong in the console (the Content-Security-Policy would report any
// load from elsewhere), the key is kept nowhere in the browser's storage,
// and the call answers the member's participant record.
func TestAPIExplorerInABrowser(t *testing.T) {
	dir := t.TempDir()
	g := startGateway(t, "shanghai", dir)
	cert, err := fabricca.ReadCertificate(filepath.Join(dir, "tls.crt"))
	require.NoError(t, err)

	b := browsertest.New(t, browsertest.TrustCertificate(cert))
	op := chromedp.CSS("#operations-participants-whoAmI")
	b.Do(t, "open the explorer",
		chromedp.Navigate(g.url+strings.TrimSuffix(explorer.Path, "/")), // redirected to the stable path
		chromedp.WaitVisible(op))
	require.Equal(t, g.url+explorer.Path, browsertest.Eval[string](t, b, "location.href"))

	b.Do(t, "authorize with the holder's API key",
		chromedp.Click(chromedp.CSS("button.authorize")),
		chromedp.WaitVisible(chromedp.CSS(".modal-ux input")),
		chromedp.SendKeys(chromedp.CSS(".modal-ux input"), g.keys["holder"]),
		chromedp.Click(chromedp.CSS(".modal-ux button.modal-btn.authorize")),
		chromedp.WaitVisible(chromedp.CSS(".modal-ux button.modal-btn.btn-done")),
		chromedp.Click(chromedp.CSS(".modal-ux button.modal-btn.btn-done")),
		chromedp.WaitNotPresent(chromedp.CSS(".modal-ux")))

	require.False(t, browsertest.Eval[bool](t, b, `Object.keys(localStorage).some(k => localStorage.getItem(k).includes(`+
		strconv.Quote(g.keys["holder"])+`))`), "the API key is not kept in the browser's storage")

	status := chromedp.CSS("#operations-participants-whoAmI .live-responses-table tbody .response-col_status")
	b.Do(t, "try GET /v1/participants/me",
		chromedp.Click(chromedp.CSS("#operations-participants-whoAmI .opblock-summary-control")),
		chromedp.WaitVisible(chromedp.CSS("#operations-participants-whoAmI button.try-out__btn")),
		chromedp.Click(chromedp.CSS("#operations-participants-whoAmI button.try-out__btn")),
		chromedp.WaitVisible(chromedp.CSS("#operations-participants-whoAmI button.execute")),
		chromedp.Click(chromedp.CSS("#operations-participants-whoAmI button.execute")),
		chromedp.WaitVisible(status))
	require.Equal(t, "200", strings.TrimSpace(browsertest.Eval[string](t, b,
		`document.querySelector("#operations-participants-whoAmI .live-responses-table tbody .response-col_status").textContent`)))
	body := browsertest.Eval[string](t, b,
		`document.querySelector("#operations-participants-whoAmI .live-responses-table tbody .response-col_description pre").textContent`)
	require.Contains(t, body, `"`+demo.ParticipantID("shanghai", "holder")+`"`, "the answer is the holder's own record")
	b.NoConsoleErrors(t)
}
