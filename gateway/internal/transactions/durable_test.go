package transactions

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncLog records what reaches the store's file and what was synced.
type syncLog struct {
	logFile
	mu       sync.Mutex
	unsynced int // bytes written since the last Sync
	syncs    int
	failSync bool
}

func (f *syncLog) Write(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unsynced += len(b)
	return f.logFile.Write(b)
}

func (f *syncLog) Sync() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failSync {
		return errors.New("disk gone")
	}
	f.unsynced = 0
	f.syncs++
	return f.logFile.Sync()
}

func (f *syncLog) state() (unsynced, syncs int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.unsynced, f.syncs
}

// Every record is on disk when the call that wrote it returns: a pending
// outcome before its transaction is sent for ordering (or a crash of the
// machine would lose its transaction ID, and a retry submit the request
// again), a final outcome before it is answered, a forgotten key before the
// request may run again. A record that cannot be synced is an error, so a
// pending transaction is not sent.
func TestEveryRecordIsSyncedBeforeTheCallReturns(t *testing.T) {
	s, err := OpenStore(filepath.Join(t.TempDir(), "idem.jsonl"), time.Hour)
	require.NoError(t, err)
	defer s.Close()
	f := &syncLog{logFile: s.file}
	s.file = f
	ctx := context.Background()

	_, ticket, err := s.Begin(ctx, "k1", "fp")
	require.NoError(t, err)
	require.NoError(t, ticket.Pending(Outcome{Fingerprint: "fp", TransactionID: "tx1", Transaction: []byte("signed")}))
	unsynced, syncs := f.state()
	assert.Zero(t, unsynced, "the pending outcome is on disk before it is sent")
	assert.Equal(t, 1, syncs)

	require.NoError(t, ticket.Complete(Outcome{Fingerprint: "fp", TransactionID: "tx1", Committed: true, BlockNumber: 3}))
	unsynced, syncs = f.state()
	assert.Zero(t, unsynced, "the final outcome is on disk before it is answered")
	assert.Equal(t, 2, syncs)

	require.NoError(t, s.Update("k1", Outcome{Fingerprint: "fp", TransactionID: "tx1", Committed: true, BlockNumber: 3}))
	unsynced, _ = f.state()
	assert.Zero(t, unsynced)

	_, ticket, err = s.Begin(ctx, "k2", "fp")
	require.NoError(t, err)
	require.NoError(t, ticket.Pending(Outcome{Fingerprint: "fp", TransactionID: "tx2"}))
	ticket.Abandon()
	unsynced, syncs = f.state()
	assert.Zero(t, unsynced, "the forgotten key is on disk before a retry may run the request again")
	assert.Equal(t, 5, syncs)

	f.failSync = true
	_, ticket, err = s.Begin(ctx, "k3", "fp")
	require.NoError(t, err)
	err = ticket.Pending(Outcome{Fingerprint: "fp", TransactionID: "tx3"})
	require.Error(t, err, "a pending outcome that may not be on disk stops the submission")
	assert.True(t, strings.Contains(err.Error(), "disk gone"))
}
