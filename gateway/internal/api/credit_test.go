package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

const subject = "91330100799655058B"

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// programCredit makes the fake answer a lookup: two records held by two
// orgs, every org's peer listing both and returning its own record's
// contents.
func programCredit(t *testing.T, f *chaintest.Fake, tamper bool) (contentsSH, contentsJS string) {
	contentsSH = `{"recordId":"r1","subjectUscc":"` + subject + `","type":"RATING","grade":"AA","evidenceHash":"` + strings.Repeat("a", 64) + `","validUntil":"2030-01-01T00:00:00Z","summary":"good"}`
	contentsJS = `{"recordId":"r2","subjectUscc":"` + subject + `","type":"TAX","score":"700","evidenceHash":"` + strings.Repeat("b", 64) + `","validUntil":"2030-01-01T00:00:00Z","summary":"paid"}`
	r1 := &model.Record{RecordID: "r1", SubjectUSCC: subject, AgencyMSP: "ShanghaiMSP", ContentHash: sha(contentsSH), Status: "ACTIVE"}
	r2 := &model.Record{RecordID: "r2", SubjectUSCC: subject, AgencyMSP: "JiangsuMSP", ContentHash: sha(contentsJS), Status: "ACTIVE"}
	var trace *model.Trace
	f.Handle("credit:RequestQuery", func(c chaintest.Call) (chaintest.Response, error) {
		trace = &model.Trace{TraceID: c.Args[0], SubjectUSCC: c.Args[1], QuerierID: c.Member, Purpose: c.Args[2], AuthID: c.Args[3], Basis: "AUTHORIZATION"}
		b, _ := json.Marshal(trace)
		return chaintest.Response{Result: b, Event: "QueryRequested"}, nil
	})
	var lagging atomic.Bool
	lagging.Store(true)
	f.Handle("credit:ReadRecords", func(c chaintest.Call) (chaintest.Response, error) {
		require.Len(t, c.Options.EndorsingOrganizations, 1, "each read targets one org")
		msp := c.Options.EndorsingOrganizations[0]
		res := model.ReadResult{Trace: trace, PeerMSP: msp, Records: []*model.RecordRead{
			{Record: r1, HeldBy: "ShanghaiMSP"}, {Record: r2, HeldBy: "JiangsuMSP"},
		}}
		switch msp {
		case "ShanghaiMSP":
			res.Records[0].Contents = contentsSH
			if tamper {
				res.Records[0].Contents = strings.Replace(contentsSH, "AA", "AAA", 1)
			}
		case "JiangsuMSP":
			// The other org's peer has not committed the trace's block yet
			// the first time it is asked.
			if lagging.Swap(false) {
				return chaintest.Response{}, chain.Rejected(ledgererr.NotFound, "", "query trace not found", "")
			}
			res.Records[1].Contents = contentsJS
			// A peer must not be believed about another org's records.
			res.Records[0].Contents = `{"forged":true}`
		}
		b, _ := json.Marshal(res)
		return chaintest.Response{Result: b}, nil
	})
	return contentsSH, contentsJS
}

func TestCreditLookupIsOneCallThatLeavesATrace(t *testing.T) {
	e := newEnv(t)
	contentsSH, contentsJS := programCredit(t, e.fake, false)
	resp := e.do("bob", "GET", "/v1/credit/subjects/"+subject+"/records?purpose=loan%20review&authorization=auth-1", "")
	require.Equal(t, 200, resp.Status, "body: %s", resp.Body)
	newDocValidator(t, e.srv.Document()).validate("GET", "/v1/credit/subjects/{uscc}/records", resp)

	// Step 1 was submitted before anything was read, as the caller.
	calls := e.fake.Calls()
	require.Equal(t, "credit:RequestQuery", calls[0].Function)
	assert.True(t, calls[0].Submit)
	assert.Equal(t, "bob", calls[0].Member)
	traceID := calls[0].Args[0]
	assert.Equal(t, []string{traceID, subject, "loan review", "auth-1"}, calls[0].Args)
	// Step 2 was evaluated, never submitted, on the caller's own org's peer
	// first, then on the other holder's (twice: it lagged).
	reads := e.fake.CallsTo("credit:ReadRecords")
	var orgs []string
	for _, c := range reads {
		assert.False(t, c.Submit, "ReadRecords must never be submitted")
		assert.Equal(t, []string{traceID}, c.Args)
		orgs = append(orgs, c.Options.EndorsingOrganizations...)
	}
	assert.Equal(t, []string{ownMSP, "JiangsuMSP", "JiangsuMSP"}, orgs)

	var body wire.CreditLookupBody
	require.NoError(t, json.Unmarshal(resp.Body, &body))
	assert.Equal(t, traceID, body.Trace.TraceID)
	// The answer names the transaction that committed the trace.
	st, err := e.fake.CommitStatus(context.Background(), "bob", body.TransactionID)
	require.NoError(t, err)
	assert.True(t, st.Committed && st.Valid, "transaction_id %q is not the trace's committed transaction", body.TransactionID)
	assert.Equal(t, st.BlockNumber, body.BlockNumber)
	assert.True(t, body.Complete)
	require.Len(t, body.Records, 2)
	assert.JSONEq(t, contentsSH, string(body.Records[0].Contents))
	assert.True(t, body.Records[0].Verified)
	assert.JSONEq(t, contentsJS, string(body.Records[1].Contents), "each record's contents come from its own holder")
	assert.True(t, body.Records[1].Verified)
	assert.Equal(t, []wire.CreditHolder{{MSPID: "JiangsuMSP", OK: true}, {MSPID: "ShanghaiMSP", OK: true}}, body.Holders)
}

