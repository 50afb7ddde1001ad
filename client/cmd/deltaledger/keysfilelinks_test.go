package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A keys file that is the caller's own, mode 600, is still another user's to replace when its folder lets that user
// put another file in its place, or when it is a link to a file in such a folder (the link's own folder being
// safe): both are refused before any API key in it is sent, as the CA file it names is. So is a CA file named
// through a link into such a folder. A link to a file in a safe folder is followed.
func TestAKeysFileOthersMayReplaceIsRefusedThroughItsFolderOrALink(t *testing.T) {
	f := newFake(t, true)
	f.on("GET /v1/participants/me", me)
	keys := keysFile(t, f)
	args := []string{"--org", "jiangsu", "--role", "buyer", "--keys-file", keys, "whoami"}
	refused := cliRefuses(t, args...)
	// refusedWhileOthersMayWrite lets anyone write in the folder for one refused command.
	refusedWhileOthersMayWrite := func(folder, what string) {
		t.Helper()
		require.NoError(t, os.Chmod(folder, 0o777))
		refused(what, "may be written by other users")
		require.NoError(t, os.Chmod(folder, 0o700))
	}
	shared := filepath.Join(t.TempDir(), "shared")
	require.NoError(t, os.Mkdir(shared, 0o700))
	// linkIntoShared moves the file into the shared folder and leaves a link to it in its place.
	linkIntoShared := func(file string) {
		t.Helper()
		target := filepath.Join(shared, filepath.Base(file))
		require.NoError(t, os.Rename(file, target))
		require.NoError(t, os.Symlink(target, file))
	}

	// The CA file it names lives in a folder of its own, so that what is refused is the keys file's folder.
	dir := filepath.Dir(keys)
	ca := filepath.Join(t.TempDir(), "jiangsu-ca.pem")
	require.NoError(t, os.Rename(filepath.Join(dir, "jiangsu-ca.pem"), ca))
	b, err := os.ReadFile(keys)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(keys, []byte(strings.ReplaceAll(string(b), filepath.Join(dir, "jiangsu-ca.pem"), ca)), 0o600))
	refusedWhileOthersMayWrite(dir, "a keys file in a folder anyone may write")

	linkIntoShared(keys)
	refusedWhileOthersMayWrite(shared, "a link to a keys file in a folder anyone may write")
	assert.Zero(t, f.count(), "no key reached the gateway")
	code, _, errOut := cli(t, nil, args...)
	assert.Equal(t, 0, code, "a link to the member's own keys file in its own folder: %s", errOut)

	sent := f.count()
	linkIntoShared(ca)
	refusedWhileOthersMayWrite(shared, "a link to a CA file in a folder anyone may write")
	assert.Equal(t, sent, f.count(), "no key reached the gateway")
	code, _, errOut = cli(t, nil, args...)
	assert.Equal(t, 0, code, "%s", errOut)
}
