package credit

import (
	"testing"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A suspended member, or one released with its enterprise, acts no more in
// credit, whatever it held before: a grantee neither looks up nor reads
// under the trace it already has, an agency neither issues, lists nor
// answers the objections to its records, a subject neither looks up its own
// records nor disputes them.
func TestSuspendedAndReleasedMembersActNoMoreInCredit(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	f.stage(f.agency, contentsJSON("B", secretSummary), "R2", usccSubject).MustOK(t)
	f.raise("O1", "R1")

	f.suspend(f.bank)
	f.suspend(f.agency)
	suspended := refusal{ledgererr.Forbidden, "", "is suspended"}
	for name, call := range map[string]func() chaincodetest.Result{
		"lookup": func() chaincodetest.Result {
			return f.submit(f.bank, "RequestQuery", "T2", usccSubject, purposeLending, "A1")
		},
		"read": func() chaincodetest.Result { return f.read(f.bank, mspShanghai, "T1") },
		"stage": func() chaincodetest.Result {
			return f.stage(f.agency, contentsJSON("C", secretSummary), "R3", usccSubject)
		},
		"publish":         func() chaincodetest.Result { return f.submit(f.agency, "Publish", "R2", usccSubject) },
		"list objections": func() chaincodetest.Result { return f.evaluate(f.agency, "ListAgencyObjections", "", "") },
		"answer objection": func() chaincodetest.Result {
			return f.submit(f.agency, "AnswerObjection", "O1", model.AnswerDismiss, "stands", "")
		},
	} {
		t.Run("suspended "+name, func(t *testing.T) { f.t = t; f.mustRefuse(suspended, call) })
	}

	f.t = t
	f.asAdmin(f.subject, "ReleaseEnterprise", usccSubject, "moving to Zhejiang").MustOK(t)
	f.asAdmin(f.colleague, "ReleaseEnterprise", usccAgency, "licence withdrawn").MustOK(t)
	released := refusal{ledgererr.Forbidden, "", "is not a registered participant"} // its identity is free again
	for name, call := range map[string]func() chaincodetest.Result{
		"subject's lookup": func() chaincodetest.Result {
			return f.submit(f.subject, "RequestQuery", "T3", usccSubject, "own review", "")
		},
		"subject's objection": func() chaincodetest.Result {
			return f.submit(f.subjectColleague, "RaiseObjection", "O2", "R1", "not ours")
		},
		"agency's answer": func() chaincodetest.Result {
			return f.submit(f.colleague, "AnswerObjection", "O1", model.AnswerUphold, "", "")
		},
		"agency's list": func() chaincodetest.Result { return f.evaluate(f.colleague, "ListAgencyObjections", "", "") },
	} {
		t.Run("released "+name, func(t *testing.T) { f.t = t; f.mustRefuse(released, call) })
	}
}
