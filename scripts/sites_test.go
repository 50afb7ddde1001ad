package scripts_test

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// listenEnv makes this test binary, started as a process of the network, a TCP echo server on the address it names
// (a stand-in for a Fabric node on a site).
const listenEnv = "SITES_TEST_LISTEN"

func TestMain(m *testing.M) {
	if addr := os.Getenv(listenEnv); addr != "" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for {
			c, err := l.Accept()
			if err != nil {
				os.Exit(1)
			}
			go func() { defer c.Close(); _, _ = io.Copy(c, c) }()
		}
	}
	os.Exit(m.Run())
}

// newSitesCheckout is a checkout for the site mode, with this test binary as bin/listener, the stand-in for a
// region's Fabric node (listenEnv). The site mode needs root: without it the test is skipped.
func newSitesCheckout(t *testing.T) *checkout {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("site mode needs root (network namespaces)")
	}
	c := newCheckout(t)
	self, err := os.Executable()
	require.NoError(t, err)
	copyTree(t, self, filepath.Join(c.root, "bin", "listener"))
	return c
}

// reaches reports whether a TCP connection to host:port can be made from namespace ns within 2 s; names resolve
// through the namespace's hosts file.
func (c *checkout) reaches(ns, host, port string) bool {
	cmd := exec.Command("ip", "netns", "exec", ns, "timeout", "2", "bash", "-c",
		fmt.Sprintf("exec 3<>/dev/tcp/%s/%s", host, port))
	return cmd.Run() == nil
}

// TestSitesSeparateTheRegions runs the site mode's namespaces (scripts/lib/sites.sh) with this test binary as
// each region's "peer", listening on all addresses of its site, and checks what make up SITES=1 relies on: a
// region's process runs in its site (proc_start), another site reaches it by address and by the node's name but
// not on 127.0.0.1, isolate cuts the site off and rejoin brings it back, and make down removes every namespace and
// hosts file it made.
func TestSitesSeparateTheRegions(t *testing.T) {
	c := newSitesCheckout(t)
	out, err := c.bash(`write_sites_env && sites_up && for o in $ORGS; do
	  proc_start "peer-$o" ` + listenEnv + `=":$(orgval "$o" PEER_PORT)" "$DL_BIN/listener"; done
	  echo "$SITES_PREFIX"`)
	require.NoError(t, err, out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	prefix := lines[len(lines)-1]
	made := func() []string {
		var ns []string
		for _, o := range []string{"wan", "office", "shanghai", "jiangsu", "zhejiang", "anhui"} {
			if _, err := os.Stat("/run/netns/" + prefix + "-" + o); err == nil {
				ns = append(ns, o)
			}
			if _, err := os.Stat("/etc/netns/" + prefix + "-" + o); err == nil {
				ns = append(ns, "hosts of "+o)
			}
		}
		return ns
	}
	t.Cleanup(func() {
		if len(made()) > 0 {
			c.down()
		}
	})
	require.Len(t, made(), 11, "namespaces and hosts files made") // wan has no hosts file

	site := func(o string) string { return prefix + "-" + o }
	for _, o := range []string{"shanghai", "jiangsu", "zhejiang", "anhui"} {
		pid := strings.TrimSpace(must(c.bash("proc_pid peer-" + o)))
		require.NotEmpty(t, pid, "peer-%s is not this checkout's process", o)
		ns, err := os.Readlink("/proc/" + pid + "/ns/net")
		require.NoError(t, err)
		want, err := exec.Command("ip", "netns", "exec", site(o), "readlink", "/proc/self/ns/net").Output()
		require.NoError(t, err)
		require.Equal(t, strings.TrimSpace(string(want)), ns, "peer-%s does not run in its site", o)
	}

	// Shanghai's site (10.77.1.2) and Jiangsu's peer (10.77.2.2, port 27251, peer0.jiangsu.deltaledger.local).
	require.False(t, c.reaches(site("shanghai"), "127.0.0.1", "27251"), "Jiangsu's peer is on Shanghai's loopback")
	require.True(t, c.reaches(site("shanghai"), "10.77.2.2", "27251"), "Shanghai does not reach Jiangsu's site")
	require.True(t, c.reaches(site("shanghai"), "peer0.jiangsu.deltaledger.local", "27251"), "Shanghai does not resolve Jiangsu's peer")
	require.True(t, c.reaches(site("office"), "peer0.jiangsu.deltaledger.local", "27251"), "the office does not reach Jiangsu's peer")
	require.True(t, c.reaches(site("jiangsu"), "127.0.0.1", "27251"), "Jiangsu's own loopback")

	out, err = c.node("isolate", "jiangsu")
	require.NoError(t, err, out)
	require.False(t, c.reaches(site("shanghai"), "10.77.2.2", "27251"), "isolated Jiangsu still reached")
	require.False(t, c.reaches(site("office"), "10.77.2.2", "27251"), "isolated Jiangsu still reached from the office")
	require.True(t, c.reaches(site("shanghai"), "10.77.3.2", "27351"), "Zhejiang cut off with Jiangsu")
	out, err = c.node("rejoin", "jiangsu")
	require.NoError(t, err, out)
	require.True(t, c.reaches(site("shanghai"), "10.77.2.2", "27251"), "Jiangsu not back after rejoin")

	c.down()
	require.Empty(t, made(), "make down left namespaces or hosts files")
	require.NoFileExists(t, filepath.Join(c.root, "network", ".state", "sites.made"))
}

// roundTrip is the time, in ms, of a line sent from namespace ns to the echo server at host:port and read back.
func (c *checkout) roundTrip(ns, host, port string) int {
	c.t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "timeout", "10", "bash", "-c", fmt.Sprintf(
		`exec 3<>/dev/tcp/%s/%s; s=${EPOCHREALTIME/./}; echo x >&3; read -r line <&3; e=${EPOCHREALTIME/./}; echo $(((e - s) / 1000))`,
		host, port)).CombinedOutput()
	require.NoError(c.t, err, "%s", out)
	ms, err := strconv.Atoi(strings.TrimSpace(string(out)))
	require.NoError(c.t, err, "%s", out)
	return ms
}

