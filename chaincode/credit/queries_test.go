package credit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// TestAuthorisedQuery is the whole story: an agency of org A publishes, a
// second agency of org D publishes, the subject (org B) authorises a bank
// (org C), the bank requests a query, learns from its own org's peer which
// records there are and who holds them, and reads the contents from the
// holding orgs' peers, each of which returns only what its org holds.
func TestAuthorisedQuery(t *testing.T) {
	f := newFixture(t)
	r1 := f.publish(f.agency, "R1", usccSubject)
	r2 := f.publish(f.agency3, "R2", usccSubject)
	f.publish(f.agency, "R3", usccNobody) // another subject's record stays out
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")

	// Step 1, submitted: the trace is committed, and answered alone.
	res := f.submit(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1")
	trace := decode[model.Trace](t, res)
	at := trace.At
	assert.Equal(t, &model.Trace{
		TraceID: "T1", SubjectUSCC: usccSubject, QuerierID: "bank1", QuerierMSP: mspZhejiang, Purpose: purposeLending,
		Basis: model.BasisAuthorization, AuthID: "A1", At: at, ExpiresAt: chaincodetest.ParseTime(t, at).Add(15 * time.Minute).Format(time.RFC3339),
	}, trace)
	assert.JSONEq(t, mustJSON(t, trace), string(res.Payload), "RequestQuery answers the trace and nothing else")
	assert.Equal(t, model.EventQueryRequested, res.Event.Name)
	assert.JSONEq(t, `{"traceId":"T1","subjectUscc":"`+usccSubject+`","querierId":"bank1"}`, string(res.Event.Payload))
	l := f.net.Ledger()
	assert.NotNil(t, l.State("\x00"+keyTrace+"\x00T1\x00"))
	assert.NotNil(t, l.State("\x00"+idxTraceBySubject+"\x00"+usccSubject+"\x00"+at+"\x00T1\x00"))
	assert.NotNil(t, l.State("\x00"+idxTraceByQuerier+"\x00bank1\x00"+at+"\x00T1\x00"))

	// Step 2, evaluated on the bank's own (C) peer, which holds none of the
	// contents: the records in force, each with its holder, and no
	// contents.
	before := f.snapshot()
	read := decode[model.ReadResult](t, f.read(f.bank, mspZhejiang, "T1"))
	assert.Equal(t, &model.ReadResult{Trace: trace, PeerMSP: mspZhejiang, Records: []*model.RecordRead{
		{Record: r1, HeldBy: mspShanghai}, {Record: r2, HeldBy: mspAnhui},
	}}, read)
	assertNoContents(t, f.read(f.bank, mspZhejiang, "T1").Payload, "a C peer's answer")

	// On an A peer: R1's contents, verified; R2 held by D.
	read = decode[model.ReadResult](t, f.read(f.bank, mspShanghai, "T1"))
	assert.Equal(t, mspShanghai, read.PeerMSP)
	assert.Equal(t, trace, read.Trace)
	require.Len(t, read.Records, 2)
	assert.Equal(t, &model.RecordRead{Record: r1, HeldBy: mspShanghai, Contents: read.Records[0].Contents, Verified: true}, read.Records[0])
	assert.Equal(t, r1.ContentHash, sha256Hex([]byte(read.Records[0].Contents)), "the caller can check the contents against the ledger")
	var contents model.RecordContents
	require.NoError(t, json.Unmarshal([]byte(read.Records[0].Contents), &contents))
	assert.Equal(t, model.RecordContents{RecordID: "R1", SubjectUSCC: usccSubject, CreditContents: model.CreditContents{
		Type: model.RecordTypeRating, Grade: "AA", Score: "750",
		EvidenceHash: evidence, ValidUntil: "2027-02-28T16:00:00Z", Summary: secretSummary,
	}}, contents)
	assert.Equal(t, &model.RecordRead{Record: r2, HeldBy: mspAnhui}, read.Records[1])

	// On a D peer: R2's contents only.
	read = decode[model.ReadResult](t, f.read(f.bank, mspAnhui, "T1"))
	assert.Equal(t, &model.RecordRead{Record: r1, HeldBy: mspShanghai}, read.Records[0])
	assert.True(t, read.Records[1].Verified)
	assert.Equal(t, r2.ContentHash, sha256Hex([]byte(read.Records[1].Contents)))

	// Evaluations write nothing.
	assert.True(t, before.equal(f.snapshot()))
}

func TestSubjectAndRegulatorQueryWithoutAuthorization(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)

	trace := f.requestQuery(f.subjectColleague, "T1", usccSubject, "own review", "")
	assert.Equal(t, model.BasisSubject, trace.Basis)
	read := decode[model.ReadResult](t, f.read(f.subjectColleague, mspShanghai, "T1"))
	assert.True(t, read.Records[0].Verified)

	trace = f.requestQuery(f.regulator, "T2", usccSubject, "supervision", "")
	assert.Equal(t, model.BasisRegulator, trace.Basis)
	assert.Empty(t, trace.AuthID)
	read = decode[model.ReadResult](t, f.read(f.regulator, mspShanghai, "T2"))
	assert.True(t, read.Records[0].Verified)
}

func TestWithdrawnAndSupersededRecordsAreNotRead(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency, "R2", usccSubject)
	f.submit(f.subject, "RaiseObjection", "O1", "R1", "not ours").MustOK(t)
	f.submit(f.agency, "AnswerObjection", "O1", model.AnswerUphold, "", "").MustOK(t)

	records := f.lookUp(f.regulator, "T1", usccSubject, "supervision", "")
	require.Len(t, records, 1)
	assert.Equal(t, "R2", records[0].RecordID)
	read := decode[model.ReadResult](t, f.read(f.regulator, mspShanghai, "T1"))
	require.Len(t, read.Records, 1)
	assert.Equal(t, "R2", read.Records[0].Record.RecordID)
}

