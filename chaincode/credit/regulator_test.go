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
			f.net.Advance(model.ObjectionAnswerWindow + time.Hour)

			at := model.FormatTime(f.net.Now())
			call := chaincodetest.Call{Function: "credit:AnswerObjection", Args: []string{"O1", tc.outcome, "the agency's file shows it", ""}}
			if tc.name == "org removed" {
				// The record's and the objection's keys need a majority of the orgs, not the agency's: the
				// regulator answers without the removed org's peers (before 16.0.0 it could not).
				call.Endorsers = []string{mspAnhui, mspJiangsu, mspZhejiang}
			}
			res := f.net.Invoke(f.regulator, call)
			answered := decode[model.ObjectionView](t, res)
			status, recordStatus := model.CreditObjectionUpheld, model.RecordWithdrawn
			if tc.outcome == model.AnswerDismiss {
				status, recordStatus = model.CreditObjectionDismissed, model.RecordActive
			}
			want := o.CreditObjection
			want.Status, want.Outcome, want.AnswerReason = status, tc.outcome, "the agency's file shows it"
			want.AnsweredBy, want.AnsweredByRegulator, want.AnsweredAt, want.AnsweredLate = "regulator1", true, at, true
			assert.Equal(t, &model.ObjectionView{CreditObjection: want}, answered)
			assert.Equal(t, model.EventObjectionAnswered, res.Event.Name)
			assert.GreaterOrEqual(t, len(res.Endorsers), 3, "a majority of the orgs endorsed it")

			r := f.getRecord("R1")
			assert.Equal(t, recordStatus, r.Status)
			assert.Equal(t, &model.Dispute{ObjectionID: "O1", Status: status, RaisedAt: o.RaisedAt, DueAt: o.DueAt,
				AnsweredAt: answered.AnsweredAt, AnsweredLate: true, AnsweredByRegulator: true}, r.LastDispute)
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
// else can; an objection between enterprises of other orgs it answers. Nor
// does anyone else answer for an agency: another agency, the subject, a bank.
func TestARegulatorAnswersForNeitherPartyAndNobodyElseForTheAgency(t *testing.T) {
	f := newFixture(t)
	// The regulator's own enterprise (Anhui) as subject, and as an agency.
	holder := f.registerIn(mspAnhui, "anhui", "regulator.holder", usccRegulator, "holder")
	lender := f.registerIn(mspAnhui, "anhui", "regulator.agency", usccRegulator, "agency")
	f.publish(f.agency, "R1", usccRegulator)
	f.submit(holder, "RaiseObjection", "O1", "R1", "not ours").MustOK(t)
	f.publish(lender, "R2", usccSubject)
	f.raise("O2", "R2")
	zj := f.registerIn(mspZhejiang, "zhejiang", "agency.zj", usccNobody, "agency")
	f.publish(zj, "R3", usccSubject)
	f.raise("O3", "R3")
	f.suspend(f.agency)
	f.suspend(f.colleague)
	f.suspend(lender)
	f.suspend(zj)
	f.net.Advance(model.ObjectionAnswerWindow + time.Hour)

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

// A regulator answers no objection before its due time, however briefly its
// agency cannot answer: the agency's window is its own. Each way an agency is
// unable to answer for a while: its enterprise moving orgs (its org releases
// it, the new org registers it, two admins' transactions), a participant
// reinstated before its admin rebinds its key (Suspend withdraws the key),
// and a short suspension. The regulator is refused as for an objection its
// agency can answer; once the agency can again, it answers on time, and
// the record is not withdrawn before it could.
func TestARegulatorAnswersNoObjectionBeforeItsDueTime(t *testing.T) {
	for _, tc := range []struct {
		name string
		// pause publishes record R1 about the subject by an agency and has
		// it stop answering; resume has it answer again, as the identity it
		// returns.
		pause func(f *fixture) (resume func() chaincodetest.Identity)
	}{
		{"moving to another org", func(f *fixture) func() chaincodetest.Identity {
			f.publish(f.agency, "R1", usccSubject)
			f.asAdmin(f.agency, "ReleaseEnterprise", usccAgency, "moving to Zhejiang").MustOK(f.t)
			return func() chaincodetest.Identity {
				return f.registerIn(mspZhejiang, "zhejiang", "agency1.zj", usccAgency, "agency")
			}
		}},
		{"reinstated, key not yet rebound", func(f *fixture) func() chaincodetest.Identity {
			lender := f.registerIn(mspShanghai, "shanghai", "agency.lender", usccNobody, "agency")
			f.publish(lender, "R1", usccSubject)
			f.asAdmin(lender, "Suspend", "agency.lender", "lost laptop").MustOK(f.t)
			f.asAdmin(lender, "Reinstate", "agency.lender").MustOK(f.t)
			return func() chaincodetest.Identity {
				again := rulestest.Member(f.cas[mspShanghai], "agency.lender", usccNobody, "agency", "agency.lender")
				f.asAdmin(lender, "RebindKey", "agency.lender", string(again.CertPEM), "new laptop").MustOK(f.t)
				return again
			}
		}},
		{"briefly suspended", func(f *fixture) func() chaincodetest.Identity {
			lender := f.registerIn(mspShanghai, "shanghai", "agency.lender", usccNobody, "agency")
			f.publish(lender, "R1", usccSubject)
			f.suspend(lender)
			return func() chaincodetest.Identity {
				f.asAdmin(lender, "Reinstate", "agency.lender").MustOK(f.t)
				again := rulestest.Member(f.cas[mspShanghai], "agency.lender", usccNobody, "agency", "agency.lender")
				f.asAdmin(lender, "RebindKey", "agency.lender", string(again.CertPEM), "back from audit").MustOK(f.t)
				return again
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			resume := tc.pause(f)
			f.net.Advance(time.Minute)
			f.raise("O1", "R1")
			f.net.Advance(time.Minute)
			for _, outcome := range []string{model.AnswerUphold, model.AnswerDismiss} {
				f.mustRefuse(notAnswerable, func() chaincodetest.Result {
					return f.submit(f.regulator, "AnswerObjection", "O1", outcome, "nobody answers", "")
				})
			}
			f.net.Advance(time.Hour)
			agency := resume()
			answered := decode[model.ObjectionView](t, f.submit(agency, "AnswerObjection", "O1", model.AnswerDismiss, "the record stands", ""))
			assert.False(t, answered.AnsweredLate)
			assert.False(t, answered.AnsweredByRegulator)
			assert.Equal(t, model.RecordActive, f.getRecord("R1").Status)
		})
	}
}

// A regulator answers for an agency that cannot exactly where a lookup under
// an authorisation withholds its record (orphaned, one judgement): not at
// the objection's due time, where the record is still read, and one second
// after it, where the record is withheld. A participant reinstated whose key
// is not rebound answers nothing (answerable), so a regulator answers for it.
func TestARegulatorAnswersWhereTheLookupWithholds(t *testing.T) {
	f := newFixture(t)
	f.wallOffset = -time.Second // the peers' clocks read each proposal's own stamp (the network's moved on a second)
	lender := f.registerIn(mspShanghai, "shanghai", "agency.lender", usccNobody, "agency")
	f.publish(lender, "R1", usccSubject)
	o := f.raise("O1", "R1")
	f.authorize("A1", "bank1", f.net.Now().AddDate(0, 2, 0).Format(time.RFC3339))
	f.asAdmin(lender, "Suspend", "agency.lender", "lost laptop").MustOK(t)
	f.asAdmin(lender, "Reinstate", "agency.lender").MustOK(t)

	// Every proposal moves the network's clock on by a second: the lookup's two steps, then the regulator's
	// answer stamped at the due time.
	f.net.Advance(chaincodetest.ParseTime(t, o.DueAt).Add(-2 * time.Second).Sub(f.net.Now()))
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	listed, _ := f.readIDs(t, f.bank, mspZhejiang, "T1")
	assert.Equal(t, []string{"R1"}, listed, "read before the due time is past")
	require.Equal(t, o.DueAt, model.FormatTime(f.net.Now()))
	f.mustRefuse(notAnswerable, func() chaincodetest.Result {
		return f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerUphold, "", "")
	})

	f.requestQuery(f.bank, "T2", usccSubject, purposeLending, "A1")
	listed, _ = f.readIDs(t, f.bank, mspZhejiang, "T2")
	assert.Empty(t, listed, "withheld a second after it")
	answered := decode[model.ObjectionView](t, f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerUphold, "", ""))
	assert.True(t, answered.AnsweredLate)
	assert.Equal(t, model.RecordWithdrawn, f.getRecord("R1").Status)
}

