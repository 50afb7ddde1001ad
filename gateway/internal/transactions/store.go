package transactions

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

// Outcome is what a submission produced: the transaction, and its commit or
// its failure.
type Outcome struct {
	// Fingerprint identifies the request, so that a key reused for a
	// different request is refused.
	Fingerprint string `json:"fingerprint"`
	// Member is who submitted it: a wallet member's name, or, with Signer,
	// the keyed identity of a member who signs its own calls.
	Member string `json:"member"`
	// Signer marks the transaction of a member who signs its own calls
	// (Manager.SentBySigner), which no wallet member of the same name sent.
	Signer bool `json:"signer,omitempty"`
	// Share is whose share of the index by transaction ID a signer's
	// outcome counts in: its certificate's identity (auth.Caller.Share),
	// whatever its key, where Member names the certificate. "" counts it
	// in Member's.
	Share string `json:"-"`
	// TransactionID is the submitted transaction.
	TransactionID string `json:"transaction_id,omitempty"`
	// Result is the chaincode's response, as endorsed.
	Result json.RawMessage `json:"result,omitempty"`
	// Committed reports that the transaction is committed valid (it is
	// false after a submission that did not wait).
	Committed bool `json:"committed,omitempty"`
	// BlockNumber is the block that holds the committed transaction.
	BlockNumber uint64 `json:"block_number,omitempty"`
	// Failure is why the transaction failed: refused by the chaincode,
	// committed invalid, or (Pending) its ordering outcome unknown.
	Failure *chain.Error `json:"failure,omitempty"`
	// Transaction is the endorsed transaction of a Pending outcome, which a
	// retry sends for ordering again when it is not seen committed.
	Transaction []byte `json:"transaction,omitempty"`
	// Replayed marks an outcome answered again to a retry.
	Replayed bool `json:"-"`
	// Expires is when the outcome is forgotten.
	Expires time.Time `json:"expires"`
}

// Pending reports an outcome that is not final: the transaction was sent for
// ordering but its commit was not confirmed. A retry resolves it through the
// transaction's commit status.
func (o *Outcome) Pending() bool {
	return o.Failure != nil && o.Failure.Kind == chain.KindOutcomeUnknown
}

type entry struct {
	outcome *Outcome
	done    chan struct{} // closed when the running request completes or abandons
	// member is whose share of the store the entry counts in, and charged the bytes it is counted for.
	member  string
	charged int
}

// storeKey is the store's key of a member's idempotency key: the member's name, a NUL, and the key. The part before
// the NUL (memberOfKey) says whose share of the store the key counts in.
func storeKey(member, key string) string { return member + "\x00" + key }

// memberOfKey is the member a store key counts for ("" for a key without one, in tests).
func memberOfKey(key string) string {
	member, _, _ := strings.Cut(key, "\x00")
	return member
}

// Bounds of the outcomes kept by idempotency key, by default (config idempotency.maxPerMember and
// idempotency.maxBytes). A member's own keys bound what one member can make the gateway keep, which otherwise grew
// without limit (a submit the chaincode refuses, a new key each time, is kept for the TTL, ordered or not): 200,000
// outcomes are 2.3 keyed submits a second, day and night, for the default TTL of 24 h, or 33 minutes of a member's
// whole default write budget (100/s). The bytes bound every member's together (about 750 bytes counted an outcome,
// with entryOverhead: 1.4 million outcomes), and one member's to a share of them (memberBytesShare).
const (
	DefaultMaxPerMember = 200_000
	DefaultMaxBytes     = 1 << 30
)

// memberBytesShare is the part of the bytes of every member's outcomes (maxBytes) that one member's may hold: a
// quarter. The count alone let one member whose submits answer large results (an application of an asset answers
// the asset, its description up to 2,000 characters: some 7 KB counted an outcome) fill every member's bytes within
// it (200,000 such outcomes are 1.4 GB), and so have every other member's new keys refused for the TTL; it now takes
// four members at least. A quarter of the default (256 MiB) holds a member's 200,000 outcomes of the 750 bytes a
// common one is counted for: only a member whose outcomes are larger meets it before its count.
const memberBytesShare = 4

// entryOverhead is what an outcome costs beyond the bytes it holds (its structs, its map and queue slots), counted
// generously.
const entryOverhead = 512

