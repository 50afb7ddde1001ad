//go:build e2e

package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
)

func (m *rawMember) get(path string) (int, []byte) {
	resp, err := m.http.Get(m.gw + path)
	require.NoError(m.t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// asJiangsuAdmin runs the command-line tool as Jiangsu's admin (its demo API key) and decodes its JSON output.
func asJiangsuAdmin(t *testing.T, bin string, args ...string) map[string]any {
	t.Helper()
	keys := demoKeys(t)
	cmd := exec.Command(bin, append([]string{"--gateway", keys["JIANGSU_GW"], "--cacert", keys["JIANGSU_CA"], "-o", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "DELTALEDGER_API_KEY="+keys["JIANGSU_ADMIN_KEY"], "DELTALEDGER_ORG=", "DELTALEDGER_ROLE=", "DELTALEDGER_PROFILE=")
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("deltaledger %v: %v: %s", args, err, ee.Stderr)
	}
	require.NoError(t, err)
	var printed map[string]any
	require.NoError(t, json.Unmarshal(out, &printed), "%s", out)
	return printed
}

// Suspending a member the gateway onboarded cuts it off: one command of the org's admin suspends it on the ledger
// and revokes its certificate at the region's CA. From then on the gateway refuses the certificate before anything
// else, for a new call as for a step of a call the member started before (its signed proposal), naming the
// revocation; the CA refuses to re-enroll it; another member is unaffected. Reinstating it on the ledger does not
// bring the revoked certificate back (decided: a reinstated member acts again only with a new certificate).
func TestSuspensionCutsTheMemberOff(t *testing.T) {
	ctx := callCtx(t)
	bin := buildCLI(t)
	victim, bystander := onboard(t, bin), onboard(t, bin)
	v, b := newRawMember(t, victim), newRawMember(t, bystander)

	// Before: both members reach the gateway; the victim starts a call it will sign later.
	for _, m := range []*rawMember{v, b} {
		status, body := m.get("/v1/participants/me")
		require.Equal(t, http.StatusAccepted, status, "a member who signs itself is asked for its proposal: %s", body)
	}
	apply := map[string]any{"id": id("cut-off"), "name": "Never registered", "category": "energy", "sourceRegion": "jiangsu",
		"description": "x", "contentHash": client.SHA256([]byte(id("cut-off")))}
	pending := v.step(v.post("/v1/assets", apply))
	require.Equal(t, "proposal", pending.Step)

	// The victim re-enrolls, straight at Jiangsu's CA, under a subject of its own choosing: the CA keeps the O it
	// asked for, so the certificate is of another identity, which the ledger does not know, but it could re-enroll
	// back to the participant's subject after the revocation.
	enrolled, err := client.ReadMSP(filepath.Join(victim.home, "msp"))
	require.NoError(t, err)
	jiangsu, err := testNet.Config().Org("jiangsu")
	require.NoError(t, err)
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(enrolled.CAChainPEM))
	ca, err := fabricca.New("https://"+jiangsu.CAEndpoint, fabricca.WithRootCAs(roots))
	require.NoError(t, err)
	asideKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	asideCSR, err := fabricca.CertificateRequest(asideKey, victim.cert.Subject.CommonName, pkix.Name{Organization: []string{"Elsewhere Ltd"}})
	require.NoError(t, err)
	aside, err := ca.Reenroll(ctx, &fabricca.Identity{CertificatePEM: enrolled.CertificatePEM, Key: enrolled.Key}, asideCSR)
	require.NoError(t, err)
	asideCert, err := fabricca.ParseCertificate(aside.CertificatePEM)
	require.NoError(t, err)
	assert.Equal(t, []string{"Elsewhere Ltd"}, asideCert.Subject.Organization, "the CA keeps the subject the member chose")

	// The revocation route refuses a member the ledger still holds ACTIVE.
	_, err = member(t, "jiangsu", "admin").Members().Revoke(ctx, victim.participant)
	requireCode(t, err, "CONFLICT")

	// One command: suspended on the ledger, its certificate revoked at Jiangsu's CA.
	out := asJiangsuAdmin(t, bin, "participants", "suspend", victim.participant, "--reason", "licence withdrawn by the exchange")
	require.Equal(t, true, out["committed"], "%v", out)
	result, _ := out["result"].(map[string]any)
	assert.Equal(t, model.ParticipantSuspended, result["status"], "%v", out)
	revocation, _ := out["revocation"].(map[string]any)
	require.NotNil(t, revocation, "%v", out)
	assert.ElementsMatch(t, []any{victim.cert.SerialNumber.Text(16), asideCert.SerialNumber.Text(16)}, revocation["revoked"],
		"every certificate of the enrollment ID, whatever its subject")

	// The victim is refused before anything else, naming the revocation: a new call, and the signed proposal of
	// the call it started before.
	status, body := v.get("/v1/participants/me")
	assert.Equal(t, http.StatusUnauthorized, status, "%s", body)
	assert.Contains(t, string(body), "revoked by the CA of JiangsuMSP")
	assert.Contains(t, string(body), victim.cert.SerialNumber.Text(16))
	status, body = v.post(pending.SignURL, map[string]string{"signature": sign(t, v.key, digest(t, pending))})
	assert.Equal(t, http.StatusUnauthorized, status, "the signed proposal of a revoked member: %s", body)
	assert.Contains(t, string(body), "revoked")
	_, err = member(t, "jiangsu", "operator").Assets().Get(ctx, id("cut-off"))
	requireCode(t, err, "NOT_FOUND")

	// The CA refuses to re-enroll the revoked certificates (key rotation is no way back), the one under another
	// subject included.
	_, err = enrolled.Reenroll(ctx, "https://"+jiangsu.CAEndpoint)
	require.Error(t, err, "the CA re-enrolled a revoked certificate")
	assert.Contains(t, err.Error(), "code 20", "the CA refuses the revoked certificate's token as unauthenticated")
	back, err := fabricca.CertificateRequest(asideKey, victim.cert.Subject.CommonName, pkix.Name{})
	require.NoError(t, err)
	_, err = ca.Reenroll(ctx, &fabricca.Identity{CertificatePEM: aside.CertificatePEM, Key: asideKey}, back)
	require.Error(t, err, "the certificate under another subject re-enrolled back to the participant's subject")
	assert.True(t, fabricca.HasCode(err, fabricca.CodeAuthenticationFailure), "the revoked token: %v", err)

	// The bystander is unaffected: its signed read goes through.
	me, err := selfSigning(t, bystander).Participants().Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, bystander.participant, me.ID)

	// Calling the revocation again revokes nothing more.
	again, err := member(t, "jiangsu", "admin").Members().Revoke(ctx, victim.participant)
	require.NoError(t, err)
	assert.Empty(t, again.Revoked)

	// Reinstated on the ledger, the member is ACTIVE again, but its revoked certificate stays refused.
	out = asJiangsuAdmin(t, bin, "participants", "reinstate", victim.participant)
	result, _ = out["result"].(map[string]any)
	assert.Equal(t, model.ParticipantActive, result["status"], "%v", out)
	status, body = v.get("/v1/participants/me")
	assert.Equal(t, http.StatusUnauthorized, status, "a revoked certificate never comes back: %s", body)
}
