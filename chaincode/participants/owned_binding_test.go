package participants_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// withRules applies the next version of the market rules, changed by edit, approved by the admins given.
func (m *threeRegions) withRules(t *testing.T, admins []chaincodetest.Identity, edit func(r *model.Rules)) {
	t.Helper()
	current := rulestest.Current(t, m.net, m.shAdmin).Rules
	next := current
	next.Orgs, next.Released = slices.Clone(current.Orgs), slices.Clone(current.Released)
	next.Version++
	edit(&next)
	rulestest.Change(t, m.net, admins, &next)
}

// withoutOrgs drops the orgs named from the rules.
func withoutOrgs(mspIDs ...string) func(r *model.Rules) {
	return func(r *model.Rules) {
		r.Orgs = slices.DeleteFunc(r.Orgs, func(o model.MarketOrg) bool { return slices.Contains(mspIDs, o.MSPID) })
	}
}

// requireHeldBy checks that GetEnterprise answers mspID as the org of usccA.
func (m *threeRegions) requireHeldBy(t *testing.T, mspID string) {
	t.Helper()
	var e model.Enterprise
	m.net.Evaluate(m.alice, "participants:GetEnterprise", usccA).Unmarshal(t, &e)
	assert.Equal(t, mspID, e.MSPID)
}

// A binding is its org's alone: Shanghai and Zhejiang, two of the three orgs, running chaincode of their own,
// can neither rewrite nor delete Anhui's binding, whatever the market becomes; fewer than its org never could,
// and a majority frees the enterprise through the rules instead (removal, released), which it can answer for.
func TestNoCoalitionWithoutTheOwnerWritesItsBinding(t *testing.T) {
	m := newThreeRegions(t)
	var keys []string
	for _, k := range m.net.Ledger().StateKeys() {
		if strings.HasPrefix(k, "\x00enterprise~org") && strings.Contains(k, usccA) {
			keys = append(keys, k)
		}
	}
	require.Len(t, keys, 1, "Anhui's binding")
	taken := chaincodetest.JSON(t, model.Enterprise{USCC: usccA, MSPID: "ShanghaiMSP", Region: "shanghai", RegisteredAt: state0, Certified: true})
	for _, writes := range []chaincodetest.Writes{{keys[0]: taken}, {keys[0]: nil}} { // rewritten, deleted
		r := m.net.Forge(m.shAdmin, writes, "ShanghaiMSP", "ZhejiangMSP")
		assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	}
	m.requireHeldBy(t, "AnhuiMSP")
}

// state0 is a registration time before any the tests make.
const state0 = "2026-01-01T00:00:00Z"

// Removing the org that holds an enterprise frees it for an org the rules name, endorsed by that org alone: no
// removed org (Anhui, which held it, nor Zhejiang, which named it when it was bound) endorses the registration.
func TestARemovedOwnersEnterpriseBindsWithoutAnyRemovedOrg(t *testing.T) {
	m := newThreeRegions(t)
	m.withRules(t, []chaincodetest.Identity{m.shAdmin, m.zjAdmin}, withoutOrgs("AnhuiMSP", "ZhejiangMSP"))
	m.register(m.shAdmin, "sh.alice", m.alice, "shanghai", "ShanghaiMSP").MustOK(t)
	m.requireHeldBy(t, "ShanghaiMSP")
}

// An org a majority removed and then names again does not get back an enterprise the market bound elsewhere
// meanwhile; nor does an org whose release the rules drop: the binding made while its own was void wins, and the
// old org's member for it acts no more (caller resolution refuses it).
func TestAnEnterpriseBoundElsewhereStaysThereWhenItsOldOrgIsBack(t *testing.T) {
	for name, void := range voidings {
		t.Run(name, func(t *testing.T) {
			m := newThreeRegions(t)
			m.bindElsewhere(t, void[0], void[1])
			m.net.Evaluate(m.alice, "participants:WhoAmI").MustOK(t)
			r := m.net.Evaluate(m.squatter, "participants:WhoAmI")
			registertest.RequireCode(t, r, ledgererr.Forbidden, "")
			assert.Contains(t, r.Message, "which the market rules in force bind to ShanghaiMSP (region shanghai)", "Anhui's old member acts for it no more")
			r = m.register(m.ahAdmin, "ah.squatter2", member(m.anhui, "squatter2", usccA), "anhui")
			registertest.RequireCode(t, r, ledgererr.Conflict, "")
			assert.Contains(t, r.Message, "is registered in ShanghaiMSP (region shanghai)")
		})
	}
}

