// Package atomicfile writes generated files so that a reader never sees
// half of one and an unchanged file is left alone (its modification time
// too), which keeps `make up`'s skip of unchanged steps exact.
package atomicfile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// syncFile flushes a file's data, or a folder's entries, to the disk; tests
// replace it to see what is flushed when.
var syncFile = (*os.File).Sync

// WriteIfChanged writes b to path with mode through a temporary file in the
// same folder and a rename. A file that already holds b with that mode is
// left untouched. It reports whether it wrote. The new file is flushed to the
// disk before the rename, and the folder after it: a rename may otherwise
// reach the disk before the data, and a crash leave an empty file (an empty
// private key) where the old one was.
func WriteIfChanged(path string, b []byte, mode os.FileMode) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		if info, err := os.Stat(path); err == nil && info.Mode().Perm() == mode.Perm() {
			return false, nil
		}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode.Perm()); err != nil {
		tmp.Close()
		return false, err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return false, fmt.Errorf("writing %s: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		tmp.Close()
		return false, fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return false, err
	}
	return true, syncDir(dir)
}

// syncDir flushes the folder dir's entries to the disk, so that a rename in it
// outlives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := syncFile(d); err != nil {
		return fmt.Errorf("flushing the folder %s: %w", dir, err)
	}
	return nil
}
