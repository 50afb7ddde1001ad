//go:build e2e

// End-to-end tests of the identities on the running network (go test -tags e2e ./network/enroll/): every
// certificate comes from its region's CAs, in the layout the nodes read.
package enroll

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

var testNet *fabricnet.Network

func TestMain(m *testing.M) {
	os.Exit(fabricnet.RunTests(m, func(_ context.Context, net *fabricnet.Network) error {
		testNet = net
		return nil
	}))
}

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	cert, err := fabricca.ReadCertificate(path)
	require.NoError(t, err)
	return cert
}

// requireKeyOf reads a private key file, which must be readable by its owner only, and checks it is cert's.
func requireKeyOf(t *testing.T, keyFile string, cert *x509.Certificate) {
	t.Helper()
	info, err := os.Stat(keyFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), keyFile)
	b, err := os.ReadFile(keyFile)
	require.NoError(t, err)
	key, err := fabricca.ParsePrivateKey(b)
	require.NoError(t, err)
	assert.True(t, key.PublicKey.Equal(cert.PublicKey.(*ecdsa.PublicKey)), "%s is not the key of its certificate", keyFile)
}

func verifies(cert, root *x509.Certificate, usage x509.ExtKeyUsage) error {
	roots := x509.NewCertPool()
	roots.AddCert(root)
	_, err := cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{usage}})
	return err
}

// Each region has its own CA and TLS CA; every MSP identity is issued by the region's CA with its type as its
// only OU (what the NodeOU classification reads), every TLS certificate by the region's TLS CA for the right use,
// a node's for the host names network.env gives it; each key sits next to its certificate, readable by its owner
// only; and the other regions' CAs verify none of them.
func TestEveryIdentityComesFromItsRegionsCAs(t *testing.T) {
	cfg := testNet.Config()
	var roots []*x509.Certificate
	for _, o := range cfg.Orgs {
		roots = append(roots, readCert(t, cfg.CACertFile(o)), readCert(t, cfg.TLSRootCertFile(o)))
	}
	for i := range roots {
		for j := range i {
			assert.False(t, roots[i].Equal(roots[j]), "two CAs share a certificate: %s", roots[i].Subject)
		}
	}
	for oi, o := range cfg.Orgs {
		ca, tlsca := roots[2*oi], roots[2*oi+1]
		assert.Equal(t, "ca."+o.Domain, ca.Subject.CommonName)
		assert.Equal(t, "tlsca."+o.Domain, tlsca.Subject.CommonName)
		assert.Equal(t, []string{o.Province}, ca.Subject.Province)
		is, err := NewIssuer(cfg, o)
		require.NoError(t, err)
		for _, id := range is.identities() {
			t.Run(id.id, func(t *testing.T) {
				if id.mspType != "" {
					msp := filepath.Join(id.dir, "msp")
					cert := readCert(t, filepath.Join(msp, fabricca.MSPCertFile))
					require.NoError(t, verifies(cert, ca, x509.ExtKeyUsageAny))
					assert.Equal(t, id.id, cert.Subject.CommonName)
					ous := []string{id.mspType}
					if id.aff != "" {
						ous = append(ous, strings.Split(id.aff, ".")...) // Fabric CA adds the affiliation's parts
					}
					assert.Equal(t, ous, cert.Subject.OrganizationalUnit)
					requireKeyOf(t, filepath.Join(msp, fabricca.MSPKeyFile), cert)
					nodeOUs, err := os.ReadFile(filepath.Join(msp, "config.yaml"))
					require.NoError(t, err)
					assert.Contains(t, string(nodeOUs), "Enable: true")
					for r, other := range roots {
						if r != 2*oi {
							assert.Error(t, verifies(cert, other, x509.ExtKeyUsageAny), "verified by %s", other.Subject)
						}
					}
				}
				if id.side == "" {
					return
				}
				usage := x509.ExtKeyUsageClientAuth
				if id.side == tlsServer {
					usage = x509.ExtKeyUsageServerAuth
				}
				tlsDir := filepath.Join(id.dir, "tls")
				cert := readCert(t, filepath.Join(tlsDir, string(id.side)+".crt"))
				require.NoError(t, verifies(cert, tlsca, usage))
				assert.Error(t, verifies(cert, ca, usage), "a TLS certificate verified by the signing CA")
				requireKeyOf(t, filepath.Join(tlsDir, string(id.side)+".key"), cert)
				assert.True(t, readCert(t, filepath.Join(tlsDir, "ca.crt")).Equal(tlsca), "tls/ca.crt is not the TLS CA")
				for _, h := range id.hosts {
					if ip := net.ParseIP(h); ip != nil {
						assert.True(t, slices.ContainsFunc(cert.IPAddresses, ip.Equal), "no IP %s in %v", h, cert.IPAddresses)
					} else {
						assert.NoError(t, cert.VerifyHostname(h))
					}
				}
			})
		}
	}
}

