package transactions

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
)

// checkIndex recounts the index from its entries and compares it with what it keeps as it goes: each member's count,
// the groups by count, and the bound.
func checkIndex(t *testing.T, x *txIndex, step string) {
	t.Helper()
	require.LessOrEqual(t, len(x.entries), x.max, "the bound after %s", step)
	held := map[string]int{}
	for _, o := range x.entries {
		held[ownerOf(o)]++
	}
	require.Len(t, x.queues, len(held), "members after %s", step)
	for owner, n := range held {
		require.Equal(t, n, x.queues[owner].live, "%s's count after %s", owner, step)
		require.Contains(t, x.byCount[n], owner, "%s's group after %s", owner, step)
		require.LessOrEqual(t, n, x.top, "top after %s", step)
	}
	grouped := 0
	for n, group := range x.byCount {
		require.NotEmpty(t, group, "no empty group after %s", step)
		grouped += len(group)
		for owner := range group {
			require.Equal(t, held[owner], n, "group of %s after %s", owner, step)
		}
	}
	require.Equal(t, len(held), grouped, "every member in one group after %s", step)
}

// When the index is full, the member that holds the most loses its oldest outcome: a member holding fewer keeps
// every one of its own, however many the others index. (One FIFO shared by all let one member's volume push out
// every other member's results.)
func TestTheHeaviestMemberLosesItsOldestOutcomeFirst(t *testing.T) {
	x := newTxIndex(10)
	for i := range 3 {
		x.put(Outcome{Member: "alice", TransactionID: fmt.Sprint("a", i)})
	}
	for i := range 100 {
		x.put(Outcome{Member: "mallory", TransactionID: fmt.Sprint("m", i)})
		checkIndex(t, x, fmt.Sprint("mallory's submit ", i))
	}
	assertLightKeptHeavyLast7(t, func(id string) bool { _, ok := x.get(id); return ok }, "m")
	// Two members as heavy as each other: either loses one, never the lighter one.
	x.put(Outcome{Member: "bob", TransactionID: "b0"})
	checkIndex(t, x, "bob's submit")
	_, ok := x.get("b0")
	assert.True(t, ok)
	assert.Equal(t, 6, x.queues["mallory"].live)
}

// TestTheIndexAccountsHoldOverAnySequence drives random puts (new IDs and IDs indexed again), removals (a pending
// transaction abandoned), expiries and sweeps for a few members of skewed volume, and recounts the index after each.
func TestTheIndexAccountsHoldOverAnySequence(t *testing.T) {
	members := []string{"alice", "bob", "mallory", "mallory", "mallory", "mallory"}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 43))
		x := newTxIndex(50)
		now := time.Unix(0, 0)
		var ids []string
		for i := range 3000 {
			var step string
			switch op := rng.IntN(10); {
			case op < 6 || len(ids) == 0:
				id := fmt.Sprint(i)
				if len(ids) > 0 && rng.IntN(5) == 0 {
					id = ids[rng.IntN(len(ids))]
				}
				member := members[rng.IntN(len(members))]
				if o, ok := x.get(id); ok {
					member = o.Member // an ID is one member's
				}
				ids = append(ids, id)
				x.put(Outcome{Member: member, TransactionID: id, Expires: now.Add(time.Duration(rng.IntN(60)) * time.Second)})
				step = "put"
			case op < 8:
				x.remove(ids[rng.IntN(len(ids))])
				step = "remove"
			default:
				now = now.Add(time.Duration(rng.IntN(20)) * time.Second)
				x.sweep(now)
				step = "sweep"
				for _, q := range x.queues {
					assert.Equal(t, q.live, len(q.ids)-q.head, "no stale entry after a sweep")
				}
			}
			checkIndex(t, x, fmt.Sprint("seed ", seed, ", operation ", i, " (", step, ")"))
		}
	}
}

// A member who signs itself counts in the index by its identity, whichever certificate sent each transaction: one
// re-enrolling for a new certificate before each of its transactions is the heaviest member, not a new light one each
// time, and loses its own oldest first, never a wallet member's outcomes. (Counted by certificate, each of its
// transactions was the only one of its sender, and its volume pushed out the outcomes of a member holding three.)
func TestASignerCountsInTheIndexByItsIdentityWhicheverCertificateSent(t *testing.T) {
	store := NewStore(time.Hour)
	store.transactions = newTxIndex(10)
	m := New(chaintest.New(), store)
	for i := range 3 {
		store.Remember(Outcome{Member: "alice", TransactionID: fmt.Sprint("a", i)})
	}
	const identity = "x509::CN=91310000MA1FL1800B::CN=ca.ShanghaiMSP"
	for i := range 100 {
		m.SentBySigner(fmt.Sprintf("%s key %064x", identity, i), identity, fmt.Sprint("s", i), nil)
		checkIndex(t, store.transactions, fmt.Sprint("the signer's transaction ", i))
	}
	assertLightKeptHeavyLast7(t, func(id string) bool { _, ok := store.Transaction(id); return ok }, "s")
	assert.Equal(t, 7, store.transactions.queues[identity].live)
}

// assertLightKeptHeavyLast7 checks an index of 10 after alice indexed a0..a2 and a heavy member 100 IDs (heavy0..99):
// alice keeps all three, the heavy member its last 7, the rest of the index.
func assertLightKeptHeavyLast7(t *testing.T, kept func(id string) bool, heavy string) {
	t.Helper()
	for i := range 3 {
		assert.True(t, kept(fmt.Sprint("a", i)), "alice's outcome %d", i)
	}
	for i := range 100 {
		assert.Equal(t, i >= 93, kept(fmt.Sprint(heavy, i)), "the heavy member keeps its last 7, the rest of the index: %d", i)
	}
}
