package channelmsp_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/client/channelmsp"
)

type ca struct {
	cert *x509.Certificate
	pem  []byte
	key  *ecdsa.PrivateKey
}

func newCA(t *testing.T, name string) ca {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		SubjectKeyId: []byte(name)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return ca{cert: cert, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), key: key}
}

func (c ca) crl(t *testing.T, at time.Time, serials ...int64) []byte {
	var entries []x509.RevocationListEntry
	for _, s := range serials {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: big.NewInt(s), RevocationTime: at})
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{RevokedCertificateEntries: entries,
		Number: big.NewInt(at.UnixNano()), ThisUpdate: at, NextUpdate: at.Add(24 * time.Hour)}, c.cert, c.key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der})
}

// jiangsu is what Jiangsu's admin knows of its MSP from its own folder: its CA, no NodeOUs (as mspValue makes it).
func jiangsu(c ca) *channelmsp.Own {
	return &channelmsp.Own{MSPID: "JiangsuMSP", CACerts: [][]byte{c.cert.Raw}}
}

func mspValue(t *testing.T, name string, root []byte, crls ...[]byte) *common.ConfigValue {
	inner, err := proto.Marshal(&msp.FabricMSPConfig{Name: name, RootCerts: [][]byte{root}, RevocationList: crls})
	require.NoError(t, err)
	outer, err := proto.Marshal(&msp.MSPConfig{Type: 0, Config: inner})
	require.NoError(t, err)
	return &common.ConfigValue{Version: 3, ModPolicy: "Admins", Value: outer}
}

// channel is a configuration with Jiangsu and Anhui as application and orderer orgs, as configtxgen makes it.
func channel(t *testing.T, jiangsu, anhui *common.ConfigValue) *common.Config {
	orgs := func() map[string]*common.ConfigGroup {
		return map[string]*common.ConfigGroup{
			"JiangsuMSP": {Version: 1, Values: map[string]*common.ConfigValue{"MSP": jiangsu}},
			"AnhuiMSP":   {Version: 1, Values: map[string]*common.ConfigValue{"MSP": anhui}},
		}
	}
	return &common.Config{Sequence: 7, ChannelGroup: &common.ConfigGroup{Version: 2, Groups: map[string]*common.ConfigGroup{
		"Application": {Version: 4, Groups: orgs()},
		"Orderer":     {Version: 5, Groups: orgs()},
	}}}
}

func revocationList(t *testing.T, value *common.ConfigValue) [][]byte {
	var outer msp.MSPConfig
	require.NoError(t, proto.Unmarshal(value.GetValue(), &outer))
	var inner msp.FabricMSPConfig
	require.NoError(t, proto.Unmarshal(outer.GetConfig(), &inner))
	return inner.GetRevocationList()
}

