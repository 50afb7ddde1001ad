// Package scripts_test checks the network scripts' process handling without a
// network: processes are copies of sleep(1) standing in for Fabric's
// binaries, started and stopped through scripts/lib/common.sh and
// scripts/down.sh exactly as `make up` and `make down` do.
package scripts_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// checkout is a minimal copy of the repository: the scripts, network.env and
// identities.env, and bin/orderer, bin/peer as copies of sleep.
type checkout struct {
	t    *testing.T
	root string
}

func newCheckout(t *testing.T) *checkout {
	t.Helper()
	root := filepath.Join(t.TempDir(), "checkout")
	require.NoError(t, os.MkdirAll(filepath.Join(root, "network"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "bin"), 0o755))
	copyTree(t, ".", filepath.Join(root, "scripts"))
	for _, f := range []string{"network.env", "identities.env"} {
		copyTree(t, filepath.Join("..", "network", f), filepath.Join(root, "network", f))
	}
	sleep, err := exec.LookPath("sleep")
	require.NoError(t, err)
	for _, name := range []string{"orderer", "peer"} {
		copyTree(t, sleep, filepath.Join(root, "bin", name))
	}
	return &checkout{t: t, root: root}
}

// copyOf copies the whole checkout, its PID files included, as `cp -a` of a
// checkout whose network runs would.
func (c *checkout) copyOf() *checkout {
	c.t.Helper()
	root := filepath.Join(c.t.TempDir(), "copy")
	copyTree(c.t, c.root, root)
	return &checkout{t: c.t, root: root}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	out, err := exec.Command("cp", "-a", from, to).CombinedOutput()
	require.NoError(t, err, "cp -a %s %s: %s", from, to, out)
}

// bash runs a script in the checkout with scripts/lib/common.sh sourced and
// returns its combined output.
func (c *checkout) bash(script string) (string, error) {
	cmd := exec.Command("bash", "-c", "set -euo pipefail; source scripts/lib/common.sh; "+script)
	cmd.Dir = c.root
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// start starts bin/<exe> as process name through proc_start and returns its PID.
func (c *checkout) start(name, exe string) int {
	c.t.Helper()
	out, err := c.bash(fmt.Sprintf(`proc_start %s "$DL_BIN/%s" 600; proc_pid %s`, name, exe, name))
	require.NoError(c.t, err, out)
	pid, err := strconv.Atoi(strings.TrimSpace(out))
	require.NoError(c.t, err, out)
	c.t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	return pid
}

// down runs scripts/down.sh (make down) and returns its output.
func (c *checkout) down() string {
	c.t.Helper()
	cmd := exec.Command("scripts/down.sh")
	cmd.Dir = c.root
	out, err := cmd.CombinedOutput()
	require.NoError(c.t, err, "%s", out)
	return string(out)
}

func (c *checkout) pidFile(name string) string {
	return filepath.Join(c.root, "network", ".state", "run", name+".pid")
}

// running reports whether pid exists and is not a zombie.
func running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(stat)
	return !strings.HasPrefix(s[strings.LastIndex(s, ")")+2:], "Z")
}

