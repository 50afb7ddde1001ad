//go:build e2e

package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/client/pkcs11/softhsm"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
)

// enterprise is an enterprise onboarded by Jiangsu's operator in this run, enrolled from a directory of its own and
// registered on the ledger as a holder by Jiangsu's admin.
type enterprise struct {
	uscc, participant, home string
	cert                    *x509.Certificate
}

// selfSigning is an SDK client of Jiangsu's gateway that signs as e, with the
// key file and certificate of its enrolled home.
func selfSigning(t *testing.T, e enterprise) *client.Client {
	t.Helper()
	keys := demoKeys(t)
	signer, err := client.LoadKeyFile(filepath.Join(e.home, "msp", "keystore", "priv_sk"))
	require.NoError(t, err)
	certPEM, err := os.ReadFile(filepath.Join(e.home, "msp", "signcerts", "cert.pem"))
	require.NoError(t, err)
	self, err := client.New(keys["JIANGSU_GW"], client.WithCAFile(keys["JIANGSU_CA"]), client.WithSigner(certPEM, signer))
	require.NoError(t, err)
	return self
}

// onboard onboards, enrolls with the command-line tool (extra flags: a PKCS#11 token) and registers an enterprise
// as a holder.
func onboard(t *testing.T, bin string, extra ...string) enterprise {
	t.Helper()
	return onboardAs(t, bin, model.RoleHolder, extra...)
}

// onboardAs is onboard in role.
func onboardAs(t *testing.T, bin string, role string, extra ...string) enterprise {
	t.Helper()
	keys := demoKeys(t)
	ctx := callCtx(t)
	e := enterprise{uscc: runUSCC(), home: t.TempDir()}
	e.participant = "jiangsu.e" + strings.ToLower(e.uscc)
	legalName := "无锡数据有限公司 " + e.uscc
	inv, err := member(t, "jiangsu", "operator").Members().Register(ctx, client.OnboardRequest{LegalName: legalName,
		USCC: e.uscc, Roles: []string{role}})
	require.NoError(t, err)
	args := append([]string{"--gateway", keys["JIANGSU_GW"], "--cacert", keys["JIANGSU_CA"]}, extra...)
	args = append(args, "enroll", "--id", inv.EnrollmentID, "--secret", inv.Secret, "--msp-dir", "msp")
	runCLI(t, bin, e.home, args...)
	certPEM, err := os.ReadFile(filepath.Join(e.home, "msp", "signcerts", "cert.pem"))
	require.NoError(t, err)
	e.cert, err = fabricca.ParseCertificate(certPEM)
	require.NoError(t, err)
	registered, err := member(t, "jiangsu", "admin").Participants().Register(ctx, client.RegisterParticipantRequest{ID: e.participant,
		CertificatePEM: string(certPEM), Roles: []string{role}, USCC: e.uscc, Name: legalName, Region: "jiangsu"})
	committed(t, registered, err)
	return e
}

// runCLI runs the command-line tool in dir, as nobody but the flags say (no
// gateway, demo profile or API key from the environment).
func runCLI(t *testing.T, bin, dir string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DELTALEDGER_GATEWAY=", "DELTALEDGER_API_KEY=", "DELTALEDGER_ORG=", "DELTALEDGER_ROLE=", "DELTALEDGER_PROFILE=")
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("deltaledger %s: %v: %s", strings.Join(args, " "), err, ee.Stderr)
	}
	require.NoError(t, err)
	return out
}

func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "deltaledger")
	build := exec.Command("go", "build", "-o", bin, "./client/cmd/deltaledger")
	build.Dir = testNet.Config().Root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// applyWithCLI applies for a data asset as the enterprise, signing with its own key (flags), and returns the
