//go:build e2e

package sites_test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// kinds are the processes each region runs on its site, with the network.env port each one listens on. The
// chaincode service runs on one of two ports (serving picks it).
var kinds = []struct{ name, port string }{
	{"ca", "CA_PORT"}, {"orderer", "ORDERER_PORT"}, {"peer", "PEER_PORT"}, {"chaincode", "CHAINCODE_PORT"},
	{"gateway", "GATEWAY_PORT"},
}

// serving is the process and port of a kind of region o: for the chaincode, the service of the committed
// definition (fabricnet's ServingChaincode), on CHAINCODE_NEXT_PORT when it is chaincode-next-<org>.
func serving(cfg *fabricnet.Config, o fabricnet.Org, kind, portKey string) (name, key string) {
	name, key = kind+"-"+o.Key, portKey
	if kind != "chaincode" {
		return name, key
	}
	if cc := cfg.ServingChaincode(o); cc != name {
		return cc, "CHAINCODE_NEXT_PORT"
	}
	return name, key
}

func config(t *testing.T) *fabricnet.Config {
	t.Helper()
	cfg, err := fabricnet.LoadConfig("")
	require.NoError(t, err)
	require.True(t, cfg.Sites, "the network does not run on sites: make clean, then make test-sites (or make up SITES=1)")
	return cfg
}

// pid reads the PID of a process of the network from its PID file (scripts/lib/common.sh).
func pid(t *testing.T, cfg *fabricnet.Config, name string) string {
	t.Helper()
	b, err := os.ReadFile(cfg.PIDFile(name))
	require.NoError(t, err, "%s is not running", name)
	return strings.Fields(string(b))[0]
}

// netns is the network namespace a process runs in ("net:[4026532...]").
func netns(t *testing.T, p string) string {
	t.Helper()
	ns, err := os.Readlink("/proc/" + p + "/ns/net")
	require.NoError(t, err)
	return ns
}

// port is a port of network.env of org.
func port(cfg *fabricnet.Config, o fabricnet.Org, key string) string {
	return cfg.Values[strings.ToUpper(o.Key)+"_"+key]
}

// dialFrom connects to host:port from inside the site of org from ("" for here, the office), as a program on
// that host would: names resolve through the site's hosts file (ip netns exec mounts it). It reports whether a
// TCP connection was made within 3 s.
func dialFrom(t *testing.T, cfg *fabricnet.Config, from, host, port string) bool {
	t.Helper()
	if from == "" {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(host, port), 3*time.Second)
		if err == nil {
			c.Close()
		}
		return err == nil
	}
	ns := cfg.Values["SITES_PREFIX"] + "-" + from
	cmd := exec.Command("ip", "netns", "exec", ns, "timeout", "3", "bash", "-c",
		fmt.Sprintf("exec 3<>/dev/tcp/%s/%s", host, port))
	return cmd.Run() == nil
}

// TestEachRegionRunsOnASiteOfItsOwn: every process of a region shares one network namespace, no two regions and
// not the office share one, and each process is reached at its site's address, never on the office's loopback.
func TestEachRegionRunsOnASiteOfItsOwn(t *testing.T) {
	cfg := config(t)
	office := netns(t, "self")
	seen := map[string]string{}
	for _, o := range cfg.Orgs {
		site := ""
		for _, k := range kinds {
			name, key := serving(cfg, o, k.name, k.port)
			ns := netns(t, pid(t, cfg, name))
			if site == "" {
				site = ns
			}
			require.Equal(t, site, ns, "%s runs outside its region's site", name)
			require.True(t, dialFrom(t, cfg, "", o.Host, port(cfg, o, key)), "%s does not answer at %s", name, o.Host)
			require.False(t, dialFrom(t, cfg, "", "127.0.0.1", port(cfg, o, key)), "%s answers on the office's loopback", name)
		}
		require.NotEqual(t, office, site, "%s runs in the office's namespace", o.Key)
		if other, ok := seen[site]; ok {
			t.Fatalf("%s and %s run in one namespace", other, o.Key)
		}
		seen[site] = o.Key
		require.True(t, strings.HasPrefix(o.Host, "10.77."), "%s's address %s is not on the sites' network", o.Key, o.Host)
	}
}

