package credit

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// registerIn has the admin of org msp register a member of enterprise uscc
// whose certificate certifies roles, and returns it.
func (f *fixture) registerIn(msp, region, id, uscc, roles string) chaincodetest.Identity {
	f.t.Helper()
	who := rulestest.Member(f.cas[msp], id, uscc, roles, id)
	f.net.Submit(f.cas[msp].Issue("admin."+id, "admin"), "participants:Register", id, string(who.CertPEM), roles, uscc, id, region).MustOK(f.t)
	return who
}

// removeOrg has a majority of the other orgs put in force rules that no
// longer name org msp.
func (f *fixture) removeOrg(msp string) {
	f.t.Helper()
	rules := rulestest.Current(f.t, f.net, f.regulator).Rules
	rules.Version++
	rules.Orgs = slices.DeleteFunc(slices.Clone(rules.Orgs), func(o model.MarketOrg) bool { return o.MSPID == msp })
	var admins []chaincodetest.Identity
	for _, other := range []string{mspShanghai, mspJiangsu, mspZhejiang, mspAnhui} {
		if other != msp {
			admins = append(admins, rulestest.Admin(f.cas[other]))
		}
	}
	rulestest.Change(f.t, f.net, admins, &rules)
}

// notAnswerable is the regulator's refusal of an objection that does not
// exist or that its agency can still answer.
var notAnswerable = refusal{ledgererr.Forbidden, "", "the agency that must answer it still can"}

// Once nobody can answer an objection any more, a regulator does, for the
// agency, each way an agency can stop answering: its enterprise lost its
// licence (no participant of it holds the agency role), all of it is
// suspended, its org released it, or a majority removed its org from the
// market. The answer is the agency's would be (UPHOLD withdraws the record,
// DISMISS restores it), the objection and the record's dispute say that a
// regulator answered, ObjectionAnswered is emitted, and the agency's and the
// subject's orgs endorsed it, as the keys' policies ask (an org removed
// from the market rules is still a member of the channel; without its
// peers the answer is not valid).
func TestARegulatorAnswersAnObjectionItsAgencyCanNoLongerAnswer(t *testing.T) {
	for _, tc := range []struct {
		name    string
		outcome string
		// orphan publishes record R1 about the subject by an agency, and, once
		// the subject objected, has that agency stop being able to answer.
		orphan func(f *fixture) (publish, stop func())
	}{
		{"licence lost", model.AnswerUphold, func(f *fixture) (func(), func()) {
			lender := f.registerIn(mspShanghai, "shanghai", "agency.lender", usccNobody, "agency,holder")
			return func() { f.publish(lender, "R1", usccSubject) }, func() {
				f.asAdmin(lender, "SetRoles", "agency.lender", "holder").MustOK(f.t)
			}
		}},
		{"suspended", model.AnswerDismiss, func(f *fixture) (func(), func()) {
			return func() { f.publish(f.agency, "R1", usccSubject) }, func() { f.suspend(f.agency); f.suspend(f.colleague) }
		}},
		{"released", model.AnswerUphold, func(f *fixture) (func(), func()) {
			return func() { f.publish(f.agency, "R1", usccSubject) }, func() {
				f.asAdmin(f.agency, "ReleaseEnterprise", usccAgency, "licence withdrawn").MustOK(f.t)
			}
		}},
		{"org removed", model.AnswerDismiss, func(f *fixture) (func(), func()) {
			return func() { f.publish(f.agency, "R1", usccSubject) }, func() { f.removeOrg(mspShanghai) }
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			publish, stop := tc.orphan(f)
			publish()
			o := f.raise("O1", "R1")
			f.mustRefuse(notAnswerable, func() chaincodetest.Result {
				return f.submit(f.regulator, "AnswerObjection", "O1", tc.outcome, "the agency's file shows it", "")
			})
			stop()
			f.net.Advance(time.Hour)

			if tc.name == "org removed" {
				// The record's and the objection's policies name the agency's org: without its peers, no answer.
				r := f.net.Invoke(f.regulator, chaincodetest.Call{Function: "credit:AnswerObjection",
					Args: []string{"O1", tc.outcome, "the agency's file shows it", ""}, Endorsers: []string{mspAnhui, mspJiangsu, mspZhejiang}})
				require.Error(t, r.Err)
				assert.Contains(t, r.Err.Error(), "ENDORSEMENT_POLICY_FAILURE")
			}
			at := model.FormatTime(f.net.Now())
			res := f.submit(f.regulator, "AnswerObjection", "O1", tc.outcome, "the agency's file shows it", "")
			answered := decode[model.ObjectionView](t, res)
			status, recordStatus := model.CreditObjectionUpheld, model.RecordWithdrawn
			if tc.outcome == model.AnswerDismiss {
				status, recordStatus = model.CreditObjectionDismissed, model.RecordActive
			}
			want := o.CreditObjection
			want.Status, want.Outcome, want.AnswerReason = status, tc.outcome, "the agency's file shows it"
			want.AnsweredBy, want.AnsweredByRegulator, want.AnsweredAt = "regulator1", true, at
			assert.Equal(t, &model.ObjectionView{CreditObjection: want}, answered)
			assert.Equal(t, model.EventObjectionAnswered, res.Event.Name)
			assert.Subset(t, res.Endorsers, []string{o.AgencyMSP, mspJiangsu}, "the agency's and the subject's orgs endorsed it")

			r := f.getRecord("R1")
			assert.Equal(t, recordStatus, r.Status)
			assert.Equal(t, &model.Dispute{ObjectionID: "O1", Status: status, RaisedAt: o.RaisedAt, DueAt: o.DueAt,
				AnsweredAt: answered.AnsweredAt, AnsweredByRegulator: true}, r.LastDispute)
			got := decode[model.ObjectionView](t, f.evaluate(f.subject, "GetObjection", "O1"))
			assert.Equal(t, answered, got, "the subject reads who answered")
			f.mustRefuse(refusal{ledgererr.Conflict, "", "is already answered"}, func() chaincodetest.Result {
				return f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerUphold, "", "")
			})
		})
	}
}

