// Package transactions is the gateway's submit path behind one interface,
// Manager, which the HTTP layer calls: it runs a member's chaincode calls
// with the options their route needs, replays the first outcome to a retry
// that carries the same idempotency key, resolves a transaction whose
// ordering outcome was unknown through its commit status, and reports a
// transaction's commit status, with its result to the member who submitted
// it. One store keeps the outcomes, by the member's idempotency key and by
// transaction ID.
package transactions

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Manager runs chaincode calls for the HTTP layer.
type Manager interface {
	// Evaluate runs a read-only function and returns its response.
	Evaluate(ctx context.Context, c Call) ([]byte, error)
	// Submit submits a transaction, or answers the first outcome of an
	// earlier submission with the same member and key. An error means
	// nothing was submitted (a retry may run the request again), or
	// ErrKeyReused.
	Submit(ctx context.Context, s Submission) (*Outcome, error)
	// Endorsers returns the orgs whose peers alone run the call, learning
	// them from the ledger when the call names a trade's parties; none
	// leaves them to Fabric's plan.
	Endorsers(ctx context.Context, c Call) ([]string, error)
	// Status reports a transaction's commit status, waiting a few seconds
	// for it to commit, with the result when the member submitted it here.
	// A transaction neither committed nor sent by this member through
	// this gateway (in the store's last hour) is unknown: a NOT_FOUND
	// chain.Error, never "pending". sender names the member's signing
	// certificate (auth.Caller.Sender): where the peer answers another's
	// invalid copy of the ID, the member reads its own (OwnCopy).
	Status(ctx context.Context, member, sender, transactionID string) (*Status, error)
	// OwnCopy is st, the peer's status of a transaction ID sender sent,
	// or, when the peer answers it committed invalid, sender's own copy
	// of the ID in that block as the ledger index holds it (WithSenders):
	// the same for a member who signs itself and a wallet member.
	OwnCopy(ctx context.Context, sender string, st *chain.Status) *chain.Status
	// SentBySigner records that a member who signs its own calls, named
	// by its certificate's identity and key (auth.KeyedIdentity), had the
	// gateway send its signed transaction for ordering, with the endorsed
	// result, so that SignerStatus answers it the transaction's status.
	// The record counts in share, the member's share of the gateway's
	// limits (auth.Caller.Share: its identity, whatever its key).
	SentBySigner(sender, share, transactionID string, result []byte)
	// SignerStatus is Status for a member who signs its own calls, named
	// by its certificate's identity and key: only for a transaction that
	// member sent (recorded by SentBySigner in the store's last hour, or
	// committed with a certificate of that identity and key as its
	// creator, once the ledger index has read its block: WithSenders).
	// Any other ID, another member's committed transaction included, is
	// unknown, exactly as an ID nobody sent, and costs the same: one
	// lookup in the index, no read from the peer.
	SignerStatus(ctx context.Context, sender, transactionID string) (*Status, error)
}

// Call is one chaincode function call as one member.
type Call struct {
	Member    string
	Function  string
	Args      []string
	Transient map[string][]byte
	// Orgs names the orgs whose peers alone run the call.
	Orgs Orgs
}

// Submission is a call to submit.
type Submission struct {
	Call
	// Wait makes Submit wait for the commit; otherwise it returns once the
	// transaction is accepted for ordering.
	Wait bool
	// Key is the caller's idempotency key, "" for none.
	Key string
	// Fingerprint identifies the request, so that a key that comes back
	// with another request is refused.
	Fingerprint string
	// Sender names the certificate the transaction is created with
	// (auth.Caller.Sender): the commit of the member's own copy of its ID
	// is its outcome (OwnCopy).
	Sender string
	// Retryable, when set, marks a refusal of the chaincode that the caller
	// asks again for (a peer that has not yet committed the block the call
	// reads): Submit returns it as an error, recording nothing under Key,
	// since nothing was sent for ordering, so that the same key runs the
	// call again.
	Retryable func(*chain.Error) bool
}

// Status is a transaction's commit status.
type Status struct {
	chain.Status
	// Result is the chaincode's response, when the member asking submitted
	// the transaction through this gateway and it is still remembered.
	Result json.RawMessage
}

// ErrKeyReused is returned when an idempotency key comes back with another
// request.
var ErrKeyReused = ledgererr.Messagef("the Idempotency-Key was already used for a different request")

// manager is the Manager over a ledger and a store.
type manager struct {
	ledger      chain.Ledger
	store       *Store
	mspID       string
	statusWait  time.Duration
	resolveWait time.Duration
	// reader is the wallet member whose identity reads the commit status of
	// a transaction sent by a member who signs its own calls.
	reader string
	// senders names the senders of committed transactions for members
	// who sign their own calls (WithSenders, committedBy); nil for none.
	senders Senders
}

// Option configures a Manager.
type Option func(*manager)

