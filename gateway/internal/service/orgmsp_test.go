package service_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/service"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/filetest"
	"github.com/deltaledger/deltaledger/model"
)

// The org renewed its enrolment CA before the wallet's members re-enrolled: a member enrolled by the renewed CA is
// refused (401) while the gateway tells the org's identities by the CAs that issued its wallet, and signs itself once
// a reload (SIGHUP) names the org's MSP folder (tls.orgMSP), whose cacerts/ holds both CAs, read at the reload. A
// folder whose cacerts/ holds no certificate is refused at the start and at a reload (the CAs in force stay).
func TestTheOrgsMSPFolderIsReadAtStartAndAtAReload(t *testing.T) {
	f := newFixture(t)
	f.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice", Roles: []string{"holder"}})
	dir := t.TempDir()
	renewed := wallettest.NewCA(t, "ShanghaiMSP")
	renewedFile := filepath.Join(dir, "renewed-ca.pem")
	writePEM(t, renewedFile, (wallettest.Issued{Certificate: renewed.Certificate}).CertPEM(), 0o644)
	f.cfg.TLS.ClientCAs = append(slices.Clone(f.cfg.TLS.ClientCAs), "ShanghaiMSP="+renewedFile)
	msp := filepath.Join(dir, "msp")
	require.NoError(t, os.MkdirAll(filepath.Join(msp, "cacerts"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(msp, "tlscacerts"), 0o755))
	writePEM(t, filepath.Join(msp, "cacerts", "ca.pem"), (wallettest.Issued{Certificate: f.ca.Certificate}).CertPEM(), 0o644)
	writePEM(t, filepath.Join(msp, "cacerts", "renewed-ca.pem"), (wallettest.Issued{Certificate: renewed.Certificate}).CertPEM(), 0o644)
	url, stop := f.start(t)
	defer stop()
	member := renewed.Issue(t, "enterprise", "client")

	assert.Equal(t, http.StatusUnauthorized, handshakeStatus(t, f.insistent(member), url), "no wallet member was enrolled by the renewed CA")

	empty := f.cfg
	empty.TLS.OrgMSP = t.TempDir()
	require.ErrorContains(t, f.svc.ReloadClientCAs(empty), "holds no CA certificate")
	_, err := service.New(empty)
	require.ErrorContains(t, err, "tls.orgMSP")

	named := f.cfg
	named.TLS.OrgMSP = msp
	require.NoError(t, f.svc.ReloadClientCAs(named))
	assert.NotEqual(t, http.StatusUnauthorized, handshakeStatus(t, f.insistent(member), url), "the renewed CA's member signs itself")
	assert.Equal(t, http.StatusOK, handshakeStatus(t, f.client(&f.alice), url), "the wallet's member as before")
	require.NoError(t, stop())
}

// The org's CA is an intermediate of its MSP folder's intermediatecerts/ and tls.clientCAs names only the root above
// it, which the MSP folder lets members who sign themselves use: the CA signs its CRL with the intermediate, and the
// gateway takes that CRL, from its CA or from the copy it keeps (here), so a member the CA revoked is refused (401)
// and another it enrolled signs itself. The gateway took only the CRLs of the CAs of tls.clientCAs: it refused to
// start with its kept copy, and while it ran refused every CRL its CA gave, so that nobody was revoked.
func TestTheCRLOfTheMSPFoldersIntermediateRevokes(t *testing.T) {
	f := newFixture(t)
	f.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice", Roles: []string{"holder"}})
	enrolment := f.ca.Intermediate(t, "ica.ShanghaiMSP")
	msp := filepath.Join(t.TempDir(), "msp")
	for sub, ca := range map[string]*wallettest.CA{fabricca.MSPCACertsDir: f.ca, fabricca.MSPIntermediateCertsDir: enrolment} {
		require.NoError(t, os.MkdirAll(filepath.Join(msp, sub), 0o755))
		writePEM(t, filepath.Join(msp, sub, "ca.pem"), (wallettest.Issued{Certificate: ca.Certificate}).CertPEM(), 0o644)
	}
	f.cfg.TLS.OrgMSP = msp
	f.withUnansweringCA(t)
	revoked, kept := enrolment.Issue(t, "revoked-enterprise", "client"), enrolment.Issue(t, "enterprise", "client")
	writePEM(t, f.cfg.CRLFile(), enrolment.CRL(t, revoked.Certificate), 0o600)
	url, stop := f.start(t)
	defer stop()

	withChain := func(member wallettest.Issued) *http.Client {
		c := f.insistent(member)
		tc := member.TLS()
		tc.Certificate = append(tc.Certificate, enrolment.Certificate.Raw)
		c.Transport.(*http.Transport).TLSClientConfig.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &tc, nil }
		return c
	}
	assert.Equal(t, http.StatusUnauthorized, handshakeStatus(t, withChain(revoked), url), "the CA revoked it")
	assert.NotEqual(t, http.StatusUnauthorized, handshakeStatus(t, withChain(kept), url), "a member the intermediate enrolled signs itself")
	require.NoError(t, stop())
}

