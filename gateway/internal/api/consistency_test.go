package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/model"
)

// A submit answers the block it committed in; a read answers a block the
// peer had committed before it ran, never one ahead of it.
func TestAnswersNameTheirBlock(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("participants:Suspend", model.Participant{ID: "p-1"})
	e.fake.Returns("participants:Get", model.Participant{ID: "p-1"})
	var last uint64
	for range 3 {
		resp := e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`)
		require.Equal(t, 200, resp.Status, "%s", resp.Body)
		block := uint64(resp.json(t)["block_number"].(float64))
		assert.Equal(t, strconv.FormatUint(block, 10), resp.Header.Get(model.LedgerBlockHeader))
		assert.Greater(t, block, last)
		last = block
	}
	resp := e.do("alice", "GET", "/v1/participants/p-1", "")
	require.Equal(t, 200, resp.Status)
	read, err := strconv.ParseUint(resp.Header.Get(model.LedgerBlockHeader), 10, 64)
	require.NoError(t, err, "a read names its block: %v", resp.Header)
	assert.Equal(t, last, read, "the gateway knows its peer committed the submits' blocks")

	// A retry answered from the idempotency record names the first commit's
	// block, not a newer one.
	key := header("Idempotency-Key", "suspend-once")
	first := e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`, key)
	require.Equal(t, 200, first.Status, "%s", first.Body)
	e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"later"}`)
	again := e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`, key)
	require.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, first.Header.Get(model.LedgerBlockHeader), again.Header.Get(model.LedgerBlockHeader))
	assert.Equal(t, strconv.FormatUint(uint64(first.json(t)["block_number"].(float64)), 10), again.Header.Get(model.LedgerBlockHeader))
}

// A request that needs a block the peer has not committed waits for it, and
// only then reaches the ledger; one whose block does not come in time is
// refused with 503, Retry-After and the peer's last block, and never runs on
// stale state.
func TestMinBlockWaitsForThePeer(t *testing.T) {
	e := newEnv(t, api.WithMinBlockWait(time.Second))
	e.fake.Returns("participants:Get", model.Participant{ID: "p-1"})
	e.fake.Returns("participants:Suspend", model.Participant{ID: "p-1"})
	e.fake.SetHeight(5) // the peer has committed blocks 0 to 4

	resp := e.do("alice", "GET", "/v1/participants/p-1", "", header(model.MinBlockHeader, "4"))
	require.Equal(t, 200, resp.Status, "%s", resp.Body)

	before := len(e.fake.Calls())
	start := time.Now()
	resp = e.do("alice", "GET", "/v1/participants/p-1", "", header(model.MinBlockHeader, "5"))
	require.Equal(t, 503, resp.Status, "%s", resp.Body)
	assert.GreaterOrEqual(t, time.Since(start), time.Second, "it waited the bound")
	assert.Equal(t, "UNAVAILABLE", resp.errorBody(t).Code)
	assert.Contains(t, resp.errorBody(t).Message, "block 5")
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	assert.Equal(t, "4", resp.Header.Get(model.LedgerBlockHeader),
		"the refusal names the last block the peer has, for a client whose block another gateway named to lower it")
	assert.Len(t, e.fake.Calls(), before, "nothing ran on a peer behind the caller")

	go func() {
		time.Sleep(300 * time.Millisecond)
		e.fake.SetHeight(7)
	}()
	resp = e.do("admin", "POST", "/v1/participants/p-1/suspend", `{"reason":"audit"}`, header(model.MinBlockHeader, "6"))
	require.Equal(t, 200, resp.Status, "the submit ran once the peer caught up: %s", resp.Body)
	calls := e.fake.CallsTo("participants:Suspend")
	require.Len(t, calls, 1)

	for _, bad := range []string{"-1", "x", "1.5", ""} {
		resp := e.do("alice", "GET", "/v1/participants/p-1", "", header(model.MinBlockHeader, bad))
		resp.requireInvalid(t, model.MinBlockHeader, strconv.Quote(bad))
	}
}