// TestRegionsReachEachOtherOnlyOverTheNetwork: from one region's site, another region's peer is not on 127.0.0.1
// (each site has a loopback of its own); it is reached at its site's address and by the host name its TLS
// certificate carries, which the site's hosts file resolves.
func TestRegionsReachEachOtherOnlyOverTheNetwork(t *testing.T) {
	cfg := config(t)
	for i, from := range cfg.Orgs {
		to := cfg.Orgs[(i+1)%len(cfg.Orgs)]
		peerPort := port(cfg, to, "PEER_PORT")
		require.False(t, dialFrom(t, cfg, from.Key, "127.0.0.1", peerPort), "%s reaches %s's peer on 127.0.0.1", from.Key, to.Key)
		require.True(t, dialFrom(t, cfg, from.Key, to.Host, peerPort), "%s does not reach %s's peer at %s", from.Key, to.Key, to.Host)
		name := cfg.NodeName(to, fabricnet.NodePeer)
		require.True(t, dialFrom(t, cfg, from.Key, name, peerPort), "%s does not reach %s's peer as %s", from.Key, to.Key, name)
		// A region's own peer, on its own loopback, is not there either: it listens on the site's address only.
		require.False(t, dialFrom(t, cfg, from.Key, "127.0.0.1", port(cfg, from, "PEER_PORT")), "%s's peer listens on loopback", from.Key)
	}
}

