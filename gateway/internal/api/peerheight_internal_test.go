package api

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/model"
)

// heightDouble is a peer whose height reads are counted. Gated (answers not
// nil), each read announces itself on began and answers the next height the
// test sends; otherwise it answers height (raised by step after each read)
// or err at once.
type heightDouble struct {
	chain.Ledger

	reads   atomic.Int64
	began   chan struct{}
	answers chan uint64

	mu     sync.Mutex
	height uint64
	step   uint64
	err    error
}

func (d *heightDouble) Height(ctx context.Context) (uint64, error) {
	d.reads.Add(1)
	if d.answers != nil {
		d.began <- struct{}{}
		select {
		case h := <-d.answers:
			return h, nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	h := d.height
	d.height += d.step
	return h, d.err
}

func gatedHeight() *heightDouble {
	return &heightDouble{began: make(chan struct{}, 100), answers: make(chan uint64)}
}

// waitInBackground runs waitFor and hands back its result.
func waitInBackground(ctx context.Context, p *peerHeight, block uint64, wait time.Duration) <-chan error {
	done := make(chan error, 1)
	go func() { done <- p.waitFor(ctx, block, wait, model.MinBlockHeader) }()
	return done
}

// received returns what done hands back, failing the test after a bound far
// beyond any wait the test means (a waiter stuck is a failure, not a delay).
func received(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		require.FailNow(t, "the waiter did not return")
		return nil
	}
}

// Many requests waiting for blocks the peer has not committed share its
// height reads: at most one each heightPoll in all, not one each heightPoll
// per request (64 of them would call the peer 64 times as often).
func TestWaitersShareOneHeightReadPerInterval(t *testing.T) {
	d := &heightDouble{height: 5}
	p := &peerHeight{ledger: d}
	const waiters = 64
	const wait = 6 * heightPoll
	var all []<-chan error
	for i := range waiters {
		all = append(all, waitInBackground(context.Background(), p, uint64(10+i%3), wait))
	}
	for _, done := range all {
		err := received(t, done)
		var e *apiError
		require.ErrorAs(t, err, &e)
		assert.Equal(t, http.StatusServiceUnavailable, e.status)
	}
	reads := d.reads.Load()
	assert.LessOrEqual(t, reads, int64(wait/heightPoll)+2, "%d waiters read the height %d times", waiters, reads)

	before := d.reads.Load()
	require.NoError(t, p.waitFor(context.Background(), 4, wait, model.MinBlockHeader))
	assert.Equal(t, before, d.reads.Load(), "a block the gateway knows the peer has needs no read")
}

// A waiter wakes on the first read that shows its block, while one waiting
// for a later block waits on; a read answering a lower height (another peer
// behind the load balancer) does not lower the height the gateway knows.
func TestAWaiterWakesOnTheFirstReadReachingItsBlock(t *testing.T) {
	d := gatedHeight()
	p := &peerHeight{ledger: d}
	five := waitInBackground(context.Background(), p, 5, time.Minute)
	seven := waitInBackground(context.Background(), p, 7, time.Minute)

	d.answers <- 3
	d.answers <- 6
	require.NoError(t, received(t, five), "block 5 is there at height 6")
	select {
	case err := <-seven:
		require.FailNow(t, "block 7 is not there at height 6", "%v", err)
	default:
	}
	d.answers <- 8
	require.NoError(t, received(t, seven))

	ctx, cancel := context.WithCancel(context.Background())
	nine := waitInBackground(ctx, p, 9, time.Minute)
	d.answers <- 4
	cancel()
	err := received(t, nine)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "it has committed up to block 7", "the height read lower is not believed")
	assert.Equal(t, uint64(8), p.current())
}

// A request cancelled while it waits stops waiting, even while it is the
// one reading the peer's height: the others waiting read next, not never.
func TestACancelledWaiterStopsWaiting(t *testing.T) {
	d := gatedHeight()
	p := &peerHeight{ledger: d}
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := waitInBackground(ctx, p, 5, time.Minute)
	<-d.began // the cancelled request's read is in flight
	other := waitInBackground(context.Background(), p, 5, time.Minute)
	cancel()

	err := received(t, cancelled)
	var e *apiError
	require.ErrorAs(t, err, &e)
	assert.Equal(t, CodeUnavailable, e.body.Code)

	d.answers <- 6
	require.NoError(t, received(t, other), "the request left waiting read the height itself")
}

// A peer whose height cannot be read is asked again at the next turn; a
// request whose block it does not show in time is refused as ever: 503,
// Retry-After, the block and the height known last.
func TestAFailingHeightReadIsRefusedAsBefore(t *testing.T) {
	d := &heightDouble{err: errors.New("peer unreachable")}
	p := &peerHeight{ledger: d}
	p.observe(5)
	err := p.waitFor(context.Background(), 6, 4*heightPoll, model.MinBlockHeader)
	var e *apiError
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusServiceUnavailable, e.status)
	assert.Equal(t, CodeUnavailable, e.body.Code)
	assert.Equal(t, "this region's peer has not yet committed block 6 (X-Min-Block): it has committed up to block 4; retry shortly", e.body.Message)
	assert.Equal(t, "1", e.header.Get("Retry-After"))
	assert.Greater(t, d.reads.Load(), int64(1), "the read was tried again")

	d.mu.Lock()
	d.err, d.height = nil, 7
	d.mu.Unlock()
	require.NoError(t, p.waitFor(context.Background(), 6, time.Minute, model.MinBlockHeader))
}

// BenchmarkWaitersShareHeightReads reports how many height reads the peer
// answers per waiting request while 100 requests wait for the block after
// the next one of a peer that commits a block between reads.
func BenchmarkWaitersShareHeightReads(b *testing.B) {
	const waiters = 100
	d := &heightDouble{height: 1, step: 1}
	p := &peerHeight{ledger: d}
	served := 0
	for b.Loop() {
		block := p.current() + 1
		var wg sync.WaitGroup
		for range waiters {
			wg.Go(func() {
				if err := p.waitFor(context.Background(), block, time.Minute, model.MinBlockHeader); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		served += waiters
	}
	b.ReportMetric(float64(d.reads.Load())/float64(served), "reads/waiter")
}

// The X-Ledger-Block value is formatted once per height and shared by the
// answers that name it: answers that add values of their own to the header
// do not write them into one array, and a higher height gets a value of its
// own.
func TestTheSharedLastBlockValueIsNeverWrittenInto(t *testing.T) {
	p := &peerHeight{ledger: &heightDouble{}}
	assert.Nil(t, p.lastBlock, "no height known, no value")
	p.observe(1_234_567)
	first, second := http.Header{}, http.Header{}
	first[model.LedgerBlockHeader] = p.lastBlock
	second[model.LedgerBlockHeader] = p.lastBlock
	first.Add(model.LedgerBlockHeader, "7")
	second.Add(model.LedgerBlockHeader, "8")
	assert.Equal(t, []string{"1234566", "7"}, first.Values(model.LedgerBlockHeader))
	assert.Equal(t, []string{"1234566", "8"}, second.Values(model.LedgerBlockHeader))
	second = http.Header{model.LedgerBlockHeader: p.lastBlock}
	p.observe(1_234_568)
	assert.Equal(t, []string{"1234566"}, second.Values(model.LedgerBlockHeader))
	assert.Equal(t, []string{"1234567"}, p.lastBlock)
	p.observe(5)
	assert.Equal(t, []string{"1234567"}, p.lastBlock, "the known height never goes back")
}
