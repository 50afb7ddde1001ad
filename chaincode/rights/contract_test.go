package rights_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestGrant(t *testing.T) {
	f := withAsset(t)

	r := f.Net.Submit(f.Holder, "rights:Grant", "a1", "js.user", "USE", registertest.ScopeWide)
	var right model.Right
	r.Unmarshal(t, &right)
	assert.Equal(t, "R-"+r.TxID[:20]+"-1", right.ID)
	assert.Equal(t, issue{Type: model.RightUse, HolderID: "js.user", HolderMSP: registertest.JiangsuMSP,
		Origin: model.OriginGrant, OriginRef: r.TxID, GrantorID: "sh.holder"}, issueOf(&right))
	// An offer: nothing is the grantee's until it accepts.
	assert.Equal(t, model.RightOffered, right.Status)
	assert.Empty(t, right.AcceptedAt)
	assert.Equal(t, []string{"jiangsu", "shanghai", "zhejiang"}, right.Scope.Regions)
	assert.True(t, right.Scope.MaySublicense)
	assert.Equal(t, model.EventRightGranted, f.LastEvent(t).Name)
	assert.JSONEq(t, `{"rightId":"`+right.ID+`","assetId":"a1","type":"USE","holderId":"js.user","status":"OFFERED"}`, string(f.LastEvent(t).Payload))
	// The right needs a majority of the orgs, neither party's alone.
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("right", right.ID)))
	assert.Equal(t, right, *f.Right(t, right.ID))

	f.Grant(t, f.Holder, "a1", "zj.user", model.RightOperation, registertest.ScopeNoSub)
}

func TestGrantRefusals(t *testing.T) {
	f := withRefusalCase(t)

	f.Refused(t, ledgererr.Forbidden, "", f.Holder2, "rights:Grant", "a1", "js.user", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.Forbidden, "", f.ShOp, "rights:Grant", "a1", "js.user", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.Forbidden, "", f.Outsider, "rights:Grant", "a1", "js.user", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:Grant", "pending", "js.user", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.NotFound, "", f.Holder, "rights:Grant", "ghost", "js.user", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.NotFound, "", f.Holder, "rights:Grant", "a1", "nobody", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:Grant", "a1", "sh.buyer", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.InvalidArgument, "granteeId", f.Holder, "rights:Grant", "a1", "sh.holder", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.InvalidArgument, "rightType", f.Holder, "rights:Grant", "a1", "js.user", "HOLDING", registertest.ScopeWide)
	f.Refused(t, ledgererr.InvalidArgument, "rightType", f.Holder, "rights:Grant", "a1", "js.user", "use", registertest.ScopeWide)
	f.Refused(t, ledgererr.InvalidArgument, "assetId", f.Holder, "rights:Grant", "", "js.user", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.InvalidArgument, "granteeId", f.Holder, "rights:Grant", "a1", "", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.InvalidArgument, "scope", f.Holder, "rights:Grant", "a1", "js.user", "USE", "{")
	f.Refused(t, ledgererr.InvalidArgument, "scope.regions[1]", f.Holder, "rights:Grant", "a1", "js.user", "USE",
		registertest.ScopeJSON(registertest.Purpose, []string{"shanghai", "beijing"}, "", registertest.YearEnd, false))
	f.Refused(t, ledgererr.InvalidArgument, "scope.validUntil", f.Holder, "rights:Grant", "a1", "js.user", "USE",
		registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", "2026-01-01T00:00:00Z", false))
}

func TestSublicense(t *testing.T) {
	f := withAsset(t)
	parent := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)

	sub := f.offerSublicence(t, f.JsUser, parent.ID, "zj.user", registertest.ScopeNarrow)
	assert.Equal(t, model.EventRightSublicensed, f.LastEvent(t).Name)
	sub = f.Accept(t, sub.ID)
	assert.Equal(t, issue{Type: model.RightUse, HolderID: "zj.user", HolderMSP: registertest.ZhejiangMSP,
		Origin: model.OriginSublicense, OriginRef: parent.ID, ParentRightID: parent.ID, GrantorID: "js.user"}, issueOf(sub))
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("right", sub.ID)))

	// An OPERATION right is sublicensed as OPERATION.
	op := f.Grant(t, f.Holder, "a1", "ah.user", model.RightOperation, registertest.ScopeWide)
	assert.Equal(t, model.RightOperation, f.sublicense(t, f.AhUser, op.ID, "js.user", registertest.ScopeNarrow).Type)
}

