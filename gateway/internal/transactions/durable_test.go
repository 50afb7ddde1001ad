package transactions

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// storeOn opens a store of a new file, closed when the test ends, and puts
// the file wrap makes of its log file in its place: a disk the test watches.
func storeOn[F logFile](t *testing.T, wrap func(logFile) F) (*Store, F) {
	t.Helper()
	s, err := OpenStore(filepath.Join(t.TempDir(), "idem.jsonl"), time.Hour)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	f := wrap(s.file)
	s.file = f
	return s, f
}

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
	s, f := storeOn(t, func(file logFile) *syncLog { return &syncLog{logFile: file} })
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

// slowDisk is a file whose fsync takes a while and which remembers, for
// every record, whether an fsync that started after it was written has
// ended.
type slowDisk struct {
	logFile
	mu      sync.Mutex
	lines   []string
	durable int // lines on disk
	syncs   int
}

func (f *slowDisk) Write(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lines = append(f.lines, string(b))
	return f.logFile.Write(b)
}

func (f *slowDisk) Sync() error {
	f.mu.Lock()
	written := len(f.lines)
	f.mu.Unlock()
	time.Sleep(20 * time.Millisecond)
	err := f.logFile.Sync()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.syncs++
	f.durable = max(f.durable, written)
	return err
}

// onDisk reports whether the record of key is on disk.
func (f *slowDisk) onDisk(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, l := range f.lines {
		if strings.Contains(l, `"key":"`+key+`"`) {
			return i < f.durable
		}
	}
	return false
}

// Concurrent requests share fsyncs (a group commit) instead of queueing one
// each behind the store's lock, and still none returns before its own
// record is on disk.
func TestConcurrentRecordsShareTheirSyncs(t *testing.T) {
	s, f := storeOn(t, func(file logFile) *slowDisk { return &slowDisk{logFile: file} })
	const n = 40
	var wg sync.WaitGroup
	notDurable := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			key := "k" + strconv.Itoa(i)
			_, ticket, err := s.Begin(context.Background(), key, "fp")
			if err != nil {
				notDurable <- key + ": " + err.Error()
				return
			}
			if err := ticket.Complete(Outcome{Fingerprint: "fp", TransactionID: "tx-" + key}); err != nil || !f.onDisk(key) {
				notDurable <- key
			}
		})
	}
	wg.Wait()
	close(notDurable)
	var late []string
	for k := range notDurable {
		late = append(late, k)
	}
	assert.Empty(t, late, "every call returns after its record is on disk")
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Less(t, f.syncs, n/2, "the %d records share their fsyncs", n)
}
