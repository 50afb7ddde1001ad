package transactions_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
)

func TestFirstRequestGetsATicketAndRetriesGetTheOutcome(t *testing.T) {
	s := transactions.NewStore(time.Hour)
	ctx := context.Background()
	o, ticket, err := s.Begin(ctx, "k", "fp")
	require.NoError(t, err)
	require.Nil(t, o)
	require.NotNil(t, ticket)
	require.NoError(t, ticket.Complete(transactions.Outcome{Fingerprint: "fp", TransactionID: "tx-a", Committed: true, Result: []byte(`{"a":1}`)}))

	o, ticket, err = s.Begin(ctx, "k", "fp")
	require.NoError(t, err)
	require.Nil(t, ticket)
	assert.Equal(t, "tx-a", o.TransactionID)
	assert.JSONEq(t, `{"a":1}`, string(o.Result))

	_, _, err = s.Begin(ctx, "k", "other")
	assert.ErrorIs(t, err, transactions.ErrKeyReused)
}

func TestAbandonLetsARetryRun(t *testing.T) {
	s := transactions.NewStore(time.Hour)
	_, ticket, _ := s.Begin(context.Background(), "k", "fp")
	ticket.Abandon()
	o, ticket, err := s.Begin(context.Background(), "k", "fp")
	require.NoError(t, err)
	assert.Nil(t, o)
	assert.NotNil(t, ticket)
}

func TestDuplicatesWaitForTheRunningRequest(t *testing.T) {
	s := transactions.NewStore(time.Hour)
	_, ticket, _ := s.Begin(context.Background(), "k", "fp")
	var wg sync.WaitGroup
	outcomes := make([]*transactions.Outcome, 3)
	for i := range outcomes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, tk, err := s.Begin(context.Background(), "k", "fp")
			assert.NoError(t, err)
			assert.Nil(t, tk)
			outcomes[i] = o
		}()
	}
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, ticket.Complete(transactions.Outcome{Fingerprint: "fp", Committed: true, Result: []byte(`1`)}))
	wg.Wait()
	for _, o := range outcomes {
		require.NotNil(t, o)
		assert.True(t, o.Committed)
	}
}

