package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

func TestEnoughSelfSignersForTheCallsInFlight(t *testing.T) {
	for inFlight, want := range map[int]int{1: 1, 10: 1, 16: 1, 17: 2, 50: 4, 64: 4, 65: 5} {
		assert.Equal(t, want, selfSignersFor(inFlight), "%d in flight", inFlight)
	}
}

// The gateway answers 429 beyond 32 waiting calls of one member: the pool
// never lends a member to more than callsPerSelfSigner operations at once,
// however many run, and an operation waits (until its context ends) rather
// than overload one.
func TestTheSelfSignerPoolNeverOverloadsAMember(t *testing.T) {
	members := []*SelfSigner{{Participant: "a"}, {Participant: "b"}}
	pool := newSelfSigners(members)
	var mu sync.Mutex
	busy, most := map[string]int{}, 0
	var lent atomic.Int64
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			m, err := pool.borrow(context.Background())
			if !assert.NoError(t, err) {
				return
			}
			lent.Add(1)
			mu.Lock()
			busy[m.Participant]++
			most = max(most, busy[m.Participant])
			mu.Unlock()
			time.Sleep(time.Millisecond)
			mu.Lock()
			busy[m.Participant]--
			mu.Unlock()
			pool.give(m)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 200, lent.Load())
	assert.LessOrEqual(t, most, callsPerSelfSigner)
	assert.Positive(t, most)

	// Every call of both members taken: the next one waits for its context.
	for range 2 * callsPerSelfSigner {
		_, err := pool.borrow(context.Background())
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := pool.borrow(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestSyntheticUSCCsAreValidAndNewForEachRunAndMember(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	for _, at := range []time.Time{t0, t0.Add(time.Second), t0.Add(time.Hour)} {
		for k := range 5 {
			code := syntheticUSCC(at, k)
			assert.True(t, model.ValidUSCC(code), code)
			assert.False(t, seen[code], "%s used twice", code)
			seen[code] = true
		}
	}
}

func TestMemberSignedIsComparedWithCustodialREST(t *testing.T) {
	f := func(name string, perSecond, p99 float64) *Figures {
		return &Figures{Name: name, PerSecond: perSecond, RoundPerSecond: []float64{perSecond, perSecond * 2},
			Latency: Latency{P99: p99}, RoundP99: []float64{p99, p99}}
	}
	all, rounds := ratios([]*Figures{f(PathREST, 80, 400), f(PathMemberSigned, 60, 1000)})
	assert.Equal(t, 0.75, all["member_signed_vs_rest"])
	assert.Equal(t, 2.5, all["member_signed_p99_vs_rest"])
	assert.Equal(t, []float64{0.75, 0.75}, rounds["member_signed_vs_rest"])
}
