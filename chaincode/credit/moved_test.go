package credit

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
)

// An agency registered the normal way acts for its enterprise wherever that
// enterprise is held (actingAgency, and AnswerObjection's answerer): after
// the enterprise moved regions (Shanghai releases it, Zhejiang registers it
// with a certificate of its own CA), its member there lists and answers the
// objections to records issued before the move, reads those records'
// metadata, and issues records; after the rules move Zhejiang to another
// region, it still does. Its former
// colleague, released with the enterprise, acts no more.
func TestAnAgencyActsForItsEnterpriseAfterItMoved(t *testing.T) {
	f := newFixture(t)
	f.twoObjections(f.agency)

	f.asAdmin(f.agency, "ReleaseEnterprise", usccAgency, "moving to Zhejiang").MustOK(t)
	moved := rulestest.Member(f.cas[mspZhejiang], "agency1.zj", usccAgency, "agency", "agency1.zj")
	f.net.Submit(f.cas[mspZhejiang].Issue("admin.mover", "admin"), "participants:Register", "agency1.zj", string(moved.CertPEM), "agency", usccAgency, "agency1.zj", "zhejiang").MustOK(t)

	open := decode[model.ObjectionPage](t, f.evaluate(moved, "ListAgencyObjections", "", ""))
	assert.Len(t, open.Items, 2, "the objections to its enterprise's records")
	listed := decode[model.RecordPage](t, f.evaluate(moved, "ListRecords", usccSubject, "", ""))
	assert.Len(t, listed.Items, 2, "the records its enterprise issued before the move")
	assert.Equal(t, "agency1", decode[model.Record](t, f.evaluate(moved, "GetRecord", "R1")).AgencyID)
	f.submit(moved, "AnswerObjection", "O1", model.AnswerDismiss, "stands", "").MustOK(t)
	f.publish(moved, "R3", usccSubject)
	assert.Equal(t, mspZhejiang, f.getRecord("R3").AgencyMSP)
	f.submit(f.colleague, "AnswerObjection", "O2", model.AnswerDismiss, "stands", "").MustFail(t, "is not a registered participant") // released with the enterprise

	rules := rulestest.Current(t, f.net, f.regulator).Rules
	rules.Version++
	for i := range rules.Orgs {
		if rules.Orgs[i].MSPID == mspZhejiang {
			rules.Orgs[i].Region = "hangzhou"
		}
	}
	admins := []chaincodetest.Identity{rulestest.Admin(f.cas[mspShanghai]), rulestest.Admin(f.cas[mspJiangsu]), rulestest.Admin(f.cas[mspZhejiang])}
	rulestest.Change(t, f.net, admins, &rules)
	f.submit(moved, "AnswerObjection", "O2", model.AnswerDismiss, "stands", "").MustOK(t)
	f.publish(moved, "R4", usccSubject)
}
