package signing

import (
	"crypto/x509"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// checkAccounts recounts the store from its maps and compares it with what the store keeps as it goes: the bytes,
// each member's calls, and the expiry queue, which holds at most twice the entries kept (stale ones
// included) plus a constant, whatever the sequence of operations.
func checkAccounts(t *testing.T, s *Store, step string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	bytes, held := 0, map[string]int{}
	for id, c := range s.calls {
		require.Equal(t, id, c.TransactionID, step)
		bytes += c.charged
		held[c.member]++
		require.LessOrEqual(t, held[c.member], s.maxPerMember, "a member's calls, waiting or running, after %s", step)
	}
	answers := map[string]int{}
	for _, o := range s.outcomes {
		bytes += o.charged
		answers[o.member]++
	}
	for member, a := range s.answers {
		require.Equal(t, answers[member], a.n, "a member's answers after %s", step)
		require.LessOrEqual(t, len(a.queue)-a.head, 2*a.n+minCompaction, "a member's queue of answers after %s", step)
	}
	require.Len(t, s.answers, len(answers), "members with answers after %s", step)
	require.Equal(t, bytes, s.bytes, "bytes after %s", step)
	for member, ids := range s.held {
		n := len(ids)
		require.Positive(t, n, "a member's count of calls after %s", step)
		for id := range ids {
			require.Equal(t, member, s.calls[id].member, "a member's call after %s", step)
		}
		require.Equal(t, held[member], n, "calls after %s", step)
	}
	require.Len(t, s.held, len(held), "members with calls after %s", step)
	kept := len(s.calls) + len(s.outcomes)
	require.LessOrEqual(t, len(s.expiries.queue)-s.expiries.head, 2*kept+minCompaction, "expiry queue after %s (%d kept)", step, kept)
}

// TestTheStoresAccountsHoldOverAnySequence drives random sequences of what requests do (start, take, put back at
// the same or the next step with another size, finish with or without a key, drop, release after a panic, twice,
// after expiry, a clock that stands still, steps or jumps past the TTL) and recounts the store after each. A call
// whose step runs stays in the store until its request ends it, however long the step runs.
func TestTheStoresAccountsHoldOverAnySequence(t *testing.T) {
	owners := make([]*x509.Certificate, 3)
	for i := range owners {
		owners[i], _ = certificate(t, fmt.Sprint("member", min(i, 1))) // the last two: one member, two certificates
	}
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 36))
		s := NewStore(time.Minute, 4, 6, 40_000)
		now := clocked(s)
		var known, held []*Call
		running := map[*Call]bool{} // what Take returned and its request has not ended
		for i := range 3000 {
			var op string
			switch r := rng.IntN(100); {
			case r < 25:
				op = "put new"
				c := &Call{TransactionID: fmt.Sprint("tx", rng.IntN(40)), Owner: owners[rng.IntN(len(owners))], Step: StepProposal,
					Proposal: messageOf(rng.IntN(3000)), Fingerprint: "f"}
				if rng.IntN(2) == 0 {
					c.Key = fmt.Sprint("k", rng.IntN(10))
				}
				if s.Put(c) == nil {
					known = append(known, c)
					for r := range running {
						if r.TransactionID == c.TransactionID {
							delete(running, r) // another call under its ID (none in practice) replaced it
						}
					}
				}
			case r < 45 && len(known) > 0:
				op = "take"
				c := known[rng.IntN(len(known))]
				if taken, err := s.Take(c.Owner, c.TransactionID, c.Step); err == nil {
					held = append(held, taken)
					running[taken] = true
				}
			case r < 75 && len(held) > 0:
				j := rng.IntN(len(held))
				c := held[j]
				held = append(held[:j], held[j+1:]...)
				delete(running, c)
				switch rng.IntN(5) {
				case 0:
					op = "put back"
					if rng.IntN(2) == 0 {
						c.Step, c.Transaction = StepTransaction, messageOf(rng.IntN(6000))
					}
					_ = s.Put(c)
				case 1:
					op = "finish"
					s.Finish(c, 201, make([]byte, rng.IntN(4000)))
				case 2:
					op = "drop"
					s.Drop(c)
				case 3:
					op = "release (the step panicked)"
					s.Release(c)
				default:
					op = "put back again, and again"
					for range 1 + rng.IntN(50) {
						_ = s.Put(c)
						taken, err := s.Take(c.Owner, c.TransactionID, c.Step)
						if err != nil {
							break
						}
						c = taken
					}
					_ = s.Put(c)
				}
				if rng.IntN(5) == 0 {
					held = append(held, c) // ended twice: a second Finish, Drop, Put or Release of the same call
				}
			case r < 85 && len(known) > 0:
				op = "finish or drop a known call"
				c := known[rng.IntN(len(known))]
				if rng.IntN(2) == 0 {
					s.Finish(c, 409, make([]byte, rng.IntN(2000)))
				} else {
					s.Drop(c)
				}
			case r < 95:
				op = "tick"
				*now = now.Add(time.Duration(rng.IntN(3000)) * time.Millisecond)
			default:
				op = "past the TTL"
				*now = now.Add(time.Minute + time.Duration(rng.IntN(30))*time.Second)
			}
			checkAccounts(t, s, fmt.Sprintf("seed %d, operation %d (%s)", seed, i, op))
			for c := range running {
				require.Same(t, c, s.calls[c.TransactionID], "seed %d, operation %d (%s): a call whose step runs is kept", seed, i, op)
			}
		}
		for _, c := range held {
			s.Release(c) // every request ends: its step's call waits again, then expires
		}
		*now = now.Add(2 * time.Minute)
		s.Drop(&Call{TransactionID: "none"})
		require.NoError(t, s.Put(&Call{TransactionID: "last", Owner: owners[0], Step: StepProposal}))
		s.Drop(s.calls["last"])
		checkAccounts(t, s, "everything expired")
		require.Zero(t, s.bytes, "seed %d: nothing kept, nothing counted", seed)
		require.Empty(t, s.calls)
		require.Empty(t, s.outcomes)
		require.Empty(t, s.keys)
		require.Empty(t, s.held)
	}
}

