package credit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// garbledValues are bytes an org alone writes where it may: no JSON, and JSON of another form.
var garbledValues = map[string][]byte{"not JSON": []byte("garbage"), "another form": []byte(`{"recordId":["R1"],"authId":7}`)}

// garble turns key, marked by mark, into one as a chaincode before 16.0.0 left it, under org msp alone
// (makeLegacy), and writes value there as that org alone, as who.
func (f *fixture) garble(t *testing.T, who chaincodetest.Identity, key, mark, msp string, value []byte) {
	t.Helper()
	f.makeLegacy(t, key, mark, msp)
	f.net.Forge(who, chaincodetest.Writes{key: value}, msp).MustOK(t)
}

// garbleParticipant writes value at participant id's record, which is its org msp's alone, as that org alone, as who.
func (f *fixture) garbleParticipant(t *testing.T, who chaincodetest.Identity, id, msp string, value []byte) {
	t.Helper()
	f.net.Forge(who, chaincodetest.Writes{chaincodetest.Key("participant", id): value}, msp).MustOK(t)
}

// recordsOfTwoAgencies publishes the subject's records R1 (agency1's) and R2 (agency3's) and authorises bank1's
// lookups of the subject (A1) for two months: a lookup that leaves R1 out reads R2 as before.
func (f *fixture) recordsOfTwoAgencies() {
	f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency3, "R2", usccSubject)
	f.authorize("A1", "bank1", f.net.Now().AddDate(0, 2, 0).Format(time.RFC3339))
}

// grantsOfTwoSubjects authorises bank1's lookups, for two months, of the subject (A1) and of the stranger (A2): the
// grantee's list that leaves A1 out, or reads it LAPSED, still shows A2 as before.
func (f *fixture) grantsOfTwoSubjects(t *testing.T) {
	t.Helper()
	until := f.net.Now().AddDate(0, 2, 0).Format(time.RFC3339)
	f.authorize("A1", "bank1", until)
	f.submit(f.stranger, "Authorize", "A2", "bank1", purposeLending, until).MustOK(t)
}

// A record published before 16.0.0 is under its agency's org alone, which, running chaincode of its own, writes any
// bytes there: they are no record, and fail no lookup or list of its subject, which read the subject's other
// records (another agency's, here) as before. They failed every one with INTERNAL, for good.
func TestAnAgencyOrgAloneFailsNoLookupWithItsLegacyRecord(t *testing.T) {
	for name, garbled := range garbledValues {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.recordsOfTwoAgencies()
			f.garble(t, f.agency, recordKey("R1"), "\x00"+keyRecordSealed+"\x00R1\x00", mspShanghai, garbled)

			f.requestQuery(f.subject, "T1", usccSubject, "own review", "")
			listed, contents := f.readIDs(t, f.subject, mspAnhui, "T1")
			assert.Equal(t, []string{"R2"}, listed)
			assert.Equal(t, []string{"R2"}, contents)
			f.requestQuery(f.bank, "T2", usccSubject, purposeLending, "A1")
			f.readsOnly(t, f.bank, mspAnhui, "T2", "R2")
			for _, lister := range []chaincodetest.Identity{f.subject, f.regulator, f.agency3} {
				page := decode[model.RecordPage](t, f.evaluate(lister, "ListRecords", usccSubject, "", ""))
				require.Len(t, page.Items, 1, lister.ID)
				assert.Equal(t, "R2", page.Items[0].RecordID)
			}
			assert.Empty(t, decode[model.RecordPage](t, f.evaluate(f.agency, "ListRecords", usccSubject, "", "")).Items)
		})
	}
}

// An authorisation granted before 16.0.0 is under its subject's org alone, which writes any bytes there: they are
// no authorisation, and fail no list of its grantee, whose other authorisations (another subject's, here) it lists
// as before, nor of the subject; a lookup naming it is refused as one naming none. The grantee's list failed with
// INTERNAL, for good.
func TestASubjectOrgAloneFailsNoGranteesListWithItsLegacyAuthorisation(t *testing.T) {
	for name, garbled := range garbledValues {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.grantsOfTwoSubjects(t)
			f.garble(t, f.subject, authKey("A1"), "\x00"+keyAuthSealed+"\x00A1\x00", mspJiangsu, garbled)

			page := decode[model.AuthorizationPage](t, f.evaluate(f.bank, "ListMyAuthorizations", "", ""))
			require.Len(t, page.Items, 1)
			assert.Equal(t, "A2", page.Items[0].AuthID)
			assert.Equal(t, model.AuthorizationActive, page.Items[0].Status)
			assert.Empty(t, decode[model.AuthorizationPage](t, f.evaluate(f.regulator, "ListAuthorizations", usccSubject, "", "")).Items)
			f.mustRefuse(refusal{ledgererr.Forbidden, "", "does not entitle participant"}, func() chaincodetest.Result {
				return f.submit(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1")
			})
		})
	}
}