// The binding in force is read in one request to the peer, the keys of the orgs the rules name (and the key of
// ledgers older than 11.0.0, and the enterprise's last generation), where a range over the USCC's keys and then their values took two: GetEnterprise
// costs the rules and that request, and a member acting for an enterprise costs its caller resolution that one
// request more (its org's binding checked); a member whose certificate certifies none costs none more. The record is
// read with its registration (participant~cert, 16.0.0) in one request, where one GET_STATE read the record alone.
func TestTheBindingInForceIsReadInOneRequest(t *testing.T) {
	m := newThreeRegions(t)
	reads := func(r chaincodetest.Result) []string {
		r.MustOK(t)
		return slices.DeleteFunc(slices.Clone(r.Requests), func(req string) bool { return !strings.HasPrefix(req, "GET_") })
	}
	assert.Equal(t, []string{"GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE"}, reads(m.net.Evaluate(m.squatter, "participants:GetEnterprise", usccA)))
	who := m.net.Evaluate(m.squatter, "participants:WhoAmI")
	assert.Equal(t, []string{"GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE"}, reads(who))
	assert.Contains(t, who.Reads, chaincodetest.Key("participant~cert", "ah.squatter"), "its registration, in the request of its record")
	assert.Contains(t, who.Reads, chaincodetest.Key("enterprise~gen", usccA), "the last generation, in the same request: a later binding of an org the rules no longer name still supersedes")
	staff := m.anhui.Issue("staff", "client")
	m.net.Submit(m.ahAdmin, "participants:Register", "ah.staff", string(staff.CertPEM), "operator", usccB, "Anhui exchange staff", "anhui").MustOK(t)
	assert.Equal(t, []string{"GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE"}, reads(m.net.Evaluate(staff, "participants:WhoAmI")))
}

// An enterprise the market bound elsewhere while its old org's binding was void does not fall back to that org when
// the org that holds it releases it (to move it on): the old org's binding stays behind the released one, so its old
// member acts no more and a third org registers the enterprise.
func TestAReleasedEnterpriseDoesNotFallBackToAnOldBinding(t *testing.T) {
	m := newThreeRegions(t)
	majority := []chaincodetest.Identity{m.shAdmin, m.zjAdmin}
	m.withRules(t, majority, withoutOrgs("AnhuiMSP"))
	m.register(m.shAdmin, "sh.alice", m.alice, "shanghai", "ShanghaiMSP", "ZhejiangMSP").MustOK(t)
	m.withRules(t, majority, func(r *model.Rules) { r.Orgs = m.rules.Orgs })

	m.net.Submit(m.shAdmin, "participants:ReleaseEnterprise", usccA, "moves to Zhejiang").MustOK(t)

	registertest.RequireCode(t, m.net.Evaluate(m.alice, "participants:GetEnterprise", usccA), ledgererr.NotFound, "")
	registertest.RequireCode(t, m.net.Evaluate(m.squatter, "participants:WhoAmI"), ledgererr.Forbidden, "")
	bob := member(m.zhejiang, "bob", usccA)
	m.register(m.zjAdmin, "zj.bob", bob, "zhejiang").MustOK(t)
	m.requireHeldBy(t, "ZhejiangMSP")
	registertest.RequireCode(t, m.net.Evaluate(m.squatter, "participants:WhoAmI"), ledgererr.Forbidden, "")
	// Shanghai releases nothing more; Anhui still releases its own old binding.
	registertest.RequireCode(t, m.net.Submit(m.shAdmin, "participants:ReleaseEnterprise", usccA, "again"), ledgererr.Forbidden, "")
	m.net.Submit(m.ahAdmin, "participants:ReleaseEnterprise", usccA, "leaving").MustOK(t)
	m.requireHeldBy(t, "ZhejiangMSP")
}

// A registration that binds an enterprise where another org's binding of it was void names the enterprise in its
// event (uscc): that org's members, acting for the enterprise no more, are named nowhere else, and a client watching
// them (the gateway's event stream) reads their standing again on it. A suspension names it too (one payload for
// every registry event); staff, who bind no enterprise, name none.
func TestARegistryEventNamesTheEnterpriseItsParticipantActsFor(t *testing.T) {
	m := newThreeRegions(t)
	majority := []chaincodetest.Identity{m.shAdmin, m.zjAdmin}
	m.withRules(t, majority, withoutOrgs("AnhuiMSP"))
	m.register(m.shAdmin, "sh.alice", m.alice, "shanghai", "ShanghaiMSP", "ZhejiangMSP").MustOK(t)
	lastEvent := func() model.ParticipantEvent {
		events := m.net.Ledger().Events()
		var p model.ParticipantEvent
		require.NoError(t, json.Unmarshal(events[len(events)-1].Payload, &p))
		return p
	}
	assert.Equal(t, model.ParticipantEvent{ParticipantID: "sh.alice", MSPID: "ShanghaiMSP", USCC: usccA}, lastEvent())

	m.net.Submit(m.shAdmin, "participants:Suspend", "sh.alice", "audit").MustOK(t)
	assert.Equal(t, model.ParticipantEvent{ParticipantID: "sh.alice", MSPID: "ShanghaiMSP", USCC: usccA}, lastEvent())

	m.net.Invoke(m.zjAdmin, chaincodetest.Call{Function: "participants:Register",
		Args: []string{"zj.staff", string(m.zhejiang.Issue("staff", "client").CertPEM), "operator", usccB, "Zhejiang Exchange", "zhejiang"}}).MustOK(t)
	assert.Equal(t, model.ParticipantEvent{ParticipantID: "zj.staff", MSPID: "ZhejiangMSP"}, lastEvent())
}
