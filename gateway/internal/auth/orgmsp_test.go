package auth_test

import (
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/model"
)

// Three setups in which the CAs that issued the wallet's members do not tell which of the org's CAs enrols its
// members, and every member who signs itself was refused (401): tls.clientCAs names only the root above the issuing
// intermediate; the enrolment CA was renewed and no wallet member re-enrolled yet; the wallet is empty. With the
// org's MSP folder (tls.orgMSP: cacerts/, intermediatecerts/, as Fabric lays it out, the TLS CAs apart) a member's
// enrolled certificate signs itself in each, and a certificate of the TLS CA only (a peer's, admin OU) is still
// nobody, as is one the caller chains to the org's root through a TLS intermediate it presents itself, and one the
// root issued directly above an intermediate (Fabric takes no such identity).
func TestTheOrgsMSPFolderTellsItsMembersFromItsTLSCertificates(t *testing.T) {
	const msp = "ShanghaiMSP"
	type setup struct {
		clientCAs []*x509.Certificate
		ids       auth.IdentityCAs
		wallet    []*wallet.Member
		member    []*x509.Certificate // an enrolled certificate's chain as its member presents it
		tlsOnly   [][]*x509.Certificate
	}
	setups := map[string]func(t *testing.T) setup{
		"tls.clientCAs names the root above the issuing intermediate": func(t *testing.T) setup {
			root := wallettest.NewCA(t, msp)
			enrolment, tlsCA := root.Intermediate(t, "ica."+msp), root.Intermediate(t, "tlsica."+msp)
			alice, _ := enrolment.Member(t, "alice")
			peer := tlsCA.Issue(t, "peer0.shanghai.deltaledger.local", model.AdminOU)
			return setup{
				clientCAs: []*x509.Certificate{root.Certificate},
				ids:       auth.IdentityCAs{Roots: []*x509.Certificate{root.Certificate}, Intermediates: []*x509.Certificate{enrolment.Certificate}},
				wallet:    []*wallet.Member{alice},
				member:    []*x509.Certificate{enrolment.Issue(t, "enterprise", "client").Certificate, enrolment.Certificate},
				tlsOnly: [][]*x509.Certificate{
					{peer.Certificate, tlsCA.Certificate},
					{root.Issue(t, "issued-by-the-root", model.AdminOU).Certificate},
				},
			}
		},
		"the enrolment CA was renewed before the wallet's members re-enrolled": func(t *testing.T) setup {
			old, renewed, tlsCA := wallettest.NewCA(t, msp), wallettest.NewCA(t, msp), wallettest.NewCA(t, msp)
			alice, _ := old.Member(t, "alice")
			return setup{
				clientCAs: []*x509.Certificate{old.Certificate, renewed.Certificate, tlsCA.Certificate},
				ids:       auth.IdentityCAs{Roots: []*x509.Certificate{old.Certificate, renewed.Certificate}},
				wallet:    []*wallet.Member{alice},
				member:    []*x509.Certificate{renewed.Issue(t, "enterprise", "client").Certificate},
				tlsOnly:   [][]*x509.Certificate{{tlsCA.Issue(t, "peer0.shanghai.deltaledger.local", model.AdminOU).Certificate}},
			}
		},
		"the wallet is empty": func(t *testing.T) setup {
			enrolment, tlsCA := wallettest.NewCA(t, msp), wallettest.NewCA(t, msp)
			return setup{
				clientCAs: []*x509.Certificate{enrolment.Certificate, tlsCA.Certificate},
				ids:       auth.IdentityCAs{Roots: []*x509.Certificate{enrolment.Certificate}},
				member:    []*x509.Certificate{enrolment.Issue(t, "enterprise", "client").Certificate},
				tlsOnly:   [][]*x509.Certificate{{tlsCA.Issue(t, "orderer.shanghai.deltaledger.local", model.AdminOU).Certificate}},
			}
		},
	}
	for name, make := range setups {
		t.Run(name, func(t *testing.T) {
			s := make(t)
			cas := auth.TrustedCA{MSPID: msp, Certificates: s.clientCAs}
			a := auth.New(msp, wallet.New(s.wallet...), auth.WithTrustedCAs(cas), auth.WithIdentityCAs(&s.ids))
			for _, round := range []string{"at start", "after a reload of tls.clientCAs"} {
				c, err := overTLS(a, s.member...)
				require.NoError(t, err, round)
				assert.True(t, c.SignsItself(), "a member's enrolled certificate signs itself: %s", round)
				for _, chain := range s.tlsOnly {
					_, err := overTLS(a, chain...)
					require.ErrorIs(t, err, auth.ErrUnauthenticated, "%s: %s", chain[0].Subject, round)
				}
				a.SetTrustedCAs(cas)
			}
		})
	}
}

