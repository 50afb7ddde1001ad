package transactions_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

const function = "assets:Register"

// crashingLedger stands for a gateway killed while its transaction is being
// ordered: the transaction commits, and Submit never returns.
type crashingLedger struct {
	*chaintest.Fake
	ordered chan string   // the ID of the transaction sent for ordering
	killed  chan struct{} // closed at the end of the test
}

func (l *crashingLedger) Submit(ctx context.Context, member, function string, args []string, options ...chain.CallOption) (*chain.Submitted, error) {
	s, err := l.Fake.Submit(ctx, member, function, args, options...)
	if err != nil {
		return nil, err
	}
	l.ordered <- s.TransactionID
	<-l.killed
	return nil, context.Canceled
}

func submission(key string) transactions.Submission {
	return transactions.Submission{Call: transactions.Call{Member: "alice", Function: function, Args: []string{"a-1"}}, Wait: true, Key: key, Fingerprint: "fp-" + key}
}

func TestARetryAfterACrashDuringOrderingResolvesTheTransaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outcomes.jsonl")
	fake := chaintest.New()
	fake.Returns(function, map[string]string{"id": "a-1"})
	crashing := &crashingLedger{Fake: fake, ordered: make(chan string, 1), killed: make(chan struct{})}
	t.Cleanup(func() { close(crashing.killed) })

	before, err := transactions.OpenStore(path, time.Hour)
	require.NoError(t, err)
	go func() { _, _ = transactions.New(crashing, before).Submit(context.Background(), submission("k")) }()
	var txID string
	select {
	case txID = <-crashing.ordered:
	case <-time.After(10 * time.Second):
		t.Fatal("the transaction was not sent for ordering")
	}

	after := openStore(t, path) // the restarted gateway
	o, err := transactions.New(fake, after).Submit(context.Background(), submission("k"))
	require.NoError(t, err)
	assert.True(t, o.Replayed, "the retry is answered from the transaction already ordered")
	assert.Equal(t, txID, o.TransactionID)
	assert.True(t, o.Committed)
	assert.NotZero(t, o.BlockNumber)
	assert.Nil(t, o.Failure)
	assert.JSONEq(t, `{"id":"a-1"}`, string(o.Result))
	assert.Len(t, fake.CallsTo(function), 1, "the request ran once")
	assert.Empty(t, fake.Resubmitted(), "a committed transaction is not sent again")
}

// unsentLedger stands for a gateway killed after it wrote the pending
// outcome down and before it sent the transaction for ordering.
type unsentLedger struct {
	*chaintest.Fake
	recorded chan struct{}
}

func (l *unsentLedger) Submit(ctx context.Context, member, function string, args []string, options ...chain.CallOption) (*chain.Submitted, error) {
	if err := chain.Options(options...).BeforeOrdering(chain.Prepared{TransactionID: "tx-unsent", Result: []byte(`{"id":"a-1"}`), Transaction: []byte("tx-unsent")}); err != nil {
		return nil, err
	}
	close(l.recorded)
	select {} // killed
}

// restartedAfterUnsent submits on a gateway killed after it wrote the
// pending outcome down and before it sent the transaction (unsentLedger
// over fake), and opens the outcome store again as the restarted gateway
// does.
func restartedAfterUnsent(t *testing.T, fake *chaintest.Fake) *transactions.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "outcomes.jsonl")
	unsent := &unsentLedger{Fake: fake, recorded: make(chan struct{})}
	before, err := transactions.OpenStore(path, time.Hour)
	require.NoError(t, err)
	go func() { _, _ = transactions.New(unsent, before).Submit(context.Background(), submission("k")) }()
	select {
	case <-unsent.recorded:
	case <-time.After(10 * time.Second):
		t.Fatal("the pending outcome was not recorded")
	}
	after := openStore(t, path)
	return after
}

func TestARetryAfterACrashBeforeOrderingSendsTheTransactionAgain(t *testing.T) {
	fake := chaintest.New()
	after := restartedAfterUnsent(t, fake)
	o, err := transactions.New(fake, after, transactions.WithResolveWait(time.Second)).Submit(context.Background(), submission("k"))
	require.NoError(t, err)
	assert.Equal(t, []string{"tx-unsent"}, fake.Resubmitted(), "the prepared transaction is sent, not the request run again")
	assert.Empty(t, fake.CallsTo(function))
	assert.True(t, o.Replayed)
	assert.Equal(t, "tx-unsent", o.TransactionID)
	assert.True(t, o.Committed)
	assert.Nil(t, o.Failure)
	assert.JSONEq(t, `{"id":"a-1"}`, string(o.Result))
}

// unorderedLedger endorses a transaction and then fails to send it: the
// orderers refused it, so it can never commit.
type unorderedLedger struct {
	*chaintest.Fake
	sent int
}

func (l *unorderedLedger) Submit(ctx context.Context, member, function string, args []string, options ...chain.CallOption) (*chain.Submitted, error) {
	l.sent++
	if record := chain.Options(options...).BeforeOrdering; record != nil {
		if err := record(chain.Prepared{TransactionID: "tx-never-ordered", Transaction: []byte("tx-never-ordered")}); err != nil {
			return nil, err
		}
	}
	return nil, &chain.Error{Kind: chain.KindOrdering, TransactionID: "tx-never-ordered", Message: "no orderer accepted the transaction"}
}

