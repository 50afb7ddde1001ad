//go:build e2e

package bundle_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/filetest"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

const prefix = "/opt/deltaledger-test"

// inputs are the kinds of file a configuration names that must come with the bundle (ledgers, logs, indexes and
// outcome files are made where it runs; binaries are installed beside it).
var inputs = regexp.MustCompile(`(\.pem|\.crt|\.key|/priv_sk|\.block|\.yaml|/msp|/tls)$`)

func TestABundleCarriesOneRegionAndEverythingItNames(t *testing.T) {
	cfg, err := fabricnet.LoadConfig("")
	require.NoError(t, err)
	own := cfg.Orgs[0]
	cmd := exec.Command(filepath.Join(cfg.Root, "scripts", "bundle.sh"), own.Key)
	cmd.Env = append(os.Environ(), "PREFIX="+prefix)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	dir := filepath.Join(cfg.StateDir(), "bundles", own.Key)
	require.FileExists(t, dir+".tar.gz")

	ownDirs := []string{
		filepath.Join(dir, "state", "organizations", "peerOrganizations", own.Domain) + "/",
		filepath.Join(dir, "state", "nodes", "ca-"+own.Key) + "/",
		filepath.Join(dir, "state", "chaincode", own.Key) + "/", // connection.json: the peer's client key
	}
	named := map[string]string{} // path under prefix -> file naming it
	mention := regexp.MustCompile(regexp.QuoteMeta(prefix) + `/[^\s"',\]\\]+`)
	keys := 0
	filetest.EachFile(t, dir, func(path, text string) {
		if strings.Contains(text, "PRIVATE KEY") {
			keys++
			ok := false
			for _, d := range ownDirs {
				ok = ok || strings.HasPrefix(path, d)
			}
			require.True(t, ok, "a private key outside %s's own folders: %s", own.Key, path)
		}
		require.NotContains(t, text, cfg.Root, "%s names a path of the checkout", path)
		for _, m := range mention.FindAllString(text, -1) {
			named[strings.TrimRight(m, ".:")] = path
		}
	})
	require.Greater(t, keys, 5, "the region's own keys are in the bundle")

	checked := 0
	for p, by := range named {
		if strings.HasPrefix(p, prefix+"/bin/") || !inputs.MatchString(p) {
			continue
		}
		_, err := os.Stat(filepath.Join(dir, strings.TrimPrefix(p, prefix)))
		require.NoError(t, err, "%s names %s, which the bundle lacks", by, p)
		checked++
	}
	require.Greater(t, checked, 20, "the configurations name the bundle's certificates, keys, MSPs and block")
	t.Logf("%d private keys, %d files named by the configurations and units, all in the bundle", keys, checked)
	for _, name := range []string{"ca-" + own.Key, "orderer-" + own.Key, "peer-" + own.Key, cfg.ServingChaincode(own), "gateway-" + own.Key} {
		unit, err := os.ReadFile(filepath.Join(dir, "systemd", "deltaledger-"+name+".service"))
		require.NoError(t, err)
		require.Regexp(t, `(?m)^ExecStart=`+regexp.QuoteMeta(prefix)+`/bin/`, string(unit))
	}
	hosts, err := os.ReadFile(filepath.Join(dir, "hosts"))
	require.NoError(t, err)
	for _, o := range cfg.Orgs {
		require.Contains(t, string(hosts), cfg.NodeName(o, fabricnet.NodePeer))
		require.Contains(t, string(hosts), cfg.NodeName(o, fabricnet.NodeOrderer))
	}
}
