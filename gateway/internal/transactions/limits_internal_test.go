package transactions

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

// checkKeys recounts the outcomes kept by key and compares them with what the store counts as it goes: the bytes,
// each member's count and bytes, and each member's queue holding every one of its keys.
func checkKeys(t *testing.T, s *Store, step string) {
	t.Helper()
	bytes, held, membersBytes := 0, map[string]int{}, map[string]int{}
	for key, e := range s.m {
		was := e.charged
		s.recharge(e, key)
		require.Equal(t, was, e.charged, "%q's bytes after %s", key, step)
		require.Equal(t, memberOfKey(key), e.member, step)
		bytes += e.charged
		held[e.member]++
		membersBytes[e.member] += e.charged
	}
	require.Equal(t, bytes, s.bytes, "bytes after %s", step)
	require.Len(t, s.members, len(held), "members after %s", step)
	for member, n := range held {
		q := s.members[member]
		require.Equal(t, n, q.n, "%s's count after %s", member, step)
		require.Equal(t, membersBytes[member], q.bytes, "%s's bytes after %s", member, step)
		queued := map[string]bool{}
		for _, k := range q.keys[q.head:] {
			queued[k] = true
		}
		for key, e := range s.m {
			if e.member == member {
				require.True(t, queued[key], "%q queued after %s", key, step)
			}
		}
	}
}

// TestTheKeysAccountsHoldOverAnySequence drives random sequences of what submits do with keys (begin, complete,
// pending then abandon, update, expire, sweep, refusals past the bounds) for a few members and recounts after each.
func TestTheKeysAccountsHoldOverAnySequence(t *testing.T) {
	// Cancelled: a Begin of a key whose request runs (a ticket not ended) returns at once instead of waiting.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	members := []string{"alice", "bob", "mallory"}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		now := time.Unix(0, 0)
		s := NewStore(time.Minute, WithClock(func() time.Time { return now }), WithLimits(5, 12_000))
		var open []*Ticket
		for i := range 2000 {
			member := members[rng.IntN(len(members))]
			key := storeKey(member, fmt.Sprint(rng.IntN(12)))
			var step string
			switch op := rng.IntN(10); {
			case op < 4:
				_, tk, err := s.Begin(ctx, key, "fp")
				if err != nil && !errors.Is(err, context.Canceled) {
					require.ErrorIs(t, err, ErrKeysFull)
				}
				if tk != nil {
					open = append(open, tk)
				}
				step = "begin"
			case op < 7 && len(open) > 0:
				j := rng.IntN(len(open))
				tk := open[j]
				open = append(open[:j], open[j+1:]...)
				o := Outcome{Fingerprint: "fp", Member: member, TransactionID: fmt.Sprint("tx", i), Result: make([]byte, rng.IntN(300))}
				switch rng.IntN(3) {
				case 0:
					require.NoError(t, tk.Complete(o))
				case 1:
					require.NoError(t, tk.Pending(o))
					tk.Abandon()
				default:
					o.Failure = &chain.Error{Kind: chain.KindRejected, Message: "refused"}
					require.NoError(t, tk.Complete(o))
				}
				step = "end"
			case op < 8:
				require.NoError(t, s.Update(key, Outcome{Fingerprint: "fp", TransactionID: "u", Committed: true}))
				step = "update"
			default:
				now = now.Add(time.Duration(rng.IntN(30)) * time.Second)
				if rng.IntN(2) == 0 {
					s.Sweep()
				}
				step = "time"
			}
			checkKeys(t, s, fmt.Sprint("seed ", seed, ", operation ", i, " (", step, ")"))
		}
	}
}
