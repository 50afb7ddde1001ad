package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeGateway stands in for bin/deltaledger-gateway: it runs until killed and writes "HUP" to its output (the
// process's log) on each SIGHUP, as the gateway reloads tls.clientCAs.
const fakeGateway = `package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	fmt.Println("serving")
	for range hup {
		fmt.Println("HUP")
	}
}
`

// gatewayConfig is gateway.yaml as config write writes it, with the given listener and client CAs.
func gatewayConfig(listen string, clientCAs ...string) string {
	s := "listen: " + listen + "\nmspId: ShanghaiMSP\ntls:\n  cert: /c/server.crt\n  key: /c/server.key\n  clientCAs:\n"
	for _, ca := range clientCAs {
		s += "    - " + ca + "\n"
	}
	return s + "peer:\n  address: 127.0.0.1:27151\n"
}

// A gateway whose configuration changed only in tls.clientCAs (a region joined) is signalled to reload them, by
// the PID file's process, and keeps running; one whose other settings changed is restarted; one with nothing
// changed is left alone. A copied checkout's PID file signals nothing.
func TestStartGatewayReloadsClientCAsWithoutARestart(t *testing.T) {
	c := newCheckout(t)
	src := filepath.Join(t.TempDir(), "main.go")
	require.NoError(t, os.WriteFile(src, []byte(fakeGateway), 0o644))
	build := exec.Command("go", "build", "-o", filepath.Join(c.root, "bin", "deltaledger-gateway"), src)
	built, err := build.CombinedOutput()
	require.NoError(t, err, "%s", built)
	dir := filepath.Join(c.root, "network", ".state", "gateways", "shanghai")
	require.NoError(t, os.MkdirAll(dir, 0o700))
	log := filepath.Join(c.root, "network", ".state", "logs", "gateway-shanghai.log")
	write := func(config string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "gateway.yaml"), []byte(config), 0o644))
	}
	hups := func() int {
		b, _ := os.ReadFile(log)
		return strings.Count(string(b), "HUP\n")
	}
	// start runs start_gateway (the handshake check of a reload stands in as "the gateway logged HUP") and returns
	// the gateway's PID and the script's output.
	start := func() (int, string) {
		out, err := c.bash(`source scripts/lib/gateway.sh; trusts_every_org() { grep -q '^HUP$' "$DL_LOGS/gateway-$1.log"; }; ` +
			`start_gateway shanghai; proc_pid gateway-shanghai`)
		require.NoError(t, err, out)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		pid, err := strconv.Atoi(lines[len(lines)-1])
		require.NoError(t, err, out)
		t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
		return pid, out
	}
	four := []string{"ShanghaiMSP=/s.pem", "JiangsuMSP=/j.pem", "ZhejiangMSP=/z.pem", "AnhuiMSP=/a.pem"}
	write(gatewayConfig("127.0.0.1:27180", four...))
	first, out := start()
	require.Contains(t, out, "started gateway-shanghai")

	again, out := start()
	require.Equal(t, first, again, "nothing changed: %s", out)
	require.Zero(t, hups())

	write(gatewayConfig("127.0.0.1:27180", append(four, "SuzhouMSP=/su.pem")...))
	reloaded, out := start()
	require.Equal(t, first, reloaded, "only the client CAs changed: the gateway is not restarted: %s", out)
	require.Equal(t, 1, hups(), "it was signalled once to reload: %s", out)
	require.Contains(t, out, "reloaded tls.clientCAs")
	require.Contains(t, out, "not restarted")

	// A copy of the checkout carries the PID file; signalling from there is refused and the original gets nothing.
	copied := c.copyOf()
	out, err = copied.bash(`proc_signal gateway-shanghai HUP`)
	require.Error(t, err, out)
	require.Contains(t, out, "not signalling gateway-shanghai")
	require.Equal(t, 1, hups())

	write(gatewayConfig("127.0.0.1:27181", append(four, "SuzhouMSP=/su.pem")...))
	restarted, out := start()
	require.NotEqual(t, first, restarted, "the listener changed: a restart: %s", out)
	require.True(t, gone(first))
	require.Equal(t, 1, hups(), "a restart, not a reload")
}
