package participants_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// rewriteRecord has org mspID's peers alone rewrite participant id's record, edited by edit, as chaincode of their
// own would: the record is that org's alone, so the write is valid.
func rewriteRecord(t *testing.T, net *chaincodetest.Network, admin chaincodetest.Identity, mspID, id string, edit func(p *model.Participant)) {
	t.Helper()
	var p model.Participant
	net.Evaluate(admin, "participants:Get", id).Unmarshal(t, &p)
	edit(&p)
	r := forge(t, net, admin, mspID, chaincodetest.Key("participant", id), &p)
	r.MustOK(t)
	assert.Equal(t, "VALID", r.ValidationCode, "the record is its org's alone")
}

// Whether a participant acts for an enterprise is its certificate's word, not its record's, which its org alone
// rewrites: Anhui, its binding of usccA released by the majority's rules or superseded by Shanghai's, clears its
// member's certifiedRoles (and moves it to another USCC, or not); its member, whose certificate certifies usccA,
// acts no more.
func TestAnOrgClearingItsMembersCertificationEscapesNoBinding(t *testing.T) {
	for name, void := range map[string]func(m *threeRegions){
		"released by the rules": func(m *threeRegions) {
			m.withRules(t, []chaincodetest.Identity{m.shAdmin, m.zjAdmin}, func(r *model.Rules) {
				r.Released = []model.ReleasedEnterprise{{USCC: usccA, MSPID: "AnhuiMSP"}}
			})
		},
		"bound elsewhere": func(m *threeRegions) {
			m.bindElsewhere(t, voidings["removed and named again"][0], voidings["removed and named again"][1])
		},
	} {
		for edit, uscc := range map[string]string{"same USCC": usccA, "another USCC": usccB} {
			t.Run(name+", "+edit, func(t *testing.T) {
				m := newThreeRegions(t)
				void(m)
				registertest.RequireCode(t, m.net.Evaluate(m.squatter, "participants:WhoAmI"), ledgererr.Forbidden, "")
				rewriteRecord(t, m.net, m.ahAdmin, "AnhuiMSP", "ah.squatter", func(p *model.Participant) {
					p.CertifiedRoles, p.USCC, p.Roles = nil, uscc, []string{model.RoleBuyer, model.RoleHolder}
				})
				registertest.RequireCode(t, m.net.Evaluate(m.squatter, "participants:WhoAmI"), ledgererr.Forbidden, "")
			})
		}
	}
}

// A participant whose certificate certifies no enterprise acts as staff, in model.StaffRoles only, whatever its
// record says: Anhui's peers alone give its staff member the buyer and holder roles, which Register and SetRoles
// refuse it; the member acts as operator only.
func TestAnUncertifiedParticipantActsInStaffRolesOnly(t *testing.T) {
	m := newThreeRegions(t)
	staff := m.anhui.Issue("staff", "client")
	m.net.Submit(m.ahAdmin, "participants:Register", "ah.staff", string(staff.CertPEM), "operator", usccB, "Anhui exchange staff", "anhui").MustOK(t)
	rewriteRecord(t, m.net, m.ahAdmin, "AnhuiMSP", "ah.staff", func(p *model.Participant) {
		p.Roles = []string{model.RoleBuyer, model.RoleHolder, model.RoleOperator}
	})
	var me model.Participant
	m.net.Evaluate(staff, "participants:WhoAmI").Unmarshal(t, &me)
	assert.Equal(t, []string{model.RoleOperator}, me.Roles)
	assert.Empty(t, me.CertifiedRoles)
}
