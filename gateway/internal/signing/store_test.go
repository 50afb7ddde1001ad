package signing

import (
	"crypto/x509"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
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
	s := NewStore(time.Minute, 100, manyAnswers, 50_000)
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
	assert.Equal(t, time.Minute, full.RetryAfter, "by then everything kept now has expired")
	assert.Zero(t, s.Len(), "nothing of the refused call is kept")
	require.NoError(t, s.Put(&Call{TransactionID: "small", Owner: owner, Step: StepProposal, Proposal: messageOf(1_000)}), "what fits is taken in")

	now = now.Add(time.Minute - 3*time.Second)
	assert.NoError(t, s.Put(&Call{TransactionID: "new", Owner: owner, Step: StepProposal, Proposal: messageOf(8_000), Key: "new"}),
		"the first answer expired: its room is free again")
}

func TestAnOutcomeIsNeverForgottenBeforeItsTTLEvenWhenTheStoreIsFull(t *testing.T) {
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 100, manyAnswers, 30_000)
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
	s := NewStore(time.Minute, 100, manyAnswers, 20_000)
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
	s := NewStore(time.Minute, 2, manyAnswers, 1<<20)
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

// The store's refusals tell a member nothing of other members: a full store's Retry-After is its TTL, whenever other
// members started or finished their calls (it was when the first of them expires), and a member at its own limit is
// told its limit, the same whether the store is empty or full of other members' answers.
func TestTheStoresRefusalsTellNothingOfOtherMembers(t *testing.T) {
	me, _ := certificate(t, "me")
	other, _ := certificate(t, "other")
	var fulls, tooManys []string
	for _, age := range []time.Duration{-1, time.Second, 50 * time.Second} {
		s := NewStore(time.Minute, 1, manyAnswers, 20_000)
		now := clocked(s)
		if age >= 0 {
			finish(t, s, &Call{TransactionID: "theirs", Owner: other, Step: StepProposal, Key: "k", Fingerprint: "f"}, 15_000)
			*now = now.Add(age)
			err := s.Put(&Call{TransactionID: "mine", Owner: me, Step: StepProposal, Proposal: messageOf(8_000)})
			var full *FullError
			require.ErrorAs(t, err, &full, "another member's answer of 15 kB and a proposal of 8 kB exceed 20 kB")
			assert.Equal(t, time.Minute, full.RetryAfter, "the other member's answer made %s ago", age)
			fulls = append(fulls, err.Error())
		}
		require.NoError(t, s.Put(&Call{TransactionID: "small", Owner: me, Step: StepProposal}))
		err := s.Put(&Call{TransactionID: "more", Owner: me, Step: StepProposal, Proposal: messageOf(8_000)})
		require.ErrorIs(t, err, ErrTooMany)
		wait, ok := RetryAfter(err)
		require.True(t, ok)
		assert.Equal(t, time.Minute, wait, "its own call, made now, expires in the TTL whatever other members did")
		tooManys = append(tooManys, err.Error())
	}
	assert.Equal(t, fulls[0], fulls[1], "one answer, whenever the other member's answer was made")
	assert.Equal(t, tooManys[0], tooManys[1], "one answer, the store empty or full")
	assert.Equal(t, tooManys[0], tooManys[2])
}

// A member at its limit is told when to come back from its own calls alone: when the first of its waiting calls
// expires unless signed (what each call's expires_at told it), the TTL when every call of its runs a step; another
// member's call, expiring sooner, changes nothing.
func TestAMemberAtItsLimitIsToldWhenItsOwnFirstCallExpires(t *testing.T) {
	me, _ := certificate(t, "me")
	other, _ := certificate(t, "other")
	s := NewStore(time.Minute, 2, manyAnswers, 1<<20)
	now := clocked(s)
	retryAfter := func() time.Duration {
		t.Helper()
		err := s.Put(&Call{TransactionID: "more", Owner: me, Step: StepProposal})
		require.ErrorIs(t, err, ErrTooMany)
		wait, ok := RetryAfter(err)
		require.True(t, ok, "a refusal for the member's count says when to come back")
		return wait
	}
	require.NoError(t, s.Put(&Call{TransactionID: "theirs", Owner: other, Step: StepProposal}))
	*now = now.Add(10 * time.Second)
	require.NoError(t, s.Put(&Call{TransactionID: "first", Owner: me, Step: StepProposal}))
	*now = now.Add(20 * time.Second)
	require.NoError(t, s.Put(&Call{TransactionID: "second", Owner: me, Step: StepProposal}))
	*now = now.Add(5 * time.Second)
	assert.Equal(t, 35*time.Second, retryAfter(), "the first call expires 60 s after it was made, 25 s ago")

	first, err := s.Take(me, "first", StepProposal)
	require.NoError(t, err)
	assert.Equal(t, 55*time.Second, retryAfter(), "the first call's step runs: the second expires next")
	second, err := s.Take(me, "second", StepProposal)
	require.NoError(t, err)
	assert.Equal(t, time.Minute, retryAfter(), "every call of its runs a step: each lives the TTL after it")
	s.Release(first)
	s.Release(second)
	_, ok := RetryAfter(ErrNoSuchCall)
	assert.False(t, ok, "no other refusal says when")
}

