package credit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// raise has the subject object to a record and returns the objection.
func (f *fixture) raise(objectionID, recordID string) *model.ObjectionView {
	return decode[model.ObjectionView](f.t, f.submit(f.subject, "RaiseObjection", objectionID, recordID, "we paid on time; bank statement hash abc"))
}

// twoObjections publishes R1 (by f.agency) and R2 (by second) about the
// subject, and raises O1 against R1 and O2 against R2: two open objections,
// each for its own record's agency to answer.
func (f *fixture) twoObjections(second chaincodetest.Identity) (o1, o2 *model.ObjectionView) {
	f.publish(f.agency, "R1", usccSubject)
	f.publish(second, "R2", usccSubject)
	return f.raise("O1", "R1"), f.raise("O2", "R2")
}

func TestRaiseObjection(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	res := f.submit(f.subjectColleague, "RaiseObjection", "O1", "R1", "paid on time")
	o := decode[model.ObjectionView](t, res)
	assert.Equal(t, &model.ObjectionView{CreditObjection: model.CreditObjection{
		ObjectionID: "O1", RecordID: "R1", SubjectUSCC: usccSubject, RaisedBy: "subject2", Reason: "paid on time",
		AgencyUSCC: usccAgency, AgencyMSP: mspShanghai, Status: model.CreditObjectionOpen, RaisedAt: o.RaisedAt,
		DueAt: afterWindow(t, o.RaisedAt),
	}}, o)
	assert.Equal(t, model.EventObjectionRaised, res.Event.Name)
	assert.JSONEq(t, `{"objectionId":"O1","recordId":"R1","subjectUscc":"`+usccSubject+`"}`, string(res.Event.Payload))
	r := f.getRecord("R1")
	assert.Equal(t, model.RecordUnderObjection, r.Status)
	assert.Equal(t, 1, r.Disputes)
	assert.Equal(t, &model.Dispute{ObjectionID: "O1", Status: model.CreditObjectionOpen, RaisedAt: o.RaisedAt, DueAt: o.DueAt}, r.LastDispute)
	// The record's key-level policy made the agency's org endorse.
	assert.Contains(t, res.Endorsers, mspShanghai)
	assertMajority(t, f.net.Ledger().ValidationParameter("\x00"+keyObjection+"\x00O1\x00"))
	assert.NotContains(t, string(f.net.Ledger().State("\x00"+keyObjection+"\x00O1\x00")), "overdue", "the derived flag is not stored")

	// A record under objection is still in force.
	records := f.lookUp(f.regulator, "T1", usccSubject, "supervision", "")
	require.Len(t, records, 1)
	assert.Equal(t, model.RecordUnderObjection, records[0].Status)
}

func TestRaiseObjectionRefusals(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency, "R2", usccSubject)
	f.publish(f.agency, "R3", usccSubject)
	f.raise("O1", "R1")
	f.raise("O2", "R3")
	f.submit(f.agency, "AnswerObjection", "O2", model.AnswerUphold, "", "").MustOK(t)

	for _, tc := range []struct {
		name   string
		caller chaincodetest.Identity
		args   []string // objectionId, recordId, reason
		want   refusal
	}{
		{"bad objection ID", f.subject, []string{"O 3", "R2", "r"}, refusal{ledgererr.InvalidArgument, "objectionId", "must be"}},
		{"bad record ID", f.subject, []string{"O3", "", "r"}, refusal{ledgererr.InvalidArgument, "recordId", "must be"}},
		{"no reason", f.subject, []string{"O3", "R2", ""}, refusal{ledgererr.InvalidArgument, "reason", "required"}},
		{"unknown record", f.subject, []string{"O3", "R9", "r"}, refusal{ledgererr.NotFound, "", `"R9" does not exist`}},
		{"not the subject", f.bank, []string{"O3", "R2", "r"}, refusal{ledgererr.NotFound, "", `"R2" does not exist`}},
		{"the agency", f.agency, []string{"O3", "R2", "r"}, refusal{ledgererr.Forbidden, "", "does not act for it"}},
		{"the regulator", f.regulator, []string{"O3", "R2", "r"}, refusal{ledgererr.Forbidden, "", "the regulator reads the ledger and changes nothing"}},
		{"second open objection", f.subjectColleague, []string{"O3", "R1", "r"}, refusal{ledgererr.Conflict, "", "already has an open objection"}},
		{"withdrawn record", f.subject, []string{"O3", "R3", "r"}, refusal{ledgererr.Conflict, "", "no longer in force"}},
		{"duplicate objection", f.subject, []string{"O1", "R2", "r"}, refusal{ledgererr.Conflict, "", `"O1" already exists`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.mustRefuse(tc.want, func() chaincodetest.Result { return f.submit(tc.caller, "RaiseObjection", tc.args...) })
		})
	}
}