// TestAMemberResigningOneCallKeepsTheExpiryQueueBounded: every refused signature puts the call back, and every
// Put and Take used to add an entry to the queue that stayed until its time passed, so one member sending bad
// signatures in a loop grew the gateway's memory by its request rate times the TTL, uncounted by the bytes bound.
func TestAMemberResigningOneCallKeepsTheExpiryQueueBounded(t *testing.T) {
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 4, manyAnswers, 1<<20)
	now := clocked(s)
	require.NoError(t, s.Put(&Call{TransactionID: "tx", Owner: owner, Step: StepProposal}))
	for range 100_000 {
		c, err := s.Take(owner, "tx", StepProposal)
		require.NoError(t, err)
		require.NoError(t, s.Put(c))
		*now = now.Add(time.Microsecond)
	}
	require.LessOrEqual(t, len(s.expiries.queue), 2+minCompaction, "one call kept")
	checkAccounts(t, s, "100,000 refused signatures")
}

// TestConcurrentRequestsKeepTheStoresAccounts runs members' requests in parallel on the real clock (run with
// -race), then checks the store's accounts.
func TestConcurrentRequestsKeepTheStoresAccounts(t *testing.T) {
	s := NewStore(time.Minute, 8, manyAnswers, 1<<20)
	var wg sync.WaitGroup
	for m := range 8 {
		owner, _ := certificate(t, fmt.Sprint("member", m))
		wg.Go(func() {
			for i := range 300 {
				c := &Call{TransactionID: fmt.Sprint(m, "-", i), Owner: owner, Step: StepProposal, Proposal: messageOf(100),
					Key: fmt.Sprint("k", i%5), Fingerprint: "f"}
				if waiting, _, err := s.Find(owner, c.Key, "f"); err == nil && waiting != nil {
					_ = waiting.Signable()
				}
				if s.Put(c) != nil {
					continue
				}
				taken, err := s.Take(owner, c.TransactionID, StepProposal)
				if err != nil {
					continue
				}
				taken.Step, taken.Transaction = StepTransaction, messageOf(200)
				_ = s.Put(taken)
				if taken, err = s.Take(owner, c.TransactionID, StepTransaction); err != nil {
					continue
				}
				switch i % 3 {
				case 0:
					s.Finish(taken, 201, make([]byte, 50))
				case 1:
					s.Drop(taken)
				default:
					_ = s.Put(taken)
				}
			}
		})
	}
	wg.Wait()
	checkAccounts(t, s, "concurrent requests")
}

// TestARetryReadsTheWaitingCallWhileItsStepRuns: a retry with the call's Idempotency-Key answers the waiting call
// while the member's signature of it (it knows the transaction ID from the first answer) takes it and moves it on;
// what Find returns is the retry's own (run with -race).
func TestARetryReadsTheWaitingCallWhileItsStepRuns(t *testing.T) {
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 8, manyAnswers, 1<<20)
	require.NoError(t, s.Put(&Call{TransactionID: "tx", Owner: owner, Step: StepProposal, Proposal: messageOf(10), Key: "k", Fingerprint: "f"}))
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 20000 {
			if waiting, _, err := s.Find(owner, "k", "f"); err == nil && waiting != nil {
				_, _ = waiting.Expires(), waiting.Signable()
			}
		}
	})
	wg.Go(func() {
		for i := range 20000 {
			step := StepProposal
			if i%2 == 1 {
				step = StepTransaction
			}
			c, err := s.Take(owner, "tx", step)
			require.NoError(t, err)
			if step == StepProposal {
				c.Step, c.Transaction = StepTransaction, messageOf(10)
			} else {
				c.Step, c.Transaction = StepProposal, nil
			}
			require.NoError(t, s.Put(c))
		}
	})
	wg.Wait()
}
