// Package rulestest sets and changes the market rules on a chaincodetest
// network the way the deployment and the orgs do, for the tests of the
// contracts that need them: every participant registration reads them.
package rulestest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
)

// Org is one org of a test channel: its CA and the region it is the
// exchange of.
type Org struct {
	CA     *chaincodetest.CA
	Region string
}

// Rules returns version 1 of the rules of a test market: the orgs with their
// CA root certificates, the regulators named, and the default notice period.
func Rules(orgs []Org, regulators ...model.Regulator) *model.Rules {
	r := &model.Rules{Version: 1, NoticePeriodSeconds: model.DefaultNoticePeriodSeconds, Regulators: append([]model.Regulator{}, regulators...)}
	for _, o := range orgs {
		r.Orgs = append(r.Orgs, model.MarketOrg{
			MSPID: o.CA.MSPID(), Region: o.Region, RootCerts: []string{string(o.CA.CertificatePEM())}, IntermediateCerts: []string{},
		})
	}
	return r
}

// Admin issues an admin identity of the CA's org.
func Admin(ca *chaincodetest.CA) chaincodetest.Identity {
	return ca.Issue("rules-admin."+ca.MSPID(), "admin")
}

// Member issues a client identity of the CA's org whose certificate certifies
// the enterprise uscc, its comma-separated roles and its legal name, as a
// region's CA does for a member its gateway onboarded (model.AttrUSCC,
// AttrRoles, AttrLegalName). participants:Register takes these from the
// certificate: uscc and name must be the certified ones, roles some of them.
func Member(ca *chaincodetest.CA, commonName, uscc, roles, name string) chaincodetest.Identity {
	return ca.IssueWithAttributes(commonName, "client", map[string]string{
		model.AttrUSCC: uscc, model.AttrRoles: roles, model.AttrLegalName: name,
	})
}

// JSON encodes rules as the contract's functions take them.
func JSON(t testing.TB, r *model.Rules) string {
	t.Helper()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return string(b)
}

// Init sets the first rules as admin, as the deployment does.
func Init(t testing.TB, net *chaincodetest.Network, admin chaincodetest.Identity, r *model.Rules) {
	t.Helper()
	net.Submit(admin, "market:Init", JSON(t, r)).MustOK(t)
}

// Change puts r in force as the orgs do: the admin of each of the given
// orgs (a majority) approves exactly r, then the first applies it. r's
// version must follow the rules in force.
func Change(t testing.TB, net *chaincodetest.Network, admins []chaincodetest.Identity, r *model.Rules) {
	t.Helper()
	doc := JSON(t, r)
	for _, a := range admins {
		net.Submit(a, "market:Approve", doc).MustOK(t)
	}
	net.Submit(admins[0], "market:Apply", doc).MustOK(t)
}

// Current reads the rules in force.
func Current(t testing.TB, net *chaincodetest.Network, who chaincodetest.Identity) *model.MarketRules {
	t.Helper()
	var r model.MarketRules
	net.Evaluate(who, "market:GetRules").Unmarshal(t, &r)
	return &r
}