func TestAnswerObjectionOutcomes(t *testing.T) {
	t.Run("uphold", func(t *testing.T) {
		f := newFixture(t)
		f.publish(f.agency, "R1", usccSubject)
		f.raise("O1", "R1")
		res := f.submit(f.agency, "AnswerObjection", "O1", model.AnswerUphold, "", "")
		o := decode[model.ObjectionView](t, res)
		assert.Equal(t, model.CreditObjectionUpheld, o.Status)
		assert.Equal(t, model.AnswerUphold, o.Outcome)
		assert.Equal(t, "agency1", o.AnsweredBy)
		assert.Equal(t, model.RecordWithdrawn, f.getRecord("R1").Status)
		assert.Equal(t, model.EventObjectionAnswered, res.Event.Name)
		assert.JSONEq(t, `{"objectionId":"O1","recordId":"R1","subjectUscc":"`+usccSubject+`","outcome":"UPHOLD"}`, string(res.Event.Payload))
		assert.Empty(t, decode[model.ObjectionPage](t, f.evaluate(f.agency, "ListAgencyObjections", "", "")).Items)
	})

	t.Run("dismiss", func(t *testing.T) {
		f := newFixture(t)
		f.publish(f.agency, "R1", usccSubject)
		f.raise("O1", "R1")
		// A colleague acting for the same agency enterprise may answer.
		o := decode[model.ObjectionView](t, f.submit(f.colleague, "AnswerObjection", "O1", model.AnswerDismiss, "court record confirms the default", ""))
		assert.Equal(t, model.CreditObjectionDismissed, o.Status)
		assert.Equal(t, "court record confirms the default", o.AnswerReason)
		assert.Equal(t, "agency2", o.AnsweredBy)
		assert.Equal(t, model.RecordActive, f.getRecord("R1").Status)
		// The subject may object again.
		f.raise("O2", "R1")
	})

	t.Run("correct", func(t *testing.T) {
		f := newFixture(t)
		old := f.publish(f.agency, "R1", usccSubject)
		f.raise("O1", "R1")
		staged := f.stage(f.agency, contentsJSON("A", "corrected: one late payment"), "R1v2", usccSubject)
		assert.Equal(t, []string{mspShanghai}, staged.MustOK(t).Endorsers)
		res := f.submit(f.agency, "AnswerObjection", "O1", model.AnswerCorrect, "two of the payments were on time", "R1v2")
		// The objection's policy brought in the subject's org, and the
		// chaincode's policy a third (a majority): neither was given
		// contents.
		assert.Equal(t, []string{mspShanghai, mspJiangsu, mspZhejiang}, res.Endorsers)
		assert.Equal(t, []string{mspShanghai}, f.orgsGivenTransient())
		o := decode[model.ObjectionView](t, res)
		assert.Equal(t, model.CreditObjectionCorrected, o.Status)
		assert.Equal(t, "R1v2", o.NewRecordID)
		assert.JSONEq(t, `{"objectionId":"O1","recordId":"R1","subjectUscc":"`+usccSubject+`","outcome":"CORRECT","newRecordId":"R1v2"}`, string(res.Event.Payload))
		assert.NotContains(t, string(res.Payload)+string(res.Event.Payload), "one late payment")

		superseded := f.getRecord("R1")
		assert.Equal(t, model.RecordSuperseded, superseded.Status)
		assert.Equal(t, "R1v2", superseded.SupersededBy)
		assert.Equal(t, old.ContentHash, superseded.ContentHash)
		corrected := f.getRecord("R1v2")
		assert.Equal(t, model.RecordActive, corrected.Status)
		assert.Equal(t, "R1", corrected.Supersedes)
		assert.Equal(t, mspShanghai, corrected.AgencyMSP)
		private := f.net.Ledger().PrivateData(chaincodetest.ImplicitCollection(mspShanghai), privateKey("R1v2", usccSubject, "agency1"))
		assert.Contains(t, string(private), "corrected: one late payment")
		assert.Equal(t, sha256Hex(private), corrected.ContentHash)
		assertMajority(t, f.net.Ledger().ValidationParameter(recordKey("R1v2")))

		// A query now reads the correction only.
		f.requestQuery(f.subject, "T1", usccSubject, "own review", "")
		f.readsOnly(t, f.subject, mspShanghai, "T1", "R1v2")
	})
}

