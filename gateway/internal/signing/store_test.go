package signing

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// finish starts a keyed call and records its answer of size bytes, as a self-signed request does.
func finish(t *testing.T, s *Store, c *Call, size int) {
	t.Helper()
	require.NoError(t, s.Put(c))
	taken, err := s.Take(c.Owner, c.TransactionID, c.Step)
	require.NoError(t, err)
	s.Finish(taken, 201, make([]byte, size))
}

func TestAFullStoreRefusesNewCallsUntilItsOutcomesExpire(t *testing.T) {
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 100, 50_000)
	now := time.Now()
	s.now = func() time.Time { return now }
	for i := range 4 {
		finish(t, s, &Call{TransactionID: fmt.Sprint("tx", i), Owner: owner, Step: StepProposal, Key: fmt.Sprint("k", i), Fingerprint: "f"}, 10_000)
		now = now.Add(time.Second)
	}

	err := s.Put(&Call{TransactionID: "new", Owner: owner, Step: StepProposal, Proposal: messageOf(8_000), Key: "new"})
	require.ErrorIs(t, err, ErrFull, "four answers of 10 kB and a proposal of 8 kB exceed 50 kB")
	var full *FullError
	require.ErrorAs(t, err, &full)
	assert.Equal(t, time.Minute-4*time.Second, full.RetryAfter, "room frees when the first answer expires")
	assert.Zero(t, s.Len(), "nothing of the refused call is kept")
	require.NoError(t, s.Put(&Call{TransactionID: "small", Owner: owner, Step: StepProposal, Proposal: messageOf(1_000)}), "what fits is taken in")

	now = now.Add(time.Minute - 3*time.Second)
	assert.NoError(t, s.Put(&Call{TransactionID: "new", Owner: owner, Step: StepProposal, Proposal: messageOf(8_000), Key: "new"}),
		"the first answer expired: its room is free again")
}

func TestAnOutcomeIsNeverForgottenBeforeItsTTLEvenWhenTheStoreIsFull(t *testing.T) {
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 100, 30_000)
	now := time.Now()
	s.now = func() time.Time { return now }
	finish(t, s, &Call{TransactionID: "first", Owner: owner, Step: StepProposal, Key: "first", Fingerprint: "f"}, 10_000)
	for i := range 50 {
		now = now.Add(time.Second)
		c := &Call{TransactionID: fmt.Sprint("tx", i), Owner: owner, Step: StepProposal, Key: fmt.Sprint("k", i), Fingerprint: "f"}
		if s.Put(c) == nil {
			taken, err := s.Take(owner, c.TransactionID, StepProposal)
			require.NoError(t, err)
			s.Finish(taken, 201, make([]byte, 10_000))
		}
		_, done, err := s.Find(owner, "first", "f")
		require.NoError(t, err)
		require.NotNil(t, done, "a retry within the TTL gets the first answer, %d s later", i+1)
		assert.Equal(t, 201, done.Status)
		assert.Len(t, done.Body, 10_000)
	}
	now = now.Add(10 * time.Second)
	_, done, err := s.Find(owner, "first", "f")
	require.NoError(t, err)
	assert.Nil(t, done, "forgotten after its TTL")
}

func TestACallTakenInAlwaysKeepsItsStepsAndItsAnswer(t *testing.T) {
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 100, 20_000)
	var calls []*Call
	for i := range 3 {
		c := &Call{TransactionID: fmt.Sprint("tx", i), Owner: owner, Step: StepProposal, Proposal: messageOf(5_000), Key: fmt.Sprint("k", i), Fingerprint: "f"}
		require.NoError(t, s.Put(c))
		calls = append(calls, c)
	}
	require.ErrorIs(t, s.Put(&Call{TransactionID: "late", Owner: owner, Step: StepProposal, Proposal: messageOf(4_000)}), ErrFull)

	for _, c := range calls {
		taken, err := s.Take(owner, c.TransactionID, StepProposal)
		require.NoError(t, err)
		taken.Step, taken.Transaction = StepTransaction, messageOf(10_000)
		require.NoError(t, s.Put(taken), "its endorsed transaction is kept although the store is past its bound")
	}
	for _, c := range calls {
		taken, err := s.Take(owner, c.TransactionID, StepTransaction)
		require.NoError(t, err)
		s.Finish(taken, 201, make([]byte, 30_000))
		_, done, err := s.Find(owner, c.Key, "f")
		require.NoError(t, err)
		require.NotNil(t, done, "its answer is kept although it is larger than the store's bound")
		assert.Len(t, done.Body, 30_000)
	}
	assert.ErrorIs(t, s.Put(&Call{TransactionID: "late", Owner: owner, Step: StepProposal}), ErrFull, "but no new call starts")
}

