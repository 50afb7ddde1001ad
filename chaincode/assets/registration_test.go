package assets_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestRegistrationProcedure(t *testing.T) {
	f := newFixture(t)

	// The holder applies.
	var a model.Asset
	f.net.Submit(f.holder, "assets:Apply", "traffic-2026", "Shanghai traffic flow 2026", "transport", "shanghai",
		"Hourly counts from 1,200 road sensors", hashOf("traffic")).Unmarshal(t, &a)
	assert.Equal(t, model.AssetPendingReview, a.Status)
	assert.Equal(t, "sh.holder", a.HolderID)
	assert.Equal(t, "sh.holder", a.ApplicantID)
	assert.Equal(t, shanghaiMSP, a.HolderMSP)
	assert.Equal(t, "shanghai", a.ExchangeRegion)
	assert.Equal(t, []string{}, a.Sources)
	assert.Equal(t, model.EventAssetApplied, f.lastEvent(t).Name)
	assert.JSONEq(t, `{"assetId":"traffic-2026","status":"PENDING_REVIEW","holderId":"sh.holder"}`, string(f.lastEvent(t).Payload))

	// The Shanghai exchange approves: the notice runs 72 hours from review.
	reviewAt := f.net.Now()
	f.net.Submit(f.shOp, "assets:Review", "traffic-2026", "APPROVE", "source and description compliant").Unmarshal(t, &a)
	assert.Equal(t, model.AssetPublicNotice, a.Status)
	assert.Equal(t, reviewAt.Add(72*time.Hour).Format(time.RFC3339), a.NoticeEndsAt)
	assert.Equal(t, "sh.op", a.ReviewerID)
	assert.Equal(t, shanghaiMSP, a.ExchangeMSP)
	assert.Equal(t, model.EventAssetReviewed, f.lastEvent(t).Name)

	// Someone in Anhui objects during the notice.
	var o model.Objection
	f.net.Submit(f.ahUser, "assets:Object", "obj-1", "traffic-2026", "the sensors belong to us").Unmarshal(t, &o)
	assert.Equal(t, model.ObjectionOpen, o.Status)
	assert.Equal(t, "ah.user", o.ObjectorID)
	assert.Equal(t, model.EventAssetObjected, f.lastEvent(t).Name)
	// The objection belongs to the reviewing exchange's org.
	assert.Equal(t, "any of "+shanghaiMSP, f.keyPolicy(t, key("objection", "traffic-2026", "obj-1")))

	// Certification waits for the notice to end ...
	f.refused(t, ledgererr.Conflict, "", f.holder, "assets:Certify", "traffic-2026")
	f.net.Advance(72 * time.Hour)
	// ... and for the open objection to be decided.
	f.refused(t, ledgererr.Conflict, "", f.holder, "assets:Certify", "traffic-2026")
	// No more objections once the notice has ended.
	f.refused(t, ledgererr.Conflict, "", f.jsUser, "assets:Object", "obj-2", "traffic-2026", "late")

	f.net.Submit(f.shOp, "assets:DecideObjection", "traffic-2026", "obj-1", "DISMISS", "contract shows the holder owns the sensors").Unmarshal(t, &o)
	assert.Equal(t, model.ObjectionDismissed, o.Status)
	assert.Equal(t, "sh.op", o.DecidedBy)
	assert.Equal(t, model.EventObjectionDecided, f.lastEvent(t).Name)
	assert.Equal(t, model.AssetPublicNotice, f.asset(t, "traffic-2026").Status)

	// Now the holder certifies: certificate and HOLDING right.
	r := f.net.Submit(f.holder, "assets:Certify", "traffic-2026")
	r.Unmarshal(t, &a)
	assert.Equal(t, model.AssetRegistered, a.Status)
	assert.Equal(t, "CERT-"+r.TxID[:16], a.CertificateID)
	assert.NotEmpty(t, a.RegisteredAt)
	assert.Equal(t, "R-"+r.TxID[:20]+"-1", a.HoldingRightID)

	holding := f.right(t, a.HoldingRightID)
	assert.Equal(t, model.RightHolding, holding.Type)
	assert.Equal(t, "sh.holder", holding.HolderID)
	assert.Equal(t, model.OriginRegistration, holding.Origin)
	assert.Equal(t, a.CertificateID, holding.OriginRef)
	assert.Equal(t, model.RightActive, holding.Status)
	assert.Equal(t, model.HoldingPurpose, holding.Scope.Purpose)
	assert.Equal(t, []string{"anhui", "jiangsu", "shanghai", "zhejiang"}, holding.Scope.Regions)
	assert.Equal(t, model.HoldingValidUntil, holding.Scope.ValidUntil)

	ev := f.lastEvent(t)
	assert.Equal(t, model.EventAssetCertified, ev.Name)
	var payload map[string]any
	require.NoError(t, json.Unmarshal(ev.Payload, &payload))
	assert.Equal(t, a.CertificateID, payload["certificateId"])
	assert.Equal(t, a.HoldingRightID, payload["rightId"])

	// Keys the holder owns need the holder's org.
	assert.Equal(t, "any of "+shanghaiMSP, f.keyPolicy(t, key("asset", "traffic-2026")))
	assert.Equal(t, "any of "+shanghaiMSP, f.keyPolicy(t, key("right", a.HoldingRightID)))

	// Certifying twice is a conflict.
	f.refused(t, ledgererr.Conflict, "", f.holder, "assets:Certify", "traffic-2026")

	var objections model.ObjectionList
	f.net.Evaluate(f.jsUser, "assets:Objections", "traffic-2026").Unmarshal(t, &objections)
	require.Len(t, objections.Items, 1)
	assert.Equal(t, model.ObjectionDismissed, objections.Items[0].Status)
	assert.Equal(t, "contract shows the holder owns the sensors", objections.Items[0].DecisionReason)
}