func TestSublicenseRefusals(t *testing.T) {
	f := newFixture(t)
	a := f.RegisterAsset(t, f.Holder, "a1")
	parent := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	noSub := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeNoSub)
	short := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse,
		registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", f.Net.Now().Add(time.Hour).Format(time.RFC3339), true))
	revoked := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	f.Net.Submit(f.Holder, "rights:Revoke", revoked.ID, "breach").MustOK(t)

	sub := func(parentID, scope string) []string { return []string{parentID, "zj.user", scope} }
	f.Refused(t, ledgererr.Forbidden, "", f.ZjUser, "rights:Sublicense", sub(parent.ID, registertest.ScopeNarrow)...)
	f.Refused(t, ledgererr.Forbidden, "", f.Holder, "rights:Sublicense", sub(parent.ID, registertest.ScopeNarrow)...)
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:Sublicense", sub(a.HoldingRightID, registertest.ScopeNarrow)...)
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Sublicense", sub(noSub.ID, registertest.ScopeNarrow)...)
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Sublicense", sub(revoked.ID, registertest.ScopeNarrow)...)
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:Sublicense", sub("R-none", registertest.ScopeNarrow)...)
	f.Refused(t, ledgererr.InvalidArgument, "parentRightId", f.JsUser, "rights:Sublicense", sub("", registertest.ScopeNarrow)...)
	f.Refused(t, ledgererr.InvalidArgument, "granteeId", f.JsUser, "rights:Sublicense", parent.ID, "", registertest.ScopeNarrow)
	f.Refused(t, ledgererr.InvalidArgument, "granteeId", f.JsUser, "rights:Sublicense", parent.ID, "js.user", registertest.ScopeNarrow)
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:Sublicense", parent.ID, "nobody", registertest.ScopeNarrow)
	f.Refused(t, ledgererr.InvalidArgument, "scope.purpose", f.JsUser, "rights:Sublicense",
		sub(parent.ID, registertest.ScopeJSON("marketing", []string{"shanghai"}, "", registertest.YearEnd, false))...)
	f.Refused(t, ledgererr.InvalidArgument, "scope.regions", f.JsUser, "rights:Sublicense",
		sub(parent.ID, registertest.ScopeJSON(registertest.Purpose, []string{"anhui"}, "", registertest.YearEnd, false))...)
	f.Refused(t, ledgererr.InvalidArgument, "scope.validUntil", f.JsUser, "rights:Sublicense",
		sub(parent.ID, registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", "2027-06-01T00:00:00Z", false))...)
	f.Refused(t, ledgererr.InvalidArgument, "scope.validUntil", f.JsUser, "rights:Sublicense",
		sub(parent.ID, registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "2026-01-01T00:00:00Z", registertest.YearEnd, false))...)
	f.Refused(t, ledgererr.InvalidArgument, "scope", f.JsUser, "rights:Sublicense", sub(parent.ID, "[]")...)

	// A sublicence may itself allow sublicensing only if its parent does:
	// the narrower child of a wide parent may not pass on more than it has.
	child := f.sublicense(t, f.JsUser, parent.ID, "zj.user", registertest.ScopeNarrow)
	f.Refused(t, ledgererr.Forbidden, "", f.ZjUser, "rights:Sublicense", child.ID, "ah.user", registertest.ScopeNarrow)

	// An expired parent cannot be licensed on.
	f.Net.Advance(2 * time.Hour)
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Sublicense", sub(short.ID, registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", f.Net.Now().Add(time.Hour).Format(time.RFC3339), false))...)
}

