package main

import (
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/envfile"
)

// A member profile names the library the CLI loads for a token (DELTALEDGER_PKCS11_LIB), the key and the gateway:
// one that another user of the machine could rewrite would run that user's code as the member, or send the
// member's signatures to that user's gateway. --member refuses a profile, or a folder of it, that another user owns
// or may write, before it reads it.
func TestAMemberProfileOthersMayChangeIsRefused(t *testing.T) {
	f := newFake(t, true)
	f.on("POST /v1/members/enroll", issuing(t))
	f.on("GET /v1/participants/me", me)
	dir := enrollInto(t, f, nil)
	profile := filepath.Join(dir, memberProfileName)
	code, _, errOut := cli(t, nil, "--member", dir, "whoami")
	require.Equal(t, 0, code, errOut)
	sent := f.count()

	refused := cliRefuses(t, "--member", dir, "whoami")
	refusedWhileOthersMayChange(t, profile, 0o600, refused)
	refusedWhileOthersMayChange(t, dir, 0o700, refused)
	assert.Equal(t, sent, f.count(), "nothing reached the gateway")
	code, _, errOut = cli(t, nil, "--member", dir, "whoami")
	assert.Equal(t, 0, code, "the member's own profile again: %s", errOut)
}

// Enroll writes the member profile as a new file renamed into place, so that a link another user planted under
// its name (between enroll's check that the folder is empty and its writing) is replaced, not followed into a file
// of the member's; and only the member may read or write it.
func TestEnrollWritesTheProfileOverAPlantedLink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), ".bashrc")
	require.NoError(t, os.WriteFile(victim, []byte("# mine\n"), 0o644))
	require.NoError(t, os.Symlink(victim, filepath.Join(dir, memberProfileName)))

	a := newApp(strings.NewReader(""), io.Discard, io.Discard, func(string) string { return "" })
	cmd, _, err := a.commandTree().Find([]string{"whoami"})
	require.NoError(t, err)
	require.NoError(t, cmd.ParseFlags(nil))
	a.connected.gateway = "https://127.0.0.1:27180"
	path, err := a.writeMemberProfile(dir, client.MSPKeyFile)
	require.NoError(t, err)

	b, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "# mine\n", string(b), "the link's target is untouched")
	info, err := os.Lstat(path)
	require.NoError(t, err)
	assert.True(t, info.Mode().IsRegular(), "the profile replaced the link")
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

// Enroll refuses, before it sends the one-time secret, an MSP folder another user owns or may write: that user
// could rewrite the member profile enroll writes there, or swap the key and certificate.
func TestEnrollRefusesAFolderOthersMayChange(t *testing.T) {
	f := newFake(t, true)
	f.on("POST /v1/members/enroll", issuing(t))
	ca := filepath.Join(t.TempDir(), "gateway-ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw}), 0o600))
	enroll := func(dir string) (int, string) {
		code, _, errOut := cli(t, map[string]string{"DELTALEDGER_ENROLLMENT_SECRET": "s"}, "--gateway", f.srv.URL, "--cacert", ca,
			"enroll", "--id", "91320500MA1FL1700R", "--msp-dir", dir)
		return code, errOut
	}
	shared := filepath.Join(t.TempDir(), "shared")
	require.NoError(t, os.Mkdir(shared, 0o700))
	require.NoError(t, os.Chmod(shared, 0o777))
	code, errOut := enroll(shared)
	assert.Equal(t, 2, code, errOut)
	assert.Contains(t, errOut, "may be written by other users")
	if os.Getuid() == 0 {
		theirs := filepath.Join(t.TempDir(), "theirs")
		require.NoError(t, os.Mkdir(theirs, 0o700))
		require.NoError(t, os.Chown(theirs, 65534, 65534))
		code, errOut = enroll(theirs)
		assert.Equal(t, 2, code, errOut)
		assert.Contains(t, errOut, "belongs to another user")
	}
	assert.Zero(t, f.count(), "the secret was not sent")

	fresh := filepath.Join(t.TempDir(), "new", "msp")
	code, errOut = enroll(fresh)
	require.Equal(t, 0, code, errOut)
	info, err := os.Stat(fresh)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), info.Mode().Perm(), "a new folder is the member's alone")
}

// The demo keys file is looked for in the working directory's parents too: another user who planted one above it
// (in /tmp, say) would name the gateway that --org's commands, and an --api-key given beside them, go to. A keys
// file that another user owns or may write is refused.
func TestAKeysFileOthersMayChangeIsRefused(t *testing.T) {
	f := newFake(t, true)
	f.on("GET /v1/participants/me", me)
	keys := keysFile(t, f)
	args := []string{"--org", "jiangsu", "--role", "buyer", "--keys-file", keys, "--api-key", "dlk_mine", "whoami"}
	refusedWhileOthersMayChange(t, keys, 0o600, cliRefuses(t, args...))
	assert.Zero(t, f.count(), "nothing reached the gateway")
	code, _, errOut := cli(t, nil, args...)
	assert.Equal(t, 0, code, "the member's own keys file: %s", errOut)
}

