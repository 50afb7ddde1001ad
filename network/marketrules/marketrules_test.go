package marketrules

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// caPEM makes a self-signed CA certificate.
func caPEM(t *testing.T, name string) string {
	t.Helper()
	der, _ := fabricatest.SelfSigned(t, &x509.Certificate{
		Subject:  pkix.Name{CommonName: name},
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	})
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// The CA certificates are read from the MSP definitions of the channel's
// application orgs, roots and intermediates apart.
func TestApplicationCAsOfAChannelConfig(t *testing.T) {
	root, inter := caPEM(t, "ca.shanghai"), caPEM(t, "ica.shanghai")
	fabric, err := proto.Marshal(&msp.FabricMSPConfig{Name: "ShanghaiMSP", RootCerts: [][]byte{[]byte(root)}, IntermediateCerts: [][]byte{[]byte(inter)}})
	require.NoError(t, err)
	value, err := proto.Marshal(&msp.MSPConfig{Type: 0, Config: fabric})
	require.NoError(t, err)
	config := &common.Config{ChannelGroup: &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{
		"Application": {Groups: map[string]*common.ConfigGroup{
			"ShanghaiMSP": {Values: map[string]*common.ConfigValue{"MSP": {Value: value}}},
		}},
	}}}
	cas, err := applicationCAs(config)
	require.NoError(t, err)
	assert.Equal(t, map[string]CAs{"ShanghaiMSP": {RootCerts: []string{root}, IntermediateCerts: []string{inter}}}, cas)

	_, err = applicationCAs(&common.Config{ChannelGroup: &common.ConfigGroup{}})
	assert.ErrorContains(t, err, "no Application group")
}

// The rules built for this repository's network bind each org of
// network.env to the region of its key, name the demo's regulator of every
// org, and take the notice period from network.env; they pass the
// chaincode's own checks.
func TestDesiredRulesOfThisNetwork(t *testing.T) {
	cfg, err := fabricnet.LoadConfig("")
	require.NoError(t, err)
	cas := map[string]CAs{}
	for _, o := range cfg.Orgs {
		cas[o.MSPID] = CAs{RootCerts: []string{caPEM(t, "ca."+o.Key)}, IntermediateCerts: []string{}}
	}
	r, err := Desired(cfg, cas)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Version)
	assert.Equal(t, 2, r.NoticePeriodSeconds)
	require.Len(t, r.Orgs, len(cfg.Orgs))
	for _, o := range cfg.Orgs {
		org, ok := r.Org(o.MSPID)
		require.True(t, ok, o.MSPID)
		assert.Equal(t, o.Key, org.Region)
		assert.True(t, r.IsRegulator(o.MSPID, demo.ParticipantID(o.Key, "regulator")), "the demo's regulator of %s is named", o.Key)
	}

	delete(cas, cfg.Orgs[0].MSPID)
	_, err = Desired(cfg, cas)
	assert.ErrorContains(t, err, "the channel has no MSP "+cfg.Orgs[0].MSPID)
}

// A region added to the running network is a region of the market: the
// rules built for the network bind it to its org and name its regulator.
// Only the orgs of the rules in force approve the change, a majority of
// them; the joining org is not one of them.
func TestARegionThatJoinedIsInTheRulesApprovedByAMajorityOfTheFounders(t *testing.T) {
	cfg, err := fabricnet.LoadConfig("")
	require.NoError(t, err)
	require.Len(t, cfg.Orgs, 4, "this repository's network.env")
	cas := map[string]CAs{}
	for _, o := range cfg.Orgs {
		cas[o.MSPID] = CAs{RootCerts: []string{caPEM(t, "ca."+o.Key)}, IntermediateCerts: []string{}}
	}
	founding, err := Desired(cfg, cas)
	require.NoError(t, err)

	cfg.Orgs = append(cfg.Orgs, fabricnet.Org{Key: "suzhou", MSPID: "SuzhouMSP", Added: true})
	cfg.Values["SUZHOU_REGULATORS"] = "suzhou.regulator"
	cas["SuzhouMSP"] = CAs{RootCerts: []string{caPEM(t, "ca.suzhou")}, IntermediateCerts: []string{}}
	for _, claim := range []string{"32", "3299"} { // Jiangsu's province; no city of the table
		cfg.Values["SUZHOU_DIVISIONS"] = claim
		_, err = Desired(cfg, cas)
		// Named where the rules built list it: fifth, as network.env lists the orgs.
		assert.ErrorContains(t, err, "rules.orgs[4].divisions", "SUZHOU_DIVISIONS=%s", claim)
	}
	cfg.Values["SUZHOU_DIVISIONS"] = "3205"
	grown, err := Desired(cfg, cas)
	require.NoError(t, err)
	assert.Equal(t, []string{"anhui", "jiangsu", "shanghai", "suzhou", "zhejiang"}, grown.Regions())
	org, ok := grown.Org("SuzhouMSP")
	require.True(t, ok)
	assert.Equal(t, "suzhou", org.Region)
	assert.Equal(t, []string{"3205"}, org.Divisions, "SUZHOU_DIVISIONS")
	assert.Equal(t, "suzhou", grown.RegionOf("320576"))
	assert.Equal(t, "jiangsu", founding.RegionOf("320576"))
	for _, o := range founding.Orgs {
		assert.Empty(t, o.Divisions, "a founding region names none: its province, and the rules' hash as before")
	}
	assert.True(t, grown.IsRegulator("SuzhouMSP", "suzhou.regulator"))
	assert.NotEqual(t, founding.Hash(), grown.Hash(), "the rules change")

	approvers := Approvers(cfg, founding)
	require.Len(t, approvers, 3, "a majority of the four founding orgs")
	for _, o := range approvers {
		_, inForce := founding.Org(o.MSPID)
		assert.True(t, inForce, "%s approves", o.MSPID)
		assert.NotEqual(t, "SuzhouMSP", o.MSPID)
	}
	assert.Len(t, Approvers(cfg, grown), 3, "a majority of five")
}