func TestSublicenceChainDepthIsBounded(t *testing.T) {
	f := withAsset(t)
	// The licence passes back and forth between two licensees.
	holders := []chaincodetest.Identity{f.JsUser, f.ZjUser}
	ids := []string{"js.user", "zj.user"}
	right := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	for depth := 1; depth <= rights.MaxSublicenseDepth; depth++ {
		right = f.sublicense(t, holders[(depth-1)%2], right.ID, ids[depth%2], registertest.ScopeWide)
	}
	last := holders[rights.MaxSublicenseDepth%2]
	f.Refused(t, ledgererr.Conflict, "", last, "rights:Sublicense", right.ID, ids[(rights.MaxSublicenseDepth+1)%2], registertest.ScopeWide)

	// The deepest right is usable: its holder may derive from it.
	f.Net.Submit(last, "assets:Derive", "p", "P", "finance", "shanghai", "d", registertest.HashOf("p"), "a1", registertest.Purpose).MustOK(t)
}

func TestRevoke(t *testing.T) {
	f := newFixture(t)
	a := f.RegisterAsset(t, f.Holder, "a1")
	granted := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	sub := f.sublicense(t, f.JsUser, granted.ID, "zj.user", registertest.ScopeNarrow)
	sub2 := f.sublicense(t, f.JsUser, granted.ID, "ah.user", registertest.ScopeNarrow)
	sub3 := f.sublicense(t, f.JsUser, granted.ID, "sh.buyer", registertest.ScopeNarrow)

	// Who may not revoke: the licensee itself, the asset's holder for a
	// sublicence it did not issue, another region's operator, strangers.
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Revoke", granted.ID, "I quit")
	f.Refused(t, ledgererr.Forbidden, "", f.Holder, "rights:Revoke", sub.ID, "not yours")
	f.Refused(t, ledgererr.Forbidden, "", f.JsOp, "rights:Revoke", sub.ID, "not my region")
	f.Refused(t, ledgererr.Forbidden, "", f.ZjUser, "rights:Revoke", sub2.ID, "peer")
	f.Refused(t, ledgererr.Forbidden, "", f.Outsider, "rights:Revoke", sub.ID, "x")
	// HOLDING rights move by transfer, never by revocation.
	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "rights:Revoke", a.HoldingRightID, "x")
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:Revoke", a.HoldingRightID, "x")
	f.Refused(t, ledgererr.InvalidArgument, "reason", f.Holder, "rights:Revoke", granted.ID, "")
	f.Refused(t, ledgererr.InvalidArgument, "rightId", f.Holder, "rights:Revoke", "", "x")
	f.Refused(t, ledgererr.NotFound, "", f.Holder, "rights:Revoke", "R-none", "x")

	// The grantor of a sublicence revokes it.
	var r model.Right
	f.Net.Submit(f.JsUser, "rights:Revoke", sub.ID, "fee unpaid").Unmarshal(t, &r)
	assert.Equal(t, model.RightRevoked, r.Status)
	assert.Equal(t, "fee unpaid", r.StatusReason)
	assert.Equal(t, model.EventRightRevoked, f.LastEvent(t).Name)
	assert.JSONEq(t, `{"rightId":"`+sub.ID+`","assetId":"a1","type":"USE","holderId":"zj.user","status":"REVOKED","parentRightId":"`+granted.ID+`"}`, string(f.LastEvent(t).Payload))
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Revoke", sub.ID, "again")

	// The exchange's operator revokes any licence over the region's assets.
	f.Net.Submit(f.ShOp, "rights:Revoke", sub2.ID, "court order").MustOK(t)

	// The holder revokes what it granted; the sublicence left is untouched
	// but no longer usable, and reads so.
	f.Net.Submit(f.Holder, "rights:Revoke", granted.ID, "breach").MustOK(t)
	assert.Equal(t, model.RightRevoked, f.Right(t, sub3.ID).Status)
	assert.Equal(t, granted.ID, f.Right(t, sub3.ID).StatusFrom)
	f.Refused(t, ledgererr.Forbidden, "", f.ShBuyer, "assets:Derive", "p", "P", "finance", "shanghai", "d", registertest.HashOf("p"), "a1", registertest.Purpose)
}

