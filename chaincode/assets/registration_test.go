package assets_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestRegistrationProcedure(t *testing.T) {
	f := newFixture(t)

	// The holder applies.
	var a model.Asset
	f.Net.Submit(f.Holder, "assets:Apply", "traffic-2026", "Shanghai traffic flow 2026", "transport", "shanghai",
		"Hourly counts from 1,200 road sensors", registertest.HashOf("traffic")).Unmarshal(t, &a)
	assert.Equal(t, model.AssetPendingReview, a.Status)
	assert.Equal(t, "sh.holder", a.HolderID)
	assert.Equal(t, "sh.holder", a.ApplicantID)
	assert.Equal(t, registertest.ShanghaiMSP, a.HolderMSP)
	assert.Equal(t, "shanghai", a.ExchangeRegion)
	assert.Equal(t, []string{}, a.Sources)
	assert.Equal(t, model.EventAssetApplied, f.LastEvent(t).Name)
	assert.JSONEq(t, `{"assetId":"traffic-2026","status":"PENDING_REVIEW","holderId":"sh.holder"}`, string(f.LastEvent(t).Payload))

	// The Shanghai exchange approves: the notice runs 72 hours from review.
	reviewAt := f.Net.Now()
	f.Net.Submit(f.ShOp, "assets:Review", "traffic-2026", "APPROVE", "source and description compliant").Unmarshal(t, &a)
	assert.Equal(t, model.AssetPublicNotice, a.Status)
	assert.Equal(t, reviewAt.Add(72*time.Hour).Format(time.RFC3339), a.NoticeEndsAt)
	assert.Equal(t, "sh.op", a.ReviewerID)
	assert.Equal(t, registertest.ShanghaiMSP, a.ExchangeMSP)
	assert.Equal(t, model.EventAssetReviewed, f.LastEvent(t).Name)

	// Someone in Anhui objects during the notice.
	var o model.Objection
	f.Net.Submit(f.AhUser, "assets:Object", "obj-1", "traffic-2026", "the sensors belong to us").Unmarshal(t, &o)
	assert.Equal(t, model.ObjectionOpen, o.Status)
	assert.Equal(t, "ah.user", o.ObjectorID)
	assert.Equal(t, model.EventAssetObjected, f.LastEvent(t).Name)
	// The objection is under a majority of the orgs, as the application is.
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("objection", "traffic-2026", "obj-1")))

	// Certification waits for the notice to end ...
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "traffic-2026")
	f.Net.Advance(72 * time.Hour)
	// ... and for the open objection to be decided.
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "traffic-2026")
	// No more objections once the notice has ended.
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "assets:Object", "obj-2", "traffic-2026", "late")

	f.Net.Submit(f.ShOp, "assets:DecideObjection", "traffic-2026", "obj-1", "DISMISS", "contract shows the holder owns the sensors").Unmarshal(t, &o)
	assert.Equal(t, model.ObjectionDismissed, o.Status)
	assert.Equal(t, "sh.op", o.DecidedBy)
	assert.Equal(t, model.EventObjectionDecided, f.LastEvent(t).Name)
	assert.Equal(t, model.AssetPublicNotice, f.Asset(t, "traffic-2026").Status)

	// Now the holder certifies: certificate and HOLDING right.
	r := f.Net.Submit(f.Holder, "assets:Certify", "traffic-2026")
	r.Unmarshal(t, &a)
	assert.Equal(t, model.AssetRegistered, a.Status)
	assert.Equal(t, "CERT-"+r.TxID[:16], a.CertificateID)
	assert.NotEmpty(t, a.RegisteredAt)
	assert.Equal(t, "R-"+r.TxID[:20]+"-1", a.HoldingRightID)

	holding := f.Right(t, a.HoldingRightID)
	assert.Equal(t, model.RightHolding, holding.Type)
	assert.Equal(t, "sh.holder", holding.HolderID)
	assert.Equal(t, model.OriginRegistration, holding.Origin)
	assert.Equal(t, a.CertificateID, holding.OriginRef)
	assert.Equal(t, model.RightActive, holding.Status)
	assert.Equal(t, model.HoldingPurpose, holding.Scope.Purpose)
	assert.Equal(t, []string{"anhui", "jiangsu", "shanghai", "zhejiang"}, holding.Scope.Regions)
	assert.Equal(t, model.HoldingValidUntil, holding.Scope.ValidUntil)

	ev := f.LastEvent(t)
	assert.Equal(t, model.EventAssetCertified, ev.Name)
	var payload map[string]any
	require.NoError(t, json.Unmarshal(ev.Payload, &payload))
	assert.Equal(t, a.CertificateID, payload["certificateId"])
	assert.Equal(t, a.HoldingRightID, payload["rightId"])

	// The asset and its HOLDING right need a majority of the orgs.
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("asset", "traffic-2026")))
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("right", a.HoldingRightID)))

	// Certifying twice is a conflict.
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "traffic-2026")

	var objections model.ObjectionList
	f.Net.Evaluate(f.JsUser, "assets:Objections", "traffic-2026").Unmarshal(t, &objections)
	require.Len(t, objections.Items, 1)
	assert.Equal(t, model.ObjectionDismissed, objections.Items[0].Status)
	assert.Equal(t, "contract shows the holder owns the sensors", objections.Items[0].DecisionReason)
}

