//go:build e2e

package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/enroll"
)

// The operator says where an enterprise is when it onboards it (issue 12): Jiangsu's operator onboards one in
// Suzhou Industrial Park (320576) through the Jiangsu gateway, its certificate certifies the division, and the
// ledger has it there from its registration on. A Zhejiang district is refused by the gateway (400 naming
// division). Jiangsu's registrar going round the gateway, straight at Jiangsu's CA, can have a certificate certify
// a Zhejiang district, but the chaincode refuses to register it (400 naming the certificate): nobody places a
// member in another province.
func TestOnboardingPlacesTheMemberInItsDivision(t *testing.T) {
	keys := demoKeys(t)
	ctx := callCtx(t)
	operator := member(t, "jiangsu", "operator")
	admin := member(t, "jiangsu", "Admin")
	holder := []string{model.RoleHolder}
	var e *client.Error

	_, err := operator.Members().Register(ctx, client.OnboardRequest{LegalName: "杭州数据有限公司", USCC: runUSCC(), Roles: holder, Division: "330106"})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 400, e.Status, "%v", err)
	assert.Equal(t, model.DivisionField.Name, e.Field, "%v", err)

	uscc, legalName := runUSCC(), "苏州工业园区数据有限公司"
	inv, err := operator.Members().Register(ctx, client.OnboardRequest{LegalName: legalName, USCC: uscc, Roles: holder, Division: "320576"})
	require.NoError(t, err)
	enrollee, err := client.New(keys["JIANGSU_GW"], client.WithCAFile(keys["JIANGSU_CA"]))
	require.NoError(t, err)
	enrollment, err := enrollee.Members().Enroll(ctx, inv.EnrollmentID, inv.Secret)
	require.NoError(t, err)
	attrs, err := enrollment.Attributes()
	require.NoError(t, err)
	assert.Equal(t, "320576", attrs[model.AttrDivision], "certified by Jiangsu's CA")
	s, err := admin.Participants().Register(ctx, client.RegisterParticipantRequest{ID: id("placed"), CertificatePEM: string(enrollment.CertificatePEM),
		Roles: holder, USCC: uscc, Name: legalName, Region: "jiangsu"})
	p := committed(t, s, err)
	assert.Equal(t, "320576", p.Division, "on the ledger from the registration on")

	// Jiangsu's registrar, straight at Jiangsu's CA, certifies a Zhejiang district.
	cfg := testNet.Config()
	jiangsu, err := cfg.Org("jiangsu")
	require.NoError(t, err)
	registrar, err := fabricca.ReadMSPIdentity(filepath.Join(enroll.GatewayRegistrarDir(cfg, jiangsu), "msp"))
	require.NoError(t, err)
	caCert, err := os.ReadFile(cfg.CAServerCertFile(jiangsu))
	require.NoError(t, err)
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(caCert))
	ca, err := fabricca.New("https://"+jiangsu.CAEndpoint, fabricca.WithRootCAs(roots), fabricca.WithCAName(enroll.SigningCA))
	require.NoError(t, err)
	rogue := runUSCC()
	secret, err := ca.Register(ctx, registrar, fabricca.Registration{ID: rogue, Type: "client", MaxEnrollments: 1, Affiliation: model.MembersAffiliation,
		Attributes: []fabricca.Attribute{{Name: model.AttrUSCC, Value: rogue, ECert: true}, {Name: model.AttrRoles, Value: model.RoleHolder, ECert: true},
			{Name: model.AttrDivision, Value: "330106", ECert: true}}})
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csr, err := fabricca.CertificateRequest(key, rogue, pkix.Name{})
	require.NoError(t, err)
	issued, err := ca.Enroll(ctx, rogue, secret, csr)
	require.NoError(t, err)
	_, err = admin.Participants().Register(ctx, client.RegisterParticipantRequest{ID: id("misplaced"), CertificatePEM: string(issued.CertificatePEM),
		Roles: holder, USCC: rogue, Name: "Rogue Ltd", Region: "jiangsu"})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 400, e.Status, "%v", err)
	assert.Equal(t, "certificatePem", e.Field, "%v", err)
	assert.Contains(t, e.Message, "lies in zhejiang, not jiangsu")
	_, err = admin.Participants().Get(ctx, id("misplaced"))
	requireCode(t, err, client.CodeNotFound)
}
