package signing

import (
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Errors of Store.Take and Store.Put.
var (
	// ErrNoSuchCall means the caller has no call with that ID waiting at that step (none, another member's, another
	// step, expired or in progress): the same answer for all, so nobody learns of another member's calls.
	ErrNoSuchCall = ledgererr.Messagef("no call waits for this signature")
	// ErrTooMany means the member has MaxPerMember calls already, waiting or running a step.
	ErrTooMany = ledgererr.Messagef("too many calls waiting for signatures")
	// ErrTooManyAnswers means the member has maxAnswersPerMember answers of calls with an idempotency key kept
	// already: a new call with a key is refused (a call without one, which leaves no answer, is not).
	ErrTooManyAnswers = ledgererr.Messagef("too many answers of calls with an Idempotency-Key kept")
	// ErrFull means the store holds its bytes' bound already: a new call is refused before anything is sent, until
	// outcomes expire (a FullError says when to come back).
	ErrFull = ledgererr.Messagef("the gateway holds as many self-signed calls and answers as it keeps")
)

// FullError is ErrFull with when to come back: the store's TTL, by which everything it keeps now has expired but the
// calls whose step runs then. It is the same for every caller at every moment: when the first entry expires would
// tell a member when another member last started or finished a call.
type FullError struct {
	// RetryAfter is the store's TTL.
	RetryAfter time.Duration
}

func (e *FullError) message() *ledgererr.Message {
	return ledgererr.Messagef("the gateway holds as many self-signed calls and answers as it keeps; a new call may start in %s",
		e.RetryAfter.Round(time.Second))
}

// Error is the message in English.
func (e *FullError) Error() string { return e.message().Error() }

// In is the message in lang.
func (e *FullError) In(lang ledgererr.Language) string { return e.message().In(lang) }

// Unwrap makes a FullError ErrFull.
func (e *FullError) Unwrap() error { return ErrFull }

// TooManyError is ErrTooMany with when to come back: when the first of the member's own waiting calls expires unless
// it signs its next step, read from that member's calls alone (at most maxPerMember), so that it tells the member
// nothing it could not know from the calls' expires_at, and nothing of other members; the store's TTL when every call
// of its runs a step now (each lives the TTL after its step ends). Or it is ErrTooManyAnswers with when the member's
// own first answer kept expires, read from its answers alone.
type TooManyError struct {
	err error
	// RetryAfter is how long until the member's first waiting call expires.
	RetryAfter time.Duration
}

// Error is the message in English.
func (e *TooManyError) Error() string { return e.err.Error() }

// Unwrap makes a TooManyError ErrTooMany.
func (e *TooManyError) Unwrap() error { return e.err }

// RetryAfter reports when a new call refused with err (by Put) may be taken in: a FullError's or a TooManyError's
// wait; ok is false for any other error.
func RetryAfter(err error) (wait time.Duration, ok bool) {
	var full *FullError
	var tooMany *TooManyError
	switch {
	case errors.As(err, &full):
		return full.RetryAfter, true
	case errors.As(err, &tooMany):
		return tooMany.RetryAfter, true
	}
	return 0, false
}

// Errors of Store.Find.
var (
	// ErrKeyReused means an idempotency key came back with another request.
	ErrKeyReused = ledgererr.Messagef("the Idempotency-Key was already used for a different request")
	// ErrInProgress means a step of the key's call is running now.
	ErrInProgress = ledgererr.Messagef("a step of the call with this Idempotency-Key is running; retry in a moment")
)

// Store holds the calls between their steps and the outcomes of the finished ones, in at most maxBytes (bodies and
// messages, plus entryOverhead an entry). Only a new call is refused when the store is full: a call's next steps and
// its outcome are always kept, so that a member who signed never loses its answer, and an outcome is never forgotten
// before its TTL, or a retry with its key would run the call again. A call whose step runs (taken) never expires: it
// lives ttl after its put-back, however long the step ran, and keeps its place and its bytes meanwhile (every step
// is bounded by its Fabric timeout, and ends with Put, Finish, Drop or Release). Every operation costs O(1)
// amortised: the waiting calls and the outcomes all live ttl after their last change, so they expire in the order
// they were made (expiries), and each member's count of calls is kept as it changes.
type Store struct {
	ttl                 time.Duration
	maxPerMember        int
	maxAnswersPerMember int
	maxBytes            int
	now                 func() time.Time

	mu sync.Mutex
	// calls holds the waiting calls, until they finish or expire, and those whose step runs now (taken), until the
	// step ends.
	calls map[string]*Call
	// held holds the transaction IDs of each member's calls, waiting or taken, by the member's identity
	// (wallet.IdentityOf: subject and issuer), whatever certificate or key each call's owner signs with: a member
	// re-enrolling with its CA for more certificates of its identity gets no more room, in calls nor so in bytes. A
	// call whose step runs keeps its place, so that it always comes back at its next step, and a member never has
	// more than maxPerMember. A member refused for its count is told when its own first call expires (TooManyError).
	held map[string]map[string]struct{}
	// keys maps an owner's idempotency key to its call's transaction ID while the call waits, and outcomes keeps
	// the answer of a finished one for ttl after it finished.
	keys     map[string]string
	outcomes map[string]*Outcome
	expiries expiries
	// answers holds each member's outcomes by its identity, as held its calls: a member re-enrolling for more
	// certificates gets no more answers kept. A member holding maxAnswersPerMember is refused a new call with a key
	// (TooManyError, when its own first answer expires) while its answers are still answered to their retries; one
	// member no longer fills the store's bytes with answers, which refused every member's new calls (ErrFull).
	answers map[string]*answered
	// bytes is what the calls and outcomes kept are counted for.
	bytes int
}

// Outcome is the final answer of a call started with an idempotency key, answered again to a retry.
type Outcome struct {
	Fingerprint string
	Status      int
	Body        []byte
	expires     time.Time
	charged     int
	seq         uint64
	member      string
}

// answered is a member's outcomes in the order they expire (the store's expiries of them, which go stale as the
// store's do), and how many it holds.
type answered struct {
	expiries
	n int
}

// entryOverhead is what a kept call or outcome costs beyond the bytes it holds (its struct, its map and queue
// slots, its owner's hash), counted generously.
const entryOverhead = 512

// NewStore returns a store that keeps a call ttl after its last step, at most maxPerMember calls per member, takes
// a member's new call with an idempotency key while it holds fewer than maxAnswersPerMember outcomes (its calls
// waiting with a key add theirs when they finish), and keeps at most maxBytes of calls and outcomes.
func NewStore(ttl time.Duration, maxPerMember, maxAnswersPerMember, maxBytes int) *Store {
	return &Store{ttl: ttl, maxPerMember: maxPerMember, maxAnswersPerMember: maxAnswersPerMember, maxBytes: maxBytes, now: time.Now,
		calls: map[string]*Call{}, held: map[string]map[string]struct{}{}, keys: map[string]string{}, outcomes: map[string]*Outcome{},
		answers: map[string]*answered{}}
}

func ownerOf(owner *x509.Certificate) string {
	sum := sha256.Sum256(owner.Raw)
	return string(sum[:])
}

func keyOf(owner, key string) string { return owner + "\x00" + key }

// own records the call's owner hash, its member and its idempotency key in the store's maps, once a call: every
// later use of the call reads them.
func (c *Call) own() {
	if c.owner != "" {
		return
	}
	c.owner, c.member = ownerOf(c.Owner), wallet.IdentityOf(c.Owner)
	if c.Key != "" {
		c.keyed = keyOf(c.owner, c.Key)
	}
}

// size is what a call is counted for: what it holds at its steps.
func (c *Call) size() int {
	n := entryOverhead + len(c.TransactionID) + len(c.Owner.Raw) + len(c.Route) + len(c.Key) + len(c.Fingerprint)
	if c.Proposal != nil {
		n += len(c.Proposal.Signable().Bytes)
	}
	if c.Transaction != nil {
		n += len(c.Transaction.Signable().Bytes) + len(c.Transaction.Result())
	}
	if c.Commit != nil {
		n += len(c.Commit.Signable().Bytes)
	}
	return n
}

// Find returns what a retry with the owner's idempotency key gets: the call still waiting (at its current step),
// or the outcome of the finished one; neither when the key is new. A key that comes back with another request is
// ErrKeyReused. Both are copies, the retry's to answer: the call itself may be taken and moved on meanwhile.
func (s *Store) Find(owner *x509.Certificate, key, fingerprint string) (*Call, *Outcome, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := keyOf(ownerOf(owner), key)
	if o, ok := s.outcomes[k]; ok && s.now().Before(o.expires) {
		if o.Fingerprint != fingerprint {
			return nil, nil, ErrKeyReused
		}
		found := *o
		return nil, &found, nil
	}
	txID, ok := s.keys[k]
	if !ok {
		return nil, nil, nil
	}
	c, ok := s.calls[txID]
	switch {
	case !ok || c.taken:
		return nil, nil, ErrInProgress // taken by the request running its step
	case !s.now().Before(c.expires):
		return nil, nil, nil
	case c.Fingerprint != fingerprint:
		return nil, nil, ErrKeyReused
	}
	found := *c
	return &found, nil, nil
}

// Put keeps a call, new or at its next step, until its next signature arrives or ttl passes. A new call is refused
// when its member has maxPerMember calls (ErrTooMany: the caller's own count, nothing of other members) or the
// store is full (a FullError); a call Take returned never: it held its place while its step ran, and a member whose
// transaction was sent for ordering always gets to sign its commit-status request. A call the store took in once is
// not taken in again once ended (ErrNoSuchCall).
func (s *Store) Put(c *Call) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	c.own()
	size := c.size()
	if s.calls[c.TransactionID] == c {
		s.keep(c, size, now)
		return nil
	}
	if c.admitted {
		return ErrNoSuchCall // ended, or taken again since: a request's copy does not bring back what it ended
	}
	if len(s.held[c.member]) >= s.maxPerMember {
		return &TooManyError{err: fmt.Errorf("%w: at most %d per member, whichever of its certificates started them; sign or let them expire (%s)", ErrTooMany, s.maxPerMember, s.ttl),
			RetryAfter: s.firstExpiryOf(c.member, now)}
	}
	if a := s.answers[c.member]; c.keyed != "" && a != nil && a.n >= s.maxAnswersPerMember {
		return &TooManyError{err: fmt.Errorf("%w: at most %d per member, whichever of its certificates made them; call without an Idempotency-Key, or when its first answer expires (%s after it was made)",
			ErrTooManyAnswers, s.maxAnswersPerMember, s.ttl), RetryAfter: s.firstAnswerExpiry(a, now)}
	}
	if s.bytes+size > s.maxBytes {
		return &FullError{RetryAfter: s.ttl}
	}
	if other, ok := s.calls[c.TransactionID]; ok {
		s.forget(other) // another call under its ID (none: the ID hashes a random nonce and the creator) is counted once
	}
	if s.held[c.member] == nil {
		s.held[c.member] = map[string]struct{}{}
	}
	s.held[c.member][c.TransactionID] = struct{}{}
	c.charged = 0
	s.calls[c.TransactionID] = c
	s.keep(c, size, now)
	return nil
}