func TestRequestQueryRefusals(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.authorize("REVOKED", "bank1", "2026-06-01T00:00:00Z")
	f.submit(f.subject, "RevokeAuthorization", "REVOKED").MustOK(t)
	f.authorize("SHORT", "bank1", f.net.Now().Add(time.Hour).Format(time.RFC3339))
	f.submit(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1").MustOK(t)
	f.net.Advance(2 * time.Hour) // SHORT has expired

	for _, tc := range []struct {
		name   string
		caller chaincodetest.Identity
		args   []string // traceId, subjectUscc, purpose, authId
		want   refusal
	}{
		{"no authorization", f.bank, []string{"T2", usccSubject, purposeLending, ""}, refusal{ledgererr.Forbidden, "", "neither acts for"}},
		{"stranger", f.stranger, []string{"T2", usccSubject, purposeLending, ""}, refusal{ledgererr.Forbidden, "", "neither acts for"}},
		{"agency", f.agency, []string{"T2", usccSubject, purposeLending, ""}, refusal{ledgererr.Forbidden, "", "neither acts for"}},
		{"unknown authorization", f.bank, []string{"T2", usccSubject, purposeLending, "A9"}, refusal{ledgererr.Forbidden, "", `authorization "A9" does not entitle participant "bank1"`}},
		{"revoked authorization", f.bank, []string{"T2", usccSubject, purposeLending, "REVOKED"}, refusal{ledgererr.Forbidden, "", "was revoked"}},
		{"expired authorization", f.bank, []string{"T2", usccSubject, purposeLending, "SHORT"}, refusal{ledgererr.Forbidden, "", "expired at"}},
		{"wrong purpose", f.bank, []string{"T2", usccSubject, "marketing", "A1"}, refusal{ledgererr.Forbidden, "", `for the purpose "` + purposeLending + `", not "marketing"`}},
		{"wrong grantee", f.otherBank, []string{"T2", usccSubject, purposeLending, "A1"}, refusal{ledgererr.Forbidden, "", `authorization "A1" does not entitle participant "bank2"`}},
		{"another subject", f.bank, []string{"T2", usccNobody, purposeLending, "A1"}, refusal{ledgererr.Forbidden, "", "to query the records of " + usccNobody}},
		{"subject naming a grant it cannot hold", f.subject, []string{"T2", usccSubject, purposeLending, "A1"}, refusal{ledgererr.Forbidden, "", "does not entitle"}},
		{"unregistered", f.unregistered, []string{"T2", usccSubject, purposeLending, "A1"}, refusal{ledgererr.Forbidden, "", "not a registered"}},
		{"bad trace ID", f.bank, []string{"", usccSubject, purposeLending, "A1"}, refusal{ledgererr.InvalidArgument, "traceId", "must be"}},
		{"bad subject", f.bank, []string{"T2", "91", purposeLending, "A1"}, refusal{ledgererr.InvalidArgument, "subjectUscc", "18-character"}},
		{"no purpose", f.bank, []string{"T2", usccSubject, "", "A1"}, refusal{ledgererr.InvalidArgument, "purpose", "required"}},
		{"bad auth ID", f.bank, []string{"T2", usccSubject, purposeLending, "A 1"}, refusal{ledgererr.InvalidArgument, "authId", "must be"}},
		{"duplicate trace", f.subject, []string{"T1", usccSubject, purposeLending, ""}, refusal{ledgererr.Conflict, "", `"T1" already exists`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.mustRefuse(tc.want, func() chaincodetest.Result { return f.submit(tc.caller, "RequestQuery", tc.args...) })
		})
	}
}

// A lookup stays in the subject's view even if the querier's org and one
// other run a chaincode of their own that deletes the trace and its index
// entries: a trace's keys need a majority of the orgs (as the chaincode's
// policy does on this channel, as in production; the keys' own policy keeps
// it so whatever the chaincode's).
func TestTwoOrgsCannotEraseATrace(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	trace := f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")

	var keys []string
	for _, k := range f.net.Ledger().StateKeys() {
		if strings.Contains(k, "\x00T1\x00") {
			keys = append(keys, k)
		}
	}
	require.Len(t, keys, 4, "the trace and its three index entries")
	for _, k := range keys {
		t.Run(strings.ReplaceAll(k, "\x00", "/"), func(t *testing.T) {
			require.NotNil(t, f.net.Ledger().ValidationParameter(k), "a key-level policy")
			r := f.net.Forge(f.bank, chaincodetest.Writes{k: nil}, mspZhejiang, mspAnhui)
			require.Error(t, r.Err, "two orgs deleted a trace's key")
			assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
		})
	}
	page := decode[model.TracePage](t, f.evaluate(f.subject, "ListTraces", usccSubject, "", ""))
	assert.Equal(t, []*model.Trace{trace}, page.Items)
}

// newTracedFixture is a fixture with two lookups of the subject's record
// R1 (Shanghai's agency's): the bank's trace T1, under authorisation A1,
// and the regulator's trace T2.
func newTracedFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	f.requestQuery(f.regulator, "T2", usccSubject, "supervision", "")
	return f
}