func TestOperatorOfTheRegionMayCertify(t *testing.T) {
	f := newFixture(t)
	f.apply(t, f.holder, "a1")
	f.net.Submit(f.shOp, "assets:Review", "a1", "APPROVE", "").MustOK(t)
	f.net.Advance(72 * time.Hour)
	f.refused(t, ledgererr.Forbidden, "", f.holder2, "assets:Certify", "a1")
	f.refused(t, ledgererr.Forbidden, "", f.jsOp, "assets:Certify", "a1")
	f.refused(t, ledgererr.Forbidden, "", f.outsider, "assets:Certify", "a1")
	f.refused(t, ledgererr.InvalidArgument, "id", f.shOp, "assets:Certify", "")
	f.refused(t, ledgererr.NotFound, "", f.shOp, "assets:Certify", "nope")
	var a model.Asset
	f.net.Submit(f.shOpHold, "assets:Certify", "a1").Unmarshal(t, &a)
	assert.Equal(t, model.AssetRegistered, a.Status)
	// The holding still goes to the holder, not to the certifying operator.
	assert.Equal(t, "sh.holder", f.right(t, a.HoldingRightID).HolderID)
}

func TestUpheldObjectionWithdraws(t *testing.T) {
	f := newFixture(t)
	f.apply(t, f.holder, "a1")
	f.net.Submit(f.shOp, "assets:Review", "a1", "APPROVE", "").MustOK(t)
	f.net.Submit(f.jsUser, "assets:Object", "o1", "a1", "this is our data").MustOK(t)
	f.net.Submit(f.zjUser, "assets:Object", "o2", "a1", "so is this").MustOK(t)

	var o model.Objection
	f.net.Submit(f.shOp, "assets:DecideObjection", "a1", "o1", "UPHOLD", "the objector proved ownership").Unmarshal(t, &o)
	assert.Equal(t, model.ObjectionUpheld, o.Status)
	a := f.asset(t, "a1")
	assert.Equal(t, model.AssetWithdrawn, a.Status)
	assert.Contains(t, a.StatusReason, "objection o1 upheld")
	assert.JSONEq(t, `{"assetId":"a1","status":"WITHDRAWN","holderId":"sh.holder","decision":"UPHOLD","objectionId":"o1"}`, string(f.lastEvent(t).Payload))

	// A withdrawn application is never certified; its other objection can
	// still be answered; its content hash is free again.
	f.net.Advance(72 * time.Hour)
	f.refused(t, ledgererr.Conflict, "", f.holder, "assets:Certify", "a1")
	f.net.Submit(f.shOp, "assets:DecideObjection", "a1", "o2", "DISMISS", "moot").MustOK(t)
	assert.Equal(t, model.AssetWithdrawn, f.asset(t, "a1").Status)
	f.net.Submit(f.jsUser, "assets:Apply", "a1-js", "Traffic", "transport", "shanghai", "Same data, rightful holder", hashOf("a1")).MustOK(t)
}