// A call whose step runs longer than the TTL (a slow endorsement) is not forgotten meanwhile: it keeps its member's
// place, so that the member's new calls cannot take it and the step's put-back is never refused, and it lives the
// TTL from its put-back. It expired while its step ran: the member, having started its calls meanwhile, was 429 at
// that step.
func TestACallDoesNotExpireWhileItsStepRuns(t *testing.T) {
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 2, manyAnswers, 1<<20)
	now := clocked(s)
	require.NoError(t, s.Put(&Call{TransactionID: "a", Owner: owner, Step: StepProposal}))
	a, err := s.Take(owner, "a", StepProposal)
	require.NoError(t, err)
	*now = now.Add(3 * time.Minute)
	require.NoError(t, s.Put(&Call{TransactionID: "b", Owner: owner, Step: StepProposal}))
	require.ErrorIs(t, s.Put(&Call{TransactionID: "c", Owner: owner, Step: StepProposal}), ErrTooMany, "a's step runs: it holds its place")

	a.Step, a.Transaction = StepTransaction, messageOf(100)
	require.NoError(t, s.Put(a), "its put-back is never refused")
	assert.Equal(t, now.Add(time.Minute), a.Expires(), "it lives the TTL from its put-back")
	*now = now.Add(time.Minute - time.Second)
	_, err = s.Take(owner, "a", StepTransaction)
	require.NoError(t, err, "it waits its whole TTL")
	checkAccounts(t, s, "a step longer than the TTL")
}

// Release puts back a call whose step did not end (it panicked): it waits again, at its step, for the TTL from then,
// and a retry with its key answers it. A request's copy that was put back and taken again by another request, or
// whose call ended, changes nothing: what one request ended, another one's step is never put back by it.
func TestReleasePutsBackOnlyAStepThatDidNotEnd(t *testing.T) {
	owner, s, now := oneKeyedCall(t)
	first, err := s.Take(owner, "tx", StepProposal)
	require.NoError(t, err)
	*now = now.Add(10 * time.Second)
	s.Release(first)
	assert.Equal(t, now.Add(time.Minute), first.Expires())
	waiting, _, err := s.Find(owner, "k", "f")
	require.NoError(t, err, "not in progress: put back")
	require.NotNil(t, waiting)
	assert.Equal(t, StepProposal, waiting.Step)

	second, err := s.Take(owner, "tx", StepProposal)
	require.NoError(t, err)
	s.Release(first)
	require.ErrorIs(t, s.Put(first), ErrNoSuchCall)
	_, _, err = s.Find(owner, "k", "f")
	require.ErrorIs(t, err, ErrInProgress, "the second request's step still runs alone")
	_, err = s.Take(owner, "tx", StepProposal)
	require.ErrorIs(t, err, ErrNoSuchCall)

	s.Finish(second, 201, nil)
	s.Release(second)
	assert.Zero(t, s.Len(), "a finished call stays finished")
	_, done, err := s.Find(owner, "k", "f")
	require.NoError(t, err)
	require.NotNil(t, done)
	checkAccounts(t, s, "releases")
}

// oneKeyedCall is a store on a test clock holding one call, "tx" of owner at its proposal, started with key "k"
// (fingerprint "f").
func oneKeyedCall(t *testing.T) (*x509.Certificate, *Store, *time.Time) {
	t.Helper()
	owner, _ := certificate(t, "owner")
	s := NewStore(time.Minute, 100, manyAnswers, 1<<20)
	now := clocked(s)
	require.NoError(t, s.Put(&Call{TransactionID: "tx", Owner: owner, Step: StepProposal, Key: "k", Fingerprint: "f"}))
	return owner, s, now
}

