//go:build e2e

package monitoring_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"

	"github.com/deltaledger/deltaledger/monitoring"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

var testNet *fabricnet.Network

// TestMain registers the demo participants (make up may have skipped its
// seed), whose holders make the Prometheus test's traffic.
func TestMain(m *testing.M) { os.Exit(demo.RunSuite(m, &testNet, io.Discard)) }

// scrapeConfig is what the test reads of a Prometheus scrape configuration:
// the settings make up writes (scripts/lib/monitoring.sh).
type scrapeConfig struct {
	JobName     string `yaml:"job_name"`
	Scheme      string `yaml:"scheme"`
	MetricsPath string `yaml:"metrics_path"`
	TLSConfig   struct {
		CAFile   string `yaml:"ca_file"`
		CertFile string `yaml:"cert_file"`
		KeyFile  string `yaml:"key_file"`
	} `yaml:"tls_config"`
	Authorization struct {
		Type            string `yaml:"type"`
		CredentialsFile string `yaml:"credentials_file"`
	} `yaml:"authorization"`
	StaticConfigs []struct {
		Targets []string          `yaml:"targets"`
		Labels  map[string]string `yaml:"labels"`
	} `yaml:"static_configs"`
	RelabelConfigs []struct {
		TargetLabel string `yaml:"target_label"`
		Replacement string `yaml:"replacement"`
	} `yaml:"relabel_configs"`
}

// job is the job label Prometheus gives the scrape configuration's series.
func (c scrapeConfig) job() string {
	job := c.JobName
	for _, r := range c.RelabelConfigs {
		if r.TargetLabel == "job" {
			job = r.Replacement
		}
	}
	return job
}

// client is an HTTP client with the scrape configuration's TLS settings.
func (c scrapeConfig) client(t *testing.T) *http.Client {
	t.Helper()
	return c.httpClient(t, true)
}

// anonymous is an HTTP client that trusts the scrape configuration's CA and
// presents no client certificate.
func (c scrapeConfig) anonymous(t *testing.T) *http.Client {
	t.Helper()
	return c.httpClient(t, false)
}