func TestReviewReject(t *testing.T) {
	f := newFixture(t)
	f.apply(t, f.holder, "a1")
	f.refused(t, ledgererr.InvalidArgument, "reason", f.shOp, "assets:Review", "a1", "REJECT", "")
	f.refused(t, ledgererr.InvalidArgument, "reason", f.shOp, "assets:Review", "a1", "REJECT", "  ")

	var a model.Asset
	f.net.Submit(f.shOp, "assets:Review", "a1", "REJECT", "source licence missing").Unmarshal(t, &a)
	assert.Equal(t, model.AssetRejected, a.Status)
	assert.Equal(t, "source licence missing", a.StatusReason)
	assert.Empty(t, a.NoticeEndsAt)
	assert.JSONEq(t, `{"assetId":"a1","status":"REJECTED","holderId":"sh.holder","decision":"REJECT"}`, string(f.lastEvent(t).Payload))

	// A decided application is not reviewed again, takes no objections and
	// is never certified; the holder may apply again with the same content.
	f.refused(t, ledgererr.Conflict, "", f.shOp, "assets:Review", "a1", "APPROVE", "")
	f.refused(t, ledgererr.Conflict, "", f.jsUser, "assets:Object", "o1", "a1", "why")
	f.refused(t, ledgererr.Conflict, "", f.holder, "assets:Certify", "a1")
	f.apply(t, f.holder, "a1-v2") // hashOf("a1-v2") differs; apply the same hash too:
	f.net.Submit(f.holder, "assets:Apply", "a1-v3", "Again", "transport", "shanghai", "With the licence", hashOf("a1")).MustOK(t)
}

func TestApplyRefusals(t *testing.T) {
	f := newFixture(t)
	f.apply(t, f.holder, "taken")
	good := []string{"a1", "Name", "finance", "shanghai", "Description", hashOf("fresh")}
	with := func(i int, v string) []string {
		args := append([]string(nil), good...)
		args[i] = v
		return args
	}
	cases := []struct {
		name  string
		who   string
		args  []string
		code  ledgererr.Code
		field string
	}{
		{"not a holder", "buyer", good, ledgererr.Forbidden, ""},
		{"operator only", "operator", good, ledgererr.Forbidden, ""},
		{"unregistered identity", "outsider", good, ledgererr.Forbidden, ""},
		{"bad id", "holder", with(0, "a 1"), ledgererr.InvalidArgument, "id"},
		{"empty name", "holder", with(1, ""), ledgererr.InvalidArgument, "name"},
		{"long name", "holder", with(1, strings.Repeat("n", 201)), ledgererr.InvalidArgument, "name"},
		{"category uppercase", "holder", with(2, "Finance"), ledgererr.InvalidArgument, "category"},
		{"category with space", "holder", with(2, "smart city"), ledgererr.InvalidArgument, "category"},
		{"category too long", "holder", with(2, strings.Repeat("c", 41)), ledgererr.InvalidArgument, "category"},
		{"unknown region", "holder", with(3, "beijing"), ledgererr.InvalidArgument, "sourceRegion"},
		{"empty description", "holder", with(4, ""), ledgererr.InvalidArgument, "description"},
		{"control character", "holder", with(4, "line\nbreak"), ledgererr.InvalidArgument, "description"},
		{"hash uppercase", "holder", with(5, strings.ToUpper(hashOf("x"))), ledgererr.InvalidArgument, "contentHash"},
		{"hash short", "holder", with(5, "abc"), ledgererr.InvalidArgument, "contentHash"},
		{"duplicate id", "holder", with(0, "taken"), ledgererr.Conflict, ""},
		{"duplicate content", "holder2", with(5, hashOf("taken")), ledgererr.Conflict, ""},
	}
	callers := map[string]chaincodetest.Identity{"buyer": f.shBuyer, "operator": f.shOp, "outsider": f.outsider, "holder": f.holder, "holder2": f.holder2}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.refused(t, tc.code, tc.field, callers[tc.who], "assets:Apply", tc.args...)
		})
	}
}