// A reload may replace the MSP folder's CAs (the org renewed its enrolment CA): SetTrust takes both at once, and the
// certificates of the CA the folder no longer holds sign themselves no more, while those of the one it holds do.
func TestAReloadTakesTheMSPFoldersCAsOfThen(t *testing.T) {
	const msp = "ShanghaiMSP"
	old, renewed := wallettest.NewCA(t, msp), wallettest.NewCA(t, msp)
	cas := []auth.TrustedCA{{MSPID: msp, Certificates: []*x509.Certificate{old.Certificate, renewed.Certificate}}}
	a := auth.New(msp, wallet.New(), auth.WithTrustedCAs(cas...), auth.WithIdentityCAs(&auth.IdentityCAs{Roots: []*x509.Certificate{old.Certificate}}))
	ofOld, ofRenewed := old.Issue(t, "a", "client").Certificate, renewed.Issue(t, "b", "client").Certificate
	_, err := overTLS(a, ofRenewed)
	require.ErrorIs(t, err, auth.ErrUnauthenticated)

	a.SetTrust(cas, &auth.IdentityCAs{Roots: []*x509.Certificate{renewed.Certificate}})
	c, err := overTLS(a, ofRenewed)
	require.NoError(t, err)
	assert.True(t, c.SignsItself())
	_, err = overTLS(a, ofOld)
	require.ErrorIs(t, err, auth.ErrUnauthenticated)
}

// The org revoked a member and put its CA's CRL in the MSP folder's crls/ (as fabric-ca-client gencrl writes it, and
// as the channel's MSP lists it): Fabric takes the certificate for nobody's identity, and so does the gateway, with
// or without the CA's own CRL (ca.url). A CRL another CA of the folder signed, listing the serial number of another
// member, names a certificate of that CA only.
func TestACertificateTheMSPFoldersCRLListsSignsNothing(t *testing.T) {
	const msp = "ShanghaiMSP"
	enrolment, other := wallettest.NewCA(t, msp), wallettest.NewCA(t, msp)
	revoked, kept := enrolment.Issue(t, "revoked", "client"), enrolment.Issue(t, "kept", "client")
	crl := func(ca *wallettest.CA, listed *x509.Certificate) *x509.RevocationList {
		return parseCRL(t, ca.CRL(t, listed))
	}
	ids := auth.IdentityCAs{Roots: []*x509.Certificate{enrolment.Certificate, other.Certificate},
		CRLs: []*x509.RevocationList{crl(enrolment, revoked.Certificate), crl(other, kept.Certificate)}}
	a := auth.New(msp, wallet.New(), auth.WithTrustedCAs(auth.TrustedCA{MSPID: msp, Certificates: ids.Roots}), auth.WithIdentityCAs(&ids))

	_, err := overTLS(a, revoked.Certificate)
	require.ErrorIs(t, err, auth.ErrUnauthenticated, "its CA's CRL in crls/ lists it")
	c, err := overTLS(a, kept.Certificate)
	require.NoError(t, err)
	assert.True(t, c.SignsItself(), "another CA's CRL names that CA's certificates only")
}

// parseCRL parses a PEM CRL as the gateway reads the MSP folder's crls/.
func parseCRL(t *testing.T, b []byte) *x509.RevocationList {
	t.Helper()
	block, _ := pem.Decode(b)
	l, err := x509.ParseRevocationList(block.Bytes)
	require.NoError(t, err)
	return l
}
