package credit

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// notGrantedWhereHeld is the refusal of a lookup under an authorisation that
// no participant of the org holding its subject granted.
var notGrantedWhereHeld = refusal{ledgererr.Forbidden, "", "was not granted by a participant of the org that holds"}

// An authorisation is the word of the subject's participant who granted it,
// which counts only while that participant's org holds the enterprise: its
// key needs that org to endorse a revocation (RevokeAuthorization), and only
// participants of the org holding the enterprise list the lookups made under
// it (ListTraces). Once Jiangsu released the subject, no lookup is made under
// Jiangsu's grant, nor read on a trace made under it, while nobody acts for
// the enterprise to see or revoke it; once Zhejiang holds the enterprise, the
// grant would stand as long as Jiangsu, an org that no longer speaks for the
// enterprise (removed by a majority, say), declined to endorse the
// revocation. Zhejiang's members authorise anew.
func TestAnAuthorisationCountsWhileItsGrantorsOrgHoldsTheSubject(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")

	f.asAdmin(f.subject, "ReleaseEnterprise", usccSubject, "moving to Zhejiang").MustOK(t)
	f.mustRefuse(notGrantedWhereHeld, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T2", usccSubject, purposeLending, "A1")
	})
	f.mustRefuse(notGrantedWhereHeld, func() chaincodetest.Result { return f.read(f.bank, mspShanghai, "T1") })

	moved := rulestest.Member(f.cas[mspZhejiang], "subject.zj", usccSubject, "holder", "subject.zj")
	f.net.Submit(f.cas[mspZhejiang].Issue("admin.mover", "admin"), "participants:Register", "subject.zj", string(moved.CertPEM), "holder", usccSubject, "subject.zj", "zhejiang").MustOK(t)
	f.mustRefuse(notGrantedWhereHeld, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T3", usccSubject, purposeLending, "A1")
	})

	f.submit(moved, "Authorize", "A2", "bank1", purposeLending, "2026-06-01T00:00:00Z").MustOK(t)
	f.lookUp(f.bank, "T4", usccSubject, purposeLending, "A2")
}

// Nor does an authorisation written under an earlier interface by a
// participant that acts for no enterprise its certificate certifies (staff,
// whose USCC is only its admin's word: an admin registered staff under the
// code of an enterprise no org holds and granted its own org's bank a
// lookup, before staff stopped acting for credit subjects) entitle anyone:
// it is not the subject's word.
func TestAnAuthorisationByStaffEntitlesNobody(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R3", usccNobody)
	staff := f.cas[mspZhejiang].Issue("clerk1", "client")
	f.net.Submit(f.cas[mspZhejiang].Issue("admin.clerk", "admin"), "participants:Register", "clerk1", string(staff.CertPEM), "operator", usccNobody, "Clerk", "zhejiang").MustOK(t)
	old, err := json.Marshal(&model.Authorization{
		AuthID: "A-old", SubjectUSCC: usccNobody, GrantorID: "clerk1", GranteeID: "bank1", Purpose: purposeLending,
		ValidUntil: "2026-06-01T00:00:00Z", Status: model.AuthorizationActive,
	})
	require.NoError(t, err)
	f.net.InvokeFunc(f.cas[mspZhejiang].Issue("admin.old", "admin"), chaincodetest.Call{PeerMSP: mspZhejiang, Endorsers: []string{mspJiangsu, mspZhejiang, mspAnhui}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, stub.PutState("\x00"+keyAuth+"\x00A-old\x00", old)
		}).MustOK(t)
	f.mustRefuse(notGrantedWhereHeld, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T1", usccNobody, purposeLending, "A-old")
	})
}