func TestOperatorOfTheRegionMayCertify(t *testing.T) {
	f := inNotice(t)
	f.Net.Advance(72 * time.Hour)
	f.Refused(t, ledgererr.Forbidden, "", f.Holder2, "assets:Certify", "a1")
	f.Refused(t, ledgererr.Forbidden, "", f.JsOp, "assets:Certify", "a1")
	f.Refused(t, ledgererr.Forbidden, "", f.Outsider, "assets:Certify", "a1")
	f.Refused(t, ledgererr.InvalidArgument, "id", f.ShOp, "assets:Certify", "")
	f.Refused(t, ledgererr.NotFound, "", f.ShOp, "assets:Certify", "nope")
	var a model.Asset
	f.Net.Submit(f.ShOpHold, "assets:Certify", "a1").Unmarshal(t, &a)
	assert.Equal(t, model.AssetRegistered, a.Status)
	// The holding still goes to the holder, not to the certifying operator.
	assert.Equal(t, "sh.holder", f.Right(t, a.HoldingRightID).HolderID)
}

func TestUpheldObjectionWithdraws(t *testing.T) {
	f := inNotice(t)
	f.Net.Submit(f.JsUser, "assets:Object", "o1", "a1", "this is our data").MustOK(t)
	f.Net.Submit(f.ZjUser, "assets:Object", "o2", "a1", "so is this").MustOK(t)

	var o model.Objection
	f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "o1", "UPHOLD", "the objector proved ownership").Unmarshal(t, &o)
	assert.Equal(t, model.ObjectionUpheld, o.Status)
	a := f.Asset(t, "a1")
	assert.Equal(t, model.AssetWithdrawn, a.Status)
	assert.Contains(t, a.StatusReason, "objection o1 upheld")
	assert.JSONEq(t, `{"assetId":"a1","status":"WITHDRAWN","holderId":"sh.holder","decision":"UPHOLD","objectionId":"o1"}`, string(f.LastEvent(t).Payload))

	// A withdrawn application is never certified; its other objection can
	// still be answered; its content hash is free again.
	f.Net.Advance(72 * time.Hour)
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "a1")
	f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "o2", "DISMISS", "moot").MustOK(t)
	assert.Equal(t, model.AssetWithdrawn, f.Asset(t, "a1").Status)
	f.Net.Submit(f.JsUser, "assets:Apply", "a1-js", "Traffic", "transport", "shanghai", "Same data, rightful holder", registertest.HashOf("a1")).MustOK(t)
}