// Before a region joins, add-region checks its key as the chaincode checks
// the rules' regions: the model's pattern, and not the whole market's word.
func TestCheckRegionKeyTakesTheModelsRule(t *testing.T) {
	for _, ok := range []string{"suzhou", "wuxi2", "ab", strings.Repeat("a", model.MaxRegionLength)} {
		assert.NoError(t, CheckRegionKey(ok), ok)
	}
	for _, bad := range []string{"", "a", "Suzhou", "2wuxi", "su-zhou", strings.Repeat("a", model.MaxRegionLength+1), "suzhou\n"} {
		assert.ErrorContains(t, CheckRegionKey(bad), model.RegionRule, "%q", bad)
	}
	assert.ErrorContains(t, CheckRegionKey(model.MarketWide), "whole market")
}

// Before a region joins, add-region checks the divisions it would hold as
// the chaincode will: of the table, and no prefix another region holds.
func TestCheckJoiningRefusesDivisionsAnotherRegionHolds(t *testing.T) {
	cfg, err := fabricnet.LoadConfig("")
	require.NoError(t, err)
	// The founding network, whether or not make test-add-region left Suzhou in network/.state.
	cfg.Orgs = slices.DeleteFunc(cfg.Orgs, func(o fabricnet.Org) bool { return o.Added })
	require.NoError(t, CheckJoining(cfg, "suzhou", []string{"3205"}))
	require.NoError(t, CheckJoining(cfg, "suzhou", nil), "a region may hold none")
	for claim, phrase := range map[string]string{
		"32": "32 is already a division prefix of jiangsu", "3299": "a division prefix", "320576": "a division prefix", "11": "a division prefix",
	} {
		assert.ErrorContains(t, CheckJoining(cfg, "suzhou", []string{claim}), phrase, claim)
	}
	cfg.Orgs = append(cfg.Orgs, fabricnet.Org{Key: "suzhou", MSPID: "SuzhouMSP", Added: true})
	cfg.Values["SUZHOU_DIVISIONS"] = "3205"
	assert.ErrorContains(t, CheckJoining(cfg, "wuxi", []string{"3202", "3205"}), "3205 is already a division prefix of suzhou")
}

// The rules are built from the first org's copy of the channel
// configuration; each other org checks them against its own before its
// admin endorses or approves them: a root or intermediate CA that its copy
// does not give an org, or an org its copy does not define, is refused.
func TestRulesAreCheckedAgainstAnOrgsOwnCopyOfTheChannel(t *testing.T) {
	cfg, err := fabricnet.LoadConfig("")
	require.NoError(t, err)
	cas := map[string]CAs{}
	for _, o := range cfg.Orgs {
		cas[o.MSPID] = CAs{RootCerts: []string{caPEM(t, "ca."+o.Key) + "\n"}, IntermediateCerts: []string{}}
	}
	want, err := Desired(cfg, cas)
	require.NoError(t, err)
	require.NoError(t, CheckCAs(want, cas), "the same certificates, however their PEM is laid out")

	copyOf := func() map[string]CAs {
		out := map[string]CAs{}
		for k, v := range cas {
			out[k] = v
		}
		return out
	}
	js := cfg.Orgs[1].MSPID
	forged := copyOf()
	forged[js] = CAs{RootCerts: []string{caPEM(t, "ca.forged")}}
	assert.ErrorContains(t, CheckCAs(want, forged), "the rules give "+js+" other CA certificates")
	forged = copyOf()
	forged[js] = CAs{RootCerts: cas[js].RootCerts, IntermediateCerts: []string{caPEM(t, "ica.other")}}
	assert.ErrorContains(t, CheckCAs(want, forged), "the rules give "+js+" other CA certificates")
	forged = copyOf()
	delete(forged, js)
	assert.ErrorContains(t, CheckCAs(want, forged), "the rules name "+js+", which the channel does not define")
}
