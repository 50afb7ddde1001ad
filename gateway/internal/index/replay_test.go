package index_test

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/fabric"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// recordedBlocks are blocks 0 to 97 of a real channel of the local network
// after `make up` (the demo market) and a run of the end-to-end suites,
// fetched with `peer channel fetch N` as Shanghai's regulator (one file per
// block, NNNN.block, in a tar.gz), parsed as the gateway parses blocks.
func recordedBlocks(t *testing.T) []*chain.Block {
	t.Helper()
	f, err := os.Open("testdata/channel-blocks.tar.gz")
	require.NoError(t, err)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	require.NoError(t, err)
	r := tar.NewReader(gz)
	var out []*chain.Block
	for {
		if _, err := r.Next(); err == io.EOF {
			break
		} else {
			require.NoError(t, err)
		}
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		var block common.Block
		require.NoError(t, proto.Unmarshal(b, &block))
		parsed, err := fabric.ParseBlock(&block, "deltaledger")
		require.NoError(t, err)
		require.Equal(t, uint64(len(out)), parsed.Number, "blocks in order")
		out = append(out, parsed)
	}
	return out
}

// Replaying a real channel's blocks projects the demo market: its
// participants, its four assets through their registration steps, its
// completed trade, its credit record and lookup; a rebuild gives the same
// rows, on both databases.
func TestReplayOfRecordedBlocks(t *testing.T) {
	blocks := recordedBlocks(t)
	require.Len(t, blocks, 98)
	valid, invalid := 0, 0
	for _, b := range blocks {
		for _, tx := range b.Transactions {
			if tx.Valid() {
				valid++
			} else {
				invalid++
			}
		}
	}
	t.Logf("%d blocks, %d valid and %d invalid transactions", len(blocks), valid, invalid)
	assert.Greater(t, valid, 50)
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		chain := chaintest.NewReplay(blocks)
		x := open()
		run(t, x, chain)
		require.NoError(t, x.WaitFor(t.Context(), uint64(len(blocks)-1)))
		for _, id := range []string{"demo-yangshan-port-moves", "demo-suzhou-industrial-power", "demo-hangzhou-retail-trends", "demo-hefei-ev-charging"} {
			cat, err := x.Catalogue(t.Context(), index.CatalogueQuery{Text: id})
			require.NoError(t, err)
			require.Len(t, cat.Items, 1, id)
			assert.NotEmpty(t, cat.Items[0].Listings, "%s is listed", id)
		}
		hist, err := x.TradeHistory(t.Context(), "anhui.buyer", nil, 100, "")
		require.NoError(t, err)
		assert.Contains(t, tradeIDs(hist.Items), "demo-trade-port-licence")
		lookups, err := x.CreditLookups(t.Context(), index.Window{})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, lookups.Total, int64(1))
		dump, err := x.Dump(t.Context())
		require.NoError(t, err)
		assert.GreaterOrEqual(t, len(dump["participants"]), 20)
		assert.GreaterOrEqual(t, len(dump["asset_steps"]), 4*3, "applied, public notice, registered")

		_, _, _, err = x.Rebuild(t.Context(), chain)
		require.NoError(t, err)
		rebuilt, err := x.Dump(t.Context())
		require.NoError(t, err)
		assert.Equal(t, dump, rebuilt)
	})
}

func tradeIDs(items []ledgerindex.TradeHistoryItem) []string {
	var out []string
	for _, i := range items {
		out = append(out, i.TradeID)
	}
	return out
}