// WithOrg names the gateway's organisation, whose peers run Orgs.Own calls
// and which is the buyer's org of a trade's round 1 (Orgs.Terms).
func WithOrg(mspID string) Option { return func(m *manager) { m.mspID = mspID } }

// WithReader names the wallet member whose identity asks the peers for the
// commit status of the transactions that members who sign their own calls
// sent (the gateway's reading identity, config peer.reader): Fabric answers
// the commit status of any transaction to any member of the channel's orgs
// (ACL gateway/CommitStatus), so the member signs nothing more, and the
// gateway reads as itself, never as the member.
func WithReader(member string) Option { return func(m *manager) { m.reader = member } }

// WithStatusWait bounds how long Status waits for a commit (default 2 s).
func WithStatusWait(d time.Duration) Option { return func(m *manager) { m.statusWait = d } }

// WithResolveWait bounds how long a retry waits for the commit status of a
// transaction whose outcome was unknown (default 5 s).
func WithResolveWait(d time.Duration) Option { return func(m *manager) { m.resolveWait = d } }

// New returns a Manager that calls l and keeps outcomes in store.
func New(l chain.Ledger, store *Store, options ...Option) Manager {
	m := &manager{ledger: l, store: store, statusWait: 2 * time.Second, resolveWait: 5 * time.Second}
	for _, apply := range options {
		apply(m)
	}
	return m
}

// options are the ledger options of a call, the same for evaluate and
// submit.
func (m *manager) options(ctx context.Context, c Call) ([]chain.CallOption, error) {
	orgs, err := m.Endorsers(ctx, c)
	if err != nil {
		return nil, err
	}
	return c.Options(orgs), nil
}

// Options are the ledger options of the call run on the peers of orgs
// alone (Fabric's plan when none), the same for evaluate and submit,
// whoever signs. A call with neither transient data nor orgs has none:
// a plain read allocates no options (TestReadAllocations).
func (c Call) Options(orgs []string) []chain.CallOption {
	var options []chain.CallOption
	if len(c.Transient) > 0 {
		options = append(options, chain.WithTransient(c.Transient))
	}
	if len(orgs) > 0 {
		options = append(options, chain.WithEndorsingOrganizations(orgs...))
	}
	return options
}

func (m *manager) Evaluate(ctx context.Context, c Call) ([]byte, error) {
	options, err := m.options(ctx, c)
	if err != nil {
		return nil, err
	}
	return m.ledger.Evaluate(ctx, c.Member, c.Function, c.Args, options...)
}

func (m *manager) Submit(ctx context.Context, s Submission) (*Outcome, error) {
	if s.Key == "" {
		return m.run(ctx, s)
	}
	key := storeKey(s.Member, s.Key)
	prior, ticket, err := m.store.Begin(ctx, key, s.Fingerprint)
	if err != nil {
		return nil, err
	}
	if prior != nil {
		if prior.Pending() {
			if resolved := m.resolve(ctx, *prior, s.Sender); !resolved.Pending() {
				_ = m.store.Update(key, resolved)
				prior = &resolved
			}
		}
		prior.Replayed = true
		return prior, nil
	}
	// The transaction's ID is written down before it is sent for ordering,
	// so that a retry after a gateway crash resolves it instead of running
	// the request again.
	var prepared []byte
	recordPending := func(p chain.Prepared) error {
		prepared = p.Transaction
		return ticket.Pending(Outcome{Fingerprint: s.Fingerprint, Member: s.Member, TransactionID: p.TransactionID, Result: p.Result, Transaction: p.Transaction,
			Failure: &chain.Error{Kind: chain.KindOutcomeUnknown, TransactionID: p.TransactionID, Result: p.Result,
				Message: fmt.Sprintf("transaction %s was sent for ordering and the gateway stopped before its commit was confirmed; read GET /v1/transactions/%s", p.TransactionID, p.TransactionID)}})
	}
	o, err := m.run(ctx, s, chain.WithBeforeOrdering(recordPending))
	if o != nil && o.Pending() {
		o.Transaction = prepared // for a retry to send again
	}
	if err != nil {
		ticket.Abandon()
		return nil, err
	}
	if err := ticket.Complete(*o); err != nil {
		return o, fmt.Errorf("recording the outcome of transaction %s: %w", o.TransactionID, err)
	}
	return o, nil
}

