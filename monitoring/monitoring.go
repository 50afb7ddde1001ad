// Package monitoring holds the operators' Grafana dashboards (grafana/*.json)
// and reads them: the PromQL of every panel and template variable, and the
// metrics each one selects. The tests use it to check the dashboards against
// what the network's live processes export (monitoring/README.md).
package monitoring

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

//go:embed grafana/*.json
var files embed.FS

// Dashboard is one Grafana dashboard file.
type Dashboard struct {
	File    string
	UID     string
	Title   string
	Queries []Query
}

// Query is one PromQL expression of a dashboard, as written (with Grafana's
// variables).
type Query struct {
	Where string // "panel <title>" or "variable <name>"
	Panel string // the panel's title ("" for a variable)
	Expr  string
}

// dashboardJSON is what is read of Grafana's dashboard model.
type dashboardJSON struct {
	UID        string      `json:"uid"`
	Title      string      `json:"title"`
	Panels     []panelJSON `json:"panels"`
	Templating struct {
		List []struct {
			Name  string          `json:"name"`
			Type  string          `json:"type"`
			Query json.RawMessage `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

type panelJSON struct {
	Title   string      `json:"title"`
	Type    string      `json:"type"`
	Panels  []panelJSON `json:"panels"` // a collapsed row's
	Targets []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
}

// Dashboards reads every embedded dashboard.
func Dashboards() ([]Dashboard, error) {
	names, err := files.ReadDir("grafana")
	if err != nil {
		return nil, err
	}
	var out []Dashboard
	for _, n := range names {
		file := path.Join("grafana", n.Name())
		b, err := files.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var dj dashboardJSON
		if err := json.Unmarshal(b, &dj); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		d := Dashboard{File: file, UID: dj.UID, Title: dj.Title}
		var walk func([]panelJSON)
		walk = func(ps []panelJSON) {
			for _, p := range ps {
				for _, t := range p.Targets {
					d.Queries = append(d.Queries, Query{Where: "panel " + p.Title + " " + t.RefID, Panel: p.Title, Expr: t.Expr})
				}
				walk(p.Panels)
			}
		}
		walk(dj.Panels)
		for _, v := range dj.Templating.List {
			if v.Type != "query" {
				continue
			}
			q, err := variableQuery(v.Query)
			if err != nil {
				return nil, fmt.Errorf("%s: variable %s: %w", file, v.Name, err)
			}
			d.Queries = append(d.Queries, Query{Where: "variable " + v.Name, Expr: q})
		}
		out = append(out, d)
	}
	return out, nil
}

// variableQuery is the PromQL of a query variable: Grafana stores it as a
// string or as {"query": "..."}; label_values(<selector>, <label>) is
// reduced to the selector.
func variableQuery(raw json.RawMessage) (string, error) {
	var q string
	if err := json.Unmarshal(raw, &q); err != nil {
		var obj struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil {
			return "", fmt.Errorf("query is neither a string nor {query}: %s", raw)
		}
		q = obj.Query
	}
	if m := labelValues.FindStringSubmatch(q); m != nil {
		return m[1], nil
	}
	return "", fmt.Errorf("only label_values(<selector>, <label>) variables are read: %q", q)
}

var labelValues = regexp.MustCompile(`^\s*label_values\(\s*(.+?)\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$`)

// grafanaVariable matches $name, ${name} and ${name:format}.
var grafanaVariable = regexp.MustCompile(`\$\{?([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?\}?`)

// Expand replaces Grafana's variables with values PromQL accepts, as Grafana
// does before it sends a query: intervals ($__rate_interval, $__interval,
// $__range) become 5m, other variables (used in label matchers) ".+".
func Expand(expr string) string {
	return grafanaVariable.ReplaceAllStringFunc(expr, func(v string) string {
		if strings.Contains(v, "__") {
			return "5m"
		}
		return ".+"
	})
}

// Selector is a metric a query selects, with the job its matchers name ("" when
// none names one exactly).
type Selector struct {
	Metric string
	Job    string
}

// Selectors parses a query (its Grafana variables expanded) and returns the
// metrics it selects, sorted.
func Selectors(expr string) ([]Selector, error) {
	e, err := parser.ParseExpr(Expand(expr))
	if err != nil {
		return nil, err
	}
	seen := map[Selector]bool{}
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		s := Selector{Metric: vs.Name}
		for _, m := range vs.LabelMatchers {
			switch {
			case m.Name == labels.MetricName && m.Type == labels.MatchEqual:
				s.Metric = m.Value
			case m.Name == "job" && m.Type == labels.MatchEqual:
				s.Job = m.Value
			}
		}
		seen[s] = true
		return nil
	})
	out := make([]Selector, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Metric < out[j].Metric || out[i].Metric == out[j].Metric && out[i].Job < out[j].Job
	})
	return out, nil
}