// A query trace reads as a missing one to anyone but its querier, on a peer
// that holds the records' contents: whether a lookup of that ID happened,
// who made it and whose records it read are for the subject and the
// regulator (ListTraces), not for whoever guesses or overhears its ID. That
// holds for a member of the querier's own org, for the subject itself, for
// the agency whose org holds the contents, for a member of a fourth org, and
// for the regulator, who lists the trace but reads no contents with it, as
// well as for the querier of another trace (bank on the regulator's T2).
func TestATraceReadsAsMissingToAnyoneButItsQuerier(t *testing.T) {
	f := newTracedFixture(t)
	read := func(t *testing.T, caller chaincodetest.Identity, traceID string) string {
		t.Helper()
		r := f.read(caller, mspShanghai, traceID)
		assert.Empty(t, r.Payload, "no contents in the answer")
		assert.NotContains(t, r.Message, "bank1", "the refusal names the querier")
		return refusalOf(t, r.Err, traceID)
	}
	refusedAsMissing(t, f, []namedCaller{
		{"a member of the querier's org", f.otherBank}, {"the subject", f.subject}, {"the holding agency", f.agency},
		{"a member of a fourth org", f.stranger}, {"the regulator", f.regulator},
	}, "T1", "T9", "another's query trace reads as a missing one", read)
	refusedAsMissing(t, f, []namedCaller{{"the querier of another trace", f.bank}}, "T2", "T9",
		"the regulator's query trace reads as a missing one", read)
	f.t = t
	assert.Equal(t, "NOT_FOUND: query trace \"?\" does not exist", read(t, f.otherBank, "T1"))
	f.readsOnly(t, f.bank, mspShanghai, "T1", "R1")
}

func TestReadRecordsRefusals(t *testing.T) {
	f := newTracedFixture(t)

	refuse := func(t *testing.T, id chaincodetest.Identity, traceID string, want refusal) {
		f.t = t
		f.mustRefuse(want, func() chaincodetest.Result { return f.read(id, mspShanghai, traceID) })
	}
	t.Run("someone else's trace", func(t *testing.T) {
		// Read as a missing one (TestATraceReadsAsMissingToAnyoneButItsQuerier).
		refuse(t, f.otherBank, "T1", refusal{ledgererr.NotFound, "", `query trace "T1" does not exist`})
		refuse(t, f.bank, "T2", refusal{ledgererr.NotFound, "", `query trace "T2" does not exist`})
	})
	t.Run("bad input", func(t *testing.T) {
		refuse(t, f.bank, "T9", refusal{ledgererr.NotFound, "", `"T9" does not exist`})
		refuse(t, f.bank, "", refusal{ledgererr.InvalidArgument, "traceId", "must be"})
		refuse(t, f.unregistered, "T1", refusal{ledgererr.Forbidden, "", "not a registered"})
	})
	t.Run("peer clock outside the window", func(t *testing.T) {
		// A client that stamps its proposal inside an old trace's window,
		// or stamped RequestQuery in the future, meets the peer's clock.
		f.wallOffset = time.Hour
		refuse(t, f.bank, "T1", skewed)
		f.wallOffset = -time.Hour
		refuse(t, f.bank, "T1", skewed)
		f.wallOffset = model.MaxClockSkew - time.Second // within the skew: fine
		f.read(f.bank, mspShanghai, "T1").MustOK(t)
		f.wallOffset = 0
	})
	t.Run("unknown peer org", func(t *testing.T) {
		f.t = t
		f.mustRefuse(refusal{ledgererr.Internal, "", "MSP ID is unknown"}, func() chaincodetest.Result {
			localMSPID = func() (string, error) { return "", errors.New("'CORE_PEER_LOCALMSPID' is not set") }
			return f.net.Evaluate(f.bank, "credit:ReadRecords", "T1")
		})
	})
	t.Run("revoked after the trace", func(t *testing.T) {
		f.t = t
		f.requestQuery(f.bank, "T3", usccSubject, purposeLending, "A1")
		f.submit(f.subject, "RevokeAuthorization", "A1").MustOK(t)
		refuse(t, f.bank, "T3", refusal{ledgererr.Forbidden, "", "was revoked"})
	})
	t.Run("expired trace", func(t *testing.T) {
		f.read(f.regulator, mspShanghai, "T2").MustOK(t)
		f.net.Advance(16 * time.Minute)
		refuse(t, f.regulator, "T2", refusal{ledgererr.Forbidden, "", "outside it"})
	})
}

func TestSubmittedReadRecordsFailsSafeAtTheGateway(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.requestQuery(f.regulator, "T1", usccSubject, "supervision", "")
	localMSPID = peerSequence(mspShanghai, mspAnhui)
	before := f.snapshot()
	// No two orgs' peers give the same answer (each names its own org, and
	// only the holder's has the contents), so the gateway cannot assemble a
	// transaction.
	res := f.net.Invoke(f.regulator, chaincodetest.Call{
		Function: "credit:ReadRecords", Args: []string{"T1"}, Endorsers: []string{mspShanghai, mspAnhui},
	})
	require.Error(t, res.Err)
	assert.Contains(t, res.Err.Error(), "ProposalResponsePayloads do not match")
	assert.True(t, before.equal(f.snapshot()))
	// Nor do two orgs that hold none: each answer names its peer's org.
	localMSPID = peerSequence(mspZhejiang, mspAnhui)
	res = f.net.Invoke(f.regulator, chaincodetest.Call{
		Function: "credit:ReadRecords", Args: []string{"T1"}, Endorsers: []string{mspZhejiang, mspAnhui},
	})
	require.Error(t, res.Err)
	assert.Contains(t, res.Err.Error(), "ProposalResponsePayloads do not match")
	assert.True(t, before.equal(f.snapshot()))
}

