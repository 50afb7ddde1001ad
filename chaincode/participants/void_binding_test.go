package participants_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// No single region keeps an enterprise out of the market: Anhui's CA certifies a Shanghai enterprise and Anhui's
// admin registers it first, binding it to Anhui, so Shanghai's registration is a CONFLICT. A majority (Shanghai
// and Zhejiang) removes Anhui from the market rules: the binding is void at once (GetEnterprise answers NOT_FOUND,
// Anhui's member no longer acts), and Shanghai registers the enterprise with the endorsement of the majority alone,
// Anhui's peers never asked.
func TestAMajorityRemovingAnOrgFreesTheEnterprisesItHolds(t *testing.T) {
	shanghai, anhui, zhejiang := chaincodetest.NewCA("ShanghaiMSP"), chaincodetest.NewCA("AnhuiMSP"), chaincodetest.NewCA("ZhejiangMSP")
	net := chaincodetest.NewNetwork(newChaincode(t), chaincodetest.WithOrgs(shanghai, anhui, zhejiang), chaincodetest.WithEndorsementPlanning())
	eventschema.Watch(t, net)
	shAdmin, ahAdmin, zjAdmin := shanghai.Issue("Admin@shanghai", "admin"), anhui.Issue("Admin@anhui", "admin"), zhejiang.Issue("Admin@zhejiang", "admin")
	rules := rulestest.Rules([]rulestest.Org{{CA: shanghai, Region: "shanghai"}, {CA: anhui, Region: "anhui"}, {CA: zhejiang, Region: "zhejiang"}})
	rulestest.Init(t, net, shAdmin, rules)
	register := func(admin chaincodetest.Identity, id string, who chaincodetest.Identity, region string, endorsers ...string) chaincodetest.Result {
		return net.Invoke(admin, chaincodetest.Call{Function: "participants:Register", Endorsers: endorsers,
			Args: []string{id, string(who.CertPEM), "holder", usccA, "Test Enterprise Ltd", region}})
	}
	squatter, alice := member(anhui, "squatter", usccA), member(shanghai, "alice", usccA)
	register(ahAdmin, "ah.squatter", squatter, "anhui").MustOK(t)
	r := register(shAdmin, "sh.alice", alice, "shanghai")
	registertest.RequireCode(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, "is registered in AnhuiMSP (region anhui)")

	removal := *rules
	removal.Version = 2
	removal.Orgs = nil
	for _, o := range rules.Orgs {
		if o.MSPID != "AnhuiMSP" {
			removal.Orgs = append(removal.Orgs, o)
		}
	}
	rulestest.Change(t, net, []chaincodetest.Identity{shAdmin, zjAdmin}, &removal)

	registertest.RequireCode(t, net.Evaluate(alice, "participants:GetEnterprise", usccA), ledgererr.NotFound, "")
	registertest.RequireCode(t, net.Evaluate(squatter, "participants:WhoAmI"), ledgererr.Forbidden, "")
	register(shAdmin, "sh.alice", alice, "shanghai", "ShanghaiMSP", "ZhejiangMSP").MustOK(t)
	var e model.Enterprise
	net.Evaluate(alice, "participants:GetEnterprise", usccA).Unmarshal(t, &e)
	assert.Equal(t, "ShanghaiMSP", e.MSPID)
	assert.Equal(t, "shanghai", e.Region)
	// The removed org may still release what it holds no longer: the enterprise is Shanghai's now.
	registertest.RequireCode(t, net.Submit(ahAdmin, "participants:ReleaseEnterprise", usccA, "leaving"), ledgererr.Forbidden, "")
}

// After a majority moves Anhui's org to Zhejiang, the registry answers what the rules in force say, not what they
// said at registration: GetEnterprise and the CONFLICT of another org's registration name the region zhejiang,
// and carol, placed in a Hefei district when she was registered, is in Zhejiang's own division (WhoAmI), so that
// what she applies for no longer counts in Anhui's figures.
func TestAMovedOrgsEnterprisesAndMembersAreInItsRegionNow(t *testing.T) {
	f := newFixture(t)
	carol := f.anhui.IssueWithAttributes("carol", "client", map[string]string{
		model.AttrUSCC: usccB, model.AttrRoles: "holder", model.AttrDivision: "340102"})
	f.register(f.ahAdmin, "ah.carol", carol, "holder", usccB, "anhui").MustOK(t)
	rulestest.Change(t, f.net, []chaincodetest.Identity{f.shAdmin, f.ahAdmin}, f.anhuiMovedTo("zhejiang"))

	var e model.Enterprise
	f.net.Evaluate(f.alice, "participants:GetEnterprise", usccB).Unmarshal(t, &e)
	assert.Equal(t, "zhejiang", e.Region)
	r := f.register(f.shAdmin, "sh.carol", member(f.shanghai, "carol2", usccB), "holder", usccB, "shanghai")
	requireRefused(t, f, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, "is registered in AnhuiMSP (region zhejiang)")

	me := f.whoIs(t, carol)
	assert.Equal(t, "zhejiang", me.Region)
	assert.Equal(t, "330000", me.Division, "Hefei's district is no longer its org's region's")
}
