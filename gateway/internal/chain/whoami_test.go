package chain_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
)

// A background worker reads as whom it acts until the ledger answers, with every failure reported, and gives up
// only when it is told to stop.
func TestAwaitWhoAmIReadsUntilTheLedgerAnswers(t *testing.T) {
	f := chaintest.New()
	calls := 0
	f.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
		calls++
		if calls < 3 {
			return chaintest.Response{}, errors.New("peer unavailable")
		}
		return chaintest.Response{Result: []byte(`{"id":"op","roles":["operator"],"region":"shanghai"}`)}, nil
	})
	var failures []error
	me := chain.AwaitWhoAmI(context.Background(), f, "User1", time.Millisecond, func(err error) { failures = append(failures, err) })
	require.NotNil(t, me)
	assert.Equal(t, "shanghai", me.Region)
	assert.Len(t, failures, 2)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f.Handle("participants:WhoAmI", func(chaintest.Call) (chaintest.Response, error) {
		return chaintest.Response{}, errors.New("peer unavailable")
	})
	assert.Nil(t, chain.AwaitWhoAmI(ctx, f, "User1", time.Hour, func(error) {}), "told to stop")

	f.Handle("participants:WhoAmI", func(chaintest.Call) (chaintest.Response, error) {
		return chaintest.Response{Result: []byte(`["not", "a participant"]`)}, nil
	})
	_, err := chain.WhoAmI(context.Background(), f, "User1")
	assert.ErrorContains(t, err, "something other than a participant")
}