func TestListTraces(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	t1 := f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	t2 := f.requestQuery(f.regulator, "T2", usccSubject, "supervision", "")
	f.requestQuery(f.regulator, "T0", usccNobody, "supervision", "") // another subject's trace
	requireListsOfSubject(t, f, "ListTraces", []chaincodetest.Identity{f.subject, f.subjectColleague, f.regulator}, []*model.Trace{t1, t2})

	mine := decode[model.TracePage](t, f.evaluate(f.bank, "ListMyTraces", "", ""))
	assert.Equal(t, []*model.Trace{t1}, mine.Items)
	none := decode[model.TracePage](t, f.evaluate(f.stranger, "ListMyTraces", "", ""))
	assert.NotNil(t, none.Items)
	assert.Empty(t, none.Items)

	for _, id := range []chaincodetest.Identity{f.stranger, f.bank, f.agency} {
		f.mustRefuse(refusal{ledgererr.Forbidden, "", "may not read its query traces"}, func() chaincodetest.Result {
			return f.evaluate(id, "ListTraces", usccSubject, "", "")
		})
	}
	f.mustRefuse(refusal{ledgererr.InvalidArgument, "pageSize", "1 to 100"}, func() chaincodetest.Result {
		return f.evaluate(f.bank, "ListMyTraces", "x", "")
	})
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "not a registered"}, func() chaincodetest.Result {
		return f.evaluate(f.unregistered, "ListMyTraces", "", "")
	})
	f.mustRefuse(refusal{ledgererr.InvalidArgument, "bookmark", "not a bookmark"}, func() chaincodetest.Result {
		return f.evaluate(f.subject, "ListTraces", usccSubject, "", "garbage")
	})
	f.mustRefuse(refusal{ledgererr.InvalidArgument, "subjectUscc", "18-character"}, func() chaincodetest.Result {
		return f.evaluate(f.subject, "ListTraces", "", "", "")
	})
	f.mustRefuse(refusal{ledgererr.InvalidArgument, "pageSize", "1 to 100"}, func() chaincodetest.Result {
		return f.evaluate(f.subject, "ListTraces", usccSubject, "1000", "")
	})
}

// TestTamperedContentsAreReportedUnverified: if the holding org's private
// data no longer matches the public hash, the reader is told so. Contents
// without a validUntil count as expired (expiredAt): the regulator still
// reads them, marked so, and a grantee gets none.
func TestTamperedContentsAreReportedUnverified(t *testing.T) {
	f := newFixture(t)
	r := f.publish(f.agency, "R1", usccSubject)
	tampered := []byte(`{"recordId":"R1","grade":"D"}`)
	f.net.SubmitFunc(f.agency, func(stub shim.ChaincodeStubInterface) error {
		return stub.PutPrivateData(chaincodetest.ImplicitCollection(mspShanghai), privateKey("R1", usccSubject, "agency1"), tampered)
	}).MustOK(t)
	f.requestQuery(f.regulator, "T1", usccSubject, "supervision", "")
	read := decode[model.ReadResult](t, f.read(f.regulator, mspShanghai, "T1"))
	assert.Equal(t, &model.RecordRead{Record: r, HeldBy: mspShanghai, Contents: string(tampered), Verified: false, Expired: true}, read.Records[0])

	f.authorize("A1", "bank1", f.net.Now().Add(24*time.Hour).UTC().Format(time.RFC3339))
	f.requestQuery(f.bank, "T2", usccSubject, purposeLending, "A1")
	read = decode[model.ReadResult](t, f.read(f.bank, mspShanghai, "T2"))
	assert.Equal(t, &model.RecordRead{Record: r, HeldBy: mspShanghai, Expired: true}, read.Records[0])
}

// TestCraftedBookmarkCannotLeaveTheList checks the defence against a peer
// quirk: a paginated query starts at the bookmark, unchecked, so a bookmark
// under another subject's prefix would page into that subject's traces.
func TestCraftedBookmarkCannotLeaveTheList(t *testing.T) {
	f := newFixture(t)
	require.Less(t, usccNobody, usccSubject, "the other subject's entries must sort first")
	f.requestQuery(f.regulator, "T0", usccNobody, "supervision", "")
	f.requestQuery(f.subject, "T1", usccSubject, "own review", "")

	crafted := "\x00" + idxTraceBySubject + "\x00" + usccNobody + "\x00"
	f.mustRefuse(refusal{ledgererr.InvalidArgument, "bookmark", "not a bookmark of this list"}, func() chaincodetest.Result {
		return f.evaluate(f.subject, "ListTraces", usccSubject, "", crafted)
	})
	f.mustRefuse(refusal{ledgererr.InvalidArgument, "bookmark", "not a bookmark of this list"}, func() chaincodetest.Result {
		return f.evaluate(f.bank, "ListMyTraces", "", "\x00"+idxTraceByQuerier+"\x00a")
	})
}

// A refused lookup tells a participant nothing about authorisations that are
// not its own: naming another's authorisation is refused exactly as naming
// one that does not exist, whoever it was granted to and for whatever
// purpose.
func TestRefusedLookupTellsNothingOfOthersAuthorizations(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.submit(f.subject, "RevokeAuthorization", "A1").MustOK(t)
	f.authorize("A2", "bank1", "2026-06-01T00:00:00Z")

	refusalOf := func(caller chaincodetest.Identity, subject, authID string) string {
		t.Helper()
		r := f.submit(caller, "RequestQuery", "T-probe", subject, "probing", authID)
		require.Error(t, r.Err)
		e, ok := ledgererr.Parse(r.Err.Error())
		require.True(t, ok)
		require.Equal(t, ledgererr.Forbidden, e.Code)
		assert.NotContains(t, e.Message, "bank1", "the grantee leaks")
		assert.NotContains(t, e.Message, purposeLending, "the purpose leaks")
		assert.NotContains(t, e.Message, "revoked", "the status leaks")
		return strings.ReplaceAll(e.Message, `"`+authID+`"`, `"?"`)
	}
	missing := refusalOf(f.otherBank, usccSubject, "A9")
	assert.Equal(t, missing, refusalOf(f.otherBank, usccSubject, "A1"), "a revoked grant to another reads as a missing one")
	assert.Equal(t, missing, refusalOf(f.otherBank, usccSubject, "A2"), "a live grant to another reads as a missing one")
	assert.Equal(t, strings.ReplaceAll(refusalOf(f.otherBank, usccNobody, "A9"), usccNobody, usccSubject), missing,
		"another subject's grant reads as a missing one")
}

