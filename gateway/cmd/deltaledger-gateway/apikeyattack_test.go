package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
)

// A --valid-for at or past the ends of Go's durations, or one that would overflow into a negative, makes no key:
// the largest duration is over auth.MaxKeyLifetime, one past it and its negative do not parse or are negative, and
// each refusal names the flag.
func TestAPIKeyValidForAtTheEndsOfDurationsMakesNoKey(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys.json")
	for _, bad := range []string{"9223372036854775807ns", "9223372036854775808ns", "-9223372036854775808ns",
		"2562047h47m16.854775807s", "2562048h", "106751d", "1e3h", "+0s", "NaN"} {
		_, err := run(t, "apikey", "create", "--api-keys", file, "--member", "User2@shanghai", "--valid-for", bad)
		require.Error(t, err, "--valid-for %s", bad)
		assert.Contains(t, err.Error(), "valid-for", "--valid-for %s: the refusal names the flag", bad)
		assert.NoFileExists(t, file, "--valid-for %s writes no key", bad)
	}
}

// ensure never keeps an expired key, whatever the key file says of it (a key of the member with its right hash,
// recorded long ago without an expiry, or whose expiry is past), and prints the new key once, on standard output
// only: its standard error names the key's ID and never the key, new or old.
func TestAPIKeyEnsureNeverKeepsAnExpiredKeyAndPrintsTheNewOneOnce(t *testing.T) {
	file := filepath.Join(t.TempDir(), "keys.json")
	hash := func(k string) string { sum := sha256.Sum256([]byte(k)); return hex.EncodeToString(sum[:]) }
	undated := "dlk_0123456789abcdef_" + strings.Repeat("A", 43)
	lapsed := "dlk_fedcba9876543210_" + strings.Repeat("B", 43)
	long := time.Now().Add(-2 * auth.DefaultKeyLifetime).UTC().Format(time.RFC3339)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	require.NoError(t, os.WriteFile(file, []byte(`{"keys":[`+
		`{"id":"0123456789abcdef","member":"User2@shanghai","sha256":"`+hash(undated)+`","created":"`+long+`"},`+
		`{"id":"fedcba9876543210","member":"User2@shanghai","sha256":"`+hash(lapsed)+`","created":"`+long+`","expires":"`+past+`"}]}`), 0o600))
	for _, old := range []string{undated, lapsed} {
		cmd := newRootCommand()
		var out, errOut bytes.Buffer
		cmd.SetIn(strings.NewReader(old + "\n"))
		cmd.SetOut(&out)
		cmd.SetErr(&errOut)
		cmd.SetArgs([]string{"apikey", "ensure", "--api-keys", file, "--member", "User2@shanghai"})
		require.NoError(t, cmd.Execute())
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		require.Len(t, lines, 1, "one key printed")
		fresh := lines[0]
		assert.NotEqual(t, old, fresh, "an expired key is replaced")
		assert.True(t, strings.HasPrefix(fresh, "dlk_"))
		// A key is dlk_<id>_<secret>, and the secret (base64url) may hold "_" itself.
		freshParts, oldParts := strings.SplitN(fresh, "_", 3), strings.SplitN(old, "_", 3)
		require.Len(t, freshParts, 3, "the new key has the form dlk_<id>_<secret>")
		assert.NotContains(t, errOut.String(), freshParts[2], "the new key's secret is on standard output only")
		assert.NotContains(t, errOut.String(), oldParts[2], "the old key is never repeated")
		assert.Contains(t, errOut.String(), freshParts[1], "standard error names the new key's ID")
	}
}
