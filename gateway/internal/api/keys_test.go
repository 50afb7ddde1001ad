package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// newCertificate stands for the PEM of the certificate of a new key; the chaincode checks it, the gateway passes it.
const newCertificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

// POST /v1/participants/me/key submits participants:RotateKey with the certificate alone, as the caller: a member
// whose key the gateway holds, and one who signs its own calls (the proposal is its to sign, with its bound key).
// Without a certificate, or with one longer than a certificate may be, nothing reaches the ledger.
func TestAMemberBindsTheKeyOfItsNewCertificate(t *testing.T) {
	e := newEnv(t)
	bound := model.Participant{ID: "p-1", KeySHA256: strings.Repeat("b", 64), KeyBoundAt: "2026-12-06T10:00:00Z"}
	e.fake.Returns("participants:RotateKey", bound)
	resp := e.do("alice", "POST", "/v1/participants/me/key", mustJSON(t, map[string]string{"certificatePem": newCertificate}))
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	result, _ := resp.json(t)["result"].(map[string]any)
	assert.Equal(t, bound.KeySHA256, result["keySha256"])
	calls := e.fake.CallsTo("participants:RotateKey")
	require.Len(t, calls, 1)
	assert.True(t, calls[0].Submit)
	assert.Equal(t, "alice", calls[0].Member, "signed as the caller")
	assert.Equal(t, []string{newCertificate}, calls[0].Args)
	assert.Empty(t, e.fake.CallsTo("participants:RebindKey"), "me is the caller, never a participant named me")

	s := step(t, e.do("", "POST", "/v1/participants/me/key", mustJSON(t, map[string]string{"certificatePem": newCertificate}), clientCert(e.stray)))
	assert.Equal(t, "proposal", s.Step, "a member who signs its own calls signs the rotation with its current key")

	for name, body := range map[string]string{
		"no certificate":         `{}`,
		"a certificate too long": mustJSON(t, map[string]string{"certificatePem": strings.Repeat("A", model.MaxCertificatePEMLength+1)}),
	} {
		e.do("alice", "POST", "/v1/participants/me/key", body).requireInvalid(t, "certificatePem", name)
	}
	assert.Len(t, e.fake.CallsTo("participants:RotateKey"), 1, "nothing more reached the ledger")
}

// POST /v1/participants/{id}/key submits participants:RebindKey with the participant, the certificate and the
// reason, which it requires; the ledger's refusal of a caller that is not the member's org's admin is a 403.
func TestAnAdminRebindsAMembersKey(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("participants:RebindKey", model.Participant{ID: "p-1", KeyRebindReason: "enrolled again"})
	body := mustJSON(t, map[string]string{"certificatePem": newCertificate, "reason": "enrolled again"})
	resp := e.do("admin", "POST", "/v1/participants/p-1/key", body)
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	result, _ := resp.json(t)["result"].(map[string]any)
	assert.Equal(t, "enrolled again", result["keyRebindReason"])
	calls := e.fake.CallsTo("participants:RebindKey")
	require.Len(t, calls, 1)
	assert.True(t, calls[0].Submit)
	assert.Equal(t, []string{"p-1", newCertificate, "enrolled again"}, calls[0].Args)

	e.do("admin", "POST", "/v1/participants/p-1/key", mustJSON(t, map[string]string{"certificatePem": newCertificate})).
		requireInvalid(t, "reason", "no reason")
	e.do("admin", "POST", "/v1/participants/p-1/key", mustJSON(t, map[string]string{"reason": "lost"})).
		requireInvalid(t, "certificatePem", "no certificate")
	e.do("admin", "POST", "/v1/participants/p-1/key", mustJSON(t, map[string]string{"certificatePem": newCertificate,
		"reason": strings.Repeat("x", model.MaxSuspendReasonLength+1)})).requireInvalid(t, "reason", "a reason too long")
	assert.Len(t, e.fake.CallsTo("participants:RebindKey"), 1, "nothing more reached the ledger")

	e.fake.Handle("participants:RebindKey", func(chaintest.Call) (chaintest.Response, error) {
		return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden,
			Message: "FORBIDDEN: only an admin of the participant's org binds its key"}
	})
	resp = e.do("bob", "POST", "/v1/participants/p-1/key", body)
	require.Equal(t, 403, resp.Status, "%s", resp.Body)
	assert.Equal(t, "FORBIDDEN", resp.errorBody(t).Code)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