// A revocation needs a majority of the orgs: the licensor's org alone does
// not revoke, and the licensee's org cannot veto the revocation of its
// licence by staying out.
func TestRevokeNeedsAMajorityNotTheLicenseesOrg(t *testing.T) {
	f := withAsset(t)
	granted := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	before := f.Snapshot()
	r := f.Net.Invoke(f.Holder, registertest.CallAt(registertest.ShanghaiMSP, "rights:Revoke", granted.ID, "breach"))
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	assert.Equal(t, before.State, f.Snapshot().State)
	r = f.Net.Invoke(f.Holder, chaincodetest.Call{Function: "rights:Revoke", Args: []string{granted.ID, "breach"},
		Endorsers: []string{registertest.ShanghaiMSP, registertest.ZhejiangMSP, registertest.AnhuiMSP}})
	require.NoError(t, r.Err, "the licensor and a majority revoke without the licensee's org")
	assert.Equal(t, model.RightRevoked, f.Right(t, granted.ID).Status)
	registertest.RequireCode(t, derive(f, f.JsUser, "p1"), ledgererr.Forbidden, "")
}

func TestTransferHolding(t *testing.T) {
	f := newFixture(t)
	a := f.RegisterAsset(t, f.Holder, "a1")
	licence := f.Grant(t, f.Holder, "a1", "zj.user", model.RightUse, registertest.ScopeWide)
	old := a.HoldingRightID

	// The offer moves nothing: the recipient has not agreed yet.
	var offer model.HoldingOffer
	offered := f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "merger of the data business")
	offered.Unmarshal(t, &offer)
	assert.Equal(t, model.HoldingOffer{AssetID: "a1", HoldingRightID: old, FromID: "sh.holder", FromMSP: registertest.ShanghaiMSP, ToID: "js.user", ToMSP: registertest.JiangsuMSP,
		Reason: "merger of the data business", Status: model.HoldingOffered, OfferedAt: offer.OfferedAt,
		ExpiresAt: state.Format(mustTime(t, offer.OfferedAt).Add(model.OfferWindow)), TxID: offered.TxID, UpdatedAt: offer.OfferedAt}, offer)
	assert.Equal(t, model.EventHoldingOffered, f.LastEvent(t).Name)
	assert.JSONEq(t, `{"assetId":"a1","fromId":"sh.holder","toId":"js.user","status":"OFFERED","expiresAt":"`+offer.ExpiresAt+`"}`, string(f.LastEvent(t).Payload))
	assert.Equal(t, "sh.holder", f.Asset(t, "a1").HolderID)
	assert.Equal(t, "js.user", f.Asset(t, "a1").HoldingOfferedTo)
	assert.Equal(t, model.RightActive, f.Right(t, old).Status)
	var shown model.HoldingOffer
	f.Net.Evaluate(f.AhUser, "rights:GetHoldingOffer", "a1").Unmarshal(t, &shown)
	assert.Equal(t, offer, shown)
	// Each answer to the offer needs a majority of the orgs, neither party's alone.
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, offerKey(old)))

	r := f.Net.Submit(f.JsUser, "rights:AcceptHolding", "a1")
	var next model.Right
	r.Unmarshal(t, &next)
	assert.Equal(t, issue{Type: model.RightHolding, HolderID: "js.user", HolderMSP: registertest.JiangsuMSP,
		Origin: model.OriginTransfer, OriginRef: r.TxID, GrantorID: "sh.holder"}, issueOf(&next))
	assert.Equal(t, model.EventHoldingTransferred, f.LastEvent(t).Name)
	assert.JSONEq(t, `{"rightId":"`+next.ID+`","assetId":"a1","type":"HOLDING","holderId":"js.user","status":"ACTIVE","previousRightId":"`+old+`"}`, string(f.LastEvent(t).Payload))

	prev := f.Right(t, old)
	assert.Equal(t, model.RightSuperseded, prev.Status)
	assert.Equal(t, next.ID, prev.SupersededBy)
	assert.Equal(t, "merger of the data business", prev.StatusReason)

	got := f.Asset(t, "a1")
	assert.Equal(t, "js.user", got.HolderID)
	assert.Empty(t, got.HoldingOfferedTo)
	assert.Nil(t, f.Net.Ledger().State(offerKey(old)), "an answered offer is deleted")
	f.Refused(t, ledgererr.NotFound, "", f.AhUser, "rights:GetHoldingOffer", "a1")
	assert.Equal(t, registertest.JiangsuMSP, got.HolderMSP)
	assert.Equal(t, next.ID, got.HoldingRightID)
	// The exchange that registered the asset still supervises it.
	assert.Equal(t, "shanghai", got.ExchangeRegion)
	// The asset and both holdings' rights need a majority of the orgs.
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("asset", "a1")))
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("right", next.ID)))
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("right", old)))

	// Holder indexes follow.
	var page model.AssetPage
	f.Net.Evaluate(f.Holder, "assets:ListByHolder", "sh.holder", "", "").Unmarshal(t, &page)
	assert.Empty(t, page.Items)
	f.Net.Evaluate(f.Holder, "assets:ListByHolder", "js.user", "", "").Unmarshal(t, &page)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "a1", page.Items[0].ID)

	// Licences granted by the previous holder stand.
	assert.Equal(t, model.RightActive, f.Right(t, licence.ID).Status)
	// The old holder has lost its powers; the new holder has them.
	f.Refused(t, ledgererr.Forbidden, "", f.Holder, "rights:Grant", "a1", "ah.user", "USE", registertest.ScopeWide)
	f.Refused(t, ledgererr.Forbidden, "", f.Holder, "rights:TransferHolding", "a1", "sh.holder2", "back")
	f.Refused(t, ledgererr.Forbidden, "", f.Holder, "assets:Derive", "p", "P", "finance", "shanghai", "d", registertest.HashOf("p"), "a1", registertest.Purpose)
	f.Grant(t, f.JsUser, "a1", "ah.user", model.RightUse, registertest.ScopeWide)
	// The new holder may revoke the licence its predecessor granted.
	f.Net.Submit(f.JsUser, "rights:Revoke", licence.ID, "renegotiation").MustOK(t)

	// A change to the asset endorsed by the old holder's org alone is
	// refused now.
	before := f.Snapshot()
	res := f.Net.Invoke(f.JsUser, registertest.CallAt(registertest.ShanghaiMSP, "rights:TransferHolding", "a1", "sh.holder2", "resale"))
	require.Error(t, res.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", res.ValidationCode)
	assert.Equal(t, before.State, f.Snapshot().State)
}

