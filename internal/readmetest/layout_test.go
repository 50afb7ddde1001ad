package readmetest

import (
	"bufio"
	"errors"
	"go/build"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// layoutRow is one row of a README's layout table: the paths its first cell
// names (a short name after the first is its neighbour), and every name in
// backquotes the row holds.
type layoutRow struct {
	paths, names []string
}

var quoted = regexp.MustCompile("`([^`]+)`")

// layoutRows reads the table of the "## " section whose heading contains
// title, with {a,b} in a path expanded.
func layoutRows(t *testing.T, file, title string) []layoutRow {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []layoutRow
	in := false
	s := bufio.NewScanner(f)
	s.Buffer(nil, 1<<20)
	for s.Scan() {
		line := s.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.Contains(line, title)
			continue
		}
		if !in || !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.SplitN(line, "|", 3)[1]
		var row layoutRow
		for i, m := range quoted.FindAllStringSubmatch(first, -1) {
			for _, p := range expand(m[1]) {
				if i > 0 && !strings.Contains(p, "/") {
					p = path.Join(path.Dir(row.paths[0]), p) // `market` beside `chaincode/participants`
				}
				row.paths = append(row.paths, p)
			}
		}
		for _, m := range quoted.FindAllStringSubmatch(line, -1) {
			row.names = append(row.names, expand(m[1])...)
		}
		rows = append(rows, row)
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 10 {
		t.Fatalf("%s: %d rows in the section %q", file, len(rows), title)
	}
	return rows
}

// expand spells a{b,c} out as ab and ac, and drops a trailing slash.
func expand(name string) []string {
	open, end := strings.Index(name, "{"), strings.Index(name, "}")
	if open < 0 || end < open {
		return []string{strings.TrimSuffix(name, "/")}
	}
	var out []string
	for _, alt := range strings.Split(name[open+1:end], ",") {
		out = append(out, expand(name[:open]+alt+name[end+1:])...)
	}
	return out
}

// covers reports whether the row names the package dir: by its path, or by a
// short name under the row's first path or beside it
// ("`chaincode/participants`, `market`").
func (r layoutRow) covers(dir string) bool {
	for _, p := range r.paths {
		for _, n := range r.names {
			if n == dir || path.Join(p, n) == dir || path.Join(path.Dir(p), n) == dir {
				return true
			}
		}
	}
	return false
}

// goPackages lists the folders under root (as slash paths) that hold a Go
// package buildable without tags, as `go list ./...` does; the folders of
// another README's own table (gateway/) are left to it.
func goPackages(t *testing.T, root string, skip ...string) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if rel != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
			name == "testdata" || name == "node_modules" || name == "bin") {
			return filepath.SkipDir
		}
		for _, s := range skip {
			if rel == s {
				return filepath.SkipDir
			}
		}
		if rel != "." {
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // another module (network/tools)
			}
		}
		if _, err := build.ImportDir(p, 0); err == nil {
			dirs = append(dirs, rel)
		} else if _, none := errors.AsType[*build.NoGoError](err); !none {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// Every package of the module has a row in the layout table of README.md and
// of README.zh-CN.md (gateway/'s in gateway/README.md), and every path a row
// names exists: a package added or removed changes the tables too.
func TestTheLayoutTablesNameEveryPackageAndNoneGone(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, table := range []struct{ file, title, under string }{
		{"README.md", "## Repository layout", ""},
		{"README.zh-CN.md", "（Repository layout）", ""},
		{"gateway/README.md", "## How it is built", "gateway"},
	} {
		rows := layoutRows(t, filepath.Join(root, table.file), strings.TrimPrefix(table.title, "## "))
		base := filepath.Join(root, table.under)
		skip := []string{}
		if table.under == "" {
			skip = append(skip, "gateway")
		}
		for _, dir := range goPackages(t, base, skip...) {
			covered := false
			for _, r := range rows {
				covered = covered || r.covers(dir)
			}
			if !covered {
				t.Errorf("%s: no row of the layout table names the package %s", table.file, path.Join(table.under, dir))
			}
		}
		for _, r := range rows {
			for _, p := range r.paths {
				if _, err := os.Stat(filepath.Join(base, filepath.FromSlash(p))); err != nil {
					t.Errorf("%s: the layout table names %s, which is gone", table.file, p)
				}
			}
		}
	}
}
