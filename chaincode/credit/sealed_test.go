package credit

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// storedRecord reads the committed record as stored.
func (f *fixture) storedRecord(t *testing.T, id string) *model.Record {
	var r model.Record
	require.NoError(t, json.Unmarshal(f.net.Ledger().State(recordKey(id)), &r))
	return &r
}

// authKey is the state key of authorisation id.
func authKey(id string) string { return "\x00" + keyAuth + "\x00" + id + "\x00" }

// requirePolicyFailure asserts that a transaction was refused at validation: its writes need other orgs.
func requirePolicyFailure(t *testing.T, r chaincodetest.Result) {
	t.Helper()
	require.Error(t, r.Err, "one org alone rewrote the key")
	assert.Contains(t, r.Err.Error(), "ENDORSEMENT_POLICY_FAILURE")
}

// makeLegacy turns key, marked by mark, into one as a chaincode before 16.0.0 left it: under org msp alone and
// unmarked (the transaction is endorsed by every org).
func (f *fixture) makeLegacy(t *testing.T, key, mark, msp string) {
	t.Helper()
	policy := chaincodetest.KeyPolicy(msp)
	f.net.InvokeFunc(f.regulator, chaincodetest.Call{Endorsers: []string{mspShanghai, mspJiangsu, mspZhejiang, mspAnhui}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			if err := stub.DelState(mark); err != nil {
				return nil, err
			}
			return nil, stub.SetStateValidationParameter(key, policy)
		}).MustOK(t)
}

// A published record's key needs a majority of the orgs: its agency's org alone, running chaincode of its own,
// rewrites none of it. Before 16.0.0 it could: forge a timely dismissal while the objection stayed OPEN (grantees
// read the record, and no regulator could answer, the record no longer under objection), swap the contents and
// their public hash (a lender read the new grade Verified), attribute the record to another org's agency (which
// then could never answer its objections, and whose unpublished draft that org's peers served, Verified), or stamp
// its last change in 2099 (every objection refused).
func TestNoAgencyOrgAloneRewritesItsPublishedRecord(t *testing.T) {
	f := newFixture(t)
	f.stage(f.agency3, contentsJSON("C", "draft: unverified rumour"), "R5", usccSubject).MustOK(t)
	f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency, "R5", usccSubject)
	o := f.raise("O1", "R1")
	before := f.snapshot()

	dismissed := f.storedRecord(t, "R1")
	dismissed.Status = model.RecordActive
	dismissed.LastDispute = &model.Dispute{ObjectionID: "O1", Status: model.CreditObjectionDismissed, RaisedAt: o.RaisedAt,
		DueAt: o.DueAt, AnsweredAt: model.FormatTime(f.net.Now())}
	requirePolicyFailure(t, f.net.Forge(f.agency, chaincodetest.Writes{recordKey("R1"): chaincodetest.JSON(t, dismissed)}))

	swapped := f.storedRecord(t, "R5")
	private := []byte(`{"evidenceHash":"` + evidence + `","grade":"D","recordId":"R5","subjectUscc":"` + usccSubject +
		`","summary":"defaulted","type":"RATING","validUntil":"2027-02-28T16:00:00Z"}`)
	swapped.ContentHash = sha256Hex(private)
	requirePolicyFailure(t, f.net.InvokeFunc(f.agency, chaincodetest.Call{Endorsers: []string{mspShanghai}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) { // the org's peers alone, running chaincode of their own
			if err := stub.PutPrivateData(implicitCollection(mspShanghai), privateKey("R5", usccSubject, "agency1"), private); err != nil {
				return nil, err
			}
			return nil, stub.PutState(recordKey("R5"), chaincodetest.JSON(t, swapped))
		}))

	moved := f.storedRecord(t, "R5")
	moved.AgencyID, moved.AgencyMSP, moved.Region = "agency3", mspAnhui, "anhui"
	moved.ContentHash = sha256Hex(f.net.Ledger().PrivateData(chaincodetest.ImplicitCollection(mspAnhui), privateKey("R5", usccSubject, "agency3")))
	requirePolicyFailure(t, f.net.Forge(f.agency, chaincodetest.Writes{recordKey("R5"): chaincodetest.JSON(t, moved)}))

	stamped := f.storedRecord(t, "R5")
	stamped.UpdatedAt = "2099-01-01T00:00:00Z"
	requirePolicyFailure(t, f.net.Forge(f.agency, chaincodetest.Writes{recordKey("R5"): chaincodetest.JSON(t, stamped)}))
	requirePolicyFailure(t, f.net.Forge(f.agency, chaincodetest.Writes{recordKey("R5"): nil}))
	after := f.snapshot()
	after.txs = before.txs // the forgeries are on the ledger, invalid
	assert.True(t, before.equal(after), "a forgery changed the state")

	// Nor does the subject's org alone answer for the agency.
	requirePolicyFailure(t, f.net.Forge(f.subject, chaincodetest.Writes{recordKey("R1"): chaincodetest.JSON(t, dismissed)}))
}