// The caller's own org's peer lists the records even when its org holds
// none; only the holding orgs are asked for contents and reported.
func TestCreditLookupListsTheRecordsOnTheCallersOwnPeer(t *testing.T) {
	e := newEnv(t)
	contents := `{"recordId":"r1","summary":"good"}`
	r1 := &model.Record{RecordID: "r1", SubjectUSCC: subject, AgencyMSP: "JiangsuMSP", ContentHash: sha(contents), Status: "ACTIVE"}
	var trace *model.Trace
	f := e.fake
	f.Handle("credit:RequestQuery", func(c chaintest.Call) (chaintest.Response, error) {
		trace = &model.Trace{TraceID: c.Args[0], SubjectUSCC: c.Args[1], QuerierID: c.Member, Purpose: c.Args[2]}
		b, _ := json.Marshal(trace)
		return chaintest.Response{Result: b}, nil
	})
	f.Handle("credit:ReadRecords", func(c chaintest.Call) (chaintest.Response, error) {
		msp := c.Options.EndorsingOrganizations[0]
		res := model.ReadResult{Trace: trace, PeerMSP: msp, Records: []*model.RecordRead{{Record: r1, HeldBy: "JiangsuMSP"}}}
		if msp == "JiangsuMSP" {
			res.Records[0].Contents = contents
		}
		b, _ := json.Marshal(res)
		return chaintest.Response{Result: b}, nil
	})
	resp := e.do("bob", "GET", "/v1/credit/subjects/"+subject+"/records?purpose=loan", "")
	require.Equal(t, 200, resp.Status, "body: %s", resp.Body)
	var orgs []string
	for _, c := range f.CallsTo("credit:ReadRecords") {
		orgs = append(orgs, c.Options.EndorsingOrganizations...)
	}
	assert.Equal(t, []string{ownMSP, "JiangsuMSP"}, orgs)
	var body wire.CreditLookupBody
	require.NoError(t, json.Unmarshal(resp.Body, &body))
	assert.True(t, body.Complete)
	require.Len(t, body.Records, 1)
	assert.True(t, body.Records[0].Verified)
	assert.Equal(t, []wire.CreditHolder{{MSPID: "JiangsuMSP", OK: true}}, body.Holders)
}

// When the caller's own org's peer does not answer, the committed lookup
// is still answered, with its trace, no record, and that org's error. (A
// peer that refuses the read is the lookup's answer:
// TestACreditLookupReplayedAfterItsTraceStoppedIsRefused.)
func TestCreditLookupReportsItsOwnPeersFailure(t *testing.T) {
	e := newEnv(t)
	programCredit(t, e.fake, false)
	e.fake.Fails("credit:ReadRecords", &chain.Error{Kind: chain.KindUnavailable, Message: "connection refused"})
	resp := e.do("bob", "GET", "/v1/credit/subjects/"+subject+"/records?purpose=loan", "")
	require.Equal(t, 200, resp.Status, "body: %s", resp.Body)
	newDocValidator(t, e.srv.Document()).validate("GET", "/v1/credit/subjects/{uscc}/records", resp)
	var body wire.CreditLookupBody
	require.NoError(t, json.Unmarshal(resp.Body, &body))
	assert.False(t, body.Complete)
	assert.Empty(t, body.Records)
	require.Len(t, body.Holders, 1)
	assert.Equal(t, ownMSP, body.Holders[0].MSPID)
	assert.False(t, body.Holders[0].OK)
	require.NotNil(t, body.Holders[0].Error)
	assert.Len(t, e.fake.CallsTo("credit:ReadRecords"), 1, "no other org is asked")
}