// TestLatencyBetweenSites: with LATENCY (sites.sh set_latency, start_wan), a region reaches another region's peer
// through proxy-wan, a round trip costing twice the delay, while it reaches its own peer, and the office every
// peer, directly; make down stops proxy-wan and leaves nothing.
func TestLatencyBetweenSites(t *testing.T) {
	c := newSitesCheckout(t)
	build := exec.Command("go", "build", "-o", filepath.Join(c.root, "bin", "deltaledger-wan"), "./network/wan/cmd/deltaledger-wan")
	build.Dir = ".."
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	outs, err := c.bash(`write_sites_env && set_latency 250ms && sites_up && start_wan && for o in $ORGS; do
	  proc_start "peer-$o" ` + listenEnv + `=":$(orgval "$o" PEER_PORT)" "$DL_BIN/listener"; done
	  echo "$SITES_PREFIX"`)
	require.NoError(t, err, outs)
	t.Cleanup(func() { _, _ = c.bash("proc_stop proxy-wan; sites_down") })
	lines := strings.Split(strings.TrimSpace(outs), "\n")
	site := func(o string) string { return lines[len(lines)-1] + "-" + o }

	far := c.roundTrip(site("shanghai"), "peer0.jiangsu.deltaledger.local", "27251")
	require.GreaterOrEqual(t, far, 500, "a round trip from Shanghai to Jiangsu's peer through a 250ms link")
	require.Less(t, c.roundTrip(site("jiangsu"), "peer0.jiangsu.deltaledger.local", "27251"), 250, "Jiangsu to its own peer")
	require.Less(t, c.roundTrip(site("office"), "peer0.jiangsu.deltaledger.local", "27251"), 250, "the office to Jiangsu's peer")
	hosts := string(must(os.ReadFile("/etc/netns/" + site("shanghai") + "/hosts")))
	require.Contains(t, hosts, "10.77.2.3\tpeer0.jiangsu.deltaledger.local orderer.jiangsu.deltaledger.local")
	require.Contains(t, hosts, "10.77.2.2\tccaas.jiangsu.deltaledger.local")

	pid := strings.TrimSpace(must(c.bash("proc_pid proxy-wan")))
	require.NotEmpty(t, pid, "proxy-wan is not this checkout's process")
	c.down()
	require.True(t, gone(must(strconv.Atoi(pid))), "make down left proxy-wan running")
	require.NoDirExists(t, "/etc/netns/"+site("shanghai"))
}
