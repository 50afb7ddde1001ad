package credit

import (
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

// requireReadsNoneOf fails unless step read no key with a segment among
// others: a member who signs its own transaction receives its read set, so
// a key read there is one told to it, whatever the queries would answer it.
func requireReadsNoneOf(t *testing.T, step string, r chaincodetest.Result, others ...string) {
	t.Helper()
	r.MustOK(t)
	for _, key := range r.Reads {
		for _, segment := range strings.Split(key, "\x00") {
			for _, other := range others {
				assert.NotEqual(t, other, segment, "%s read %q", step, strings.ReplaceAll(key, "\x00", "|"))
			}
		}
	}
}

// TestAMembersCreditStepsReadNoOneElses: what a subject and a grantee
// submit reads no other enterprise's record, objection or trace, and no
// authorisation but the one the step is about (the subject's own
// authorisations of others included, for the grantee). A member signing for
// itself receives what its transaction read. Retired records are
// TestALookupReadsNoRetiredRecord's.
func TestAMembersCreditStepsReadNoOneElses(t *testing.T) {
	f := newFixture(t)
	validUntil := f.net.Now().AddDate(0, 1, 0).Format(time.RFC3339)
	// Another enterprise's record, objection and lookup; another grantee's
	// authorisation of the same subject.
	f.publish(f.agency, "R-stranger", usccStranger)
	f.submit(f.stranger, "RaiseObjection", "O-stranger", "R-stranger", "not ours").MustOK(t)
	f.submit(f.stranger, "RequestQuery", "T-stranger", usccStranger, purposeLending, "").MustOK(t)
	f.submit(f.subject, "Authorize", "A-other", "bank2", purposeLending, validUntil).MustOK(t)
	others := []string{"R-stranger", "O-stranger", "T-stranger", "A-other", usccStranger, "bank2"}

	f.publish(f.agency, "R1", usccSubject)
	requireReadsNoneOf(t, "Authorize", f.submit(f.subject, "Authorize", "A1", "bank1", purposeLending, validUntil), others...)
	requireReadsNoneOf(t, "RequestQuery (grantee)", f.submit(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1"), others...)
	requireReadsNoneOf(t, "RequestQuery (subject)", f.submit(f.subject, "RequestQuery", "T2", usccSubject, purposeLending, ""), others...)
	requireReadsNoneOf(t, "RaiseObjection", f.submit(f.subject, "RaiseObjection", "O1", "R1", "paid on time"), others...)
	requireReadsNoneOf(t, "RevokeAuthorization", f.submit(f.subject, "RevokeAuthorization", "A1"), others...)
}

// TestALookupReadsNoRetiredRecord: a record an objection's answer withdrew or
// superseded leaves the range a lookup's read reads (retire), so a grantee
// endorsing its own read of the trace is told neither the retired records'
// IDs nor when they changed: GetRecord refuses it them. The
// subject, the regulator and agencies still list every record, in ID order.
func TestALookupReadsNoRetiredRecord(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"R1", "R2", "R3"} {
		f.publish(f.agency, id, usccSubject)
	}
	f.raise("O1", "R1")
	f.submit(f.agency, "AnswerObjection", "O1", model.AnswerUphold, "the default was cured", "").MustOK(t)
	f.raise("O2", "R2")
	f.stage(f.agency, contentsJSON("A", "corrected"), "R2v2", usccSubject).MustOK(t)
	f.submit(f.agency, "AnswerObjection", "O2", model.AnswerCorrect, "two payments were on time", "R2v2").MustOK(t)
	f.authorize("A1", "bank1", f.net.Now().AddDate(0, 1, 0).Format(time.RFC3339))

	requireReadsNoneOf(t, "RequestQuery (grantee)", f.submit(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1"), "R1", "R2")
	var named []string
	for _, r := range decode[model.ReadResult](t, f.read(f.bank, mspZhejiang, "T1")).Records {
		named = append(named, r.Record.RecordID)
	}
	assert.Equal(t, []string{"R2v2", "R3"}, named, "the records in force")
	requireReadsNoneOf(t, "ReadRecords (grantee)", f.read(f.bank, mspShanghai, "T1"), "R1", "R2")

	for _, id := range []chaincodetest.Identity{f.subject, f.regulator, f.agency} {
		var listed []string
		for bookmark := ""; ; {
			page := decode[model.RecordPage](t, f.evaluate(id, "ListRecords", usccSubject, "1", bookmark))
			for _, r := range page.Items {
				listed = append(listed, r.RecordID)
			}
			if bookmark = page.Bookmark; bookmark == "" {
				break
			}
		}
		assert.Equal(t, []string{"R1", "R2", "R2v2", "R3"}, listed, "as %s: every record, in ID order", id)
	}
}

// TestAnEvaluatedLookupTellsNothingOfTheRecords: a grantee that evaluates
// RequestQuery, and so commits no trace its subject would see, learns
// nothing that GetRecord refuses it: not from the answer (the trace it
// asked for, no record), and not from the read set, which holds no key of
// the credit records or of their indexes. What the records are it learns
// from ReadRecords, which answers only on a committed trace.
func TestAnEvaluatedLookupTellsNothingOfTheRecords(t *testing.T) {
	f := newFixture(t)
	r1 := f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency3, "R2", usccSubject)
	f.raise("O1", "R1")
	f.authorize("A1", "bank1", f.net.Now().AddDate(0, 1, 0).Format(time.RFC3339))
	f.mustRefuse(refusal{ledgererr.NotFound, "", `record "R1" does not exist`}, func() chaincodetest.Result {
		return f.evaluate(f.bank, "GetRecord", "R1")
	})

	before := f.snapshot()
	for _, peerMSP := range []string{mspZhejiang, mspShanghai} {
		evaluated := f.net.Invoke(f.bank, chaincodetest.Call{Function: "credit:RequestQuery",
			Args: []string{"T1", usccSubject, purposeLending, "A1"}, PeerMSP: peerMSP, Evaluate: true}).MustOK(t)
		for _, told := range []string{"R1", "R2", r1.ContentHash, mspShanghai, mspAnhui, "agency1", "agency3", model.RecordUnderObjection} {
			assert.NotContains(t, string(evaluated.Payload), told, "on a peer of %s, the evaluated lookup answered %s", peerMSP, told)
		}
		for _, key := range evaluated.Reads {
			for _, kind := range []string{keyRecord, idxRecordBySubject, idxRetiredBySubject, keyObjection, idxObjectionBySubject} {
				assert.False(t, strings.HasPrefix(key, "\x00"+kind+"\x00"), "on a peer of %s, the evaluated lookup read %q", peerMSP, strings.ReplaceAll(key, "\x00", "|"))
			}
		}
		assert.Len(t, evaluated.PrivateReads, 0, "on a peer of %s", peerMSP)
	}
	assert.True(t, before.equal(f.snapshot()), "an evaluation wrote to the ledger")
	f.mustRefuse(refusal{ledgererr.NotFound, "", `query trace "T1" does not exist`}, func() chaincodetest.Result {
		return f.read(f.bank, mspZhejiang, "T1")
	})
}

// TestAnAgencysListOfRecordsReadsNoOtherAgencys: an agency's ListRecords
// reads the records its own enterprise issued about the subject, in force or
// retired, through its own entries (credit.record~issuer), and no other
// agency's record, nor any entry naming one: its client receives the read
// set, which named every record about the subject, and how many there are,
// while the answer left them out. The answers are those of
// TestAnAgencyReadsOnlyItsOwnEnterprisesRecordsWithoutATrace. Its GetRecord
// of its own record reads no other record either; of another agency's, the
// one key it named.
func TestAnAgencysListOfRecordsReadsNoOtherAgencys(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency3, "R0", usccSubject)
	r1 := f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency3, "R2", usccSubject)
	f.raise("O2", "R2")
	f.stage(f.agency3, contentsJSON("A", "corrected"), "R2v2", usccSubject).MustOK(t)
	f.submit(f.agency3, "AnswerObjection", "O2", model.AnswerCorrect, "two payments were on time", "R2v2").MustOK(t)
	theirs := []string{"R0", "R2", "R2v2", "O2", "agency3"}

	rival := f.evaluate(f.rival, "ListRecords", usccSubject, "", "")
	requireReadsNoneOf(t, "ListRecords (rival)", rival, append(theirs, "R1", "agency1")...)
	assert.Empty(t, decode[model.RecordPage](t, rival).Items)
	for _, bookmark := range []string{"", "R1"} {
		mine := f.evaluate(f.agency, "ListRecords", usccSubject, "1", bookmark)
		requireReadsNoneOf(t, "ListRecords (issuer)", mine, theirs...)
		assert.Equal(t, []*model.Record{r1}, decode[model.RecordPage](t, mine).Items)
	}
	var listed []string
	for bookmark := ""; ; {
		page := f.evaluate(f.agency3, "ListRecords", usccSubject, "2", bookmark)
		requireReadsNoneOf(t, "ListRecords (another issuer)", page, "R1", "agency1")
		for _, r := range decode[model.RecordPage](t, page).Items {
			listed = append(listed, r.RecordID)
		}
		if bookmark = decode[model.RecordPage](t, page).Bookmark; bookmark == "" {
			break
		}
	}
	assert.Equal(t, []string{"R0", "R2", "R2v2"}, listed, "its records, retired ones too, in ID order")

	requireReadsNoneOf(t, "GetRecord (issuer)", f.evaluate(f.agency, "GetRecord", "R1"), theirs...)
	refused := f.evaluate(f.agency, "GetRecord", "R2")
	require.Error(t, refused.Err)
	requireReadsNoneOf(t, "GetRecord (refused)", chaincodetest.Result{Reads: refused.Reads}, "R0", "R2v2", "O2", "agency3")
}

// TestARecordPublishedBeforeTheIssuerEntriesIsListedOnceAnswered: a record
// published before 13.0.0 has no entries under its issuer, so its issuer's
// ListRecords leaves it out (what 13.0.0 leaves), and its GetRecord answers
// it as a missing one, until the issuer answers an objection to it, which
// files it. The subject reads it all along.
func TestARecordPublishedBeforeTheIssuerEntriesIsListedOnceAnswered(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.net.SubmitFunc(f.agency, func(stub shim.ChaincodeStubInterface) error {
		for _, entry := range []struct {
			index string
			attrs []string
		}{{idxRecordByIssuer, []string{usccAgency, usccSubject, "R1"}}, {idxRecordIssued, []string{usccAgency, "R1"}}} {
			key, err := stub.CreateCompositeKey(entry.index, entry.attrs)
			if err != nil {
				return err
			}
			if err := stub.DelState(key); err != nil {
				return err
			}
		}
		return nil
	}).MustOK(t)
	assert.Empty(t, decode[model.RecordPage](t, f.evaluate(f.agency, "ListRecords", usccSubject, "", "")).Items)
	f.mustRefuse(refusal{ledgererr.NotFound, "", `record "R1" does not exist`}, func() chaincodetest.Result {
		return f.evaluate(f.agency, "GetRecord", "R1")
	})

	f.raise("O1", "R1")
	f.submit(f.agency, "AnswerObjection", "O1", model.AnswerDismiss, "stands", "").MustOK(t)
	r1 := f.getRecord("R1")
	assert.Equal(t, []*model.Record{r1}, decode[model.RecordPage](t, f.evaluate(f.agency, "ListRecords", usccSubject, "", "")).Items)
	assert.Equal(t, r1, decode[model.Record](t, f.evaluate(f.agency, "GetRecord", "R1")))
}