// The agency's org declining to endorse keeps no subject from objecting: RaiseObjection writes the record's key,
// which needs a majority of the orgs, not the agency's org. Before 16.0.0 it did, so that org kept the record read
// by grantees for good, with no objection for a regulator to answer.
func TestNoAgencyOrgKeepsItsSubjectFromObjecting(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", f.net.Now().AddDate(0, 2, 0).Format(time.RFC3339))
	f.suspend(f.agency)
	f.suspend(f.colleague)
	f.net.Invoke(f.subject, chaincodetest.Call{Function: "credit:RaiseObjection",
		Args: []string{"O1", "R1", "never owed"}, Endorsers: []string{mspJiangsu, mspZhejiang, mspAnhui}}).MustOK(t)
	f.net.Advance(model.ObjectionAnswerWindow + time.Hour)
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	listed, _ := f.readIDs(t, f.bank, mspZhejiang, "T1")
	assert.Empty(t, listed, "an overdue objection nobody can answer withholds the record")
	f.net.Invoke(f.regulator, chaincodetest.Call{Function: "credit:AnswerObjection",
		Args: []string{"O1", model.AnswerUphold, "agency gone", ""}, Endorsers: []string{mspAnhui, mspJiangsu, mspZhejiang}}).MustOK(t)
}

// An objection's key needs a majority of the orgs, never the org of the participant that raised it: once that org
// released the subject enterprise, which now acts from Zhejiang, the agency answers without it, and the subject
// objects again from its new org. Before 16.0.0 the old org alone vetoed every answer, and the objection stayed
// open for good.
func TestAFormerSubjectOrgVetoesNoAnswer(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	f.asAdmin(f.subject, "ReleaseEnterprise", usccSubject, "moving to Zhejiang").MustOK(t)
	moved := rulestest.Member(f.cas[mspZhejiang], "subject.zj", usccSubject, "holder", "subject.zj")
	f.net.Submit(f.cas[mspZhejiang].Issue("admin.mover", "admin"), "participants:Register", "subject.zj", string(moved.CertPEM), "holder", usccSubject, "subject.zj", "zhejiang").MustOK(t)

	f.net.Invoke(f.agency, chaincodetest.Call{Function: "credit:AnswerObjection",
		Args: []string{"O1", model.AnswerDismiss, "the record stands", ""}, Endorsers: []string{mspShanghai, mspZhejiang, mspAnhui}}).MustOK(t)
	assert.Equal(t, model.CreditObjectionDismissed, decode[model.ObjectionView](t, f.evaluate(moved, "GetObjection", "O1")).Status)
	f.net.Invoke(moved, chaincodetest.Call{Function: "credit:RaiseObjection",
		Args: []string{"O2", "R1", "still wrong"}, Endorsers: []string{mspZhejiang, mspShanghai, mspAnhui}}).MustOK(t)
}

