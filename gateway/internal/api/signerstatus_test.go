package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/gateway/wire"
)

// sentBySigner is an env whose gateway looks transactions up on the channel (as its reading identity does) and in
// which stray, a member who signs itself, had its signed transaction of assets:Apply sent for ordering, the answer
// then lost (it never signed the commit step); it returns the env and the transaction's ID.
func sentBySigner(t *testing.T) (*env, string) {
	t.Helper()
	e := newEnv(t)
	e.serve(chaintest.Finder{Fake: e.fake})
	return e, sendAsStray(t, e).TransactionID
}

// sendAsStray has stray, a member who signs itself, send its signed transaction of assets:Apply through e's gateway
// as served, the answer then lost (it has not signed the commit step); it returns that step.
func sendAsStray(t *testing.T, e *env) wire.SigningStepBody {
	t.Helper()
	e.fake.Returns("assets:Apply", map[string]string{"id": "a1", "status": "PENDING_REVIEW"})
	s := step(t, e.do("", "POST", "/v1/assets", applyBody, clientCert(e.stray)))
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	require.Equal(t, "commit", s.Step)
	return s
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

// senderIndex is a ledger index fed from the blocks of e's fake chain, which counts its lookups of transactions'
// senders by transaction ID.
type senderIndex struct {
	*index.Index
	mu      sync.Mutex
	lookups map[string]int
}

// SentBy implements transactions.Senders.
func (x *senderIndex) SentBy(ctx context.Context, transactionID, sender string) (*chain.Status, bool, error) {
	x.mu.Lock()
	x.lookups[transactionID]++
	x.mu.Unlock()
	return x.Index.SentBy(ctx, transactionID, sender)
}

func newSenderIndex(t *testing.T, e *env) *senderIndex {
	t.Helper()
	idx, err := index.Open(index.Store{Path: filepath.Join(t.TempDir(), "market-index.db")}, index.WithBatch(10, time.Millisecond))
	require.NoError(t, err)
	feedIndex(t, idx, e.fake)
	return &senderIndex{Index: idx, lookups: map[string]int{}}
}

// indexed commits tx in a block of e's chain, created by the certificate of by, and waits for x to have read it.
func (x *senderIndex) indexed(t *testing.T, e *env, tx string, by wallettest.Issued) {
	t.Helper()
	b := e.fake.Chain().Add(chain.Transaction{ID: tx, Creator: by.CertPEM()})
	require.NoError(t, x.WaitFor(context.Background(), b.Number), "the index did not read the transaction's block")
}

// caughtUp adds blocks to e's chain up to the height of e's peer (the fake's commits), and waits for x to have read
// them: the index has read every block the peer holds.
func (x *senderIndex) caughtUp(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	height, err := e.fake.Height(ctx)
	require.NoError(t, err)
	for read, _ := e.fake.Chain().Height(ctx); read < height; read++ {
		e.fake.Chain().Add()
	}
	require.NoError(t, x.WaitFor(ctx, height-1), "the index did not catch up with the peer")
}

// requireAnsweredAsCatchingUp requires that the status of tx, asked by the member who signs itself as, is answered
// 503 (to retry after a second), exactly as an ID nobody sent: the gateway's ledger index is catching up.
func requireAnsweredAsCatchingUp(t *testing.T, e *env, tx string, as wallettest.Issued) {
	t.Helper()
	requireAnsweredAsNobodysID(t, e, tx, "", http.StatusServiceUnavailable, clientCert(as))
	r := e.do("", "GET", "/v1/transactions/"+tx, "", clientCert(as))
	assert.Equal(t, "1", r.Header.Get("Retry-After"))
	body := r.errorBody(t)
	assert.Equal(t, "UNAVAILABLE", body.Code)
	assert.Contains(t, body.Message, "the gateway's ledger index is catching up with the channel")
}

// After a restart the gateway no longer remembers what it sent; the ledger index names the sender of a committed
// transaction by the digest of its creator's certificate: the member still gets its status once the index has read
// its block, and another key of its identity, or another member, not.
func TestAMemberWhoSignsItselfFollowsItsCommittedTransactionAfterARestart(t *testing.T) {
	e, tx := sentBySigner(t)
	x := newSenderIndex(t, e)
	e.serve(chaintest.Finder{Fake: e.fake}, api.WithMarketIndex(x))
	x.caughtUp(t, e)
	requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.stray)) // in no block the index, caught up with the peer, has read

	x.indexed(t, e, tx, e.stray)
	st := statusOf(t, e, tx, clientCert(e.stray))
	assert.True(t, st.Committed)
	assert.True(t, st.Valid)
	assert.Equal(t, "VALID", st.Code)
	assert.Empty(t, st.Result, "the result is kept in memory only")
	requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.strayOtherKey))
	requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.stray2))

	// A gateway without a ledger index answers after a restart only what it sent since.
	e.serve(chaintest.Finder{Fake: e.fake})
	requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.stray))
}