func TestWaitingDuplicateGivesUpWithItsContext(t *testing.T) {
	s := transactions.NewStore(time.Hour)
	_, _, _ = s.Begin(context.Background(), "k", "fp")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, _, err := s.Begin(ctx, "k", "fp")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestOutcomesExpire(t *testing.T) {
	now := time.Now()
	s := transactions.NewStore(time.Minute, transactions.WithClock(func() time.Time { return now }))
	_, ticket, _ := s.Begin(context.Background(), "k", "fp")
	require.NoError(t, ticket.Complete(transactions.Outcome{Fingerprint: "fp", Committed: true}))
	now = now.Add(2 * time.Minute)
	o, ticket, err := s.Begin(context.Background(), "k", "fp")
	require.NoError(t, err)
	assert.Nil(t, o)
	assert.NotNil(t, ticket)
	s.Sweep()
}

// openStore opens the file store at path, as a gateway does when it starts;
// it is closed when the test ends, if the test has not closed it.
func openStore(t *testing.T, path string) *transactions.Store {
	t.Helper()
	s, err := transactions.OpenStore(path, time.Hour)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestFileStoreSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idem.jsonl")
	s := openStore(t, path)
	_, ticket, _ := s.Begin(context.Background(), "k", "fp")
	require.NoError(t, ticket.Complete(transactions.Outcome{Fingerprint: "fp", TransactionID: "tx", Failure: &chain.Error{Kind: chain.KindOutcomeUnknown, TransactionID: "tx"}}))
	require.NoError(t, s.Update("k", transactions.Outcome{Fingerprint: "fp", TransactionID: "tx", Committed: true, BlockNumber: 7, Result: []byte(`{}`)}))
	require.NoError(t, s.Close())

	o, ticket, err := openStore(t, path).Begin(context.Background(), "k", "fp")
	require.NoError(t, err)
	require.Nil(t, ticket)
	assert.True(t, o.Committed && !o.Pending(), "the latest outcome wins")
	assert.Equal(t, uint64(7), o.BlockNumber)
}

// TestTransactionIndex checks that outcomes are found by transaction ID until
// they expire, and that the index keeps only the latest transactions.
func TestTransactionIndex(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	s := transactions.NewStore(time.Minute, transactions.WithClock(func() time.Time { return now }))
	s.Remember(transactions.Outcome{Member: "alice", TransactionID: "tx-1", Result: []byte(`{"n":1}`)})
	s.Remember(transactions.Outcome{Member: "alice"}) // no transaction: nothing to index
	o, ok := s.Transaction("tx-1")
	require.True(t, ok)
	assert.Equal(t, "alice", o.Member)
	assert.JSONEq(t, `{"n":1}`, string(o.Result))
	_, ok = s.Transaction("tx-2")
	assert.False(t, ok)

	now = now.Add(2 * time.Hour)
	_, ok = s.Transaction("tx-1")
	assert.False(t, ok, "an hour later the result is forgotten")
	s.Sweep()
}

// TestFileStoreKeepsAFailureWithItsCause checks that a refused submission,
// whose ledger error wraps the peer's error, is read back after a restart
// (the cause, which has no JSON form, is not stored).
func TestFileStoreKeepsAFailureWithItsCause(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idem.jsonl")
	s := openStore(t, path)
	_, ticket, _ := s.Begin(context.Background(), "k", "fp")
	failure := &chain.Error{Kind: chain.KindRejected, Code: "NOT_FOUND", Field: "assetId", Message: "no asset a-1",
		TransactionID: "tx", Cause: errors.New("endorsement refused")}
	require.NoError(t, ticket.Complete(transactions.Outcome{Fingerprint: "fp", TransactionID: "tx", Failure: failure}))
	require.NoError(t, s.Close())

	o, ticket, err := openStore(t, path).Begin(context.Background(), "k", "fp")
	require.NoError(t, err)
	require.Nil(t, ticket, "the refusal is answered again, not run again")
	require.NotNil(t, o.Failure)
	assert.Equal(t, chain.KindRejected, o.Failure.Kind)
	assert.EqualValues(t, "NOT_FOUND", o.Failure.Code)
	assert.Equal(t, "assetId", o.Failure.Field)
	assert.Equal(t, "no asset a-1", o.Failure.Message)
}

// Alice submits without waiting for the commit (202, her result only through GET /v1/transactions/{txid}); another
// member's maxTransactions (10,000) submits after hers, about 100 s of its write budget, leave her result in the index:
// the member holding the most loses its own oldest. (One FIFO shared by every member let them push hers out, and her
// status no longer carried her result.)
func TestAnotherMembersSubmitsDoNotEvictAMembersResult(t *testing.T) {
	fake := chaintest.New()
	fake.Returns("assets:Apply", map[string]string{"id": "a-1"})
	m := transactions.New(fake, transactions.NewStore(time.Hour))
	submit := func(member string) string {
		o, err := m.Submit(context.Background(), transactions.Submission{Call: transactions.Call{Member: member, Function: "assets:Apply"}})
		require.NoError(t, err)
		return o.TransactionID
	}
	alices := submit("alice")
	var mallorys []string
	for range 10000 {
		mallorys = append(mallorys, submit("mallory"))
	}
	st, err := m.Status(context.Background(), "alice", "", alices)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"a-1"}`, string(st.Result), "alice reads her result")
	st, err = m.Status(context.Background(), "mallory", "", mallorys[len(mallorys)-1])
	require.NoError(t, err)
	assert.NotEmpty(t, st.Result, "mallory reads her last")
	st, err = m.Status(context.Background(), "mallory", "", mallorys[0])
	require.NoError(t, err)
	assert.Empty(t, st.Result, "mallory's first is pushed out by her own: the index stays bounded")
}