// A second run finds everything issued and issues nothing.
func TestIssuingAgainIssuesNothing(t *testing.T) {
	cfg := testNet.Config()
	for _, o := range cfg.Orgs {
		is, err := NewIssuer(cfg, o)
		require.NoError(t, err)
		issued, err := is.IssueAll(context.Background())
		require.NoError(t, err)
		assert.Empty(t, issued, o.Key)
	}
}

// The gateway's registrar (onboarding) registers client identities with the deltaledger.* attributes and nothing
// else: no admin, peer or orderer, no other attribute, no registrar of its own, nobody outside its affiliation
// (model.MembersAffiliation). It revokes the members of its affiliation (suspension) and nobody else: not the
// org's admin, peer or users, not a client of the root affiliation.
func TestTheGatewaysRegistrarMayOnlyRegisterClientsWithTheModelsAttributes(t *testing.T) {
	cfg := testNet.Config()
	o := cfg.Orgs[0]
	reg, err := fabricca.ReadMSPIdentity(filepath.Join(GatewayRegistrarDir(cfg, o), "msp"))
	require.NoError(t, err)
	is, err := NewIssuer(cfg, o)
	require.NoError(t, err)
	ca := is.ca[SigningCA]
	ctx := context.Background()
	run := fmt.Sprintf("%d", time.Now().UnixNano())
	uscc := []fabricca.Attribute{{Name: "deltaledger.uscc", Value: "91310000MA1FL1800B", ECert: true}}

	_, err = ca.Register(ctx, reg, fabricca.Registration{ID: "client-" + run, Type: TypeClient, MaxEnrollments: 1, Attributes: uscc,
		Affiliation: model.MembersAffiliation})
	require.NoError(t, err, "a client with the model's attributes")
	for name, r := range map[string]fabricca.Registration{
		"an admin":             {ID: "admin-" + run, Type: TypeAdmin},
		"a peer":               {ID: "peer-" + run, Type: TypePeer},
		"an orderer":           {ID: "orderer-" + run, Type: TypeOrderer},
		"another attribute":    {ID: "attr-" + run, Type: TypeClient, Attributes: []fabricca.Attribute{{Name: "role", Value: "admin", ECert: true}}},
		"a registrar":          {ID: "registrar-" + run, Type: TypeClient, Attributes: []fabricca.Attribute{{Name: "hf.Registrar.Roles", Value: TypeClient}}},
		"the root affiliation": {ID: "root-" + run, Type: TypeClient, Affiliation: "."},
	} {
		_, err := ca.Register(ctx, reg, r)
		assert.Error(t, err, name)
	}

	// Clients of the root affiliation, enrolled by the bootstrap registrar, are not the gateway registrar's to revoke.
	bootstrap, err := is.registrar(ctx, SigningCA)
	require.NoError(t, err)
	_, e, err := is.enroll(ctx, SigningCA, "victim-"+run, TypeClient, "", "", nil, nil)
	require.NoError(t, err)
	_, err = ca.Revoke(ctx, reg, fabricca.Revocation{ID: "victim-" + run, Reason: "privilegewithdrawn"})
	assert.True(t, fabricca.HasCode(err, fabricca.CodeAuthorizationFailure), "the gateway's registrar revoked an identity: %v", err)
	cert := fabricatest.Certificate(t, e.CertificatePEM)
	serial, aki := fabricca.SerialAndAKI(cert)
	_, err = ca.Revoke(ctx, reg, fabricca.Revocation{Serial: serial, AKI: aki})
	assert.True(t, fabricca.HasCode(err, fabricca.CodeAuthorizationFailure), "the gateway's registrar revoked a certificate: %v", err)
	for _, user := range append([]string{"Admin"}, cfg.Users()...) {
		c := readCert(t, filepath.Join(cfg.UserMSPDir(o, user), fabricca.MSPCertFile))
		serial, aki := fabricca.SerialAndAKI(c)
		_, err = ca.Revoke(ctx, reg, fabricca.Revocation{Serial: serial, AKI: aki})
		assert.True(t, fabricca.HasCode(err, fabricca.CodeAuthorizationFailure), "the gateway's registrar revoked %s's certificate: %v", user, err)
	}
	peer := readCert(t, filepath.Join(cfg.NodeDir(o, fabricnet.NodePeer), "msp", fabricca.MSPCertFile))
	serial, aki = fabricca.SerialAndAKI(peer)
	_, err = ca.Revoke(ctx, reg, fabricca.Revocation{Serial: serial, AKI: aki})
	assert.Error(t, err, "the gateway's registrar revoked the peer's certificate")
	seen, err := ca.Certificates(ctx, reg, fabricca.CertificateQuery{ID: "victim-" + run})
	require.NoError(t, err)
	assert.Empty(t, seen, "the gateway's registrar sees certificates of the root affiliation")
	_, err = ca.Revoke(ctx, bootstrap, fabricca.Revocation{ID: "victim-" + run})
	assert.NoError(t, err, "the bootstrap registrar may (the refusals above are about authority)")

	// A member of its affiliation, enrolled: the gateway's registrar lists its certificate, revokes it, and the
	// CA's CRL (which the registrar may generate) names it.
	member := "member-" + run
	secret, err := ca.Register(ctx, reg, fabricca.Registration{ID: member, Type: TypeClient, MaxEnrollments: 1, Attributes: uscc})
	require.NoError(t, err)
	key, csr, err := is.request(member)
	require.NoError(t, err)
	enrolled, err := ca.Enroll(ctx, member, secret, csr)
	require.NoError(t, err)
	mcert := fabricatest.Certificate(t, enrolled.CertificatePEM)
	assert.Contains(t, mcert.Subject.OrganizationalUnit, model.MembersAffiliation)
	assert.Contains(t, mcert.Subject.OrganizationalUnit, TypeClient)
	listed, err := ca.Certificates(ctx, reg, fabricca.CertificateQuery{ID: member, NotRevoked: true})
	require.NoError(t, err)
	require.Len(t, listed, 1)
	assert.True(t, listed[0].Equal(mcert))
	serial, aki = fabricca.SerialAndAKI(mcert)
	res, err := ca.Revoke(ctx, reg, fabricca.Revocation{Serial: serial, AKI: aki, Reason: "privilegewithdrawn", GenCRL: true})
	require.NoError(t, err)
	require.Len(t, res.Revoked, 1)
	crlPEM, err := ca.CRL(ctx, reg)
	require.NoError(t, err)
	block, _ := pem.Decode(crlPEM)
	require.NotNil(t, block)
	crl, err := x509.ParseRevocationList(block.Bytes)
	require.NoError(t, err)
	caCert := readCert(t, cfg.CACertFile(o))
	require.NoError(t, crl.CheckSignatureFrom(caCert))
	assert.True(t, slices.ContainsFunc(crl.RevokedCertificateEntries, func(e x509.RevocationListEntry) bool {
		return e.SerialNumber.Cmp(mcert.SerialNumber) == 0
	}), "the CRL does not name the revoked member's certificate")
	listed, err = ca.Certificates(ctx, reg, fabricca.CertificateQuery{ID: member, NotRevoked: true})
	require.NoError(t, err)
	assert.Empty(t, listed)
	// A revoked certificate re-enrolls no more.
	_, reCSR, err := is.request(member)
	require.NoError(t, err)
	_, err = ca.Reenroll(ctx, &fabricca.Identity{CertificatePEM: enrolled.CertificatePEM, Key: key}, reCSR)
	assert.Error(t, err, "a revoked certificate re-enrolled")
}

