package metrics_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

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
