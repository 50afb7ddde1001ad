package credit

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A new key needs only the chaincode-level policy (a majority of the orgs),
// so the subject's, the bank's and a third org, running chaincode of their own, can store
// a copy of a real record under a record ID of their choosing. The copy is
// no record of that ID: the subject raises no objection against it, and
// nobody reads it.
func TestACopyOfARecordUnderAnotherIDIsNoRecord(t *testing.T) {
	f := newFixture(t)
	real := f.publish(f.agency, "R1", usccSubject)
	f.net.Forge(f.cas[mspJiangsu].Issue("admin.forger", "admin"), chaincodetest.Writes{recordKey("R-copy"): chaincodetest.JSON(t, real)},
		mspJiangsu, mspZhejiang, mspAnhui).MustOK(t)

	f.mustRefuse(refusal{code: ledgererr.NotFound, text: `"R-copy" does not exist`}, func() chaincodetest.Result {
		return f.submit(f.subject, "RaiseObjection", "O1", "R-copy", "we paid on time")
	})
	for _, who := range []chaincodetest.Identity{f.subject, f.regulator} {
		r := f.evaluate(who, "GetRecord", "R-copy")
		require.Error(t, r.Err)
		assert.Contains(t, r.Err.Error(), string(ledgererr.NotFound))
	}
	assert.Equal(t, real.Status, f.getRecord("R1").Status)
}

// Nor does a lookup read such a copy through the subject's index: the
// querier's org and two others, with chaincode of their own, file under the
// subject a copy, in force, of a record an upheld objection withdrew. The
// lookup names no record in force, and the subject's list shows the real
// record once, withdrawn (state.AgreeingRecords reads by ID as Find does).
func TestALookupReadsNoCopyOfARecordUnderAnotherID(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	f.submit(f.agency, "AnswerObjection", "O1", model.AnswerUphold, "", "").MustOK(t)
	copied := f.getRecord("R1")
	require.Equal(t, model.RecordWithdrawn, copied.Status)
	copied.Status = model.RecordActive
	entry := "\x00" + idxRecordBySubject + "\x00" + usccSubject + "\x00R-copy\x00"
	f.net.Forge(f.stranger, chaincodetest.Writes{recordKey("R-copy"): chaincodetest.JSON(t, copied), entry: {0}},
		mspAnhui, mspZhejiang, mspJiangsu).MustOK(t)

	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	assert.Empty(t, f.lookUp(f.bank, "T1", usccSubject, purposeLending, "A1"), "the lookup names a copy of a withdrawn record as in force")
	records := decode[model.RecordPage](t, f.evaluate(f.subject, "ListRecords", usccSubject, "", ""))
	require.Len(t, records.Items, 1)
	assert.Equal(t, model.RecordWithdrawn, records.Items[0].Status)
}

// Nor is a copy of an authorisation under another ID one its subject
// revokes: RevokeAuthorization reads the authorisation as every step does,
// and refuses the copy as it refuses an ID no authorisation has.
func TestACopyOfAnAuthorizationUnderAnotherIDIsNoneToRevoke(t *testing.T) {
	f := newFixture(t)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	page := decode[model.AuthorizationPage](t, f.evaluate(f.subject, "ListAuthorizations", usccSubject, "", ""))
	require.Len(t, page.Items, 1)
	f.net.Forge(f.stranger, chaincodetest.Writes{"\x00" + keyAuth + "\x00A-copy\x00": chaincodetest.JSON(t, page.Items[0])},
		mspAnhui, mspJiangsu, mspZhejiang).MustOK(t)

	f.mustRefuse(refusal{code: ledgererr.Forbidden, text: `authorization "A-copy" is not one that participant "subject1" may revoke`}, func() chaincodetest.Result {
		return f.submit(f.subject, "RevokeAuthorization", "A-copy")
	})
}
