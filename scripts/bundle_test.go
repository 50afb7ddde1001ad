package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// A region's bundle (make bundle, scripts/bundle.sh) carries its CA's keys and database, the registrar's secret and
// every private key of the region: the archive and the folder beside it are the network's user's alone, whatever
// the modes the files inside would get when unpacked.
func TestARegionsBundleIsReadableByTheNetworksUserAlone(t *testing.T) {
	c := newCheckout(t)
	copyTree(t, filepath.Join("..", "network", "builders"), filepath.Join(c.root, "network", "builders"))
	out, err := c.bash(`mkdir -p "$DL_STATE/channel" && echo block >"$(cd "$DL_STATE" && pwd)/channel/$CHANNEL_NAME.block"
		for o in $ORGS; do mkdir -p "$(org_dir $o)"/{ca,tlsca,msp}; done
		key=$(user_dir shanghai Admin)/msp/keystore/priv_sk
		mkdir -p "$(dirname "$key")" && (umask 077 && echo "-----BEGIN PRIVATE KEY-----" >"$key")
		mkdir -p "$(node_dir ca-shanghai)" "$(node_dir orderer-shanghai)" "$(node_dir peer-shanghai)"
		(umask 077 && echo secret >"$(node_dir ca-shanghai)/registrar.secret")
		echo "Location: $DL_STATE_REAL/nodes/orderer-shanghai/data" >"$(node_dir orderer-shanghai)/orderer.yaml"; echo "peer: {}" >"$(node_dir peer-shanghai)/core.yaml"
		DL_BUNDLE_PARTIAL=1 PREFIX=/opt/dl scripts/bundle.sh shanghai`)
	require.NoError(t, err, out)
	bundles := filepath.Join(c.root, "network", ".state", "bundles")
	for _, path := range []string{filepath.Join(bundles, "shanghai.tar.gz"), filepath.Join(bundles, "shanghai")} {
		info, err := os.Stat(path)
		require.NoError(t, err)
		require.Zero(t, info.Mode().Perm()&0o077, "%s is %v: others may read it", path, info.Mode().Perm())
	}
	list, err := exec.Command("tar", "-tzf", filepath.Join(bundles, "shanghai.tar.gz")).CombinedOutput()
	require.NoError(t, err, "%s", list)
	require.Contains(t, string(list), "registrar.secret", "the archive holds the region's secrets")
	modes, err := exec.Command("tar", "-tvzf", filepath.Join(bundles, "shanghai.tar.gz")).CombinedOutput()
	require.NoError(t, err, "%s", modes)
	for _, node := range []string{"orderer-shanghai", "peer-shanghai"} {
		require.Regexp(t, `(?m)^drwx------ .* \./state/nodes/`+node+`/$`, string(modes), "only the site's user enters the node's directory, its ledger")
	}
}
