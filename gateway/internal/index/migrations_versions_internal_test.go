package index

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/pgtest"
)

// bothDatabases makes a new, empty store of each database the index runs
// on, for the tests of the schema's steps.
var bothDatabases = map[string]func(t *testing.T) Store{
	"sqlite":   func(t *testing.T) Store { return Store{Path: filepath.Join(t.TempDir(), "index.db")} },
	"postgres": func(t *testing.T) Store { return Store{DSN: pgtest.Database(t)} },
}

// The schema is versioned: a new store gets every step in order, each
// recorded under its version; a gateway with a step the store lacks (a
// later gateway opening an older gateway's store) applies it at start, and
// only it; a store of a newer gateway's schema is refused rather than
// misread. On SQLite and PostgreSQL. The test adds a step of its own, so it
// holds whichever real step is the latest.
func TestSchemaMigrationsAreVersioned(t *testing.T) {
	for name, store := range bothDatabases {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			s := store(t)
			var want []int
			for _, m := range migrations {
				want = append(want, m.version)
			}
			require.True(t, slices.IsSorted(want), "steps in version order")
			applied := func(x *Index) (versions []int) {
				rows, err := x.db.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
				require.NoError(t, err)
				defer rows.Close()
				for rows.Next() {
					var v int
					require.NoError(t, rows.Scan(&v))
					versions = append(versions, v)
				}
				return versions
			}
			latest := migrations[len(migrations)-1]
			hasProbe := func(x *Index) bool {
				q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'probe_step'`
				if x.db.name == "postgres" {
					q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'probe_step'`
				}
				var n int
				require.NoError(t, x.db.QueryRowContext(ctx, q).Scan(&n))
				return n == 1
			}

			x, err := Open(s)
			require.NoError(t, err)
			assert.Equal(t, want, applied(x), "a new store has every step")
			assert.Equal(t, latest.version, SchemaVersion())
			x.Close()

			// A later gateway, whose history has one more step (the test's
			// own, whatever the latest real step is), opens this store: it
			// applies that step at start, and only it (the others, applied
			// again, would fail: their tables exist).
			released := migrations
			t.Cleanup(func() { migrations = released })
			migrations = append(released[:len(released):len(released)], migration{version: latest.version + 1, name: "a step of the test's own",
				sql: `CREATE TABLE probe_step (id {{int}} PRIMARY KEY)`})
			x, err = Open(s)
			require.NoError(t, err, "the missing step is applied at start")
			assert.Equal(t, append(want, latest.version+1), applied(x))
			assert.Equal(t, latest.version+1, SchemaVersion())
			assert.True(t, hasProbe(x), "the new step made its table")
			x.Close()

			// This gateway again: the store is a newer gateway's.
			migrations = released
			_, err = Open(s)
			require.ErrorContains(t, err, "newer than this gateway's")
		})
	}
}