func TestReviewReject(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.Holder, "a1")
	f.Refused(t, ledgererr.InvalidArgument, "reason", f.ShOp, "assets:Review", "a1", "REJECT", "")
	f.Refused(t, ledgererr.InvalidArgument, "reason", f.ShOp, "assets:Review", "a1", "REJECT", "  ")

	var a model.Asset
	f.Net.Submit(f.ShOp, "assets:Review", "a1", "REJECT", "source licence missing").Unmarshal(t, &a)
	assert.Equal(t, model.AssetRejected, a.Status)
	assert.Equal(t, "source licence missing", a.StatusReason)
	assert.Empty(t, a.NoticeEndsAt)
	assert.JSONEq(t, `{"assetId":"a1","status":"REJECTED","holderId":"sh.holder","decision":"REJECT"}`, string(f.LastEvent(t).Payload))

	// A decided application is not reviewed again, takes no objections and
	// is never certified; the holder may apply again with the same content.
	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Review", "a1", "APPROVE", "")
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "assets:Object", "o1", "a1", "why")
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "a1")
	f.Apply(t, f.Holder, "a1-v2") // registertest.HashOf("a1-v2") differs; apply the same hash too:
	f.Net.Submit(f.Holder, "assets:Apply", "a1-v3", "Again", "transport", "shanghai", "With the licence", registertest.HashOf("a1")).MustOK(t)
}

func TestApplyRefusals(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.Holder, "taken")
	good := []string{"a1", "Name", "finance", "shanghai", "Description", registertest.HashOf("fresh")}
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
		{"hash uppercase", "holder", with(5, strings.ToUpper(registertest.HashOf("x"))), ledgererr.InvalidArgument, "contentHash"},
		{"hash short", "holder", with(5, "abc"), ledgererr.InvalidArgument, "contentHash"},
		{"duplicate id", "holder", with(0, "taken"), ledgererr.Conflict, ""},
		{"duplicate content", "holder2", with(5, registertest.HashOf("taken")), ledgererr.Conflict, ""},
	}
	callers := map[string]chaincodetest.Identity{"buyer": f.ShBuyer, "operator": f.ShOp, "outsider": f.Outsider, "holder": f.Holder, "holder2": f.Holder2}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.Refused(t, tc.code, tc.field, callers[tc.who], "assets:Apply", tc.args...)
		})
	}
}

func TestReviewRefusals(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.Holder, "a1")
	f.Apply(t, f.ShOpHold, "own")
	f.Refused(t, ledgererr.Forbidden, "", f.JsOp, "assets:Review", "a1", "APPROVE", "")      // another region's exchange
	f.Refused(t, ledgererr.Forbidden, "", f.Holder2, "assets:Review", "a1", "APPROVE", "")   // not an operator
	f.Refused(t, ledgererr.Forbidden, "", f.Outsider, "assets:Review", "a1", "APPROVE", "")  // not registered
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpHold, "assets:Review", "own", "APPROVE", "") // own application
	f.Refused(t, ledgererr.InvalidArgument, "decision", f.ShOp, "assets:Review", "a1", "approve", "")
	f.Refused(t, ledgererr.InvalidArgument, "id", f.ShOp, "assets:Review", "", "APPROVE", "")
	f.Refused(t, ledgererr.InvalidArgument, "reason", f.ShOp, "assets:Review", "a1", "APPROVE", strings.Repeat("r", 1001))
	f.Refused(t, ledgererr.NotFound, "", f.ShOp, "assets:Review", "nope", "APPROVE", "")
	// Another operator of the region reviews the operator's own application.
	f.Net.Submit(f.ShOp, "assets:Review", "own", "APPROVE", "").MustOK(t)
}

