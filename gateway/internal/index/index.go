// Package index is the gateway's off-chain ledger index: a relational
// projection of every state change of the market, read from the channel's
// blocks, from which the gateway answers the catalogue search, portfolios,
// trade histories, the trade flow between regions, credit lookup counts and
// the market statistics and price indices.
//
// The feed reads each block's valid transactions and their writes to the
// chaincode's public state (participants, assets and their registration
// steps, objections, rights, listings and their prices, trades, credit
// record metadata and query traces), and projects each record into its
// table. Private data never reaches a block (only its hashes), so credit
// contents and negotiated prices cannot enter the index; the projection
// keeps a trade's price only when it is the public price of a FIXED trade,
// and keeps only counts of credit lookups, not who looked at whom. Of each
// transaction, valid or not, it keeps the ID and the digest of its
// creator's identity and key (senders.go): the commit status a member who
// signs itself reads of its own.
//
// Exactly once: the rows of a batch of blocks and the checkpoint (the next
// block to read) are written in one database transaction, and the
// checkpoint moves only from the value the batch started at (compare and
// set), so a crash, a restart, a rebuild or a second writer never applies a
// block twice or skips one. An empty store starts at block 0.
//
// The store is SQLite (a file, the default) or PostgreSQL (pgx, when a DSN
// is configured); its schema is versioned (migrations.go) and migrated at
// start. The index is derived data: Rebuild empties it and reads the ledger
// again from block 0, which gives the same rows as the incremental feed.
package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Index is an open ledger index.
type Index struct {
	db       *db
	where    string // the file, or "PostgreSQL"
	log      *slog.Logger
	batch    int
	linger   time.Duration
	retryMin time.Duration
	retryMax time.Duration
	progress time.Duration
	maxWait  time.Duration
	observer Observer
	ledgerID string
	// now is the clock that answers read time-dependent statuses at (an
	// expired right): the gateway's own, as the chaincode reads its
	// transaction time; never a time the client sends.
	now func() time.Time

	// afterRows, when set, runs after a batch's rows are written and
	// before its checkpoint is (tests: a crash between the two).
	afterRows func() error
	// factsRead, when set, runs each time ComputePeriod reads the facts
	// (tests: count the computations the cache saves).
	factsRead func()

	// computed keeps the latest computations of a period's figures.
	computed computedCache

	mu      sync.Mutex
	next    uint64        // the checkpoint last written or read
	advance chan struct{} // closed and replaced when next grows
}

// Observer is told how the feed goes (package metrics implements it).
type Observer interface {
	// IndexedBlock reports the block up to which the index is written.
	IndexedBlock(block uint64)
	// IndexFeedInterrupted reports a failure after which the feed resumes
	// from its checkpoint.
	IndexFeedInterrupted()
}

// Option configures an Index.
type Option func(*Index)

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(x *Index) { x.log = l } }

// WithLedgerName records the channel and chaincode the index is built from:
// a store built from another channel or chaincode is refused.
func WithLedgerName(channel, chaincode string) Option {
	return func(x *Index) { x.ledgerID = channel + "/" + chaincode }
}

// WithBatch bounds how many blocks are written in one database transaction
// (default 200) and how long the feed waits for more blocks before it
// writes a batch that is not full (default 20 ms).
func WithBatch(blocks int, linger time.Duration) Option {
	return func(x *Index) { x.batch, x.linger = blocks, linger }
}

// WithRetry sets the wait after a failure of the feed (the block stream or
// a write): it starts at min and doubles up to max (default 500 ms to 30 s).
func WithRetry(min, max time.Duration) Option {
	return func(x *Index) { x.retryMin, x.retryMax = min, max }
}

// WithObserver has the feed report its progress and failures to o.
func WithObserver(o Observer) Option { return func(x *Index) { x.observer = o } }

// WithProgressLog sets how often the feed logs its progress while it reads
// (default every 10 s).
func WithProgressLog(every time.Duration) Option { return func(x *Index) { x.progress = every } }

