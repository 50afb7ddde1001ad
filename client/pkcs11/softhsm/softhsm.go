// Package softhsm makes SoftHSM2 tokens for tests: a token store of the test's own (SOFTHSM2_CONF pointing into a
// temporary directory), a token initialised in it with softhsm2-util, and the library's path. SoftHSM2 is the
// Debian package softhsm2, which .ci/run installs.
package softhsm

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// libraryPaths are where Debian and other distributions put SoftHSM2's PKCS#11 library.
var libraryPaths = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
}

// Library returns the path of SoftHSM2's PKCS#11 library.
func Library() (string, error) {
	for _, p := range libraryPaths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("SoftHSM2 is not installed (Debian package softhsm2; .ci/run installs it)")
}

// Token is a SoftHSM2 token made for a test.
type Token struct {
	// Library is the PKCS#11 library's path.
	Library string
	// Label is the token's label.
	Label string
	// PIN is its user PIN.
	PIN string
}

// NewToken points SOFTHSM2_CONF at a token store in a temporary directory of t (so it is set for the rest of the
// test and for the commands it runs) and initialises a token labelled label in it. It fails the test when SoftHSM2
// is missing: a test of PKCS#11 signing never passes without a token.
func NewToken(t testing.TB, label string) Token {
	t.Helper()
	lib, err := Library()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.WriteFile(conf, []byte("directories.tokendir = "+tokens+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	const pin = "98765432"
	out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "12345678").CombinedOutput()
	if err != nil {
		t.Fatalf("softhsm2-util --init-token: %v: %s", err, out)
	}
	return Token{Library: lib, Label: label, PIN: pin}
}