// countingLedger is chaintest.Finder counting what it is asked of transactions, by transaction ID: commit statuses
// and lookups on the channel (a block read from the peer).
type countingLedger struct {
	chaintest.Finder
	mu    sync.Mutex
	asked map[string]int
}

// CommitStatus implements chain.Ledger.
func (l *countingLedger) CommitStatus(ctx context.Context, member, transactionID string) (*chain.Status, error) {
	l.count(transactionID)
	return l.Finder.CommitStatus(ctx, member, transactionID)
}

// Find implements chain.Finder.
func (l *countingLedger) Find(ctx context.Context, transactionID string) (*chain.Status, error) {
	l.count(transactionID)
	return l.Finder.Find(ctx, transactionID)
}

func (l *countingLedger) count(transactionID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.asked[transactionID]++
}

// A member who signs itself asking for the status of another member's committed transaction costs the gateway
// exactly what an ID nobody sent costs: one lookup in the ledger index each time, and nothing of the peer (no block
// read, no commit status), the first time as the next. The time of the answer, as its body, tells nobody which IDs
// are committed.
func TestAnotherMembersCommittedTransactionCostsWhatAnUnknownIDCosts(t *testing.T) {
	e, tx := sentBySigner(t)
	x := newSenderIndex(t, e)
	ledger := &countingLedger{Finder: chaintest.Finder{Fake: e.fake}, asked: map[string]int{}}
	e.serve(ledger, api.WithMarketIndex(x))
	x.indexed(t, e, tx, e.stray)
	x.caughtUp(t, e)
	nobodys := strings.Repeat("0", 64) // requireAnsweredAsUnknown's

	for _, as := range []wallettest.Issued{e.stray2, e.strayOtherKey} {
		for range 3 {
			requireAnsweredAsUnknown(t, e, tx, "", clientCert(as))
		}
	}
	ledger.mu.Lock()
	assert.Zero(t, ledger.asked[tx], "another's committed transaction: nothing asked of the peer")
	assert.Zero(t, ledger.asked[nobodys], "an unknown ID: nothing asked of the peer")
	ledger.mu.Unlock()
	x.mu.Lock()
	assert.Equal(t, 6, x.lookups[tx], "one index lookup per question")
	assert.Equal(t, x.lookups[nobodys], x.lookups[tx], "the same lookups for an unknown ID")
	x.mu.Unlock()
}

// Fabric answers the status of a transaction ID by its first copy in the chain. An org whose peer endorsed a member's
// proposal knows its ID before it is ordered, and can have a copy of that ID under its own creator ordered first in
// the same block: invalid (BAD_PROPOSAL_TXID), and no duplicate of the member's copy, which commits valid after it.
// The member reads the status of its own copy, which the ledger index keeps by its sender, not the attacker's copy's
// that the peer answers: a valid transaction read as invalid would be sent again, and run twice.
func TestAnotherSendersCopyOfItsIDDoesNotReadAsTheMembersStatus(t *testing.T) {
	e := newEnv(t)
	x := newSenderIndex(t, e)
	e.serve(chaintest.Finder{Fake: e.fake}, api.WithMarketIndex(x))
	s, b := frontRun(t, e, x)
	tx := s.TransactionID

	st := statusOf(t, e, tx, clientCert(e.stray))
	assert.True(t, st.Valid, "the member's own copy committed valid")
	assert.Equal(t, "VALID", st.Code)
	assert.Equal(t, b.Number, st.BlockNumber)
	assert.JSONEq(t, `{"id":"a1","status":"PENDING_REVIEW"}`, string(st.Result), "its own transaction's result")

	st = statusOf(t, e, tx, clientCert(e.stray2))
	assert.False(t, st.Valid, "the attacker reads its own copy only")
	assert.Equal(t, "BAD_PROPOSAL_TXID", st.Code)
	assert.Empty(t, st.Result)
}