func TestReviewRefusals(t *testing.T) {
	f := newFixture(t)
	f.apply(t, f.holder, "a1")
	f.apply(t, f.shOpHold, "own")
	f.refused(t, ledgererr.Forbidden, "", f.jsOp, "assets:Review", "a1", "APPROVE", "")      // another region's exchange
	f.refused(t, ledgererr.Forbidden, "", f.holder2, "assets:Review", "a1", "APPROVE", "")   // not an operator
	f.refused(t, ledgererr.Forbidden, "", f.outsider, "assets:Review", "a1", "APPROVE", "")  // not registered
	f.refused(t, ledgererr.Forbidden, "", f.shOpHold, "assets:Review", "own", "APPROVE", "") // own application
	f.refused(t, ledgererr.InvalidArgument, "decision", f.shOp, "assets:Review", "a1", "approve", "")
	f.refused(t, ledgererr.InvalidArgument, "id", f.shOp, "assets:Review", "", "APPROVE", "")
	f.refused(t, ledgererr.InvalidArgument, "reason", f.shOp, "assets:Review", "a1", "APPROVE", strings.Repeat("r", 1001))
	f.refused(t, ledgererr.NotFound, "", f.shOp, "assets:Review", "nope", "APPROVE", "")
	// Another operator of the region reviews the operator's own application.
	f.net.Submit(f.shOp, "assets:Review", "own", "APPROVE", "").MustOK(t)
}

func TestObjectionRefusals(t *testing.T) {
	f := newFixture(t)
	f.apply(t, f.holder, "a1")
	// Not yet in public notice.
	f.refused(t, ledgererr.Conflict, "", f.jsUser, "assets:Object", "o1", "a1", "mine")
	f.net.Submit(f.shOp, "assets:Review", "a1", "APPROVE", "").MustOK(t)
	f.net.Submit(f.jsUser, "assets:Object", "o1", "a1", "mine").MustOK(t)
	f.net.Submit(f.shOpHold, "assets:Object", "o-op", "a1", "an operator objects too").MustOK(t)

	f.refused(t, ledgererr.Conflict, "", f.zjUser, "assets:Object", "o1", "a1", "same id")
	f.refused(t, ledgererr.Forbidden, "", f.outsider, "assets:Object", "o2", "a1", "anonymous")
	f.refused(t, ledgererr.InvalidArgument, "reason", f.zjUser, "assets:Object", "o2", "a1", "")
	f.refused(t, ledgererr.InvalidArgument, "objectionId", f.zjUser, "assets:Object", "o 2", "a1", "why")
	f.refused(t, ledgererr.InvalidArgument, "assetId", f.zjUser, "assets:Object", "o2", "", "why")
	f.refused(t, ledgererr.NotFound, "", f.zjUser, "assets:Object", "o2", "nope", "why")

	f.refused(t, ledgererr.Forbidden, "", f.jsOp, "assets:DecideObjection", "a1", "o1", "DISMISS", "no")
	f.refused(t, ledgererr.Forbidden, "", f.holder, "assets:DecideObjection", "a1", "o1", "DISMISS", "no")
	f.refused(t, ledgererr.Forbidden, "", f.shOpHold, "assets:DecideObjection", "a1", "o-op", "UPHOLD", "my own")
	f.refused(t, ledgererr.InvalidArgument, "decision", f.shOp, "assets:DecideObjection", "a1", "o1", "REJECT", "no")
	f.refused(t, ledgererr.InvalidArgument, "reason", f.shOp, "assets:DecideObjection", "a1", "o1", "DISMISS", "")
	f.refused(t, ledgererr.NotFound, "", f.shOp, "assets:DecideObjection", "a1", "o9", "DISMISS", "no")
	f.refused(t, ledgererr.NotFound, "", f.shOp, "assets:DecideObjection", "nope", "o1", "DISMISS", "no")

	f.net.Submit(f.shOp, "assets:DecideObjection", "a1", "o1", "DISMISS", "unfounded").MustOK(t)
	f.refused(t, ledgererr.Conflict, "", f.shOp, "assets:DecideObjection", "a1", "o1", "UPHOLD", "changed my mind")
	f.net.Submit(f.shOp, "assets:DecideObjection", "a1", "o-op", "DISMISS", "unfounded").MustOK(t)

	var list model.ObjectionList
	f.net.Evaluate(f.holder, "assets:Objections", "a1").Unmarshal(t, &list)
	require.Len(t, list.Items, 2)
	assert.Equal(t, "o-op", list.Items[0].ID)
	assert.Equal(t, "o1", list.Items[1].ID)
	requireCode(t, f.net.Evaluate(f.holder, "assets:Objections", "nope"), ledgererr.NotFound, "")
}