// A regulator answers only for an agency that can no longer answer: while
// one participant of it can (a colleague, when the issuer is suspended), it
// is refused as for an objection that does not exist
// (TestRefusedAnswerTellsNothingOfTheObjection); and never a
// correction, whose contents only the agency stages. Once nobody can
// answer, it upholds.
func TestARegulatorAnswersNoObjectionItsAgencyCanAnswer(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	f.suspend(f.agency)
	f.net.Advance(model.ObjectionAnswerWindow + time.Hour)
	for _, outcome := range []string{model.AnswerUphold, model.AnswerDismiss} {
		f.mustRefuse(notAnswerable, func() chaincodetest.Result {
			return f.submit(f.regulator, "AnswerObjection", "O1", outcome, "overdue", "")
		})
	}

	f.suspend(f.colleague)
	f.stage(f.agency3, contentsJSON("A", "corrected by the regulator"), "R1v2", usccSubject).MustOK(t)
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "only the issuing agency stages corrected contents"}, func() chaincodetest.Result {
		return f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerCorrect, "", "R1v2")
	})
	f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerUphold, "", "").MustOK(t)
	assert.Equal(t, model.RecordWithdrawn, f.getRecord("R1").Status)
}

// Nobody decides their own case: a regulator answers no objection its own
// enterprise raised, nor one its own enterprise must answer, however nobody
// else can; another regulator's enterprise's objection it answers. Nor does
// anyone else answer for an agency: another agency, the subject, a bank.
func TestARegulatorAnswersForNeitherPartyAndNobodyElseForTheAgency(t *testing.T) {
	f := newFixture(t)
	// The regulator's own enterprise (Anhui) as subject, and as an agency.
	holder := f.registerIn(mspAnhui, "anhui", "regulator.holder", usccRegulator, "holder")
	lender := f.registerIn(mspAnhui, "anhui", "regulator.agency", usccRegulator, "agency")
	f.publish(f.agency, "R1", usccRegulator)
	f.submit(holder, "RaiseObjection", "O1", "R1", "not ours").MustOK(t)
	f.publish(lender, "R2", usccSubject)
	f.raise("O2", "R2")
	f.publish(f.agency3, "R3", usccSubject)
	f.raise("O3", "R3")
	f.suspend(f.agency)
	f.suspend(f.colleague)
	f.suspend(lender)
	f.suspend(f.agency3)

	for _, id := range []string{"O1", "O2"} {
		f.mustRefuse(refusal{ledgererr.Forbidden, "", "a regulator answers no objection its own enterprise raised or must answer"}, func() chaincodetest.Result {
			return f.submit(f.regulator, "AnswerObjection", id, model.AnswerDismiss, "stands", "")
		})
	}
	for _, tc := range []struct {
		name   string
		caller chaincodetest.Identity
		want   refusal
	}{
		{"another agency", f.rival, refusal{ledgererr.Forbidden, "", "does not act for the agency that must answer it"}},
		{"the subject", f.subject, refusal{ledgererr.Forbidden, "", "holds none of the roles"}},
		{"a bank", f.bank, refusal{ledgererr.Forbidden, "", "holds none of the roles"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.mustRefuse(tc.want, func() chaincodetest.Result {
				return f.submit(tc.caller, "AnswerObjection", "O3", model.AnswerUphold, "", "")
			})
		})
	}
	f.t = t
	f.submit(f.regulator, "AnswerObjection", "O3", model.AnswerDismiss, "the tax bureau confirms it", "").MustOK(t)
}

// An overdue objection nobody can answer withholds the record from a lookup
// under an authorisation until a regulator answers it: dismissed, the record
// is ACTIVE and read again, its dispute showing the regulator's answer.
func TestARecordARegulatorDismissedIsReadAgain(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	f.authorize("A1", "bank1", f.net.Now().AddDate(0, 2, 0).Format(time.RFC3339))
	f.suspend(f.agency)
	f.suspend(f.colleague)
	f.net.Advance(model.ObjectionAnswerWindow + time.Hour)
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	listed, _ := f.readIDs(t, f.bank, mspZhejiang, "T1")
	require.Empty(t, listed, "withheld while nobody answers")

	answered := decode[model.ObjectionView](t, f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerDismiss, "the court record confirms the default", ""))
	assert.True(t, answered.AnsweredLate, "after the agency's due time")
	f.requestQuery(f.bank, "T2", usccSubject, purposeLending, "A1")
	listed, contents := f.readIDs(t, f.bank, mspShanghai, "T2")
	assert.Equal(t, []string{"R1"}, listed)
	assert.Equal(t, []string{"R1"}, contents)
	read := decode[model.ReadResult](t, f.read(f.bank, mspZhejiang, "T2")).Records
	require.Len(t, read, 1)
	assert.Equal(t, model.RecordActive, read[0].Record.Status)
	assert.True(t, read[0].Record.LastDispute.AnsweredByRegulator)
}
