package channelmsp_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/client/channelmsp"
)

// nodeOUs are the NodeOUs of network/config/msp-config.yaml, as configtxgen puts them into an MSP definition.
func nodeOUs() *msp.FabricNodeOUs {
	ou := func(name string) *msp.FabricOUIdentifier {
		return &msp.FabricOUIdentifier{OrganizationalUnitIdentifier: name}
	}
	return &msp.FabricNodeOUs{Enable: true, ClientOuIdentifier: ou("client"), PeerOuIdentifier: ou("peer"),
		AdminOuIdentifier: ou("admin"), OrdererOuIdentifier: ou("orderer")}
}

// orgMSP is Jiangsu's MSP definition as configtxgen makes it from the org's MSP folder: its CA, its TLS CA, the
// network's NodeOUs and Fabric's hashing.
func orgMSP(js, tls ca) *msp.FabricMSPConfig {
	return &msp.FabricMSPConfig{Name: "JiangsuMSP", RootCerts: [][]byte{js.pem}, TlsRootCerts: [][]byte{tls.pem}, FabricNodeOus: nodeOUs(),
		CryptoConfig: &msp.FabricCryptoConfig{SignatureHashFamily: "SHA2", IdentityIdentifierHashFunction: "SHA256"}}
}

// value is def as an org's MSP value under the modification policy policy.
func value(t *testing.T, def *msp.FabricMSPConfig, policy string) *common.ConfigValue {
	inner, err := proto.Marshal(def)
	require.NoError(t, err)
	outer, err := proto.Marshal(&msp.MSPConfig{Config: inner})
	require.NoError(t, err)
	return &common.ConfigValue{Version: 3, ModPolicy: policy, Value: outer}
}

// adminFolder writes an admin's MSP folder the way network/enroll does (the CA chain in cacerts/, the network's
// config.yaml, the admin's certificate and key) and reads it with ReadOwn, its TLS CA given as --fabric-cacert.
func adminFolder(t *testing.T, js, tls ca) *channelmsp.Own {
	dir := t.TempDir()
	nodeOUs, err := os.ReadFile("../../network/config/msp-config.yaml")
	require.NoError(t, err)
	for name, data := range map[string][]byte{"cacerts/ca.pem": js.pem, "config.yaml": nodeOUs,
		"signcerts/cert.pem": []byte("not read"), "keystore/priv_sk": []byte("not read")} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	own, err := channelmsp.ReadOwn(dir, "JiangsuMSP", tls.pem)
	require.NoError(t, err)
	return own
}

// The admin's MSP folder is what it signs by: a definition of its MSP that trusts what the folder does gets the
// CRL, and the update changes nothing else of it.
func TestUpdateChangesOnlyTheCRLOfTheDefinitionTheAdminsFolderAgreesWith(t *testing.T) {
	js, tls, ah := newCA(t, "ca.jiangsu"), newCA(t, "tlsca.jiangsu"), newCA(t, "ca.anhui")
	own := adminFolder(t, js, tls)
	def := orgMSP(js, tls)
	config := channel(t, value(t, def, "Admins"), mspValue(t, "AnhuiMSP", ah.pem))

	update, err := channelmsp.Update("deltaledger", config, own, js.crl(t, time.Now(), 42))
	require.NoError(t, err)
	written := update.GetWriteSet().GetGroups()["Orderer"].GetGroups()["JiangsuMSP"].GetValues()["MSP"]
	assert.Equal(t, "Admins", written.GetModPolicy())
	var outer msp.MSPConfig
	require.NoError(t, proto.Unmarshal(written.GetValue(), &outer))
	var got msp.FabricMSPConfig
	require.NoError(t, proto.Unmarshal(outer.GetConfig(), &got))
	assert.Len(t, got.GetRevocationList(), 1)
	got.RevocationList = nil
	assert.True(t, proto.Equal(def, &got), "only the CRLs changed")
}

// A peer that answers a forged configuration cannot have the admin sign anything but its CRL: a definition of the
// admin's MSP that trusts another CA, names other admins, classifies identities otherwise or trusts another TLS CA
// would be written whole by the update, and is refused; so is an MSP value that others may modify, and an MSP ID
// that another org's group defines too (the update would write there).
func TestUpdateRefusesADefinitionTheAdminsFolderDoesNotAgreeWith(t *testing.T) {
	js, tls, ah, evil := newCA(t, "ca.jiangsu"), newCA(t, "tlsca.jiangsu"), newCA(t, "ca.anhui"), newCA(t, "ca.evil")
	own := adminFolder(t, js, tls)
	crl := js.crl(t, time.Now(), 42)
	forged := map[string]func(*msp.FabricMSPConfig){
		"another root CA too":      func(d *msp.FabricMSPConfig) { d.RootCerts = append(d.RootCerts, evil.pem) },
		"another root CA instead":  func(d *msp.FabricMSPConfig) { d.RootCerts = [][]byte{evil.pem} },
		"an intermediate CA":       func(d *msp.FabricMSPConfig) { d.IntermediateCerts = [][]byte{evil.pem} },
		"a second CA in one entry": func(d *msp.FabricMSPConfig) { d.RootCerts = [][]byte{append(append([]byte{}, js.pem...), evil.pem...)} },
		"an explicit admin":        func(d *msp.FabricMSPConfig) { d.Admins = [][]byte{evil.pem} },
		"clients as admins": func(d *msp.FabricMSPConfig) {
			d.FabricNodeOus.AdminOuIdentifier.OrganizationalUnitIdentifier = "client"
		},
		"NodeOUs off":               func(d *msp.FabricMSPConfig) { d.FabricNodeOus = nil },
		"an admin OU of another CA": func(d *msp.FabricMSPConfig) { d.FabricNodeOus.AdminOuIdentifier.Certificate = evil.pem },
		"an OU required": func(d *msp.FabricMSPConfig) {
			d.OrganizationalUnitIdentifiers = []*msp.FabricOUIdentifier{{OrganizationalUnitIdentifier: "x"}}
		},
		"another TLS CA": func(d *msp.FabricMSPConfig) { d.TlsRootCerts = append(d.TlsRootCerts, evil.pem) },
		"another hash":   func(d *msp.FabricMSPConfig) { d.CryptoConfig.IdentityIdentifierHashFunction = "SHA3_256" },
	}
	for name, forge := range forged {
		def := orgMSP(js, tls)
		forge(def)
		_, err := channelmsp.Update("deltaledger", channel(t, value(t, def, "Admins"), mspValue(t, "AnhuiMSP", ah.pem)), own, crl)
		assert.ErrorContains(t, err, "the channel's MSP JiangsuMSP", name)
	}

	for _, policy := range []string{"/Channel/Application/Readers", "Readers", ""} {
		_, err := channelmsp.Update("deltaledger", channel(t, value(t, orgMSP(js, tls), policy), mspValue(t, "AnhuiMSP", ah.pem)), own, crl)
		assert.ErrorContains(t, err, "not the org's own Admins", policy)
	}

	_, err := channelmsp.Update("deltaledger", channel(t, value(t, orgMSP(js, tls), "Admins"), value(t, orgMSP(js, tls), "Admins")), own, crl)
	assert.ErrorContains(t, err, "defines MSP ID JiangsuMSP more than once")
}