// A RequestQuery that answers anything but the trace asked for (a chaincode
// before interface 10.0.0 answered a ticket) fails the lookup rather than
// report it without records.
func TestCreditLookupRefusesAnAnswerThatIsNoTrace(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("credit:RequestQuery", map[string]any{"trace": map[string]any{"traceId": "t"}, "records": []any{}, "holders": []string{}})
	resp := e.do("bob", "GET", "/v1/credit/subjects/"+subject+"/records?purpose=loan", "")
	require.Equal(t, 502, resp.Status, "body: %s", resp.Body)
	assert.Empty(t, e.fake.CallsTo("credit:ReadRecords"))
}

func TestCreditLookupFlagsContentsThatDoNotMatchTheirHash(t *testing.T) {
	e := newEnv(t)
	programCredit(t, e.fake, true)
	resp := e.do("bob", "GET", "/v1/credit/subjects/"+subject+"/records?purpose=loan", "")
	require.Equal(t, 200, resp.Status)
	var body wire.CreditLookupBody
	require.NoError(t, json.Unmarshal(resp.Body, &body))
	assert.False(t, body.Records[0].Verified)
	assert.False(t, body.Complete)
}

func TestCreditLookupRefusedWritesNoReads(t *testing.T) {
	e := newEnv(t)
	e.fake.Fails("credit:RequestQuery", chain.Rejected(ledgererr.Forbidden, "", "no authorisation of this subject for this purpose", ""))
	resp := e.do("bob", "GET", "/v1/credit/subjects/"+subject+"/records?purpose=curiosity", "")
	require.Equal(t, 403, resp.Status)
	assert.Empty(t, e.fake.CallsTo("credit:ReadRecords"), "nothing is read without a committed trace")
	newDocValidator(t, e.srv.Document()).validate("GET", "/v1/credit/subjects/{uscc}/records", resp)
}

func TestCreditLookupValidatesItsInput(t *testing.T) {
	e := newEnv(t)
	e.requireInvalidGETs(t, "bob", []invalidGET{
		{"/v1/credit/subjects/NOTAUSCC/records?purpose=x", "uscc"},
		{"/v1/credit/subjects/" + subject + "/records", "purpose"},
		{"/v1/credit/subjects/" + subject + "/records?purpose=x&colour=red", "colour"},
		{"/v1/credit/subjects/" + subject + "/records?purpose=x&authorization=-", "authorization"},
	})
	assert.Empty(t, e.fake.Calls())
}

func TestOwnOrgRoutesStayOnTheGatewaysOrg(t *testing.T) {
	e := newEnv(t, api.WithOrg(ownMSP))
	e.fake.Returns("credit:StageRecord", model.StagedRecord{RecordID: "r1", ContentHash: strings.Repeat("c", 64)})
	resp := e.do("carol", "POST", "/v1/credit/records/staged",
		`{"recordId":"r1","subjectUscc":"`+subject+`","record":{"type":"RATING","grade":"A","evidenceHash":"`+strings.Repeat("a", 64)+`","validUntil":"2030-01-01T00:00:00Z","summary":"s"}}`)
	require.Equal(t, 201, resp.Status, "body: %s", resp.Body)
	c := e.fake.CallsTo("credit:StageRecord")[0]
	assert.Equal(t, []string{ownMSP}, c.Options.EndorsingOrganizations, "staged contents reach the own org only")
	assert.Equal(t, []string{"r1", subject}, c.Args)
	assert.Contains(t, string(c.Options.Transient["record"]), `"grade":"A"`)

	e.fake.Returns("trades:Terms", map[string]any{"tradeId": "t1"})
	require.Equal(t, 200, e.do("bob", "GET", "/v1/trades/t1/terms/1", "").Status)
	assert.Equal(t, []string{ownMSP}, e.fake.CallsTo("trades:Terms")[0].Options.EndorsingOrganizations)

	// Other routes let Fabric choose.
	e.fake.Returns("credit:Publish", model.Record{RecordID: "r1"})
	require.Equal(t, 201, e.do("carol", "POST", "/v1/credit/records", `{"recordId":"r1","subjectUscc":"`+subject+`"}`).Status)
	assert.Empty(t, e.fake.CallsTo("credit:Publish")[0].Options.EndorsingOrganizations)
	assert.Empty(t, e.fake.CallsTo("credit:Publish")[0].Options.Transient, "publish carries no contents")
}

