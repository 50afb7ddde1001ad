package transactions

import (
	"context"
	"errors"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A member who signs its own calls learns the commit status of its own transactions only: the gateway holds no key
// of it and reads the status as itself (WithReader), so it answers only a sender it can name, by the record of its
// sending here (SentBySigner, the store's last hour) or by the ledger index, which keeps the digest of each
// transaction's creator (WithSenders; a restart of the gateway does not forget it). Both name the sender by its
// certificate's identity AND key: a certificate of the member's identity over another key (one the holder of the
// org CA's registrar power had issued) is another sender. A transaction this gateway did not record as the caller's
// costs one lookup in the index and nothing of the peer, whether it is another member's committed transaction or an
// ID nobody sent: the time of the answer tells as little as its body which IDs are committed.

// Senders names the sender of committed transactions: the ledger index (index.Index.SentBy).
type Senders interface {
	// SentBy reports the commit status of the transaction when it was committed by sender, named by its
	// auth.SenderDigest; ok is false for any other ID (not committed, another's, not read yet), by the same lookup.
	SentBy(ctx context.Context, transactionID, sender string) (st *chain.Status, ok bool, err error)
	// WaitFor returns once the index has read the block, or with an error when ctx or the index's own bound ends
	// first.
	WaitFor(ctx context.Context, block uint64) error
}

// WithSenders has SignerStatus answer a member who signs itself the status of its committed transactions that the
// store does not hold as its (after a restart, after the store's hour, sent through another gateway) from s; without
// it, only those it holds.
func WithSenders(s Senders) Option { return func(m *manager) { m.senders = s } }

func (m *manager) SentBySigner(sender, share, transactionID string, result []byte) {
	m.store.Remember(Outcome{Member: sender, Share: share, Signer: true, TransactionID: transactionID, Result: result})
}

func (m *manager) SignerStatus(ctx context.Context, sender, transactionID string) (*Status, error) {
	ctx, cancel := context.WithTimeout(ctx, m.statusWait)
	defer cancel()
	o, sent := m.store.Transaction(transactionID)
	if !sent || !o.Signer || o.Member != sender {
		return m.committedBy(ctx, sender, transactionID)
	}
	st, err := m.sentStatus(ctx, m.reader, sender, transactionID, true)
	if err != nil {
		return nil, err
	}
	out := &Status{Status: *st}
	if st.Valid {
		out.Result = o.Result
	}
	return out, nil
}

// sentStatus is the status of a transaction ID that sender (auth.Caller.Sender) may have sent, as reader asks the
// peer for it, whichever kind of member sender is: looked up on the channel when the peer's wait ended without its
// commit (lookUp), and sender's own copy where the peer answers another's invalid one (OwnCopy).
func (m *manager) sentStatus(ctx context.Context, reader, sender, transactionID string, lookUp bool) (*chain.Status, error) {
	st, err := m.ledger.CommitStatus(ctx, reader, transactionID)
	if err != nil {
		return nil, err
	}
	if !st.Committed && lookUp {
		st = m.find(ctx, transactionID, st)
	}
	return m.OwnCopy(ctx, sender, st), nil
}

// OwnCopy reads the sender's own copy where the peer answers the first copy of an ID in the chain: an org whose peer
// endorsed the proposal knows its ID before it is ordered and can have a copy under its own creator ordered first in
// the same block, invalid (BAD_PROPOSAL_TXID) and no duplicate of the sender's, which commits valid after it. The
// ledger index names each copy's sender; once it has read the block (waited for within ctx), sender's copy there is
// the answer. Without an index, for sender "", or when the index holds none of sender's in that block, the peer's
// answer stands.
func (m *manager) OwnCopy(ctx context.Context, sender string, st *chain.Status) *chain.Status {
	if m.senders == nil || sender == "" || !st.Committed || st.Valid || m.senders.WaitFor(ctx, st.BlockNumber) != nil {
		return st
	}
	own, ok, err := m.indexedAs(ctx, sender, st.TransactionID)
	if err != nil || !ok || own.BlockNumber != st.BlockNumber {
		return st
	}
	return own
}

// committedBy answers the status of a transaction not recorded as sender's: the one the ledger index holds committed
// with a certificate of sender's identity and key as its creator, and for any other (not committed, another's, not
// indexed yet, no index) the answer of an ID nobody sent.
func (m *manager) committedBy(ctx context.Context, sender, transactionID string) (*Status, error) {
	st, ok, err := m.indexedAs(ctx, sender, transactionID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, unknownTransaction(transactionID)
	}
	return &Status{Status: *st}, nil
}

// indexedAs is the status of the transaction the ledger index holds committed with a certificate of sender's
// identity and key as its creator; ok is false for any other, and without an index.
func (m *manager) indexedAs(ctx context.Context, sender, transactionID string) (st *chain.Status, ok bool, err error) {
	if m.senders == nil {
		return nil, false, nil
	}
	return m.senders.SentBy(ctx, transactionID, auth.SenderDigest(sender))
}

// IsUnknown reports whether err is SignerStatus's answer to an ID it holds as no transaction of the caller's (the
// answer of an ID nobody sent): the gateway answers it while its ledger index has read every block its peer holds, and
// tells the caller to ask again while the index is catching up, when its own committed transaction may be in a block
// the index reads next.
func IsUnknown(err error) bool {
	var e *chain.Error
	return errors.As(err, &e) && e.Kind == chain.KindRejected && e.Code == ledgererr.NotFound
}

// unknownTransaction is the answer to a transaction ID the caller may not see: neither committed as one it may see
// nor sent by it through this gateway in the store's last hour. It is the same for an ID nobody sent and for
// another member's transaction, so that nobody learns of another's transactions.
func unknownTransaction(transactionID string) error {
	unknown := ledgererr.Messagef("transaction %s is unknown: you sent no such transaction through this gateway in the last hour, and the channel holds none committed that you may see (a transaction sent through another gateway or client shows here once committed; a member who signs its own calls sees its own transactions only)", transactionID)
	return &chain.Error{Kind: chain.KindRejected, Code: ledgererr.NotFound, TransactionID: transactionID, Message: unknown.Error(), Said: unknown}
}
