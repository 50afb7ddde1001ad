package monitoring_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/deltaledger/deltaledger/monitoring"
)

// wantedPanel is a panel issue 16 asks of a dashboard: its title, a metric
// one of its queries must select and, when the issue names a breakdown ("by
// code", "per peer"), a grouping its query must carry.
type wantedPanel struct {
	file, what, title, metric, grouping string
}

// issue16Panels are the panels the operators' dashboards must carry
// (issue 16: "Grafana dashboard JSON for the gateways (requests, latency,
// errors by code, submits, unknown outcomes, index lag) and for Fabric
// (block height per peer, endorsement and commit latency, ordering
// consensus)").
var issue16Panels = []wantedPanel{
	{"grafana/gateways.json", "requests", "Requests / s by operation", "deltaledger_gateway_http_requests_total", "by (route)"},
	{"grafana/gateways.json", "requests by status", "Requests / s by region and status", "deltaledger_gateway_http_requests_total", "by (org, status)"},
	{"grafana/gateways.json", "latency", "Request latency (all operations)", "deltaledger_gateway_http_request_duration_seconds_bucket", "histogram_quantile(0.99,"},
	{"grafana/gateways.json", "latency by operation", "p95 latency by operation", "deltaledger_gateway_http_request_duration_seconds_bucket", "by (le, route)"},
	{"grafana/gateways.json", "errors by code", "Errors / s by code", "deltaledger_gateway_http_errors_total", "by (code)"},
	{"grafana/gateways.json", "submits", "Submits / s by outcome", "deltaledger_gateway_fabric_call_duration_seconds_count", `operation="submit_total"`},
	{"grafana/gateways.json", "unknown outcomes", "Unknown ordering outcomes by resolution", "deltaledger_gateway_submit_outcome_unknown_total", "by (resolution)"},
	{"grafana/gateways.json", "index lag", "Market index lag (blocks behind the channel)", "deltaledger_gateway_market_index_block", "ledger_blockchain_height"},
	{"grafana/fabric.json", "block height per peer", "Block height per peer", "ledger_blockchain_height", ""},
	{"grafana/fabric.json", "block height per peer over time", "Block height per peer over time", "ledger_blockchain_height", ""},
	{"grafana/fabric.json", "endorsement latency", "Endorsement latency p95 per peer", "endorser_proposal_duration_bucket", "by (le, org)"},
	{"grafana/fabric.json", "commit latency", "Block commit latency p95 per peer", "ledger_block_processing_time_bucket", "by (le, org)"},
	{"grafana/fabric.json", "ordering consensus: leader", "Leader per ordering node", "consensus_BFT_leader_id", ""},
	{"grafana/fabric.json", "ordering consensus: decisions", "Consensus decisions / s", "consensus_smartbft_view_decisions", "by (org)"},
	{"grafana/fabric.json", "ordering consensus: committed block", "Committed block per ordering node", "consensus_BFT_committed_block_number", ""},
	{"grafana/fabric.json", "ordering consensus: latency", "Decision latency p95 (batch processing)", "consensus_smartbft_view_latency_batch_processing_bucket", "by (le, org)"},
}

// missingPanels says, for each wanted panel, why the dashboards do not carry
// it: no such dashboard, no panel of that title, or no query of it that
// selects the metric with the grouping.
func missingPanels(dashboards []monitoring.Dashboard, wanted []wantedPanel) []string {
	var out []string
	for _, w := range wanted {
		if why := missingPanel(dashboards, w); why != "" {
			out = append(out, fmt.Sprintf("%s: %s (%s): %s", w.file, w.what, w.title, why))
		}
	}
	return out
}

func missingPanel(dashboards []monitoring.Dashboard, w wantedPanel) string {
	for _, d := range dashboards {
		if d.File != w.file {
			continue
		}
		titled := false
		for _, q := range d.Queries {
			if q.Panel != w.title {
				continue
			}
			titled = true
			selectors, err := monitoring.Selectors(q.Expr)
			if err != nil {
				continue
			}
			for _, s := range selectors {
				if s.Metric == w.metric && strings.Contains(q.Expr, w.grouping) {
					return ""
				}
			}
		}
		if !titled {
			return "no panel has this title"
		}
		return fmt.Sprintf("no query of the panel selects %s with %q", w.metric, w.grouping)
	}
	return "no such dashboard"
}

// Each dashboard carries the panels issue 16 lists, each with a query that
// selects the metric it is about, broken down as the issue says.
func TestDashboardsCarryTheIssuesPanels(t *testing.T) {
	dashboards, err := monitoring.Dashboards()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missingPanels(dashboards, issue16Panels) {
		t.Error(m)
	}
}

// The check fails when a panel is removed, retitled, or its query no longer
// selects the metric or loses its breakdown.
func TestAMissingPanelIsFound(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(q *monitoring.Query)
		want   string
	}{
		{"removed", func(q *monitoring.Query) { q.Panel = "" }, "no panel has this title"},
		{"another metric", func(q *monitoring.Query) {
			q.Expr = strings.ReplaceAll(q.Expr, "deltaledger_gateway_http_errors_total", "deltaledger_gateway_http_requests_total")
		}, "no query of the panel selects deltaledger_gateway_http_errors_total"},
		{"no breakdown by code", func(q *monitoring.Query) { q.Expr = strings.ReplaceAll(q.Expr, "by (code)", "by (route)") },
			"no query of the panel selects deltaledger_gateway_http_errors_total with \"by (code)\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dashboards, err := monitoring.Dashboards()
			if err != nil {
				t.Fatal(err)
			}
			changed := 0
			for i := range dashboards {
				for j := range dashboards[i].Queries {
					if dashboards[i].Queries[j].Panel == "Errors / s by code" {
						tc.change(&dashboards[i].Queries[j])
						changed++
					}
				}
			}
			if changed == 0 {
				t.Fatal("the errors by code panel is not there to change")
			}
			missing := missingPanels(dashboards, issue16Panels)
			if len(missing) != 1 || !strings.Contains(missing[0], tc.want) {
				t.Fatalf("missing = %q, want one naming %q", missing, tc.want)
			}
		})
	}
	if got := missingPanels(nil, issue16Panels[:1]); len(got) != 1 || !strings.Contains(got[0], "no such dashboard") {
		t.Fatalf("without dashboards: %q", got)
	}
}
