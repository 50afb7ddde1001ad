package monitoring_test

import (
	"reflect"
	"testing"

	"github.com/deltaledger/deltaledger/monitoring"
)

func TestSelectors(t *testing.T) {
	got, err := monitoring.Selectors(`scalar(max(ledger_blockchain_height{job="fabric-peer"})) - 1 - ` +
		`histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket{job="gw", org=~"$org"}[$__rate_interval]))) ` +
		`+ on() group_left {__name__="y_total"} + count(z)`)
	if err != nil {
		t.Fatal(err)
	}
	want := []monitoring.Selector{{"ledger_blockchain_height", "fabric-peer"}, {"x_seconds_bucket", "gw"}, {"y_total", ""}, {"z", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Selectors = %v, want %v", got, want)
	}
	if _, err := monitoring.Selectors(`rate(x[5m]`); err == nil {
		t.Fatal("a broken query parsed")
	}
}

// Every dashboard is one Grafana dashboard with a unique UID; every query
// parses as PromQL once Grafana's variables are expanded, and selects by
// job, so that a dashboard reads the processes it is about whatever else
// the Prometheus server scrapes.
func TestDashboards(t *testing.T) {
	dashboards, err := monitoring.Dashboards()
	if err != nil {
		t.Fatal(err)
	}
	if len(dashboards) < 2 {
		t.Fatalf("%d dashboards, want the gateways' and Fabric's", len(dashboards))
	}
	uids := map[string]string{}
	for _, d := range dashboards {
		if d.UID == "" || d.Title == "" {
			t.Errorf("%s: uid %q, title %q", d.File, d.UID, d.Title)
		}
		if other, ok := uids[d.UID]; ok {
			t.Errorf("%s and %s have the uid %s", d.File, other, d.UID)
		}
		uids[d.UID] = d.File
		if len(d.Queries) == 0 {
			t.Errorf("%s has no queries", d.File)
		}
		for _, q := range d.Queries {
			selectors, err := monitoring.Selectors(q.Expr)
			if err != nil {
				t.Errorf("%s %s: %q: %v", d.File, q.Where, q.Expr, err)
				continue
			}
			for _, s := range selectors {
				if s.Job == "" && s.Metric != "up" {
					t.Errorf("%s %s: %s selects no job", d.File, q.Where, s.Metric)
				}
			}
		}
	}
}
