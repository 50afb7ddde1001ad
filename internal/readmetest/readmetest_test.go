package readmetest

import (
	"os"
	"path/filepath"
	"slices"
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

func TestRunFileRunsAnotherFilesSection(t *testing.T) {
	root := t.TempDir()
	md := "## 运行（Run）\n```bash\n# 说出语言\necho \"$LANG\"\n```\n"
	if err := os.WriteFile(filepath.Join(root, "README.zh-CN.md"), []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := RunFile(t, root, "README.zh-CN.md", "## 运行（Run）", "LANG=zh_CN.UTF-8"); got != "zh_CN.UTF-8\n" {
		t.Fatalf("got %q", got)
	}
}

func TestCommandBlocksDropComments(t *testing.T) {
	md := "# T\n```bash\n# say it\necho a   # the first\n[ $# -lt 4 ] && echo \"#1\"\n\n```\ntext\n```sh\necho b\n```\n```go\nx := 1 // not shell\n```\n"
	path := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(path, []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := CommandBlocks(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"echo a\n[ $# -lt 4 ] && echo \"#1\"\n", "echo b\n"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// README.zh-CN.md mirrors README.md: the same commands in the same order
// (only their comments translated), so the Chinese walkthroughs run as
// written because the end-to-end tests run the English ones as written.
func TestChineseReadmeCarriesTheSameCommands(t *testing.T) {
	en, err := CommandBlocks(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	zh, err := CommandBlocks(filepath.Join("..", "..", "README.zh-CN.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(en) < 5 {
		t.Fatalf("README.md has %d command blocks", len(en))
	}
	for i := range max(len(en), len(zh)) {
		switch {
		case i >= len(zh):
			t.Errorf("README.zh-CN.md lacks command block %d of README.md:\n%s", i+1, en[i])
		case i >= len(en):
			t.Errorf("README.zh-CN.md has a command block %d that README.md does not:\n%s", i+1, zh[i])
		case en[i] != zh[i]:
			t.Errorf("command block %d differs:\nREADME.md:\n%s\nREADME.zh-CN.md:\n%s", i+1, en[i], zh[i])
		}
	}
}
