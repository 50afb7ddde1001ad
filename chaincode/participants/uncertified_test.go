package participants_test

import (
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/participants"
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
	r := net.Forge(admin, chaincodetest.Writes{chaincodetest.Key("participant", id): chaincodetest.JSON(t, &p)}, mspID)
	r.MustOK(t)
	assert.Equal(t, "VALID", r.ValidationCode, "the record is its org's alone")
}

// unregister deletes participant id's registration (participant~cert), as a ledger before 16.0.0 has none.
func unregister(t *testing.T, net *chaincodetest.Network, admin chaincodetest.Identity, id string) {
	t.Helper()
	net.SubmitFunc(admin, func(stub shim.ChaincodeStubInterface) error {
		return stub.DelState(chaincodetest.Key("participant~cert", id))
	}).MustOK(t)
}

// Whether a participant acts for an enterprise is not its record's word, which its org alone rewrites: Anhui, its
// binding of usccA released by the majority's rules or superseded by Shanghai's, clears its member's certifiedRoles
// (and moves it to another USCC, or not). Its member acts no more: its registration (from 16.0.0) says what its
// certificate certified, and a record registered before, which has none, is held to its certificate, which certifies
// usccA.
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
			for _, before16 := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s, %s, registered before 16.0.0: %t", name, edit, before16), func(t *testing.T) {
					m := newThreeRegions(t)
					if before16 {
						unregister(t, m.net, m.shAdmin, "ah.squatter")
					}
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
}

// A record registered for an enterprise is held to it whatever certificate its member presents: Anhui clears its
// member's certifiedRoles and its CA issues the member a certificate of its identity and key that certifies no
// enterprise. The member acts no more, nor receives (participants.GetRecipient). A record registered before 16.0.0
// has no registration: its member then acts as staff, in operator and regulator only (a known limit).
func TestARegisteredRecordIsHeldToItsEnterpriseWhateverItsCertificate(t *testing.T) {
	f := newFixture(t)
	f.register(f.ahAdmin, "ah.carol", f.carol, "buyer,operator", usccB, "anhui").MustOK(t)
	rewriteRecord(t, f.net, f.ahAdmin, "AnhuiMSP", "ah.carol", func(p *model.Participant) { p.CertifiedRoles = nil })
	staffCert := f.anhui.Reissue(f.carol, nil)
	r := f.net.Evaluate(staffCert, "participants:WhoAmI")
	registertest.RequireCode(t, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, `participant "ah.carol" was registered for enterprise `+usccB)
	var recipientErr error
	f.within(f.shAdmin, func(ctx contractapi.TransactionContextInterface) error {
		_, recipientErr = participants.GetRecipient(ctx, "ah.carol")
		return nil
	}).MustOK(t)
	assert.Equal(t, ledgererr.Forbidden, ledgererr.CodeOf(recipientErr), "%v", recipientErr)

	unregister(t, f.net, f.shAdmin, "ah.carol")
	var me model.Participant
	f.net.Evaluate(staffCert, "participants:WhoAmI").Unmarshal(t, &me)
	assert.Equal(t, []string{model.RoleOperator}, me.Roles)
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
