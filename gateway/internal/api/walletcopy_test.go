package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/wire"
)

// A wallet member reads the status of its own copy of its transaction's ID, as a member who signs itself does
// (TestAnotherSendersCopyOfItsIDDoesNotReadAsTheMembersStatus): an org whose peer endorsed the proposal had a copy
// of the ID ordered first in the same block under its own creator, invalid, and the peer answers that copy's status;
// the ledger index names the member's own, valid, with its result. Another member reads the peer's answer.
func TestAnotherSendersCopyOfAWalletMembersIDDoesNotReadAsItsStatus(t *testing.T) {
	e := newEnv(t)
	x := newSenderIndex(t, e)
	e.serve(chaintest.Finder{Fake: e.fake}, api.WithMarketIndex(x))
	e.fake.Returns("participants:Suspend", map[string]string{"id": "p-1", "status": "SUSPENDED"})
	sent := e.do("admin", "POST", "/v1/participants/p-1/suspend?wait=false", `{"reason":"audit"}`)
	require.Equal(t, http.StatusAccepted, sent.Status, "body: %s", sent.Body)
	tx := sent.json(t)["transaction_id"].(string)
	b := frontRunID(t, e, x, tx, e.certs["admin"])

	byKey, byCertificate := e.do("admin", "GET", "/v1/transactions/"+tx, ""), e.do("", "GET", "/v1/transactions/"+tx, "", clientCert(e.certs["admin"]))
	for _, r := range []response{byKey, byCertificate} {
		require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		var st wire.TransactionStatusBody
		require.NoError(t, json.Unmarshal(r.Body, &st))
		assert.True(t, st.Valid, "the member's own copy committed valid")
		assert.Equal(t, "VALID", st.Code)
		assert.Equal(t, b.Number, st.BlockNumber)
		assert.JSONEq(t, `{"id":"p-1","status":"SUSPENDED"}`, string(st.Result), "its own transaction's result")
	}

	r := e.do("bob", "GET", "/v1/transactions/"+tx, "")
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	var st wire.TransactionStatusBody
	require.NoError(t, json.Unmarshal(r.Body, &st))
	assert.False(t, st.Valid, "another member reads the peer's answer, the first copy's")
	assert.Equal(t, "BAD_PROPOSAL_TXID", st.Code)
	assert.Empty(t, st.Result)
}

// frontRunLedger is the fake whose submits wait for the commit as Fabric's do, and find their ID front-run: each
// transaction is committed as frontRunID commits it (under the submitting wallet member's certificate), and the peer
// answers its submitter the first copy's status, invalid.
type frontRunLedger struct {
	chaintest.Finder
	t *testing.T
	e *env
	x *senderIndex
}

// Submit implements chain.Ledger.
func (l frontRunLedger) Submit(ctx context.Context, member, function string, args []string, options ...chain.CallOption) (*chain.Submitted, error) {
	res, err := l.Finder.Submit(ctx, member, function, args, append(options, chain.WithoutCommitWait())...)
	if err != nil {
		return nil, err
	}
	b := frontRunID(l.t, l.e, l.x, res.TransactionID, l.e.certs[member])
	failed := chain.CommitFailed(res.TransactionID, b.Number, "BAD_PROPOSAL_TXID")
	failed.Result = res.Result
	return nil, failed
}

// The commit a wallet member's submit waits for is that of its own copy of the ID, as at a member who signs
// itself's commit step (TestAnotherSendersCopyOfItsIDDoesNotFailTheMembersCall): a copy that an endorsing org had
// ordered first under its own creator, invalid, does not end the member's valid call as failed, nor its retry with
// the same Idempotency-Key.
func TestAnotherSendersCopyOfAWalletMembersIDDoesNotFailItsCall(t *testing.T) {
	e := newEnv(t)
	x := newSenderIndex(t, e)
	e.serve(frontRunLedger{Finder: chaintest.Finder{Fake: e.fake}, t: t, e: e, x: x}, api.WithMarketIndex(x))
	e.fake.Returns("participants:Suspend", map[string]string{"id": "p-1", "status": "SUSPENDED"})

	first := e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`, header("Idempotency-Key", "suspend-p-1"))
	require.Equal(t, http.StatusOK, first.Status, "body: %s", first.Body)
	var out wire.SubmitBody
	require.NoError(t, json.Unmarshal(first.Body, &out))
	assert.JSONEq(t, `{"id":"p-1","status":"SUSPENDED"}`, string(out.Result))
	b, err := e.fake.Chain().Height(context.Background())
	require.NoError(t, err)
	assert.Equal(t, b-1, out.BlockNumber, "its own copy's block")

	again := e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`, header("Idempotency-Key", "suspend-p-1"))
	assert.Equal(t, first.Status, again.Status, "body: %s", again.Body)
	assert.JSONEq(t, string(first.Body), string(again.Body))
}
