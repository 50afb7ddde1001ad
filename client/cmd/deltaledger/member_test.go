package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/client/pkcs11/softhsm"
	"github.com/deltaledger/deltaledger/internal/envfile"
	"github.com/deltaledger/deltaledger/model"
)

// presented answers GET /v1/participants/me and keeps the client certificate each request presented.
type presented struct {
	mu    sync.Mutex
	certs [][]byte
	auth  []string
}

func (p *presented) handler(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	var der []byte
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		der = r.TLS.PeerCertificates[0].Raw
	}
	p.certs = append(p.certs, der)
	p.auth = append(p.auth, r.Header.Get("Authorization"))
	p.mu.Unlock()
	me(w, r)
}

func (p *presented) last(t *testing.T) ([]byte, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	require.NotEmpty(t, p.certs)
	return p.certs[len(p.certs)-1], p.auth[len(p.auth)-1]
}

// enrollInto enrolls through the fake gateway into a new MSP folder and returns it.
func enrollInto(t *testing.T, f *fakeGateway, env map[string]string, flags ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "msp")
	ca := filepath.Join(t.TempDir(), "gateway-ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw}), 0o644))
	args := append([]string{"--gateway", f.srv.URL, "--cacert", ca}, flags...)
	code, out, errOut := cli(t, env, append(args, "enroll", "--id", "91320500MA1FL1700R", "--secret", "s", "--msp-dir", dir)...)
	require.Equal(t, 0, code, errOut)
	var printed map[string]string
	require.NoError(t, json.Unmarshal([]byte(out), &printed), out)
	assert.Equal(t, filepath.Join(dir, memberProfileName), printed["profile"])
	return dir
}

func certificateIn(t *testing.T, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, client.MSPCertFile))
	require.NoError(t, err)
	block, _ := pem.Decode(b)
	require.NotNil(t, block)
	return block.Bytes
}

// Enrolling writes a member profile beside the MSP folder's files: afterwards --member DIR alone acts as the
// member, over mutual TLS with its enrolled certificate and signing with its key, whatever API key or demo
// profile the environment names. The profile holds no secret.
func TestEnrollWritesAMemberProfileThatActsAsTheMember(t *testing.T) {
	f := newFake(t, true)
	f.on("POST /v1/members/enroll", issuing(t))
	var p presented
	f.on("GET /v1/participants/me", p.handler)
	dir := enrollInto(t, f, nil)

	profile, err := envfile.Read(filepath.Join(dir, memberProfileName))
	require.NoError(t, err)
	assert.Equal(t, f.srv.URL, profile["DELTALEDGER_GATEWAY"])
	assert.True(t, filepath.IsAbs(profile["DELTALEDGER_CACERT"]), "the CA file is found from anywhere")
	assert.Equal(t, client.MSPCertFile, profile["DELTALEDGER_CLIENT_CERT"])
	assert.Equal(t, client.MSPKeyFile, profile["DELTALEDGER_KEY"])
	assert.NotContains(t, profile, "DELTALEDGER_CHANNEL", "the market's default names are not written")
	assert.NotContains(t, profile, "DELTALEDGER_CHAINCODE")
	raw, err := os.ReadFile(filepath.Join(dir, memberProfileName))
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "PRIVATE KEY")

	// From another directory, with a demo member and an API key in the environment: the profile decides.
	t.Chdir(t.TempDir())
	env := map[string]string{"DELTALEDGER_API_KEY": "dlk_someone_else", "DELTALEDGER_PROFILE": "jiangsu/buyer"}
	code, _, errOut := cli(t, env, "--member", dir, "whoami")
	require.Equal(t, 0, code, errOut)
	cert, auth := p.last(t)
	assert.Equal(t, certificateIn(t, dir), cert, "the member's enrolled certificate over mutual TLS")
	assert.Empty(t, auth, "no API key beside the member's certificate")

	code, _, errOut = cli(t, map[string]string{"DELTALEDGER_MEMBER": dir}, "whoami")
	require.Equal(t, 0, code, errOut)
	cert, _ = p.last(t)
	assert.Equal(t, certificateIn(t, dir), cert, "DELTALEDGER_MEMBER names it too")
}

