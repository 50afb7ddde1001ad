//go:build e2e

package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/readmetest"
	"github.com/deltaledger/deltaledger/model"
)

// runUSCC returns a valid USCC that no other call of this run and no earlier run has returned: the CAs keep their
// identities across runs. A run takes its block of 1,000 codes from the second it started in, so two runs a second
// or more apart never meet; within a run a counter, not the caller, keeps codes apart.
func runUSCC() string {
	first17 := fmt.Sprintf("91320500%09d", (usccRunBase+usccSeq.Add(1))%1_000_000_000)
	check, _ := model.USCCCheckCharacter(first17)
	return first17 + string(check)
}

var (
	usccRunBase = time.Now().Unix() % 1_000_000 * 1000
	usccSeq     atomic.Int64
)

// Jiangsu's operator onboards an enterprise through the Jiangsu gateway (SDK); the enterprise enrolls with the
// command-line tool from a directory of its own, where its key is made and stays; its certificate is issued by
// Jiangsu's CA with its USCC, roles and legal name certified. The secret does not enroll twice; the enterprise
// cannot be onboarded twice; Anhui's operator cannot onboard through Jiangsu's gateway, and a holder cannot
// onboard at all.
func TestOnboardingThroughTheRegionsGateway(t *testing.T) {
	keys := demoKeys(t)
	ctx := callCtx(t)
	operator := member(t, "jiangsu", "operator")
	uscc := runUSCC()

	inv, err := operator.Members().Register(ctx, client.OnboardRequest{LegalName: "苏州数据科技有限公司", USCC: uscc,
		Roles: []string{model.RoleHolder, model.RoleBuyer}})
	require.NoError(t, err)
	assert.Equal(t, uscc, inv.EnrollmentID)
	assert.Equal(t, "JiangsuMSP", inv.MSPID)
	require.NotEmpty(t, inv.Secret)

	_, err = operator.Members().Register(ctx, client.OnboardRequest{LegalName: "again", USCC: uscc, Roles: []string{model.RoleHolder}})
	requireCode(t, err, "CONFLICT")

	_, err = member(t, "jiangsu", "holder").Members().Register(ctx, client.OnboardRequest{LegalName: "x", USCC: runUSCC(), Roles: []string{model.RoleHolder}})
	requireCode(t, err, "FORBIDDEN")
	anhuiOperatorAtJiangsu, err := client.New(keys["JIANGSU_GW"], client.WithAPIKey(keys["ANHUI_OPERATOR_KEY"]), client.WithCAFile(keys["JIANGSU_CA"]))
	require.NoError(t, err)
	_, err = anhuiOperatorAtJiangsu.Members().Register(ctx, client.OnboardRequest{LegalName: "x", USCC: runUSCC(), Roles: []string{model.RoleHolder}})
	requireCode(t, err, "UNAUTHENTICATED")
	_, err = operator.Members().Register(ctx, client.OnboardRequest{LegalName: "x", USCC: runUSCC(), Roles: []string{model.RoleOperator}})
	requireCode(t, err, "INVALID_ARGUMENT")

	// Anyone knows the USCC: wrong secrets, more than a lock would allow, do not block the invitation.
	stranger, err := client.New(keys["JIANGSU_GW"], client.WithCAFile(keys["JIANGSU_CA"]))
	require.NoError(t, err)
	for i := range 12 {
		_, err := stranger.Members().Enroll(ctx, uscc, fmt.Sprintf("guess-%d", i))
		requireCode(t, err, "UNAUTHENTICATED")
	}

	// The enterprise's machine: a directory of its own and the command-line tool, no API key.
	home := t.TempDir()
	bin := filepath.Join(home, "deltaledger")
	build := exec.Command("go", "build", "-o", bin, "./client/cmd/deltaledger")
	build.Dir = testNet.Config().Root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	enroll := func() ([]byte, error) {
		cmd := exec.Command(bin, "--gateway", keys["JIANGSU_GW"], "--cacert", keys["JIANGSU_CA"],
			"enroll", "--id", inv.EnrollmentID, "--secret", inv.Secret, "--msp-dir", "msp")
		cmd.Dir = home
		cmd.Env = append(os.Environ(), "DELTALEDGER_API_KEY=", "DELTALEDGER_ORG=", "DELTALEDGER_ROLE=", "DELTALEDGER_PROFILE=")
		return cmd.Output()
	}
	out, err = enroll()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("deltaledger enroll: %v: %s", err, ee.Stderr)
	}
	require.NoError(t, err)
	var printed map[string]string
	require.NoError(t, json.Unmarshal(out, &printed), "%s", out)
	assert.Equal(t, uscc, printed["uscc"])
	assert.Equal(t, "buyer,holder", printed["roles"])

	cert := readCertFile(t, filepath.Join(home, "msp", "signcerts", "cert.pem"))
	key := filepath.Join(home, "msp", "keystore", "priv_sk")
	info, err := os.Stat(key)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	keyPEM, err := os.ReadFile(key)
	require.NoError(t, err)
	priv, err := fabricca.ParsePrivateKey(keyPEM)
	require.NoError(t, err)
	assert.True(t, priv.PublicKey.Equal(cert.PublicKey), "the certificate is of the key made in the enterprise's directory")
	attrs, err := fabricca.Attributes(cert)
	require.NoError(t, err)
	assert.Equal(t, uscc, attrs[model.AttrUSCC])
	assert.Equal(t, "buyer,holder", attrs[model.AttrRoles])
	assert.Equal(t, "苏州数据科技有限公司", attrs[model.AttrLegalName])
	assert.Equal(t, uscc, cert.Subject.CommonName)
	assert.Equal(t, []string{"client", model.MembersAffiliation}, cert.Subject.OrganizationalUnit,
		"an MSP client (NodeOUs) of the affiliation of onboarded members, which the gateway's registrar may revoke")
	jiangsu, err := testNet.Config().Org("jiangsu")
	require.NoError(t, err)
	jiangsuCA := readCertFile(t, testNet.Config().CACertFile(jiangsu))
	roots := x509.NewCertPool()
	roots.AddCert(jiangsuCA)
	_, err = cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	assert.NoError(t, err, "issued by Jiangsu's CA")

	// The gateway kept neither the key nor the secret.
	assertNotInGatewayState(t, "jiangsu", inv.Secret, strings.TrimSpace(string(keyPEM)))

	// The secret enrolled once.
	require.NoError(t, os.RemoveAll(filepath.Join(home, "msp")))
	_, err = enroll()
	require.ErrorAs(t, err, &ee, "a second enrollment with the same secret")
	assert.Contains(t, string(ee.Stderr), "UNAUTHENTICATED")
}