func TestARequestNeverOrderedRunsAgainAfterARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outcomes.jsonl")
	l := &unorderedLedger{Fake: chaintest.New()}
	before := openStore(t, path)
	_, err := transactions.New(l, before).Submit(context.Background(), submission("k"))
	require.Error(t, err)
	require.NoError(t, before.Close())

	after := openStore(t, path)
	_, err = transactions.New(l, after).Submit(context.Background(), submission("k"))
	require.Error(t, err)
	assert.Equal(t, 2, l.sent, "the retry runs the request again: its first transaction was never ordered")
}

// orderingLedger stands for a channel on which every transaction sent is
// still being ordered: none shows as committed.
type orderingLedger struct{ *chaintest.Fake }

func (l orderingLedger) CommitStatus(ctx context.Context, member, transactionID string) (*chain.Status, error) {
	return &chain.Status{TransactionID: transactionID}, nil
}

// unknownID is a well-formed transaction ID that no one ever sent.
const unknownID = "0000000000000000000000000000000000000000000000000000000000000000"

func requireNotFound(t *testing.T, m transactions.Manager, member, transactionID string) {
	t.Helper()
	st, err := m.Status(context.Background(), member, "", transactionID)
	require.Error(t, err, "status %+v", st)
	e := chain.AsError(err)
	assert.Equal(t, chain.KindRejected, e.Kind)
	assert.Equal(t, ledgererr.NotFound, e.Code)
	assert.Equal(t, transactionID, e.TransactionID)
	assert.Contains(t, e.Message, "unknown")
}

func TestAnUnknownTransactionIsNotFoundNotPending(t *testing.T) {
	fake := chaintest.New()
	fake.Returns(function, map[string]string{"id": "a-1"})
	m := transactions.New(orderingLedger{fake}, transactions.NewStore(time.Hour), transactions.WithStatusWait(10*time.Millisecond))

	requireNotFound(t, m, "alice", unknownID)

	// Sent here and not yet committed: pending, for its sender; unknown to
	// another member, whom it is not for to learn that alice sent it.
	o, err := m.Submit(context.Background(), transactions.Submission{Call: transactions.Call{Member: "alice", Function: function, Args: []string{"a-1"}}})
	require.NoError(t, err)
	st, err := m.Status(context.Background(), "alice", "", o.TransactionID)
	require.NoError(t, err)
	assert.False(t, st.Committed)
	assert.Empty(t, st.Result, "no result before the commit")
	requireNotFound(t, m, "bob", o.TransactionID)

	// Sent by an idempotent request that is still waiting for its commit:
	// pending too, for its sender.
	waiting := &orderedLedger{Fake: fake, ordered: make(chan string, 1), release: make(chan struct{})}
	idem := transactions.New(waiting, transactions.NewStore(time.Hour), transactions.WithStatusWait(10*time.Millisecond))
	go func() { _, _ = idem.Submit(context.Background(), submission("k")) }()
	tx := <-waiting.ordered
	st, err = idem.Status(context.Background(), "alice", "", tx)
	require.NoError(t, err)
	assert.False(t, st.Committed)
	requireNotFound(t, idem, "bob", tx)
	close(waiting.release)
}

// orderedLedger records the pending outcome, reports the transaction as
// ordered and holds the submission until released, committing nothing.
type orderedLedger struct {
	*chaintest.Fake
	ordered chan string
	release chan struct{}
}

func (l *orderedLedger) Submit(ctx context.Context, member, function string, args []string, options ...chain.CallOption) (*chain.Submitted, error) {
	const tx = "tx-being-ordered"
	if err := chain.Options(options...).BeforeOrdering(chain.Prepared{TransactionID: tx, Transaction: []byte(tx)}); err != nil {
		return nil, err
	}
	l.ordered <- tx
	<-l.release
	return nil, context.Canceled
}

func (l *orderedLedger) CommitStatus(ctx context.Context, member, transactionID string) (*chain.Status, error) {
	return &chain.Status{TransactionID: transactionID}, nil
}

func TestACommittedTransactionSentElsewhereIsFoundWithoutItsResult(t *testing.T) {
	fake := chaintest.New()
	fake.SetStatus(chain.Status{TransactionID: unknownID, Committed: true, Valid: true, Code: "VALID", BlockNumber: 9})
	m := transactions.New(fake, transactions.NewStore(time.Hour))
	st, err := m.Status(context.Background(), "alice", "", unknownID)
	require.NoError(t, err)
	assert.True(t, st.Committed)
	assert.EqualValues(t, 9, st.BlockNumber)
	assert.Empty(t, st.Result)
}

func TestATransactionNeverOrderedIsUnknownAgain(t *testing.T) {
	l := &unorderedLedger{Fake: chaintest.New()}
	store := transactions.NewStore(time.Hour)
	// The pending outcome is written before sending; the orderers refuse
	// the transaction, so its ID names nothing that can ever commit.
	_, err := transactions.New(l, store).Submit(context.Background(), submission("k"))
	require.Error(t, err)
	requireNotFound(t, transactions.New(orderingLedger{l.Fake}, store, transactions.WithStatusWait(10*time.Millisecond)), "alice", "tx-never-ordered")
}