func TestApplicationEndorsement(t *testing.T) {
	f := newFixture(t)
	f.apply(t, f.holder, "a1")
	assert.Equal(t, "any of "+shanghaiMSP, f.keyPolicy(t, key("asset", "a1")))

	// A review endorsed only by a foreign org's peer is invalid: the asset's
	// key needs a Shanghai peer. Nothing is written.
	before := f.snapshot()
	r := f.net.Invoke(f.shOp, callAt(jiangsuMSP, "assets:Review", "a1", "APPROVE", ""))
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	assert.Equal(t, before.state, f.snapshot().state)

	// Endorsed by Shanghai it is valid.
	r = f.net.Invoke(f.shOp, callAt(shanghaiMSP, "assets:Review", "a1", "APPROVE", ""))
	require.NoError(t, r.Err)
	assert.Equal(t, "VALID", r.ValidationCode)
}

// Nobody decides their own case: an applicant who is also an operator of its
// region, or an operator acting for the applicant's enterprise, neither
// reviews the application nor decides an objection against it; an operator
// acting for the objector's enterprise does not decide its objection either.
// An impartial operator of the region does all three.
func TestNobodyDecidesTheirOwnApplication(t *testing.T) {
	f := newFixture(t)
	f.apply(t, f.shOpHold, "own")
	f.refused(t, ledgererr.Forbidden, "", f.shOpHold, "assets:Review", "own", "APPROVE", "")
	f.refused(t, ledgererr.Forbidden, "", f.shOpTwin, "assets:Review", "own", "APPROVE", "")
	f.net.Submit(f.shOp, "assets:Review", "own", "APPROVE", "").MustOK(t)

	f.net.Submit(f.jsUser, "assets:Object", "o1", "own", "this is our data").MustOK(t)
	f.refused(t, ledgererr.Forbidden, "", f.shOpHold, "assets:DecideObjection", "own", "o1", "DISMISS", "unfounded")
	f.refused(t, ledgererr.Forbidden, "", f.shOpTwin, "assets:DecideObjection", "own", "o1", "DISMISS", "unfounded")
	f.net.Submit(f.shOp, "assets:DecideObjection", "own", "o1", "DISMISS", "the applicant's licence covers it").MustOK(t)

	f.apply(t, f.holder, "theirs")
	f.net.Submit(f.shOp, "assets:Review", "theirs", "APPROVE", "").MustOK(t)
	f.net.Submit(f.shOpHold, "assets:Object", "o2", "theirs", "this is our data").MustOK(t)
	f.refused(t, ledgererr.Forbidden, "", f.shOpTwin, "assets:DecideObjection", "theirs", "o2", "UPHOLD", "we are right")
	f.net.Submit(f.shOp, "assets:DecideObjection", "theirs", "o2", "UPHOLD", "the objector proved ownership").MustOK(t)
}

// An asset counts where its applicant was when it applied: the applicant's
// division is copied onto the application, and a later move of the
// applicant leaves the asset where it was.
func TestAssetCarriesItsApplicantsDivision(t *testing.T) {
	f := newFixture(t)
	f.net.Submit(f.shAdmin, "participants:SetDivision", "sh.holder", "310115").MustOK(t) // Pudong New Area
	a := f.registerAsset(t, f.holder, "placed-asset")
	assert.Equal(t, "310115", a.Division)

	f.net.Submit(f.shAdmin, "participants:SetDivision", "sh.holder", "310104").MustOK(t) // moves to Xuhui
	assert.Equal(t, "310115", f.asset(t, "placed-asset").Division, "the asset stays where it was registered")
	assert.Equal(t, "310104", f.registerAsset(t, f.holder, "later-asset").Division)
	assert.Empty(t, f.registerAsset(t, f.holder2, "unplaced-asset").Division, "an applicant without a division")
}
