//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// readmeGatewaySection is the README section whose bash block the test runs.
const readmeGatewaySection = "## The REST gateway"

// The README's gateway walkthrough works as written: its bash block, run
// with `set -e` from the repository root against the gateways scripts/up.sh
// started, succeeds and shows the outcomes it promises.
func TestReadmeGatewayWalkthrough(t *testing.T) {
	cfg := testNet.Config()
	script := readmeBashBlocks(t, filepath.Join(cfg.Root, "README.md"), readmeGatewaySection)
	ensureGateways(t, cfg)

	file := filepath.Join(t.TempDir(), "walkthrough.sh")
	require.NoError(t, os.WriteFile(file, []byte("set -e\n"+script), 0o600))
	run := func() ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", file)
		cmd.Dir = cfg.Root
		return cmd.CombinedOutput()
	}
	out, err := run()
	if err != nil {
		// A submit answers once its block is committed on the gateway's own
		// peer; another org's peer may commit it some milliseconds later, and
		// the walkthrough's next call may go there. One retry (with new IDs:
		// they derive from the time in seconds) tells that apart from a
		// walkthrough that no longer works.
		t.Logf("the README walkthrough failed (%v), retrying once; its output:\n%s", err, out)
		time.Sleep(1100 * time.Millisecond)
		out, err = run()
	}
	require.NoError(t, err, "the README walkthrough failed; its output:\n%s", out)
	for _, want := range []string{
		`"status":"REGISTERED"`,
		`"status":"COMPLETED"`,
		`"holderId":"jiangsu.buyer"`,
		`"verified":true`,
		`"querierId":"jiangsu.buyer"`,
		"event: TradeCompleted",
	} {
		assert.Contains(t, string(out), want, "the README walkthrough's output:\n%s", out)
	}
}

// readmeBashBlocks returns the fenced bash (or sh) blocks of one section of
// a Markdown file, joined.
func readmeBashBlocks(t *testing.T, path, heading string) string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var b strings.Builder
	in, fenced := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			in = line == heading
		case !in:
		case fenced && strings.HasPrefix(line, "```"):
			fenced = false
		case fenced:
			b.WriteString(line + "\n")
		case line == "```bash" || line == "```sh":
			fenced = true
		}
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, b.String(), "%s has no bash block in section %q", path, heading)
	return b.String()
}

// ensureGateways runs scripts/up.sh unless every org's gateway answers
// /readyz and the demo API keys exist (a network started before up.sh ran
// gateways, and reused with DELTALEDGER_REUSE_NETWORK=1, has none).
func ensureGateways(t *testing.T, cfg *fabricnet.Config) {
	t.Helper()
	keys := filepath.Join(cfg.StateDir(), "gateways", "demo-keys.env")
	if err := gatewaysReady(cfg); err == nil {
		if _, err := os.Stat(keys); err == nil {
			return
		}
	} else {
		t.Logf("starting the gateways: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	require.NoError(t, fabricnet.Up(ctx, cfg, os.Stderr))
	require.NoError(t, gatewaysReady(cfg))
}

func gatewaysReady(cfg *fabricnet.Config) error {
	for _, o := range cfg.Orgs {
		port := cfg.Values[strings.ToUpper(o.Key)+"_GATEWAY_PORT"]
		if port == "" {
			return fmt.Errorf("network.env has no %s_GATEWAY_PORT", strings.ToUpper(o.Key))
		}
		pem, err := os.ReadFile(cfg.TLSRootCertFile(o))
		if err != nil {
			return err
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		client := &http.Client{
			Timeout:   5 * time.Second,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		}
		resp, err := client.Get("https://" + cfg.Values["HOST"] + ":" + port + "/readyz")
		if err != nil {
			return fmt.Errorf("gateway of %s: %w", o.Key, err)
		}
		resp.Body.Close()
		client.CloseIdleConnections()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("gateway of %s: /readyz answered %s", o.Key, resp.Status)
		}
	}
	return nil
}
