//go:build e2e

package e2e

import (
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A member suspended and cut off (its certificate revoked at Jiangsu's CA), then reinstated on the ledger, acts again
// with a new certificate: Jiangsu's operator has the gateway give its identity a new one-time secret (`members
// reinvite`), the enterprise enrolls on its own machine, and the chaincode takes the new certificate as the same
// participant, certifying the same enterprise, while the old certificate stays refused. Nobody takes over an
// enterprise with it: a holder may not ask, Anhui's operator cannot reach Jiangsu's members, a live member (valid
// certificate) and a still-suspended one get no new enrollment, and the secret enrolls once, however often the
// operator asked for it. The new certificate is of a new key, which the ledger refuses until Jiangsu's admin binds
// it to the participant (`participants rebind-key`); the member then sees on its record who bound it and why.
func TestAReinstatedMemberEnrollsAgainAsTheSameParticipant(t *testing.T) {
	keys := demoKeys(t)
	ctx := callCtx(t)
	bin := buildCLI(t)
	victim, bystander := onboard(t, bin), onboard(t, bin)
	asJiangsuAdmin(t, bin, "participants", "suspend", victim.participant, "--reason", "licence withdrawn by the exchange")

	operator := member(t, "jiangsu", "operator")
	_, err := operator.Members().Reinvite(ctx, victim.participant)
	requireCode(t, err, "CONFLICT") // still SUSPENDED: the admin reinstates first
	out := asJiangsuAdmin(t, bin, "participants", "reinstate", victim.participant)
	result, _ := out["result"].(map[string]any)
	require.Equal(t, model.ParticipantActive, result["status"], "%v", out)
	// Straight at Jiangsu's peer, around the gateway, the revoked certificate still passes the peer's check (the
	// CRL is not in the channel: TestPeersRefuseARevokedCertificateOnceTheCRLIsInTheChannel), but the chaincode
	// refuses it: the suspension withdrew the member's key until its admin binds a new one.
	requireDirectRefusal(t, directCall(t, ctx, victim, "jiangsu", "participants:WhoAmI"), ledgererr.Forbidden, "withdrawn")

	// The attacker's attempts: nobody gets an enrollment of somebody else's enterprise.
	_, err = member(t, "jiangsu", "holder").Members().Reinvite(ctx, victim.participant)
	requireCode(t, err, "FORBIDDEN")
	_, err = member(t, "anhui", "operator").Members().Reinvite(ctx, victim.participant)
	requireCode(t, err, "NOT_FOUND")
	_, err = operator.Members().Reinvite(ctx, bystander.participant)
	requireCode(t, err, "CONFLICT") // a live member keeps its certificate; no second one for anybody else

	// Asked for again and again before the member enrolls, the invitation stays one enrollment: each new secret
	// replaces the last (at the real CA, through the identity's uncertified attribute of the last invitation).
	for range 2 {
		_, err = operator.Members().Reinvite(ctx, victim.participant)
		require.NoError(t, err)
	}

	// Jiangsu's operator issues the new enrollment; the enterprise enrolls from a new folder of its own.
	printed := runCLI(t, bin, t.TempDir(), "--gateway", keys["JIANGSU_GW"], "--cacert", keys["JIANGSU_CA"], "--api-key", keys["JIANGSU_OPERATOR_KEY"],
		"-o", "json", "members", "reinvite", victim.participant)
	var invitation map[string]any
	require.NoError(t, json.Unmarshal(printed, &invitation), "%s", printed)
	require.Equal(t, victim.uscc, invitation["enrollmentId"], "%v", invitation)
	secret, _ := invitation["secret"].(string)
	require.NotEmpty(t, secret)
	again := enterprise{uscc: victim.uscc, participant: victim.participant, home: t.TempDir()}
	runCLI(t, bin, again.home, "--gateway", keys["JIANGSU_GW"], "--cacert", keys["JIANGSU_CA"], "enroll", "--id", victim.uscc, "--secret", secret, "--msp-dir", "msp")
	again.cert = readCertFile(t, filepath.Join(again.home, "msp", "signcerts", "cert.pem"))
	assert.NotEqual(t, victim.cert.SerialNumber, again.cert.SerialNumber)
	assert.Equal(t, victim.cert.Subject.String(), again.cert.Subject.String())
	oldAttrs, err := fabricca.Attributes(victim.cert)
	require.NoError(t, err)
	newAttrs, err := fabricca.Attributes(again.cert)
	require.NoError(t, err)
	assert.Equal(t, oldAttrs, newAttrs, "the same enterprise certified")

	// The secret enrolls once.
	twice := exec.Command(bin, "--gateway", keys["JIANGSU_GW"], "--cacert", keys["JIANGSU_CA"], "enroll", "--id", victim.uscc,
		"--secret", secret, "--msp-dir", "msp")
	twice.Dir = t.TempDir()
	twice.Env = append(os.Environ(), "DELTALEDGER_API_KEY=", "DELTALEDGER_ORG=", "DELTALEDGER_ROLE=", "DELTALEDGER_PROFILE=")
	stdout, err := twice.Output()
	require.Error(t, err, "the new secret enrolled twice: %s", stdout)

	// The ledger binds the participant to the key it was registered with: a certificate of the same identity for
	// another key (what anyone with the CA's registrar power could have issued) acts for nobody, the member's own
	// new one included, until Jiangsu's admin binds it; nor may the member bind it itself.
	self := selfSigning(t, again)
	newPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: again.cert.Raw}))
	_, err = self.Participants().Me(ctx)
	requireCode(t, err, "FORBIDDEN")
	_, err = self.Participants().RotateKey(ctx, newPEM)
	requireCode(t, err, "FORBIDDEN")
	_, err = member(t, "jiangsu", "operator").Participants().RebindKey(ctx, victim.participant, newPEM, "not an admin")
	requireCode(t, err, "FORBIDDEN")
	const reason = "enrolled again after reinstatement"
	out = asJiangsuAdmin(t, bin, "participants", "rebind-key", victim.participant, "--certificate-file",
		filepath.Join(again.home, "msp", "signcerts", "cert.pem"), "--reason", reason)
	result, _ = out["result"].(map[string]any)
	require.Equal(t, model.KeyDigest(again.cert), result["keySha256"], "%v", out)

	// The chaincode takes the new certificate as the same participant: it applies for an asset, signing itself.
	assetID := id("reinstated")
	applyWithCLI(t, bin, again, assetID, "--key", "msp/keystore/priv_sk")
	a, err := operator.Assets().Get(ctx, assetID)
	require.NoError(t, err)
	assert.Equal(t, victim.participant, a.ApplicantID)
	// It sees on its own record that its admin bound its key, when and why.
	me, err := self.Participants().Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, model.KeyDigest(again.cert), me.KeySHA256)
	assert.Equal(t, reason, me.KeyRebindReason)
	assert.NotEmpty(t, me.KeyBoundAt)

	// The revoked certificate stays refused, by the gateway and, straight at the peer, by the chaincode.
	status, body := newRawMember(t, victim).get("/v1/participants/me")
	assert.Equal(t, http.StatusUnauthorized, status, "%s", body)
	requireDirectRefusal(t, directCall(t, ctx, victim, "jiangsu", "participants:WhoAmI"), ledgererr.Forbidden, "")
}

// requireDirectRefusal requires err, the answer of a peer called directly (directCall), to carry the chaincode's
// refusal with code, its message containing word unless word is "": the code and a word, not the whole text,
// which the peer wraps in its own.
func requireDirectRefusal(t *testing.T, err error, code ledgererr.Code, word string) {
	t.Helper()
	require.Error(t, err, "the peer answered; want the chaincode's %s", code)
	refusal, ok := ledgererr.Parse(err.Error())
	require.True(t, ok, "no chaincode refusal in the peer's answer: %v", err)
	assert.Equal(t, code, refusal.Code, "%v", err)
	if word != "" {
		assert.Contains(t, refusal.Message, word, "%v", err)
	}
}