// frontRun has stray send its transaction through e's gateway (served with x), and commits its ID as frontRunID
// does. It returns stray's commit step and the block.
func frontRun(t *testing.T, e *env, x *senderIndex) (wire.SigningStepBody, *chain.Block) {
	t.Helper()
	s := sendAsStray(t, e)
	return s, frontRunID(t, e, x, s.TransactionID, e.stray)
}

// frontRunID commits in one block of e's chain first a copy of tx under stray2's creator (invalid,
// BAD_PROPOSAL_TXID), then sender's own, valid, and has the peer answer the first copy's status. It returns the
// block, which x has read.
func frontRunID(t *testing.T, e *env, x *senderIndex, tx string, sender wallettest.Issued) *chain.Block {
	t.Helper()
	b := e.fake.Chain().Add(chain.Transaction{ID: tx, Creator: e.stray2.CertPEM(), ValidationCode: "BAD_PROPOSAL_TXID"},
		chain.Transaction{ID: tx, Creator: sender.CertPEM()})
	require.NoError(t, x.WaitFor(context.Background(), b.Number))
	e.fake.SetStatus(chain.Status{TransactionID: tx, Committed: true, Code: "BAD_PROPOSAL_TXID", BlockNumber: b.Number})
	return b
}

// The commit-status step of a member who signs itself is answered by the peer, which reads an ID's first copy: a
// copy of its ID that an endorsing org had ordered first under its own creator, invalid, does not end the member's
// valid call as failed (its outcome, answered again to a retry with its Idempotency-Key, would have had it send the
// request again): the ledger index names the member's own copy in that block.
func TestAnotherSendersCopyOfItsIDDoesNotFailTheMembersCall(t *testing.T) {
	e := newEnv(t)
	x := newSenderIndex(t, e)
	e.serve(chaintest.Finder{Fake: e.fake}, api.WithMarketIndex(x))
	s, b := frontRun(t, e, x)

	r := e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s)))
	require.Equal(t, http.StatusCreated, r.Status, "body: %s", r.Body)
	var out wire.SubmitBody
	require.NoError(t, json.Unmarshal(r.Body, &out))
	assert.Equal(t, b.Number, out.BlockNumber)
	assert.JSONEq(t, `{"id":"a1","status":"PENDING_REVIEW"}`, string(out.Result))
}

// While the ledger index has not read every block the peer holds (after a restart, while it reprojects the channel
// from block 0, or lagging), the member's own committed transaction that it has not read yet is not unknown (the
// member would take it for never sent, send it again, and run its call twice): every ID is answered the same 503, to
// retry shortly, its own as another member's and one nobody sent, so that the answer tells nobody which IDs are
// committed. Once the index has caught up, its own transaction is answered and any other ID is unknown.
func TestAnIndexBehindThePeerAnswersEveryIDAlikeUntilItCatchesUp(t *testing.T) {
	e, tx := sentBySigner(t)
	x := newSenderIndex(t, e)
	e.serve(chaintest.Finder{Fake: e.fake}, api.WithMarketIndex(x)) // a restart: the gateway forgot what it sent
	requireAnsweredAsCatchingUp(t, e, tx, e.stray)                  // committed, its block not read by the index yet
	requireAnsweredAsCatchingUp(t, e, tx, e.stray2)

	x.indexed(t, e, tx, e.stray) // read, the index still behind the peer
	st := statusOf(t, e, tx, clientCert(e.stray))
	assert.True(t, st.Committed)
	assert.True(t, st.Valid)
	requireAnsweredAsCatchingUp(t, e, tx, e.stray2)
	requireAnsweredAsCatchingUp(t, e, tx, e.strayOtherKey)

	x.caughtUp(t, e)
	assert.True(t, statusOf(t, e, tx, clientCert(e.stray)).Committed)
	requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.stray2))
	requireAnsweredAsUnknown(t, e, tx, "", clientCert(e.strayOtherKey))
}

// A member's own transaction, committed in a block the gateway's ledger index has not read, is answered as catching
// up, not unknown, from the first request after a start, when the gateway has not learnt its peer's height yet.
func TestTheFirstStatusAfterAStartWaitsForThePeersHeight(t *testing.T) {
	e, tx := sentBySigner(t)
	x := newSenderIndex(t, e)
	e.serve(chaintest.Finder{Fake: e.fake}, api.WithMarketIndex(x))
	r := e.do("", "GET", "/v1/transactions/"+tx, "", clientCert(e.stray))
	assert.Equal(t, http.StatusServiceUnavailable, r.Status, "body: %s", r.Body)
}
