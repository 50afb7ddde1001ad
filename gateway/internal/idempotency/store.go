// Package idempotency remembers the outcome of submits made with an
// Idempotency-Key, so that a client retrying after a lost answer gets the
// first outcome instead of a second transaction.
//
// Outcomes live in memory for a TTL and, optionally, in an append-only file
// that survives a gateway restart. A duplicate that arrives while the first
// request is still running waits for its outcome.
package idempotency

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// Outcome is what a request with a key produced.
type Outcome struct {
	// Fingerprint identifies the request (method, path, body) so that a key
	// reused for a different request is refused.
	Fingerprint string `json:"fingerprint"`
	// Status is the HTTP status answered.
	Status int `json:"status"`
	// Body is the answer's body.
	Body json.RawMessage `json:"body"`
	// TransactionID is the submitted transaction.
	TransactionID string `json:"transaction_id,omitempty"`
	// Pending marks an outcome that is not final: the transaction was sent
	// for ordering but its commit was not confirmed. A retry resolves it
	// through the transaction's commit status.
	Pending bool `json:"pending,omitempty"`
	// Result is the endorsed chaincode response of a pending transaction,
	// answered once its commit is confirmed.
	Result json.RawMessage `json:"result,omitempty"`
	// SuccessStatus is the status to answer once a pending transaction
	// commits (200 or 201).
	SuccessStatus int `json:"success_status,omitempty"`
	// Expires is when the outcome is forgotten.
	Expires time.Time `json:"expires"`
}

// ErrKeyReused is returned when a key comes back with a different request.
var ErrKeyReused = errors.New("the Idempotency-Key was already used for a different request")

type entry struct {
	outcome *Outcome
	done    chan struct{} // closed when the running request completes or abandons
}

// Store holds outcomes by key.
type Store struct {
	ttl  time.Duration
	now  func() time.Time
	mu   sync.Mutex
	m    map[string]*entry
	file *os.File
}

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock, for tests.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// New returns an in-memory store that keeps outcomes for ttl.
func New(ttl time.Duration, options ...Option) *Store {
	s := &Store{ttl: ttl, now: time.Now, m: map[string]*entry{}}
	for _, apply := range options {
		apply(s)
	}
	return s
}

// Open returns a store backed by the file at path: outcomes recorded in it
// and not expired are loaded, and new ones are appended. The file is
// rewritten without expired outcomes on open.
func Open(path string, ttl time.Duration, options ...Option) (*Store, error) {
	s := New(ttl, options...)
	records := map[string]*Outcome{}
	if f, err := os.Open(path); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
		for sc.Scan() {
			var rec record
			if json.Unmarshal(sc.Bytes(), &rec) != nil || rec.Outcome == nil {
				continue // a torn last line after a crash
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
		s.m[key] = &entry{outcome: o, done: closed()}
		if err := writeRecord(w, key, o); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
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

type record struct {
	Key     string   `json:"key"`
	Outcome *Outcome `json:"outcome"`
}

func writeRecord(w interface{ Write([]byte) (int, error) }, key string, o *Outcome) error {
	b, err := json.Marshal(record{Key: key, Outcome: o})
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
	s     *Store
	key   string
	entry *entry
	once  sync.Once
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
			delete(s.m, key)
			ok = false
		}
		if !ok {
			e = &entry{done: make(chan struct{})}
			s.m[key] = e
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

// Abandon forgets the key: the request failed before anything was
// submitted, so a retry may run it again.
func (t *Ticket) Abandon() {
	t.once.Do(func() {
		t.s.mu.Lock()
		if t.s.m[t.key] == t.entry {
			delete(t.s.m, t.key)
		}
		t.s.mu.Unlock()
		close(t.entry.done)
	})
}

// Update replaces the recorded outcome of a key, for example once a pending
// transaction's commit is confirmed.
func (s *Store) Update(key string, o Outcome) error {
	o.Expires = s.now().Add(s.ttl)
	return s.put(key, nil, &o)
}

func (s *Store) put(key string, owner *entry, o *Outcome) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := owner
	if e == nil {
		e = &entry{done: closed()}
	}
	e.outcome = o
	s.m[key] = e
	if s.file != nil {
		return writeRecord(s.file, key, o)
	}
	return nil
}

// Sweep forgets expired outcomes; the server calls it periodically.
func (s *Store) Sweep() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, e := range s.m {
		if e.outcome != nil && !e.outcome.Expires.After(now) {
			delete(s.m, k)
		}
	}
}
