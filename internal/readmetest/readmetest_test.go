package readmetest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestBashBlocksOfOneSection(t *testing.T) {
	md := "# T\n## A\n```bash\necho a1\n```\ntext\n```sh\necho a2\n```\n```go\nx := 1\n```\n## B\n```bash\necho b\n```\n"
	path := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(path, []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := BashBlocks(path, "## A")
	if err != nil || got != "echo a1\necho a2\n" {
		t.Fatalf("section A: %q, %v", got, err)
	}
	if _, err := BashBlocks(path, "## C"); err == nil {
		t.Fatal("a section without a bash block must be an error")
	}
}

func TestRunFromTheRoot(t *testing.T) {
	root := t.TempDir()
	md := "## Run\n```bash\necho \"$GREETING from $(basename \"$PWD\")\"\n```\n"
	if err := os.WriteFile(filepath.Join(root, "README.md"), []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	want := "hello from " + filepath.Base(root) + "\n"
	if got := Run(t, root, "## Run", "GREETING=hello"); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
