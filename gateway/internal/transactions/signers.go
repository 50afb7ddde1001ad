package transactions

import (
	"context"
	"sync"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A member who signs its own calls learns the commit status of its own transactions only: the gateway holds no key
// of it and reads the status as itself (WithReader), so it answers only a sender it can name, by the record of its
// sending here (SentBySigner, the store's last hour) or by the creator's certificate in the block that holds the
// transaction (chain.Finder, which a restart of the gateway does not forget). Both name the sender by its
// certificate's identity AND key: a certificate of the member's identity over another key (one the holder of the
// org CA's registrar power had issued) is another sender.

func (m *manager) SentBySigner(sender, transactionID string, result []byte) {
	m.store.Remember(Outcome{Member: sender, Signer: true, TransactionID: transactionID, Result: result})
}

func (m *manager) SignerStatus(ctx context.Context, sender, transactionID string) (*Status, error) {
	ctx, cancel := context.WithTimeout(ctx, m.statusWait)
	defer cancel()
	o, sent := m.store.Transaction(transactionID)
	if !sent || !o.Signer || o.Member != sender {
		return m.committedBy(ctx, sender, transactionID)
	}
	st, err := m.ledger.CommitStatus(ctx, m.reader, transactionID)
	if err != nil {
		return nil, err
	}
	if !st.Committed {
		st = m.find(ctx, transactionID, st)
	}
	out := &Status{Status: *st}
	out.Creator = nil
	if st.Valid {
		out.Result = o.Result
	}
	return out, nil
}

// committedBy answers the status of a transaction not recorded as sender's: the one committed on the channel with
// a certificate of sender's identity and key as its creator, and for any other (not committed, another's, a ledger
// that cannot look transactions up) the answer of an ID nobody sent.
func (m *manager) committedBy(ctx context.Context, sender, transactionID string) (*Status, error) {
	tx, ok := m.committed.get(transactionID)
	if !ok {
		finder, ok := m.ledger.(chain.Finder)
		if !ok {
			return nil, unknownTransaction(transactionID)
		}
		found, err := finder.Find(ctx, transactionID)
		if err != nil {
			return nil, err
		}
		if !found.Committed {
			return nil, unknownTransaction(transactionID)
		}
		tx = committedTx{status: *found, creator: creatorOf(found.Creator)}
		tx.status.Creator = nil
		m.committed.put(transactionID, tx)
	}
	if tx.creator == "" || tx.creator != sender {
		return nil, unknownTransaction(transactionID)
	}
	return &Status{Status: tx.status}, nil
}

// creatorOf names the creator of a transaction by its certificate (PEM) as a member who signs its own calls is
// named: its identity and key (auth.KeyedIdentity); "" for a certificate that does not parse.
func creatorOf(creator []byte) string {
	cert, err := fabricca.ParseCertificate(creator)
	if err != nil {
		return ""
	}
	return auth.KeyedIdentity(cert)
}

// committedTx is what committedBy read of a committed transaction's block: its status (without the creator's
// certificate) and its creator (creatorOf).
type committedTx struct {
	status  chain.Status
	creator string
}

// committedTxs remembers, by transaction ID, what committedBy read of committed transactions' blocks. A committed
// transaction's block never changes, so a member asking again (a program polling the status of its own, or one
// asking for a known ID over and over) costs the peer no further read of a whole block, and the gateway no further
// parse of it and of the certificate. It holds at most maxTransactions and is emptied whole when full: anyone who
// signs its own calls may fill it with the IDs of committed transactions, and must not grow the gateway's memory.
// It is apart from the Store's transactions, which a flood of IDs must not evict.
type committedTxs struct {
	mu sync.Mutex
	m  map[string]committedTx
}

func (c *committedTxs) get(transactionID string) (committedTx, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tx, ok := c.m[transactionID]
	return tx, ok
}

func (c *committedTxs) put(transactionID string, tx committedTx) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxTransactions {
		c.m = map[string]committedTx{}
	}
	c.m[transactionID] = tx
}

// unknownTransaction is the answer to a transaction ID the caller may not see: neither committed as one it may see
// nor sent by it through this gateway in the store's last hour. It is the same for an ID nobody sent and for
// another member's transaction, so that nobody learns of another's transactions.
func unknownTransaction(transactionID string) error {
	unknown := ledgererr.Messagef("transaction %s is unknown: you sent no such transaction through this gateway in the last hour, and the channel holds none committed that you may see (a transaction sent through another gateway or client shows here once committed; a member who signs its own calls sees its own transactions only)", transactionID)
	return &chain.Error{Kind: chain.KindRejected, Code: ledgererr.NotFound, TransactionID: transactionID, Message: unknown.Error(), Said: unknown}
}