// A member profile of a key kept in a PKCS#11 token names the token, never its PIN, which comes from the
// environment when the member acts.
func TestAMemberProfileOfATokenKeepsNoPIN(t *testing.T) {
	f := newFake(t, true)
	f.on("POST /v1/members/enroll", issuing(t))
	var p presented
	f.on("GET /v1/participants/me", p.handler)
	tok := softhsm.NewToken(t, "enterprise")
	pin := map[string]string{"DELTALEDGER_PKCS11_PIN": tok.PIN}
	dir := enrollInto(t, f, pin, "--pkcs11-lib", tok.Library, "--pkcs11-label", tok.Label)

	profile, err := envfile.Read(filepath.Join(dir, memberProfileName))
	require.NoError(t, err)
	assert.Equal(t, tok.Library, profile["DELTALEDGER_PKCS11_LIB"])
	assert.Equal(t, tok.Label, profile["DELTALEDGER_PKCS11_LABEL"])
	assert.NotContains(t, profile, "DELTALEDGER_KEY")
	raw, err := os.ReadFile(filepath.Join(dir, memberProfileName))
	require.NoError(t, err)
	assert.NotContains(t, string(raw), tok.PIN)
	assert.NotContains(t, string(raw), "DELTALEDGER_PKCS11_PIN")

	code, _, errOut := cli(t, pin, "--member", dir, "whoami")
	require.Equal(t, 0, code, errOut)
	cert, _ := p.last(t)
	assert.Equal(t, certificateIn(t, dir), cert, "the token's key signed the handshake")

	code, _, errOut = cli(t, nil, "--member", dir, "whoami")
	assert.Equal(t, 2, code, "no PIN: %s", errOut)
	assert.Contains(t, errOut, "--pkcs11-pin")
}

func TestMemberProfilesRefuseBadCommandLines(t *testing.T) {
	f := newFake(t, true)
	f.on("POST /v1/members/enroll", issuing(t))
	dir := enrollInto(t, f, nil)
	sent := f.count()

	withPIN := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(withPIN, memberProfileName), []byte("DELTALEDGER_GATEWAY="+f.srv.URL+"\nDELTALEDGER_PKCS11_PIN=1234\n"), 0o600))
	withAPIKey := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(withAPIKey, memberProfileName), []byte("DELTALEDGER_API_KEY=dlk_x_y\n"), 0o600))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--member", dir, "--api-key", "dlk_x_y"}, "no --api-key"},
		{[]string{"--member", dir, "--org", "jiangsu", "--role", "buyer"}, "--member names the member"},
		{[]string{"--member", dir, "--profile", "jiangsu/buyer"}, "no --profile"},
		{[]string{"--member", t.TempDir()}, "written by 'deltaledger enroll"},
		{[]string{"--member", withPIN}, "DELTALEDGER_PKCS11_PIN is not a setting"},
		{[]string{"--member", withAPIKey}, "never a secret"},
	} {
		code, _, errOut := cli(t, nil, append(c.args, "whoami")...)
		assert.Equal(t, 2, code, "%v: %s", c.args, errOut)
		assert.Contains(t, errOut, c.want, "%v", c.args)
	}
	assert.Equal(t, sent, f.count(), "nothing reached the gateway")
}