// run submits the transaction. It runs on a context detached from the
// client's: once a transaction is endorsed and sent, it is followed to its
// commit even if the client goes away, so that its outcome is recorded.
func (m *manager) run(ctx context.Context, s Submission, extra ...chain.CallOption) (*Outcome, error) {
	options, err := m.options(ctx, s.Call)
	if err != nil {
		return nil, err
	}
	options = append(options, extra...)
	if !s.Wait {
		options = append(options, chain.WithoutCommitWait())
	}
	ctx = context.WithoutCancel(ctx)
	res, err := m.ledger.Submit(ctx, s.Member, s.Function, s.Args, options...)
	o := &Outcome{Fingerprint: s.Fingerprint, Member: s.Member}
	if err != nil {
		failure := chain.AsError(err)
		if own := m.ownCommit(ctx, s.Sender, failure); own != nil {
			o.TransactionID, o.Result, o.Committed, o.BlockNumber = failure.TransactionID, failure.Result, true, own.BlockNumber
			m.store.Remember(*o)
			return o, nil
		}
		if failure.Kind == chain.KindRejected && s.Retryable != nil && s.Retryable(failure) {
			return nil, err
		}
		switch failure.Kind {
		case chain.KindRejected, chain.KindCommitFailed, chain.KindOutcomeUnknown:
			// Final, or to be resolved: the same request would be refused
			// again, or the transaction was sent and must not be repeated
			// silently.
			o.TransactionID, o.Failure, o.Result = failure.TransactionID, failure, failure.Result
			return o, nil
		default:
			return nil, err
		}
	}
	o.TransactionID, o.Result, o.Committed, o.BlockNumber = res.TransactionID, res.Result, res.Committed, res.BlockNumber
	m.store.Remember(*o)
	return o, nil
}

// ownCommit is the status of sender's own copy of the ID of a submit that
// failed committed invalid, when that copy committed valid (OwnCopy); nil
// for any other failure. It waits for the ledger index at most resolveWait.
func (m *manager) ownCommit(ctx context.Context, sender string, failure *chain.Error) *chain.Status {
	if failure.Kind != chain.KindCommitFailed {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, m.resolveWait)
	defer cancel()
	st := &chain.Status{TransactionID: failure.TransactionID, Committed: true, Code: failure.ValidationCode, BlockNumber: failure.BlockNumber}
	if own := m.OwnCopy(ctx, sender, st); own.Valid {
		return own
	}
	return nil
}

// resolve reads the commit status of a transaction whose outcome was
// unknown and returns its final outcome when it is known, the commit of
// sender's own copy of its ID (OwnCopy). A transaction not seen committed
// is sent for ordering again (it may never have left a gateway killed just
// before sending it) and its status read once more.
func (m *manager) resolve(ctx context.Context, o Outcome, sender string) Outcome {
	st, err := m.commitStatus(ctx, o, sender)
	resubmitter, canResubmit := m.ledger.(chain.Resubmitter)
	if (err != nil || !st.Committed) && len(o.Transaction) > 0 && canResubmit {
		if resubmitter.Resubmit(ctx, o.Member, o.Transaction) == nil {
			st, err = m.commitStatus(ctx, o, sender)
		}
	}
	if err != nil || !st.Committed {
		return o
	}
	o.Transaction = nil
	if st.Valid {
		o.Failure, o.Committed, o.BlockNumber = nil, true, st.BlockNumber
		m.store.Remember(o)
		return o
	}
	o.Failure = chain.CommitFailed(o.TransactionID, st.BlockNumber, st.Code)
	return o
}

// commitStatus waits for a transaction's commit status, that of sender's
// own copy of its ID (sentStatus), at most resolveWait.
func (m *manager) commitStatus(ctx context.Context, o Outcome, sender string) (*chain.Status, error) {
	ctx, cancel := context.WithTimeout(ctx, m.resolveWait)
	defer cancel()
	return m.sentStatus(ctx, o.Member, sender, o.TransactionID, false)
}

// find looks up on the channel a transaction whose commit-status wait ended
// without its commit: a peer that holds it but was too loaded to say so
// within the wait must not make it unknown (a loaded machine answered 404
// for committed transactions). It returns st when the ledger cannot look
// transactions up or the lookup fails.
func (m *manager) find(ctx context.Context, transactionID string, st *chain.Status) *chain.Status {
	finder, ok := m.ledger.(chain.Finder)
	if !ok {
		return st
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), m.resolveWait)
	defer cancel()
	found, err := finder.Find(ctx, transactionID)
	if err != nil || !found.Committed {
		return st
	}
	return found
}

func (m *manager) Status(ctx context.Context, member, sender, transactionID string) (*Status, error) {
	ctx, cancel := context.WithTimeout(ctx, m.statusWait)
	defer cancel()
	o, sent := m.store.Transaction(transactionID)
	// Only its sender learns of a transaction sent here that is not committed: another member, even one holding its
	// ID, gets the answer of an ID nobody sent, and the status once the channel shows the transaction committed (as
	// every member of the channel may read it in the block).
	sent = sent && o.Member == member && !o.Signer
	st, err := m.sentStatus(ctx, member, sender, transactionID, !sent)
	if err != nil {
		return nil, err
	}
	if !st.Committed && !sent {
		return nil, unknownTransaction(transactionID)
	}
	out := &Status{Status: *st}
	if st.Valid && sent {
		out.Result = o.Result
	}
	return out, nil
}
