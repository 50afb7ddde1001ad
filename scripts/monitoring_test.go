package scripts_test

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/deltaledger/deltaledger/network/enroll"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// The Prometheus configuration make up writes reads each gateway's metrics with an API key of scope metrics, made
// and kept by the gateway's own command (`apikey ensure --scope metrics`), and presents no member's client
// certificate to a gateway: the org Admin's TLS client certificate it presented acted as the org's Admin on every
// route for whoever read the configuration. bin/deltaledger-gateway here stands in for the gateway's command: it
// records its arguments and the key it was given, and prints the key again or a new one.
func TestPrometheusReadsTheGatewaysWithAMetricsKey(t *testing.T) {
	c := newCheckout(t)
	calls := filepath.Join(c.root, "calls")
	stub := `#!/bin/bash
old=$(cat)
echo "$* old=$old" >>` + calls + `
if [ -n "$old" ]; then echo "$old"; else echo "dlk_metrics_$RANDOM"; fi
`
	require.NoError(t, os.WriteFile(filepath.Join(c.root, "bin", "deltaledger-gateway"), []byte(stub), 0o755))
	run := func() string {
		out, err := c.bash(`source scripts/lib/gateway.sh; source scripts/lib/monitoring.sh; write_prometheus_config; cat "$(prometheus_config)"`)
		require.NoError(t, err, out)
		return out
	}
	config := run()
	orgs, err := c.bash(`echo $ORGS`)
	require.NoError(t, err)
	monitoring := filepath.Join(c.root, "network", ".state", "monitoring")
	keys := map[string]string{}
	for _, o := range strings.Fields(orgs) {
		file := filepath.Join(monitoring, o+"-gateway-metrics.key")
		info, err := os.Stat(file)
		require.NoError(t, err, o)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "%s: the key is readable by its owner only", o)
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		keys[o] = string(b)
		assert.True(t, strings.HasPrefix(keys[o], "dlk_metrics_"), "%s: %q", o, keys[o])
		assert.Contains(t, config, "credentials_file: "+file, o)
	}
	for _, job := range strings.Split(config, "  - job_name: ")[1:] {
		if strings.HasPrefix(job, "deltaledger-gateway-") {
			assert.NotContains(t, job, "cert_file", "a gateway is read with the metrics key, not a member's certificate:\n%s", job)
			assert.Contains(t, job, "type: Bearer")
		}
	}
	b, err := os.ReadFile(calls)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Len(t, lines, len(keys))
	for _, l := range lines {
		assert.Contains(t, l, "apikey ensure ")
		assert.Contains(t, l, "--scope metrics")
		assert.Contains(t, l, "--member Admin@")
		assert.True(t, strings.HasSuffix(l, " old="), "a first run has no key to keep: %s", l)
	}

	require.NoError(t, os.Remove(calls))
	run()
	b, err = os.ReadFile(calls)
	require.NoError(t, err)
	for _, o := range strings.Fields(orgs) {
		assert.Contains(t, string(b), "old="+keys[o], "%s: the next make up hands its key to ensure to keep", o)
	}
}

// Whoever reads the Prometheus configuration make up writes holds the client certificate and key it presents to the
// peers' and ordering nodes' operations endpoints: that must be the org's monitoring certificate (monitoring_tls),
// which those endpoints trust for /metrics and the ordering node's admin endpoint refuses. The org Admin's pinned
// certificate it presented before was the only client of that admin endpoint, so the configuration's reader could
// remove the org's ordering node from the channel (osnadmin channel remove).
func TestPrometheusHoldsNoKeyOfTheOrderersAdminEndpoint(t *testing.T) {
	c := newCheckout(t)
	withConfigTemplates(t, c)
	stub := "#!/bin/bash\ncat >/dev/null; echo dlk_metrics_1\n"
	require.NoError(t, os.WriteFile(filepath.Join(c.root, "bin", "deltaledger-gateway"), []byte(stub), 0o755))
	cfg, err := fabricnet.LoadConfig(c.root)
	require.NoError(t, err)
	for _, o := range cfg.Orgs {
		_, err := enroll.WritePins(cfg, o)
		require.NoError(t, err, o.Key)
	}
	out, err := c.bash(`source scripts/lib/gateway.sh; source scripts/lib/monitoring.sh; source scripts/lib/config.sh; ` +
		`write_prometheus_config; for o in $ORGS; do write_orderer_config $o; write_peer_config $o; done; prometheus_config`)
	require.NoError(t, err, out)
	var prom struct {
		ScrapeConfigs []struct {
			JobName   string `yaml:"job_name"`
			TLSConfig struct {
				CertFile string `yaml:"cert_file"`
				KeyFile  string `yaml:"key_file"`
			} `yaml:"tls_config"`
			StaticConfigs []struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	require.NoError(t, yaml.Unmarshal(must(os.ReadFile(strings.TrimSpace(out))), &prom))

	checked := 0
	for _, sc := range prom.ScrapeConfigs {
		rest, ok := strings.CutPrefix(sc.JobName, "fabric-")
		if !ok {
			continue
		}
		kind, o, ok := strings.Cut(rest, "-") // fabric-peer-<org>, fabric-orderer-<org>
		require.True(t, ok, sc.JobName)
		require.Len(t, sc.StaticConfigs, 1, sc.JobName)
		require.Equal(t, o, sc.StaticConfigs[0].Labels["org"], sc.JobName)
		admin, err := c.bash(`admin_tls ` + o)
		require.NoError(t, err, admin)
		assert.NotEqual(t, strings.TrimSpace(admin)+".key", sc.TLSConfig.KeyFile, "%s: the org Admin's pinned key", sc.JobName)
		cert := must(tls.LoadX509KeyPair(sc.TLSConfig.CertFile, sc.TLSConfig.KeyFile))
		dirs, err := c.bash(`node_dir orderer-` + o + `; echo; node_dir peer-` + o)
		require.NoError(t, err, dirs)
		d := strings.Fields(dirs)
		ends := readClientAuth(t, filepath.Join(d[0], "orderer.yaml"), filepath.Join(d[1], "core.yaml"))
		operations := ends.ordererOperations
		if kind == "peer" {
			operations = ends.peerOperations
		}
		assert.True(t, accepts(t, operations, cert), "%s: the operations endpoint it scrapes accepts its certificate", sc.JobName)
		assert.False(t, accepts(t, ends.ordererAdmin, cert), "%s: the ordering node's admin endpoint (osnadmin) accepts its certificate", sc.JobName)
		checked++
	}
	assert.Equal(t, 2*len(cfg.Orgs), checked, "a fabric-peer and a fabric-orderer job for every org")
}