// The demo's enterprise users (holder, buyer, agency) are enrolled with their enterprise certified as onboarding
// certifies one, so that the chaincode gives them their roles; the operator, the regulator and the admin certify
// none (staff).
func TestDemoEnterprisesAreCertifiedInTheirCertificates(t *testing.T) {
	cfg := testNet.Config()
	// certified reads the attributes of the model (Fabric CA adds hf.EnrollmentID, hf.Type, hf.Affiliation).
	certified := func(user string, o fabricnet.Org) map[string]string {
		attrs, err := fabricca.Attributes(readCert(t, filepath.Join(cfg.UserMSPDir(o, user), fabricca.MSPCertFile)))
		require.NoError(t, err)
		maps.DeleteFunc(attrs, func(name, _ string) bool { return !strings.HasPrefix(name, "deltaledger.") })
		return attrs
	}
	for _, o := range cfg.Orgs {
		for role, user := range cfg.Roles {
			attrs := certified(user, o)
			want := demo.CertifiedAttributes(o.Key, role)
			if want == nil {
				assert.Empty(t, attrs, "%s %s", o.Key, role)
				continue
			}
			assert.Equal(t, want, attrs, "%s %s", o.Key, role)
			assert.Equal(t, demo.USCC(o.Key, role), attrs[model.AttrUSCC])
		}
		assert.Empty(t, certified("Admin", o), "%s Admin", o.Key)
	}
}
