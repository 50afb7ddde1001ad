package participants_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// threeRegions is a market of Shanghai, Anhui and Zhejiang, where two orgs are a majority, in which Anhui's CA
// certified a Shanghai enterprise (usccA) and Anhui's admin registered it first, binding it to Anhui: Shanghai's
// registration of it is a CONFLICT.
type threeRegions struct {
	net                       *chaincodetest.Network
	rules                     *model.Rules
	shAdmin, ahAdmin, zjAdmin chaincodetest.Identity
	squatter, alice           chaincodetest.Identity // Anhui's member for usccA, Shanghai's
	anhui, zhejiang           *chaincodetest.CA
}

func newThreeRegions(t *testing.T) *threeRegions {
	shanghai, anhui, zhejiang := chaincodetest.NewCA("ShanghaiMSP"), chaincodetest.NewCA("AnhuiMSP"), chaincodetest.NewCA("ZhejiangMSP")
	m := &threeRegions{
		net:     chaincodetest.NewNetwork(newChaincode(t), chaincodetest.WithOrgs(shanghai, anhui, zhejiang), chaincodetest.WithEndorsementPlanning()),
		rules:   rulestest.Rules([]rulestest.Org{{CA: shanghai, Region: "shanghai"}, {CA: anhui, Region: "anhui"}, {CA: zhejiang, Region: "zhejiang"}}),
		shAdmin: shanghai.Issue("Admin@shanghai", "admin"), ahAdmin: anhui.Issue("Admin@anhui", "admin"), zjAdmin: zhejiang.Issue("Admin@zhejiang", "admin"),
		squatter: member(anhui, "squatter", usccA), alice: member(shanghai, "alice", usccA), anhui: anhui, zhejiang: zhejiang,
	}
	eventschema.Watch(t, m.net)
	rulestest.Init(t, m.net, m.shAdmin, m.rules)
	m.register(m.ahAdmin, "ah.squatter", m.squatter, "anhui").MustOK(t)
	r := m.register(m.shAdmin, "sh.alice", m.alice, "shanghai")
	registertest.RequireCode(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, "is registered in AnhuiMSP (region anhui)")
	return m
}

// register registers who for usccA, endorsed by the endorsers given (by planning when none).
func (m *threeRegions) register(admin chaincodetest.Identity, id string, who chaincodetest.Identity, region string, endorsers ...string) chaincodetest.Result {
	return m.net.Invoke(admin, chaincodetest.Call{Function: "participants:Register", Endorsers: endorsers,
		Args: []string{id, string(who.CertPEM), "holder", usccA, "Test Enterprise Ltd", region}})
}

// requireFreed checks that the binding to Anhui is void (GetEnterprise NOT_FOUND, Anhui's member acts no more)
// and that Shanghai registers the enterprise with the endorsement of the majority alone, Anhui's peers never asked.
func (m *threeRegions) requireFreed(t *testing.T) {
	t.Helper()
	registertest.RequireCode(t, m.net.Evaluate(m.alice, "participants:GetEnterprise", usccA), ledgererr.NotFound, "")
	registertest.RequireCode(t, m.net.Evaluate(m.squatter, "participants:WhoAmI"), ledgererr.Forbidden, "")
	m.register(m.shAdmin, "sh.alice", m.alice, "shanghai", "ShanghaiMSP", "ZhejiangMSP").MustOK(t)
	var e model.Enterprise
	m.net.Evaluate(m.alice, "participants:GetEnterprise", usccA).Unmarshal(t, &e)
	assert.Equal(t, "ShanghaiMSP", e.MSPID)
	assert.Equal(t, "shanghai", e.Region)
	// Anhui may release its own void binding, and only that: the enterprise stays Shanghai's.
	m.net.Submit(m.ahAdmin, "participants:ReleaseEnterprise", usccA, "leaving").MustOK(t)
	m.net.Evaluate(m.alice, "participants:GetEnterprise", usccA).Unmarshal(t, &e)
	assert.Equal(t, "ShanghaiMSP", e.MSPID)
	registertest.RequireCode(t, m.net.Submit(m.ahAdmin, "participants:ReleaseEnterprise", usccA, "leaving"), ledgererr.Forbidden, "")
}