// The keys file holds API keys: whoever reads one acts as its member at the gateway. A keys file that its group or
// other users may read is refused before any key in it is sent, as a private key file is (client.LoadKeyFile), so
// that a copy made readable does not go on being used unnoticed.
func TestAKeysFileOthersMayReadIsRefused(t *testing.T) {
	f := newFake(t, true)
	f.on("GET /v1/participants/me", me)
	keys := keysFile(t, f)
	for _, mode := range []os.FileMode{0o640, 0o604} {
		require.NoError(t, os.Chmod(keys, mode))
		code, _, errOut := cli(t, nil, "--org", "jiangsu", "--role", "buyer", "--keys-file", keys, "whoami")
		assert.Equal(t, 2, code, "mode %04o: %s", mode, errOut)
		assert.Contains(t, errOut, "may be read by other users", "mode %04o", mode)
		assert.NotContains(t, errOut, "dlk_buyer_secret")
	}
	assert.Zero(t, f.count(), "no key reached the gateway")
	require.NoError(t, os.Chmod(keys, 0o600))
	code, _, errOut := cli(t, nil, "--org", "jiangsu", "--role", "buyer", "--keys-file", keys, "whoami")
	assert.Equal(t, 0, code, "the member's own keys file: %s", errOut)
}

// The keys file names the CA that the gateway is verified with (<ORG>_CA): one that another user could change, or
// replace in its folder, would let that user pose as the gateway and receive the API key. It is refused as --member
// refuses the CA file of a member profile.
func TestTheCAFileAKeysFileNamesMustBeTheMembers(t *testing.T) {
	f := newFake(t, true)
	f.on("GET /v1/participants/me", me)
	keys := keysFile(t, f)
	ca := filepath.Join(filepath.Dir(keys), "jiangsu-ca.pem")
	refused := cliRefuses(t, "--org", "jiangsu", "--role", "buyer", "--keys-file", keys, "whoami")
	refusedWhileOthersMayChange(t, ca, 0o600, refused)
	require.NoError(t, os.Chmod(filepath.Dir(ca), 0o777))
	refused("a CA file in a folder anyone may write", "may be written by other users")
	require.NoError(t, os.Chmod(filepath.Dir(ca), 0o700))
	assert.Zero(t, f.count(), "no key reached the gateway")
	code, _, errOut := cli(t, nil, "--org", "jiangsu", "--role", "buyer", "--keys-file", keys, "whoami")
	assert.Equal(t, 0, code, "the member's own CA file: %s", errOut)
}

// The files a member profile names decide whom the member trusts and what runs as it: the gateway's CA (another
// one would let its holder pose as the gateway), the key, the token's library. --member refuses one that another
// user could change or put another in place of: one that user owns or may write, or one in a folder that user may
// write (but a sticky one, such as /tmp, where only the file's owner may replace it).
func TestTheFilesAMemberProfileNamesMustBeTheMembers(t *testing.T) {
	f := newFake(t, true)
	f.on("POST /v1/members/enroll", issuing(t))
	f.on("GET /v1/participants/me", me)
	dir := enrollInto(t, f, nil)
	profile, err := envfile.Read(filepath.Join(dir, memberProfileName))
	require.NoError(t, err)
	ca := profile["DELTALEDGER_CACERT"]
	refused := cliRefuses(t, "--member", dir, "whoami")
	refusedWhileOthersMayChange(t, ca, 0o644, refused)
	require.NoError(t, os.Chmod(filepath.Dir(ca), 0o777))
	refused("a CA file in a folder anyone may write", "may be written by other users")
	require.NoError(t, os.Chmod(filepath.Dir(ca), 0o777|os.ModeSticky))
	code, _, errOut := cli(t, nil, "--member", dir, "whoami")
	assert.Equal(t, 0, code, "a sticky folder keeps the member's file its own: %s", errOut)
	require.NoError(t, os.Chmod(filepath.Dir(ca), 0o700))
	require.NoError(t, os.Chmod(filepath.Join(dir, client.MSPKeyFile), 0o622))
	refused("a key anyone may write", "may be written by other users")
}

// cliRefuses returns a check that the command line args is refused as a usage error whose message holds want.
func cliRefuses(t *testing.T, args ...string) func(what, want string) {
	return func(what, want string) {
		t.Helper()
		code, _, errOut := cli(t, nil, args...)
		assert.Equal(t, 2, code, "%s: %s", what, errOut)
		assert.Contains(t, errOut, want, what)
	}
}

// refusedWhileOthersMayChange makes path writable by other users, then (when the tests run as root, who may give it
// away) another user's, checking each time that refused sees the CLI refuse it; then it puts path back as it was:
// the caller's, with mode.
func refusedWhileOthersMayChange(t *testing.T, path string, mode os.FileMode, refused func(what, want string)) {
	t.Helper()
	require.NoError(t, os.Chmod(path, mode|0o022))
	refused(path+", which others may write", "may be written by other users")
	require.NoError(t, os.Chmod(path, mode))
	if os.Getuid() == 0 {
		require.NoError(t, os.Chown(path, 65534, 65534))
		refused(path+", another user's", "belongs to another user")
		require.NoError(t, os.Chown(path, 0, 0))
	}
}