// WithMaxWait bounds how long an answer waits for the index to reach the
// block a client asks for (minBlock; default 10 s).
func WithMaxWait(d time.Duration) Option { return func(x *Index) { x.maxWait = d } }

// Store says where the index is kept: a PostgreSQL DSN when set, else a
// SQLite file.
type Store struct {
	// Path is the SQLite file.
	Path string
	// DSN is a PostgreSQL connection string (postgres://...).
	DSN string
}

// Open opens the index (creating its tables if needed, and migrating them
// to the current schema).
func Open(store Store, options ...Option) (*Index, error) {
	x := &Index{
		log:      slog.New(slog.NewJSONHandler(io.Discard, nil)),
		batch:    200,
		linger:   20 * time.Millisecond,
		retryMin: 500 * time.Millisecond,
		retryMax: 30 * time.Second,
		progress: 10 * time.Second,
		maxWait:  10 * time.Second,
		advance:  make(chan struct{}),
		where:    store.Path,
		now:      time.Now,
	}
	if store.DSN != "" {
		x.where = "PostgreSQL"
	}
	for _, apply := range options {
		apply(x)
	}
	if x.batch < 1 {
		x.batch = 1
	}
	d, err := openDB(store.Path, store.DSN)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", x.where, err)
	}
	x.db = d
	ctx := context.Background()
	if err := d.migrate(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("index %s: %w", x.where, err)
	}
	if err := x.checkLedger(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("index %s: %w", x.where, err)
	}
	if x.next, err = x.Checkpoint(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("index %s: %w", x.where, err)
	}
	return x, nil
}

// Close closes the database. Stop Run first.
func (x *Index) Close() error { return x.db.Close() }

// Where names the store: the SQLite file, or PostgreSQL.
func (x *Index) Where() string { return x.where }

// Dialect is "sqlite" or "postgres".
func (x *Index) Dialect() string { return x.db.name }

// checkLedger records which channel and chaincode the index is built from,
// and refuses a store built from another.
func (x *Index) checkLedger(ctx context.Context) error {
	if x.ledgerID == "" {
		return nil
	}
	t, err := x.db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	var have string
	err = t.queryRow(ctx, `SELECT value FROM ledger WHERE key = 'ledger'`).Scan(&have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := t.exec(ctx, `INSERT INTO ledger (key, value) VALUES ('ledger', ?)`, x.ledgerID); err != nil {
			return err
		}
	case err != nil:
		return err
	case have != x.ledgerID:
		return fmt.Errorf("the index was built from %s, not %s: give it another store, or rebuild it", have, x.ledgerID)
	}
	return t.Commit()
}

// Checkpoint reads the next block the index will read: 0 for an empty
// index.
func (x *Index) Checkpoint(ctx context.Context) (uint64, error) {
	return readOnce(ctx, x, func(t *tx) (uint64, error) { return readCheckpoint(ctx, t) })
}

func readCheckpoint(ctx context.Context, t *tx) (uint64, error) {
	var next int64
	err := t.queryRow(ctx, `SELECT next_block FROM checkpoint WHERE id = 1`).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return uint64(next), err
}

// reached records a checkpoint written or read, and wakes the answers
// waiting for it.
func (x *Index) reached(next uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if next <= x.next {
		return
	}
	x.next = next
	close(x.advance)
	x.advance = make(chan struct{})
}

// Advanced is closed when the index next writes a block it read: a
// background worker waits on it to look at once at what the block changed.
func (x *Index) Advanced() <-chan struct{} {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.advance
}

// BlocksRead is the number of blocks the index has read (blocks 0 to
// BlocksRead-1): the checkpoint last written or read by this process, as it
// stood when the rows of those blocks were committed, so that a query begun
// after it sees them. It asks nothing of the database: the gateway compares
// it with the peer's height for every transaction status a member who signs
// itself asks (a lower value only answers "catching up" for longer).
func (x *Index) BlocksRead() uint64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.next
}