func (c scrapeConfig) httpClient(t *testing.T, withCertificate bool) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(c.TLSConfig.CAFile)
	if err != nil {
		t.Fatalf("%s: tls_config.ca_file: %v", c.JobName, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("%s: no certificate in %s", c.JobName, c.TLSConfig.CAFile)
	}
	cfg := &tls.Config{RootCAs: pool}
	if withCertificate && c.TLSConfig.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.TLSConfig.CertFile, c.TLSConfig.KeyFile)
		if err != nil {
			t.Fatalf("%s: tls_config cert_file/key_file: %v", c.JobName, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
}

// scrapeRequest is Prometheus's request of url with the scrape configuration's authorization: the gateways' API key
// of scope metrics (scripts/lib/monitoring.sh), which reads their metrics and nothing else.
func (c scrapeConfig) scrapeRequest(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Authorization.CredentialsFile != "" {
		key, err := os.ReadFile(c.Authorization.CredentialsFile)
		if err != nil {
			t.Fatalf("%s: authorization.credentials_file: %v", c.JobName, err)
		}
		typ := c.Authorization.Type
		if typ == "" {
			typ = "Bearer" // Prometheus's default
		}
		req.Header.Set("Authorization", typ+" "+strings.TrimSpace(string(key)))
	}
	return req
}

func readScrapeConfigs(t *testing.T) []scrapeConfig {
	t.Helper()
	file := filepath.Join(testNet.Config().StateDir(), "monitoring", "prometheus.yml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("make up writes the scrape configuration: %v", err)
	}
	var doc struct {
		ScrapeConfigs []scrapeConfig `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return doc.ScrapeConfigs
}

// exported scrapes every target of the scrape configuration as Prometheus
// would and returns, per job, the names of the series its processes export
// (a histogram's _bucket, _sum and _count; a summary's _sum and _count). Each
// target also has Prometheus's own series up.
func exported(t *testing.T, configs []scrapeConfig) map[string]map[string]bool {
	t.Helper()
	byJob := map[string]map[string]bool{}
	for _, c := range configs {
		if byJob[c.job()] == nil {
			byJob[c.job()] = map[string]bool{}
		}
		names := byJob[c.job()]
		hc := c.client(t)
		for _, sc := range c.StaticConfigs {
			for _, target := range sc.Targets {
				url := fmt.Sprintf("%s://%s%s", c.Scheme, target, c.MetricsPath)
				resp, err := hc.Do(c.scrapeRequest(t, url))
				if err != nil {
					t.Fatalf("scraping %s (%s, org %s): %v", url, c.job(), sc.Labels["org"], err)
				}
				parser := expfmt.NewTextParser(model.UTF8Validation)
				families, err := parser.TextToMetricFamilies(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || err != nil {
					t.Fatalf("scraping %s: %s, %v", url, resp.Status, err)
				}
				names["up"] = true
				for name, f := range families {
					if len(f.GetMetric()) == 0 {
						continue
					}
					names[name] = true
					switch f.GetType().String() {
					case "HISTOGRAM":
						names[name+"_bucket"], names[name+"_sum"], names[name+"_count"] = true, true, true
					case "SUMMARY":
						names[name+"_sum"], names[name+"_count"] = true, true
					}
				}
			}
		}
	}
	return byJob
}

// The scrape configuration make up writes names every peer, ordering node
// and gateway of the network, each reachable with the configuration's own
// TLS settings.
func TestScrapeConfigurationCoversTheNetwork(t *testing.T) {
	configs := readScrapeConfigs(t)
	want := map[string]bool{}
	for _, o := range testNet.Config().Orgs {
		for _, job := range []string{"fabric-peer", "fabric-orderer", "deltaledger-gateway"} {
			want[job+" "+o.Key] = true
		}
	}
	got := map[string]bool{}
	for _, c := range configs {
		for _, sc := range c.StaticConfigs {
			got[c.job()+" "+sc.Labels["org"]] = true
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("the scrape configuration has no target for %s", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("the scrape configuration has a target for %s, which is not in the network", k)
		}
	}
	exported(t, configs) // every target answers
}

// Every query of every dashboard names metrics that the network's live
// processes export, under the job the query selects.
func TestDashboardsQueryExportedMetrics(t *testing.T) {
	configs := readScrapeConfigs(t)
	// A refused request makes each gateway export its error counter, as the
	// first refusal does in production; the metrics themselves are refused
	// to whoever is not the org's admin.
	for _, c := range configs {
		if c.job() != "deltaledger-gateway" {
			continue
		}
		hc := c.anonymous(t)
		for _, sc := range c.StaticConfigs {
			for _, target := range sc.Targets {
				for _, path := range []string{"/v1/participants/me", c.MetricsPath} {
					resp, err := hc.Get(c.Scheme + "://" + target + path)
					if err != nil {
						t.Fatal(err)
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusUnauthorized {
						t.Fatalf("GET %s without credentials at %s: %s", path, target, resp.Status)
					}
				}
				// Whoever reads the scrape configuration holds its credential: it reads the metrics, and no member's data.
				resp, err := c.client(t).Do(c.scrapeRequest(t, c.Scheme+"://"+target+"/v1/participants/me"))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusForbidden {
					t.Fatalf("GET /v1/participants/me with the scrape configuration's credential at %s: %s, want 403", target, resp.Status)
				}
			}
		}
	}
	byJob := exported(t, configs)
	all := map[string]bool{}
	for _, names := range byJob {
		for n := range names {
			all[n] = true
		}
	}
	dashboards, err := monitoring.Dashboards()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range dashboards {
		for _, q := range d.Queries {
			selectors, err := monitoring.Selectors(q.Expr)
			if err != nil {
				t.Errorf("%s %s: %v", d.File, q.Where, err)
				continue
			}
			for _, s := range selectors {
				checked++
				switch {
				case s.Job != "" && byJob[s.Job] == nil:
					t.Errorf("%s %s: job %q is not in the scrape configuration", d.File, q.Where, s.Job)
				case s.Job != "" && !byJob[s.Job][s.Metric]:
					t.Errorf("%s %s: no process of job %s exports %s%s", d.File, q.Where, s.Job, s.Metric, similar(s.Metric, byJob[s.Job]))
				case s.Job == "" && !all[s.Metric]:
					t.Errorf("%s %s: no process exports %s%s", d.File, q.Where, s.Metric, similar(s.Metric, all))
				}
			}
		}
	}
	t.Logf("%d dashboards, %d metric selectors checked against %d scraped series names", len(dashboards), checked, len(all))
}

// similar lists exported names that share the metric's first word, to make a
// failure easy to fix.
func similar(metric string, names map[string]bool) string {
	prefix, _, _ := strings.Cut(metric, "_")
	var out []string
	for n := range names {
		if strings.HasPrefix(n, prefix+"_") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	if len(out) > 12 {
		out = append(out[:12], "...")
	}
	if len(out) == 0 {
		return ""
	}
	return " (exported: " + strings.Join(out, ", ") + ")"
}