// firstExpiryOf is how long from now until the first of member's waiting calls expires, the TTL when every call of
// its runs a step (s.mu held, expired calls forgotten): member's calls alone are read, at most maxPerMember.
func (s *Store) firstExpiryOf(member string, now time.Time) time.Duration {
	wait := s.ttl
	for id := range s.held[member] {
		if c := s.calls[id]; !c.taken {
			wait = min(wait, c.expires.Sub(now))
		}
	}
	return wait
}

// firstAnswerExpiry is how long from now until the first of a member's outcomes a expires (s.mu held, expired
// outcomes forgotten): its stale entries at the front are dropped, and the member's answers alone are read.
func (s *Store) firstAnswerExpiry(a *answered, now time.Time) time.Duration {
	for e, ok := a.front(); ok; e, ok = a.front() {
		if s.current(e) {
			return e.at.Sub(now)
		}
		a.pop()
	}
	return s.ttl
}

// keep counts a call the store holds under its ID, counted in its owner's calls, at size (what it holds now), and
// has it wait ttl from now (s.mu held).
func (s *Store) keep(c *Call, size int, now time.Time) {
	s.bytes += size - c.charged
	c.admitted, c.charged, c.taken, c.expires = true, size, false, now.Add(s.ttl)
	c.seq = s.expiries.push(c.TransactionID, false, c.expires)
	if c.keyed != "" {
		s.keys[c.keyed] = c.TransactionID
	}
	s.compact()
}