// application's transaction ID.
func applyWithCLI(t *testing.T, bin string, e enterprise, assetID string, signing ...string) string {
	t.Helper()
	keys := demoKeys(t)
	data := filepath.Join(e.home, "data.csv")
	require.NoError(t, os.WriteFile(data, []byte("berth,moves\n"+assetID+",1\n"), 0o600))
	args := append([]string{"--gateway", keys["JIANGSU_GW"], "--cacert", keys["JIANGSU_CA"], "--client-cert", "msp/signcerts/cert.pem"}, signing...)
	args = append(args, "assets", "apply", "--id", assetID, "--name", "Wuxi power "+assetID, "--category", "energy",
		"--region", "jiangsu", "--description", "Hourly load per substation", "--content-file", data)
	out := runCLI(t, bin, e.home, args...)
	var printed map[string]any
	require.NoError(t, json.Unmarshal(out, &printed), "%s", out)
	txID, _ := printed["transaction_id"].(string)
	require.NotEmpty(t, txID, "%s", out)
	return txID
}

// Members onboarded through Jiangsu's gateway sign their own transactions: one with the key file its enrollment
// made, one with a key made inside a SoftHSM2 token (never extractable). The gateway holds no key of either, and
// the ledger records each as the applicant of the asset it registered, that is, the chaincode saw the member as
// the submitter.
func TestAMemberSignsItsOwnTransactions(t *testing.T) {
	ctx := callCtx(t)
	bin := buildCLI(t)

	withFile := onboard(t, bin)
	fileTx := applyWithCLI(t, bin, withFile, id("own-key-file"), "--key", "msp/keystore/priv_sk")

	token := softhsm.NewToken(t, "enterprise")
	t.Setenv("DELTALEDGER_PKCS11_PIN", token.PIN)
	hsm := []string{"--pkcs11-lib", token.Library, "--pkcs11-label", token.Label}
	withHSM := onboard(t, bin, hsm...)
	assert.NoDirExists(t, filepath.Join(withHSM.home, "msp", "keystore"), "the token's key is never written out")
	hsmTx := applyWithCLI(t, bin, withHSM, id("own-key-hsm"), hsm...)

	operator := member(t, "jiangsu", "operator")
	for assetID, e := range map[string]enterprise{id("own-key-file"): withFile, id("own-key-hsm"): withHSM} {
		a, err := operator.Assets().Get(ctx, assetID)
		require.NoError(t, err, assetID)
		assert.Equal(t, e.participant, a.ApplicantID, "the ledger records the member as the submitter of %s", assetID)
		assert.Equal(t, e.participant, a.HolderID)
		assert.Equal(t, "JiangsuMSP", a.HolderMSP)
	}

	// The SDK signs too (file key): a read is evaluated with the member's own signed proposal.
	keyPEM, err := os.ReadFile(filepath.Join(withFile.home, "msp", "keystore", "priv_sk"))
	require.NoError(t, err)
	me, err := selfSigning(t, withFile).Participants().Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, withFile.participant, me.ID)

	// It follows its own transaction's commit status, signing nothing for it (REST 7.1.0): the gateway recorded it
	// as the member's when it sent it for ordering, and its ledger index names the creator of a committed one (REST
	// 8.0.0). Another member's transaction is to it what an ID nobody sent is.
	self := selfSigning(t, withFile)
	st, err := self.Transactions().Wait(ctx, fileTx)
	require.NoError(t, err)
	assert.True(t, st.Committed && st.Valid, "%+v", st)
	_, err = self.Transactions().Status(ctx, hsmTx)
	assert.True(t, client.IsNotFound(err), "another member's committed transaction: %v", err)
	_, err = self.Transactions().Status(ctx, strings.Repeat("0", 64))
	assert.True(t, client.IsNotFound(err), "an ID nobody sent: %v", err)

	// The gateway's state directory holds no key of the members.
	assertNotInGatewayState(t, "jiangsu", strings.TrimSpace(string(keyPEM)))
}

// rawMember is a member's own HTTP client: mutual TLS with its certificate and key, no SDK checks.
type rawMember struct {
	t    *testing.T
	http *http.Client
	gw   string
	key  *ecdsa.PrivateKey
}