func TestAnswerObjectionRefusals(t *testing.T) {
	f := newFixture(t)
	f.twoObjections(f.agency)
	f.submit(f.agency, "AnswerObjection", "O2", model.AnswerDismiss, "stands", "").MustOK(t)
	valid := contentsJSON("A", "corrected")
	f.stage(f.agency, valid, "R1v2", usccSubject).MustOK(t)
	f.stage(f.agency, valid, "R1v3", usccStranger).MustOK(t)   // about another subject
	f.stage(f.colleague, valid, "R1v4", usccSubject).MustOK(t) // by another participant

	for _, tc := range []struct {
		name     string
		caller   chaincodetest.Identity
		contents string   // transient record, "" for none
		args     []string // objectionId, outcome, reason, newRecordId
		want     refusal
	}{
		{"bad objection ID", f.agency, "", []string{"", model.AnswerUphold, "", ""}, refusal{ledgererr.InvalidArgument, "objectionId", "must be"}},
		{"bad outcome", f.agency, "", []string{"O1", "IGNORE", "", ""}, refusal{ledgererr.InvalidArgument, "outcome", "must be one of"}},
		{"dismiss without reason", f.agency, "", []string{"O1", model.AnswerDismiss, " ", ""}, refusal{ledgererr.InvalidArgument, "reason", "required"}},
		{"reason too long", f.agency, "", []string{"O1", model.AnswerUphold, strings.Repeat("x", 501), ""}, refusal{ledgererr.InvalidArgument, "reason", "at most 500"}},
		{"new record without correction", f.agency, "", []string{"O1", model.AnswerUphold, "", "R1v2"}, refusal{ledgererr.InvalidArgument, "newRecordId", "unless outcome is CORRECT"}},
		{"contents without correction", f.agency, valid, []string{"O1", model.AnswerDismiss, "stands", ""}, refusal{ledgererr.InvalidArgument, "transient", "AnswerObjection takes no transient data"}},
		{"correction with contents", f.agency, valid, []string{"O1", model.AnswerCorrect, "", "R1v2"}, refusal{ledgererr.InvalidArgument, "transient", "AnswerObjection takes no transient data"}},
		{"correction without new record ID", f.agency, "", []string{"O1", model.AnswerCorrect, "", ""}, refusal{ledgererr.InvalidArgument, "newRecordId", "must be"}},
		{"correction not staged", f.agency, "", []string{"O1", model.AnswerCorrect, "", "R1v9"}, refusal{ledgererr.NotFound, "", `participant "agency1" has staged no contents for credit record "R1v9"`}},
		{"correction staged about another subject", f.agency, "", []string{"O1", model.AnswerCorrect, "", "R1v3"}, refusal{ledgererr.NotFound, "", "has staged no contents"}},
		{"correction staged by a colleague", f.agency, "", []string{"O1", model.AnswerCorrect, "", "R1v4"}, refusal{ledgererr.NotFound, "", "has staged no contents"}},
		{"correction to an existing record", f.agency, "", []string{"O1", model.AnswerCorrect, "", "R2"}, refusal{ledgererr.Conflict, "", `"R2" already exists`}},
		{"not an agency", f.subject, "", []string{"O1", model.AnswerUphold, "", ""}, refusal{ledgererr.Forbidden, "", "none of the roles"}},
		{"another agency of the same org", f.rival, "", []string{"O1", model.AnswerUphold, "", ""}, refusal{ledgererr.Forbidden, "", `objection "O1" is not one that participant "rival1" may answer`}},
		{"another agency elsewhere", f.agency3, "", []string{"O1", model.AnswerUphold, "", ""}, refusal{ledgererr.Forbidden, "", `objection "O1" is not one that participant "agency3" may answer`}},
		{"unknown objection", f.agency, "", []string{"O9", model.AnswerUphold, "", ""}, refusal{ledgererr.Forbidden, "", `objection "O9" is not one that participant "agency1" may answer: it does not exist`}},
		{"already answered", f.agency, "", []string{"O2", model.AnswerUphold, "", ""}, refusal{ledgererr.Conflict, "", "already answered: DISMISSED"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.mustRefuse(tc.want, func() chaincodetest.Result {
				if tc.contents == "" {
					return f.submit(tc.caller, "AnswerObjection", tc.args...)
				}
				return f.submitWithTransient(tc.caller, tc.contents, "AnswerObjection", tc.args...)
			})
		})
	}

	// The colleague answers with its own staging.
	f.t = t
	o := decode[model.ObjectionView](t, f.submit(f.colleague, "AnswerObjection", "O1", model.AnswerCorrect, "", "R1v4"))
	assert.Equal(t, "R1v4", o.NewRecordID)
	assert.Equal(t, "agency2", f.getRecord("R1v4").AgencyID)
}

