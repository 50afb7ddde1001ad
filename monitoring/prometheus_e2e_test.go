//go:build e2e

package monitoring_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/procstop"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/monitoring"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// prometheus is a Prometheus server the test started, on a port of its
// own, with its PID in a PID file beside the scrape configuration.
type prometheus struct {
	url string
	cmd *exec.Cmd
	log string
}

// startPrometheus starts Prometheus (Debian's package: .ci/run installs it)
// on the scrape configuration make up wrote, and stops it, by its PID, when
// the test ends (and with the test process, should that die first).
func startPrometheus(t *testing.T, config string) *prometheus {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Fatalf("the Prometheus server is not installed (Debian: apt-get install prometheus; .ci/run installs it): %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	p := &prometheus{url: "http://" + addr, log: filepath.Join(dir, "prometheus.log")}
	logFile, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, "--config.file="+config, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	pidFile := filepath.Join(filepath.Dir(config), "prometheus-test.pid")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(p.cmd.Process.Pid)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		procstop.Stop(p.cmd, syscall.SIGTERM)
		os.Remove(pidFile)
		logFile.Close()
	})
	p.waitUntil(t, time.Minute, "Prometheus ready", func() (bool, string) {
		resp, err := http.Get(p.url + "/-/ready")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, resp.Status
	})
	return p
}

// waitUntil polls ok every second until it holds or the time is up, then
// fails with what it last said and the server's log.
func (p *prometheus) waitUntil(t *testing.T, limit time.Duration, what string, ok func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		done, why := ok()
		if done {
			return
		}
		if p.cmd.ProcessState != nil || time.Now().After(deadline) {
			log, _ := os.ReadFile(p.log)
			t.Fatalf("%s: not after %s:\n%s\nprometheus log:\n%s", what, limit, why, log)
		}
		time.Sleep(time.Second)
	}
}