// The MSP folder's crls/ is read with its CAs, at the start and at a reload: a member its CA's CRL there lists is
// refused (401), without the CA's CRL (no ca.url) too; a CRL that cannot be parsed refuses the folder.
func TestTheMSPFoldersCRLsAreRead(t *testing.T) {
	f := newFixture(t)
	revoked, kept := f.ca.Issue(t, "revoked-enterprise", "client"), f.ca.Issue(t, "enterprise", "client")
	msp, _ := f.orgMSPRevoking(t, revoked.Certificate)
	url, stop := f.start(t)
	defer stop()
	assert.Equal(t, http.StatusUnauthorized, handshakeStatus(t, f.insistent(revoked), url), "the CRL in crls/ lists it")
	assert.NotEqual(t, http.StatusUnauthorized, handshakeStatus(t, f.insistent(kept), url))

	writePEM(t, filepath.Join(msp, fabricca.MSPCRLsDir, "broken.pem"), []byte("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n"), 0o644)
	require.ErrorContains(t, f.svc.ReloadClientCAs(f.cfg), "a CRL of")
	require.NoError(t, stop())
}

// With ca.url, the CRLs of the MSP folder's crls/ join those the gateway holds and keeps, each as its CA's: a wallet
// member the folder's CRL lists is refused behind its API key too (401), which the MSP folder's CRLs alone, judging
// members who sign themselves, did not reach; and the kept copy holds the folder's CRL.
func TestTheMSPFoldersCRLsJoinTheCRLsHeld(t *testing.T) {
	f := newFixture(t)
	f.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice", Roles: []string{"holder"}})
	_, folderCRL := f.orgMSPRevoking(t, f.alice.Certificate)
	f.withUnansweringCA(t)
	url, stop := f.start(t)
	defer stop()

	assert.Equal(t, http.StatusUnauthorized, f.keyStatus(t, url), "the folder's CRL lists the API key's member")
	kept, err := os.ReadFile(f.cfg.CRLFile())
	require.NoError(t, err)
	assert.Equal(t, string(folderCRL), string(kept))
	require.NoError(t, stop())
}

// orgMSPRevoking makes the org's MSP folder (tls.orgMSP) of the fixture's CA, whose crls/ holds the CA's CRL that
// lists revoked, and returns the folder and the CRL.
func (f *fixture) orgMSPRevoking(t *testing.T, revoked *x509.Certificate) (msp string, crl []byte) {
	t.Helper()
	msp = filepath.Join(t.TempDir(), "msp")
	for _, sub := range []string{fabricca.MSPCACertsDir, fabricca.MSPCRLsDir} {
		require.NoError(t, os.MkdirAll(filepath.Join(msp, sub), 0o755))
	}
	writePEM(t, filepath.Join(msp, fabricca.MSPCACertsDir, "ca.pem"), (wallettest.Issued{Certificate: f.ca.Certificate}).CertPEM(), 0o644)
	crl = f.ca.CRL(t, revoked)
	writePEM(t, filepath.Join(msp, fabricca.MSPCRLsDir, "crl.pem"), crl, 0o644)
	f.cfg.TLS.OrgMSP = msp
	return msp, crl
}

