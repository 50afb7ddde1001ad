package client

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// Clients that share a session ask every gateway for the highest block any
// of them has seen; a client with its own session does not carry another's.
func TestSessionCarriesTheLastBlockSeen(t *testing.T) {
	block := "0"
	handler := func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set(model.LedgerBlockHeader, block)
		reply(w, 200, map[string]any{"id": "p-1"})
	}
	shared := NewSession()
	seller := newGW(t, handler, WithSession(shared))
	buyer := newGW(t, handler, WithSession(shared))
	loner := newGW(t, handler)
	ctx := context.Background()

	_, err := buyer.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	assert.Empty(t, buyer.requests()[0].Header.Get(model.MinBlockHeader), "nothing seen yet, nothing asked")

	block = "12" // the seller's step committed in block 12
	_, err = seller.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	block = "9" // an answer from a peer further behind does not lower it
	_, err = buyer.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	_, err = buyer.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	reqs := buyer.requests()
	assert.Equal(t, "12", reqs[1].Header.Get(model.MinBlockHeader), "the buyer's next step waits for the seller's block")
	assert.Equal(t, "12", reqs[2].Header.Get(model.MinBlockHeader))
	got, ok := shared.Block()
	assert.True(t, ok)
	assert.Equal(t, uint64(12), got)

	_, err = loner.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	assert.Empty(t, loner.requests()[0].Header.Get(model.MinBlockHeader), "another session is not carried")

	resumed := newGW(t, handler, WithSession(ResumeSession(30)))
	_, err = resumed.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	assert.Equal(t, "30", resumed.requests()[0].Header.Get(model.MinBlockHeader))

	_, ok = NewSession().Block()
	assert.False(t, ok)
	s := ResumeSession(0)
	b, ok := s.Block()
	assert.True(t, ok, "block 0 is a block")
	assert.Zero(t, b)
}

// A client in another session shares the gateway and member of the client
// it comes from, and carries that session only: a conversation's blocks
// neither reach the original client nor come from it.
func TestAClientInAnotherSession(t *testing.T) {
	block := "5"
	handler := func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set(model.LedgerBlockHeader, block)
		reply(w, 200, map[string]any{"id": "p-1"})
	}
	gw := newGW(t, handler)
	ctx := context.Background()
	_, err := gw.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)

	conversation := NewSession()
	inConversation := gw.c.InSession(conversation)
	assert.Same(t, conversation, inConversation.Session())
	block = "20"
	_, err = inConversation.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	_, err = inConversation.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	_, err = gw.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)

	reqs := gw.requests()
	require.Len(t, reqs, 4, "the same gateway")
	assert.Empty(t, reqs[1].Header.Get(model.MinBlockHeader), "the conversation had seen nothing of the client's block 5")
	assert.Equal(t, "20", reqs[2].Header.Get(model.MinBlockHeader))
	assert.Equal(t, reqs[0].Header.Get("Authorization"), reqs[2].Header.Get("Authorization"), "the same member")
	assert.Equal(t, "5", reqs[3].Header.Get(model.MinBlockHeader), "the client keeps its own session")
}

