package index

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
)

// The index keeps the sender of each transaction it reads, valid or not, as the digest of its creator's identity and
// key (auth.CreatorDigest of the certificate the block names, as fabric.ParseBlock reads it): SentBy answers its
// status to that sender, and to no other (another member, another key of the same identity), nor for an ID of no
// transaction. A second transaction of the same ID (DUPLICATE_TXID) leaves the first's status; a creator that is no
// certificate names nobody. The table holds digests, never a certificate. On SQLite and PostgreSQL.
func TestTheIndexKeepsEachTransactionsSender(t *testing.T) {
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	alice, aliceOtherKey, bob := ca.Issue(t, "alice", "client"), ca.Issue(t, "alice", "client"), ca.Issue(t, "bob", "client")
	name := func(i wallettest.Issued) string { return auth.SenderDigest(auth.KeyedIdentity(i.Certificate)) }
	for db, store := range bothDatabases {
		t.Run(db, func(t *testing.T) {
			ctx := t.Context()
			x, err := Open(store(t))
			require.NoError(t, err)
			defer x.Close()
			c := chaintest.NewChain(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))
			first := c.Add(chain.Transaction{Creator: alice.CertPEM()})
			valid := first.Transactions[0]
			second := c.Add(chain.Transaction{Creator: alice.CertPEM(), ValidationCode: "MVCC_READ_CONFLICT"})
			conflict := second.Transactions[0]
			again := c.Add(chain.Transaction{ID: valid.ID, Creator: alice.CertPEM(), ValidationCode: "DUPLICATE_TXID"})
			garbled := c.Add(chain.Transaction{Creator: []byte("no certificate")}).Transactions[0]
			_, _, err = x.Apply(ctx, c.All())
			require.NoError(t, err)

			st, ok, err := x.SentBy(ctx, valid.ID, name(alice))
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, chain.Status{TransactionID: valid.ID, Committed: true, Valid: true, Code: "VALID", BlockNumber: first.Number}, *st,
				"the first transaction of its ID, not the copy of block %d", again.Number)
			st, ok, err = x.SentBy(ctx, conflict.ID, name(alice))
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, chain.Status{TransactionID: conflict.ID, Committed: true, Code: "MVCC_READ_CONFLICT", BlockNumber: second.Number}, *st)

			for _, q := range []struct{ tx, sender, why string }{
				{valid.ID, name(bob), "another member"},
				{valid.ID, name(aliceOtherKey), "another key of the same identity"},
				{"feed", name(alice), "no such transaction"},
				{garbled.ID, auth.CreatorDigest(garbled.Creator), "a creator that is no certificate"},
				{garbled.ID, name(alice), "a creator that is no certificate"},
			} {
				_, ok, err := x.SentBy(ctx, q.tx, q.sender)
				require.NoError(t, err)
				assert.False(t, ok, q.why)
			}

			dump, err := x.Dump(ctx)
			require.NoError(t, err)
			assert.Len(t, dump["transaction_senders"], 3)
			for _, row := range dump["transaction_senders"] {
				assert.NotContains(t, row, "CERTIFICATE")
				assert.NotContains(t, row, "alice")
			}
		})
	}
}