// The regulator's answer reads whether anyone can answer for the agency: an
// agency that regains the role, or whose admin binds its new key, between the
// regulator's endorsement and its commit wins the race, and the regulator's
// answer is not valid.
func TestARegulatorLosesTheRaceToAnAgencyThatCanAnswerAgain(t *testing.T) {
	f := newFixture(t)
	lender := f.registerIn(mspShanghai, "shanghai", "agency.lender", usccNobody, "agency,holder")
	f.publish(lender, "R1", usccSubject)
	f.raise("O1", "R1")
	f.publish(lender, "R2", usccSubject)
	f.raise("O2", "R2")
	f.net.Advance(model.ObjectionAnswerWindow + time.Hour)

	f.asAdmin(lender, "SetRoles", "agency.lender", "holder").MustOK(t)
	lost := f.endorse(f.regulator, "AnswerObjection", "O1", model.AnswerUphold, "", "")
	chaincodetest.RequireLosesTheRace(t, f.net.Ledger(), lost, f.asAdmin(lender, "SetRoles", "agency.lender", "agency,holder"))

	f.asAdmin(lender, "Suspend", "agency.lender", "lost laptop").MustOK(t)
	f.asAdmin(lender, "Reinstate", "agency.lender").MustOK(t)
	lost = f.endorse(f.regulator, "AnswerObjection", "O2", model.AnswerUphold, "", "")
	again := rulestest.Member(f.cas[mspShanghai], "agency.lender", usccNobody, "agency,holder", "agency.lender")
	chaincodetest.RequireLosesTheRace(t, f.net.Ledger(), lost, f.asAdmin(lender, "RebindKey", "agency.lender", string(again.CertPEM), "new laptop"))
	for _, id := range []string{"O1", "O2"} {
		assert.Equal(t, model.CreditObjectionOpen, decode[model.ObjectionView](t, f.evaluate(f.subject, "GetObjection", id)).Status)
	}
}