// An authorisation's key needs a majority of the orgs: the subject's org alone neither dates its revocation
// before a lookup made under it (the ledger would show the lender looking up after consent was withdrawn), nor
// changes its purpose, nor deletes it. Its subject still revokes it without the grantee's org, and without its
// own org's endorsement (an org removed or gone never blocks the revocation).
func TestNoSubjectOrgAloneRewritesAnAuthorisation(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	granted := f.net.Now()
	f.authorize("A1", "bank1", granted.Add(48*time.Hour).Format(time.RFC3339))
	f.authorize("A2", "bank1", granted.Add(48*time.Hour).Format(time.RFC3339))
	f.net.Advance(time.Hour)
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")

	var a model.Authorization
	require.NoError(t, json.Unmarshal(f.net.Ledger().State(authKey("A1")), &a))
	revoked := a
	revoked.Status, revoked.RevokedBy = model.AuthorizationRevoked, "subject1"
	revoked.RevokedAt = model.FormatTime(granted.Add(time.Minute)) // 59 minutes before the lookup
	requirePolicyFailure(t, f.net.Forge(f.subject, chaincodetest.Writes{authKey("A1"): chaincodetest.JSON(t, &revoked)}))
	repurposed := a
	repurposed.Purpose = "marketing"
	requirePolicyFailure(t, f.net.Forge(f.subject, chaincodetest.Writes{authKey("A1"): chaincodetest.JSON(t, &repurposed)}))
	requirePolicyFailure(t, f.net.Forge(f.subject, chaincodetest.Writes{authKey("A1"): nil}))
	assert.Equal(t, model.AuthorizationActive, decode[model.AuthorizationPage](t, f.evaluate(f.subject, "ListAuthorizations", usccSubject, "", "")).Items[0].Status)

	for id, endorsers := range map[string][]string{
		"A1": {mspShanghai, mspJiangsu, mspAnhui},  // not the grantee's org
		"A2": {mspShanghai, mspZhejiang, mspAnhui}, // not the subject's org
	} {
		r := f.net.Invoke(f.subject, chaincodetest.Call{Function: "credit:RevokeAuthorization", Args: []string{id}, Endorsers: endorsers})
		assert.Equal(t, model.AuthorizationRevoked, decode[model.Authorization](t, r).Status, id)
	}
}

// A regulator of the org that holds the agency enterprise now (it moved to Anhui after issuing the record) is a
// party's org, as the org that issued it is: it does not answer the objection as a third org's regulator.
func TestTheRegulatorOfTheAgencysNewOrgDoesNotAnswer(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	f.asAdmin(f.agency, "ReleaseEnterprise", usccAgency, "moving to Anhui").MustOK(t)
	moved := f.registerIn(mspAnhui, "anhui", "agency1.ah", usccAgency, "agency")
	f.suspend(moved)
	f.net.Advance(model.ObjectionAnswerWindow + time.Hour)
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "a regulator answers no objection its own org's enterprise raised or must answer"}, func() chaincodetest.Result {
		return f.submit(f.regulator, "AnswerObjection", "O1", model.AnswerDismiss, "stands", "")
	})
	assert.Equal(t, model.CreditObjectionOpen, decode[model.ObjectionView](t, f.evaluate(f.subject, "GetObjection", "O1")).Status)
}

// A record published before 16.0.0 was under its agency's org alone, which may have rewritten it, and it has no
// mark: a lookup under an authorisation does not read it, however it reads, while its subject and the regulator
// still do. Its agency issues it again, under a majority, and lenders read that one. An answer to an objection
// to it puts its key under a majority but leaves it unsealed, for it may have been rewritten before. A last
// change its org stamped in 2099 holds no objection off for good: it is refused plainly.
func TestALenderReadsNoRecordPublishedBeforeMajorities(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency, "R2", usccSubject)
	f.authorize("A1", "bank1", f.net.Now().AddDate(0, 2, 0).Format(time.RFC3339))
	for _, id := range []string{"R1", "R2"} {
		f.makeLegacy(t, recordKey(id), "\x00"+keyRecordSealed+"\x00"+id+"\x00", mspShanghai)
	}
	// Its agency's org still rewrites it alone; lenders no longer rely on it.
	forged := f.storedRecord(t, "R1")
	forged.Disputes = 0
	f.net.Forge(f.agency, chaincodetest.Writes{recordKey("R1"): chaincodetest.JSON(t, forged)}).MustOK(t)

	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	listed, _ := f.readIDs(t, f.bank, mspShanghai, "T1")
	assert.Empty(t, listed, "a lender reads an unsealed record")
	f.requestQuery(f.subject, "T2", usccSubject, "own review", "")
	listed, contents := f.readIDs(t, f.subject, mspShanghai, "T2")
	assert.Equal(t, []string{"R1", "R2"}, listed)
	assert.Equal(t, []string{"R1", "R2"}, contents)

	// Answered, R1 is under a majority now, but still unsealed.
	f.raise("O1", "R1")
	f.submit(f.agency, "AnswerObjection", "O1", model.AnswerDismiss, "the record stands", "").MustOK(t)
	assertMajority(t, f.net.Ledger().ValidationParameter(recordKey("R1")))
	f.publish(f.agency, "R3", usccSubject) // R2 issued again
	f.requestQuery(f.bank, "T3", usccSubject, purposeLending, "A1")
	listed, _ = f.readIDs(t, f.bank, mspShanghai, "T3")
	assert.Equal(t, []string{"R3"}, listed)

	stamped := f.storedRecord(t, "R2")
	stamped.UpdatedAt = "2099-01-01T00:00:00Z"
	f.net.Forge(f.agency, chaincodetest.Writes{recordKey("R2"): chaincodetest.JSON(t, stamped)}).MustOK(t)
	f.mustRefuse(refusal{ledgererr.InvalidArgument, "", "further ahead than any transaction time the peers accept"}, func() chaincodetest.Result {
		return f.submit(f.subject, "RaiseObjection", "O2", "R2", "never owed")
	})
}

