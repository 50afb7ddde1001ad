package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"
	_ "modernc.org/sqlite"             // the database/sql driver "sqlite", pure Go
)

// dialect is what differs between the two databases the index runs on.
type dialect struct {
	// name is "sqlite" or "postgres".
	name string
	// numbered is true when placeholders are $1, $2... instead of ?.
	numbered bool
	// readOptions are the options of a read transaction: one snapshot for
	// every statement of an answer.
	readOptions *sql.TxOptions
	// bytewise is the collation that orders text byte by byte, as Go
	// does: the ledger's instants compare as text (model.TermEnded), and
	// a PostgreSQL database's own collation may follow a locale.
	bytewise string
}

var (
	sqliteDialect = dialect{name: "sqlite", bytewise: "BINARY"}
	// PostgreSQL's default isolation gives each statement its own snapshot;
	// an answer and the block it reflects must come from one.
	postgresDialect = dialect{name: "postgres", numbered: true,
		readOptions: &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, bytewise: `"C"`}
)

// rebind turns the ? placeholders of a query into the dialect's. Queries
// never hold a literal question mark.
func (d dialect) rebind(query string) string {
	if !d.numbered || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// db is the index's database with its dialect. Every query goes through
// it so that placeholders are rebound in one place.
type db struct {
	*sql.DB
	dialect
}

// openDB opens the store: PostgreSQL when dsn is set, else the SQLite file
// at path (created if needed).
func openDB(path, dsn string) (*db, error) {
	if dsn != "" {
		s, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		s.SetMaxOpenConns(8)
		return &db{DB: s, dialect: postgresDialect}, nil
	}
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("index path %q: must be a file name without ? or #", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	// The index holds what the channel's blocks wrote, which no member
	// reads: its files are this user's alone, as the gateway's other state
	// files are. SQLite gives the -wal and -shm files the database file's
	// mode; a store an older gateway made readable is made private too.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(name, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	// WAL: answers are read while the feed writes. synchronous NORMAL: a
	// commit is durable against a crash of the process; a power failure
	// may lose the last batches, but their checkpoint with them, so the
	// feed reads those blocks again.
	s, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	s.SetMaxOpenConns(8)
	return &db{DB: s, dialect: sqliteDialect}, nil
}

// tx is a transaction of the index's database. It prepares each statement
// once: a batch of blocks runs the same few statements thousands of times.
type tx struct {
	*sql.Tx
	d     dialect
	stmts map[string]*sql.Stmt
}

// stmt is the prepared form of query in this transaction.
func (t *tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := t.stmts[query]; ok {
		return s, nil
	}
	s, err := t.PrepareContext(ctx, t.d.rebind(query))
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = s
	return s, nil
}

func (d *db) begin(ctx context.Context) (*tx, error) {
	t, err := d.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &tx{Tx: t, d: d.dialect}, nil
}

// read begins a read-only snapshot.
func (d *db) read(ctx context.Context) (*tx, error) {
	t, err := d.BeginTx(ctx, d.readOptions)
	if err != nil {
		return nil, err
	}
	return &tx{Tx: t, d: d.dialect}, nil
}

// readOnce answers read in one read-only snapshot of x's store, rolled back
// once read has answered: the opening every one-snapshot answer shares.
func readOnce[T any](ctx context.Context, x *Index, read func(t *tx) (T, error)) (T, error) {
	t, err := x.db.read(ctx)
	if err != nil {
		var none T
		return none, err
	}
	defer t.Rollback()
	return read(t)
}

func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (t *tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(ctx, t.d.rebind(query), args...)
}

// queryAll runs query and scans each row it answers with scan, which may
// keep what else it needs of the row beside the value it returns. The
// answer is empty, never nil, when there are no rows.
func queryAll[T any](ctx context.Context, t *tx, query string, args []any, scan func(*sql.Rows) (T, error)) ([]T, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (t *tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return t.QueryRowContext(ctx, t.d.rebind(query), args...) // reports the same error
	}
	return s.QueryRowContext(ctx, args...)
}