func TestTransferHoldingRefusals(t *testing.T) {
	f := withRefusalCase(t)

	f.Refused(t, ledgererr.Forbidden, "", f.Holder2, "rights:TransferHolding", "a1", "js.user", "gift")
	f.Refused(t, ledgererr.Forbidden, "", f.ShOp, "rights:TransferHolding", "a1", "js.user", "gift")
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:TransferHolding", "pending", "js.user", "gift")
	f.Refused(t, ledgererr.NotFound, "", f.Holder, "rights:TransferHolding", "ghost", "js.user", "gift")
	f.Refused(t, ledgererr.NotFound, "", f.Holder, "rights:TransferHolding", "a1", "nobody", "gift")
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:TransferHolding", "a1", "sh.buyer", "gift")
	f.Refused(t, ledgererr.InvalidArgument, "newHolderId", f.Holder, "rights:TransferHolding", "a1", "sh.holder", "gift")
	f.Refused(t, ledgererr.InvalidArgument, "newHolderId", f.Holder, "rights:TransferHolding", "a1", "", "gift")
	f.Refused(t, ledgererr.InvalidArgument, "reason", f.Holder, "rights:TransferHolding", "a1", "js.user", "")
	f.Refused(t, ledgererr.InvalidArgument, "assetId", f.Holder, "rights:TransferHolding", "a 1", "js.user", "gift")

	// While a trade holds the lock the holding cannot be given away.
	f.lockHolding(t, "a1", "trade-1")
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:TransferHolding", "a1", "js.user", "gift")
	f.unlockHolding(t, "a1", "trade-1")
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
}

