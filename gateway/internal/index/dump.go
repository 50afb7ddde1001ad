package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Dump returns every row of the projection's tables, as text ("column=value"
// separated by spaces), sorted, per table: for comparing two indexes (a
// rebuild with the incremental result, SQLite with PostgreSQL) and for
// inspection.
func (x *Index) Dump(ctx context.Context) (map[string][]string, error) {
	t, err := x.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer t.Rollback()
	out := map[string][]string{}
	for _, table := range projectionTables {
		rows, err := t.query(ctx, "SELECT * FROM "+table)
		if err != nil {
			return nil, err
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			values := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range values {
				ptrs[i] = &values[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			var parts []string
			for i, v := range values {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				parts = append(parts, fmt.Sprintf("%s=%v", cols[i], v))
			}
			out[table] = append(out[table], strings.Join(parts, " "))
		}
		rows.Close()
		slices.Sort(out[table])
	}
	return out, nil
}