// An authorisation's expiry holds against the peer's clock when the records
// are read: a querier whose trace was committed just before the expiry
// cannot read after it by stamping its proposal inside the trace's window,
// as it can choose the proposal's timestamp but not the peer's clock.
func TestExpiredAuthorizationStopsReadsByThePeerClock(t *testing.T) {
	f := newFixture(t)
	expiry := f.authorizeUntilAMinuteAway()
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	f.read(f.bank, mspShanghai, "T1").MustOK(t) // before the expiry, by both clocks

	// The proposal claims a time inside the trace's window and before the
	// expiry; the peer's clock says a minute after the expiry, within the
	// skew it tolerates.
	f.wallOffset = expiry.Add(time.Minute).Sub(f.net.Now())
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "expired at"}, func() chaincodetest.Result {
		return f.read(f.bank, mspShanghai, "T1")
	})
	f.wallOffset = 0
}

// One enterprise, one identity: another region's admin cannot register a
// member acting for the subject enterprise (nor for an agency), even with a
// certificate its own CA certifies the USCC in (its gateway onboarded it), so nobody
// outside the org that holds the enterprise acts as it in credit: reads its
// records without an authorisation, revokes or grants its authorisations, or
// answers objections as the agency that published a record.
func TestAnotherRegionCannotActForAnEnterprise(t *testing.T) {
	f := newFixture(t)
	admin := f.cas[mspAnhui].Issue("admin.impostor", "admin")
	for _, uscc := range []string{usccSubject, usccAgency} {
		impostor := rulestest.Member(f.cas[mspAnhui], "impostor", uscc, "holder,agency", "Impostor Ltd")
		f.mustRefuse(refusal{ledgererr.Conflict, "", "enterprise " + uscc + " is registered in"}, func() chaincodetest.Result {
			return f.net.Submit(admin, "participants:Register", "impostor", string(impostor.CertPEM), "holder,agency", uscc, "Impostor Ltd", "anhui")
		})
	}
}

// A regulator reads without an authorisation only while the market rules
// name it: once a majority stops naming it, its lookups are refused.
func TestRegulatorReadsOnlyWhileTheRulesNameIt(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.requestQuery(f.regulator, "T1", usccSubject, "supervision", "")

	current := rulestest.Current(t, f.net, f.regulator).Rules
	next := current
	next.Version, next.Regulators = 2, []model.Regulator{}
	rulestest.Change(t, f.net, []chaincodetest.Identity{
		rulestest.Admin(f.cas[mspShanghai]), rulestest.Admin(f.cas[mspJiangsu]), rulestest.Admin(f.cas[mspZhejiang]),
	}, &next)
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "neither acts for"}, func() chaincodetest.Result {
		return f.submit(f.regulator, "RequestQuery", "T2", usccSubject, "supervision", "")
	})
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "neither acts for"}, func() chaincodetest.Result {
		return f.read(f.regulator, mspShanghai, "T1")
	})
}

// A lookup's trace is stamped with the transaction time, which the querier
// writes into its proposal. Back-dated (so that the trace looks older than
// it is, or lies inside an old authorisation) by more than
// model.MaxClockSkew, or forward-dated (so that its window lasts longer) by
// more than model.MaxClockLead, RequestQuery is refused and no trace is
// written; within those bounds it is accepted, and the trace shows the time
// the peers were given.
func TestBackdatedLookupIsRefused(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", f.net.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	f.net.Advance(model.MaxClockSkew) // no stamp below lies before the grant (TestALookupIsNotStampedBeforeItsAuthorisation)
	lookup := func(traceID string, skew time.Duration) chaincodetest.Result {
		return f.net.Invoke(f.bank, chaincodetest.Call{
			Function: "credit:RequestQuery", Args: []string{traceID, usccSubject, purposeLending, "A1"},
			Timestamp: f.net.Now().Add(skew),
		})
	}
	for _, skew := range []time.Duration{-model.MaxClockSkew - time.Second, model.MaxClockLead + time.Second, model.MaxClockSkew - time.Second, -24 * time.Hour} {
		f.mustRefuse(skewed, func() chaincodetest.Result { return lookup("T1", skew) })
	}
	for i, skew := range []time.Duration{-model.MaxClockSkew + time.Second, model.MaxClockLead - time.Second} {
		stamp := f.net.Now().Add(skew)
		var trace model.Trace
		lookup(fmt.Sprintf("T%d", i+2), skew).Unmarshal(t, &trace)
		assert.Equal(t, state.Format(stamp), trace.At, "the trace's time is the one the peers accepted")
	}
}

