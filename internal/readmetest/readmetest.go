// Package readmetest runs the shell blocks of a README section as written,
// so that end-to-end tests keep the README's commands true.
package readmetest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BashBlocks returns the fenced bash (or sh) blocks of the section of the
// Markdown file whose "## " heading is heading, joined in order.
func BashBlocks(path, heading string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	in, fenced := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			in = line == heading
		case !in:
		case fenced && strings.HasPrefix(line, "```"):
			fenced = false
		case fenced:
			b.WriteString(line + "\n")
		case line == "```bash" || line == "```sh":
			fenced = true
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	if b.Len() == 0 {
		return "", fmt.Errorf("%s has no bash block in section %q", path, heading)
	}
	return b.String(), nil
}

// CommandBlocks returns every fenced bash (or sh) block of the Markdown
// file in order, as commands only: comments and blank lines dropped, so
// that a translation (README.zh-CN.md) may say in its own language what the
// very same commands do.
func CommandBlocks(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var blocks []string
	var b strings.Builder
	fenced := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case fenced && strings.HasPrefix(line, "```"):
			fenced = false
			blocks = append(blocks, b.String())
			b.Reset()
		case fenced:
			if cmd := stripComment(line); cmd != "" {
				b.WriteString(cmd + "\n")
			}
		case line == "```bash" || line == "```sh":
			fenced = true
		}
	}
	return blocks, sc.Err()
}

// stripComment drops a shell comment from a line: a # at the start or after
// a blank (not $# nor a # inside a word), with the blanks before it.
func stripComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			line = line[:i]
			break
		}
	}
	return strings.TrimRight(line, " \t")
}

// Run runs the bash blocks of the README.md section heading with `set -e`
// from the repository root, with env added to the environment, and returns
// their output; the test fails if they fail twice.
func Run(t testing.TB, root, heading string, env ...string) string {
	t.Helper()
	return RunFile(t, root, "README.md", heading, env...)
}

// RunFile is Run of the section heading of another Markdown file of the
// repository, such as the Chinese README (README.zh-CN.md, its walkthroughs
// run under a Chinese locale).
//
// A submit answers once its block is committed on its gateway's own peer;
// another org's peer may commit it some milliseconds later, and the next
// command may go there. One retry (with new IDs: the README's derive from
// the time in seconds) tells that apart from a section that no longer works.
func RunFile(t testing.TB, root, file, heading string, env ...string) string {
	t.Helper()
	script, err := BashBlocks(filepath.Join(root, file), heading)
	if err != nil {
		t.Fatal(err)
	}
	sh := filepath.Join(t.TempDir(), "readme.sh")
	if err := os.WriteFile(sh, []byte("set -e\n"+script), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func() ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", sh)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), env...)
		return cmd.CombinedOutput()
	}
	out, err := run()
	if err != nil {
		t.Logf("%s section %q failed (%v), retrying once; its output:\n%s", file, heading, err, out)
		time.Sleep(1100 * time.Millisecond)
		out, err = run()
	}
	if err != nil {
		t.Fatalf("%s section %q failed: %v; its output:\n%s", file, heading, err, out)
	}
	return string(out)
}
