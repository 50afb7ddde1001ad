package credit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
)

// publishUntil stages and publishes record recordID about the subject as
// agency, its contents valid until until.
func (f *fixture) publishUntil(agency chaincodetest.Identity, recordID string, until time.Time) {
	contents := `{"type":"DEFAULT","grade":"C","evidenceHash":"` + evidence + `","validUntil":"` +
		until.UTC().Format(time.RFC3339) + `","summary":"` + secretSummary + `"}`
	f.stage(agency, contents, recordID, usccSubject).MustOK(f.t)
	f.submit(agency, "Publish", recordID, usccSubject).MustOK(f.t)
}

// entry reads trace traceID as id on a peer of peerMSP and returns its
// entry of record recordID.
func (f *fixture) entry(t *testing.T, id chaincodetest.Identity, peerMSP, traceID, recordID string) *model.RecordRead {
	t.Helper()
	for _, r := range decode[model.ReadResult](t, f.read(id, peerMSP, traceID)).Records {
		if r.Record.RecordID == recordID {
			return r
		}
	}
	require.Failf(t, "record not listed", "trace %s on %s lists no %s", traceID, peerMSP, recordID)
	return nil
}

// A record whose validUntil has come is not supplied to a querier: the
// holding org's peer answers a grantee its entry without contents, marked
// expired, from the second validUntil names on by the transaction time, and
// by its own clock when the grantee stamps its read back inside the
// window. Before it, the contents are read as ever, and a record still
// valid is read beside the expired one. A peer of another org, which cannot
// read validUntil, lists the record unmarked, as held elsewhere.
func TestAnExpiredRecordIsWithheldFromGrantees(t *testing.T) {
	f := newFixture(t)
	until := f.net.Now().Add(time.Hour).UTC().Truncate(time.Second)
	f.publishUntil(f.agency, "R1", until)
	f.publishUntil(f.agency, "R2", until.Add(24*time.Hour))
	f.authorize("A1", "bank1", f.net.Now().AddDate(0, 0, 2).Format(time.RFC3339))

	f.net.Advance(until.Sub(f.net.Now()) - time.Minute)
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	before := f.entry(t, f.bank, mspShanghai, "T1", "R1")
	assert.NotEmpty(t, before.Contents, "before validUntil the contents are read")
	assert.True(t, before.Verified)
	assert.False(t, before.Expired)

	// The grantee stamps its read a minute before validUntil; the peer's clock is a minute past it.
	f.wallOffset = 2 * time.Minute
	stampedBack := f.entry(t, f.bank, mspShanghai, "T1", "R1")
	f.wallOffset = 0
	assert.True(t, stampedBack.Expired, "expired by the peer's clock")
	assert.Empty(t, stampedBack.Contents, "and withheld")
	assert.False(t, stampedBack.Verified)

	// The grantee stamps its read at validUntil exactly; the peer's clock is half a minute before it.
	f.wallOffset = until.Add(-30 * time.Second).Sub(f.net.Now())
	localMSPID = func() (string, error) { return mspShanghai, nil }
	atStamp := decode[model.ReadResult](t, f.net.Invoke(f.bank, chaincodetest.Call{Function: "credit:ReadRecords", Args: []string{"T1"},
		PeerMSP: mspShanghai, Evaluate: true, Timestamp: until}))
	f.wallOffset = 0
	require.Len(t, atStamp.Records, 2)
	at := atStamp.Records[0]
	assert.True(t, at.Expired, "expired at the second validUntil names, by the transaction time")
	assert.Empty(t, at.Contents, "and withheld")

	f.net.Advance(time.Hour)
	f.requestQuery(f.bank, "T2", usccSubject, purposeLending, "A1")
	after := f.entry(t, f.bank, mspShanghai, "T2", "R1")
	assert.True(t, after.Expired, "expired after validUntil")
	assert.Empty(t, after.Contents, "and withheld")
	assert.Equal(t, "R1", after.Record.RecordID, "still listed, as every peer lists it")
	still := f.entry(t, f.bank, mspShanghai, "T2", "R2")
	assert.NotEmpty(t, still.Contents, "a record still valid is read beside it")
	assert.False(t, still.Expired)

	elsewhere := f.entry(t, f.bank, mspZhejiang, "T2", "R1")
	assert.False(t, elsewhere.Expired, "a peer that cannot read validUntil does not mark it")
	assert.Empty(t, elsewhere.Contents)
}

// The subject and the regulator still read an expired record's contents,
// marked expired: the subject must see what an agency keeps about it to
// dispute it, and the regulator supervises what agencies keep.
func TestTheSubjectAndTheRegulatorReadAnExpiredRecordMarked(t *testing.T) {
	f := newFixture(t)
	until := f.net.Now().Add(time.Hour).UTC().Truncate(time.Second)
	f.publishUntil(f.agency, "R1", until)
	f.net.Advance(2 * time.Hour)
	for _, reader := range []chaincodetest.Identity{f.subject, f.regulator} {
		traceID := "T-" + reader.Cert.Subject.CommonName
		f.requestQuery(reader, traceID, usccSubject, purposeLending, "")
		read := f.entry(t, reader, mspShanghai, traceID, "R1")
		assert.True(t, read.Expired, "%s: marked expired", reader.Cert.Subject.CommonName)
		assert.NotEmpty(t, read.Contents, "%s: and read", reader.Cert.Subject.CommonName)
		assert.True(t, read.Verified)
	}
}