// api calls Prometheus's HTTP API and decodes its data into v.
func (p *prometheus) api(path string, query url.Values, v any) error {
	resp, err := http.Get(p.url + path + "?" + query.Encode())
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var answer struct {
		Status string          `json:"status"`
		Error  string          `json:"error"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return fmt.Errorf("%s: %s: %v", path, resp.Status, err)
	}
	if answer.Status != "success" {
		return fmt.Errorf("%s: %s", path, answer.Error)
	}
	return json.Unmarshal(answer.Data, v)
}

// makeTraffic has every region's demo holder apply for an asset through its
// region's REST gateway (a submit, to commit) and read it back (an
// evaluate), so that the gateways' submit and evaluate series exist however
// the network was used before: make up seeds its demo data through the
// peers, not through the gateways.
func makeTraffic(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	keys, err := fabricnet.EnsureGateways(ctx, testNet.Config(), os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	run := demo.RunID("prom")
	orgs := testNet.Config().Orgs
	errs := make(chan error, len(orgs))
	for _, o := range orgs {
		go func() {
			errs <- func() error {
				prefix := strings.ToUpper(o.Key)
				c, err := client.New(keys[prefix+"_GW"], client.WithAPIKey(keys[prefix+"_HOLDER_KEY"]),
					client.WithCAFile(keys[prefix+"_CA"]), client.WithUserAgent("deltaledger-monitoring-e2e"))
				if err != nil {
					return err
				}
				id := "monitoring-" + o.Key + "-" + run
				sub, err := c.Assets().Apply(ctx, client.ApplyRequest{ID: id, Name: "Monitoring traffic " + run,
					Category: "transport", SourceRegion: o.Key, Description: "submitted by the monitoring test",
					ContentHash: demo.Hash(id)})
				if err != nil {
					return fmt.Errorf("%s: applying through the gateway: %w", o.Key, err)
				}
				if !sub.Committed {
					return fmt.Errorf("%s: the application was not committed: %+v", o.Key, sub)
				}
				if err := testNet.WaitForBlock(ctx, sub.BlockNumber); err != nil {
					return err
				}
				got, err := c.Assets().Get(ctx, id)
				if err != nil {
					return fmt.Errorf("%s: reading the asset back through the gateway: %w", o.Key, err)
				}
				if got.Status != model.AssetPendingReview {
					return fmt.Errorf("%s: asset %s is %s, want %s", o.Key, id, got.Status, model.AssetPendingReview)
				}
				return nil
			}()
		}()
	}
	for range orgs {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// A real Prometheus server loads the scrape configuration make up wrote,
// finds every peer, ordering node and gateway of the network up, and answers
// every query of the shipped dashboards (their Grafana variables as Grafana
// sends them: every region and channel, intervals of 5m) with data. The test
// makes its own traffic first (a submit and an evaluate through every
// gateway), so that it does not depend on what ran before it.
func TestPrometheusServesTheDashboards(t *testing.T) {
	trafficStarted := time.Now()
	makeTraffic(t)
	t.Logf("one submit and one evaluate through each gateway in %s", time.Since(trafficStarted).Round(time.Second))
	configs := readScrapeConfigs(t)
	targets := 0
	for _, c := range configs {
		for _, sc := range c.StaticConfigs {
			targets += len(sc.Targets)
		}
	}
	if targets == 0 {
		t.Fatal("the scrape configuration names no target")
	}
	started := time.Now()
	p := startPrometheus(t, filepath.Join(testNet.Config().StateDir(), "monitoring", "prometheus.yml"))

	p.waitUntil(t, 90*time.Second, fmt.Sprintf("all %d targets up", targets), func() (bool, string) {
		var data struct {
			ActiveTargets []struct {
				ScrapePool string            `json:"scrapePool"`
				ScrapeURL  string            `json:"scrapeUrl"`
				Labels     map[string]string `json:"labels"`
				Health     string            `json:"health"`
				LastError  string            `json:"lastError"`
			} `json:"activeTargets"`
		}
		if err := p.api("/api/v1/targets", url.Values{"state": {"active"}}, &data); err != nil {
			return false, err.Error()
		}
		var down []string
		for _, tg := range data.ActiveTargets {
			if tg.Health != "up" {
				down = append(down, fmt.Sprintf("%s %s (job %s): %s %s", tg.ScrapePool, tg.ScrapeURL, tg.Labels["job"], tg.Health, tg.LastError))
			}
		}
		if len(data.ActiveTargets) != targets {
			down = append(down, fmt.Sprintf("%d active targets, the configuration names %d", len(data.ActiveTargets), targets))
		}
		return len(down) == 0, strings.Join(down, "\n")
	})
	t.Logf("Prometheus started and found all %d targets up in %s", targets, time.Since(started).Round(time.Second))

	dashboards, err := monitoring.Dashboards()
	if err != nil {
		t.Fatal(err)
	}
	type query struct{ where, expr string }
	var queries []query
	for _, d := range dashboards {
		for _, q := range d.Queries {
			queries = append(queries, query{d.File + " " + q.Where, monitoring.Expand(q.Expr)})
		}
	}
	// A rate needs two scrapes of a series: poll until every query answers.
	p.waitUntil(t, 90*time.Second, fmt.Sprintf("all %d dashboard queries answered with data", len(queries)), func() (bool, string) {
		var empty []string
		for _, q := range queries {
			var data struct {
				Result []json.RawMessage `json:"result"`
			}
			if err := p.api("/api/v1/query", url.Values{"query": {q.expr}}, &data); err != nil {
				empty = append(empty, fmt.Sprintf("%s: %v", q.where, err))
			} else if len(data.Result) == 0 {
				empty = append(empty, fmt.Sprintf("%s: no data for %s", q.where, q.expr))
			}
		}
		sort.Strings(empty)
		return len(empty) == 0, strings.Join(empty, "\n")
	})
	t.Logf("%d dashboard queries answered with data by Prometheus, %s after its start", len(queries), time.Since(started).Round(time.Second))
}