// A member has at most maxPerMember calls, waiting or running a step: a call whose step runs holds its place, so
// that no new call takes it and the call always comes back at its next step (a member whose transaction was sent
// for ordering always gets to sign its commit-status request); a call that expires, is dropped or finishes frees it.
func TestAMembersCallsAreCountedAsTheyComeAndGo(t *testing.T) {
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 2, 1<<20)
	now := time.Now()
	s.now = func() time.Time { return now }
	require.NoError(t, s.Put(&Call{TransactionID: "a", Owner: owner, Step: StepProposal}))
	now = now.Add(30 * time.Second)
	require.NoError(t, s.Put(&Call{TransactionID: "b", Owner: owner, Step: StepProposal}))
	require.ErrorIs(t, s.Put(&Call{TransactionID: "c", Owner: owner, Step: StepProposal}), ErrTooMany)

	b, err := s.Take(owner, "b", StepProposal)
	require.NoError(t, err)
	require.ErrorIs(t, s.Put(&Call{TransactionID: "c", Owner: owner, Step: StepProposal}), ErrTooMany, "b's step runs: it holds its place")
	b.Step = StepTransaction
	require.NoError(t, s.Put(b), "a call at its next step is never refused for the member's count")
	require.NoError(t, s.Put(b), "nor put again while it waits")
	now = now.Add(31 * time.Second)
	require.NoError(t, s.Put(&Call{TransactionID: "c", Owner: owner, Step: StepProposal}), "a expired: its place is free")
	require.ErrorIs(t, s.Put(&Call{TransactionID: "d", Owner: owner, Step: StepProposal}), ErrTooMany)

	taken, err := s.Take(owner, "c", StepProposal)
	require.NoError(t, err)
	s.Drop(taken)
	require.NoError(t, s.Put(&Call{TransactionID: "d", Owner: owner, Step: StepProposal}), "a dropped call frees its place")
	require.ErrorIs(t, s.Put(&Call{TransactionID: "e", Owner: owner, Step: StepProposal}), ErrTooMany)
	taken, err = s.Take(owner, "d", StepProposal)
	require.NoError(t, err)
	s.Finish(taken, 200, nil)
	require.NoError(t, s.Put(&Call{TransactionID: "e", Owner: owner, Step: StepProposal}), "a finished call frees its place")
	assert.Equal(t, 2, s.Len())
}

func TestRetryAfterIsWhenRoomFreesNotWhenAStaleEntryWasDue(t *testing.T) {
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 100, 3_000)
	now := clocked(s)
	require.NoError(t, s.Put(&Call{TransactionID: "a", Owner: owner, Step: StepProposal, Proposal: messageOf(500)}))
	*now = now.Add(30 * time.Second)
	a, err := s.Take(owner, "a", StepProposal)
	require.NoError(t, err)
	require.NoError(t, s.Put(a), "a refused signature puts it back: it now expires 90 s after the start")
	*now = now.Add(10 * time.Second)
	require.NoError(t, s.Put(&Call{TransactionID: "b", Owner: owner, Step: StepProposal, Proposal: messageOf(500)}))

	var full *FullError
	require.ErrorAs(t, s.Put(&Call{TransactionID: "c", Owner: owner, Step: StepProposal, Proposal: messageOf(1_500)}), &full)
	assert.Equal(t, 50*time.Second, full.RetryAfter, "a frees its room 90 s after the start, not 60 s")
}

func TestACallIsGoneForFindAndTakeAtTheSameInstant(t *testing.T) {
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 100, 1<<20)
	now := clocked(s)
	require.NoError(t, s.Put(&Call{TransactionID: "tx", Owner: owner, Step: StepProposal, Key: "k", Fingerprint: "f"}))
	*now = now.Add(time.Minute)

	waiting, done, err := s.Find(owner, "k", "f")
	require.NoError(t, err)
	require.Nil(t, waiting, "expired: a retry with the key starts the call again")
	require.Nil(t, done)
	_, err = s.Take(owner, "tx", StepProposal)
	assert.ErrorIs(t, err, ErrNoSuchCall, "so its signature no longer continues the old one: one key, one transaction")
}
