package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

// The index keeps, for each endorser transaction of the channel (valid or not), who sent it: the digest of its
// creator (auth.CreatorDigest), never the certificate. It is how the gateway answers a member who signs itself the
// commit status of its own transactions that it does not remember sending (SentBy): one lookup in the index, the
// same whether the ID is another member's committed transaction or unknown, where reading the transaction's block
// from the peer for each question would have told by its time which IDs are committed.

// insertSender keeps the first transaction of an ID: Fabric commits a transaction ID once, and a second copy in a
// later block is invalid (DUPLICATE_TXID) while the first one's status stands. A copy has the first's creator (Fabric
// derives the ID from the creator and a nonce, and checks it), so it meets the first's key.
const insertSender = `INSERT INTO transaction_senders (sender, tx_id, code, block) VALUES (?, ?, ?, ?) ON CONFLICT (sender, tx_id) DO NOTHING`

// creatorDigests remembers, within one batch, the digest of each creator certificate met: a batch's transactions
// come from few members, and parsing a certificate costs more than the row's write.
type creatorDigests map[string]string

func (c creatorDigests) of(creator []byte) string {
	digest, ok := c[string(creator)]
	if !ok {
		digest = auth.CreatorDigest(creator)
		c[string(creator)] = digest
	}
	return digest
}

// recordSenders writes the sender of each of the block's transactions. It reports how many rows it wrote.
func recordSenders(ctx context.Context, t *tx, b *chain.Block, digests creatorDigests) (int, error) {
	for _, txn := range b.Transactions {
		if _, err := t.exec(ctx, insertSender, digests.of(txn.Creator), txn.ID, txn.ValidationCode, int64(b.Number)); err != nil {
			return 0, fmt.Errorf("block %d, transaction %s: its sender: %w", b.Number, txn.ID, err)
		}
	}
	return len(b.Transactions), nil
}

// SentBy reports the commit status of the transaction with that ID when the index holds it committed by sender,
// named by its auth.SenderDigest; ok is false for any other ID: not committed, committed by another (another key of
// the same identity included), or committed in a block the index has not read yet; and for sender "". It is one
// lookup of the key (sender, ID) either way, which never reaches a row of another sender.
func (x *Index) SentBy(ctx context.Context, transactionID, sender string) (st *chain.Status, ok bool, err error) {
	if sender == "" {
		return nil, false, nil // the digest of a creator that is no certificate: it names nobody
	}
	t, err := x.db.read(ctx)
	if err != nil {
		return nil, false, err
	}
	defer t.Rollback()
	var code string
	var block int64
	err = t.queryRow(ctx, `SELECT code, block FROM transaction_senders WHERE sender = ? AND tx_id = ?`, sender, transactionID).Scan(&code, &block)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	txn := chain.Transaction{ValidationCode: code}
	return &chain.Status{TransactionID: transactionID, Committed: true, Valid: txn.Valid(), Code: code, BlockNumber: uint64(block)}, true, nil
}