// TestAnIsolatedSiteIsCutOff: `scripts/node.sh isolate` brings a region's link down: nothing reaches its peer,
// neither another site nor the office, while the others still reach each other; `rejoin` brings it back.
func TestAnIsolatedSiteIsCutOff(t *testing.T) {
	cfg := config(t)
	cut, from, other := cfg.Orgs[len(cfg.Orgs)-1], cfg.Orgs[0], cfg.Orgs[1]
	node := func(args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(cfg.Root, "scripts", "node.sh"), args...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	node("isolate", cut.Key)
	t.Cleanup(func() { node("rejoin", cut.Key) })
	require.False(t, dialFrom(t, cfg, from.Key, cut.Host, port(cfg, cut, "PEER_PORT")), "%s still reaches isolated %s", from.Key, cut.Key)
	require.False(t, dialFrom(t, cfg, "", cut.Host, port(cfg, cut, "GATEWAY_PORT")), "the office still reaches isolated %s", cut.Key)
	require.True(t, dialFrom(t, cfg, from.Key, other.Host, port(cfg, other, "PEER_PORT")), "%s lost %s too", from.Key, other.Key)
	node("rejoin", cut.Key)
	require.True(t, dialFrom(t, cfg, from.Key, cut.Host, port(cfg, cut, "PEER_PORT")), "%s does not reach %s after rejoin", from.Key, cut.Key)
}

// TestLinksBetweenSitesCarryTheLatency: with LATENCY (make up SITES=1 LATENCY=...), another region's peer resolves,
// from a site, to its delayed address on proxy-wan, and a TLS handshake with it (one round trip) takes at least
// twice the delay; the office reaches it directly. Without LATENCY every site resolves it to its site's address.
func TestLinksBetweenSitesCarryTheLatency(t *testing.T) {
	cfg := config(t)
	from, to := cfg.Orgs[0], cfg.Orgs[1]
	name := cfg.NodeName(to, fabricnet.NodePeer)
	hosts, err := os.ReadFile("/etc/netns/" + cfg.Values["SITES_PREFIX"] + "-" + from.Key + "/hosts")
	require.NoError(t, err)
	latency := cfg.Values["SITES_LATENCY"]
	if latency == "" {
		require.Contains(t, string(hosts), to.Host+"\t"+name, "without latency %s resolves %s to its site", from.Key, name)
		return
	}
	delay, err := time.ParseDuration(latency)
	require.NoError(t, err)
	delayed := strings.TrimSuffix(to.Host, ".2") + ".3"
	require.Contains(t, string(hosts), delayed+"\t"+name, "%s resolves %s to the delayed address", from.Key, name)
	handshake := func(ns string) time.Duration {
		t.Helper()
		url := "https://" + net.JoinHostPort(name, port(cfg, to, "PEER_PORT")) + "/"
		args := []string{"curl", "-sk", "--max-time", "10", "-o", "/dev/null", "-w", "%{time_connect} %{time_appconnect}", url}
		if ns != "" {
			args = append([]string{"ip", "netns", "exec", ns}, args...)
		}
		out, _ := exec.Command(args[0], args[1:]...).Output() // curl fails after the handshake: the peer speaks gRPC
		var connect, tlsDone float64
		_, err := fmt.Sscan(string(out), &connect, &tlsDone)
		require.NoError(t, err, "curl -w: %q", out)
		require.Greater(t, tlsDone, 0.0, "no TLS handshake with %s from %q", name, ns)
		return time.Duration((tlsDone - connect) * float64(time.Second))
	}
	far := handshake(cfg.Values["SITES_PREFIX"] + "-" + from.Key)
	require.GreaterOrEqual(t, far, 2*delay, "TLS handshake from %s with %s through a %v link", from.Key, name, delay)
	t.Logf("TLS handshake with %s: %v from %s (%v each way), %v from the office", name, far, from.Key, delay, handshake(""))
}

// TestEachSiteRunsFromItsBundle: every process of a region runs the command of its unit in the region's bundle
// (`make bundle`), installed at its site's prefix (network/.state/sites/<org>), and names nothing of the checkout
// outside that prefix: not its executable, working directory, arguments or environment, not a file it holds open
// or has mapped, not a path in any configuration or link of the installation. (Standard input, output and error
// are the supervisor's, as a journal would be under systemd.)
func TestEachSiteRunsFromItsBundle(t *testing.T) {
	cfg := config(t)
	root, err := filepath.EvalSymlinks(cfg.Root)
	require.NoError(t, err)
	mention := regexp.MustCompile(regexp.QuoteMeta(root) + "/[^\\s\\x00\"'`,:\\]\\\\]*")
	for _, o := range cfg.Orgs {
		prefix := filepath.Join(root, "network", ".state", "sites", o.Key)
		// outside reports the checkout's paths that text names outside the prefix.
		outside := func(text string) []string {
			var bad []string
			for _, m := range mention.FindAllString(text, -1) {
				if m != prefix && !strings.HasPrefix(m, prefix+"/") {
					bad = append(bad, m)
				}
			}
			return bad
		}
		for _, k := range kinds {
			name, _ := serving(cfg, o, k.name, k.port)
			p := pid(t, cfg, name)
			proc := func(what string) string {
				b, err := os.ReadFile("/proc/" + p + "/" + what)
				require.NoError(t, err)
				return string(b)
			}
			exe, err := os.Readlink("/proc/" + p + "/exe")
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(exe, prefix+"/bin/"), "%s runs %s, not a binary of its site's installation", name, exe)
			cwd, err := os.Readlink("/proc/" + p + "/cwd")
			require.NoError(t, err)
			require.Equal(t, prefix, cwd, "%s's working directory", name)

			unit, err := os.ReadFile(filepath.Join(prefix, "systemd", "deltaledger-"+name+".service"))
			require.NoError(t, err, "%s's unit is not installed at its site", name)
			execStart := regexp.MustCompile(`(?m)^ExecStart=(.*)$`).FindStringSubmatch(string(unit))
			require.NotNil(t, execStart, "%s's unit has no ExecStart", name)
			argv := strings.Split(strings.TrimSuffix(proc("cmdline"), "\x00"), "\x00")
			require.Equal(t, execStart[1], strings.Join(argv, " "), "%s does not run its unit's command", name)
			env := strings.Split(proc("environ"), "\x00")
			for _, want := range regexp.MustCompile(`(?m)^Environment="(.*)"$`).FindAllStringSubmatch(string(unit), -1) {
				require.Contains(t, env, want[1], "%s lacks its unit's environment", name)
			}
			require.Empty(t, outside(proc("cmdline")), "%s's arguments", name)
			require.Empty(t, outside(proc("environ")), "%s's environment", name)
			require.Empty(t, outside(proc("maps")), "%s's mapped files", name)

			fds, err := os.ReadDir("/proc/" + p + "/fd")
			require.NoError(t, err)
			open := 0
			for _, fd := range fds {
				if fd.Name() == "0" || fd.Name() == "1" || fd.Name() == "2" {
					continue
				}
				target, err := os.Readlink("/proc/" + p + "/fd/" + fd.Name())
				if err != nil || !strings.HasPrefix(target, "/") {
					continue // closed meanwhile, or a socket, pipe or anonymous inode
				}
				if !strings.HasPrefix(target, "/dev/") && !strings.HasPrefix(target, "/proc/") {
					require.True(t, strings.HasPrefix(target, prefix+"/"), "%s holds %s open, outside %s", name, target, prefix)
					open++
				}
			}
			if k.name == "peer" || k.name == "orderer" {
				require.Positive(t, open, "%s holds no file of its ledger open (the check above saw nothing)", name)
			}
		}

		// The installation: every text file and link names nothing of the checkout outside the prefix.
		texts := 0
		require.NoError(t, filepath.WalkDir(prefix, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if d.Type()&os.ModeSymlink != 0 {
				target, err := os.Readlink(path)
				require.NoError(t, err)
				require.Empty(t, outside(target), "link %s", path)
				return nil
			}
			info, err := d.Info()
			if err != nil || info.Size() > 1<<20 || strings.HasPrefix(path, prefix+"/bin/") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil || bytes.IndexByte(b, 0) >= 0 {
				return err
			}
			texts++
			require.Empty(t, outside(string(b)), "%s", path)
			return nil
		}))
		require.Greater(t, texts, 20, "%s's installation has too few configuration files to be one", o.Key)
	}
}
