//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
)

// `deltaledger-gateway index rebuild`, the command an operator runs, reads
// the real channel again from block 0 into an empty store, and the store it
// makes equals, table by table and row by row, the one a running gateway's
// index made block by block, at the same height.
func TestIndexRebuildCommandEqualsTheIncrementalIndex(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "deltaledger-gateway")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/deltaledger-gateway").CombinedOutput()
	require.NoError(t, err, "%s", out)

	dir := t.TempDir()
	incremental := filepath.Join(dir, "market-index.db")
	withIndex := func(c *config.Config) {
		c.Index.Enabled, c.Index.Path, c.Indices.Member = true, incremental, "regulator"
		c.Indices.AutoPublish = false
	}
	sh := startGateway(t, "shanghai", dir, withIndex)
	registerAssetIn(t, sh, id("rebuild-asset"), "rebuild-"+run)

	rebuilt := filepath.Join(t.TempDir(), "rebuilt.db")
	for attempt := 1; ; attempt++ {
		// The incremental index reads the channel up to the peer's height,
		// then its gateway stops.
		height, err := strconv.Atoi(sh.call("holder", "GET", "/v1/participants/me", nil).Header.Get(model.LedgerBlockHeader))
		require.NoError(t, err, "the peer's answer names its block")
		sh.must(200, "regulator", "GET", fmt.Sprintf("/v1/market/flows?minBlock=%d", height), nil)
		require.NoError(t, sh.stop())

		// The command, configured by flags as an operator would.
		c := sh.cfg
		args := []string{"index", "rebuild", "--tls-disabled=true", "--listen", "127.0.0.1:0", "--msp-id", c.MSPID,
			"--channel", c.Channel, "--chaincode", c.Chaincode, "--wallet", c.Wallet, "--api-keys", c.APIKeys,
			"--peer-address", c.Peer.Address, "--peer-tls-ca-cert", c.Peer.TLSCACert,
			"--index-path", rebuilt, "--peer-reader", c.Peer.Reader}
		out, err := exec.Command(bin, args...).CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Contains(t, string(out), "rebuilt the ledger index in "+rebuilt)
		t.Logf("%s", out)

		a, b := openStore(t, incremental), openStore(t, rebuilt)
		ca, cb := checkpoint(t, a), checkpoint(t, b)
		if ca == cb {
			da, err := a.Dump(t.Context())
			require.NoError(t, err)
			db, err := b.Dump(t.Context())
			require.NoError(t, err)
			require.NotEmpty(t, da["assets"], "the incremental index holds the market")
			for table, rows := range da {
				assert.Equal(t, rows, db[table], "table %s: the rebuilt rows equal the incremental ones at block %d", table, ca-1)
			}
			assert.Len(t, db, len(da))
			return
		}
		// The channel moved on between the gateway's stop and the
		// rebuild: read up to the new height incrementally, and again.
		require.Less(t, attempt, 3, "the channel kept moving: incremental at %d, rebuilt at %d", ca, cb)
		a.Close()
		b.Close()
		sh = startGateway(t, "shanghai", dir, withIndex)
	}
}

func openStore(t *testing.T, path string) *index.Index {
	t.Helper()
	x, err := index.Open(index.Store{Path: path})
	require.NoError(t, err)
	t.Cleanup(func() { _ = x.Close() })
	return x
}

func checkpoint(t *testing.T, x *index.Index) uint64 {
	t.Helper()
	next, err := x.Checkpoint(context.Background())
	require.NoError(t, err)
	return next
}
