package credit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// readIDs reads trace traceID as id on a peer of peerMSP and returns the IDs
// of the records it lists, and of those whose contents it returned.
func (f *fixture) readIDs(t *testing.T, id chaincodetest.Identity, peerMSP, traceID string) (listed, contents []string) {
	t.Helper()
	listed, contents = []string{}, []string{}
	for _, r := range decode[model.ReadResult](t, f.read(id, peerMSP, traceID)).Records {
		listed = append(listed, r.Record.RecordID)
		if r.Contents != "" {
			contents = append(contents, r.Record.RecordID)
		}
	}
	return listed, contents
}

// An objection nobody can answer does not leave the record in the hands of
// the subject's counterparties for good: once every participant of the
// issuing agency lost what lets it answer (suspended here, its agency role
// or its enterprise's binding alike), the subject's objection goes unanswered
// and, from its due time on, a lookup under an authorisation no longer reads
// the record, on the peer that lists the records nor on the one that holds
// the contents; the subject and the regulator still do. A grantee stamping
// its read back inside the window, its peer's clock past the due time, reads
// it no more.
func TestARecordWhoseObjectionGoesUnansweredIsWithheldFromGrantees(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency3, "R2", usccSubject)
	f.suspend(f.agency)
	f.suspend(f.colleague)
	o := f.raise("O1", "R1")
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "is suspended"}, func() chaincodetest.Result {
		return f.submit(f.colleague, "AnswerObjection", "O1", model.AnswerUphold, "", "")
	})
	validUntil := f.net.Now().AddDate(0, 2, 0).Format(time.RFC3339)
	f.authorize("A1", "bank1", validUntil)

	f.net.Advance(model.ObjectionAnswerWindow - time.Minute)
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	listed, _ := f.readIDs(t, f.bank, mspZhejiang, "T1")
	assert.Equal(t, []string{"R1", "R2"}, listed, "within the window the disputed record is read, under objection")

	// The grantee stamps its read a few minutes back, inside the window; its peer's clock has passed the due time.
	f.wallOffset = 2 * time.Minute
	listed, _ = f.readIDs(t, f.bank, mspZhejiang, "T1")
	assert.Equal(t, []string{"R2"}, listed, "withheld by the peer's clock")
	f.wallOffset = 0

	f.net.Advance(time.Hour)
	require.Greater(t, model.FormatTime(f.net.Now()), o.DueAt)
	f.requestQuery(f.bank, "T2", usccSubject, purposeLending, "A1")
	listed, _ = f.readIDs(t, f.bank, mspZhejiang, "T2")
	assert.Equal(t, []string{"R2"}, listed)
	listed, contents := f.readIDs(t, f.bank, mspShanghai, "T2")
	assert.Equal(t, []string{"R2"}, listed, "the holding org's peer withholds it too")
	assert.Empty(t, contents, "and its contents")

	f.requestQuery(f.subject, "T3", usccSubject, purposeLending, "")
	_, contents = f.readIDs(t, f.subject, mspShanghai, "T3")
	assert.Equal(t, []string{"R1"}, contents, "the subject reads what it disputes")
	f.requestQuery(f.regulator, "T4", usccSubject, purposeLending, "")
	_, contents = f.readIDs(t, f.regulator, mspShanghai, "T4")
	assert.Equal(t, []string{"R1"}, contents, "and so does the regulator")
}

// Only an objection nobody can answer withholds the record: while a
// participant of the issuing agency can answer and does not, the record is
// read, marked overdue, as before, so that the subject's org, whose
// endorsement AnswerObjection needs, cannot withhold a record by keeping
// the agency from answering. Once nobody can (every agency participant
// suspended), it is withheld; once one can again (reinstated), it is read
// again, and the answer settles it. Its org releasing the agency enterprise
// withholds it too.
func TestAnOverdueObjectionWithholdsOnlyWhileNobodyCanAnswer(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency3, "R2", usccSubject)
	f.raise("O1", "R1")
	f.submit(f.subject, "RaiseObjection", "O2", "R2", "paid on time").MustOK(t)
	f.authorize("A1", "bank1", f.net.Now().AddDate(0, 2, 0).Format(time.RFC3339))
	f.net.Advance(model.ObjectionAnswerWindow + time.Hour)
	lookUp := func(traceID string) []string {
		t.Helper()
		f.requestQuery(f.bank, traceID, usccSubject, purposeLending, "A1")
		listed, _ := f.readIDs(t, f.bank, mspZhejiang, traceID)
		return listed
	}
	assert.Equal(t, []string{"R1", "R2"}, lookUp("T1"), "overdue, but their agencies can answer")

	f.suspend(f.agency)
	assert.Equal(t, []string{"R1", "R2"}, lookUp("T2"), "a colleague can answer")
	f.suspend(f.colleague)
	assert.Equal(t, []string{"R2"}, lookUp("T3"))
	f.asAdmin(f.agency3, "ReleaseEnterprise", usccAgency3, "licence withdrawn").MustOK(t)
	assert.Empty(t, lookUp("T4"))

	f.asAdmin(f.agency, "Reinstate", "agency1").MustOK(t)
	assert.Empty(t, lookUp("T5"), "reinstated, its key withdrawn: it cannot answer yet")
	rebound := rulestest.Member(f.cas[mspShanghai], "agency1", usccAgency, "agency", "agency1")
	f.asAdmin(f.agency, "RebindKey", "agency1", string(rebound.CertPEM), "new key").MustOK(t)
	assert.Equal(t, []string{"R1"}, lookUp("T6"))
	f.submit(rebound, "AnswerObjection", "O1", model.AnswerUphold, "", "").MustOK(t)
	assert.Empty(t, lookUp("T7"), "withdrawn")
}
