//go:build e2e

package e2e

import (
	"encoding/json"
	"testing"

	fabric "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
)

// The ledger takes who a member is from its certificate (issue 8): Jiangsu's operator onboards an enterprise as a
// holder through the Jiangsu gateway and the enterprise enrolls its own key; Jiangsu's admin then cannot register
// it for another USCC, under another name, in a role its certificate does not certify (buyer) nor as staff
// (operator); registered as certified, it acts on the real peer, signing with its own key, in its certified role.
// Anhui's CA certifying the same USCC (Anhui's gateway onboarded it) does not let Anhui's admin register it: the
// enterprise is Jiangsu's.
func TestRegistrationTakesTheEnterpriseFromTheCertificate(t *testing.T) {
	keys := demoKeys(t)
	ctx := callCtx(t)
	uscc, legalName := runUSCC(), "无锡数据服务有限公司"
	enroll := func(org string) *client.Enrollment {
		inv, err := member(t, org, "operator").Members().Register(ctx, client.OnboardRequest{LegalName: legalName, USCC: uscc,
			Roles: []string{model.RoleHolder}})
		require.NoError(t, err)
		o := map[string]string{"jiangsu": "JIANGSU", "anhui": "ANHUI"}[org]
		enrollee, err := client.New(keys[o+"_GW"], client.WithCAFile(keys[o+"_CA"]))
		require.NoError(t, err)
		e, err := enrollee.Members().Enroll(ctx, inv.EnrollmentID, inv.Secret)
		require.NoError(t, err)
		return e
	}
	enrollment := enroll("jiangsu")

	admin := member(t, "jiangsu", "Admin")
	pid := id("certified")
	register := func(admin *client.Client, pid, region string, roles []string, uscc, name string) (*client.Submitted[model.Participant], error) {
		return admin.Participants().Register(ctx, client.RegisterParticipantRequest{ID: pid, CertificatePEM: string(enrollment.CertificatePEM),
			Roles: roles, USCC: uscc, Name: name, Region: region})
	}
	refusals := []struct {
		what, uscc, name, field string
		roles                   []string
	}{
		{"another enterprise", runUSCC(), legalName, "uscc", []string{model.RoleHolder}},
		{"another name", uscc, "Another Ltd", "name", []string{model.RoleHolder}},
		{"an uncertified role", uscc, legalName, "roles", []string{model.RoleHolder, model.RoleBuyer}},
		{"a staff role", uscc, legalName, "roles", []string{model.RoleOperator}},
	}
	for _, r := range refusals {
		_, err := register(admin, pid, "jiangsu", r.roles, r.uscc, r.name)
		var e *client.Error
		require.ErrorAs(t, err, &e, r.what)
		assert.Equal(t, 400, e.Status, "%s: %v", r.what, err)
		assert.Equal(t, r.field, e.Field, "%s: %v", r.what, err)
	}
	_, err := admin.Participants().Get(ctx, pid)
	requireCode(t, err, client.CodeNotFound)

	s, err := register(admin, pid, "jiangsu", []string{model.RoleHolder}, uscc, legalName)
	p := committed(t, s, err)
	assert.Equal(t, []string{model.RoleHolder}, p.CertifiedRoles)
	assert.Equal(t, uscc, p.USCC)

	// The enterprise acts on the real peer, signing with the key it made.
	cert, err := identity.CertificateFromPEM(enrollment.CertificatePEM)
	require.NoError(t, err)
	who, err := identity.NewX509Identity("JiangsuMSP", cert)
	require.NoError(t, err)
	sign, err := identity.NewPrivateKeySign(enrollment.Key)
	require.NoError(t, err)
	conn, err := testNet.Conn("jiangsu")
	require.NoError(t, err)
	gw, err := fabric.Connect(who, fabric.WithSign(sign), fabric.WithClientConnection(conn))
	require.NoError(t, err)
	defer gw.Close()
	res, err := testNet.Contract(gw).Evaluate("participants:WhoAmI")
	require.NoError(t, err)
	var me model.Participant
	require.NoError(t, json.Unmarshal(res, &me))
	assert.Equal(t, pid, me.ID)
	assert.Equal(t, []string{model.RoleHolder}, me.Roles)

	// Anhui's CA certifies the same USCC, but the enterprise is Jiangsu's (participant IDs are the ledger's, so
	// Anhui's admin names a new one).
	enrollment = enroll("anhui")
	_, err = register(member(t, "anhui", "Admin"), id("certified-anhui"), "anhui", []string{model.RoleHolder}, uscc, legalName)
	requireCode(t, err, client.CodeConflict)
	assert.ErrorContains(t, err, "is registered in JiangsuMSP")
}
