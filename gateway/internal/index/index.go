// Package index is the gateway's off-chain market index: a SQLite database
// fed from the channel's chaincode events, from which the gateway answers the
// market statistics (volume, disclosed prices, price index per region and
// category) that the regulator and the public dashboard read.
//
// The index holds one row per completed trade (TradeCompleted, or
// TradeResolved with outcome COMPLETE) and the position in the event stream
// it has read up to. Both are written in one SQLite transaction per batch of
// events, so that the rows and the checkpoint never disagree: after a crash
// or a restart the feed resumes just after the last event it committed
// (fabric-gateway's checkpoint: the block, then the transaction ID), with no
// gap and no duplicate; a replayed event is ignored by its (block,
// transaction) key all the same.
//
// Only public facts enter the index. A negotiated price is confidential
// (private data of the buyer's and seller's orgs); the chaincode's events
// carry a price for FIXED trades only, and the index stores none for any
// other trade whatever the payload says.
//
// The index is derived data: deleting its file makes the gateway rebuild it
// from the ledger's first block.
package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite", pure Go

	"github.com/deltaledger/deltaledger/gateway/internal/ledger"
)

// schemaVersion is the version of the tables below. A file of another
// version is rebuilt from the ledger (its contents are derived data).
const schemaVersion = "1"

// schema creates the index's tables. trades.time is the completing
// transaction's timestamp in Unix seconds (UTC), as the chaincode reads it
// (whole seconds). price_fen is NULL unless the trade's pricing is FIXED.
const schema = `
CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS checkpoint (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	block      INTEGER NOT NULL,
	tx_id      TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS trades (
	block         INTEGER NOT NULL,
	tx_id         TEXT NOT NULL,
	time          INTEGER NOT NULL,
	event         TEXT NOT NULL,
	trade_id      TEXT NOT NULL,
	asset_id      TEXT NOT NULL,
	listing_id    TEXT NOT NULL,
	category      TEXT NOT NULL,
	region        TEXT NOT NULL,
	source_region TEXT NOT NULL,
	right_type    TEXT NOT NULL,
	pricing       TEXT NOT NULL,
	price_fen     INTEGER CHECK (price_fen IS NULL OR (pricing = 'FIXED' AND price_fen >= 0)),
	PRIMARY KEY (block, tx_id)
) STRICT;
CREATE INDEX IF NOT EXISTS trades_by_time ON trades (time);
CREATE INDEX IF NOT EXISTS trades_by_region ON trades (region, category, time);
CREATE INDEX IF NOT EXISTS trades_by_category ON trades (category, time);
CREATE INDEX IF NOT EXISTS trades_by_trade ON trades (trade_id);
`

