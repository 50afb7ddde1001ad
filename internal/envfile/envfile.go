// Package envfile reads the KEY=VALUE files the network scripts write
// (network/network.env, identities.env, demo-keys.env) and finds files of
// the repository from anywhere inside it, for the CLI and the network tools
// alike.
package envfile

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Read reads a file of shell variable assignments, KEY=VALUE a line: blank
// lines and lines starting with # are skipped, a leading "export " is
// allowed, a value may be wrapped in double or single quotes, and nothing is
// expanded. A line that is not an assignment is an error naming the file and
// the line's number, never its text.
func Read(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	values := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			// Not the line itself: these files hold API keys, and the error is printed.
			return nil, ledgererr.Messagef("%s:%d: not KEY=VALUE", path, n)
		}
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		values[key] = value
	}
	return values, sc.Err()
}

// FindUp returns the nearest directory at or above dir (the working
// directory when dir is "") that holds the relative path rel.
func FindUp(dir, rel string) (string, error) {
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, rel)); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ledgererr.Messagef("no %s at or above %s", rel, dir)
		}
		dir = parent
	}
}