func TestObjectionRefusals(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.Holder, "a1")
	// Not yet in public notice.
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "assets:Object", "o1", "a1", "mine")
	f.Net.Submit(f.ShOp, "assets:Review", "a1", "APPROVE", "").MustOK(t)
	f.Net.Submit(f.JsUser, "assets:Object", "o1", "a1", "mine").MustOK(t)
	f.Net.Submit(f.ShOpHold, "assets:Object", "o-op", "a1", "an operator objects too").MustOK(t)

	f.Refused(t, ledgererr.Conflict, "", f.ZjUser, "assets:Object", "o1", "a1", "same id")
	f.Refused(t, ledgererr.Forbidden, "", f.Outsider, "assets:Object", "o2", "a1", "anonymous")
	f.Refused(t, ledgererr.InvalidArgument, "reason", f.ZjUser, "assets:Object", "o2", "a1", "")
	f.Refused(t, ledgererr.InvalidArgument, "objectionId", f.ZjUser, "assets:Object", "o 2", "a1", "why")
	f.Refused(t, ledgererr.InvalidArgument, "assetId", f.ZjUser, "assets:Object", "o2", "", "why")
	f.Refused(t, ledgererr.NotFound, "", f.ZjUser, "assets:Object", "o2", "nope", "why")

	f.Refused(t, ledgererr.Forbidden, "", f.JsOp, "assets:DecideObjection", "a1", "o1", "DISMISS", "no")
	f.Refused(t, ledgererr.Forbidden, "", f.Holder, "assets:DecideObjection", "a1", "o1", "DISMISS", "no")
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpHold, "assets:DecideObjection", "a1", "o-op", "UPHOLD", "my own")
	f.Refused(t, ledgererr.InvalidArgument, "decision", f.ShOp, "assets:DecideObjection", "a1", "o1", "REJECT", "no")
	f.Refused(t, ledgererr.InvalidArgument, "reason", f.ShOp, "assets:DecideObjection", "a1", "o1", "DISMISS", "")
	f.Refused(t, ledgererr.NotFound, "", f.ShOp, "assets:DecideObjection", "a1", "o9", "DISMISS", "no")
	f.Refused(t, ledgererr.NotFound, "", f.ShOp, "assets:DecideObjection", "nope", "o1", "DISMISS", "no")

	f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "o1", "DISMISS", "unfounded").MustOK(t)
	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:DecideObjection", "a1", "o1", "UPHOLD", "changed my mind")
	f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "o-op", "DISMISS", "unfounded").MustOK(t)

	var list model.ObjectionList
	f.Net.Evaluate(f.Holder, "assets:Objections", "a1").Unmarshal(t, &list)
	require.Len(t, list.Items, 2)
	assert.Equal(t, "o-op", list.Items[0].ID)
	assert.Equal(t, "o1", list.Items[1].ID)
	registertest.RequireCode(t, f.Net.Evaluate(f.Holder, "assets:Objections", "nope"), ledgererr.NotFound, "")
}

func TestApplicationEndorsement(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.Holder, "a1")
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("asset", "a1")))

	// A review endorsed by the applicant's org and one other is invalid:
	// until registration the asset's key needs a majority of the orgs.
	// Nothing is written.
	before := f.Snapshot()
	r := f.Net.Invoke(f.ShOp, chaincodetest.Call{Function: "assets:Review", Args: []string{"a1", "APPROVE", ""},
		PeerMSP: registertest.ShanghaiMSP, Endorsers: []string{registertest.ShanghaiMSP, registertest.JiangsuMSP}})
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	assert.Equal(t, before.State, f.Snapshot().State)

	// Endorsed by three orgs, none of them the applicant's, it is valid.
	r = f.Net.Invoke(f.ShOp, chaincodetest.Call{Function: "assets:Review", Args: []string{"a1", "APPROVE", ""},
		PeerMSP: registertest.JiangsuMSP, Endorsers: []string{registertest.JiangsuMSP, registertest.ZhejiangMSP, registertest.AnhuiMSP}})
	require.NoError(t, r.Err)
	assert.Equal(t, "VALID", r.ValidationCode)

	// Registered, the asset stays under a majority of the orgs (17.0.0).
	f.Net.Advance(model.DefaultNoticePeriodSeconds * time.Second)
	f.Net.Submit(f.Holder, "assets:Certify", "a1").MustOK(t)
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("asset", "a1")))
}

// Nobody decides their own case: an applicant who is also an operator of its
// region, or an operator acting for the applicant's enterprise, neither
// reviews the application nor decides an objection against it; an operator
// acting for the objector's enterprise does not decide its objection either.
// An impartial operator of the region does all three.
func TestNobodyDecidesTheirOwnApplication(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.ShOpHold, "own")
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpHold, "assets:Review", "own", "APPROVE", "")
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpTwin, "assets:Review", "own", "APPROVE", "")
	f.Net.Submit(f.ShOp, "assets:Review", "own", "APPROVE", "").MustOK(t)

	f.Net.Submit(f.JsUser, "assets:Object", "o1", "own", "this is our data").MustOK(t)
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpHold, "assets:DecideObjection", "own", "o1", "DISMISS", "unfounded")
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpTwin, "assets:DecideObjection", "own", "o1", "DISMISS", "unfounded")
	f.Net.Submit(f.ShOp, "assets:DecideObjection", "own", "o1", "DISMISS", "the applicant's licence covers it").MustOK(t)

	f.Apply(t, f.Holder, "theirs")
	f.Net.Submit(f.ShOp, "assets:Review", "theirs", "APPROVE", "").MustOK(t)
	f.Net.Submit(f.ShOpHold, "assets:Object", "o2", "theirs", "this is our data").MustOK(t)
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpTwin, "assets:DecideObjection", "theirs", "o2", "UPHOLD", "we are right")
	f.Net.Submit(f.ShOp, "assets:DecideObjection", "theirs", "o2", "UPHOLD", "the objector proved ownership").MustOK(t)
}