// No single region keeps an enterprise out of the market: a majority (Shanghai and Zhejiang) removing Anhui from
// the market rules voids its binding of the Shanghai enterprise at once.
func TestAMajorityRemovingAnOrgFreesTheEnterprisesItHolds(t *testing.T) {
	m := newThreeRegions(t)
	removal := *m.rules
	removal.Version = 2
	removal.Orgs = slices.DeleteFunc(slices.Clone(m.rules.Orgs), func(o model.MarketOrg) bool { return o.MSPID == "AnhuiMSP" })
	rulestest.Change(t, m.net, []chaincodetest.Identity{m.shAdmin, m.zjAdmin}, &removal)
	m.requireFreed(t)
}

// A majority releases one enterprise from an org it still names, through the market rules (released): Anhui alone
// cannot apply it, Anhui cannot register it again while the rules release it, and the binding is void as if Anhui
// were removed, while Anhui's other business goes on.
func TestAMajorityReleasesAnEnterpriseAnOrgWillNotRelease(t *testing.T) {
	m := newThreeRegions(t)
	release := *m.rules
	release.Version = 2
	release.Released = []model.ReleasedEnterprise{{USCC: usccA, MSPID: "AnhuiMSP"}}
	doc := rulestest.JSON(t, &release)
	m.net.Submit(m.shAdmin, "market:Approve", doc).MustOK(t)
	registertest.RequireCode(t, m.net.Submit(m.shAdmin, "market:Apply", doc), ledgererr.Conflict, "")
	m.net.Submit(m.zjAdmin, "market:Approve", doc).MustOK(t)
	m.net.Submit(m.shAdmin, "market:Apply", doc).MustOK(t)

	r := m.register(m.ahAdmin, "ah.squatter2", member(chaincodetest.NewCA("AnhuiMSP"), "squatter2", usccA), "anhui")
	registertest.RequireCode(t, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "the market rules release enterprise "+usccA+" from AnhuiMSP")
	m.requireFreed(t)
}

// The rules' released enterprises are checked and put in canonical order, so that equal rules hash equally.
func TestTheRulesReleaseEachEnterpriseOnceByItsUSCC(t *testing.T) {
	m := newThreeRegions(t)
	next := *m.rules
	next.Version = 2
	for _, c := range []struct {
		released []model.ReleasedEnterprise
		field    string
	}{
		{[]model.ReleasedEnterprise{{USCC: "91", MSPID: "AnhuiMSP"}}, "rules.released[0].uscc"},
		{[]model.ReleasedEnterprise{{USCC: usccA, MSPID: ""}}, "rules.released[0].mspId"},
		{[]model.ReleasedEnterprise{{USCC: usccA, MSPID: "AnhuiMSP"}, {USCC: usccA, MSPID: "AnhuiMSP"}}, "rules.released[1]"},
	} {
		next.Released = c.released
		registertest.RequireCode(t, m.net.Submit(m.shAdmin, "market:Approve", rulestest.JSON(t, &next)), ledgererr.InvalidArgument, c.field)
	}
	next.Released = []model.ReleasedEnterprise{{USCC: usccA, MSPID: "AnhuiMSP"}, {USCC: usccB, MSPID: "ZhejiangMSP"}}
	var unsorted, sorted model.RulesApproval
	m.net.Submit(m.shAdmin, "market:Approve", rulestest.JSON(t, &next)).Unmarshal(t, &unsorted)
	slices.Reverse(next.Released)
	m.net.Submit(m.zjAdmin, "market:Approve", rulestest.JSON(t, &next)).Unmarshal(t, &sorted)
	assert.Equal(t, sorted.Hash, unsorted.Hash, "sorted by USCC (913301… before 914403…)")
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
