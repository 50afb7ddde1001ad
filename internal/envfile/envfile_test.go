package envfile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deltaledger/deltaledger/internal/envfile"
)

func write(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.env")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRead(t *testing.T) {
	path := write(t, "# comment\n\nA=1\nB=\"OR('X.peer')\"\nexport C='two words'\nD=\nE=$A\n")
	got, err := envfile.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "1", "B": "OR('X.peer')", "C": "two words", "D": "", "E": "$A"}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestReadRefusesALineThatIsNoAssignment(t *testing.T) {
	for _, line := range []string{"not a pair", "=1", "TWO WORDS=1"} {
		_, err := envfile.Read(write(t, "A=1\n"+line+"\n"))
		if err == nil || !strings.Contains(err.Error(), ":2:") {
			t.Errorf("%q: error %v, want one naming line 2", line, err)
		}
	}
}

func TestReadNeverQuotesALineItRefuses(t *testing.T) {
	// The files it reads hold API keys (demo-keys.env): a line missing its "=" must not put the key into an error
	// that the CLI prints and scripts log.
	for _, line := range []string{"JIANGSU_BUYER_KEY dlk_0123456789abcdef_secret", "JIANGSU BUYER_KEY=dlk_0123456789abcdef_secret"} {
		_, err := envfile.Read(write(t, "A=1\n"+line+"\n"))
		if err == nil || strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: error %v, want one without the line", line, err)
		}
	}
}

func TestFindUp(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(filepath.Join(root, "network"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "network", "network.env"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := envfile.FindUp(deep, filepath.Join("network", "network.env"))
	if err != nil || got != root {
		t.Errorf("FindUp = %q, %v; want %q", got, err, root)
	}
	if _, err := envfile.FindUp(deep, "no-such-file"); err == nil {
		t.Error("FindUp found a file that is nowhere")
	}
}
