package scripts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
