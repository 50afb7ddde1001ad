//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// An exchange sets its local gateway's limits in network/gateway-<org>.env;
// `make up`, which regenerates gateway.yaml every time, applies them and
// restarts the gateway, and the other orgs' gateways keep the defaults.
func TestGatewaySettingsSurviveMakeUp(t *testing.T) {
	cfg := testNet.Config()
	file := filepath.Join(cfg.Root, "network", "gateway-anhui.env")
	// Keep an exchange's own file: restore it afterwards, whatever happens.
	original, err := os.ReadFile(file)
	had := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		require.NoError(t, err)
	}
	t.Setenv("DELTALEDGER_SKIP_SEED", "1")
	up := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		require.NoError(t, fabricnet.Up(ctx, cfg, io.Discard))
	}
	t.Cleanup(func() {
		if had {
			require.NoError(t, os.WriteFile(file, original, 0o644))
		} else if err := os.Remove(file); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Error(err)
		}
		up()
		assert.Equal(t, rateLimit(t, "anhui", "read"), rateLimit(t, "shanghai", "read"), "back to the common settings")
	})

	require.NoError(t, os.WriteFile(file, []byte("# e2e: a local setting of Anhui's gateway\nDLGW_LIMITS_READ_RATE_PER_SECOND=7\n"), 0o644))
	up()
	assert.Equal(t, "7", rateLimit(t, "anhui", "read"))
	assert.NotEqual(t, "7", rateLimit(t, "shanghai", "read"), "one org's file concerns its gateway alone")
	assert.Equal(t, rateLimit(t, "shanghai", "write"), rateLimit(t, "anhui", "write"), "unset settings keep their values")
}

// rateLimit reads the per-member rate of a budget from org's gateway's
// metrics (deltaledger_gateway_rate_limit_per_second), as the org's admin:
// nobody else reads them.
func rateLimit(t *testing.T, org, budget string) string {
	t.Helper()
	keys, err := testNet.Config().DemoKeys()
	require.NoError(t, err)
	prefix := strings.ToUpper(org)
	ca, err := os.ReadFile(keys[prefix+"_CA"])
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(ca))
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, err := http.NewRequest(http.MethodGet, keys[prefix+"_GW"]+"/metrics", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+keys[prefix+"_ADMIN_KEY"])
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	want := `deltaledger_gateway_rate_limit_per_second{budget="` + budget + `"} `
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), want); ok {
			return v
		}
	}
	require.NoError(t, sc.Err())
	t.Fatalf("%s's gateway reports no %s rate limit", org, budget)
	return ""
}
