package credit

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// An agency reads the public metadata of the records its own enterprise
// issued, and of no other agency's: who rated an enterprise, whether the
// enterprise disputed it and how that ended are credit information, which
// another agency (a rival of the same regional exchange, or of another) reads
// only as any querier does, through a lookup its subject sees in ListTraces.
// Without a trace, GetRecord answers it another agency's record as a missing
// one, after the same requests to the peer, and ListRecords lists it only its
// own enterprise's records, the bookmark never naming another's. The issuing
// enterprise's colleague reads them, the subject and the regulator read all.
func TestAnAgencyReadsOnlyItsOwnEnterprisesRecordsWithoutATrace(t *testing.T) {
	f := newFixture(t)
	r0 := f.publish(f.agency3, "R0", usccSubject)
	r1 := f.publish(f.agency, "R1", usccSubject)
	r2 := f.publish(f.agency3, "R2", usccSubject)
	f.raise("O1", "R1")
	r1 = f.getRecord("R1")

	asMissing := func(t *testing.T, caller chaincodetest.Identity, recordID string) {
		t.Helper()
		got, missing := f.evaluate(caller, "GetRecord", recordID), f.evaluate(caller, "GetRecord", "R9")
		require.Error(t, got.Err, "%s read record %s", caller.Cert.Subject.CommonName, recordID)
		require.Error(t, missing.Err)
		e, ok := ledgererr.Parse(got.Err.Error())
		require.True(t, ok, "error carries no code: %v", got.Err)
		assert.Equal(t, ledgererr.NotFound, e.Code)
		assert.Equal(t, strings.ReplaceAll(missing.Err.Error(), `"R9"`, `"?"`), strings.ReplaceAll(got.Err.Error(), `"`+recordID+`"`, `"?"`))
		assert.Equal(t, missing.Requests, got.Requests, "record %s is refused after the requests a missing one is", recordID)
	}
	t.Run("another agency of the issuer's org", func(t *testing.T) {
		asMissing(t, f.rival, "R1")
		assert.Empty(t, decode[model.RecordPage](t, f.evaluate(f.rival, "ListRecords", usccSubject, "", "")).Items)
	})
	t.Run("an agency of another org", func(t *testing.T) {
		asMissing(t, f.agency3, "R1")
		assert.Equal(t, r2, decode[model.Record](t, f.evaluate(f.agency3, "GetRecord", "R2")))
		assert.Equal(t, []*model.Record{r0, r2}, decode[model.RecordPage](t, f.evaluate(f.agency3, "ListRecords", usccSubject, "", "")).Items)
		first := decode[model.RecordPage](t, f.evaluate(f.agency3, "ListRecords", usccSubject, "1", ""))
		assert.Equal(t, []*model.Record{r0}, first.Items)
		assert.Equal(t, "R2", first.Bookmark, "the bookmark names the agency's next record, not another agency's")
	})
	t.Run("the issuer's colleague", func(t *testing.T) {
		assert.Equal(t, r1, decode[model.Record](t, f.evaluate(f.colleague, "GetRecord", "R1")))
		assert.Equal(t, []*model.Record{r1}, decode[model.RecordPage](t, f.evaluate(f.colleague, "ListRecords", usccSubject, "", "")).Items)
	})
	t.Run("the subject and the regulator", func(t *testing.T) {
		for _, id := range []chaincodetest.Identity{f.subject, f.regulator} {
			assert.Equal(t, []*model.Record{r0, r1, r2}, decode[model.RecordPage](t, f.evaluate(id, "ListRecords", usccSubject, "", "")).Items)
		}
	})
}

// A refused proposal's response carries its read set to a client that asks
// the peer itself, and a key read there comes with its version: a record's
// key read for a caller who may not read it would tell the caller that a
// record of the ID it guessed exists, and when it last changed. Refused,
// GetRecord and RaiseObjection read the same keys for an existing record as
// for a missing one (the guessed ID aside), and never the record's own key.
func TestARefusedRecordsReadSetIsAMissingOnes(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency3, "R2", usccStranger)
	for _, caller := range []chaincodetest.Identity{f.rival, f.agency3, f.stranger, f.bank} {
		name := caller.Cert.Subject.CommonName
		refusedAlike(t, "GetRecord as "+name, keyRecord, "R1", "R9", func(id string) chaincodetest.Result {
			return f.evaluate(caller, "GetRecord", id)
		})
		refusedAlike(t, "RaiseObjection as "+name, keyRecord, "R1", "R9", func(id string) chaincodetest.Result {
			return f.submit(caller, "RaiseObjection", "O1", id, "not ours")
		})
	}
}