// A trace's window ends by the answering peer's clock as well as by the
// proposal's time: a querier who stamps its ReadRecords proposal as far back
// as the skew allows cannot read after the trace expired, nor buy a longer
// window by stamping RequestQuery ahead of the clock.
func TestTraceWindowEndsByThePeerClock(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")

	t.Run("read stamped back into an expired window", func(t *testing.T) {
		f.t = t
		f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
		f.net.Advance(14 * time.Minute) // the proposal claims a minute before the trace's end
		f.wallOffset = 5 * time.Minute  // the peer's clock says four minutes after it
		f.mustRefuse(refusal{ledgererr.Forbidden, "", "outside it"}, func() chaincodetest.Result {
			return f.read(f.bank, mspShanghai, "T1")
		})
		f.wallOffset = 0
	})
	t.Run("trace stamped ahead of the clock", func(t *testing.T) {
		f.t = t
		f.net.Invoke(f.bank, chaincodetest.Call{
			Function: "credit:RequestQuery", Args: []string{"T2", usccSubject, purposeLending, "A1"},
			Timestamp: f.net.Now().Add(model.MaxClockLead - time.Second),
		}).MustOK(t)
		f.net.Advance(traceLifetime)      // the proposal claims a time inside the stamped window
		f.wallOffset = model.MaxClockLead // the peer's clock: the window and the lead after the trace committed
		f.mustRefuse(refusal{ledgererr.Forbidden, "", "outside it"}, func() chaincodetest.Result {
			return f.read(f.bank, mspShanghai, "T2")
		})
		f.wallOffset = 0
	})
}

// Who acts for an enterprise in credit comes from a certificate, never from
// an argument. A staff member's USCC is its org admin's word (its
// certificate certifies no enterprise), so an admin who registers staff
// under the code of an enterprise no org holds yet gains none of that
// enterprise's credit rights: it reads nothing without an authorisation,
// lists nothing, grants or revokes nothing and raises no objection.
func TestStaffDoNotActAsACreditSubject(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R3", usccNobody)
	staff := f.cas[mspAnhui].Issue("snoop", "client")
	admin := f.cas[mspAnhui].Issue("admin.snoop", "admin")
	f.net.Submit(admin, "participants:Register", "snoop", string(staff.CertPEM), "operator", usccNobody, "Snoop", "anhui").MustOK(t)

	forbidden := refusal{ledgererr.Forbidden, "", "snoop"}
	for _, call := range []func() chaincodetest.Result{
		func() chaincodetest.Result { return f.submit(staff, "RequestQuery", "T9", usccNobody, "curiosity", "") },
		func() chaincodetest.Result { return f.evaluate(staff, "ListTraces", usccNobody, "", "") },
		func() chaincodetest.Result { return f.evaluate(staff, "ListAuthorizations", usccNobody, "", "") },
		func() chaincodetest.Result { return f.evaluate(staff, "ListObjections", usccNobody, "", "") },
		func() chaincodetest.Result { return f.evaluate(staff, "ListRecords", usccNobody, "", "") },
		func() chaincodetest.Result {
			return f.submit(staff, "Authorize", "A9", "bank1", purposeLending, "2026-06-01T00:00:00Z")
		},
	} {
		f.mustRefuse(forbidden, call)
	}
	// Nor may staff read the enterprise's records: a record reads as a missing one.
	f.mustRefuse(refusal{ledgererr.NotFound, "", `"R3" does not exist`}, func() chaincodetest.Result {
		return f.submit(staff, "RaiseObjection", "CO9", "R3", "not us")
	})
}

// An index entry only points at a record; the record says whose it is. The
// querier's org and two others meet the chaincode's policy, so with a
// chaincode of their own they can write an index entry filing another
// enterprise's record under the querier's own enterprise. A lookup of its own
// records must still not read that record's contents: the trace names the
// querier's enterprise, so the record's subject would never see the lookup.
func TestForgedIndexEntryDoesNotReadAnotherSubjectsRecord(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)

	forged := "\x00" + idxRecordBySubject + "\x00" + usccStranger + "\x00R1\x00"
	f.net.Forge(f.stranger, chaincodetest.Writes{forged: {0}}, mspAnhui, mspZhejiang, mspJiangsu).MustOK(t)

	assert.Empty(t, f.lookUp(f.stranger, "T1", usccStranger, "own review", ""), "the lookup of the stranger's own records lists another subject's record")
	res := decode[model.ReadResult](t, f.read(f.stranger, mspShanghai, "T1"))
	for _, r := range res.Records {
		assert.Empty(t, r.Contents, "the contents of record %s about %s were read under a trace about %s", r.Record.RecordID, r.Record.SubjectUSCC, usccStranger)
	}
	assert.Empty(t, decode[model.TracePage](t, f.evaluate(f.subject, "ListTraces", usccSubject, "", "")).Items)
}

// A read needs a trace the subject keeps seeing. A new trace key needs only
// the chaincode's policy, so the querier's org and two others (a majority),
// running a chaincode of their own, can write a trace without its entry in
// the subject's index (what ListTraces lists), or without the majority
// policy that would keep fewer orgs from erasing it after the read, were
// the chaincode's policy lower. The holding org's peer
// must not answer on such a trace, even to a querier the subject authorised.
func TestReadNeedsATraceTheSubjectKeepsSeeing(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	now := f.net.Now()
	forge := func(traceID string, subjectEntry, majority bool) {
		t.Helper()
		trace := &model.Trace{
			TraceID: traceID, SubjectUSCC: usccSubject, QuerierID: "bank1", QuerierMSP: mspZhejiang, Purpose: purposeLending,
			Basis: model.BasisAuthorization, AuthID: "A1", At: state.Format(now), ExpiresAt: state.Format(now.Add(traceLifetime)),
		}
		f.net.InvokeFunc(f.bank, chaincodetest.Call{PeerMSP: mspZhejiang, Endorsers: []string{mspZhejiang, mspAnhui, mspJiangsu}},
			func(stub shim.ChaincodeStubInterface) ([]byte, error) {
				keys := []string{"\x00" + keyTrace + "\x00" + traceID + "\x00"}
				if err := stub.PutState(keys[0], []byte(mustJSON(t, trace))); err != nil {
					return nil, err
				}
				// The querier's entry, which ReadRecords looks up first, as the forgers would write it.
				if err := stub.PutState("\x00"+idxTraceAsked+"\x00bank1\x00"+traceID+"\x00", []byte{0}); err != nil {
					return nil, err
				}
				if subjectEntry {
					keys = append(keys, "\x00"+idxTraceBySubject+"\x00"+usccSubject+"\x00"+trace.At+"\x00"+traceID+"\x00")
					if err := stub.PutState(keys[1], []byte{0}); err != nil {
						return nil, err
					}
				}
				if majority {
					b := marketMajority(t)
					for _, k := range keys {
						if err := stub.SetStateValidationParameter(k, b); err != nil {
							return nil, err
						}
					}
				}
				return nil, nil
			}).MustOK(t)
	}
	forge("TX1", false, true) // the subject never lists it
	forge("TX2", true, false) // erasable after the read under the chaincode's policy alone
	for _, traceID := range []string{"TX1", "TX2"} {
		t.Run(traceID, func(t *testing.T) {
			f.t = t
			f.mustRefuse(refusal{ledgererr.Forbidden, "", `query trace "` + traceID + `" is not kept in the view of`}, func() chaincodetest.Result {
				return f.read(f.bank, mspShanghai, traceID)
			})
		})
	}
	f.t = t

	// A trace RequestQuery wrote still serves.
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")
	res := decode[model.ReadResult](t, f.read(f.bank, mspShanghai, "T1"))
	require.Len(t, res.Records, 1)
	assert.True(t, res.Records[0].Verified)
}