// ErrKeysFull means a new Idempotency-Key was refused because the store holds its bound (a KeysFullError says which
// and when to come back): nothing was submitted. A key already used is still answered.
var ErrKeysFull = errors.New("no more Idempotency-Key outcomes can be kept now")

// KeysFullError is ErrKeysFull with its cause and when to come back.
type KeysFullError struct {
	// Member is true when the member holds its own bound, false when the store holds all it keeps.
	Member bool
	// Bytes is true when the member's bound reached is its share of the bytes (memberBytesShare), not its count.
	Bytes bool
	// Max is the bound reached: outcomes of the member, bytes of the member (Bytes), or bytes of all.
	Max int
	// RetryAfter is when the member's first outcome expires (Member), or the store's TTL, by when everything it
	// keeps now has expired, the same for every member at every moment (when the first entry expires would tell a
	// member when another one last submitted).
	RetryAfter time.Duration
}

func (e *KeysFullError) Error() string {
	if e.Member && e.Bytes {
		return fmt.Sprintf("%v: the member's outcomes of Idempotency-Keys hold %d bytes already, the most a member's may (a quarter of what the gateway keeps of every member's); a new key may be used in %s, or submit without one",
			ErrKeysFull, e.Max, e.RetryAfter.Round(time.Second))
	}
	if e.Member {
		return fmt.Sprintf("%v: the member keeps %d outcomes of Idempotency-Keys already, the most a member may; a new key may be used in %s, or submit without one",
			ErrKeysFull, e.Max, e.RetryAfter.Round(time.Second))
	}
	return fmt.Sprintf("%v: the gateway keeps as many outcomes of Idempotency-Keys as it may; a new key may be used in %s, or submit without one",
		ErrKeysFull, e.RetryAfter.Round(time.Second))
}

// Unwrap makes a KeysFullError ErrKeysFull.
func (e *KeysFullError) Unwrap() error { return ErrKeysFull }

// keyQueue is a member's keys in the order they were first kept, for when its first outcome expires, and how many
// it holds and the bytes they are counted for. Keys forgotten since stay in it, stale, until they reach its front or
// the next sweep.
type keyQueue struct {
	keys  []string
	head  int
	n     int
	bytes int
}

// Store holds outcomes: by idempotency key for the key's TTL (and in a file
// that survives a restart, when it has one), and by transaction ID for an
// hour, at most maxTransactions (the member holding the most loses its
// oldest first: txIndex), so that a transaction's status can carry its
// result.
type Store struct {
	ttl  time.Duration
	now  func() time.Time
	mu   sync.Mutex
	m    map[string]*entry
	file logFile
	// syncs makes the file's records durable: one fsync for all the
	// records written while the one before it ran (a group commit), so
	// that concurrent requests do not queue one fsync each behind mu.
	syncs groupSync

	// transactions is the index by transaction ID, at most maxTransactions, the heaviest member's oldest
	// evicted first.
	transactions *txIndex

	// Bounds of the outcomes by key: each member's count and bytes (members), and every member's bytes together.
	maxPerMember int
	maxBytes     int
	members      map[string]*keyQueue
	bytes        int
}

// logFile is the store's append-only file (an *os.File).
type logFile interface {
	Write([]byte) (int, error)
	Sync() error
	Close() error
}

// Bounds of the transaction index.
const (
	transactionTTL  = time.Hour
	maxTransactions = 10000
)

// StoreOption configures a Store.
type StoreOption func(*Store)

// WithClock sets the clock, for tests.
func WithClock(now func() time.Time) StoreOption { return func(s *Store) { s.now = now } }

// WithLimits bounds the outcomes kept by idempotency key: at most maxPerMember of a member, at most maxBytes of all,
// and at most a share of those bytes of a member (memberBytesShare); DefaultMaxPerMember and DefaultMaxBytes
// otherwise. A request with a new key past any of them is refused (KeysFullError) before anything is submitted; an
// outcome already kept, or loaded from the file, is never dropped for them.
func WithLimits(maxPerMember, maxBytes int) StoreOption {
	return func(s *Store) { s.maxPerMember, s.maxBytes = maxPerMember, maxBytes }
}

