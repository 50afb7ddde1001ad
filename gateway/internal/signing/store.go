package signing

import (
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Errors of Store.Take and Store.Put.
var (
	// ErrNoSuchCall means the caller has no call with that ID waiting at that step (none, another member's, another
	// step, expired or in progress): the same answer for all, so nobody learns of another member's calls.
	ErrNoSuchCall = ledgererr.Messagef("no call waits for this signature")
	// ErrTooMany means the member has MaxPerMember calls waiting already.
	ErrTooMany = ledgererr.Messagef("too many calls waiting for signatures")
	// ErrFull means the store holds its bytes' bound already: a new call is refused before anything is sent, until
	// outcomes expire (a FullError says when).
	ErrFull = ledgererr.Messagef("the gateway holds as many self-signed calls and answers as it keeps")
)

// FullError is ErrFull with the time until the first of the kept entries expires.
type FullError struct {
	// RetryAfter is when room frees at the earliest.
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
// before its TTL, or a retry with its key would run the call again. Every operation costs O(1) amortised: entries
// all live ttl after their last change, so they expire in the order they were made (expiries), and each member's
// count of waiting calls is kept as it changes.
type Store struct {
	ttl          time.Duration
	maxPerMember int
	maxBytes     int
	now          func() time.Time

	mu sync.Mutex
	// calls holds the waiting calls and those whose step runs now (taken), until they finish or expire.
	calls map[string]*Call
	// waiting counts each owner's waiting calls (not taken), by owner certificate hash.
	waiting map[string]int
	// keys maps an owner's idempotency key to its call's transaction ID while the call waits, and outcomes keeps
	// the answer of a finished one for ttl after it finished.
	keys     map[string]string
	outcomes map[string]*Outcome
	expiries expiries
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
}

// entryOverhead is what a kept call or outcome costs beyond the bytes it holds (its struct, its map and queue
// slots, its owner's hash), counted generously.
const entryOverhead = 512

// NewStore returns a store that keeps a call ttl after its last step, at most maxPerMember calls per member, and
// at most maxBytes of calls and outcomes.
func NewStore(ttl time.Duration, maxPerMember, maxBytes int) *Store {
	return &Store{ttl: ttl, maxPerMember: maxPerMember, maxBytes: maxBytes, now: time.Now,
		calls: map[string]*Call{}, waiting: map[string]int{}, keys: map[string]string{}, outcomes: map[string]*Outcome{}}
}

func ownerOf(owner *x509.Certificate) string {
	sum := sha256.Sum256(owner.Raw)
	return string(sum[:])
}

func keyOf(owner *x509.Certificate, key string) string { return ownerOf(owner) + "\x00" + key }

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
// ErrKeyReused.
func (s *Store) Find(owner *x509.Certificate, key, fingerprint string) (*Call, *Outcome, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := keyOf(owner, key)
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
	return c, nil, nil
}

// Put keeps a call, new or at its next step, until its next signature arrives or ttl passes. A new call is refused
// when its member has maxPerMember waiting (ErrTooMany) or the store is full (a FullError); a call at its next step
// only when its member has maxPerMember others waiting.
func (s *Store) Put(c *Call) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if c.owner == "" {
		c.owner = ownerOf(c.Owner)
	}
	kept := s.calls[c.TransactionID] == c
	others := s.waiting[c.owner]
	if kept && !c.taken {
		others-- // put again while it waits: it is not another
	}
	if others >= s.maxPerMember {
		return fmt.Errorf("%w: at most %d per member; sign or let them expire (%s)", ErrTooMany, s.maxPerMember, s.ttl)
	}
	size := c.size()
	if !c.admitted && s.bytes+size > s.maxBytes {
		return &FullError{RetryAfter: max(time.Second, s.expiries.next().Sub(now))}
	}
	if kept {
		s.bytes -= c.charged
		if !c.taken {
			s.waiting[c.owner]--
		}
	}
	c.admitted, c.charged, c.taken, c.expires = true, size, false, now.Add(s.ttl)
	s.bytes += size
	s.calls[c.TransactionID] = c
	s.waiting[c.owner]++
	s.expiries.push(c.TransactionID, false, c.expires)
	if c.Key != "" {
		s.keys[keyOf(c.Owner, c.Key)] = c.TransactionID
	}
	return nil
}

// Take marks the owner's call waiting at step as running and returns it, so that one request at a time continues
// it. The caller ends it with Put (to wait for its next step, or for the same signature again after a refused one),
// Finish or Drop; one that does none is forgotten ttl after the Take.
func (s *Store) Take(owner *x509.Certificate, txID string, step Step) (*Call, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c, ok := s.calls[txID]
	if !ok || c.taken || !c.Owner.Equal(owner) || c.Step != step || now.After(c.expires) {
		return nil, ErrNoSuchCall
	}
	c.taken, c.expires = true, now.Add(s.ttl)
	s.waiting[c.owner]--
	s.expiries.push(txID, false, c.expires)
	return c, nil
}

// Finish ends a call with its final answer, recorded for the retries of a call started with an idempotency key. It
// is never refused: the answer takes the place of its call.
func (s *Store) Finish(c *Call, status int, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	s.forget(c)
	if c.Key == "" {
		return
	}
	k := keyOf(c.Owner, c.Key)
	if old, ok := s.outcomes[k]; ok {
		s.bytes -= old.charged
	}
	o := &Outcome{Fingerprint: c.Fingerprint, Status: status, Body: body, expires: now.Add(s.ttl),
		charged: entryOverhead + len(k) + len(c.Fingerprint) + len(body)}
	s.bytes += o.charged
	s.outcomes[k] = o
	s.expiries.push(k, true, o.expires)
}

// Drop ends a call that leaves no outcome to answer again: a read, or a call nothing of which was sent for ordering
// (its endorsement failed, ordering refused it), whose idempotency key a retry may use to run the request again.
func (s *Store) Drop(c *Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forget(c)
}

// forget removes a call and its idempotency key (s.mu held).
func (s *Store) forget(c *Call) {
	if s.calls[c.TransactionID] != c {
		return
	}
	delete(s.calls, c.TransactionID)
	s.bytes -= c.charged
	if !c.taken {
		s.waiting[c.owner]--
	}
	if s.waiting[c.owner] <= 0 {
		delete(s.waiting, c.owner)
	}
	if c.Key != "" {
		if k := keyOf(c.Owner, c.Key); s.keys[k] == c.TransactionID {
			delete(s.keys, k)
		}
	}
}

// expire forgets the calls and outcomes whose time has passed, oldest first (s.mu held). An entry of the queue
// whose call or outcome changed since is stale: the newer one has its own.
func (s *Store) expire(now time.Time) {
	for e, ok := s.expiries.front(); ok && now.After(e.at); e, ok = s.expiries.front() {
		s.expiries.pop()
		if e.outcome {
			if o, ok := s.outcomes[e.id]; ok && o.expires.Equal(e.at) {
				delete(s.outcomes, e.id)
				s.bytes -= o.charged
			}
			continue
		}
		if c, ok := s.calls[e.id]; ok && c.expires.Equal(e.at) {
			s.forget(c)
		}
	}
}

// Len reports how many calls are kept, for tests and metrics.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}