// A subject keeps listing who looked even when the querier's org and two
// others, running a chaincode of their own, file entries in its index that
// name no trace, or another enterprise's trace: a new index entry needs only
// the chaincode's policy. Such entries are left out, never a refusal of the
// whole list.
func TestForgedTraceEntriesDoNotSpoilTheList(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	other := f.requestQuery(f.stranger, "T0", usccStranger, "own review", "")
	trace := f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")

	entry := func(owner, traceID string) string {
		return "\x00" + idxTraceBySubject + "\x00" + owner + "\x00" + other.At + "\x00" + traceID + "\x00"
	}
	f.net.Forge(f.bank, chaincodetest.Writes{entry(usccSubject, "T-none"): {0}, entry(usccSubject, "T0"): {0}},
		mspZhejiang, mspAnhui, mspJiangsu).MustOK(t)

	page := decode[model.TracePage](t, f.evaluate(f.subject, "ListTraces", usccSubject, "", ""))
	assert.Equal(t, []*model.Trace{trace}, page.Items)
	page = decode[model.TracePage](t, f.evaluate(f.regulator, "ListTraces", usccSubject, "", ""))
	assert.Equal(t, []*model.Trace{trace}, page.Items)
}

// Nor can such an entry that names no record keep anyone from looking up the
// subject's records: it is left out, never a refusal of the lookup.
func TestForgedIndexEntryDoesNotStopLookups(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")

	dangling := "\x00" + idxRecordBySubject + "\x00" + usccSubject + "\x00R0\x00"
	f.net.Forge(f.stranger, chaincodetest.Writes{dangling: {0}}, mspAnhui, mspZhejiang, mspJiangsu).MustOK(t)

	require.Len(t, f.lookUp(f.bank, "T1", usccSubject, purposeLending, "A1"), 1)
	f.readsOnly(t, f.bank, mspShanghai, "T1", "R1")
}

// An org's CA can certify any USCC, and a new participant key needs only the
// chaincode's policy: Anhui and two other orgs (a majority), running a
// chaincode of their own, can write an Anhui participant for Jiangsu's
// enterprise, whose certificate Anhui's CA certifies. It must not act for that enterprise
// where honest peers decide: not read its records on the holding org's
// peer, revoke its authorisations (which Jiangsu's org endorses) or dispute
// its records (which the agency's org endorses).
func TestForgedParticipantDoesNotActForAnotherRegionsEnterprise(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	impostor := f.forgeParticipant("impostor", usccSubject, model.RoleHolder)
	now := state.Format(f.net.Now())
	// Caller resolution refuses it before any credit rule is asked: Jiangsu's binding is the one in force.
	notItsOrgs := boundElsewhere(usccSubject, mspJiangsu)

	f.mustRefuse(notItsOrgs, func() chaincodetest.Result {
		return f.submit(impostor, "RequestQuery", "T1", usccSubject, "curiosity", "")
	})
	f.mustRefuse(notItsOrgs, func() chaincodetest.Result {
		return f.submit(impostor, "RevokeAuthorization", "A1")
	})
	f.mustRefuse(notItsOrgs, func() chaincodetest.Result {
		return f.submit(impostor, "RaiseObjection", "O1", "R1", "not ours")
	})
	f.mustRefuse(notItsOrgs, func() chaincodetest.Result {
		return f.evaluate(impostor, "ListTraces", usccSubject, "", "")
	})
	f.mustRefuse(notItsOrgs, func() chaincodetest.Result {
		return f.submit(impostor, "Authorize", "A2", "stranger1", purposeLending, "2026-06-01T00:00:00Z")
	})

	// A trace the forgers write themselves, majority policy and the
	// subject's index entry included, still reads nothing on the holding
	// org's peer.
	trace := &model.Trace{
		TraceID: "TX", SubjectUSCC: usccSubject, QuerierID: "impostor", QuerierMSP: mspAnhui, Purpose: "curiosity",
		Basis: model.BasisSubject, At: now, ExpiresAt: state.Format(f.net.Now().Add(traceLifetime)),
	}
	f.net.InvokeFunc(f.stranger, chaincodetest.Call{PeerMSP: mspAnhui, Endorsers: []string{mspAnhui, mspZhejiang, mspJiangsu}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			b := marketMajority(t)
			for k, v := range map[string][]byte{
				"\x00" + keyTrace + "\x00TX\x00": []byte(mustJSON(t, trace)),
				"\x00" + idxTraceBySubject + "\x00" + usccSubject + "\x00" + trace.At + "\x00TX\x00": {0},
			} {
				if err := stub.PutState(k, v); err != nil {
					return nil, err
				}
				if err := stub.SetStateValidationParameter(k, b); err != nil {
					return nil, err
				}
			}
			return nil, nil
		}).MustOK(t)
	f.mustRefuse(notItsOrgs, func() chaincodetest.Result {
		return f.read(impostor, mspShanghai, "TX")
	})
}