// An objection raised before 16.0.0 was under the agency's org and the raiser's, one org where both are of it, which
// writes any bytes there alone: they are no objection, and fail no list of the subject's objections or the agency's,
// which list the others as before. They failed with INTERNAL, for good.
func TestOneOrgAloneFailsNoObjectionListWithItsLegacyObjection(t *testing.T) {
	for name, garbled := range garbledValues {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.publish(f.agency, "R1", usccSubject)
			f.publish(f.agency, "R2", usccSubject)
			f.raise("O1", "R1")
			f.raise("O2", "R2")
			f.garble(t, f.agency, "\x00"+keyObjection+"\x00O1\x00", "\x00none\x00", mspShanghai, garbled)

			for _, list := range []struct {
				who  chaincodetest.Identity
				fn   string
				args []string
			}{
				{f.subject, "ListObjections", []string{usccSubject, "", ""}},
				{f.regulator, "ListObjections", []string{usccSubject, "", ""}},
				{f.agency, "ListAgencyObjections", []string{"", ""}},
			} {
				page := decode[model.ObjectionPage](t, f.evaluate(list.who, list.fn, list.args...))
				require.Len(t, page.Items, 1, list.fn)
				assert.Equal(t, "O2", page.Items[0].ObjectionID)
			}
		})
	}
}

// An agency's participant record is its org's alone to write. Bytes there that are no participant answer no
// objection for it (answerable): a lender's lookup of the subject, once an objection to that agency's record is
// overdue, reads the subject's other records (another agency's, here) and withholds that one, as from an agency
// nobody answers for; the regulator answers the objection for the agency. The agency's org alone failed both with
// INTERNAL, for good.
func TestAnAgencyOrgAloneFailsNoLookupWithItsAgencysParticipantRecord(t *testing.T) {
	for name, garbled := range garbledValues {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.recordsOfTwoAgencies()
			f.raise("O1", "R1")
			f.net.Advance(model.ObjectionAnswerWindow + time.Second)
			f.garbleParticipant(t, f.agency, "agency1", mspShanghai, garbled)

			f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
			f.readsOnly(t, f.bank, mspAnhui, "T1", "R2")
			answered := decode[model.ObjectionView](t, f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerUphold, "", ""))
			assert.True(t, answered.AnsweredByRegulator)
		})
	}
}

// A grantor's participant record is its org's alone to write (the subject's). Bytes there that are no participant
// grant nothing: the authorisation reads LAPSED, and the grantee's list shows its other grants (another subject's,
// here) as before. They failed the grantee's every list with INTERNAL, for good.
func TestASubjectOrgAloneFailsNoGranteesListWithItsGrantorsParticipantRecord(t *testing.T) {
	for name, garbled := range garbledValues {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.grantsOfTwoSubjects(t)
			f.garbleParticipant(t, f.subject, "subject1", mspJiangsu, garbled)

			page := decode[model.AuthorizationPage](t, f.evaluate(f.bank, "ListMyAuthorizations", "", ""))
			require.Len(t, page.Items, 2)
			status := map[string]string{}
			for _, a := range page.Items {
				status[a.AuthID] = a.Status
			}
			assert.Equal(t, map[string]string{"A1": model.AuthorizationLapsed, "A2": model.AuthorizationActive}, status)
		})
	}
}

// A raiser's participant record is its org's alone to write (the subject's). Bytes there that are no participant
// name no party's org, and fail no regulator's answer for an agency nobody answers for, which the record, withheld
// from lenders meanwhile, waits on. They failed it with INTERNAL, for good: the subject's org alone kept its record
// from every lender.
func TestASubjectOrgAloneFailsNoRegulatorsAnswerWithItsRaisersParticipantRecord(t *testing.T) {
	for name, garbled := range garbledValues {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.publish(f.agency, "R1", usccSubject)
			f.raise("O1", "R1")
			f.suspend(f.agency)
			f.suspend(f.colleague)
			f.net.Advance(model.ObjectionAnswerWindow + time.Second)
			f.garbleParticipant(t, f.subject, "subject1", mspJiangsu, garbled)

			answered := decode[model.ObjectionView](t, f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerDismiss, "it stands", ""))
			assert.True(t, answered.AnsweredByRegulator)
			assert.Equal(t, model.CreditObjectionDismissed, answered.Status)
		})
	}
}

// An agency's participant record is its org's alone to write. Bytes there that are no participant keep no subject
// from objecting to the agency's records: the objection names the agency's enterprise as the agency's registration
// certified it, and the agency's colleague answers it. They failed every objection to its records, for good.
func TestAnAgencyOrgAloneKeepsNoSubjectFromObjectingWithItsAgencysParticipantRecord(t *testing.T) {
	for name, garbled := range garbledValues {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.publish(f.agency, "R1", usccSubject)
			f.garbleParticipant(t, f.agency, "agency1", mspShanghai, garbled)

			raised := decode[model.ObjectionView](t, f.submit(f.subject, "RaiseObjection", "O1", "R1", "not ours"))
			assert.Equal(t, usccAgency, raised.AgencyUSCC)
			answered := decode[model.ObjectionView](t, f.submit(f.colleague, "AnswerObjection", "O1", model.AnswerDismiss, "it stands", ""))
			assert.Equal(t, model.CreditObjectionDismissed, answered.Status)
		})
	}
}