// The exchange revokes rights as a judge, never for itself: an operator
// acting for the enterprise that granted a right (or that holds it) does not
// revoke it through the exchange's power; an impartial operator does.
func TestExchangeDoesNotRevokeInItsOwnCase(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.ShOpHold, "a1")
	granted := f.Grant(t, f.ShOpHold, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpTwin, "rights:Revoke", granted.ID, "we want it back")
	f.RegisterAsset(t, f.Holder, "a2")
	held := f.Grant(t, f.Holder, "a2", "sh.optwin", model.RightUse, registertest.ScopeWide)
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpHold, "rights:Revoke", held.ID, "our own licence, as the exchange")
	f.Net.Submit(f.ShOp, "rights:Revoke", granted.ID, "breach of scope").MustOK(t)
}

// While the holding is promised to a trade, its holder licenses nothing more:
// the buyer of the holding gets the asset with the encumbrances it saw.
func TestNoLicenceWhileTheHoldingIsPromised(t *testing.T) {
	f := withAsset(t)
	f.lockHolding(t, "a1", "trade-1")
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:Grant", "a1", "js.user", model.RightUse, registertest.ScopeWide)
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:Grant", "a1", "js.user", model.RightOperation, registertest.ScopeWide)
	res := f.InTx(f.Holder, func(ctx *contractapi.TransactionContext) error {
		_, err := rights.CheckOffer(ctx, registertest.Participant(t, ctx, "sh.holder"), "a1", model.RightUse, registertest.ParseScope(t, registertest.ScopeNoSub, registertest.TxNow(t, ctx)), registertest.TxNow(t, ctx))
		return err
	})
	registertest.RequireCode(t, res, ledgererr.Conflict, "")
	f.unlockHolding(t, "a1", "trade-1")
	f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
}

// A right past its validUntil reads EXPIRED wherever it is read, and using
// it is refused with one code, FORBIDDEN, whichever path uses it: the
// right does not entitle its holder any more (issue 9: one path answered
// 409, another 403, and the right still read ACTIVE).
func TestAnExpiredRightReadsExpiredAndEntitlesToNothing(t *testing.T) {
	f := withAsset(t)
	short := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse,
		registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", f.Net.Now().Add(time.Hour).Format(time.RFC3339), true))
	assert.Equal(t, model.RightActive, f.Right(t, short.ID).Status)

	f.Net.Advance(2 * time.Hour)
	assert.Equal(t, model.RightExpired, f.Right(t, short.ID).Status)
	for _, list := range [][]string{{"rights:ListByHolder", "js.user"}, {"rights:ListByAsset", "a1"}} {
		var page model.RightPage
		f.Net.Evaluate(f.JsUser, list[0], list[1], "", "").Unmarshal(t, &page)
		found := false
		for _, r := range page.Items {
			if r.ID == short.ID {
				found = true
				assert.Equal(t, model.RightExpired, r.Status, list[0])
			} else if r.Type == model.RightHolding {
				assert.Equal(t, model.RightActive, r.Status, "the holding does not expire")
			}
		}
		assert.True(t, found, list[0])
	}
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Sublicense", short.ID, "zj.user",
		registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", f.Net.Now().Add(time.Hour).Format(time.RFC3339), false))
	assert.Equal(t, model.RightExpired, f.Right(t, short.ID).Status, "the refusal changed nothing")
}