// Take marks the owner's call waiting at step as running and returns it, so that one request at a time continues
// it. What it returns is the request's own copy, and the store's call until the request ends it: with Put (to wait
// for its next step, or for the same signature again after a refused one), Finish or Drop, and with Release
// deferred, for a step that panics. A copy that a later Take replaced changes nothing with Release, so a request
// that ended its step cannot put back the step another request runs now. The call does not expire while its step
// runs: its queue entry is left stale, and its put-back queues a new one.
func (s *Store) Take(owner *x509.Certificate, txID string, step Step) (*Call, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c, ok := s.calls[txID]
	if !ok || c.taken || !c.Owner.Equal(owner) || c.Step != step || !now.Before(c.expires) {
		return nil, ErrNoSuchCall
	}
	taken := *c
	taken.taken, taken.seq = true, 0 // no entry of the queue is its: sequence numbers start at 1
	s.calls[txID] = &taken
	return &taken, nil
}

// Release puts back, at the step it is at, a call whose step the request did not end (it panicked), so that it waits
// again for its signature instead of holding its member's place and its bytes: a call Take returned that was since
// put back, finished or dropped is left as it is. Put back, never forgotten: a transaction sent for ordering keeps
// its idempotency key, and its signature sends the same transaction again (Fabric commits a transaction ID once),
// where a forgotten call would let a retry with the key start a second transaction.
func (s *Store) Release(c *Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls[c.TransactionID] != c || !c.taken {
		return
	}
	now := s.now()
	s.expire(now)
	s.keep(c, c.size(), now)
}