// keyStatus is the status of GET /v1/participants/me behind the fixture's API key.
func (f *fixture) keyStatus(t *testing.T, url string) int {
	t.Helper()
	req, err := http.NewRequest("GET", url+"/v1/participants/me", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.key)
	resp, err := f.client(nil).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// withUnansweringCA configures ca.url (a CA that does not answer: the gateway holds the CRLs it keeps and is given)
// with a registrar of the fixture's CA, and a state directory for the CRLs kept.
func (f *fixture) withUnansweringCA(t *testing.T) {
	t.Helper()
	registrar := f.ca.Issue(t, "gateway-registrar", "client")
	registrarMSP := filepath.Join(t.TempDir(), "registrar", "msp")
	require.NoError(t, fabricca.WriteMSP(registrarMSP, registrar.KeyPEM(), registrar.CertPEM(), registrar.CertPEM()))
	f.cfg.CA.URL, f.cfg.CA.Name, f.cfg.CA.TLSCACert, f.cfg.CA.Registrar = "https://127.0.0.1:1", "ca", f.cfg.Peer.TLSCACert, registrarMSP
	f.cfg.StateDir = t.TempDir()
}

// Without ca.url too, the CRLs of the MSP folder's crls/ refuse a wallet member they list (401), behind its API key
// and its client certificate: the gateway held no CRL without ca.url, so the folder's CRLs judged only members who
// sign themselves, and a member the org's CA revoked there went on acting through the gateway's key.
func TestTheMSPFoldersCRLsRefuseAWalletMemberWithoutACA(t *testing.T) {
	f := newFixture(t)
	f.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice", Roles: []string{"holder"}})
	f.orgMSPRevoking(t, f.alice.Certificate)
	require.Empty(t, f.cfg.CA.URL)
	url, stop := f.start(t)
	defer stop()

	assert.Equal(t, http.StatusUnauthorized, f.keyStatus(t, url), "the folder's CRL lists the API key's member")
	assert.Equal(t, http.StatusUnauthorized, handshakeStatus(t, f.client(&f.alice), url), "the folder's CRL lists the client certificate's member")
	require.NoError(t, stop())
}

// The MSP folder's config.yaml enables NodeOUs, the client OU bound to the org's CA: the gateway reads it at the
// start and at a reload, and a peer's enrolment certificate of the org's CA is nobody (401) where a client's signs
// itself. A config.yaml the gateway cannot take as its author meant refuses the folder, at the start and at a reload
// (the CAs in force stay), the error naming the file and the field: a misspelt field, a bound certificate that is
// missing or is no CA of the folder. The gateway ignored config.yaml: the peer signed itself.
func TestTheMSPFoldersConfigYAMLClassifiesItsIdentities(t *testing.T) {
	f := newFixture(t)
	f.fake.Returns("participants:WhoAmI", model.Participant{ID: "enterprise", Roles: []string{"holder"}})
	msp := filepath.Join(t.TempDir(), "msp")
	require.NoError(t, os.MkdirAll(filepath.Join(msp, fabricca.MSPCACertsDir), 0o755))
	writePEM(t, filepath.Join(msp, fabricca.MSPCACertsDir, "ca.pem"), (wallettest.Issued{Certificate: f.ca.Certificate}).CertPEM(), 0o644)
	config := filepath.Join(msp, fabricca.MSPConfigFile)
	nodeOUs := func(enable, clientCertificate string) []byte {
		return []byte("NodeOUs:\n  " + enable + ": true\n  ClientOUIdentifier:\n    Certificate: " + clientCertificate +
			"\n    OrganizationalUnitIdentifier: client\n  PeerOUIdentifier:\n    OrganizationalUnitIdentifier: peer\n" +
			"  AdminOUIdentifier:\n    OrganizationalUnitIdentifier: admin\n  OrdererOUIdentifier:\n    OrganizationalUnitIdentifier: orderer\n")
	}
	writePEM(t, config, nodeOUs("Enable", "cacerts/ca.pem"), 0o644)
	f.cfg.TLS.OrgMSP = msp
	url, stop := f.start(t)
	defer stop()
	peer, client := f.ca.Issue(t, "peer0.shanghai.deltaledger.local", "peer"), f.ca.Issue(t, "enterprise", "client")
	judge := func(when string) {
		t.Helper()
		assert.Equal(t, http.StatusUnauthorized, handshakeStatus(t, f.insistent(peer), url), "a peer's certificate is no member's: %s", when)
		assert.NotEqual(t, http.StatusUnauthorized, handshakeStatus(t, f.insistent(client), url), "a client's signs itself: %s", when)
	}
	judge("at the start")
	require.NoError(t, f.svc.ReloadClientCAs(f.cfg))
	judge("after a reload")

	other := filepath.Join(msp, "other-ca.pem")
	writePEM(t, other, (wallettest.Issued{Certificate: wallettest.NewCA(t, "ShanghaiMSP").Certificate}).CertPEM(), 0o644)
	for bad, want := range map[string][]string{
		string(nodeOUs("Enabled", "cacerts/ca.pem")):                                 {config, "Enabled"},
		string(nodeOUs("Enable", "cacerts/gone.pem")):                                {config, "NodeOUs.ClientOUIdentifier.Certificate", "gone.pem"},
		string(nodeOUs("Enable", "other-ca.pem")):                                    {config, "NodeOUs.ClientOUIdentifier.Certificate", "no CA of cacerts"},
		"OrganizationalUnitIdentifiers:\n  - OrganizationalUnitIdentifier: client\n": {config, "OrganizationalUnitIdentifiers[0].Certificate is required"},
		"NodeOUs: [": {config},
		strings.Replace(string(nodeOUs("Enable", "cacerts/ca.pem")), "OrganizationalUnitIdentifier: admin", "OrganizationalUnitIdentifier: Admins", 1): {
			config, "NodeOUs.AdminOUIdentifier.OrganizationalUnitIdentifier must be \"admin\""},
	} {
		writePEM(t, config, []byte(bad), 0o644)
		err := f.svc.ReloadClientCAs(f.cfg)
		for _, w := range want {
			require.ErrorContains(t, err, w, bad)
		}
		_, err = service.New(f.cfg)
		require.ErrorContains(t, err, config, bad)
		judge("after a refused reload")
	}
	require.NoError(t, stop())
}

// What is no file of certificates in the MSP folder refuses it, at the start and at a reload, at once and naming
// the path: a named pipe (FIFO) opened for reading stopped the gateway's start and its SIGHUP until something wrote
// to it, a huge file was read whole into memory, and a leaf certificate in cacerts/, which Fabric refuses as a CA,
// made whoever holds its key an issuer of members who sign themselves.
func TestTheMSPFolderRefusesWhatIsNoFileOfCertificates(t *testing.T) {
	f := newFixture(t)
	for name, plant := range map[string]func(t *testing.T, msp string) (path, want string){
		"a named pipe in cacerts/": func(t *testing.T, msp string) (string, string) {
			path := filepath.Join(msp, fabricca.MSPCACertsDir, "pipe.pem")
			require.NoError(t, syscall.Mkfifo(path, 0o644))
			return path, "named pipe"
		},
		"a named pipe as config.yaml": func(t *testing.T, msp string) (string, string) {
			path := filepath.Join(msp, fabricca.MSPConfigFile)
			require.NoError(t, syscall.Mkfifo(path, 0o644))
			return path, "named pipe"
		},
		"a link to /dev/zero in crls/": func(t *testing.T, msp string) (string, string) {
			path := filepath.Join(msp, fabricca.MSPCRLsDir, "crl.pem")
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			require.NoError(t, os.Symlink("/dev/zero", path))
			return path, "character device"
		},
		"a huge file in intermediatecerts/": func(t *testing.T, msp string) (string, string) {
			path := filepath.Join(msp, fabricca.MSPIntermediateCertsDir, "ca.pem")
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			writePEM(t, path, nil, 0o644)
			require.NoError(t, os.Truncate(path, fabricca.MaxMSPFileBytes+1))
			return path, "larger than"
		},
		"a leaf certificate in cacerts/": func(t *testing.T, msp string) (string, string) {
			leaf := f.ca.Issue(t, "enterprise", "client")
			writePEM(t, filepath.Join(msp, fabricca.MSPCACertsDir, "leaf.pem"), leaf.CertPEM(), 0o644)
			return leaf.Certificate.Subject.String(), "is no CA"
		},
		"a leaf certificate in intermediatecerts/": func(t *testing.T, msp string) (string, string) {
			leaf := f.ca.Issue(t, "intermediate-without-basic-constraints", "client")
			require.NoError(t, os.MkdirAll(filepath.Join(msp, fabricca.MSPIntermediateCertsDir), 0o755))
			writePEM(t, filepath.Join(msp, fabricca.MSPIntermediateCertsDir, "ica.pem"), leaf.CertPEM(), 0o644)
			return leaf.Certificate.Subject.String(), "is no CA"
		},
	} {
		t.Run(name, func(t *testing.T) {
			msp := filepath.Join(t.TempDir(), "msp")
			require.NoError(t, os.MkdirAll(filepath.Join(msp, fabricca.MSPCACertsDir), 0o755))
			writePEM(t, filepath.Join(msp, fabricca.MSPCACertsDir, "ca.pem"), (wallettest.Issued{Certificate: f.ca.Certificate}).CertPEM(), 0o644)
			path, want := plant(t, msp)
			cfg := f.cfg
			cfg.TLS.OrgMSP = msp
			err := filetest.Ends(t, "reading the MSP folder", func() error {
				_, err := service.New(cfg)
				return err
			})
			require.ErrorContains(t, err, path)
			require.ErrorContains(t, err, want)
		})
	}
}
