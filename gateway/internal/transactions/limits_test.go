package transactions_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// refusingEnv is a manager whose chaincode refuses assets:Apply at endorsement (nothing is ordered), over a store of
// the given limits and a clock the test moves.
func refusingEnv(t *testing.T, maxPerMember, maxBytes int) (transactions.Manager, *chaintest.Fake, *time.Time) {
	t.Helper()
	fake := chaintest.New()
	fake.Fails("assets:Apply", &chain.Error{Kind: chain.KindRejected, Code: ledgererr.InvalidArgument, Message: "name: must be 1 to 100 characters"})
	now := time.Unix(1_800_000_000, 0)
	store := transactions.NewStore(time.Hour, transactions.WithClock(func() time.Time { return now }), transactions.WithLimits(maxPerMember, maxBytes))
	return transactions.New(fake, store), fake, &now
}

func submitKeyed(m transactions.Manager, member, key string) (*transactions.Outcome, error) {
	return m.Submit(context.Background(), transactions.Submission{
		Call: transactions.Call{Member: member, Function: "assets:Apply", Args: []string{""}},
		Wait: true, Key: key, Fingerprint: "fp-" + key})
}

// One member's submits the chaincode refuses, each with a new Idempotency-Key, are kept for the key's TTL: past the
// member's bound a new key is refused (KeysFullError, when its first outcome expires) before anything is submitted,
// while its kept keys are still answered and other members' new keys run; an expired outcome makes room. (Unbounded,
// one member at its write budget made the gateway keep about 8.6 million outcomes a day, in memory and in the file,
// until it failed for every member.)
func TestOneMembersKeysAreBoundedByItsOwnShare(t *testing.T) {
	m, fake, now := refusingEnv(t, 100, transactions.DefaultMaxBytes)
	for i := range 100 {
		_, err := submitKeyed(m, "mallory", fmt.Sprint("k-", i))
		require.NoError(t, err)
		*now = now.Add(time.Second)
	}
	sent := len(fake.CallsTo("assets:Apply"))
	_, err := submitKeyed(m, "mallory", "k-100")
	var full *transactions.KeysFullError
	require.ErrorAs(t, err, &full)
	assert.ErrorIs(t, err, transactions.ErrKeysFull)
	assert.True(t, full.Member, "the member's own bound")
	assert.Equal(t, time.Hour-100*time.Second, full.RetryAfter, "when its first outcome expires")
	assert.Len(t, fake.CallsTo("assets:Apply"), sent, "nothing submitted for the refused key")

	o, err := submitKeyed(m, "mallory", "k-0")
	require.NoError(t, err)
	assert.True(t, o.Replayed, "a kept key is still answered")
	_, err = submitKeyed(m, "alice", "k-0")
	require.NoError(t, err, "another member's new key runs")

	*now = now.Add(full.RetryAfter)
	_, err = submitKeyed(m, "mallory", "k-100")
	require.NoError(t, err, "its first outcome expired: room for one")
	_, err = submitKeyed(m, "mallory", "k-101")
	require.ErrorAs(t, err, &full, "and one only")
}

// Every member's outcomes together are bounded in bytes: past it a new key is refused with the store's TTL, the same
// for everyone (when the first outcome expires would tell a member when another one last submitted), and a kept key
// is still answered.
func TestEveryMembersKeysAreBoundedInBytes(t *testing.T) {
	m, _, _ := refusingEnv(t, transactions.DefaultMaxPerMember, 1<<20)
	var err error
	i := 0
	for ; err == nil && i < 100_000; i++ {
		_, err = submitKeyed(m, fmt.Sprint("member-", i%50), fmt.Sprint("k-", i))
	}
	var full *transactions.KeysFullError
	require.ErrorAs(t, err, &full)
	assert.False(t, full.Member)
	assert.Equal(t, time.Hour, full.RetryAfter)
	assert.Greater(t, i, 1000, "1 MiB keeps over a thousand refusals' outcomes")
	o, err := submitKeyed(m, "member-0", "k-0")
	require.NoError(t, err)
	assert.True(t, o.Replayed)
	_, err = m.Submit(context.Background(), transactions.Submission{Call: transactions.Call{Member: "member-0", Function: "assets:Apply"}, Wait: true})
	assert.NoError(t, err, "a submit without a key still runs")
}

// One member cannot fill the bytes every member's outcomes share: its outcomes hold at most a quarter of them, past
// which its own new keys are refused (when its first outcome expires), while another member's new key runs. Before,
// a member whose submits answer large results (an application of an asset answers the asset, its description up to
// 2,000 characters: some 7 KB counted an outcome) filled idempotency.maxBytes within its own count (200,000 outcomes
// of 7 KB are 1.4 GB, over the 1 GiB default) in about 25 minutes of its write budget, and every other member's new
// Idempotency-Key was then refused for the TTL (24 h): every submit of the SDK, which sends one by default.
func TestOneMemberCannotFillTheBytesOfEveryMember(t *testing.T) {
	fake := chaintest.New()
	fake.Returns("assets:Apply", map[string]string{"description": strings.Repeat("数", model.MaxAssetDescriptionLength)})
	now := time.Unix(1_800_000_000, 0)
	store := transactions.NewStore(time.Hour, transactions.WithClock(func() time.Time { return now }),
		transactions.WithLimits(transactions.DefaultMaxPerMember, 1<<20))
	m := transactions.New(fake, store)
	var err error
	kept := 0
	for ; kept < 1000; kept++ {
		if _, err = submitKeyed(m, "mallory", fmt.Sprint("k-", kept)); err != nil {
			break
		}
	}
	var full *transactions.KeysFullError
	require.ErrorAs(t, err, &full, "the member's new keys are bounded")
	assert.True(t, full.Member, "by its own share, not the store's bound: %v", err)
	assert.Equal(t, time.Hour, full.RetryAfter, "when its first outcome expires")
	assert.Less(t, kept, 1<<20/4/(3*model.MaxAssetDescriptionLength), "a quarter of the bytes at most")
	_, err = submitKeyed(m, "alice", "k-0")
	require.NoError(t, err, "another member's new key runs")
}
