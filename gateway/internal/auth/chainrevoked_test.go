package auth_test

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/revocation"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
)

// The org's root revoked an intermediate CA (tls.clientCAs names the root; the member presents the intermediate):
// the root's CRL lists the intermediate, no CRL lists the member's certificate, and the member is refused (401),
// the refusal naming the intermediate. A member of another intermediate of the root is unaffected.
func TestACertificateOfAnIntermediateTheRootRevokedAuthenticatesNobody(t *testing.T) {
	const msp = "ShanghaiMSP"
	root := wallettest.NewCA(t, msp)
	revokedCA, keptCA := root.Intermediate(t, "ica1."+msp), root.Intermediate(t, "ica2."+msp)
	cut, kept := revokedCA.Issue(t, "91310000MA1FL1800B", "client"), keptCA.Issue(t, "91310000MA1FL1801A", "client")
	crls := revocation.New([]*x509.Certificate{root.Certificate, revokedCA.Certificate, keptCA.Certificate}, nil, nil)
	require.NoError(t, crls.Set(root.CRL(t, revokedCA.Certificate)))
	require.NoError(t, crls.Set(revokedCA.CRL(t)))
	ids := auth.IdentityCAs{Roots: []*x509.Certificate{root.Certificate}, Intermediates: []*x509.Certificate{revokedCA.Certificate, keptCA.Certificate}}
	a := auth.New(msp, wallet.New(), auth.WithRevocations(crls), auth.WithIdentityCAs(&ids),
		auth.WithTrustedCAs(auth.TrustedCA{MSPID: msp, Certificates: ids.Roots}))

	_, err := overTLS(a, cut.Certificate, revokedCA.Certificate)
	require.ErrorIs(t, err, auth.ErrUnauthenticated, "its intermediate was revoked by the root")
	assert.ErrorContains(t, err, revokedCA.Certificate.SerialNumber.Text(16))
	c, err := overTLS(a, kept.Certificate, keptCA.Certificate)
	require.NoError(t, err)
	assert.True(t, c.SignsItself())
}

// Without the CA's CRLs (no ca.url), the MSP folder's crls/ holds the root's CRL that revoked an intermediate of
// intermediatecerts/: a member that intermediate enrolled signs nothing (401), as Fabric's MSP takes no identity
// of a revoked CA; one of another intermediate signs itself.
func TestTheMSPFoldersRootCRLRevokesAnIntermediatesMembers(t *testing.T) {
	const msp = "ShanghaiMSP"
	root := wallettest.NewCA(t, msp)
	revokedCA, keptCA := root.Intermediate(t, "ica1."+msp), root.Intermediate(t, "ica2."+msp)
	cut, kept := revokedCA.Issue(t, "91310000MA1FL1800B", "client"), keptCA.Issue(t, "91310000MA1FL1801A", "client")
	ids := auth.IdentityCAs{Roots: []*x509.Certificate{root.Certificate}, Intermediates: []*x509.Certificate{revokedCA.Certificate, keptCA.Certificate},
		CRLs: []*x509.RevocationList{parseCRL(t, root.CRL(t, revokedCA.Certificate))}}
	a := auth.New(msp, wallet.New(), auth.WithIdentityCAs(&ids), auth.WithTrustedCAs(auth.TrustedCA{MSPID: msp, Certificates: ids.Roots}))

	_, err := overTLS(a, cut.Certificate, revokedCA.Certificate)
	require.ErrorIs(t, err, auth.ErrUnauthenticated, "its intermediate was revoked by the root")
	c, err := overTLS(a, kept.Certificate, keptCA.Certificate)
	require.NoError(t, err)
	assert.True(t, c.SignsItself())
}