// requireCode requires err to be the gateway's refusal with code.
func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *client.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, code, e.Code, "%v", err)
}

func readCertFile(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	cert, err := fabricca.ReadCertificate(path)
	require.NoError(t, err)
	return cert
}

// The README's section "Onboarding an enterprise" works as written, with a USCC of this run.
func TestReadmeOnboardingSection(t *testing.T) {
	demoKeys(t)
	uscc := runUSCC()
	out := readmetest.Run(t, testNet.Config().Root, "## Onboarding an enterprise", "USCC="+uscc,
		"DELTALEDGER_GATEWAY=", "DELTALEDGER_API_KEY=", "DELTALEDGER_ORG=", "DELTALEDGER_ROLE=", "DELTALEDGER_PROFILE=")
	t.Logf("the README onboarding section's output:\n%s", out)
	for _, want := range []string{uscc, "buyer,holder", "JiangsuMSP", "priv_sk", "cert.pem", "UNAUTHENTICATED", "a second enrollment is refused", "keySha256",
		model.ParticipantSuspended, "revoked by the CA of JiangsuMSP", "a revoked certificate is refused"} {
		assert.Contains(t, out, want, "the README onboarding section's output:\n%s", out)
	}
	// (IDs made of the USCC, the participant's, the asset's or any other, do
	// not count: only the USCC standing as a word of its own)
	alone := regexp.MustCompile(`(^|[^0-9A-Za-z._-])` + regexp.QuoteMeta(uscc) + `($|[^0-9A-Za-z._-])`)
	printed := 0
	for _, line := range strings.Split(out, "\n") {
		if alone.MatchString(line) {
			printed++
		}
	}
	assert.Equal(t, 2, printed, "enroll and reenroll each print the certified USCC:\n%s", out)
	// The asset the enterprise applied for, signing itself, names it as the applicant.
	// (the participant's registration prints nothing: the ID shows only in the asset the enterprise applied for)
	assert.Contains(t, out, "jiangsu.e"+strings.ToLower(uscc), "the README onboarding section's output:\n%s", out)
}