// gone waits until pid has exited.
func gone(pid int) bool {
	for range 100 {
		if !running(pid) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func TestDownStopsItsOwnProcesses(t *testing.T) {
	c := newCheckout(t)
	orderer := c.start("orderer-shanghai", "orderer")
	peer := c.start("peer-jiangsu", "peer")

	fields := strings.Fields(string(must(os.ReadFile(c.pidFile("orderer-shanghai")))))
	require.Len(t, fields, 4, "<pid> <start> <boot> <executable>")
	require.Equal(t, strconv.Itoa(orderer), fields[0])
	require.Equal(t, filepath.Join(must(filepath.EvalSymlinks(c.root)), "bin", "orderer"), fields[3])

	out := c.down()
	require.NotContains(t, out, "not stopping")
	require.True(t, gone(orderer), "orderer-shanghai still runs: %s", out)
	require.True(t, gone(peer), "peer-jiangsu still runs: %s", out)
	require.NoFileExists(t, c.pidFile("orderer-shanghai"))
}

// A copy of a checkout whose network runs carries the PID files: its
// `make down` must leave the original's processes alone and say why.
func TestDownInACopiedCheckoutLeavesTheOriginalRunning(t *testing.T) {
	original := newCheckout(t)
	pid := original.start("peer-anhui", "peer")
	copied := original.copyOf()

	status, _ := exec.Command("bash", "-c", "cd "+copied.root+" && scripts/status.sh").CombinedOutput()
	require.Regexp(t, `peer-anhui\s+stopped\s+-.*not ours: pid `+strconv.Itoa(pid)+` is .* of another checkout`,
		string(status))

	out := copied.down()
	require.Contains(t, out, fmt.Sprintf("not stopping peer-anhui: pid %d is %s of another checkout", pid,
		filepath.Join(must(filepath.EvalSymlinks(original.root)), "bin", "peer")))
	time.Sleep(200 * time.Millisecond)
	require.True(t, running(pid), "the copy's make down stopped the original's process")

	original.down()
	require.True(t, gone(pid), "the original's make down did not stop its own process")
}

// A stale PID file (a reboot, a reused PID) must never make down signal a
// stranger: each way the file can lie is refused with its reason.
func TestDownRefusesStalePIDFiles(t *testing.T) {
	c := newCheckout(t)
	bootID := strings.TrimSpace(string(must(os.ReadFile("/proc/sys/kernel/random/boot_id"))))
	ordererExe := filepath.Join(must(filepath.EvalSymlinks(c.root)), "bin", "orderer")

	// An unrelated process now has the recorded PID.
	stranger := exec.Command("sleep", "600")
	require.NoError(t, stranger.Start())
	t.Cleanup(func() { _ = stranger.Process.Kill(); _ = stranger.Wait() })
	// Another run of this checkout's own program: same executable, later start.
	rerun := c.start("peer-zhejiang", "orderer")
	rerunStart := startTicks(t, rerun)

	cases := []struct {
		name, file, why string
		pid             int
	}{
		{"orderer-shanghai", fmt.Sprintf("%d %d %s %s", stranger.Process.Pid, startTicks(t, stranger.Process.Pid), bootID, ordererExe),
			fmt.Sprintf("pid %d runs %s, not %s: ", stranger.Process.Pid, must(exec.LookPath("sleep")), ordererExe), stranger.Process.Pid},
		{"orderer-jiangsu", fmt.Sprintf("%d %d %s %s", rerun, rerunStart-1, bootID, ordererExe),
			fmt.Sprintf("pid %d runs %s but started at tick %d after boot, not at tick %d", rerun, ordererExe, rerunStart, rerunStart-1), rerun},
		{"orderer-anhui", fmt.Sprintf("%d %d %s %s", rerun, rerunStart, "00000000-0000-0000-0000-000000000000", ordererExe),
			"is from before the last reboot", rerun},
		{"orderer-zhejiang", "12345 not-a-pid-file", "is not a PID file of these scripts", 0},
	}
	require.NoError(t, os.Remove(c.pidFile("peer-zhejiang")))
	for _, tc := range cases {
		require.NoError(t, os.WriteFile(c.pidFile(tc.name), []byte(tc.file+"\n"), 0o644))
	}
	out := c.down()
	for _, tc := range cases {
		require.Contains(t, out, "not stopping "+tc.name+": ", out)
		require.Contains(t, out, tc.why, out)
		require.NoFileExists(t, c.pidFile(tc.name))
	}
	time.Sleep(200 * time.Millisecond)
	require.True(t, running(stranger.Process.Pid), "make down signalled an unrelated process")
	require.True(t, running(rerun), "make down signalled a process its PID file does not mean")
}

// A PID file whose process has exited is removed without a word.
func TestDownForgetsExitedProcesses(t *testing.T) {
	c := newCheckout(t)
	pid := c.start("peer-shanghai", "peer")
	require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
	require.True(t, gone(pid))
	out := c.down()
	require.NotContains(t, out, "not stopping")
	require.NoFileExists(t, c.pidFile("peer-shanghai"))
}

// The scripts start only executables under the checkout: what they start is
// what make down may stop.
func TestStartRefusesExecutablesOutsideTheCheckout(t *testing.T) {
	c := newCheckout(t)
	out, err := c.bash(`proc_start peer-shanghai "$(command -v sleep)" 600`)
	require.Error(t, err)
	require.Contains(t, out, "is not under this checkout")
	require.NoFileExists(t, c.pidFile("peer-shanghai"))
}

// startTicks is field 22 of /proc/<pid>/stat.
func startTicks(t *testing.T, pid int) int {
	t.Helper()
	s := string(must(os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))))
	fields := strings.Fields(s[strings.LastIndex(s, ")")+2:])
	n, err := strconv.Atoi(fields[19])
	require.NoError(t, err)
	return n
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A fact checked on running processes (record_seen) holds for those very
// runs only: another run of the same program (a restart) must be checked
// again, and so must a process that stopped; make down forgets it.
func TestAFactHoldsForTheRunsItWasSeenOn(t *testing.T) {
	c := newCheckout(t)
	c.start("peer-shanghai", "peer")
	c.start("orderer-shanghai", "orderer")
	holds := func() bool {
		_, err := c.bash(`seen joined peer-shanghai orderer-shanghai`)
		return err == nil
	}
	require.False(t, holds(), "never recorded")
	out, err := c.bash(`record_seen joined peer-shanghai orderer-shanghai`)
	require.NoError(t, err, out)
	require.True(t, holds())

	restarted := c.start("peer-shanghai", "peer") // a new run under the same name
	require.False(t, holds(), "another run of peer-shanghai")
	out, err = c.bash(`record_seen joined peer-shanghai orderer-shanghai`)
	require.NoError(t, err, out)
	require.True(t, holds())
	require.NoError(t, syscall.Kill(restarted, syscall.SIGKILL))
	require.True(t, gone(restarted))
	require.False(t, holds(), "peer-shanghai stopped")

	c.down()
	require.NoFileExists(t, filepath.Join(c.root, "network", ".state", "run", "joined.seen"))
}

// A step's files are unchanged while every input and output is byte for
// byte what files_recorded saw; an edit, a deletion or a new file matched by
// the step's list runs it again.
func TestFilesUnchangedUntilOneChanges(t *testing.T) {
	c := newCheckout(t)
	dir := filepath.Join(c.root, "network", ".state")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "run"), 0o755))
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	require.NoError(t, os.WriteFile(in, []byte("A=1\n"), 0o644))
	require.NoError(t, os.WriteFile(out, []byte("a: 1\n"), 0o644))
	unchanged := func() bool {
		_, err := c.bash(`files_unchanged step "$DL_STATE/in" "$DL_STATE/out"`)
		return err == nil
	}
	require.False(t, unchanged(), "never recorded")
	o, err := c.bash(`files_recorded step "$DL_STATE/in" "$DL_STATE/out"`)
	require.NoError(t, err, o)
	require.True(t, unchanged())
	require.NoError(t, os.WriteFile(in, []byte("A=2\n"), 0o644))
	require.False(t, unchanged(), "an input changed")
	_, err = c.bash(`files_recorded step "$DL_STATE/in" "$DL_STATE/out"`)
	require.NoError(t, err)
	require.NoError(t, os.Remove(out))
	require.False(t, unchanged(), "an output is gone")
}