// NewStore returns an in-memory store that keeps outcomes for ttl.
func NewStore(ttl time.Duration, options ...StoreOption) *Store {
	s := &Store{ttl: ttl, now: time.Now, m: map[string]*entry{}, transactions: newTxIndex(maxTransactions),
		maxPerMember: DefaultMaxPerMember, maxBytes: DefaultMaxBytes, members: map[string]*keyQueue{}}
	for _, apply := range options {
		apply(s)
	}
	return s
}

// OpenStore returns a store backed by the file at path: outcomes recorded in it
// and not expired are loaded, and new ones are appended. The file is
// rewritten without expired outcomes on open.
func OpenStore(path string, ttl time.Duration, options ...StoreOption) (*Store, error) {
	s := NewStore(ttl, options...)
	records := map[string]*Outcome{}
	if f, err := os.Open(path); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
		for sc.Scan() {
			var rec record
			if json.Unmarshal(sc.Bytes(), &rec) != nil || rec.Version != recordVersion {
				continue // a torn last line after a crash, or an older format
			}
			if rec.Outcome == nil {
				delete(records, rec.Key) // abandoned after its pending outcome was written
				continue
			}
			records[rec.Key] = rec.Outcome
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	now := s.now()
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriter(f)
	for key, o := range records {
		if !o.Expires.After(now) {
			continue
		}
		s.keep(key, &entry{outcome: o, done: closed()})
		if o.Failure == nil || o.Failure.Kind != chain.KindRejected {
			// Sent for ordering. A refused request's ID names nothing
			// that can commit: it stays unknown, as before the restart.
			s.remember(*o)
		}
		if err := writeRecord(w, key, o); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return nil, err
	}
	// The new file's contents reach the disk before it replaces the old
	// one, and the rename before the first outcome is appended: after a
	// crash the file is the old one or the whole new one, never empty.
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	s.file, err = os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Close closes the backing file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	s.file = nil
	return err
}

// record is one line of the store's file; the last line of a key wins, and
// one without an outcome forgets the key. Lines of another format version
// are skipped when the file is loaded.
type record struct {
	Version int      `json:"v"`
	Key     string   `json:"key"`
	Outcome *Outcome `json:"outcome,omitempty"`
}

// recordVersion is the format of the outcomes this store writes.
const recordVersion = 2

// write appends a record to the store's file (s.mu held) and returns its
// sequence number, for durable.
func (s *Store) write(key string, o *Outcome) (uint64, error) {
	if err := writeRecord(s.file, key, o); err != nil {
		return 0, err
	}
	return s.syncs.written.Add(1), nil
}

// durable returns once the record written as seq is on disk (s.mu not
// held): a pending outcome must survive a crash of the machine, not only of
// the gateway, or a retry after it would submit the request again.
func (s *Store) durable(f logFile, seq uint64) error { return s.syncs.upTo(f, seq) }

// groupSync syncs a file for every record written up to the call, at most
// one fsync at a time: the callers that wrote while one ran share the next.
type groupSync struct {
	mu      sync.Mutex    // held during an fsync
	written atomic.Uint64 // records written to the file
	synced  uint64        // records on disk (mu)
}

// upTo returns once the records up to seq are on disk.
func (g *groupSync) upTo(f logFile, seq uint64) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.synced >= seq {
		return nil
	}
	// Every record counted by now was written before this fsync starts.
	covered := g.written.Load()
	if err := f.Sync(); err != nil {
		return err
	}
	g.synced = covered
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func writeRecord(w interface{ Write([]byte) (int, error) }, key string, o *Outcome) error {
	b, err := json.Marshal(record{Version: recordVersion, Key: key, Outcome: o})
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func closed() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// Ticket is held by the one request that runs for a key. It must end with
// Complete or Abandon.
type Ticket struct {
	s       *Store
	key     string
	entry   *entry
	once    sync.Once
	written bool   // a pending outcome is in the file
	pending string // the transaction ID of the pending outcome
}

// Begin looks a key up. When an outcome is recorded it returns it; when
// another request with the key is running it waits for that one; otherwise
// it returns a Ticket and the caller runs the request. A recorded outcome of
// a different request is ErrKeyReused.
func (s *Store) Begin(ctx context.Context, key, fingerprint string) (*Outcome, *Ticket, error) {
	for {
		s.mu.Lock()
		e, ok := s.m[key]
		if ok && e.outcome != nil && !e.outcome.Expires.After(s.now()) {
			s.forget(key, e)
			ok = false
		}
		if !ok {
			if err := s.room(memberOfKey(key)); err != nil {
				s.mu.Unlock()
				return nil, nil, err
			}
			e = &entry{done: make(chan struct{})}
			s.keep(key, e)
			s.mu.Unlock()
			return nil, &Ticket{s: s, key: key, entry: e}, nil
		}
		if e.outcome != nil {
			o := *e.outcome
			s.mu.Unlock()
			if o.Fingerprint != fingerprint {
				return nil, nil, ErrKeyReused
			}
			return &o, nil, nil
		}
		done := e.done
		s.mu.Unlock()
		select {
		case <-done: // completed or abandoned: look again
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

// Complete records the outcome and wakes the duplicates waiting for it.
func (t *Ticket) Complete(o Outcome) error {
	var err error
	t.once.Do(func() {
		o.Expires = t.s.now().Add(t.s.ttl)
		err = t.s.put(t.key, t.entry, &o)
		close(t.entry.done)
	})
	return err
}

// Pending writes down, in the store's file, the outcome of a transaction
// that is about to be sent for ordering, before it is sent: when the gateway
// stops before Complete, a retry after its restart finds the transaction ID
// and resolves it through the commit status instead of submitting the
// request again. Duplicates running meanwhile still wait for Complete or
// Abandon. A store without a file keeps nothing across a restart, so
// Pending does nothing there.
func (t *Ticket) Pending(o Outcome) error {
	t.s.mu.Lock()
	t.s.remember(o) // known from now on: its status is pending, not unknown
	t.pending = o.TransactionID
	f := t.s.file
	if f == nil {
		t.s.mu.Unlock()
		return nil
	}
	o.Expires = t.s.now().Add(t.s.ttl)
	seq, err := t.s.write(t.key, &o)
	t.s.mu.Unlock()
	if err != nil {
		return err
	}
	if err := t.s.durable(f, seq); err != nil {
		return err
	}
	t.written = true
	return nil
}

// Abandon forgets the key: the request failed before anything was
// submitted, so a retry may run it again.
func (t *Ticket) Abandon() {
	t.once.Do(func() {
		t.s.mu.Lock()
		if t.s.m[t.key] == t.entry {
			t.s.forget(t.key, t.entry)
		}
		// Not sent after all: its ID is unknown again.
		t.s.transactions.remove(t.pending)
		f := t.s.file
		var seq uint64
		var err error
		if t.written && f != nil {
			// Best effort: if this line is lost, a retry after a restart
			// finds the pending outcome, whose transaction never commits,
			// and is answered OUTCOME_UNKNOWN until the key expires.
			seq, err = t.s.write(t.key, nil)
		}
		t.s.mu.Unlock()
		if seq > 0 && err == nil {
			_ = t.s.durable(f, seq)
		}
		close(t.entry.done)
	})
}

// Update replaces the recorded outcome of a key, for example once a pending
// transaction's commit is confirmed.
func (s *Store) Update(key string, o Outcome) error {
	o.Expires = s.now().Add(s.ttl)
	return s.put(key, nil, &o)
}

// put records an outcome, and returns once it is on disk. A new request
// with the key may read it from the map meanwhile: were the machine to stop
// before the fsync, a success would still be found through its durable
// pending outcome, and a failure (nothing committed) may run again.
func (s *Store) put(key string, owner *entry, o *Outcome) error {
	s.mu.Lock()
	e := owner
	if e == nil {
		e = &entry{done: closed()}
	}
	e.outcome = o
	if s.m[key] != e {
		if old, ok := s.m[key]; ok {
			s.forget(key, old)
		}
		s.keep(key, e)
	}
	s.recharge(e, key)
	f := s.file
	if f == nil {
		s.mu.Unlock()
		return nil
	}
	seq, err := s.write(key, o)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	return s.durable(f, seq)
}

// Remember indexes an outcome by its transaction ID.
func (s *Store) Remember(o Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remember(o)
}

// remember is Remember with s.mu held.
func (s *Store) remember(o Outcome) {
	if o.TransactionID == "" {
		return
	}
	o.Expires = s.now().Add(transactionTTL)
	s.transactions.put(o)
}

// Transaction returns the outcome remembered for a transaction ID.
func (s *Store) Transaction(id string) (Outcome, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.transactions.get(id)
	if !ok || !o.Expires.After(s.now()) {
		return Outcome{}, false
	}
	return o, true
}

// Sweep forgets expired outcomes; the server calls it periodically.
func (s *Store) Sweep() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, e := range s.m {
		if e.outcome != nil && !e.outcome.Expires.After(now) {
			s.forget(k, e)
		}
	}
	// The members' queues lose their stale keys.
	for _, q := range s.members {
		kept := q.keys[:0:0]
		seen := make(map[string]struct{}, q.n)
		for _, k := range q.keys[q.head:] {
			if _, twice := seen[k]; !twice && s.m[k] != nil {
				seen[k] = struct{}{}
				kept = append(kept, k)
			}
		}
		q.keys, q.head = kept, 0
	}
	s.transactions.sweep(now)
}

// room refuses a new key of member when the member or the store holds its bound (s.mu held): a KeysFullError.
func (s *Store) room(member string) error {
	now := s.now()
	if q := s.members[member]; q != nil && s.memberFull(q) {
		// Its outcomes expired and not yet swept make room first, oldest first.
		for s.memberFull(q) && q.head < len(q.keys) {
			k := q.keys[q.head]
			e := s.m[k]
			if e == nil || e.member != member {
				q.head++ // stale: forgotten since
				continue
			}
			if e.outcome == nil || e.outcome.Expires.After(now) {
				wait := s.ttl
				if e.outcome != nil {
					wait = e.outcome.Expires.Sub(now)
				}
				if q.n >= s.maxPerMember {
					return &KeysFullError{Member: true, Max: s.maxPerMember, RetryAfter: wait}
				}
				return &KeysFullError{Member: true, Bytes: true, Max: s.maxBytes / memberBytesShare, RetryAfter: wait}
			}
			s.forget(k, e)
		}
	}
	if s.bytes+entryOverhead > s.maxBytes {
		return &KeysFullError{Max: s.maxBytes, RetryAfter: s.ttl}
	}
	return nil
}

// memberFull reports whether the member of q holds its bound: its count of outcomes, or its share of the bytes with
// one more (s.mu held).
func (s *Store) memberFull(q *keyQueue) bool {
	return q.n >= s.maxPerMember || q.bytes+entryOverhead > s.maxBytes/memberBytesShare
}

// keep puts an entry under key, counted in its member's outcomes and at its bytes (s.mu held, nothing under key).
func (s *Store) keep(key string, e *entry) {
	e.member = memberOfKey(key)
	s.m[key] = e
	q := s.members[e.member]
	if q == nil {
		q = &keyQueue{}
		s.members[e.member] = q
	}
	q.keys = append(q.keys, key)
	q.n++
	s.recharge(e, key)
}

// recharge counts e at the bytes it holds now, in the store's and its member's (s.mu held, e kept).
func (s *Store) recharge(e *entry, key string) {
	size := entryOverhead + len(key)
	if o := e.outcome; o != nil {
		size += len(o.Fingerprint) + len(o.Member) + len(o.TransactionID) + len(o.Result) + len(o.Transaction)
		if o.Failure != nil {
			size += len(o.Failure.Message) + len(o.Failure.Result) + len(o.Failure.TransactionID)
		}
	}
	s.bytes += size - e.charged
	s.members[e.member].bytes += size - e.charged
	e.charged = size
}

// forget removes the entry under key (s.mu held); its key stays in its member's queue, stale.
func (s *Store) forget(key string, e *entry) {
	delete(s.m, key)
	q := s.members[e.member]
	s.bytes -= e.charged
	q.bytes -= e.charged
	e.charged = 0 // counted again from nothing if kept again (a running request's Complete after an Update)
	if q.n--; q.n == 0 {
		delete(s.members, e.member)
	} else if q.head > len(q.keys)/2 {
		q.keys = append(q.keys[:0:0], q.keys[q.head:]...)
		q.head = 0
	}
}
