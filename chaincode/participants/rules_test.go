package participants_test

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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Regions are bound to orgs by the market rules, never by a registration: an
// org's admin registers members in its own region only, and an org the rules
// do not name registers nobody. A second org cannot bind itself to a region
// another holds, and moving an org to another region needs a majority.
func TestRegionsAreBoundByTheMarketRules(t *testing.T) {
	f := newFixture(t)
	r := f.register(f.ahAdmin, "ah.op", f.carol, "operator", usccB, "shanghai")
	requireRefused(t, f, r, ledgererr.InvalidArgument, "region")
	assert.Contains(t, r.Message, `must be "anhui": the market rules bind AnhuiMSP to region "anhui"`)

	// An org of the channel that the rules do not name.
	rogue := chaincodetest.NewCA("RogueMSP")
	net := chaincodetest.NewNetwork(newChaincode(t), chaincodetest.WithOrgs(f.shanghai, f.anhui, rogue))
	eventschema.Watch(t, net)
	rulestest.Init(t, net, f.shAdmin, f.rules)
	res := net.Submit(rogue.Issue("admin", "admin"), "participants:Register", "rogue.op", string(rogue.Issue("op", "client").CertPEM), "operator", usccB, "Rogue", "jiangsu")
	require.Error(t, res.Err)
	e, ok := ledgererr.Parse(res.Message)
	require.True(t, ok)
	assert.Equal(t, ledgererr.Forbidden, e.Code, res.Message)
	assert.Contains(t, e.Message, "RogueMSP is not one of the orgs of the market rules")

	// One org alone cannot rebind itself: a change needs a majority (here
	// both orgs).
	next := f.anhuiMovedTo("zhejiang")
	f.net.Submit(f.ahAdmin, "market:Approve", rulestest.JSON(t, next)).MustOK(t)
	requireRefused(t, f, f.net.Submit(f.ahAdmin, "market:Apply", rulestest.JSON(t, next)), ledgererr.Conflict, "")
	f.net.Submit(f.shAdmin, "market:Approve", rulestest.JSON(t, next)).MustOK(t)
	f.net.Submit(f.ahAdmin, "market:Apply", rulestest.JSON(t, next)).MustOK(t)
	// From now on Anhui's org registers in zhejiang, and its members act
	// there: caller resolution takes the region from the rules.
	f.register(f.ahAdmin, "ah.op", f.carol, "operator", usccB, "zhejiang").MustOK(t)
	var me model.Participant
	f.net.Evaluate(f.carol, "participants:WhoAmI").Unmarshal(t, &me)
	assert.Equal(t, "zhejiang", me.Region)
}

// Regulators exist only where the market rules name them: an org admin can
// neither register nor promote a regulator on its own, and a regulator the
// rules stop naming loses the role at once.
func TestRegulatorsExistOnlyWhereTheRulesNameThem(t *testing.T) {
	f := newFixture(t)
	r := f.register(f.shAdmin, "sh.regulator", f.alice, "regulator", usccA, "shanghai")
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, `the market rules name no regulator "sh.regulator" of ShanghaiMSP`)
	f.register(f.shAdmin, "sh.alice", f.alice, "buyer", usccA, "shanghai").MustOK(t)
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:SetRoles", "sh.alice", "buyer,regulator"), ledgererr.Forbidden, "")

	// The rules name ah.regulator of Anhui (not of Shanghai).
	requireRefused(t, f, f.register(f.shAdmin, "ah.regulator", f.bob, "regulator", usccA, "shanghai"), ledgererr.Forbidden, "")
	f.register(f.ahAdmin, "ah.regulator", f.carol, "regulator", usccB, "anhui").MustOK(t)
	var me model.Participant
	f.net.Evaluate(f.carol, "participants:WhoAmI").Unmarshal(t, &me)
	assert.Equal(t, []string{"regulator"}, me.Roles)

	// A majority stops naming it: its role no longer counts.
	next := *f.rules
	next.Version, next.Regulators = 2, []model.Regulator{}
	rulestest.Change(t, f.net, []chaincodetest.Identity{f.shAdmin, f.ahAdmin}, &next)
	f.net.Evaluate(f.carol, "participants:WhoAmI").Unmarshal(t, &me)
	assert.Empty(t, me.Roles)
}