func TestACallIsGoneForFindAndTakeAtTheSameInstant(t *testing.T) {
	owner, s, now := oneKeyedCall(t)
	*now = now.Add(time.Minute)

	waiting, done, err := s.Find(owner, "k", "f")
	require.NoError(t, err)
	require.Nil(t, waiting, "expired: a retry with the key starts the call again")
	require.Nil(t, done)
	_, err = s.Take(owner, "tx", StepProposal)
	assert.ErrorIs(t, err, ErrNoSuchCall, "so its signature no longer continues the old one: one key, one transaction")
}

// A member may re-enrol with the org's CA as often as it likes, a new key and certificate of its identity each time:
// the per-member count is its identity's, whichever certificate started each call, so that more certificates hold no
// more calls nor bytes. (Counted by certificate, one member with 8 certificates filled the whole store with 17 KB
// proposals and every other member's new call was 429 until they expired, again and again.)
func TestAMemberReenrolledForMoreCertificatesHoldsNoMoreCalls(t *testing.T) {
	s := NewStore(routes.SigningTTL, routes.SigningMaxPerMember, manyAnswers, routes.SigningMaxBytes)
	now := time.Now()
	s.now = func() time.Time { return now }
	held := 0
	for k := range 64 {
		mallory, _ := certificate(t, "mallory") // the same identity over a new key: one re-enrolment
		for i := range routes.SigningMaxPerMember {
			err := s.Put(&Call{TransactionID: fmt.Sprint("m", k, "-", i), Owner: mallory, Step: StepProposal, Proposal: messageOf(17_000)})
			if err != nil {
				require.ErrorIs(t, err, ErrTooMany, "refused for the member's count, not for the store's room")
				break
			}
			held++
		}
	}
	assert.Equal(t, routes.SigningMaxPerMember, held, "64 certificates of one identity hold one member's calls")
	alice, _ := certificate(t, "alice")
	assert.NoError(t, s.Put(&Call{TransactionID: "alice-1", Owner: alice, Step: StepProposal, Proposal: messageOf(17_000)}),
		"another member starts its call")
}

// A member's answers kept are bounded by its identity, whichever of its certificates made them: past the bound a new
// call with an idempotency key is refused (TooManyError, Retry-After when its own first answer expires), while every
// answer kept is still found by its retries, a call without a key (which leaves no answer) is still taken, and other
// members are untouched. Once its first answer expires, a new keyed call is taken again. (Bounded only overall, one
// member's keyed calls, re-enrolling for a certificate each, filled the store's bytes and refused every member's new
// calls.)
func TestAMembersAnswersAreBoundedByItsIdentity(t *testing.T) {
	first, _ := certificate(t, "owner")
	reenrolled, _ := certificate(t, "owner") // the same identity over another key
	other, _ := certificate(t, "other")
	s := NewStore(time.Minute, 100, 3, 1<<30)
	now := clocked(s)
	for i, owner := range []*x509.Certificate{first, reenrolled, reenrolled} {
		finish(t, s, &Call{TransactionID: fmt.Sprint("tx", i), Owner: owner, Step: StepProposal, Key: fmt.Sprint("k", i), Fingerprint: "f"}, 100)
		*now = now.Add(time.Second)
	}

	for _, owner := range []*x509.Certificate{first, reenrolled} {
		err := s.Put(&Call{TransactionID: "new", Owner: owner, Step: StepProposal, Key: "new", Fingerprint: "f"})
		require.ErrorIs(t, err, ErrTooManyAnswers, "three answers of its identity, whichever certificate asks")
		wait, ok := RetryAfter(err)
		require.True(t, ok)
		assert.Equal(t, time.Minute-3*time.Second, wait, "when its first answer expires")
	}
	_, done, err := s.Find(reenrolled, "k2", "f")
	require.NoError(t, err)
	require.NotNil(t, done, "a retry is still answered")
	keyless := &Call{TransactionID: "keyless", Owner: first, Step: StepProposal}
	require.NoError(t, s.Put(keyless), "a call without a key leaves no answer")
	s.Drop(keyless)
	require.NoError(t, s.Put(&Call{TransactionID: "others", Owner: other, Step: StepProposal, Key: "new", Fingerprint: "f"}), "another member is untouched")

	*now = now.Add(time.Minute - 3*time.Second)
	require.NoError(t, s.Put(&Call{TransactionID: "new", Owner: reenrolled, Step: StepProposal, Key: "new", Fingerprint: "f"}),
		"its first answer expired: a new keyed call is taken")
}