// A right reads what using it would say: a sublicence whose parent or
// grandparent was revoked reads REVOKED, naming that right in statusFrom,
// in Get and in both lists, and using it is refused for that same right;
// a sublicence of an expired parent reads EXPIRED (its term lies within
// its parent's). The records themselves are not rewritten.
func TestARightReadsWhatItsUseWouldSay(t *testing.T) {
	f := withAsset(t)
	// chain grants g to js.user, which licenses p on to zj.user, which
	// licenses c on to ah.user, all within scope.
	chain := func(scope string) (g, p, c *model.Right) {
		g = f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, scope)
		p = f.sublicense(t, f.JsUser, g.ID, "zj.user", scope)
		c = f.sublicense(t, f.ZjUser, p.ID, "ah.user", scope)
		return g, p, c
	}
	// reads returns how a right reads in Get, ListByHolder and ListByAsset.
	reads := func(r *model.Right) []*model.Right {
		var got []*model.Right
		got = append(got, f.Right(t, r.ID))
		for _, list := range [][]string{{"rights:ListByHolder", r.HolderID}, {"rights:ListByAsset", r.AssetID}} {
			var found *model.Right
			chaincodetest.EachPage(func(bookmark string) string {
				var page model.RightPage
				f.Net.Evaluate(f.AhUser, list[0], list[1], "2", bookmark).Unmarshal(t, &page)
				for _, item := range page.Items {
					if item.ID == r.ID {
						found = item
					}
				}
				return page.Bookmark
			})
			require.NotNil(t, found, "%s lists %s", list[0], r.ID)
			got = append(got, found)
		}
		return got
	}
	requireReads := func(r *model.Right, status, from string) {
		t.Helper()
		for i, got := range reads(r) {
			assert.Equal(t, status, got.Status, "right %s, read %d", r.ID, i)
			assert.Equal(t, from, got.StatusFrom, "right %s, read %d", r.ID, i)
		}
	}
	// used has the right's holder license it on: allowed (refusal ""),
	// or refused FORBIDDEN saying refusal and writing nothing.
	used := func(who chaincodetest.Identity, r *model.Right, refusal string) {
		t.Helper()
		scope := registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", f.Net.Now().Add(time.Minute).Format(time.RFC3339), false)
		before := f.Snapshot()
		res := f.Net.Submit(who, "rights:Sublicense", r.ID, "sh.buyer", scope)
		if refusal == "" {
			res.MustOK(t)
			return
		}
		registertest.RequireCode(t, res, ledgererr.Forbidden, "")
		assert.Contains(t, res.Message, refusal)
		assert.Equal(t, before, f.Snapshot())
	}
	isRevoked := func(id string) string { return fmt.Sprintf("right %q is REVOKED", id) }
	stored := func(id string) *model.Right {
		var r model.Right
		require.NoError(t, json.Unmarshal(f.Net.Ledger().State(chaincodetest.Key("right", id)), &r))
		return &r
	}

	g, p, c := chain(registertest.ScopeWide)
	requireReads(c, model.RightActive, "")
	used(f.AhUser, c, "")

	// The parent revoked.
	f.Net.Submit(f.JsUser, "rights:Revoke", p.ID, "fee unpaid").MustOK(t)
	requireReads(g, model.RightActive, "")
	requireReads(p, model.RightRevoked, "")
	requireReads(c, model.RightRevoked, p.ID)
	used(f.AhUser, c, isRevoked(p.ID))
	assert.Equal(t, model.RightActive, stored(c.ID).Status, "the sublicence's record is not rewritten")
	assert.Empty(t, stored(c.ID).StatusFrom, "statusFrom is never stored")

	// The grandparent revoked: both below read REVOKED from it.
	g2, p2, c2 := chain(registertest.ScopeWide)
	f.Net.Submit(f.Holder, "rights:Revoke", g2.ID, "breach").MustOK(t)
	requireReads(p2, model.RightRevoked, g2.ID)
	requireReads(c2, model.RightRevoked, g2.ID)
	used(f.AhUser, c2, isRevoked(g2.ID))
	used(f.ZjUser, p2, isRevoked(g2.ID))
	// Revoked again lower down: the nearest revoked right is named.
	f.Net.Submit(f.ZjUser, "rights:Revoke", c2.ID, "twice over").MustOK(t)
	requireReads(c2, model.RightRevoked, "")

	// The parent expired: the sublicence's term ended with it at the latest.
	short := registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", f.Net.Now().Add(time.Hour).Format(time.RFC3339), true)
	g3, p3, c3 := chain(short)
	requireReads(c3, model.RightActive, "")
	f.Net.Advance(2 * time.Hour)
	for _, r := range []*model.Right{g3, p3, c3} {
		requireReads(r, model.RightExpired, "")
	}
	used(f.AhUser, c3, fmt.Sprintf("right %q is valid from", c3.ID))
	requireReads(c, model.RightRevoked, p.ID)
}