// A participant's certificate must chain to a CA of its own org as the
// market rules hold them (the channel's MSP definition): an admin cannot
// register, as a member of its org, a certificate another org's CA issued.
// Intermediate CAs count when the rules hold them, and validity is judged at
// the transaction's time, not the wall clock.
func TestMemberCertificateMustChainToItsOrgsCA(t *testing.T) {
	f := newFixture(t)
	r := f.register(f.ahAdmin, "ah.fake", f.bob, "buyer", usccB, "anhui") // bob's certificate is Shanghai's
	requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
	assert.Contains(t, r.Message, "is not issued by a CA of AnhuiMSP")
	requireRefused(t, f, f.net.Evaluate(f.bob, "participants:WhoAmI"), ledgererr.Forbidden, "")

	// A second Anhui CA hierarchy, root and intermediate, added by a majority.
	root, rootKey := newCA(t, "Anhui Root CA 2", nil, nil)
	inter, interKey := newCA(t, "Anhui Issuing CA 2", root, rootKey)
	txTime := f.net.Now()
	leaf := newLeaf(t, "dave", inter, interKey, txTime.Add(-30*24*time.Hour), txTime.Add(30*24*time.Hour))
	expired := newLeaf(t, "erin", inter, interKey, txTime.Add(-60*24*time.Hour), txTime.Add(-time.Hour))

	requireRefused(t, f, f.register(f.ahAdmin, "ah.dave", leaf, "operator", usccB, "anhui"), ledgererr.InvalidArgument, "certificatePem")
	next := *f.rules
	next.Version = 2
	next.Orgs = append([]model.MarketOrg(nil), f.rules.Orgs...)
	for i := range next.Orgs {
		if next.Orgs[i].MSPID == "AnhuiMSP" {
			next.Orgs[i].RootCerts = append(append([]string(nil), next.Orgs[i].RootCerts...), pemOf(root))
			next.Orgs[i].IntermediateCerts = []string{pemOf(inter)}
		}
	}
	rulestest.Change(t, f.net, []chaincodetest.Identity{f.shAdmin, f.ahAdmin}, &next)
	f.register(f.ahAdmin, "ah.dave", leaf, "operator", usccB, "anhui").MustOK(t) // staff: certifies no enterprise
	// The certificate is long expired by the wall clock of this test's host
	// (the channel's clock is in 2026-03); only the transaction time counts.
	r = f.register(f.ahAdmin, "ah.erin", expired, "operator", "91110108551385082Q", "anhui")
	requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
	assert.Contains(t, r.Message, "expired")
}

// newCA makes a CA certificate: self-signed when parent is nil.
func newCA(t *testing.T, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name, Organization: []string{"Anhui"}},
		NotBefore: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true,
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert, key
}

// newLeaf issues a client certificate valid from notBefore to notAfter.
func newLeaf(t *testing.T, name string, ca *x509.Certificate, caKey *ecdsa.PrivateKey, notBefore, notAfter time.Time) chaincodetest.Identity {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name, Organization: []string{"Anhui"}, OrganizationalUnit: []string{"client"}},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return chaincodetest.Identity{MSPID: "AnhuiMSP", Cert: cert, CertPEM: []byte(pemOf(cert))}
}

func pemOf(cert *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
}

// The participant ID the market rules name a regulator of one org is that
// org's to register: an admin of another org cannot take it in any role,
// which would leave the named regulator unregistrable (participant IDs are
// one namespace) and show another org's member under the regulator's name.
func TestARegulatorsIDIsItsOrgsToRegister(t *testing.T) {
	f := newFixture(t)
	before := f.net.Ledger().StateKeys()
	for _, roles := range []string{"buyer", "operator"} {
		r := f.register(f.shAdmin, "ah.regulator", f.bob, roles, usccA, "shanghai")
		requireRefused(t, f, r, ledgererr.Forbidden, "")
		assert.Contains(t, r.Message, `"ah.regulator"`)
		assert.Contains(t, r.Message, "AnhuiMSP")
	}
	assert.Equal(t, before, f.net.Ledger().StateKeys(), "refusals must write nothing")
	f.register(f.ahAdmin, "ah.regulator", f.carol, "regulator", usccB, "anhui").MustOK(t)
}

