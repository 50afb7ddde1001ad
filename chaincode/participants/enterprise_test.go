package participants_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// One enterprise, one identity on the ledger: an org admin cannot register a
// member of its own org for an enterprise another org holds (the way an
// Anhui member once acted as a Jiangsu enterprise in credit), so an
// enterprise's USCC names the members of one org only. Within the org that
// holds it, the enterprise may have several participants (its staff).
func TestEnterpriseIsOneIdentityOnTheLedger(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	f.register(f.shAdmin, "sh.bob", f.bob, "buyer", usccA, "shanghai").MustOK(t) // a colleague

	before := f.net.Ledger().StateKeys()
	// Anhui's own CA certifies the USCC (its gateway onboarded the impostor).
	r := f.register(f.ahAdmin, "ah.impostor", member(f.anhui, "impostor", usccA), "holder,buyer", usccA, "anhui")
	requireRefused(t, f, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, "enterprise "+usccA+" is registered in ShanghaiMSP")
	assert.Equal(t, before, f.net.Ledger().StateKeys())

	var e model.Enterprise
	f.net.Evaluate(f.carol, "participants:GetEnterprise", usccA).Unmarshal(t, &e)
	assert.Equal(t, model.Enterprise{USCC: usccA, MSPID: "ShanghaiMSP", Region: "shanghai", RegisteredAt: e.RegisteredAt, Certified: true}, e)
	requireRefused(t, f, f.net.Evaluate(f.carol, "participants:GetEnterprise", usccB), ledgererr.NotFound, "")
	// The binding belongs to Shanghai: its peers alone endorse a change (bindingIn).
	assert.Equal(t, chaincodetest.KeyPolicy("ShanghaiMSP"), f.net.Ledger().ValidationParameter(chaincodetest.Key("enterprise~org", usccA, "ShanghaiMSP")))
}

// Moving an enterprise between regions is an explicit procedure: the old
// region's admin releases it (its participants there are RELEASED and never
// act again, their certificates' identities free), then the new region's
// admin registers it.
func TestReleaseEnterpriseThenRegisterInAnotherRegion(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	f.register(f.shAdmin, "sh.bob", f.bob, "buyer", usccA, "shanghai").MustOK(t)
	other := member(f.shanghai, "other", usccB)
	f.register(f.shAdmin, "sh.other", other, "buyer", usccB, "shanghai").MustOK(t)

	requireRefused(t, f, f.net.Submit(f.alice, "participants:ReleaseEnterprise", usccA, "moving to Hefei"), ledgererr.Forbidden, "")
	requireRefused(t, f, f.net.Submit(f.ahAdmin, "participants:ReleaseEnterprise", usccA, "moving to Hefei"), ledgererr.Forbidden, "")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:ReleaseEnterprise", usccA, ""), ledgererr.InvalidArgument, "reason")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:ReleaseEnterprise", "91", "x"), ledgererr.InvalidArgument, "uscc")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:ReleaseEnterprise", "91110108551385082Q", "x"), ledgererr.NotFound, "")

	var rel model.Release
	f.net.Submit(f.shAdmin, "participants:ReleaseEnterprise", usccA, "moving to Hefei").Unmarshal(t, &rel)
	assert.Equal(t, []string{"sh.alice", "sh.bob"}, rel.ParticipantIDs)
	assert.Equal(t, "ShanghaiMSP", rel.MSPID)
	events := f.net.Ledger().Events()
	assert.Equal(t, model.EventEnterpriseReleased, events[len(events)-1].Name)
	assert.JSONEq(t, `{"uscc":"`+usccA+`","mspId":"ShanghaiMSP","participantIds":["sh.alice","sh.bob"]}`, string(events[len(events)-1].Payload))

	// The released participants never act again; the other enterprise's does.
	requireRefused(t, f, f.net.Evaluate(f.alice, "participants:WhoAmI"), ledgererr.Forbidden, "")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:Reinstate", "sh.alice"), ledgererr.Conflict, "")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:Suspend", "sh.alice", "x"), ledgererr.Conflict, "")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:SetRoles", "sh.alice", "buyer"), ledgererr.Conflict, "")
	moved := f.net.Submit(f.shAdmin, "participants:SetDivision", "sh.alice", "310101")
	requireRefused(t, f, moved, ledgererr.Conflict, "")
	assert.Contains(t, moved.Message, "RELEASED and never acts again")
	var p model.Participant
	f.net.Evaluate(f.carol, "participants:Get", "sh.alice").Unmarshal(t, &p)
	assert.Equal(t, model.ParticipantReleased, p.Status)
	assert.Equal(t, "moving to Hefei", p.StatusReason)
	f.net.Evaluate(other, "participants:WhoAmI").MustOK(t)

	// The new region registers the enterprise; the old one cannot take it back.
	f.register(f.ahAdmin, "ah.alice", member(f.anhui, "alice", usccA), "holder", usccA, "anhui").MustOK(t)
	requireRefused(t, f, f.register(f.shAdmin, "sh.alice2", member(f.shanghai, "alice2", usccA), "holder", usccA, "shanghai"), ledgererr.Conflict, "")
	var e model.Enterprise
	f.net.Evaluate(f.carol, "participants:GetEnterprise", usccA).Unmarshal(t, &e)
	assert.Equal(t, "AnhuiMSP", e.MSPID)
	// A released certificate's identity is free again in its org: bob, now
	// certified for another enterprise (same subject, same CA), registers.
	bob := member(f.shanghai, "bob", usccB)
	f.register(f.shAdmin, "sh.bob2", bob, "buyer", usccB, "shanghai").MustOK(t)
	var me model.Participant
	f.net.Evaluate(bob, "participants:WhoAmI").Unmarshal(t, &me)
	assert.Equal(t, "sh.bob2", me.ID)
	require.Equal(t, usccB, me.USCC)
}