// A regulator is its org's staff: its USCC is its org's word and its org's
// admin binds its key. So a regulator of the agency's org, of the org that
// raised the objection for the subject, or of the org that holds the subject
// enterprise now (it moved there since) answers no objection, whatever USCC
// it acts for; a regulator of a fourth org does.
func TestARegulatorOfAPartysOrgAnswersNoObjection(t *testing.T) {
	f := newFixture(t)
	rules := rulestest.Current(t, f.net, f.regulator).Rules
	rules.Version++
	for _, msp := range []string{mspShanghai, mspJiangsu, mspZhejiang} {
		rules.Regulators = append(rules.Regulators, model.Regulator{MSPID: msp, ParticipantID: msp + ".regulator"})
	}
	rulestest.Change(t, f.net, []chaincodetest.Identity{rulestest.Admin(f.cas[mspShanghai]), rulestest.Admin(f.cas[mspJiangsu]), rulestest.Admin(f.cas[mspZhejiang])}, &rules)
	// Each acts for an enterprise of its own org, none a party's.
	staff := map[string]chaincodetest.Identity{
		mspShanghai: f.registerIn(mspShanghai, "shanghai", mspShanghai+".regulator", usccRival, "regulator"),
		mspJiangsu:  f.registerIn(mspJiangsu, "jiangsu", mspJiangsu+".regulator", usccNobody, "regulator"),
		mspZhejiang: f.registerIn(mspZhejiang, "zhejiang", mspZhejiang+".regulator", usccOtherBank, "regulator"),
	}

	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	f.suspend(f.agency)
	f.suspend(f.colleague)
	// The subject enterprise moves from Jiangsu, whose participant raised the objection, to Zhejiang.
	f.asAdmin(f.subject, "ReleaseEnterprise", usccSubject, "moving to Zhejiang").MustOK(t)
	f.registerIn(mspZhejiang, "zhejiang", "subject.zj", usccSubject, "holder")
	f.net.Advance(model.ObjectionAnswerWindow + time.Hour)

	for _, msp := range []string{mspShanghai, mspJiangsu, mspZhejiang} {
		t.Run(msp, func(t *testing.T) {
			f.t = t
			f.mustRefuse(refusal{ledgererr.Forbidden, "", "a regulator answers no objection its own org's enterprise raised or must answer"}, func() chaincodetest.Result {
				return f.submit(staff[msp], "AnswerObjection", "O1", model.AnswerUphold, "", "")
			})
		})
	}
	f.t = t
	answered := decode[model.ObjectionView](t, f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerDismiss, "the court record confirms the default", ""))
	assert.True(t, answered.AnsweredByRegulator)
}

// A regulator's answer makes the requests to the peer an agency's does and
// those of its judgement: the issuer, its enterprise's binding and
// participants (answerable), and the parties' orgs (the participant that
// raised the objection, the subject's and the agency enterprise's bindings):
// 24 for an agency enterprise of two participants, where the agency's answer
// makes 14. From 16.0.0 each answer puts the record's and the objection's
// keys under a majority again (2 more), and the regulator's reads the agency
// enterprise's binding (2 more: the rules, the binding).
func TestTheRequestsOfARegulatorsAnswer(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	f.publish(f.agency, "R2", usccSubject)
	f.raise("O2", "R2")
	f.net.Advance(model.ObjectionAnswerWindow + time.Hour)
	agency := f.submit(f.agency, "AnswerObjection", "O2", model.AnswerDismiss, "the record stands", "")
	agency.MustOK(t)
	f.suspend(f.agency)
	f.suspend(f.colleague)
	regulator := f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerDismiss, "the record stands", "")
	regulator.MustOK(t)
	assert.Len(t, agency.Requests, 14, "the agency's answer: %v", agency.Requests)
	assert.Len(t, regulator.Requests, 24, "the regulator's answer: %v", regulator.Requests)
}
