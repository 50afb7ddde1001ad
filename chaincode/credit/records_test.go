package credit

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// TestPublishKeepsContentsInTheAgencyOrg is the two-step publish under the
// channel's real policy (a majority of the orgs): the contents reach only the agency's
// org, and the public record carries their hash.
func TestPublishKeepsContentsInTheAgencyOrg(t *testing.T) {
	f := newFixture(t)
	l := f.net.Ledger()
	coll := chaincodetest.ImplicitCollection(mspShanghai)
	before := f.snapshot()

	// Step 1: the agency's org alone endorses, and only private data is
	// written, canonical and self-describing, under the staging key.
	staged := f.stage(f.agency, contentsJSON("AA", secretSummary), "R1", usccSubject)
	staged.MustOK(t)
	assert.Equal(t, []string{mspShanghai}, staged.Endorsers)
	assert.Equal(t, "VALID", staged.ValidationCode)
	assert.Nil(t, staged.Event, "staging announces nothing")
	private := l.PrivateData(coll, privateKey("R1", usccSubject, "agency1"))
	require.NotNil(t, private)
	assert.JSONEq(t, `{"recordId":"R1","subjectUscc":"`+usccSubject+`","type":"RATING","grade":"AA","score":"750",
		"evidenceHash":"`+evidence+`","validUntil":"2027-02-28T16:00:00Z","summary":"`+secretSummary+`"}`, string(private))
	assert.Equal(t, &model.StagedRecord{RecordID: "R1", ContentHash: sha256Hex(private)}, decode[model.StagedRecord](t, staged))
	assertNoContents(t, staged.Payload, "the staging response")
	after := f.snapshot()
	assert.Equal(t, before.state, after.state, "staging wrote public state")
	assert.Equal(t, before.policies, after.policies, "staging set a key-level policy")
	assert.Equal(t, []string{privateKey("R1", usccSubject, "agency1")}, l.PrivateDataKeys(coll))

	// Step 2: no transient data, a majority of the orgs endorses; the
	// others hold no contents and need none.
	res := f.submit(f.agency, "Publish", "R1", usccSubject)
	res.MustOK(t)
	assert.Equal(t, []string{mspShanghai, mspJiangsu, mspZhejiang}, res.Endorsers)
	assert.Equal(t, []string{mspShanghai}, f.orgsGivenTransient(), "the contents reached another org")
	for _, msp := range []string{mspJiangsu, mspZhejiang, mspAnhui} {
		assert.Empty(t, l.PrivateDataKeys(chaincodetest.ImplicitCollection(msp)), "contents leaked into %s's collection", msp)
	}
	assert.Equal(t, private, l.PrivateData(coll, privateKey("R1", usccSubject, "agency1")), "Publish changed the contents")

	// The public record carries metadata and the staged hash only.
	var r model.Record
	require.NoError(t, json.Unmarshal(l.State(recordKey("R1")), &r))
	assert.Equal(t, model.Record{
		RecordID: "R1", SubjectUSCC: usccSubject, AgencyID: "agency1", AgencyMSP: mspShanghai, Region: "shanghai",
		ContentHash: sha256Hex(private), Status: model.RecordActive, PublishedAt: r.PublishedAt, UpdatedAt: r.PublishedAt,
	}, r)
	for _, key := range l.StateKeys() {
		assertNoContents(t, l.State(key), "public state "+key)
	}

	// Neither the response, the event nor the transactions carry them.
	assertNoContents(t, res.Payload, "the response")
	assert.JSONEq(t, string(l.State(recordKey("R1"))), string(res.Payload))
	require.NotNil(t, res.Event)
	assert.Equal(t, model.EventRecordPublished, res.Event.Name)
	assert.JSONEq(t, `{"recordId":"R1","subjectUscc":"`+usccSubject+`","agencyMsp":"`+mspShanghai+`"}`, string(res.Event.Payload))
	for _, tx := range l.Transactions() {
		assertNoContents(t, []byte(strings.Join(tx.Args, "\n")), "the arguments of "+tx.Args[0])
	}

	// Later changes to the record need a majority of the orgs, and it is marked so; its index entry exists.
	assertMajority(t, l.ValidationParameter(recordKey("R1")))
	assert.NotNil(t, l.State("\x00"+keyRecordSealed+"\x00R1\x00"))
	assert.NotNil(t, l.State("\x00"+idxRecordBySubject+"\x00"+usccSubject+"\x00R1\x00"))

	// The holding org's peer reads the contents back, verified.
	f.requestQuery(f.regulator, "T1", usccSubject, "supervision", "")
	read := decode[model.ReadResult](t, f.read(f.regulator, mspShanghai, "T1"))
	require.Len(t, read.Records, 1)
	assert.Equal(t, string(private), read.Records[0].Contents)
	assert.True(t, read.Records[0].Verified)
}

