package scripts_test

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// node runs scripts/node.sh in the checkout.
func (c *checkout) node(args ...string) (string, error) {
	cmd := exec.Command("scripts/node.sh", args...)
	cmd.Dir = c.root
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// state is the process state letter of /proc/<pid>/stat (R, S, T, Z, ...).
func state(pid int) string {
	s := string(must(os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))))
	return s[strings.LastIndex(s, ")")+2:][:1]
}

func TestNodeKillsAndRestartsWithTheSameCommand(t *testing.T) {
	c := newCheckout(t)
	pid := c.start("peer-anhui", "peer")

	out, err := c.node("kill", "peer-anhui")
	require.NoError(t, err, out)
	require.True(t, gone(pid), out)
	out, err = c.node("restart", "peer-anhui")
	require.NoError(t, err, out)
	again, err := c.bash("proc_pid peer-anhui")
	require.NoError(t, err, again)
	newPID := must(strconv.Atoi(strings.TrimSpace(again)))
	t.Cleanup(func() { _ = exec.Command("kill", "-KILL", strconv.Itoa(newPID)).Run() })
	require.NotEqual(t, pid, newPID)
	cmdline := must(os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", newPID)))
	require.Equal(t, "600", strings.Split(string(cmdline), "\x00")[1], "started with the arguments of the first start")

	out, err = c.node("restart", "peer-anhui")
	require.NoError(t, err, out)
	require.Contains(t, out, "peer-anhui is running")
	require.True(t, running(newPID))
}

func TestNodeIsolatesARegionByPausingItsProcesses(t *testing.T) {
	c := newCheckout(t)
	orderer, peer := c.start("orderer-zhejiang", "orderer"), c.start("peer-zhejiang", "peer")
	other := c.start("peer-anhui", "peer")
	// Chaincode and gateway stand-ins too: isolate pauses all four.
	cc, gw := c.start("chaincode-zhejiang", "peer"), c.start("gateway-zhejiang", "peer")

	out, err := c.node("isolate", "zhejiang")
	require.NoError(t, err, out)
	for _, pid := range []int{orderer, peer, cc, gw} {
		// SIGSTOP is delivered asynchronously: on a busy machine the process may still read R just after kill returns.
		require.Eventually(t, func() bool { return state(pid) == "T" }, 5*time.Second, 10*time.Millisecond, "pid %d of zhejiang is paused", pid)
	}
	require.NotEqual(t, "T", state(other), "another region is left alone")
	out, err = c.node("rejoin", "zhejiang")
	require.NoError(t, err, out)
	for _, pid := range []int{orderer, peer, cc, gw} {
		require.Eventually(t, func() bool { return state(pid) != "T" }, 5*time.Second, 10*time.Millisecond, "pid %d of zhejiang runs again", pid)
	}
}

// node.sh signals nothing a PID file does not mean (scripts/lib/common.sh).
func TestNodeRefusesAProcessOfAnotherCheckout(t *testing.T) {
	original := newCheckout(t)
	pid := original.start("orderer-shanghai", "orderer")
	out, err := original.copyOf().node("kill", "orderer-shanghai")
	require.Error(t, err)
	require.Contains(t, out, "of another checkout")
	require.True(t, running(pid))
}