// A gateway's X-Ledger-Block counts only on a success, and a block one
// gateway named far ahead costs each other gateway one refusal: its refusal
// names its own last block, the session lowers its block to it and the
// request is sent again. A gateway's refusal of a block it named itself
// lowers nothing: through one gateway, the member reads its writes.
func TestAGatewayCannotHoldASessionHostage(t *testing.T) {
	const far = "999999999999"
	shared := NewSession()
	hostileStatus := 401
	hostile := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set(model.LedgerBlockHeader, far)
		if hostileStatus != 200 {
			fail(w, hostileStatus, "UNAUTHENTICATED", "no")
			return
		}
		reply(w, 200, map[string]any{"id": "p-1"})
	}, WithSession(shared))
	// An honest gateway at block 99, refusing as package api's consistent does.
	honestHeight := uint64(100)
	honest := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set(model.LedgerBlockHeader, strconv.FormatUint(honestHeight-1, 10))
		if v := r.Header.Get(model.MinBlockHeader); v != "" {
			if b, _ := strconv.ParseUint(v, 10, 64); b >= honestHeight {
				w.Header().Set("Retry-After", "1")
				fail(w, 503, "UNAVAILABLE", "this region's peer has not yet committed block "+v)
				return
			}
		}
		reply(w, 200, map[string]any{"id": "p-1"})
	}, WithSession(shared))
	ctx := context.Background()

	_, err := honest.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	_, err = hostile.c.Participants().Get(ctx, "p-1")
	require.Error(t, err)
	b, _ := shared.Block()
	assert.Equal(t, uint64(99), b, "a refusal's block is no block seen")

	hostileStatus = 200
	_, err = hostile.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	b, _ = shared.Block()
	require.Equal(t, uint64(999999999999), b)
	before := len(honest.requests())
	_, err = honest.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err, "the honest gateway's refusal lowers the hostile one's block, and the read is sent again")
	reqs := honest.requests()[before:]
	require.Len(t, reqs, 2)
	assert.Equal(t, far, reqs[0].Header.Get(model.MinBlockHeader))
	assert.Equal(t, "99", reqs[1].Header.Get(model.MinBlockHeader))
	assert.Empty(t, honest.sleeps, "sent again at once")
	b, _ = shared.Block()
	assert.Equal(t, uint64(99), b)

	// A submit too: the gateway refused it before running it.
	_, err = hostile.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	before = len(honest.requests())
	_, err = honest.c.Participants().Suspend(ctx, "p-1", "audit")
	require.NoError(t, err)
	assert.Len(t, honest.requests()[before:], 2)

	// The honest gateway's own block: its refusal of it (its peer replaced by
	// one behind) lowers nothing, and the member is told.
	honestHeight = 150
	_, err = honest.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	honestHeight = 120
	_, err = honest.c.Participants().Get(ctx, "p-1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "block 149")
	b, _ = shared.Block()
	assert.Equal(t, uint64(149), b, "a gateway cannot lower the block it named")

	// A resumed block (the CLI's file) came from no gateway here.
	resumed := NewSession()
	resumed.Observe(999999999999)
	_, err = honest.c.InSession(resumed).Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	b, _ = resumed.Block()
	assert.Equal(t, uint64(119), b)
}

// Before, a gateway's refusal lowered the session's block to the one it
// named whenever that block came from another gateway: a hostile gateway
// answering an instant 503 naming block 0 lowered the block of the member's
// own write through an honest gateway, and the next read through a third
// region no longer waited for it. A refusal now discards only the blocks
// other gateways named as high as the one asked for, never below the one
// the member's write committed in nor the highest a third gateway named.
func TestAHostileGatewaysRefusalLowersNoHonestBlock(t *testing.T) {
	shared := NewSession()
	named := "149"
	writer := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set(model.LedgerBlockHeader, named)
		reply(w, 200, map[string]any{"id": "p-1"})
	}, WithSession(shared))
	hostile := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set(model.LedgerBlockHeader, "0")
		fail(w, 503, "UNAVAILABLE", "this region's peer has not yet committed block "+r.Header.Get(model.MinBlockHeader))
	}, WithSession(shared))
	reader := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set(model.LedgerBlockHeader, "120")
		reply(w, 200, map[string]any{"id": "p-1"})
	}, WithSession(shared))
	ctx := context.Background()

	_, err := writer.c.Participants().Suspend(ctx, "p-1", "audit") // the member's write, block 149
	require.NoError(t, err)
	_, err = hostile.c.Participants().Get(ctx, "p-1")
	require.Error(t, err)
	b, _ := shared.Block()
	assert.Equal(t, uint64(149), b, "the block the member's write committed in stays")
	_, err = reader.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	reqs := reader.requests()
	assert.Equal(t, "149", reqs[len(reqs)-1].Header.Get(model.MinBlockHeader), "the read waits for the member's write")

	// A read's block, named by two gateways: the second vouches for the first's.
	named = "170"
	_, err = writer.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	other := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set(model.LedgerBlockHeader, "180")
		reply(w, 200, map[string]any{"id": "p-1"})
	}, WithSession(shared))
	_, err = other.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	_, err = hostile.c.Participants().Get(ctx, "p-1") // discards the 180 one gateway alone named
	require.Error(t, err)
	b, _ = shared.Block()
	assert.Equal(t, uint64(170), b, "never below the block a third gateway named")
	_, err = other.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	named = "180"
	_, err = writer.c.Participants().Get(ctx, "p-1")
	require.NoError(t, err)
	_, err = hostile.c.Participants().Get(ctx, "p-1")
	require.Error(t, err)
	b, _ = shared.Block()
	assert.Equal(t, uint64(180), b, "a block two gateways named stays")
}