// TestPublishNeedsNoPeerOfTheAgencyOrg: Publish reads only the hash of the
// staged contents, so peers of a majority of the orgs that hold none of
// them endorse it, and agree.
func TestPublishNeedsNoPeerOfTheAgencyOrg(t *testing.T) {
	f := newFixture(t)
	f.stage(f.agency, contentsJSON("AA", secretSummary), "R1", usccSubject).MustOK(t)
	res := f.net.Invoke(f.agency, chaincodetest.Call{
		Function: "credit:Publish", Args: []string{"R1", usccSubject},
		PeerMSP: mspZhejiang, Endorsers: []string{mspZhejiang, mspAnhui, mspJiangsu},
	})
	res.MustOK(t)
	assert.Equal(t, "VALID", res.ValidationCode)
	private := f.net.Ledger().PrivateData(chaincodetest.ImplicitCollection(mspShanghai), privateKey("R1", usccSubject, "agency1"))
	assert.Equal(t, sha256Hex(private), decode[model.Record](t, res).ContentHash)
	assert.Equal(t, []string{mspShanghai}, f.orgsGivenTransient())
}

// TestStageRecordNeedsTheAgencyOrg: only the agency's own org can write to its
// collection. A staging endorsed by another org's peer alone is ordered into
// a block but invalidated at commit, and changes nothing.
func TestStageRecordNeedsTheAgencyOrg(t *testing.T) {
	f := newFixture(t)
	res := f.net.Invoke(f.agency, chaincodetest.Call{
		Function: "credit:StageRecord", Args: []string{"R1", usccSubject},
		Transient: map[string][]byte{model.TransientRecordKey: []byte(contentsJSON("AA", secretSummary))},
		PeerMSP:   mspAnhui, Endorsers: []string{mspAnhui},
	})
	require.Error(t, res.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", res.ValidationCode)
	assert.Empty(t, f.net.Ledger().PrivateDataKeys(chaincodetest.ImplicitCollection(mspShanghai)))
	f.mustRefuse(refusal{ledgererr.NotFound, "", "has staged no contents"}, func() chaincodetest.Result {
		return f.submit(f.agency, "Publish", "R1", usccSubject)
	})
}

// assertNoContents checks that b holds none of the private contents.
func assertNoContents(t *testing.T, b []byte, where string) {
	t.Helper()
	for _, secret := range []string{secretSummary, evidence, `"grade"`, `"score"`, `"summary"`} {
		assert.NotContains(t, string(b), secret, "%s carries record contents", where)
	}
}

// assertPolicy checks that a key-level policy is satisfied by exactly the
// endorsement of all the given orgs together, and not by any other one org.
func assertPolicy(t *testing.T, raw []byte, msps ...string) {
	t.Helper()
	require.NotNil(t, raw, "no key-level endorsement policy")
	policy := &common.SignaturePolicyEnvelope{}
	require.NoError(t, proto.Unmarshal(raw, policy))
	assert.NoError(t, chaincodetest.EvaluatePolicy(policy, msps))
	for _, other := range []string{mspShanghai, mspJiangsu, mspZhejiang, mspAnhui} {
		if len(msps) > 1 || other != msps[0] {
			assert.Error(t, chaincodetest.EvaluatePolicy(policy, []string{other}), "%s alone satisfies the policy", other)
		}
	}
}

// assertMajority checks that a key-level policy is satisfied by any three of the four orgs and by no two.
func assertMajority(t *testing.T, raw []byte) {
	t.Helper()
	require.NotNil(t, raw, "no key-level endorsement policy")
	policy := &common.SignaturePolicyEnvelope{}
	require.NoError(t, proto.Unmarshal(raw, policy))
	all := []string{mspShanghai, mspJiangsu, mspZhejiang, mspAnhui}
	for i := range all {
		var three []string
		for j, msp := range all {
			if j != i {
				three = append(three, msp)
			}
		}
		assert.NoError(t, chaincodetest.EvaluatePolicy(policy, three))
		for j := i + 1; j < len(all); j++ {
			assert.Error(t, chaincodetest.EvaluatePolicy(policy, []string{all[i], all[j]}), "%s and %s alone satisfy the policy", all[i], all[j])
		}
	}
}

func TestStageRecordNormalisesContents(t *testing.T) {
	f := newFixture(t)
	// Score without grade; key order and time zone of the input do not matter.
	doc := `{"summary":"ok","validUntil":"2026-12-31T23:59:59.9+01:00","evidenceHash":"` + evidence + `","score":"0","type":"TAX"}`
	f.stage(f.agency, doc, "R1", usccSubject).MustOK(t)
	f.submit(f.agency, "Publish", "R1", usccSubject).MustOK(t)
	private := f.net.Ledger().PrivateData(chaincodetest.ImplicitCollection(mspShanghai), privateKey("R1", usccSubject, "agency1"))
	// The stored form is RFC 8785 canonical JSON: members sorted by name.
	assert.Equal(t, `{"evidenceHash":"`+evidence+`","recordId":"R1","score":"0","subjectUscc":"`+usccSubject+`","summary":"ok","type":"TAX","validUntil":"2026-12-31T22:59:59Z"}`, string(private))
	assert.Equal(t, sha256Hex(private), f.getRecord("R1").ContentHash)
}

// TestStagingRules: staging again replaces the contents until the record is
// published, and never after; staged contents belong to one participant.
func TestStagingRules(t *testing.T) {
	f := newFixture(t)
	coll := chaincodetest.ImplicitCollection(mspShanghai)
	l := f.net.Ledger()

	first := decode[model.StagedRecord](t, f.stage(f.agency, contentsJSON("AA", "first draft"), "R1", usccSubject))
	second := decode[model.StagedRecord](t, f.stage(f.agency, contentsJSON("A", "second draft"), "R1", usccSubject))
	assert.NotEqual(t, first.ContentHash, second.ContentHash)
	assert.Contains(t, string(l.PrivateData(coll, privateKey("R1", usccSubject, "agency1"))), "second draft")
	r := decode[model.Record](t, f.submit(f.agency, "Publish", "R1", usccSubject))
	assert.Equal(t, second.ContentHash, r.ContentHash, "Publish takes the contents staged last")

	// Published contents are fixed: neither the issuer nor anyone else can
	// stage under the record ID again.
	for _, id := range []chaincodetest.Identity{f.agency, f.colleague, f.agency3} {
		f.mustRefuse(refusal{ledgererr.Conflict, "", `credit record "R1" already exists`}, func() chaincodetest.Result {
			return f.stage(id, contentsJSON("D", "rewritten"), "R1", usccSubject)
		})
	}

	// Two agencies may stage the same ID, each in its own key; the first to
	// publish takes it, and the other is told so.
	f.stage(f.rival, contentsJSON("B", "rival's view"), "R2", usccSubject).MustOK(t)
	f.stage(f.agency3, contentsJSON("C", "agency3's view"), "R2", usccSubject).MustOK(t)
	r2 := decode[model.Record](t, f.submit(f.agency3, "Publish", "R2", usccSubject))
	assert.Equal(t, mspAnhui, r2.AgencyMSP)
	f.mustRefuse(refusal{ledgererr.Conflict, "", `credit record "R2" already exists`}, func() chaincodetest.Result {
		return f.submit(f.rival, "Publish", "R2", usccSubject)
	})
	assert.Equal(t, []string{mspAnhui, mspShanghai}, f.orgsGivenTransient())
}

func TestStageRecordRefusals(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	valid := contentsJSON("AA", "fine")
	replace := func(old, new string) string { return strings.Replace(valid, old, new, 1) }

	for _, tc := range []struct {
		name     string
		caller   chaincodetest.Identity
		contents string // "" sends no transient record
		recordID string
		subject  string
		want     refusal
	}{
		{"bad record ID", f.agency, valid, "R 2", usccSubject, refusal{ledgererr.InvalidArgument, "recordId", "must be"}},
		{"bad subject", f.agency, valid, "R2", "9144030071526726XA", refusal{ledgererr.InvalidArgument, "subjectUscc", "check character"}},
		{"no contents", f.agency, "", "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record", "transient data"}},
		{"not JSON", f.agency, "AA", "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record", "JSON object"}},
		{"not an object", f.agency, `["AA"]`, "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record", "JSON object"}},
		{"two objects", f.agency, valid + valid, "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record", "exactly one"}},
		{"truncated", f.agency, valid[:len(valid)-1], "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record", "not valid JSON"}},
		{"unknown field", f.agency, replace(`"type"`, `"rating":"x","type"`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record", `unknown field "rating"`}},
		{"repeated field", f.agency, replace(`"score":"750"`, `"score":"750","score":"10"`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.score", "more than once"}},
		{"number score", f.agency, replace(`"750"`, `750`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.score", "JSON string"}},
		{"null grade", f.agency, replace(`"AA"`, `null`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.grade", "JSON string"}},
		{"bad type", f.agency, replace(`RATING`, `GOSSIP`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.type", "must be one of"}},
		{"score too high", f.agency, replace(`"750"`, `"1001"`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.score", "from 0 to 1000"}},
		{"score leading zero", f.agency, replace(`"750"`, `"0750"`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.score", `got "0750"`}},
		{"negative score", f.agency, replace(`"750"`, `"-1"`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.score", "from 0 to 1000"}},
		{"neither grade nor score", f.agency, replace(`"grade":"AA","score":"750",`, ``), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.grade", "required"}},
		{"grade padded", f.agency, replace(`"AA"`, `" AA"`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.grade", "spaces"}},
		{"grade too long", f.agency, replace(`"AA"`, `"`+strings.Repeat("A", 17)+`"`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.grade", "at most 16"}},
		{"bad evidence hash", f.agency, replace(evidence, strings.ToUpper(evidence)), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.evidenceHash", "lowercase"}},
		{"missing evidence hash", f.agency, replace(`"evidenceHash":"`+evidence+`",`, ``), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.evidenceHash", "64"}},
		{"validUntil not a time", f.agency, replace(`2027-03-01T00:00:00+08:00`, `next year`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.validUntil", "RFC 3339"}},
		{"validUntil past", f.agency, replace(`2027-03-01`, `2026-01-01`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.validUntil", "after the transaction time"}},
		{"empty summary", f.agency, replace(`"fine"`, `" "`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.summary", "required"}},
		{"long summary", f.agency, replace(`"fine"`, `"`+strings.Repeat("长", 501)+`"`), "R2", usccSubject, refusal{ledgererr.InvalidArgument, "record.summary", "at most 500"}},
		{"not an agency", f.subject, valid, "R2", usccSubject, refusal{ledgererr.Forbidden, "", "none of the roles"}},
		{"regulator", f.regulator, valid, "R2", usccSubject, refusal{ledgererr.Forbidden, "", "none of the roles"}},
		{"unregistered", f.unregistered, valid, "R2", usccSubject, refusal{ledgererr.Forbidden, "", "not a registered participant"}},
		{"published record", f.agency, valid, "R1", usccSubject, refusal{ledgererr.Conflict, "", `"R1" already exists`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.mustRefuse(tc.want, func() chaincodetest.Result {
				if tc.contents == "" {
					return f.submit(tc.caller, "StageRecord", tc.recordID, tc.subject)
				}
				return f.stage(tc.caller, tc.contents, tc.recordID, tc.subject)
			})
		})
	}
}

func TestPublishRefusals(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	valid := contentsJSON("AA", "fine")
	f.stage(f.agency, valid, "R2", usccSubject).MustOK(t)    // the agency's own, about the subject
	f.stage(f.agency, valid, "R3", usccStranger).MustOK(t)   // about another subject
	f.stage(f.colleague, valid, "R4", usccSubject).MustOK(t) // same agency, another participant
	f.stage(f.rival, valid, "R5", usccSubject).MustOK(t)     // another agency of the same org
	f.stage(f.agency3, valid, "R6", usccSubject).MustOK(t)   // an agency of another org

	for _, tc := range []struct {
		name     string
		caller   chaincodetest.Identity
		contents string // transient record, "" for none
		recordID string
		subject  string
		want     refusal
	}{
		{"bad record ID", f.agency, "", "R 2", usccSubject, refusal{ledgererr.InvalidArgument, "recordId", "must be"}},
		{"bad subject", f.agency, "", "R2", "9144030071526726XA", refusal{ledgererr.InvalidArgument, "subjectUscc", "check character"}},
		{"contents as transient data", f.agency, valid, "R2", usccSubject, refusal{ledgererr.InvalidArgument, "transient", "Publish takes no transient data"}},
		{"not an agency", f.subject, "", "R2", usccSubject, refusal{ledgererr.Forbidden, "", "none of the roles"}},
		{"unregistered", f.unregistered, "", "R2", usccSubject, refusal{ledgererr.Forbidden, "", "not a registered participant"}},
		{"duplicate record", f.agency, "", "R1", usccSubject, refusal{ledgererr.Conflict, "", `"R1" already exists`}},
		{"nothing staged", f.agency, "", "R9", usccSubject, refusal{ledgererr.NotFound, "", `participant "agency1" has staged no contents for credit record "R9"`}},
		{"staged about another subject", f.agency, "", "R3", usccSubject, refusal{ledgererr.NotFound, "", "has staged no contents"}},
		{"staged by a colleague", f.agency, "", "R4", usccSubject, refusal{ledgererr.NotFound, "", "has staged no contents"}},
		{"staged by another agency of the org", f.agency, "", "R5", usccSubject, refusal{ledgererr.NotFound, "", "has staged no contents"}},
		{"staged by an agency of another org", f.agency, "", "R6", usccSubject, refusal{ledgererr.NotFound, "", "has staged no contents"}},
		{"another's staging, by the rival", f.rival, "", "R2", usccSubject, refusal{ledgererr.NotFound, "", "has staged no contents"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.mustRefuse(tc.want, func() chaincodetest.Result {
				if tc.contents == "" {
					return f.submit(tc.caller, "Publish", tc.recordID, tc.subject)
				}
				return f.submitWithTransient(tc.caller, tc.contents, "Publish", tc.recordID, tc.subject)
			})
		})
	}

	// Each staging is published by its own participant, about its own subject.
	f.t = t
	for _, p := range []struct {
		who     chaincodetest.Identity
		id      string
		subject string
	}{{f.agency, "R2", usccSubject}, {f.agency, "R3", usccStranger}, {f.colleague, "R4", usccSubject}, {f.rival, "R5", usccSubject}, {f.agency3, "R6", usccSubject}} {
		r := decode[model.Record](t, f.submit(p.who, "Publish", p.id, p.subject))
		assert.Equal(t, p.subject, r.SubjectUSCC)
		assert.Equal(t, p.who.MSPID, r.AgencyMSP)
	}
}

func TestGetAndListRecords(t *testing.T) {
	f := newFixture(t)
	r1 := f.publish(f.agency, "R1", usccSubject)
	r2 := f.publish(f.agency3, "R2", usccSubject)
	f.publish(f.agency, "R3", usccNobody)

	// Whoever may list the subject's records reads one record's public
	// metadata (TestARecordReadsAsMissingToWhoMayNotListIt).
	assert.Equal(t, r1, decode[model.Record](t, f.evaluate(f.subject, "GetRecord", "R1")))
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "not a registered participant"}, func() chaincodetest.Result {
		return f.evaluate(f.unregistered, "GetRecord", "R1")
	})
	f.mustRefuse(refusal{ledgererr.NotFound, "", `"R9" does not exist`}, func() chaincodetest.Result {
		return f.evaluate(f.stranger, "GetRecord", "R9")
	})
	f.mustRefuse(refusal{ledgererr.InvalidArgument, "recordId", "must be"}, func() chaincodetest.Result {
		return f.evaluate(f.stranger, "GetRecord", "")
	})

	// The subject and a regulator list a subject's records; an agency those
	// its enterprise issued (TestAnAgencyReadsOnlyItsOwnEnterprisesRecordsWithoutATrace).
	requireListsOfSubject(t, f, "ListRecords", []chaincodetest.Identity{f.subject, f.subjectColleague, f.regulator}, []*model.Record{r1, r2})

	empty := decode[model.RecordPage](t, f.evaluate(f.regulator, "ListRecords", usccStranger, "", ""))
	assert.NotNil(t, empty.Items)
	assert.Empty(t, empty.Items)

	for _, tc := range []struct {
		name   string
		caller chaincodetest.Identity
		args   []string
		want   refusal
	}{
		{"bank", f.bank, []string{usccSubject, "", ""}, refusal{ledgererr.Forbidden, "", "may not list"}},
		{"stranger", f.stranger, []string{usccSubject, "", ""}, refusal{ledgererr.Forbidden, "", "may not list"}},
		{"unregistered", f.unregistered, []string{usccSubject, "", ""}, refusal{ledgererr.Forbidden, "", "not a registered"}},
		{"bad subject", f.regulator, []string{"x", "", ""}, refusal{ledgererr.InvalidArgument, "subjectUscc", "18-character"}},
		{"bad page size", f.regulator, []string{usccSubject, "101", ""}, refusal{ledgererr.InvalidArgument, "pageSize", "1 to 100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.mustRefuse(tc.want, func() chaincodetest.Result { return f.evaluate(tc.caller, "ListRecords", tc.args...) })
		})
	}
}

// TestReadOnlyFunctionsAreTaggedEvaluate checks the metadata that tells
// clients and the gateway to evaluate, never submit, the read functions.
func TestReadOnlyFunctionsAreTaggedEvaluate(t *testing.T) {
	f := newFixture(t)
	tags := map[string][]string{}
	for _, tx := range f.net.Transactions(t, f.bank)["credit"] {
		tags[tx.Name] = tx.Tag
	}
	require.Contains(t, tags, "ReadRecords")
	for _, fn := range New().GetEvaluateTransactions() {
		assert.Contains(t, tags[fn], "EVALUATE", fn)
	}
	for _, fn := range []string{"StageRecord", "Publish", "Authorize", "RevokeAuthorization", "RequestQuery", "RaiseObjection", "AnswerObjection"} {
		assert.Contains(t, tags[fn], "SUBMIT", fn)
	}
}

// Nobody rates their own enterprise: an agency neither stages nor publishes
// a record about the enterprise it acts for, so it never answers an
// objection to its own rating.
func TestAgencyMayNotRateItsOwnEnterprise(t *testing.T) {
	f := newFixture(t)
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "its own enterprise"}, func() chaincodetest.Result {
		return f.stage(f.agency, contentsJSON("AAA", "we are excellent"), "R-self", usccAgency)
	})
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "its own enterprise"}, func() chaincodetest.Result {
		return f.submit(f.colleague, "Publish", "R-self", usccAgency)
	})
}

// A record that a caller may not read (the subject's own participants,
// regulators and the agencies of its issuer's enterprise may) reads as a
// missing one, to another agency too, in GetRecord
// and in RaiseObjection alike: who was rated, by whom, and whether the
// subject disputes it (Disputes, LastDispute) is credit information, which
// the record's ID, a name any participant may come to know (a lookup's read, a
// guess), must not hand to a stranger or to a grantee whose
// authorisation has ended.
func TestARecordReadsAsMissingToWhoMayNotListIt(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	refusal := func(t *testing.T, r chaincodetest.Result, recordID string) string {
		t.Helper()
		require.Error(t, r.Err)
		e, ok := ledgererr.Parse(r.Err.Error())
		require.True(t, ok, "error carries no code: %v", r.Err)
		for _, secret := range []string{usccSubject, usccAgency, "agency1", "O1", model.RecordUnderObjection} {
			assert.NotContains(t, e.Message, secret, "the refusal names %s", secret)
		}
		return string(e.Code) + ": " + strings.ReplaceAll(e.Message, `"`+recordID+`"`, `"?"`)
	}
	for name, caller := range map[string]chaincodetest.Identity{"stranger": f.stranger, "bank": f.bank, "rival agency": f.rival, "agency of another org": f.agency3} {
		t.Run(name, func(t *testing.T) {
			f.t = t
			missing := refusal(t, f.evaluate(caller, "GetRecord", "R9"), "R9")
			assert.Equal(t, missing, refusal(t, f.evaluate(caller, "GetRecord", "R1"), "R1"), "GetRecord")
			before := f.snapshot()
			raised := refusal(t, f.submit(caller, "RaiseObjection", "O2", "R1", "not ours"), "R1")
			assert.True(t, before.equal(f.snapshot()), "a refused objection wrote to the ledger")
			assert.Equal(t, refusal(t, f.submit(caller, "RaiseObjection", "O2", "R9", "not ours"), "R9"), raised, "RaiseObjection")
		})
	}
	// The subject, the regulator and the issuing enterprise's agencies read the record.
	f.t = t
	for _, id := range []chaincodetest.Identity{f.subject, f.subjectColleague, f.regulator, f.agency, f.colleague} {
		r := decode[model.Record](t, f.evaluate(id, "GetRecord", "R1"))
		assert.Equal(t, model.RecordUnderObjection, r.Status)
	}
}

// A participant acts as a credit agency only for the agency enterprise its
// own org holds. Anhui and two other orgs, with a chaincode of their own, can
// write an Anhui participant with the agency role for Shanghai's agency
// enterprise, which Anhui's CA certifies; Anhui alone can write what it likes
// into its own implicit collection. Honest peers must not let it issue a
// record, whose objections Shanghai's agency would have to answer
// (RaiseObjection sends them to the issuer's enterprise), nor show it the
// open objections that enterprise must answer: who disputes whose record.
func TestForgedAgencyActsForNoAgencyEnterprise(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	impostor := f.forgeParticipant("impostor", usccAgency, model.RoleAgency)
	forbidden := boundElsewhere(usccAgency, mspShanghai)

	f.mustRefuse(forbidden, func() chaincodetest.Result {
		return f.stage(impostor, contentsJSON("D", secretSummary), "R9", usccSubject)
	})
	// Contents Anhui staged under the impostor with a chaincode of its own.
	f.net.InvokeFunc(impostor, chaincodetest.Call{PeerMSP: mspAnhui, Endorsers: []string{mspAnhui}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, stub.PutPrivateData(implicitCollection(mspAnhui), privateKey("R9", usccSubject, "impostor"), []byte(`{"summary":"forged"}`))
		}).MustOK(t)
	f.mustRefuse(forbidden, func() chaincodetest.Result { return f.submit(impostor, "Publish", "R9", usccSubject) })
	f.mustRefuse(forbidden, func() chaincodetest.Result { return f.evaluate(impostor, "ListAgencyObjections", "", "") })
	f.mustRefuse(forbidden, func() chaincodetest.Result {
		return f.submit(impostor, "AnswerObjection", "O1", model.AnswerDismiss, "fine as it is", "")
	})

	// The agency enterprise's own participants act as before.
	page := decode[model.ObjectionPage](t, f.evaluate(f.colleague, "ListAgencyObjections", "", ""))
	require.Len(t, page.Items, 1)
	assert.Equal(t, "O1", page.Items[0].ObjectionID)
	f.publish(f.colleague, "R2", usccSubject)
}

// Reading the records' metadata is an agency's power like any other: an
// Anhui participant that Anhui and two other orgs wrote with the agency role
// for Shanghai's agency enterprise (which Anhui's CA certifies) lists no
// subject's records, and reads each as a missing one, as a stranger would:
// who was rated, by whom, and who disputes what.
func TestForgedAgencyListsNoRecords(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	impostor := f.forgeParticipant("impostor", usccAgency, model.RoleAgency)

	f.mustRefuse(boundElsewhere(usccAgency, mspShanghai), func() chaincodetest.Result {
		return f.evaluate(impostor, "ListRecords", usccSubject, "", "")
	})
	missing := f.evaluate(impostor, "GetRecord", "R9")
	require.Error(t, missing.Err)
	got := f.evaluate(impostor, "GetRecord", "R1")
	require.Error(t, got.Err, "the forged agency read a record")
	assert.Equal(t, strings.ReplaceAll(missing.Err.Error(), "R9", "R?"), strings.ReplaceAll(got.Err.Error(), "R1", "R?"))

	// Agencies acting for their own enterprise list as before, and read the record their enterprise issued.
	for _, id := range []chaincodetest.Identity{f.agency, f.rival, f.agency3} {
		decode[model.RecordPage](t, f.evaluate(id, "ListRecords", usccSubject, "", ""))
	}
	decode[model.Record](t, f.evaluate(f.colleague, "GetRecord", "R1"))
}