// forgeParticipant has Anhui, Zhejiang and Jiangsu (a majority), running a
// chaincode of their own, write an Anhui participant id with role acting for
// the enterprise uscc, which Anhui's CA certifies in its certificate: a new
// participant key needs only the chaincode's policy. It returns the forged participant's identity,
// which caller resolution refuses: its org's is not the binding in force.
func (f *fixture) forgeParticipant(id, uscc, role string) chaincodetest.Identity {
	t := f.t
	t.Helper()
	forged := rulestest.Member(f.cas[mspAnhui], id, uscc, role, id+" Ltd")
	identity := participants.IdentityOf(forged.Cert)
	sum := sha256.Sum256([]byte(identity))
	now := state.Format(f.net.Now())
	p := &model.Participant{
		ID: id, MSPID: mspAnhui, Identity: identity, Roles: []string{role}, USCC: uscc, Name: id + " Ltd",
		Region: "anhui", CertifiedRoles: []string{role}, Status: model.ParticipantActive, RegisteredAt: now, UpdatedAt: now,
	}
	f.net.Forge(f.stranger, chaincodetest.Writes{
		"\x00participant\x00" + id + "\x00": chaincodetest.JSON(t, p),
		"\x00participant~identity\x00" + mspAnhui + "\x00" + hex.EncodeToString(sum[:]) + "\x00": []byte(`"` + id + `"`),
	}, mspAnhui, mspZhejiang, mspJiangsu).MustOK(t)
	r := f.net.Evaluate(forged, "participants:WhoAmI")
	require.Error(t, r.Err, "the forged participant resolves")
	require.Contains(t, r.Err.Error(), "acts for enterprise "+uscc+", which the market rules in force bind to", "its org's is not the binding in force")
	return forged
}

// boundElsewhere is caller resolution's refusal of a participant that acts for enterprise uscc, which the market
// rules in force bind to org msp, not to the participant's.
func boundElsewhere(uscc, msp string) refusal {
	return refusal{ledgererr.Forbidden, "", "acts for enterprise " + uscc + ", which the market rules in force bind to " + msp + " "}
}

// marketMajority is the key-level policy RequestQuery gives a trace and its
// entries: a majority of the fixture's four orgs.
func marketMajority(t *testing.T) []byte {
	t.Helper()
	policy, err := state.MajorityPolicy([]string{mspShanghai, mspJiangsu, mspZhejiang, mspAnhui})
	require.NoError(t, err)
	b, err := proto.Marshal(policy)
	require.NoError(t, err)
	return b
}

// Nor can forged entries spoil any other credit list: an entry that names no
// record, or a record of another subject, is left out of the subject's
// records, authorisations and objections, of the grantee's authorisations
// and of the agency's open objections, and each lists exactly what is its
// own.
func TestForgedEntriesDoNotSpoilTheCreditLists(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.publish(f.agency, "R2", usccStranger)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.raise("O1", "R1")

	entry := func(index string, attrs ...string) string {
		return "\x00" + index + "\x00" + strings.Join(attrs, "\x00") + "\x00"
	}
	forged := []string{
		entry(idxRecordBySubject, usccSubject, "R-none"), entry(idxRecordBySubject, usccSubject, "R2"),
		// The retired records' index too, and an entry there of a record in force, which lists it once.
		entry(idxRetiredBySubject, usccSubject, "R-none"), entry(idxRetiredBySubject, usccSubject, "R2"),
		entry(idxRetiredBySubject, usccSubject, "R1"),
		entry(idxAuthBySubject, usccSubject, "A-none"), entry(idxAuthByGrantee, "bank1", "A-none"),
		entry(idxObjectionBySubject, usccSubject, "O-none"), entry(idxOpenByAgency, usccAgency, "O-none"),
	}
	writes := chaincodetest.Writes{}
	for _, k := range forged {
		writes[k] = []byte{0}
	}
	f.net.Forge(f.stranger, writes, mspAnhui, mspZhejiang, mspJiangsu).MustOK(t)

	records := decode[model.RecordPage](t, f.evaluate(f.subject, "ListRecords", usccSubject, "", ""))
	require.Len(t, records.Items, 1)
	assert.Equal(t, "R1", records.Items[0].RecordID)
	for name, page := range map[string]*model.AuthorizationPage{
		"the subject's": decode[model.AuthorizationPage](t, f.evaluate(f.subject, "ListAuthorizations", usccSubject, "", "")),
		"the grantee's": decode[model.AuthorizationPage](t, f.evaluate(f.bank, "ListMyAuthorizations", "", "")),
	} {
		require.Len(t, page.Items, 1, name)
		assert.Equal(t, "A1", page.Items[0].AuthID, name)
	}
	for name, page := range map[string]*model.ObjectionPage{
		"the subject's": decode[model.ObjectionPage](t, f.evaluate(f.subject, "ListObjections", usccSubject, "", "")),
		"the agency's":  decode[model.ObjectionPage](t, f.evaluate(f.agency, "ListAgencyObjections", "", "")),
	} {
		require.Len(t, page.Items, 1, name)
		assert.Equal(t, "O1", page.Items[0].ObjectionID, name)
	}
}