func TestObjectionOverdue(t *testing.T) {
	f := newFixture(t)
	o1, _ := f.twoObjections(f.agency)
	assert.False(t, o1.Overdue)

	f.net.Advance(19 * 24 * time.Hour)
	assert.False(t, decode[model.ObjectionView](t, f.evaluate(f.subject, "GetObjection", "O1")).Overdue)
	f.submit(f.agency, "AnswerObjection", "O2", model.AnswerDismiss, "stands", "").MustOK(t) // answered in time

	f.net.Advance(2 * 24 * time.Hour) // 21 days since filing
	for _, id := range []chaincodetest.Identity{f.subject, f.regulator, f.agency, f.colleague} {
		o := decode[model.ObjectionView](t, f.evaluate(id, "GetObjection", "O1"))
		assert.True(t, o.Overdue, "as %s", id)
	}
	all := decode[model.ObjectionPage](t, f.evaluate(f.regulator, "ListObjections", usccSubject, "", ""))
	require.Len(t, all.Items, 2)
	assert.True(t, all.Items[0].Overdue)
	assert.False(t, all.Items[1].Overdue, "an answered objection is never overdue")
	open := decode[model.ObjectionPage](t, f.evaluate(f.agency, "ListAgencyObjections", "", ""))
	require.Len(t, open.Items, 1)
	assert.Equal(t, "O1", open.Items[0].ObjectionID)
	assert.True(t, open.Items[0].Overdue)

	// Answering late is still answering; the answered objection is not overdue.
	o := decode[model.ObjectionView](t, f.submit(f.agency, "AnswerObjection", "O1", model.AnswerUphold, "", ""))
	assert.False(t, o.Overdue)
	assert.False(t, decode[model.ObjectionView](t, f.evaluate(f.subject, "GetObjection", "O1")).Overdue)
}

