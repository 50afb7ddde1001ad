// Package filetest reads what the system wrote to a folder, for the tests that look inside it for secrets or paths
// that must not be there.
package filetest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// EachFile calls fn with the path and the text of every regular file below dir, in lexical order. Links are
// passed over: what one points at is checked where it lies. Any error reading the folder fails t.
func EachFile(t testing.TB, dir string, fn func(path, text string)) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fn(path, string(b))
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
}