// Index is an open market index.
type Index struct {
	db        *sql.DB
	path      string
	log       *slog.Logger
	batch     int
	linger    time.Duration
	retryMin  time.Duration
	retryMax  time.Duration
	progress  time.Duration
	channel   string
	chaincode string
	observer  Observer
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
// a file built from another channel or chaincode is refused.
func WithLedgerName(channel, chaincode string) Option {
	return func(x *Index) { x.channel, x.chaincode = channel, chaincode }
}

// WithBatch bounds how many events are written in one SQLite transaction
// (default 500) and how long the feed waits for more events before it
// writes a batch that is not full (default 20 ms).
func WithBatch(events int, linger time.Duration) Option {
	return func(x *Index) { x.batch, x.linger = events, linger }
}

// WithRetry sets the wait after a failure of the feed (the event stream,
// reading a trade, or writing): it starts at min and doubles up to max
// (default 500 ms to 30 s).
func WithRetry(min, max time.Duration) Option {
	return func(x *Index) { x.retryMin, x.retryMax = min, max }
}

// WithObserver has the feed report its progress and failures to o.
func WithObserver(o Observer) Option { return func(x *Index) { x.observer = o } }

// WithProgressLog sets how often the feed logs its progress while it reads
// (default every 10 s).
func WithProgressLog(every time.Duration) Option { return func(x *Index) { x.progress = every } }

// Open opens (creating it if needed) the index at path.
func Open(path string, options ...Option) (*Index, error) {
	x := &Index{
		path:     path,
		log:      slog.New(slog.NewJSONHandler(io.Discard, nil)),
		batch:    500,
		linger:   20 * time.Millisecond,
		retryMin: 500 * time.Millisecond,
		retryMax: 30 * time.Second,
		progress: 10 * time.Second,
	}
	for _, apply := range options {
		apply(x)
	}
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("index path %q: must be a file name without ? or #", path)
	}
	if x.batch < 1 {
		x.batch = 1
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	// WAL: statistics are read while the feed writes. synchronous NORMAL:
	// a commit is durable against a crash of the process; a power failure
	// may lose the last batches, but their checkpoint with them, so the
	// feed reads them again.
	db, err := sql.Open("sqlite", path+"?_busy_timeout=10000&_journal_mode=WAL&_synchronous=NORMAL")
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	x.db = db
	if err := x.migrate(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("index %s: %w", path, err)
	}
	return x, nil
}

// Path returns the index's file.
func (x *Index) Path() string { return x.path }

// Close closes the database. Stop Run first.
func (x *Index) Close() error { return x.db.Close() }

// migrate creates the tables, rebuilds a file of another schema version and
// refuses a file built from another ledger.
func (x *Index) migrate(ctx context.Context) error {
	tx, err := x.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`); err != nil {
		return err
	}
	meta := map[string]string{}
	rows, err := tx.QueryContext(ctx, `SELECT key, value FROM meta`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return err
		}
		meta[k] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for key, want := range map[string]string{"channel": x.channel, "chaincode": x.chaincode} {
		if have, ok := meta[key]; ok && want != "" && have != want {
			return fmt.Errorf("the index was built from %s %q, not %q: delete the file to rebuild it", key, have, want)
		}
	}
	if v, ok := meta["schema_version"]; ok && v != schemaVersion {
		x.log.Warn("market index of another schema version: rebuilding it from the ledger", "path", x.path, "version", v, "want", schemaVersion)
		if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS trades; DROP TABLE IF EXISTS checkpoint;`); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		return err
	}
	set := map[string]string{"schema_version": schemaVersion}
	if x.channel != "" {
		set["channel"] = x.channel
	}
	if x.chaincode != "" {
		set["chaincode"] = x.chaincode
	}
	for k, v := range set {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Checkpoint is the position in the event stream the index has read up to.
type Checkpoint struct {
	// Block is the block of the last event indexed.
	Block uint64
	// TransactionID is the transaction of that event; empty before the
	// first event.
	TransactionID string
	// UpdatedAt is when it was written.
	UpdatedAt time.Time
}

// Position returns where the event stream resumes: just after the last
// event indexed, or at the first block.
func (c Checkpoint) Position() ledger.Position {
	if c.TransactionID == "" {
		return ledger.FromBlock(0)
	}
	return ledger.Position{Block: c.Block, AfterTransactionID: c.TransactionID, Set: true}
}

// querier is what a *sql.DB and a *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Checkpoint reads the stored position.
func (x *Index) Checkpoint(ctx context.Context) (Checkpoint, error) {
	return readCheckpoint(ctx, x.db)
}

func readCheckpoint(ctx context.Context, q querier) (Checkpoint, error) {
	var c Checkpoint
	var block int64
	var at string
	err := q.QueryRowContext(ctx, `SELECT block, tx_id, updated_at FROM checkpoint WHERE id = 1`).Scan(&block, &c.TransactionID, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Checkpoint{}, nil
	}
	if err != nil {
		return Checkpoint{}, err
	}
	c.Block = uint64(block)
	c.UpdatedAt, _ = time.Parse(time.RFC3339Nano, at)
	return c, nil
}