func TestObjectionReads(t *testing.T) {
	f := newFixture(t)
	f.twoObjections(f.agency3)

	// Each agency sees only the open objections it must answer.
	mine := decode[model.ObjectionPage](t, f.evaluate(f.colleague, "ListAgencyObjections", "", ""))
	require.Len(t, mine.Items, 1)
	assert.Equal(t, "O1", mine.Items[0].ObjectionID)
	theirs := decode[model.ObjectionPage](t, f.evaluate(f.agency3, "ListAgencyObjections", "", ""))
	require.Len(t, theirs.Items, 1)
	assert.Equal(t, "O2", theirs.Items[0].ObjectionID)
	assert.Empty(t, decode[model.ObjectionPage](t, f.evaluate(f.rival, "ListAgencyObjections", "", "")).Items)

	page := decode[model.ObjectionPage](t, f.evaluate(f.subjectColleague, "ListObjections", usccSubject, "1", ""))
	require.Len(t, page.Items, 1)
	page = decode[model.ObjectionPage](t, f.evaluate(f.subjectColleague, "ListObjections", usccSubject, "1", page.Bookmark))
	require.Len(t, page.Items, 1)
	assert.Equal(t, "O2", page.Items[0].ObjectionID)

	for _, tc := range []struct {
		name   string
		caller chaincodetest.Identity
		fn     string
		args   []string
		want   refusal
	}{
		{"stranger gets", f.stranger, "GetObjection", []string{"O1"}, refusal{ledgererr.Forbidden, "", `objection "O1" is not one that participant "stranger1" may read`}},
		{"other agency gets", f.agency3, "GetObjection", []string{"O1"}, refusal{ledgererr.Forbidden, "", `objection "O1" is not one that participant "agency3" may read`}},
		{"bank lists", f.bank, "ListObjections", []string{usccSubject, "", ""}, refusal{ledgererr.Forbidden, "", "may not read its objections"}},
		{"agency lists a subject", f.agency, "ListObjections", []string{usccSubject, "", ""}, refusal{ledgererr.Forbidden, "", "may not read its objections"}},
		{"non-agency lists agency objections", f.subject, "ListAgencyObjections", []string{"", ""}, refusal{ledgererr.Forbidden, "", "none of the roles"}},
		{"unknown objection", f.subject, "GetObjection", []string{"O9"}, refusal{ledgererr.Forbidden, "", `objection "O9" is not one that participant "subject1" may read: it does not exist`}},
		{"bad objection ID", f.subject, "GetObjection", []string{"O 1"}, refusal{ledgererr.InvalidArgument, "objectionId", "must be"}},
		{"bad subject", f.subject, "ListObjections", []string{"x", "", ""}, refusal{ledgererr.InvalidArgument, "subjectUscc", "18-character"}},
		{"bad page size", f.agency, "ListAgencyObjections", []string{"-1", ""}, refusal{ledgererr.InvalidArgument, "pageSize", "1 to 100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.mustRefuse(tc.want, func() chaincodetest.Result { return f.evaluate(tc.caller, tc.fn, tc.args...) })
		})
	}
}

// An objection to a record an agency issued about its own enterprise (which
// Publish now refuses; such a record may predate the rule) is never answered
// by that agency: it would decide its own case. Nobody of the agency can
// answer it, then (answerable), and once it is overdue a regulator does: the
// record is not left under an objection nobody may ever answer.
func TestAgencyDoesNotAnswerAnObjectionAboutItself(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	// Rewrite the record and its objection as if the agency had rated
	// itself and its own staff had objected.
	f.net.SubmitFunc(f.agency, func(stub shim.ChaincodeStubInterface) error {
		rewrite := func(key string, edit func(map[string]any)) error {
			b, err := stub.GetState(key)
			if err != nil {
				return err
			}
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				return err
			}
			edit(v)
			b, _ = json.Marshal(v)
			return stub.PutState(key, b)
		}
		if err := rewrite(recordKey("R1"), func(v map[string]any) { v["subjectUscc"] = usccAgency }); err != nil {
			return err
		}
		return rewrite("\x00"+keyObjection+"\x00O1\x00", func(v map[string]any) { v["subjectUscc"] = usccAgency })
	}).MustOK(t)
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "its own enterprise"}, func() chaincodetest.Result {
		return f.submit(f.colleague, "AnswerObjection", "O1", model.AnswerDismiss, "we stand by it", "")
	})
	f.net.Advance(model.ObjectionAnswerWindow + time.Second)
	answered := decode[model.ObjectionView](t, f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerUphold, "", ""))
	assert.True(t, answered.AnsweredByRegulator)
	assert.Equal(t, model.RecordWithdrawn, f.getRecord("R1").Status)
}