func TestAPendingTransactionIsKnownAfterARestart(t *testing.T) {
	fake := chaintest.New()
	after := restartedAfterUnsent(t, fake)
	st, err := transactions.New(orderingLedger{fake}, after, transactions.WithStatusWait(10*time.Millisecond)).Status(context.Background(), "alice", "", "tx-unsent")
	require.NoError(t, err, "the restarted gateway still knows the transaction it wrote down")
	assert.False(t, st.Committed)
}

// loadedPeer is a peer too loaded to answer a commit-status request within
// the wait (every wait ends without the commit), which holds what the fake
// committed and says so when asked without waiting.
type loadedPeer struct {
	*chaintest.Fake
	finds int
}

func (l *loadedPeer) CommitStatus(ctx context.Context, member, transactionID string) (*chain.Status, error) {
	<-ctx.Done()
	return &chain.Status{TransactionID: transactionID}, nil
}

func (l *loadedPeer) Find(ctx context.Context, transactionID string) (*chain.Status, error) {
	l.finds++
	return l.Fake.CommitStatus(ctx, "reader", transactionID)
}

// A commit-status wait that ends without the commit does not make a
// committed transaction unknown: the gateway looks it up before it answers
// NOT_FOUND (under load, 11 of 1,000 trades of the benchmark failed on a
// 404 for a step their peer had committed). An ID the peer does not hold is
// still unknown.
func TestACommittedTransactionIsFoundWhenThePeerIsSlowToSaySo(t *testing.T) {
	fake := chaintest.New()
	fake.SetStatus(chain.Status{TransactionID: unknownID, Committed: true, Valid: true, Code: "VALID", BlockNumber: 9})
	peer := &loadedPeer{Fake: fake}
	m := transactions.New(peer, transactions.NewStore(time.Hour), transactions.WithStatusWait(10*time.Millisecond))

	st, err := m.Status(context.Background(), "alice", "", unknownID)
	require.NoError(t, err)
	assert.True(t, st.Committed)
	assert.True(t, st.Valid)
	assert.EqualValues(t, 9, st.BlockNumber)
	assert.Equal(t, 1, peer.finds)

	requireNotFound(t, m, "alice", "tx-nobody-sent")
	assert.Equal(t, 2, peer.finds)
}

// A refusal the caller asks again for (Submission.Retryable) is an error that records nothing under the key: the
// same key runs the call again, and its outcome is the one a later retry replays. Any other refusal is the outcome.
func TestARetryableRefusalIsNotTheKeysOutcome(t *testing.T) {
	fake := chaintest.New()
	refusals := 1
	fake.Handle(function, func(chaintest.Call) (chaintest.Response, error) {
		if refusals > 0 {
			refusals--
			return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.NotFound, Message: "period not opened yet"}
		}
		return chaintest.Response{Result: []byte(`{"id":"a-1"}`)}, nil
	})
	m := transactions.New(fake, transactions.NewStore(time.Hour))
	s := submission("k")
	s.Retryable = func(e *chain.Error) bool { return e.Code == ledgererr.NotFound }

	o, err := m.Submit(context.Background(), s)
	assert.Nil(t, o)
	assert.Equal(t, ledgererr.NotFound, chain.AsError(err).Code)
	o, err = m.Submit(context.Background(), s)
	require.NoError(t, err)
	assert.False(t, o.Replayed, "the key ran the call again")
	assert.True(t, o.Committed)
	o, err = m.Submit(context.Background(), s)
	require.NoError(t, err)
	assert.True(t, o.Replayed)
	assert.True(t, o.Committed)
	assert.Len(t, fake.CallsTo(function), 2)

	refusals = 1
	s = submission("other")
	o, err = m.Submit(context.Background(), s)
	require.NoError(t, err, "without Retryable the refusal is the outcome")
	require.NotNil(t, o.Failure)
	o, err = m.Submit(context.Background(), s)
	require.NoError(t, err)
	assert.True(t, o.Replayed)
	assert.Equal(t, ledgererr.NotFound, o.Failure.Code, "the refusal is replayed")
}

// A call the caller names the endorsing orgs of (Orgs.Named) runs on their peers alone.
func TestACallRunsOnTheOrgsNamed(t *testing.T) {
	fake := chaintest.New()
	fake.Returns(function, map[string]string{"id": "a-1"})
	m := transactions.New(fake, transactions.NewStore(time.Hour), transactions.WithOrg("ShanghaiMSP"))
	s := submission("")
	s.Orgs = transactions.Orgs{Named: []string{"JiangsuMSP", "ZhejiangMSP"}}
	_, err := m.Submit(context.Background(), s)
	require.NoError(t, err)
	calls := fake.CallsTo(function)
	require.Len(t, calls, 1)
	assert.Equal(t, []string{"JiangsuMSP", "ZhejiangMSP"}, calls[0].Options.EndorsingOrganizations)
}