// A member is placed in a division of its org's region as the rules in force
// bind it, not as they bound it at the member's registration: once a majority
// moves an org to another region, its admin places its members in the new
// region's divisions and no longer in the old one's, which the org no longer
// holds (refused naming division, writing nothing).
func TestAMemberIsPlacedInItsOrgsRegionOfTheRulesInForce(t *testing.T) {
	f := newFixture(t)
	f.register(f.ahAdmin, "ah.carol", f.carol, "holder", usccB, "anhui").MustOK(t)
	f.net.Submit(f.ahAdmin, "participants:SetDivision", "ah.carol", "340102").MustOK(t)
	next := f.anhuiMovedTo("zhejiang")
	rulestest.Change(t, f.net, []chaincodetest.Identity{f.shAdmin, f.ahAdmin}, next)

	r := f.net.Submit(f.ahAdmin, "participants:SetDivision", "ah.carol", "340104")
	requireRefused(t, f, r, ledgererr.InvalidArgument, "division")
	assert.Contains(t, r.Message, "lies in anhui, not zhejiang")
	var p model.Participant
	f.net.Submit(f.ahAdmin, "participants:SetDivision", "ah.carol", "330106").Unmarshal(t, &p)
	assert.Equal(t, "330106", p.Division)
}

// anhuiMovedTo is the next version of the fixture's first rules, binding
// AnhuiMSP to region instead.
func (f *fixture) anhuiMovedTo(region string) *model.Rules {
	next := *f.rules
	next.Version = 2
	next.Orgs = append([]model.MarketOrg(nil), f.rules.Orgs...)
	for i := range next.Orgs {
		if next.Orgs[i].MSPID == "AnhuiMSP" {
			next.Orgs[i].Region = region
		}
	}
	return &next
}

// An org the majority no longer names releases its enterprises and does
// nothing else: its admin is refused SetRoles, SetDivision, Suspend and
// Reinstate of its own members (FORBIDDEN, nothing written), so a member's
// record is as it was when the org was removed if the rules name it again.
func TestAnOrgTheRulesNoLongerNameOnlyReleasesItsEnterprises(t *testing.T) {
	f := newFixture(t)
	dan := member(f.anhui, "dan", usccB)
	f.register(f.ahAdmin, "ah.carol", f.carol, "holder", usccB, "anhui").MustOK(t)
	f.register(f.ahAdmin, "ah.dan", dan, "buyer", usccB, "anhui").MustOK(t)
	f.net.Submit(f.ahAdmin, "participants:Suspend", "ah.dan", "audit").MustOK(t)
	removal := *f.rules
	removal.Version = 2
	shanghai, _ := f.rules.Org("ShanghaiMSP")
	removal.Orgs = []model.MarketOrg{*shanghai}
	removal.Regulators = []model.Regulator{}
	rulestest.Change(t, f.net, []chaincodetest.Identity{f.shAdmin, f.ahAdmin}, &removal)

	for _, call := range [][]string{
		{"participants:SetRoles", "ah.carol", "buyer"},
		{"participants:SetDivision", "ah.carol", "340102"},
		{"participants:Suspend", "ah.carol", "leaving"},
		{"participants:Reinstate", "ah.dan"},
	} {
		r := f.net.Submit(f.ahAdmin, call[0], call[1:]...)
		requireRefused(t, f, r, ledgererr.Forbidden, "")
		assert.Contains(t, r.Message, "AnhuiMSP is not one of the orgs of the market rules", call[0])
	}
	f.net.Submit(f.ahAdmin, "participants:ReleaseEnterprise", usccB, "leaving the market").MustOK(t)
}