// An onboarded enterprise rotates its key at its region's CA with the command-line tool: the new certificate is of
// a new key made in its directory and keeps its enrollment ID and certified attributes. Someone holding only the
// certificate (it is public) cannot rotate it: a request signed with another key is refused.
func TestReenrollmentRotatesTheKeyAndKeepsTheIdentity(t *testing.T) {
	keys := demoKeys(t)
	ctx := callCtx(t)
	uscc := runUSCC()
	inv, err := member(t, "jiangsu", "operator").Members().Register(ctx, client.OnboardRequest{LegalName: "常州数据有限公司",
		USCC: uscc, Roles: []string{model.RoleAgency}})
	require.NoError(t, err)
	enrollee, err := client.New(keys["JIANGSU_GW"], client.WithCAFile(keys["JIANGSU_CA"]))
	require.NoError(t, err)
	first, err := enrollee.Members().Enroll(ctx, inv.EnrollmentID, inv.Secret)
	require.NoError(t, err)
	home := t.TempDir()
	require.NoError(t, first.WriteMSP(filepath.Join(home, "msp")))

	cfg := testNet.Config()
	caURL := keys["JIANGSU_CA_URL"]
	require.NotEmpty(t, caURL, "demo-keys.env has no JIANGSU_CA_URL (make up writes it)")
	bin := filepath.Join(home, "deltaledger")
	build := exec.Command("go", "build", "-o", bin, "./client/cmd/deltaledger")
	build.Dir = cfg.Root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	// Not registered on the ledger yet: nothing to bind there, the enrollment rotates at the CA alone (--ca-only);
	// without it, reenroll refuses, as it cannot bind the new key on the ledger, and writes nothing.
	refused := exec.Command(bin, "reenroll", "--ca", caURL, "--msp-dir", "msp")
	refused.Dir = home
	require.Error(t, refused.Run(), "reenroll without the ledger")
	kept, err := client.ReadMSP(filepath.Join(home, "msp"))
	require.NoError(t, err)
	require.True(t, kept.Key.Equal(first.Key), "nothing written")
	cmd := exec.Command(bin, "reenroll", "--ca", caURL, "--msp-dir", "msp", "--ca-only")
	cmd.Dir = home
	out, err = cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("deltaledger reenroll: %v: %s", err, ee.Stderr)
	}
	require.NoError(t, err)

	next, err := client.ReadMSP(filepath.Join(home, "msp"))
	require.NoError(t, err)
	assert.False(t, next.Key.Equal(first.Key), "a new key")
	oldCert, newCert := readCertFile(t, writeTemp(t, first.CertificatePEM)), readCertFile(t, filepath.Join(home, "msp", "signcerts", "cert.pem"))
	assert.True(t, next.Key.PublicKey.Equal(newCert.PublicKey), "of the new key")
	assert.Equal(t, oldCert.Subject.CommonName, newCert.Subject.CommonName)
	assert.NotEqual(t, oldCert.SerialNumber, newCert.SerialNumber)
	attrs, err := next.Attributes()
	require.NoError(t, err)
	assert.Equal(t, uscc, attrs[model.AttrUSCC], "%s", out)
	assert.Equal(t, model.RoleAgency, attrs[model.AttrRoles])
	assert.Equal(t, "常州数据有限公司", attrs[model.AttrLegalName])

	thief, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	stolen := &client.Enrollment{Key: thief, CertificatePEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: newCert.Raw}),
		CAChainPEM: next.CAChainPEM}
	_, err = stolen.Reenroll(ctx, caURL)
	require.Error(t, err, "a re-enrollment signed with another key than the certificate's")
	assert.Contains(t, err.Error(), "code 20", "refused as unauthenticated (the token's signature)")
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cert.pem")
	require.NoError(t, os.WriteFile(p, b, 0o600))
	return p
}
