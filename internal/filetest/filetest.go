// Package filetest reads what the system wrote to a folder, for the tests that look inside it for secrets or paths
// that must not be there, and bounds a read of files for the tests that a file it must refuse (a named pipe) does not
// stop it.
package filetest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
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

// Ends returns the error of read, run on its own goroutine, failing t with "<what> did not end" when read has not
// returned within 10 seconds: a named pipe opened for reading stops the reader until something writes to it.
func Ends(t testing.TB, what string, read func() error) error {
	t.Helper()
	ended := make(chan error, 1)
	go func() { ended <- read() }()
	select {
	case err := <-ended:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal(what + " did not end")
		return nil
	}
}