// An authorisation granted before 16.0.0 was under its subject's org alone, which may have rewritten it (its
// purpose, its term), and it has no mark: it entitles nobody, and reads LAPSED; its subject still revokes it,
// which puts it under a majority.
func TestAnAuthorisationGrantedBeforeMajoritiesEntitlesNobody(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", f.net.Now().AddDate(0, 2, 0).Format(time.RFC3339))
	f.makeLegacy(t, authKey("A1"), "\x00"+keyAuthSealed+"\x00A1\x00", mspJiangsu)
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "was granted before interface 16.0.0"}, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1")
	})
	for _, lister := range []struct {
		who  chaincodetest.Identity
		fn   string
		args []string
	}{{f.subject, "ListAuthorizations", []string{usccSubject, "", ""}}, {f.bank, "ListMyAuthorizations", []string{"", ""}}} {
		page := decode[model.AuthorizationPage](t, f.evaluate(lister.who, lister.fn, lister.args...))
		require.Len(t, page.Items, 1)
		assert.Equal(t, model.AuthorizationLapsed, page.Items[0].Status, lister.fn)
	}
	f.submit(f.subject, "RevokeAuthorization", "A1").MustOK(t)
	assertMajority(t, f.net.Ledger().ValidationParameter(authKey("A1")))
}

// An objection is dated at its record's last change when that lies ahead of its stamp (an answer stamped up to
// model.MaxClockLead ahead of the clocks): refused instead, it let whoever stamped ahead hold the subject off.
func TestAnObjectionIsDatedAtItsRecordsLastChange(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	ahead := f.net.Now().Add(model.MaxClockLead / 2).Truncate(time.Second)
	f.net.Invoke(f.agency, chaincodetest.Call{Function: "credit:AnswerObjection",
		Args: []string{"O1", model.AnswerDismiss, "the record stands", ""}, Timestamp: ahead}).MustOK(t)
	o := f.raise("O2", "R1")
	assert.Equal(t, model.FormatTime(ahead), o.RaisedAt)
	assert.Equal(t, model.FormatTime(ahead.Add(model.ObjectionAnswerWindow)), o.DueAt)
}

// A record published before 16.0.0 that its agency's org attributed, alone, to another org's agency, with the hash
// of that agency's staged and never published draft, is read by its subject without contents: the ledger filed it
// as the first agency's (credit.record~issued), so no peer serves another agency's draft as its contents. A true
// one is read with them.
func TestNoUnsealedRecordServesAnotherAgencysDraft(t *testing.T) {
	f := newFixture(t)
	f.stage(f.agency3, contentsJSON("C", "draft: unverified rumour"), "R5", usccSubject).MustOK(t)
	f.publish(f.agency, "R5", usccSubject)
	f.publish(f.agency, "R6", usccSubject)
	for _, id := range []string{"R5", "R6"} {
		f.makeLegacy(t, recordKey(id), "\x00"+keyRecordSealed+"\x00"+id+"\x00", mspShanghai)
	}
	forged := f.storedRecord(t, "R5")
	forged.AgencyID, forged.AgencyMSP, forged.Region = "agency3", mspAnhui, "anhui"
	forged.ContentHash = sha256Hex(f.net.Ledger().PrivateData(chaincodetest.ImplicitCollection(mspAnhui), privateKey("R5", usccSubject, "agency3")))
	f.net.Forge(f.agency, chaincodetest.Writes{recordKey("R5"): chaincodetest.JSON(t, forged)}).MustOK(t)

	f.requestQuery(f.subject, "T1", usccSubject, "own review", "")
	listed, contents := f.readIDs(t, f.subject, mspAnhui, "T1")
	assert.Equal(t, []string{"R5", "R6"}, listed)
	assert.Empty(t, contents, "an Anhui peer served agency3's draft")
	_, contents = f.readIDs(t, f.subject, mspShanghai, "T1")
	assert.Equal(t, []string{"R6"}, contents)
}
