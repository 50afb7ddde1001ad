package index

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/pgtest"
)

// The schema is versioned: a new store gets every step in order, each
// recorded under its version; a store without the latest step (an older
// gateway's) gets it at start, and only it; a store of a newer gateway's
// schema is refused rather than misread. On SQLite and PostgreSQL.
func TestSchemaMigrationsAreVersioned(t *testing.T) {
	for name, store := range map[string]func(t *testing.T) Store{
		"sqlite":   func(t *testing.T) Store { return Store{Path: filepath.Join(t.TempDir(), "index.db")} },
		"postgres": func(t *testing.T) Store { return Store{DSN: pgtest.Database(t)} },
	} {
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
			require.Equal(t, "rights under a revoked right", latest.name, "this test knows what the latest step makes")
			hasIndex := func(x *Index) bool {
				q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'rights_by_parent'`
				if x.db.name == "postgres" {
					q = `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'rights_by_parent'`
				}
				var n int
				require.NoError(t, x.db.QueryRowContext(ctx, q).Scan(&n))
				return n == 1
			}

			x, err := Open(s)
			require.NoError(t, err)
			assert.Equal(t, want, applied(x), "a new store has every step")
			assert.Equal(t, latest.version, SchemaVersion())
			assert.True(t, hasIndex(x))

			// An older gateway's store: everything but the latest step.
			for _, undo := range []string{`DROP INDEX rights_by_parent`, `ALTER TABLE rights DROP COLUMN revoked_above`} {
				_, err = x.db.ExecContext(ctx, undo)
				require.NoError(t, err, undo)
			}
			_, err = x.db.ExecContext(ctx, x.db.rebind(`DELETE FROM schema_migrations WHERE version = ?`), latest.version)
			require.NoError(t, err)
			x.Close()
			x, err = Open(s)
			require.NoError(t, err, "the missing step is applied at start (the others, applied again, would fail)")
			assert.Equal(t, want, applied(x))
			assert.True(t, hasIndex(x), "the latest step made its index")

			// A newer gateway's store.
			_, err = x.db.ExecContext(ctx, x.db.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from a newer gateway', '2027-01-01T00:00:00Z')`), latest.version+1)
			require.NoError(t, err)
			x.Close()
			_, err = Open(s)
			require.ErrorContains(t, err, "newer than this gateway's")
		})
	}
}
