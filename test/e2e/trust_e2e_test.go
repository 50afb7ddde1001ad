//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// One enterprise, one identity on the real network: Anhui's admin cannot
// register a member of its own org for the Jiangsu holder's enterprise (the
// subject of the demo's credit record, which that member would otherwise
// read without an authorisation), and nothing is written. The certificate
// here certifies no enterprise (staff); one that Anhui's CA certifies the
// USCC in is refused the same way (client/e2e
// TestRegistrationTakesTheEnterpriseFromTheCertificate).
func TestAnotherRegionCannotRegisterAnEnterprise(t *testing.T) {
	subject := demo.USCC("jiangsu", "holder")
	var e struct {
		MSPID string `json:"mspId"`
	}
	evaluate(t, member(t, "anhui", "buyer"), &e, "participants:GetEnterprise", []string{subject})
	assert.Equal(t, "JiangsuMSP", e.MSPID)

	admin := member(t, "anhui", "Admin")
	newID := id("impostor")
	_, err := admin.Submit(callCtx(t), "participants:Register", []string{
		newID, unregisteredCert(t, "anhui"), "operator", subject, "Impostor Ltd", "anhui",
	})
	e2 := refused(t, ledgererr.Conflict, err)
	assert.Contains(t, e2.Message, "is registered in JiangsuMSP")
	_, err = admin.Evaluate(callCtx(t), "participants:Get", []string{newID})
	refused(t, ledgererr.NotFound, err)
}

// unregisteredCert is a certificate of org's CA that no participant holds and no admin does (an admin's is refused
// first of all): its peer's, for refusals that come after the certificate's.
func unregisteredCert(t *testing.T, org string) string {
	t.Helper()
	o, err := testNet.Config().Org(org)
	require.NoError(t, err)
	cert, _, err := fabricca.MSPFiles(filepath.Join(testNet.Config().NodeDir(o, fabricnet.NodePeer), "msp"))
	require.NoError(t, err)
	b, err := os.ReadFile(cert)
	require.NoError(t, err)
	return string(b)
}

// Regions are bound to orgs by the market rules, set at deployment from the
// channel's MSP definitions: each org is bound to its region with its CA's
// certificate; an org's admin registers members in its own region only, its
// operator decides nothing of another region, and no single org can rebind
// the regions (a change needs a majority of the orgs).
func TestRegionsAreBoundByTheMarketRules(t *testing.T) {
	anhuiAdmin := member(t, "anhui", "Admin")
	var rules model.MarketRules
	evaluate(t, anhuiAdmin, &rules, "market:GetRules", nil)
	require.Len(t, rules.Orgs, len(testNet.Config().Orgs))
	for _, o := range testNet.Config().Orgs {
		org, ok := rules.Org(o.MSPID)
		require.True(t, ok, o.MSPID)
		assert.Equal(t, o.Key, org.Region)
		ca, err := os.ReadFile(caCertFile(t, o.Domain))
		require.NoError(t, err)
		require.Len(t, org.RootCerts, 1)
		assert.Equal(t, strings.TrimSpace(string(ca)), strings.TrimSpace(org.RootCerts[0]), "the channel's CA of %s", o.MSPID)
		assert.True(t, rules.IsRegulator(o.MSPID, demo.ParticipantID(o.Key, "regulator")))
	}

	// Anhui cannot register a member in Jiangsu's region.
	_, err := anhuiAdmin.Submit(callCtx(t), "participants:Register", []string{
		id("ah-in-js"), unregisteredCert(t, "anhui"), "operator", demo.USCC("anhui", "operator"), "Anhui Exchange", "jiangsu",
	})
	e := refused(t, ledgererr.InvalidArgument, err)
	assert.Equal(t, "region", e.Field)

	// Anhui's operator decides nothing of a Jiangsu application.
	assetID := id("js-asset")
	submit(t, member(t, "jiangsu", "holder"), nil, "assets:Apply", []string{assetID, "Jiangsu data", "energy", "jiangsu", "d", sha256Hex(assetID)})
	_, err = member(t, "anhui", "operator").Submit(callCtx(t), "assets:Review", []string{assetID, "APPROVE", ""})
	refused(t, ledgererr.Forbidden, err)

	// Anhui alone approves a swap of its region with Jiangsu's: never in force.
	swap := rules.Rules
	swap.Version++
	swap.Orgs = append([]model.MarketOrg(nil), rules.Orgs...)
	for i := range swap.Orgs {
		switch swap.Orgs[i].Region {
		case "anhui":
			swap.Orgs[i].Region = "jiangsu"
		case "jiangsu":
			swap.Orgs[i].Region = "anhui"
		}
	}
	doc, err := json.Marshal(swap)
	require.NoError(t, err)
	submit(t, anhuiAdmin, nil, "market:Approve", []string{string(doc)})
	_, err = anhuiAdmin.Submit(callCtx(t), "market:Apply", []string{string(doc)})
	e = refused(t, ledgererr.Conflict, err)
	assert.Contains(t, e.Message, "approved by 1 of the 4 orgs (AnhuiMSP)")
	var after model.MarketRules
	evaluate(t, anhuiAdmin, &after, "market:GetRules", nil)
	assert.Equal(t, rules.Hash, after.Hash)
}

// caCertFile is the org's CA certificate as the network's enrollment wrote it (the same
// certificate the channel's MSP definition of the org holds).
func caCertFile(t *testing.T, domain string) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(testNet.Config().StateDir(), "organizations", "peerOrganizations", domain, "msp", "cacerts", "*.pem"))
	require.NoError(t, err)
	require.Len(t, matches, 1)
	return matches[0]
}
