package credit

import (
	"testing"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// endorse has a peer of id's org simulate a credit call without committing
// it: the proposal a client holds, endorsed on the state of now, before it
// is ordered.
func (f *fixture) endorse(id chaincodetest.Identity, fn string, args ...string) chaincodetest.Result {
	f.t.Helper()
	return f.net.Invoke(id, chaincodetest.Call{Function: "credit:" + fn, Args: args, Evaluate: true}).MustOK(f.t)
}

// Two credit steps that cannot both hold, endorsed on the same state and
// ordered into one block: the second to be ordered read a key the first
// wrote, so Fabric invalidates it. A lookup under an authorisation the
// subject revokes, or by a grantee its org suspends, or by the subject's
// enterprise its org releases; an authorisation of a grantee just
// suspended; two objections to one record; two answers to one objection.
// (A lookup reads no record until ReadRecords, evaluated on the state of its
// own time, so an answer that withdraws one races with no lookup.)
func TestTwoCreditStepsThatCannotBothHoldDoNotCommitInOneBlock(t *testing.T) {
	f := newFixture(t)
	validUntil := "2026-06-01T00:00:00Z"
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", validUntil)

	lost := f.endorse(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1")
	chaincodetest.RequireLosesTheRace(t, f.net.Ledger(), lost, f.submit(f.subject, "RevokeAuthorization", "A1"))
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "was revoked"}, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1")
	})

	f.authorize("A2", "bank1", validUntil)
	lost = f.endorse(f.bank, "RequestQuery", "T2", usccSubject, purposeLending, "A2")
	chaincodetest.RequireLosesTheRace(t, f.net.Ledger(), lost, f.asAdmin(f.bank, "Suspend", "bank1", "under investigation"))

	lost = f.endorse(f.subject, "Authorize", "A3", "bank2", purposeLending, validUntil)
	chaincodetest.RequireLosesTheRace(t, f.net.Ledger(), lost, f.asAdmin(f.otherBank, "Suspend", "bank2", "under investigation"))

	f.publish(f.agency, "R2", usccSubject)
	lost = f.endorse(f.subject, "RaiseObjection", "O2", "R2", "paid on time")
	chaincodetest.RequireLosesTheRace(t, f.net.Ledger(), lost, f.submit(f.subjectColleague, "RaiseObjection", "O3", "R2", "paid early"))

	lost = f.endorse(f.agency, "AnswerObjection", "O3", model.AnswerDismiss, "the ledger shows it late", "")
	chaincodetest.RequireLosesTheRace(t, f.net.Ledger(), lost, f.submit(f.colleague, "AnswerObjection", "O3", model.AnswerUphold, "", ""))

	lost = f.endorse(f.subject, "RequestQuery", "T4", usccSubject, "own review", "")
	chaincodetest.RequireLosesTheRace(t, f.net.Ledger(), lost, f.asAdmin(f.subject, "ReleaseEnterprise", usccSubject, "moving to Zhejiang"))
}
