package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/wire"
)

// sentBySigner is an env whose gateway looks transactions up on the channel (as its reading identity does) and in
// which stray, a member who signs itself, had its signed transaction of assets:Apply sent for ordering, the answer
// then lost (it never signed the commit step); it returns the env and the transaction's ID.
func sentBySigner(t *testing.T) (*env, string) {
	t.Helper()
	e := newEnv(t)
	e.serve(chaintest.Finder{Fake: e.fake})
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1", "status": "PENDING_REVIEW"})
	s := step(t, e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray)))
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	require.Equal(t, "commit", s.Step)
	return e, s.TransactionID
}

// statusOf is the transaction status answered to a member who signs itself, which must be a 200.
func statusOf(t *testing.T, e *env, tx string, as reqOption) wire.TransactionStatusBody {
	t.Helper()
	r := e.do("", "GET", "/v1/transactions/"+tx, "", as)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	var st wire.TransactionStatusBody
	require.NoError(t, json.Unmarshal(r.Body, &st))
	return st
}

// A member who signs itself follows the commit status of the transaction it sent (its own commit-status step lost):
// pending, committed with the endorsed result, committed invalid. It signs nothing for it.
func TestAMemberWhoSignsItselfFollowsItsOwnTransaction(t *testing.T) {
	e, tx := sentBySigner(t)
	signed := e.fake.SignedSteps()

	st := statusOf(t, e, tx, clientCert(e.stray))
	assert.True(t, st.Committed)
	assert.True(t, st.Valid)
	assert.NotZero(t, st.BlockNumber)
	assert.JSONEq(t, `{"id":"a1","status":"PENDING_REVIEW"}`, string(st.Result), "its own transaction's result")

	e.fake.SetStatus(chain.Status{TransactionID: tx})
	st = statusOf(t, e, tx, clientCert(e.stray))
	assert.False(t, st.Committed, "pending: it may still commit")

	e.fake.SetStatus(chain.Status{TransactionID: tx, Committed: true, Code: "MVCC_READ_CONFLICT", BlockNumber: 12})
	st = statusOf(t, e, tx, clientCert(e.stray))
	assert.True(t, st.Committed)
	assert.False(t, st.Valid)
	assert.Equal(t, "MVCC_READ_CONFLICT", st.Code)
	assert.Empty(t, st.Result)
	assert.Equal(t, signed, e.fake.SignedSteps(), "the member signed nothing more")
}

// A transaction whose ordering answer was lost (OUTCOME_UNKNOWN) may have been ordered: its sender follows it.
func TestAMemberWhoSignsItselfFollowsATransactionWhoseOrderingAnswerWasLost(t *testing.T) {
	e := newEnv(t)
	e.serve(chaintest.Finder{Fake: e.fake})
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1"})
	s := step(t, e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray)))
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	e.fake.FailNextSelfSignedSubmit(&chain.Error{Kind: chain.KindOutcomeUnknown, TransactionID: s.TransactionID, Message: "quorum not reached"})
	r := e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s)))
	require.Equal(t, http.StatusGatewayTimeout, r.Status, "body: %s", r.Body)

	assert.False(t, statusOf(t, e, s.TransactionID, clientCert(e.stray)).Committed, "pending, not unknown")
	requireAnsweredAsUnknown(t, e, s.TransactionID, "", clientCert(e.strayOtherKey))
}

// Nobody else learns of a member's transaction: another member who signs itself, and a certificate of the member's
// identity over another key (the registrar's), are answered exactly as for an ID nobody sent, pending or committed.
func TestAnotherMembersTransactionIsUnknownToAMemberWhoSignsItself(t *testing.T) {
	e, tx := sentBySigner(t)
	for _, committed := range []bool{true, false} {
		if !committed {
			e.fake.SetStatus(chain.Status{TransactionID: tx})
		}
		requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.stray2))
		requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.strayOtherKey))
	}
}

// After a restart the gateway no longer remembers what it sent; the block names the sender of a committed
// transaction by its creator's certificate: the member still gets its status, and another key of its identity not.
func TestAMemberWhoSignsItselfFollowsItsCommittedTransactionAfterARestart(t *testing.T) {
	e, tx := sentBySigner(t)
	e.serve(chaintest.Finder{Fake: e.fake})

	st := statusOf(t, e, tx, clientCert(e.stray))
	assert.True(t, st.Committed)
	assert.True(t, st.Valid)
	assert.Empty(t, st.Result, "the result is kept in memory only")
	requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.strayOtherKey))
	requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.stray2))

	// Restarted while the transaction is not committed (yet): nothing names its sender.
	e.fake.SetStatus(chain.Status{TransactionID: tx})
	e.serve(chaintest.Finder{Fake: e.fake})
	requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.stray))
}

// countingFinder is chaintest.Finder counting the blocks it reads, by the transaction looked up.
type countingFinder struct {
	chaintest.Finder
	mu    sync.Mutex
	reads map[string]int
}

// Find implements chain.Finder.
func (f *countingFinder) Find(ctx context.Context, transactionID string) (*chain.Status, error) {
	f.mu.Lock()
	f.reads[transactionID]++
	f.mu.Unlock()
	return f.Finder.Find(ctx, transactionID)
}

// The block of a committed transaction is read once: a member who signs itself asking again for the status of a
// transaction the gateway does not remember sending for it (its own after a restart, or another's) costs the peer
// no further read of a whole block, nor the gateway its parse, however often it asks.
func TestACommittedTransactionsBlockIsReadOnce(t *testing.T) {
	e, tx := sentBySigner(t)
	ledger := &countingFinder{Finder: chaintest.Finder{Fake: e.fake}, reads: map[string]int{}}
	e.serve(ledger)

	for range 3 {
		assert.True(t, statusOf(t, e, tx, clientCert(e.stray)).Committed)
		requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.stray2))
		requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.strayOtherKey))
	}
	ledger.mu.Lock()
	defer ledger.mu.Unlock()
	assert.Equal(t, 1, ledger.reads[tx], "the transaction's block read once")
}
