//go:build e2e

package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/readmetest"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// readmeGatewaySection is the README section whose bash block the test runs.
const readmeGatewaySection = "## The REST gateway"

// The README's gateway walkthrough works as written: its bash block, run
// with `set -e` from the repository root against the gateways scripts/up.sh
// started, succeeds and shows the outcomes it promises.
func TestReadmeGatewayWalkthrough(t *testing.T) {
	cfg := testNet.Config()
	ensureGateways(t, cfg)
	out := readmetest.Run(t, cfg.Root, readmeGatewaySection)
	for _, want := range []string{
		`"status":"REGISTERED"`,
		`"status":"COMPLETED"`,
		`"holderId":"jiangsu.buyer"`,
		`"verified":true`,
		`"querierId":"jiangsu.buyer"`,
		"event: TradeCompleted",
	} {
		assert.Contains(t, out, want, "the README walkthrough's output:\n%s", out)
	}
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
