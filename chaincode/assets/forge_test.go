package assets_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// requireRefusedAlone checks that a forged write by one org's peers failed
// validation and changed nothing.
func requireRefusedAlone(t *testing.T, f *fixture, before registertest.Snapshot, r chaincodetest.Result) {
	t.Helper()
	require.Error(t, r.Err, "one org alone rewrote the record")
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	assert.Equal(t, before.State, f.Snapshot().State)
}

// noticeEnded is asset a as the applicant's org would forge it: in public
// notice, the notice already over.
func noticeEnded(a *model.Asset) *model.Asset {
	forged := *a
	forged.Status, forged.StatusReason, forged.NoticeEndsAt = model.AssetPublicNotice, "", a.UpdatedAt
	return &forged
}

// requireNoEndedNoticeAlone checks that the applicant's org alone cannot
// write application id as in public notice with the notice over.
func requireNoEndedNoticeAlone(t *testing.T, f *fixture, id string) {
	t.Helper()
	requireRefusedAlone(t, f, f.Snapshot(), f.Net.Forge(f.Holder,
		chaincodetest.Writes{chaincodetest.Key("asset", id): chaincodetest.JSON(t, noticeEnded(f.Asset(t, id)))}))
}

// The applicant's org alone cannot turn the exchange's rejection into an
// approval whose notice has ended, to have it certified.
func TestTheApplicantsOrgAloneCannotReviveItsRejectedApplication(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.Holder, "a1")
	f.Net.Submit(f.ShOp, "assets:Review", "a1", "REJECT", "the sensors are not the applicant's").MustOK(t)

	requireNoEndedNoticeAlone(t, f, "a1")
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "a1")
	assert.Equal(t, model.AssetRejected, f.Asset(t, "a1").Status)
}

// Nor can it dismiss or delete an objection against its application:
// certification still waits for the exchange's decision on it.
func TestTheApplicantsOrgAloneCannotClearAnObjection(t *testing.T) {
	f := inNotice(t)
	f.Net.Submit(f.AhUser, "assets:Object", "o1", "a1", "the sensors are ours").MustOK(t)

	objectionKey := chaincodetest.Key("objection", "a1", "o1")
	var dismissed model.Objection
	require.NoError(t, json.Unmarshal(f.Net.Ledger().State(objectionKey), &dismissed))
	dismissed.Status, dismissed.DecisionReason, dismissed.DecidedBy, dismissed.DecidedAt = model.ObjectionDismissed, "forged", "sh.op", dismissed.FiledAt
	before := f.Snapshot()
	requireRefusedAlone(t, f, before, f.Net.Forge(f.Holder, chaincodetest.Writes{objectionKey: chaincodetest.JSON(t, &dismissed)}))
	requireRefusedAlone(t, f, before, f.Net.Forge(f.Holder, chaincodetest.Writes{objectionKey: nil}))

	f.Net.Advance(72 * time.Hour)
	r := f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "a1")
	assert.Contains(t, r.Message, `objection "o1"`)
}

// Nor can it move the end of its public notice earlier, to be certified
// before anyone objects.
func TestTheApplicantsOrgAloneCannotCutItsNoticeShort(t *testing.T) {
	f := inNotice(t)

	requireNoEndedNoticeAlone(t, f, "a1")
	f.Net.Advance(time.Hour)
	r := f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "a1")
	assert.Contains(t, r.Message, "lasts until")
}

// An asset registered before 17.0.0 is its holder's org's: that org alone
// can write it back into an ended public notice, or a pending review, but
// neither Certify nor the exchange's Review takes it for an application
// again, so no second HOLDING right is issued over it (one to sell, one to
// keep).
func TestTheHoldersOrgAloneCannotHaveItsAssetCertifiedTwice(t *testing.T) {
	f := newFixture(t)
	registered := f.RegisterAsset(t, f.Holder, "a1")
	recordedUnderItsHoldersOrg(t, f, "a1")

	f.Net.Forge(f.Holder,
		chaincodetest.Writes{chaincodetest.Key("asset", "a1"): chaincodetest.JSON(t, noticeEnded(registered))}).MustOK(t)
	f.Net.Advance(time.Minute)
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "a1")
	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Certify", "a1")
	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Review", "a1", "APPROVE", "")

	pending := *registered
	pending.Status, pending.StatusReason, pending.NoticeEndsAt = model.AssetPendingReview, "", ""
	f.Net.Forge(f.Holder, chaincodetest.Writes{chaincodetest.Key("asset", "a1"): chaincodetest.JSON(t, &pending)}).MustOK(t)
	r := f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Review", "a1", "APPROVE", "")
	assert.Contains(t, r.Message, "registered")

	var holdings []string
	for _, k := range f.Net.Ledger().StateKeys() {
		v := f.Net.Ledger().State(k)
		var right model.Right
		if json.Unmarshal(v, &right) == nil && right.Type == model.RightHolding && right.AssetID == "a1" {
			holdings = append(holdings, k)
		}
	}
	assert.Len(t, holdings, 1, "HOLDING rights over a1")
}

