package index

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/model"
)

// A SQLite store of schema 2 (full-text rows found by asset_id, with rowids
// of their own) gets its full-text keys at start, and an asset written
// again afterwards replaces its own full-text row, not another's.
func TestFullTextKeysOfAnOlderStore(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "index.db")
	c := chaintest.NewChain(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	first := model.Asset{AssetDescription: model.AssetDescription{ID: "asset-a", Name: "Yangshan berths", Category: "transport"}, Status: model.AssetRegistered, Sources: []string{}}
	second := first
	second.ID, second.Name = "asset-b", "Hefei charging load"
	c.Add(chaintest.Tx(chaintest.Record("asset", first, first.ID)), chaintest.Tx(chaintest.Record("asset", second, second.ID)))
	x, err := Open(Store{Path: path})
	require.NoError(t, err)
	_, _, err = x.Apply(ctx, c.All())
	require.NoError(t, err)
	x.Close()

	// What schema 2 left: no keys, full-text rowids that are not the keys'.
	d, err := openDB(path, "")
	require.NoError(t, err)
	for _, s := range []string{`DROP TABLE asset_text_keys`, `DELETE FROM schema_migrations WHERE version = 3`,
		`INSERT INTO asset_text (asset_id, body) SELECT asset_id, body FROM asset_text ORDER BY asset_id DESC`,
		`DELETE FROM asset_text WHERE rowid <= 2`} {
		_, err := d.ExecContext(ctx, s)
		require.NoError(t, err, s)
	}
	d.Close()

	x, err = Open(Store{Path: path})
	require.NoError(t, err)
	defer x.Close()
	first.Name = "Ningbo berths"
	c.Add(chaintest.Tx(chaintest.Record("asset", first, first.ID)))
	_, _, err = x.Apply(ctx, c.All())
	require.NoError(t, err)

	var texts, keys int
	require.NoError(t, x.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM asset_text`).Scan(&texts))
	require.NoError(t, x.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM asset_text_keys`).Scan(&keys))
	assert.Equal(t, 2, texts, "one full-text row per asset")
	assert.Equal(t, 2, keys)
	for text, want := range map[string]int{"ningbo": 1, "yangshan": 0, "hefei": 1, "berths": 1} {
		page, err := x.Catalogue(ctx, CatalogueQuery{Text: text})
		require.NoError(t, err)
		assert.Len(t, page.Items, want, text)
	}
}

// A store of schema 8, which has read blocks with publications of the
// indices but kept no published periods, gets the table at start and reads
// the ledger again from block 0 (the step reprojects): the periods
// published before the upgrade are listed, newest first, as those after. On
// SQLite and PostgreSQL.
func TestPublishedPeriodsOfAnOlderStore(t *testing.T) {
	for name, store := range bothDatabases {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			s := store(t)
			c := chaintest.NewChain(time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC))
			for _, period := range []string{"day:2026-03-31", "month:2026-03", "day:2026-04-01"} {
				p := model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: 1, ToBlock: 2, Digest: "d", PublishedAt: "2026-05-02T01:00:00Z"}
				c.Add(chaintest.Tx(chaintest.Record("indices.publication", p, period)))
			}
			x, err := Open(s)
			require.NoError(t, err)
			_, _, err = x.Apply(ctx, c.All())
			require.NoError(t, err)
			x.Close()

			// What schema 8 left: every block read, no published periods.
			x = reopenedBefore(t, s, 9, "published_periods", c)
			defer x.Close()
			page, err := x.PublishedPeriods(ctx, 0, "")
			require.NoError(t, err)
			assert.Equal(t, []string{"day:2026-04-01", "day:2026-03-31", "month:2026-03"}, page.Periods)
		})
	}
}

// reopenedBefore makes s a store as the schema before step version left it, every block of c read but the step's
// table missing, and opens it again: it requires that the step, applied at start, makes the feed read the ledger
// again from block 0, and reads c's blocks again.
func reopenedBefore(t *testing.T, s Store, version int, table string, c *chaintest.Chain) *Index {
	t.Helper()
	ctx := t.Context()
	d, err := openDB(s.Path, s.DSN)
	require.NoError(t, err)
	for _, q := range []string{`DROP TABLE ` + table, fmt.Sprintf(`DELETE FROM schema_migrations WHERE version = %d`, version)} {
		_, err := d.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	d.Close()

	x, err := Open(s)
	require.NoError(t, err)
	next, err := x.Checkpoint(ctx)
	require.NoError(t, err)
	assert.Zero(t, next, "the step makes the feed read the ledger again from block 0")
	_, _, err = x.Apply(ctx, c.All())
	require.NoError(t, err)
	return x
}

// A store of schema 11, which has read blocks but kept no transactions' senders, gets the table at start and reads
// the ledger again from block 0 (the step reprojects): a member who signs itself reads the status of its
// transactions committed before the upgrade as of those after. On SQLite and PostgreSQL.
func TestTransactionsSendersOfAnOlderStore(t *testing.T) {
	alice := wallettest.NewCA(t, "ShanghaiMSP").Issue(t, "alice", "client")
	for name, store := range bothDatabases {
		t.Run(name, func(t *testing.T) {
			s := store(t)
			c := chaintest.NewChain(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))
			tx := c.Add(chain.Transaction{Creator: alice.CertPEM()}).Transactions[0]
			x, err := Open(s)
			require.NoError(t, err)
			_, _, err = x.Apply(t.Context(), c.All())
			require.NoError(t, err)
			x.Close()

			x = reopenedBefore(t, s, 12, "transaction_senders", c)
			defer x.Close()
			_, ok, err := x.SentBy(t.Context(), tx.ID, auth.CreatorDigest(alice.CertPEM()))
			require.NoError(t, err)
			assert.True(t, ok, "a transaction read before the upgrade")
		})
	}
}
