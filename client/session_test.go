package client

import (
	"context"
	"net/http"
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