// afterWindow is the due time of an objection raised at the stored instant
// raised.
func afterWindow(t *testing.T, raised string) string {
	at, err := time.Parse(time.RFC3339, raised)
	require.NoError(t, err)
	return at.Add(model.ObjectionAnswerWindow).UTC().Format(time.RFC3339)
}

// An auditor reads from the record alone when an answer was due, whether it
// came late, and that the record was disputed, however the dispute ended.
func TestObjectionDeadlinesAndDisputesStayOnTheRecord(t *testing.T) {
	f := newFixture(t)
	onTime, late := f.twoObjections(f.agency)
	assert.Equal(t, afterWindow(t, onTime.RaisedAt), onTime.DueAt)

	f.net.Advance(model.ObjectionAnswerWindow - time.Hour)
	dismissed := decode[model.ObjectionView](t, f.submit(f.agency, "AnswerObjection", "O1", model.AnswerDismiss, "the default is on file", ""))
	assert.False(t, dismissed.AnsweredLate, "answered an hour before it was due")
	f.net.Advance(2 * time.Hour)
	assert.True(t, decode[model.ObjectionView](t, f.evaluate(f.subject, "GetObjection", "O2")).Overdue)
	upheld := decode[model.ObjectionView](t, f.submit(f.agency, "AnswerObjection", "O2", model.AnswerUphold, "", ""))
	assert.True(t, upheld.AnsweredLate, "answered an hour after it was due")
	assert.False(t, upheld.Overdue, "answered, so no longer overdue")
	assert.Equal(t, late.DueAt, upheld.DueAt)

	// The dismissed objection left the record ACTIVE, but visibly disputed.
	r1 := f.getRecord("R1")
	assert.Equal(t, model.RecordActive, r1.Status)
	assert.Equal(t, 1, r1.Disputes)
	assert.Equal(t, &model.Dispute{ObjectionID: "O1", Status: model.CreditObjectionDismissed, RaisedAt: onTime.RaisedAt,
		DueAt: onTime.DueAt, AnsweredAt: dismissed.AnsweredAt}, r1.LastDispute)
	r2 := f.getRecord("R2")
	assert.Equal(t, model.RecordWithdrawn, r2.Status)
	assert.Equal(t, &model.Dispute{ObjectionID: "O2", Status: model.CreditObjectionUpheld, RaisedAt: late.RaisedAt,
		DueAt: late.DueAt, AnsweredAt: upheld.AnsweredAt, AnsweredLate: true}, r2.LastDispute)
	// The regulator and a reader of the record through a trace see the same.
	records := f.lookUp(f.regulator, "T1", usccSubject, "supervision", "")
	require.Len(t, records, 1)
	assert.Equal(t, r1.LastDispute, records[0].LastDispute)

	// A second objection counts, and becomes the one the record shows.
	f.raise("O3", "R1")
	assert.Equal(t, 2, f.getRecord("R1").Disputes)
	assert.Equal(t, "O3", f.getRecord("R1").LastDispute.ObjectionID)
}