// The update changes the org's MSP value in the Application and the Orderer group alike (Fabric requires the two
// definitions to be equal), one version up with the value's own modification policy, and nothing else: the read
// set pins the versions of the groups on the way, the org groups keep their versions (no member added or removed),
// and the other org is not in it.
func TestUpdateSetsTheOrgsCRLInBothGroups(t *testing.T) {
	js, ah := newCA(t, "ca.jiangsu"), newCA(t, "ca.anhui")
	crl := js.crl(t, time.Now(), 42)
	config := channel(t, mspValue(t, "JiangsuMSP", js.pem), mspValue(t, "AnhuiMSP", ah.pem))

	update, err := channelmsp.Update("deltaledger", config, jiangsu(js), crl)
	require.NoError(t, err)
	require.NotNil(t, update)
	assert.Equal(t, "deltaledger", update.GetChannelId())
	assert.Equal(t, uint64(2), update.GetReadSet().GetVersion())
	var values [][]byte
	for group, version := range map[string]uint64{"Application": 4, "Orderer": 5} {
		read, write := update.GetReadSet().GetGroups()[group], update.GetWriteSet().GetGroups()[group]
		require.NotNil(t, read, group)
		assert.Equal(t, version, read.GetVersion())
		assert.Equal(t, version, write.GetVersion())
		assert.Len(t, write.GetGroups(), 1, "only Jiangsu's org changes")
		org := write.GetGroups()["JiangsuMSP"]
		require.NotNil(t, org)
		assert.Equal(t, uint64(1), org.GetVersion())
		assert.Equal(t, uint64(1), read.GetGroups()["JiangsuMSP"].GetVersion())
		assert.Empty(t, read.GetGroups()["JiangsuMSP"].GetValues())
		value := org.GetValues()["MSP"]
		require.NotNil(t, value)
		assert.Equal(t, uint64(4), value.GetVersion())
		assert.Equal(t, "Admins", value.GetModPolicy())
		list := revocationList(t, value)
		require.Len(t, list, 1)
		parsed, err := channelmsp.ParseCRL(list[0])
		require.NoError(t, err)
		require.Len(t, parsed.RevokedCertificateEntries, 1)
		assert.Equal(t, int64(42), parsed.RevokedCertificateEntries[0].SerialNumber.Int64())
		values = append(values, value.GetValue())
	}
	assert.Equal(t, values[0], values[1], "the two definitions of the MSP stay equal")

	// Applied, the same CRL again changes nothing, nor does the CA's next CRL when it revokes nothing more (a CA
	// signs a new CRL at every request), nor an older one that lists nothing new.
	config = channel(t, mspValue(t, "JiangsuMSP", js.pem, crl), mspValue(t, "AnhuiMSP", ah.pem))
	for name, offered := range map[string][]byte{"the same CRL": crl, "a newer CRL of the same revocations": js.crl(t, time.Now().Add(time.Minute), 42),
		"an older CRL of fewer revocations": js.crl(t, time.Now().Add(-time.Minute))} {
		again, err := channelmsp.Update("deltaledger", config, jiangsu(js), offered)
		require.NoError(t, err, name)
		assert.Nil(t, again, name)
	}
}

// A newer CRL of the CA replaces the older one; another CA's CRL in the same MSP stays.
func TestUpdateReplacesTheCAsOlderCRL(t *testing.T) {
	js, other := newCA(t, "ca.jiangsu"), newCA(t, "ca.other")
	now := time.Now()
	old, newer, foreign := js.crl(t, now.Add(-time.Minute), 1), js.crl(t, now, 1, 2), other.crl(t, now, 9)
	config := channel(t, mspValue(t, "JiangsuMSP", js.pem, foreign, old), mspValue(t, "AnhuiMSP", other.pem))
	update, err := channelmsp.Update("deltaledger", config, jiangsu(js), newer)
	require.NoError(t, err)
	list := revocationList(t, update.GetWriteSet().GetGroups()["Application"].GetGroups()["JiangsuMSP"].GetValues()["MSP"])
	require.Len(t, list, 2)
	assert.Equal(t, foreign, list[0])
	parsed, err := channelmsp.ParseCRL(list[1])
	require.NoError(t, err)
	assert.Len(t, parsed.RevokedCertificateEntries, 2)
}

// What the update refuses: an older CRL than the channel's (it would un-revoke), a CRL no CA of the MSP signed, an
// MSP the channel does not define, something that is not a CRL.
func TestUpdateRefuses(t *testing.T) {
	js, ah := newCA(t, "ca.jiangsu"), newCA(t, "ca.anhui")
	now := time.Now()
	held := js.crl(t, now, 1, 2)
	config := channel(t, mspValue(t, "JiangsuMSP", js.pem, held), mspValue(t, "AnhuiMSP", ah.pem))

	_, err := channelmsp.Update("deltaledger", config, jiangsu(js), js.crl(t, now.Add(-time.Minute), 1, 3))
	assert.ErrorIs(t, err, channelmsp.ErrStale)

	_, err = channelmsp.Update("deltaledger", config, jiangsu(js), ah.crl(t, now, 5))
	assert.ErrorContains(t, err, "not signed by a CA of JiangsuMSP")

	_, err = channelmsp.Update("deltaledger", config, &channelmsp.Own{MSPID: "ZhejiangMSP", CACerts: [][]byte{js.cert.Raw}}, js.crl(t, now, 5))
	assert.ErrorContains(t, err, "no org with MSP ID ZhejiangMSP")

	_, err = channelmsp.Update("deltaledger", config, jiangsu(js), []byte("not a CRL"))
	assert.ErrorContains(t, err, "cannot be parsed")
}
