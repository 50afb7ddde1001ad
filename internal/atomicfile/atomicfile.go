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

// WriteIfChanged writes b to path with mode through a temporary file in the
// same folder and a rename. A file that already holds b with that mode is
// left untouched. It reports whether it wrote.
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
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return false, err
	}
	return true, nil
}
