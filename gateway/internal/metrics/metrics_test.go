package metrics_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/metrics"
)

// The series a dashboard watches for rare events exist from the start at
// zero, and each error answer is counted by route and code.
func TestSeriesExportedFromTheStart(t *testing.T) {
	m := metrics.New()
	want := `
# HELP deltaledger_gateway_submit_outcome_unknown_total Submits whose ordering step failed with an unknown outcome, by how the commit status resolved them (committed, invalid, unresolved).
# TYPE deltaledger_gateway_submit_outcome_unknown_total counter
deltaledger_gateway_submit_outcome_unknown_total{resolution="committed"} 0
deltaledger_gateway_submit_outcome_unknown_total{resolution="invalid"} 0
deltaledger_gateway_submit_outcome_unknown_total{resolution="unresolved"} 0
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "deltaledger_gateway_submit_outcome_unknown_total"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(m.Registry(), "deltaledger_gateway_http_errors_total"); n != 0 {
		t.Fatalf("%d error series before any error", n)
	}
	m.HTTPError("whoAmI", "UNAUTHENTICATED")
	m.HTTPError("whoAmI", "UNAUTHENTICATED")
	m.HTTPError("createAsset", "CONFLICT")
	want = `
# HELP deltaledger_gateway_http_errors_total Error answers by route (operation ID) and error code (the code of the error body: INVALID_ARGUMENT, FORBIDDEN, CONFLICT, UNAVAILABLE, OUTCOME_UNKNOWN, ...).
# TYPE deltaledger_gateway_http_errors_total counter
deltaledger_gateway_http_errors_total{code="CONFLICT",route="createAsset"} 1
deltaledger_gateway_http_errors_total{code="UNAUTHENTICATED",route="whoAmI"} 2
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "deltaledger_gateway_http_errors_total"); err != nil {
		t.Fatal(err)
	}
}

// The API keys to rotate are read at each scrape, not once: a key created or revoked since shows at the next one.
func TestAPIKeysToRotateAreReadAtEachScrape(t *testing.T) {
	m := metrics.New()
	soon, expired := 2, 0
	m.WatchAPIKeys(14*24*time.Hour, func() (int, int) { return soon, expired })
	want := func(soon, expired int) string {
		return fmt.Sprintf(`
# HELP %[1]s Unrevoked API keys to rotate, by state: soon (expiring within 336h0m0s) or expired.
# TYPE %[1]s gauge
%[1]s{state="expired"} %[3]d
%[1]s{state="soon"} %[2]d
`, metrics.APIKeysToRotate, soon, expired)
	}
	require.NoError(t, testutil.GatherAndCompare(m.Registry(), strings.NewReader(want(2, 0)), metrics.APIKeysToRotate))
	soon, expired = 1, 3
	require.NoError(t, testutil.GatherAndCompare(m.Registry(), strings.NewReader(want(1, 3)), metrics.APIKeysToRotate))
}
