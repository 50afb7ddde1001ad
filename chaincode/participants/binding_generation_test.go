package participants_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The binding made later is the one in force whatever the stamps say: Shanghai's registrar, binding the enterprise
// while Anhui is removed, stamps its registration as far back as the peers accept (before Anhui's own), and when
// the majority names Anhui again the enterprise is still Shanghai's, Anhui's old member refused.
func TestTheBindingMadeLaterWinsWhateverItsStamp(t *testing.T) {
	m := newThreeRegions(t)
	majority := []chaincodetest.Identity{m.shAdmin, m.zjAdmin}
	m.withRules(t, majority, withoutOrgs("AnhuiMSP"))
	m.net.Invoke(m.shAdmin, chaincodetest.Call{Function: "participants:Register", Timestamp: m.net.StampFarBehind(),
		Endorsers: []string{"ShanghaiMSP", "ZhejiangMSP"},
		Args:      []string{"sh.alice", string(m.alice.CertPEM), "holder", usccA, "Test Enterprise Ltd", "shanghai"}}).MustOK(t)
	m.withRules(t, majority, func(r *model.Rules) { r.Orgs = m.rules.Orgs })

	m.requireHeldBy(t, "ShanghaiMSP")
	r := m.net.Evaluate(m.squatter, "participants:WhoAmI")
	registertest.RequireCode(t, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "which the market rules in force bind to ShanghaiMSP")
}

// A binding another org's later one superseded stays out of force when a majority removes that org, whether it still
// held the enterprise or had released it: the enterprise is free (GetEnterprise NOT_FOUND), Anhui's old member acts
// no more, and Zhejiang registers it.
func TestASupersededBindingStaysOutWhenTheLaterOrgIsRemoved(t *testing.T) {
	for name, released := range map[string]bool{"holding": false, "after releasing it": true} {
		t.Run(name, func(t *testing.T) {
			m := newThreeRegions(t)
			m.withRules(t, []chaincodetest.Identity{m.shAdmin, m.zjAdmin}, withoutOrgs("AnhuiMSP"))
			m.register(m.shAdmin, "sh.alice", m.alice, "shanghai", "ShanghaiMSP", "ZhejiangMSP").MustOK(t)
			m.withRules(t, []chaincodetest.Identity{m.shAdmin, m.zjAdmin}, func(r *model.Rules) { r.Orgs = m.rules.Orgs })
			if released {
				m.net.Submit(m.shAdmin, "participants:ReleaseEnterprise", usccA, "moves on").MustOK(t)
			}
			m.withRules(t, []chaincodetest.Identity{m.ahAdmin, m.zjAdmin}, withoutOrgs("ShanghaiMSP"))

			registertest.RequireCode(t, m.net.Evaluate(m.squatter, "participants:GetEnterprise", usccA), ledgererr.NotFound, "")
			registertest.RequireCode(t, m.net.Evaluate(m.squatter, "participants:WhoAmI"), ledgererr.Forbidden, "")
			m.register(m.zjAdmin, "zj.bob", member(m.zhejiang, "bob", usccA), "zhejiang", "AnhuiMSP", "ZhejiangMSP").MustOK(t)
			var e model.Enterprise
			m.net.Evaluate(m.squatter, "participants:GetEnterprise", usccA).Unmarshal(t, &e)
			assert.Equal(t, "ZhejiangMSP", e.MSPID)
			registertest.RequireCode(t, m.net.Evaluate(m.squatter, "participants:WhoAmI"), ledgererr.Forbidden, "")
		})
	}
}
