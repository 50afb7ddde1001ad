package transactions_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A transaction the endorsers refused was never sent for ordering: its ID
// names nothing that can commit, so it is unknown (404), to its submitter
// and to anyone else, before and after the gateway restarts, not pending
// for an hour: the status answers no differently for a refused request
// than for an ID no one sent.
func TestARefusedTransactionIsUnknownAfterARestartToo(t *testing.T) {
	const refused = "1111111111111111111111111111111111111111111111111111111111111111"
	path := filepath.Join(t.TempDir(), "outcomes.jsonl")
	fake := chaintest.New()
	fake.Fails(function, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden, TransactionID: refused, Message: "refused"})
	before, err := transactions.OpenStore(path, time.Hour)
	require.NoError(t, err)
	o, err := transactions.New(fake, before).Submit(context.Background(), submission("k"))
	require.NoError(t, err)
	require.NotNil(t, o.Failure)
	require.Equal(t, refused, o.TransactionID)
	for _, member := range []string{"alice", "bob"} {
		requireNotFound(t, transactions.New(orderingLedger{fake}, before, transactions.WithStatusWait(10*time.Millisecond)), member, refused)
	}
	require.NoError(t, before.Close())

	after := openStore(t, path)
	for _, member := range []string{"alice", "bob"} {
		requireNotFound(t, transactions.New(orderingLedger{fake}, after, transactions.WithStatusWait(10*time.Millisecond)), member, refused)
	}
}