func TestBookmarkFieldsOfResultsBecomeCursors(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("assets:Lineage", map[string]any{"assetId": "a1", "sources": []string{}, "derived": []string{"d1"}, "derivedBookmark": "raw-bm"})
	resp := e.do("alice", "GET", "/v1/assets/a1/lineage", "")
	require.Equal(t, 200, resp.Status)
	cursor := resp.json(t)["derivedBookmark"].(string)
	assert.Equal(t, "c1."+base64.RawURLEncoding.EncodeToString([]byte("raw-bm")), cursor)

	e.fake.Returns("assets:ListDerived", map[string]any{"items": []string{"d2"}, "bookmark": ""})
	resp = e.do("alice", "GET", "/v1/assets/a1/derived?cursor="+cursor, "")
	require.Equal(t, 200, resp.Status)
	assert.Equal(t, []string{"a1", "", "raw-bm"}, e.fake.CallsTo("assets:ListDerived")[0].Args)
	_, hasNext := resp.json(t)["next_cursor"]
	assert.False(t, hasNext, "the last page has no next cursor")
}

// The amount of a payment is passed as transient data, never as a public
// argument: a negotiated price must enter no block. The request keeps its
// shape.
func TestPaymentAmountIsTransient(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("trades:RecordPayment", model.Trade{ID: "t1", Status: model.TradePaid})
	resp := e.do("bob", "POST", "/v1/trades/t1/payment", `{"settlementRef":"BANK-1","amountFen":480000}`)
	require.Equal(t, 200, resp.Status, "body: %s", resp.Body)
	c := e.fake.CallsTo("trades:RecordPayment")[0]
	assert.Equal(t, []string{"t1", "BANK-1"}, c.Args)
	assert.Equal(t, "480000", string(c.Options.Transient[model.TransientAmountKey]))
}

// A record its holding org's peer withheld as expired keeps the mark in the
// lookup's answer, without contents, and leaves the lookup complete; a
// peer of another org, which cannot read the record's validUntil, is not
// believed when it marks a record expired.
func TestCreditLookupKeepsTheHoldersExpiredMark(t *testing.T) {
	e := newEnv(t)
	contentsJS := `{"recordId":"r2","summary":"paid"}`
	r1 := &model.Record{RecordID: "r1", SubjectUSCC: subject, AgencyMSP: "ShanghaiMSP", ContentHash: sha("{}"), Status: "ACTIVE"}
	r2 := &model.Record{RecordID: "r2", SubjectUSCC: subject, AgencyMSP: "JiangsuMSP", ContentHash: sha(contentsJS), Status: "ACTIVE"}
	var trace *model.Trace
	e.fake.Handle("credit:RequestQuery", func(c chaintest.Call) (chaintest.Response, error) {
		trace = &model.Trace{TraceID: c.Args[0], SubjectUSCC: c.Args[1], QuerierID: c.Member, Purpose: c.Args[2], Basis: "AUTHORIZATION"}
		b, _ := json.Marshal(trace)
		return chaintest.Response{Result: b}, nil
	})
	e.fake.Handle("credit:ReadRecords", func(c chaintest.Call) (chaintest.Response, error) {
		msp := c.Options.EndorsingOrganizations[0]
		res := model.ReadResult{Trace: trace, PeerMSP: msp, Records: []*model.RecordRead{
			{Record: r1, HeldBy: "ShanghaiMSP"}, {Record: r2, HeldBy: "JiangsuMSP"},
		}}
		switch msp {
		case "ShanghaiMSP":
			res.Records[0].Expired = true // withheld: no contents
			res.Records[1].Expired = true // not its record: not believed
		case "JiangsuMSP":
			res.Records[1].Contents = contentsJS
		}
		b, _ := json.Marshal(res)
		return chaintest.Response{Result: b}, nil
	})
	resp := e.do("bob", "GET", "/v1/credit/subjects/"+subject+"/records?purpose=loan&authorization=auth-1", "")
	require.Equal(t, 200, resp.Status, "body: %s", resp.Body)
	newDocValidator(t, e.srv.Document()).validate("GET", "/v1/credit/subjects/{uscc}/records", resp)
	var body wire.CreditLookupBody
	require.NoError(t, json.Unmarshal(resp.Body, &body))
	require.Len(t, body.Records, 2)
	assert.True(t, body.Records[0].Expired, "the holder's mark is kept")
	assert.Empty(t, body.Records[0].Contents)
	assert.False(t, body.Records[0].Verified)
	assert.False(t, body.Records[1].Expired, "another org's peer is not believed")
	assert.True(t, body.Records[1].Verified)
	assert.True(t, body.Complete, "a record withheld as expired is not missing")
	assert.Contains(t, string(resp.Body), `"expired":true`)
}