// Finish ends a call with its final answer, recorded for the retries of a call started with an idempotency key. It
// is never refused: the answer takes the place of its call.
func (s *Store) Finish(c *Call, status int, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	c.own()
	s.forget(c)
	defer s.compact()
	if c.keyed == "" {
		return
	}
	k := c.keyed
	a := s.answers[c.member]
	if a == nil {
		a = &answered{}
		s.answers[c.member] = a
	}
	if old, ok := s.outcomes[k]; ok {
		s.bytes -= old.charged // the same key of the same certificate: the same member's, counted once
	} else {
		a.n++
	}
	o := &Outcome{Fingerprint: c.Fingerprint, Status: status, Body: body, expires: now.Add(s.ttl),
		charged: entryOverhead + len(k) + len(c.Fingerprint) + len(body), member: c.member}
	s.bytes += o.charged
	s.outcomes[k] = o
	o.seq = s.expiries.push(k, true, o.expires)
	a.add(expiry{id: k, outcome: true, at: o.expires, seq: o.seq})
	a.compact(a.n, s.current)
}

// forgetOutcome removes the outcome under key k, uncounted in its member's answers (s.mu held): its entry there, at
// the front since the member's outcomes expire in order too, goes with the stale ones before it.
func (s *Store) forgetOutcome(k string) {
	o := s.outcomes[k]
	s.bytes -= o.charged
	delete(s.outcomes, k)
	a := s.answers[o.member]
	if a.n--; a.n == 0 {
		delete(s.answers, o.member)
		return
	}
	for e, ok := a.front(); ok && !s.current(e); e, ok = a.front() {
		a.pop()
	}
	a.compact(a.n, s.current)
}

// Drop ends a call that leaves no outcome to answer again: a read, or a call nothing of which was sent for ordering
// (its endorsement failed, ordering refused it), whose idempotency key a retry may use to run the request again.
func (s *Store) Drop(c *Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forget(c)
	s.compact()
}

// forget removes a call and its idempotency key (s.mu held).
func (s *Store) forget(c *Call) {
	if s.calls[c.TransactionID] != c {
		return
	}
	delete(s.calls, c.TransactionID)
	s.bytes -= c.charged
	if delete(s.held[c.member], c.TransactionID); len(s.held[c.member]) == 0 {
		delete(s.held, c.member)
	}
	if c.keyed != "" && s.keys[c.keyed] == c.TransactionID {
		delete(s.keys, c.keyed)
	}
}

// expire forgets the calls and outcomes whose time has come, oldest first (s.mu held), and the stale entries at
// the queue's front (left by a call or outcome changed since), so that the front is the next expiry.
func (s *Store) expire(now time.Time) {
	for e, ok := s.expiries.front(); ok; e, ok = s.expiries.front() {
		current := s.current(e)
		if current && now.Before(e.at) {
			return
		}
		s.expiries.pop()
		switch {
		case !current:
		case e.outcome:
			s.forgetOutcome(e.id)
		default:
			s.forget(s.calls[e.id])
		}
	}
}

// current reports whether an expiry is its call's or outcome's last (s.mu held).
func (s *Store) current(e expiry) bool {
	if e.outcome {
		o, ok := s.outcomes[e.id]
		return ok && o.seq == e.seq
	}
	c, ok := s.calls[e.id]
	return ok && c.seq == e.seq
}

// compact drops the queue's stale entries once they outnumber the current ones (s.mu held).
func (s *Store) compact() { s.expiries.compact(len(s.calls)+len(s.outcomes), s.current) }

// Len reports how many calls are kept, for tests and metrics.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}
