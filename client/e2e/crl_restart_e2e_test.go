//go:build e2e

package e2e

import (
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// node runs scripts/node.sh (faults and repairs of the network's processes, by their PID files).
func node(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(testNet.Config().Root, "scripts", "node.sh"), args...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "scripts/node.sh %v: %s", args, out)
}

// The gateway keeps its CA's CRL on disk: restarted while its CA does not answer, it still refuses a member it
// had refused before the restart, and lets another member in. (Before the CRL was kept, a restarted gateway held
// no CRL until the CA answered.)
func TestARestartedGatewayRefusesRevokedMembersWhileTheCAIsDown(t *testing.T) {
	bin := buildCLI(t)
	victim, bystander := onboard(t, bin), onboard(t, bin)
	out := asJiangsuAdmin(t, bin, "participants", "suspend", victim.participant, "--reason", "licence withdrawn by the exchange")
	require.NotNil(t, out["revocation"], "%v", out)
	v, b := newRawMember(t, victim), newRawMember(t, bystander)
	status, body := v.get("/v1/participants/me")
	require.Equal(t, http.StatusUnauthorized, status, "%s", body)

	cfg := testNet.Config()
	jiangsu, err := cfg.Org("jiangsu")
	require.NoError(t, err)
	node(t, "kill", "ca-jiangsu")
	t.Cleanup(func() {
		node(t, "restart", "ca-jiangsu")
		awaitStatus(t, http.Get, "http://"+net.JoinHostPort(jiangsu.Host, cfg.Values["JIANGSU_CA_OPERATIONS_PORT"])+"/healthz",
			http.StatusOK, time.Minute, 200*time.Millisecond, "Jiangsu's CA did not come back")
	})
	node(t, "kill", "gateway-jiangsu")
	node(t, "restart", "gateway-jiangsu")

	// The bystander gets in once the gateway listens (a member who signs itself is asked for its proposal).
	awaitStatus(t, b.http.Get, b.gw+"/v1/participants/me", http.StatusAccepted, 2*time.Minute, 500*time.Millisecond,
		"the restarted gateway does not let the bystander in")
	status, body = v.get("/v1/participants/me")
	assert.Equal(t, http.StatusUnauthorized, status, "a gateway restarted while its CA is down lets a revoked member in: %s", body)
	assert.Contains(t, string(body), victim.cert.SerialNumber.Text(16))
}

// awaitStatus asks get for url every interval until it answers status; it fails the test with failure and the
// last error once within has passed. A restarted process answers nothing, then refuses connections, then answers.
func awaitStatus(t *testing.T, get func(url string) (*http.Response, error), url string, status int,
	within, interval time.Duration, failure string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == status {
				return
			}
		}
		require.True(t, time.Now().Before(deadline), "%s: %v", failure, err)
		time.Sleep(interval)
	}
}