// The invitation's one-time secret enrolls whoever sends it first: it can come from the environment, so that it
// never shows in the process list, where another user of the machine could read it and enroll before the member.
func TestEnrollTakesTheSecretFromTheEnvironment(t *testing.T) {
	f := newFake(t, true)
	issue := issuing(t)
	var sent []string
	f.on("POST /v1/members/enroll", func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		var req map[string]string
		require.NoError(t, json.Unmarshal(b, &req))
		sent = append(sent, req["secret"])
		r.Body = io.NopCloser(bytes.NewReader(b))
		issue(w, r)
	})
	ca := filepath.Join(t.TempDir(), "gateway-ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw}), 0o644))
	env := map[string]string{"DELTALEDGER_ENROLLMENT_SECRET": "from-env"}
	code, _, errOut := cli(t, env, "--gateway", f.srv.URL, "--cacert", ca, "enroll", "--id", "91320500MA1FL1700R",
		"--msp-dir", filepath.Join(t.TempDir(), "msp"))
	require.Equal(t, 0, code, errOut)
	// The flag, when given, still wins, as every setting's does.
	code, _, errOut = cli(t, env, "--gateway", f.srv.URL, "--cacert", ca, "enroll", "--id", "91320500MA1FL1700R",
		"--secret", "from-flag", "--msp-dir", filepath.Join(t.TempDir(), "msp"))
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, []string{"from-env", "from-flag"}, sent)
	// Neither: the error names both.
	code, _, errOut = cli(t, nil, "--gateway", f.srv.URL, "--cacert", ca, "enroll", "--id", "91320500MA1FL1700R",
		"--msp-dir", filepath.Join(t.TempDir(), "msp"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "DELTALEDGER_ENROLLMENT_SECRET")
}

// A member enrolled on a market deployed under other names than the defaults keeps them in its profile, so that it
// signs messages of that channel and chaincode only (client.WithChaincode), and its channel admin publishes there.
func TestAMemberProfileKeepsTheMarketsNames(t *testing.T) {
	f := newFake(t, true)
	f.on("POST /v1/members/enroll", issuing(t))
	dir := enrollInto(t, f, nil, "--channel", "trial", "--chaincode", "market2")
	profile, err := envfile.Read(filepath.Join(dir, memberProfileName))
	require.NoError(t, err)
	assert.Equal(t, "trial", profile["DELTALEDGER_CHANNEL"])
	assert.Equal(t, "market2", profile["DELTALEDGER_CHAINCODE"])

	deployment := func(env map[string]string, args ...string) [2]string {
		a := newApp(strings.NewReader(""), io.Discard, io.Discard, func(k string) string { return env[k] })
		cmd, _, err := a.commandTree().Find([]string{"whoami"})
		require.NoError(t, err)
		require.NoError(t, cmd.ParseFlags(args))
		require.NoError(t, a.checkGlobals())
		channel, chaincode := a.deployment()
		return [2]string{channel, chaincode}
	}
	assert.Equal(t, [2]string{"trial", "market2"}, deployment(nil, "--member", dir))
	assert.Equal(t, [2]string{"trial", "market2"}, deployment(map[string]string{"DELTALEDGER_CHANNEL": "x", "DELTALEDGER_CHAINCODE": "y"}, "--member", dir),
		"the profile comes before the environment")
	assert.Equal(t, [2]string{"flag", "market2"}, deployment(nil, "--member", dir, "--channel", "flag"), "a flag still wins")
	assert.Equal(t, [2]string{model.DefaultChannel, model.DefaultChaincode}, deployment(nil), "the defaults without a profile")
}

// A token's library named by its bare name at enrollment stays a bare name when the profile is read, for the
// dynamic loader to find; only a relative path is taken from the profile's folder.
func TestAMemberProfileKeepsABareLibraryNameForTheLoader(t *testing.T) {
	dir := t.TempDir()
	for lib, want := range map[string]string{
		"libsofthsm2.so":          "libsofthsm2.so",
		"lib/libsofthsm2.so":      filepath.Join(dir, "lib/libsofthsm2.so"),
		"/usr/lib/libsofthsm2.so": "/usr/lib/libsofthsm2.so",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, memberProfileName),
			[]byte("DELTALEDGER_GATEWAY=https://127.0.0.1:1\nDELTALEDGER_PKCS11_LIB="+lib+"\n"), 0o600))
		a := newApp(nil, io.Discard, io.Discard, func(name string) string { return map[string]string{"DELTALEDGER_MEMBER": dir}[name] })
		a.rootCommand()
		require.NoError(t, a.useMemberProfile(), lib)
		assert.Equal(t, want, a.getenv("DELTALEDGER_PKCS11_LIB"), lib)
	}
}