// fakeGateway stands in for bin/deltaledger-gateway: serve runs until killed and writes "HUP" to its output (the
// process's log) on each SIGHUP, as the gateway reloads tls.clientCAs; config runs the real gateway's command (its
// path set at build time as main.real), which tells a reload from a restart.
const fakeGateway = `package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

var real string

func main() {
	if len(os.Args) > 1 && os.Args[1] == "config" {
		err := syscall.Exec(real, append([]string{real}, os.Args[1:]...), os.Environ())
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
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
	real := filepath.Join(t.TempDir(), "deltaledger-gateway")
	build := exec.Command("go", "build", "-o", real, "../gateway/cmd/deltaledger-gateway")
	built, err := build.CombinedOutput()
	require.NoError(t, err, "%s", built)
	build = exec.Command("go", "build", "-ldflags", "-X main.real="+real, "-o", filepath.Join(c.root, "bin", "deltaledger-gateway"), src)
	built, err = build.CombinedOutput()
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

// The processes' logs name the members and what they asked for (the gateways log every request: who, which route,
// which path, e.g. whose credit records), so only the network's user reads them, like the keys and databases
// beside them.
func TestOnlyTheNetworksUserReadsTheLogs(t *testing.T) {
	c := newCheckout(t)
	c.start("peer-anhui", "peer")
	logs := filepath.Join(c.root, "network", ".state", "logs")
	info, err := os.Stat(logs)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o700), info.Mode().Perm(), "mode of %s", logs)
}

// A node reads its configuration only at start, so `make up` restarts a running node whose configuration (its
// rendered file, and what that names and the node reads only at start, such as the certificate it trusts) changed
// since it started (scripts/up.sh: record_config at each start, stop_if_reconfigured before), and one that was
// started without a record; it leaves a node alone while its configuration is the one it started with, also after
// scripts/node.sh restarted it.
func TestANodeIsRestartedWhenItsConfigurationChanged(t *testing.T) {
	c := newCheckout(t)
	config, pin := filepath.Join(c.root, "orderer.yaml"), filepath.Join(c.root, "admin.crt")
	require.NoError(t, os.WriteFile(config, []byte("Admin: {}\n"), 0o644))
	require.NoError(t, os.WriteFile(pin, []byte("one\n"), 0o644))
	files := `"$PWD/orderer.yaml" "$PWD/admin.crt"`
	pid := c.start("orderer-anhui", "orderer")
	check := func() string {
		out, err := c.bash(`stop_if_reconfigured orderer-anhui ` + files)
		require.NoError(t, err, out)
		return out
	}
	started := func() int {
		out, err := c.bash(`proc_pid orderer-anhui`)
		require.NoError(t, err, out)
		pid := must(strconv.Atoi(strings.TrimSpace(out)))
		t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
		return pid
	}

	out := check()
	require.True(t, gone(pid), "a node started without a record is stopped: %s", out)
	require.Contains(t, out, "restarting orderer-anhui")

	pid = c.start("orderer-anhui", "orderer")
	out, err := c.bash(`record_config orderer-anhui ` + files)
	require.NoError(t, err, out)
	require.Empty(t, check())
	require.True(t, running(pid), "the configuration it started with")

	out, err = c.node("kill", "orderer-anhui")
	require.NoError(t, err, out)
	out, err = c.node("restart", "orderer-anhui")
	require.NoError(t, err, out)
	pid = started()
	require.Empty(t, check())
	require.True(t, running(pid), "restarted by node.sh with the same configuration")

	require.NoError(t, os.WriteFile(pin, []byte("two\n"), 0o644))
	require.Contains(t, check(), "restarting orderer-anhui")
	require.True(t, gone(pid), "the certificate it trusts changed")

	pid = c.start("orderer-anhui", "orderer")
	out, err = c.bash(`record_config orderer-anhui ` + files)
	require.NoError(t, err, out)
	require.NoError(t, os.WriteFile(config, []byte("Admin: {TLS: {}}\n"), 0o644))
	require.Contains(t, check(), "restarting orderer-anhui")
	require.True(t, gone(pid), "its configuration file changed")
}

// A node's directory holds its ledger: the orderer's block index and the peer's state, history and private data
// stores, which Fabric writes readable by all (files 0644), and the channel's blocks, whose readers the channel
// restricts to the orgs' admins. So only the network's user enters it.
func TestOnlyTheNetworksUserEntersANodesDirectory(t *testing.T) {
	c := newCheckout(t)
	copyTree(t, filepath.Join("..", "network", "config"), filepath.Join(c.root, "network", "config"))
	out, err := c.bash(`source scripts/lib/config.sh && write_peer_config anhui && write_orderer_config anhui && echo "$(node_dir peer-anhui)" "$(node_dir orderer-anhui)"`)
	require.NoError(t, err, out)
	dirs := strings.Fields(out)
	require.Len(t, dirs, 2, out)
	for _, dir := range dirs {
		info, err := os.Stat(dir)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o700), info.Mode().Perm(), "mode of %s", dir)
	}
}
