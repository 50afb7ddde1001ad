//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/demo"
)

type creditRecord struct {
	RecordID    string `json:"recordId"`
	SubjectUSCC string `json:"subjectUscc"`
	AgencyMSP   string `json:"agencyMsp"`
	ContentHash string `json:"contentHash"`
	Status      string `json:"status"`
}

type trace struct {
	TraceID   string `json:"traceId"`
	QuerierID string `json:"querierId"`
	Purpose   string `json:"purpose"`
	AuthID    string `json:"authId"`
}

type readResult struct {
	PeerMSP string `json:"peerMsp"`
	Records []struct {
		Record   creditRecord `json:"record"`
		HeldBy   string       `json:"heldBy"`
		Contents string       `json:"contents"`
		Verified bool         `json:"verified"`
	} `json:"records"`
}

// A Shanghai credit agency publishes a record about a Jiangsu enterprise;
// a Zhejiang bank reads it only with the subject's authorisation, each read
// leaves a trace the subject and the regulator see, and the contents never
// reach a block or a peer of an org that does not hold them.
func TestCreditRecordLifecycleAcrossRegions(t *testing.T) {
	agency := member(t, "shanghai", "agency")
	subject := member(t, "jiangsu", "holder")
	bank := member(t, "zhejiang", "buyer")
	regulator := member(t, "anhui", "regulator")
	subjectUSCC := demo.USCC("jiangsu", "holder")
	recordID := id("credit")
	marker := "confidential-" + run // appears only in the record's contents

	contents, err := json.Marshal(map[string]string{
		"type": "RATING", "grade": "AA", "score": "812",
		"evidenceHash": strings.Repeat("ab", 32),
		"validUntil":   time.Now().Add(365 * 24 * time.Hour).UTC().Format(time.RFC3339),
		"summary":      "annual rating " + marker,
	})
	require.NoError(t, err)

	// Step 1: only the agency's own org sees the contents.
	var staged struct {
		RecordID    string `json:"recordId"`
		ContentHash string `json:"contentHash"`
	}
	submit(t, agency, &staged, "credit:StageRecord", []string{recordID, subjectUSCC},
		demo.Transient("record", contents), demo.EndorsingOrgs("ShanghaiMSP"))
	// Step 2: the public record carries the hash only.
	var rec creditRecord
	submit(t, agency, &rec, "credit:Publish", []string{recordID, subjectUSCC})
	assert.Equal(t, staged.ContentHash, rec.ContentHash)
	assert.Equal(t, "ShanghaiMSP", rec.AgencyMSP)
	assert.Equal(t, "ACTIVE", rec.Status)

	// Without the subject's authorisation the bank's query is refused.
	purpose := "loan underwriting"
	_, err = bank.Submit(callCtx(t), "credit:RequestQuery", []string{id("trace-denied"), subjectUSCC, purpose, ""})
	refused(t, ledgererr.Forbidden, err)

	authID := id("auth")
	submit(t, subject, nil, "credit:Authorize", []string{authID, demo.ParticipantID("zhejiang", "buyer"), purpose,
		time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)})

	// Evaluated and never submitted, a lookup commits no trace, and its
	// answer names no record (interface 10.0.0).
	evaluated, err := bank.Evaluate(callCtx(t), "credit:RequestQuery", []string{id("trace-evaluated"), subjectUSCC, purpose, authID})
	require.NoError(t, err)
	assert.NotContains(t, string(evaluated), recordID, "an evaluated lookup named the subject's record")

	traceID := id("trace")
	var committed trace
	submit(t, bank, &committed, "credit:RequestQuery", []string{traceID, subjectUSCC, purpose, authID})
	assert.Equal(t, traceID, committed.TraceID)
	assert.Equal(t, authID, committed.AuthID)

	// The bank's own peer (Zhejiang) lists the records in force, naming the
	// org whose peers hold each one's contents, and holds none of this
	// record's contents.
	var listed readResult
	evaluate(t, bank, &listed, "credit:ReadRecords", []string{traceID}, demo.EndorsingOrgs("ZhejiangMSP"))
	assert.Equal(t, "ZhejiangMSP", listed.PeerMSP)
	heldBy := ""
	for _, r := range listed.Records {
		assert.NotContains(t, r.Contents, marker)
		if r.Record.RecordID == recordID {
			heldBy = r.HeldBy
		}
	}
	assert.Equal(t, "ShanghaiMSP", heldBy, "record %s and its holder in the answer of the bank's own peer", recordID)

	// The read is evaluated on the holding org's peer and verifies the hash.
	var read readResult
	evaluate(t, bank, &read, "credit:ReadRecords", []string{traceID}, demo.EndorsingOrgs("ShanghaiMSP"))
	assert.Equal(t, "ShanghaiMSP", read.PeerMSP)
	found := false
	for _, r := range read.Records {
		if r.Record.RecordID != recordID {
			continue
		}
		found = true
		assert.True(t, r.Verified)
		assert.Contains(t, r.Contents, marker)
		sum := sha256.Sum256([]byte(r.Contents))
		assert.Equal(t, rec.ContentHash, hex.EncodeToString(sum[:]))
	}
	assert.True(t, found, "record %s not in the answer of the holding org's peer", recordID)

	// Someone else cannot use the bank's trace: to anyone but its querier it
	// reads as a missing one, the regulator included.
	_, err = regulator.Evaluate(callCtx(t), "credit:ReadRecords", []string{traceID}, demo.EndorsingOrgs("ShanghaiMSP"))
	assert.Equal(t, `query trace "`+traceID+`" does not exist`, refused(t, ledgererr.NotFound, err).Message)

	// The subject and the regulator see the trace, on whichever page (a
	// network that ran before holds more traces of this subject).
	for _, m := range []*demo.Member{subject, regulator} {
		var ids []string
		for bookmark, first := "", true; first || bookmark != ""; first = false {
			var traces struct {
				Items    []trace `json:"items"`
				Bookmark string  `json:"bookmark"`
			}
			evaluate(t, m, &traces, "credit:ListTraces", []string{subjectUSCC, "100", bookmark})
			for _, tr := range traces.Items {
				ids = append(ids, tr.TraceID)
			}
			bookmark = traces.Bookmark
		}
		assert.Contains(t, ids, traceID, "traces seen by %s", m.Org.Key)
	}

	// No block of the channel carries the contents (read by the agency's
	// org's admin: a member reads no block, TestMembersReadNoBlock).
	assertNotInAnyBlock(t, member(t, agency.Org.Key, "Admin"), []byte(marker))

	// An objection round: the subject objects, the agency dismisses it.
	objectionID := id("objection")
	submit(t, subject, nil, "credit:RaiseObjection", []string{objectionID, recordID, "the rating ignores the 2026 audit"})
	evaluate(t, regulator, &rec, "credit:GetRecord", []string{recordID})
	assert.Equal(t, "UNDER_OBJECTION", rec.Status)
	var answered struct {
		Status  string `json:"status"`
		Outcome string `json:"outcome"`
		Overdue bool   `json:"overdue"`
	}
	submit(t, agency, &answered, "credit:AnswerObjection", []string{objectionID, "DISMISS", "the audit was considered", ""})
	assert.Equal(t, "DISMISS", answered.Outcome)
	assert.False(t, answered.Overdue)
	evaluate(t, regulator, &rec, "credit:GetRecord", []string{recordID})
	assert.Equal(t, "ACTIVE", rec.Status)
}

// assertNotInAnyBlock reads every block of the channel as m (an org's admin:
// the channel lets no member read blocks) and checks that none contains
// needle.
func assertNotInAnyBlock(t *testing.T, m *demo.Member, needle []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	infoBytes, err := m.Network().GetContract("qscc").EvaluateTransaction("GetChainInfo", m.Network().Name())
	require.NoError(t, err)
	var info common.BlockchainInfo
	require.NoError(t, proto.Unmarshal(infoBytes, &info))
	require.Greater(t, info.GetHeight(), uint64(1))

	blocks, err := m.Network().BlockEvents(ctx, client.WithStartBlock(0))
	require.NoError(t, err)
	for block := range blocks {
		raw, err := proto.Marshal(block)
		require.NoError(t, err)
		require.False(t, bytes.Contains(raw, needle), "block %d contains %q", block.GetHeader().GetNumber(), needle)
		if block.GetHeader().GetNumber() >= info.GetHeight()-1 {
			return
		}
	}
	t.Fatal("block stream ended early")
}