func newRawMember(t *testing.T, e enterprise) *rawMember {
	keys := demoKeys(t)
	keyPEM, err := os.ReadFile(filepath.Join(e.home, "msp", "keystore", "priv_sk"))
	require.NoError(t, err)
	key, err := fabricca.ParsePrivateKey(keyPEM)
	require.NoError(t, err)
	caPEM, err := os.ReadFile(keys["JIANGSU_CA"])
	require.NoError(t, err)
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(caPEM))
	cert := tls.Certificate{Certificate: [][]byte{e.cert.Raw}, PrivateKey: key, Leaf: e.cert}
	transport := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil }}}
	return &rawMember{t: t, http: &http.Client{Transport: transport, Timeout: 2 * time.Minute}, gw: keys["JIANGSU_GW"], key: key}
}

type stepBody struct {
	TransactionID string `json:"transaction_id"`
	Step          string `json:"step"`
	Bytes         string `json:"bytes"`
	Digest        string `json:"digest"`
	SignURL       string `json:"sign_url"`
}

func (m *rawMember) post(path string, body any) (int, []byte) {
	b, _ := json.Marshal(body)
	resp, err := m.http.Post(m.gw+path, "application/json", bytes.NewReader(b))
	require.NoError(m.t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func (m *rawMember) step(status int, body []byte) stepBody {
	require.Equal(m.t, http.StatusAccepted, status, "%s", body)
	var s stepBody
	require.NoError(m.t, json.Unmarshal(body, &s))
	return s
}

func sign(t *testing.T, key *ecdsa.PrivateKey, digest []byte) string {
	sig, err := client.SignDigest(key, digest)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(sig)
}

func digest(t *testing.T, s stepBody) []byte {
	d, err := base64.StdEncoding.DecodeString(s.Digest)
	require.NoError(t, err)
	return d
}

// Nothing in the flow lets one member act as another: a proposal signed with another member's key is refused,
// naming why, and so is a transaction altered after its endorsement; another member cannot continue the call.
func TestOneMemberCannotSignForAnother(t *testing.T) {
	bin := buildCLI(t)
	victim, attacker := onboard(t, bin), onboard(t, bin)
	v, a := newRawMember(t, victim), newRawMember(t, attacker)
	apply := map[string]any{"id": id("stolen"), "name": "Not yours", "category": "energy", "sourceRegion": "jiangsu",
		"description": "x", "contentHash": client.SHA256([]byte(id("stolen")))}

	// The victim starts a call; the attacker's key signs its proposal.
	s := v.step(v.post("/v1/assets", apply))
	require.Equal(t, "proposal", s.Step)
	status, body := v.post(s.SignURL, map[string]string{"signature": sign(t, a.key, digest(t, s))})
	require.Equal(t, http.StatusBadRequest, status, "%s", body)
	assert.Contains(t, string(body), `"field":"signature"`)
	assert.Contains(t, string(body), "does not verify with the public key of the caller's certificate")
	// The attacker, with its own valid signature, cannot continue the victim's call either.
	status, body = a.post(s.SignURL, map[string]string{"signature": sign(t, a.key, digest(t, s))})
	require.Equal(t, http.StatusNotFound, status, "%s", body)

	// The victim's own signature gets it endorsed; a transaction altered afterwards is not sent.
	s = v.step(v.post(s.SignURL, map[string]string{"signature": sign(t, v.key, digest(t, s))}))
	require.Equal(t, "transaction", s.Step)
	tx, err := base64.StdEncoding.DecodeString(s.Bytes)
	require.NoError(t, err)
	altered := bytes.Replace(tx, []byte(victim.participant), []byte(attacker.participant), 1)
	require.NotEqual(t, tx, altered, "the endorsed transaction names the applicant")
	sum := sha256.Sum256(altered)
	status, body = v.post(s.SignURL, map[string]string{"signature": sign(t, v.key, sum[:])})
	require.Equal(t, http.StatusBadRequest, status, "%s", body)
	assert.Contains(t, string(body), "over this step's digest")

	_, err = member(t, "jiangsu", "operator").Assets().Get(callCtx(t), id("stolen"))
	requireCode(t, err, "NOT_FOUND")
}
