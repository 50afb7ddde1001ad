package auth_test

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
)

// The org's MSP folder classifies its identities by NodeOUs (config.yaml), as the org's CA enrols its peers and
// orderers with the same CA as its members: only a client's or an admin's certificate signs itself. A peer's or an
// orderer's enrolment certificate (whose key sits on a node, not with a member), one of no NodeOU, and a client's
// the CA the client OU is bound to did not issue are nobody (401), as Fabric's MSP takes none of them for a client.
// The gateway ignored config.yaml: each of them signed itself.
func TestNodeOUsLetOnlyClientsAndAdminsSignThemselves(t *testing.T) {
	const msp = "ShanghaiMSP"
	enrolment, other := wallettest.NewCA(t, msp), wallettest.NewCA(t, msp)
	roots := []*x509.Certificate{enrolment.Certificate, other.Certificate}
	ids := auth.IdentityCAs{Roots: roots, NodeOUs: &auth.NodeOUs{
		Client: &auth.OUIdentifier{OU: "client", Certifier: enrolment.Certificate}, Peer: &auth.OUIdentifier{OU: "peer"},
		Admin: &auth.OUIdentifier{OU: "admin"}, Orderer: &auth.OUIdentifier{OU: "orderer"}}}
	a := auth.New(msp, wallet.New(), auth.WithTrustedCAs(auth.TrustedCA{MSPID: msp, Certificates: roots}), auth.WithIdentityCAs(&ids))

	for _, member := range []wallettest.Issued{enrolment.Issue(t, "enterprise", "client"), enrolment.Issue(t, "org-admin", "admin"),
		other.Issue(t, "other-admin", "admin")} {
		c, err := overTLS(a, member.Certificate)
		require.NoError(t, err, member.Certificate.Subject)
		assert.True(t, c.SignsItself(), member.Certificate.Subject)
	}
	for _, nobody := range []wallettest.Issued{enrolment.Issue(t, "peer0.shanghai.deltaledger.local", "peer"),
		enrolment.Issue(t, "orderer.shanghai.deltaledger.local", "orderer"), enrolment.Issue(t, "unclassified", "enterprise"),
		other.Issue(t, "client-of-the-other-ca", "client")} {
		_, err := overTLS(a, nobody.Certificate)
		require.ErrorIs(t, err, auth.ErrUnauthenticated, nobody.Certificate.Subject)
	}

	// Without NodeOUs, the OUs of config.yaml's OrganizationalUnitIdentifiers: a certificate of none of them is nobody.
	a.SetTrust([]auth.TrustedCA{{MSPID: msp, Certificates: roots}}, &auth.IdentityCAs{Roots: roots,
		OUs: []auth.OUIdentifier{{OU: "client", Certifier: enrolment.Certificate}}})
	c, err := overTLS(a, enrolment.Issue(t, "enterprise", "client").Certificate)
	require.NoError(t, err)
	assert.True(t, c.SignsItself())
	for _, nobody := range []wallettest.Issued{enrolment.Issue(t, "org-admin", "admin"), other.Issue(t, "client-of-the-other-ca", "client")} {
		_, err := overTLS(a, nobody.Certificate)
		require.ErrorIs(t, err, auth.ErrUnauthenticated, nobody.Certificate.Subject)
	}

	// NodeOUs that name no OU classify nothing, as in Fabric.
	a.SetTrust([]auth.TrustedCA{{MSPID: msp, Certificates: roots}}, &auth.IdentityCAs{Roots: roots, NodeOUs: &auth.NodeOUs{}})
	c, err = overTLS(a, enrolment.Issue(t, "peer0.shanghai.deltaledger.local", "peer").Certificate)
	require.NoError(t, err)
	assert.True(t, c.SignsItself())
}