// The transaction time is the client's claim. A party who stamps its step on
// the convenient side of a deadline gets no endorsement from a peer whose
// clock says otherwise, and the objection's policy needs both parties' orgs.
func TestObjectionDeadlinesAreJudgedByThePeersClocks(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency, "R2", usccSubject)

	// The subject backdates its objection by a day, so that a timely answer
	// would look late.
	f.wallOffset = 24 * time.Hour
	f.mustRefuse(skewed, func() chaincodetest.Result {
		return f.submit(f.subject, "RaiseObjection", "O1", "R1", "backdated")
	})
	f.wallOffset = 0
	o := f.raise("O1", "R1")
	assertMajority(t, f.net.Ledger().ValidationParameter("\x00"+keyObjection+"\x00O1\x00"))

	// The agency answers a day late but stamps its answer a day earlier,
	// inside the window.
	f.net.Advance(model.ObjectionAnswerWindow + 24*time.Hour)
	f.wallOffset = 2 * 24 * time.Hour
	f.mustRefuse(skewed, func() chaincodetest.Result {
		f.net.Advance(-2 * 24 * time.Hour) // the stamp: a day before the due time
		defer f.net.Advance(2 * 24 * time.Hour)
		return f.submit(f.agency, "AnswerObjection", "O1", model.AnswerDismiss, "answered in time, honestly", "")
	})
	// Clocks a few minutes apart are tolerated; the answer is what it is: late.
	f.wallOffset = model.MaxClockSkew - time.Minute
	answered := decode[model.ObjectionView](t, f.submit(f.agency, "AnswerObjection", "O1", model.AnswerDismiss, "stands", ""))
	assert.True(t, answered.AnsweredLate)
	assert.Greater(t, answered.AnsweredAt, o.DueAt)
}

// A refused read of an objection tells the caller nothing about it: naming
// an objection it may not read is refused exactly as naming one that does not
// exist, without the code of the enterprise that raised it (ListObjections
// keeps the same caller from learning that the enterprise disputes a record)
// or of the agency that must answer it.
func TestRefusedObjectionReadTellsNothingOfIt(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	callers := []namedCaller{
		{"stranger", f.stranger}, {"bank", f.bank}, {"another agency", f.agency3}, {"another agency of the agency's org", f.rival},
	}
	refusedAsMissing(t, f, callers, "O1", "O9", "an objection the caller may not read reads as a missing one",
		func(t *testing.T, caller chaincodetest.Identity, objectionID string) string {
			t.Helper()
			return refusalOf(t, f.evaluate(caller, "GetObjection", objectionID).Err, objectionID)
		})
}

// An agency refused an answer learns nothing of the objection either: naming
// one that another agency must answer is refused exactly as naming one that
// does not exist, without the code of the agency that must answer it or of
// the enterprise that raised it. Nor does a regulator refused one that its
// agency can still answer.
func TestRefusedAnswerTellsNothingOfTheObjection(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	callers := []namedCaller{{"another agency", f.agency3}, {"another agency of the agency's org", f.rival}, {"a regulator", f.regulator}}
	refusedAsMissing(t, f, callers, "O1", "O9", "an objection for another agency reads as a missing one",
		func(t *testing.T, caller chaincodetest.Identity, objectionID string) string {
			t.Helper()
			before := f.snapshot()
			r := f.submit(caller, "AnswerObjection", objectionID, model.AnswerUphold, "", "")
			assert.True(t, before.equal(f.snapshot()), "a refused answer wrote to the ledger")
			return refusalOf(t, r.Err, objectionID)
		})
}

// namedCaller is a caller a subtest is named after.
type namedCaller struct {
	name   string
	caller chaincodetest.Identity
}

// refusedAsMissing asserts, for each caller in its own subtest, that refused
// refuses the caller the record of ID existing exactly as it refuses
// missing, which does not exist.
func refusedAsMissing(t *testing.T, f *fixture, callers []namedCaller, existing, missing, msg string,
	refused func(t *testing.T, caller chaincodetest.Identity, id string) string) {
	t.Helper()
	for _, tc := range callers {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			assert.Equal(t, refused(t, tc.caller, missing), refused(t, tc.caller, existing), msg)
		})
	}
}

// refusalOf is the code and message of a refusal of the record of ID id (an
// objection, a query trace), the ID left out, so that two refusals compare;
// it names neither the subject enterprise nor the agency.
func refusalOf(t *testing.T, err error, id string) string {
	t.Helper()
	require.Error(t, err)
	e, ok := ledgererr.Parse(err.Error())
	require.True(t, ok, "error carries no code: %v", err)
	assert.NotContains(t, e.Message, usccSubject, "the subject enterprise leaks")
	assert.NotContains(t, e.Message, usccAgency, "the agency leaks")
	return string(e.Code) + ": " + strings.ReplaceAll(e.Message, `"`+id+`"`, `"?"`)
}