// recordedUnderItsHoldersOrg has the four orgs turn asset id into one
// recorded as an application before interface 16.0.0, or registered before
// 17.0.0: its key and its objections' (objectionIDs) the holder's org's
// alone, and no mark (asset~sealed).
func recordedUnderItsHoldersOrg(t *testing.T, f *fixture, id string, objectionIDs ...string) {
	t.Helper()
	policy := chaincodetest.KeyPolicy(registertest.ShanghaiMSP)
	keys := []string{chaincodetest.Key("asset", id)}
	for _, o := range objectionIDs {
		keys = append(keys, chaincodetest.Key("objection", id, o))
	}
	all := []string{registertest.ShanghaiMSP, registertest.JiangsuMSP, registertest.ZhejiangMSP, registertest.AnhuiMSP}
	f.Net.InvokeFunc(f.ShAdmin, chaincodetest.Call{PeerMSP: registertest.ShanghaiMSP, Endorsers: all},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			for _, k := range keys {
				if err := stub.SetStateValidationParameter(k, policy); err != nil {
					return nil, err
				}
			}
			return nil, stub.DelState(chaincodetest.Key("asset~sealed", id))
		}).MustOK(t)
	for _, k := range keys {
		require.Equal(t, "any of "+registertest.ShanghaiMSP, f.KeyPolicy(t, k))
	}
}

// An application recorded before interface 16.0.0 was its holder's org's
// to rewrite, so Certify does not rely on it: the exchange reviews it
// again, in public notice as well as pending, which puts it and its
// objections under a majority of the orgs and starts a new notice, in which
// an objector whose objection that org deleted objects again; then it is
// certified as any other.
func TestAnApplicationRecordedBefore16IsReviewedAgainBeforeItsCertification(t *testing.T) {
	f := inNotice(t)
	f.Net.Submit(f.AhUser, "assets:Object", "o1", "a1", "the sensors are ours").MustOK(t)
	f.Net.Submit(f.ZjUser, "assets:Object", "o2", "a1", "the roads are ours").MustOK(t)
	recordedUnderItsHoldersOrg(t, f, "a1", "o1", "o2")
	f.Apply(t, f.Holder, "a2")
	recordedUnderItsHoldersOrg(t, f, "a2")

	// What the holder's org could do to it alone before 16.0.0.
	f.Net.Forge(f.Holder, chaincodetest.Writes{
		chaincodetest.Key("asset", "a1"): chaincodetest.JSON(t, noticeEnded(f.Asset(t, "a1"))), chaincodetest.Key("objection", "a1", "o2"): nil,
	}).MustOK(t)
	f.Net.Advance(time.Minute)
	r := f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Certify", "a1")
	assert.Contains(t, r.Message, "reviews it again")

	reviewAt := f.Net.Now()
	var a model.Asset
	f.Net.Submit(f.ShOp, "assets:Review", "a1", "APPROVE", "").Unmarshal(t, &a)
	assert.Equal(t, model.AssetPublicNotice, a.Status)
	assert.Equal(t, state.Format(reviewAt.Add(model.DefaultNoticePeriodSeconds*time.Second)), a.NoticeEndsAt)
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("asset", "a1")))
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("objection", "a1", "o1")))
	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Review", "a1", "APPROVE", "")
	// The objector whose objection the org deleted objects again; the other's is still open.
	f.Net.Submit(f.ZjUser, "assets:Object", "o3", "a1", "the roads are ours").MustOK(t)
	f.Refused(t, ledgererr.Conflict, "", f.AhUser, "assets:Object", "o4", "a1", "again")

	f.Net.Advance(model.DefaultNoticePeriodSeconds * time.Second)
	r = f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "a1")
	assert.Contains(t, r.Message, `objection "o1"`)
	f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "o1", "DISMISS", "the licence covers it").MustOK(t)
	f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "o3", "DISMISS", "the licence covers it").MustOK(t)
	f.Net.Submit(f.Holder, "assets:Certify", "a1").Unmarshal(t, &a)
	assert.Equal(t, model.AssetRegistered, a.Status)

	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Certify", "a2")
	assert.Equal(t, model.AssetRegistered, f.Certify(t, f.Holder, "a2").Status)
}

// Nor can the holder's org of an asset registered before 17.0.0 write it as
// REJECTED to free its content hash, apply for the same content under
// another ID and have it registered too (two assets of one content to sell,
// then writing the first back as REGISTERED): an asset over which rights
// were issued keeps its content.
func TestTheHoldersOrgAloneCannotRegisterItsContentTwice(t *testing.T) {
	f := newFixture(t)
	registered := f.RegisterAsset(t, f.Holder, "a1")
	recordedUnderItsHoldersOrg(t, f, "a1")

	rejected := *registered
	rejected.Status, rejected.StatusReason = model.AssetRejected, "forged"
	f.Net.Forge(f.Holder, chaincodetest.Writes{chaincodetest.Key("asset", "a1"): chaincodetest.JSON(t, &rejected)}).MustOK(t)
	r := f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Apply", "a2", "Traffic flow a1 again", "transport", "shanghai", "Hourly traffic counts", registertest.HashOf("a1"))
	assert.Contains(t, r.Message, `asset "a1"`)
}

// Nor can it delete such an asset's record and apply again under the
// same ID to have a second HOLDING right issued over it: an asset is
// certified once.
func TestTheHoldersOrgAloneCannotDeleteItsAssetToCertifyItAgain(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "a1")
	recordedUnderItsHoldersOrg(t, f, "a1")

	f.Net.Forge(f.Holder, chaincodetest.Writes{chaincodetest.Key("asset", "a1"): nil}).MustOK(t)
	f.Net.Submit(f.Holder, "assets:Apply", "a1", "Traffic flow a1", "transport", "shanghai", "Hourly traffic counts", registertest.HashOf("a1 again")).MustOK(t)
	f.Net.Submit(f.ShOp, "assets:Review", "a1", "APPROVE", "").MustOK(t)
	f.Net.Advance(model.DefaultNoticePeriodSeconds * time.Second)
	r := f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "a1")
	assert.Contains(t, r.Message, "rights were issued over it")
}