// An asset counts where its applicant was when it applied: the applicant's
// division is copied onto the application, and a later move of the
// applicant leaves the asset where it was.
func TestAssetCarriesItsApplicantsDivision(t *testing.T) {
	f := newFixture(t)
	f.Net.Submit(f.ShAdmin, "participants:SetDivision", "sh.holder", "310115").MustOK(t) // Pudong New Area
	a := f.RegisterAsset(t, f.Holder, "placed-asset")
	assert.Equal(t, "310115", a.Division)

	f.Net.Submit(f.ShAdmin, "participants:SetDivision", "sh.holder", "310104").MustOK(t) // moves to Xuhui
	assert.Equal(t, "310115", f.Asset(t, "placed-asset").Division, "the asset stays where it was registered")
	assert.Equal(t, "310104", f.RegisterAsset(t, f.Holder, "later-asset").Division)
	assert.Empty(t, f.RegisterAsset(t, f.Holder2, "unplaced-asset").Division, "an applicant without a division")
}

// One participant has at most one objection open against an application at
// a time: objections are read whole by Certify and each waits for an
// operator's decision, so one participant filing thousands during the notice
// would hold the registration up for as long as the exchange takes to decide
// them all. Once its objection is decided, it may file another; other
// participants object as before.
func TestOneOpenObjectionPerObjector(t *testing.T) {
	f := inNotice(t)
	f.Net.Submit(f.JsUser, "assets:Object", "o1", "a1", "this is our data").MustOK(t)

	r := f.Net.Submit(f.JsUser, "assets:Object", "o2", "a1", "and we say it again")
	registertest.RequireCode(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, `objection "o1"`)
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "assets:Object", "o2", "a1", "and again")

	f.Net.Submit(f.ZjUser, "assets:Object", "o3", "a1", "ours too").MustOK(t)
	f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "o1", "DISMISS", "unfounded").MustOK(t)
	f.Net.Submit(f.JsUser, "assets:Object", "o2", "a1", "new evidence").MustOK(t)

	var list model.ObjectionList
	f.Net.Evaluate(f.Holder, "assets:Objections", "a1").Unmarshal(t, &list)
	require.Len(t, list.Items, 3)
}

// An objection no operator of the exchange could decide is never filed: it
// would hold the registration up for good, since Certify waits for every
// objection and each operator is a party of it or acts for a party's
// enterprise. Here every Shanghai operator but sh.op acts for the
// applicant's enterprise, so sh.op, who would be the only judge, may not
// object; an objector whom an operator can judge still may.
func TestNoObjectionThatNoOperatorCouldDecide(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.ShOpHold, "own")
	f.Net.Submit(f.ShOp, "assets:Review", "own", "APPROVE", "").MustOK(t)

	r := f.Net.Submit(f.ShOp, "assets:Object", "o1", "own", "the exchange's own doubt")
	registertest.RequireCode(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, "no operator of the shanghai exchange")
	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Object", "o1", "own", "the exchange's own doubt")

	// A suspended operator decides nothing, so it is no judge either.
	f.Net.Submit(f.ShAdmin, "participants:Suspend", "sh.op", "on leave").MustOK(t)
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "assets:Object", "o2", "own", "this is our data")
	f.ShOp = f.Reinstate(t, "sh.op")

	// An objection sh.op can judge is filed, decided, and then nothing
	// stands in the way of the certificate.
	f.Net.Submit(f.JsUser, "assets:Object", "o2", "own", "this is our data").MustOK(t)
	f.Net.Submit(f.ShOp, "assets:DecideObjection", "own", "o2", "DISMISS", "the licence covers it").MustOK(t)
	f.Net.Advance(72 * time.Hour)
	f.Net.Submit(f.ShOpHold, "assets:Certify", "own").MustOK(t)
}
