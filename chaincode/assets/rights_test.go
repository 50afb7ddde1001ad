package assets_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestGrant(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")

	r := f.net.Submit(f.holder, "rights:Grant", "a1", "js.user", "USE", scopeWide)
	var right model.Right
	r.Unmarshal(t, &right)
	assert.Equal(t, "R-"+r.TxID[:20]+"-1", right.ID)
	assert.Equal(t, model.RightUse, right.Type)
	assert.Equal(t, "js.user", right.HolderID)
	assert.Equal(t, jiangsuMSP, right.HolderMSP)
	assert.Equal(t, model.OriginGrant, right.Origin)
	assert.Equal(t, r.TxID, right.OriginRef)
	assert.Equal(t, "sh.holder", right.GrantorID)
	assert.Empty(t, right.ParentRightID)
	assert.Equal(t, model.RightActive, right.Status)
	assert.Equal(t, []string{"jiangsu", "shanghai", "zhejiang"}, right.Scope.Regions)
	assert.True(t, right.Scope.MaySublicense)
	assert.Equal(t, model.EventRightGranted, f.lastEvent(t).Name)
	assert.JSONEq(t, `{"rightId":"`+right.ID+`","assetId":"a1","type":"USE","holderId":"js.user","status":"ACTIVE"}`, string(f.lastEvent(t).Payload))
	// The right belongs to its holder's org.
	assert.Equal(t, "any of "+jiangsuMSP, f.keyPolicy(t, key("right", right.ID)))
	assert.Equal(t, right, *f.right(t, right.ID))

	f.grant(t, f.holder, "a1", "zj.user", model.RightOperation, scopeNoSub)
}

func TestGrantRefusals(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	f.apply(t, f.holder, "pending")
	f.net.Submit(f.shAdmin, "participants:Suspend", "sh.buyer", "under investigation").MustOK(t)

	f.refused(t, ledgererr.Forbidden, "", f.holder2, "rights:Grant", "a1", "js.user", "USE", scopeWide)
	f.refused(t, ledgererr.Forbidden, "", f.shOp, "rights:Grant", "a1", "js.user", "USE", scopeWide)
	f.refused(t, ledgererr.Forbidden, "", f.outsider, "rights:Grant", "a1", "js.user", "USE", scopeWide)
	f.refused(t, ledgererr.Conflict, "", f.holder, "rights:Grant", "pending", "js.user", "USE", scopeWide)
	f.refused(t, ledgererr.NotFound, "", f.holder, "rights:Grant", "ghost", "js.user", "USE", scopeWide)
	f.refused(t, ledgererr.NotFound, "", f.holder, "rights:Grant", "a1", "nobody", "USE", scopeWide)
	f.refused(t, ledgererr.Conflict, "", f.holder, "rights:Grant", "a1", "sh.buyer", "USE", scopeWide)
	f.refused(t, ledgererr.InvalidArgument, "granteeId", f.holder, "rights:Grant", "a1", "sh.holder", "USE", scopeWide)
	f.refused(t, ledgererr.InvalidArgument, "rightType", f.holder, "rights:Grant", "a1", "js.user", "HOLDING", scopeWide)
	f.refused(t, ledgererr.InvalidArgument, "rightType", f.holder, "rights:Grant", "a1", "js.user", "use", scopeWide)
	f.refused(t, ledgererr.InvalidArgument, "assetId", f.holder, "rights:Grant", "", "js.user", "USE", scopeWide)
	f.refused(t, ledgererr.InvalidArgument, "granteeId", f.holder, "rights:Grant", "a1", "", "USE", scopeWide)
	f.refused(t, ledgererr.InvalidArgument, "scope", f.holder, "rights:Grant", "a1", "js.user", "USE", "{")
	f.refused(t, ledgererr.InvalidArgument, "scope.regions[1]", f.holder, "rights:Grant", "a1", "js.user", "USE",
		scopeJSON(purpose, []string{"shanghai", "beijing"}, "", yearEnd, false))
	f.refused(t, ledgererr.InvalidArgument, "scope.validUntil", f.holder, "rights:Grant", "a1", "js.user", "USE",
		scopeJSON(purpose, []string{"shanghai"}, "", "2026-01-01T00:00:00Z", false))
}

func TestSublicense(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	parent := f.grant(t, f.holder, "a1", "js.user", model.RightUse, scopeWide)

	var sub model.Right
	f.net.Submit(f.jsUser, "rights:Sublicense", parent.ID, "zj.user", scopeNarrow).Unmarshal(t, &sub)
	assert.Equal(t, model.RightUse, sub.Type)
	assert.Equal(t, "zj.user", sub.HolderID)
	assert.Equal(t, zhejiangMSP, sub.HolderMSP)
	assert.Equal(t, model.OriginSublicense, sub.Origin)
	assert.Equal(t, parent.ID, sub.OriginRef)
	assert.Equal(t, parent.ID, sub.ParentRightID)
	assert.Equal(t, "js.user", sub.GrantorID)
	assert.Equal(t, model.EventRightSublicensed, f.lastEvent(t).Name)
	assert.Equal(t, "any of "+zhejiangMSP, f.keyPolicy(t, key("right", sub.ID)))

	// An OPERATION right is sublicensed as OPERATION.
	op := f.grant(t, f.holder, "a1", "ah.user", model.RightOperation, scopeWide)
	f.net.Submit(f.ahUser, "rights:Sublicense", op.ID, "js.user", scopeNarrow).Unmarshal(t, &sub)
	assert.Equal(t, model.RightOperation, sub.Type)
}

func TestSublicenseRefusals(t *testing.T) {
	f := newFixture(t)
	a := f.registerAsset(t, f.holder, "a1")
	parent := f.grant(t, f.holder, "a1", "js.user", model.RightUse, scopeWide)
	noSub := f.grant(t, f.holder, "a1", "js.user", model.RightUse, scopeNoSub)
	short := f.grant(t, f.holder, "a1", "js.user", model.RightUse,
		scopeJSON(purpose, []string{"shanghai"}, "", f.net.Now().Add(time.Hour).Format(time.RFC3339), true))
	revoked := f.grant(t, f.holder, "a1", "js.user", model.RightUse, scopeWide)
	f.net.Submit(f.holder, "rights:Revoke", revoked.ID, "breach").MustOK(t)

	sub := func(parentID, scope string) []string { return []string{parentID, "zj.user", scope} }
	f.refused(t, ledgererr.Forbidden, "", f.zjUser, "rights:Sublicense", sub(parent.ID, scopeNarrow)...)
	f.refused(t, ledgererr.Forbidden, "", f.holder, "rights:Sublicense", sub(parent.ID, scopeNarrow)...)
	f.refused(t, ledgererr.Conflict, "", f.holder, "rights:Sublicense", sub(a.HoldingRightID, scopeNarrow)...)
	f.refused(t, ledgererr.Forbidden, "", f.jsUser, "rights:Sublicense", sub(noSub.ID, scopeNarrow)...)
	f.refused(t, ledgererr.Forbidden, "", f.jsUser, "rights:Sublicense", sub(revoked.ID, scopeNarrow)...)
	f.refused(t, ledgererr.NotFound, "", f.jsUser, "rights:Sublicense", sub("R-none", scopeNarrow)...)
	f.refused(t, ledgererr.InvalidArgument, "parentRightId", f.jsUser, "rights:Sublicense", sub("", scopeNarrow)...)
	f.refused(t, ledgererr.InvalidArgument, "granteeId", f.jsUser, "rights:Sublicense", parent.ID, "", scopeNarrow)
	f.refused(t, ledgererr.InvalidArgument, "granteeId", f.jsUser, "rights:Sublicense", parent.ID, "js.user", scopeNarrow)
	f.refused(t, ledgererr.NotFound, "", f.jsUser, "rights:Sublicense", parent.ID, "nobody", scopeNarrow)
	f.refused(t, ledgererr.InvalidArgument, "scope.purpose", f.jsUser, "rights:Sublicense",
		sub(parent.ID, scopeJSON("marketing", []string{"shanghai"}, "", yearEnd, false))...)
	f.refused(t, ledgererr.InvalidArgument, "scope.regions", f.jsUser, "rights:Sublicense",
		sub(parent.ID, scopeJSON(purpose, []string{"anhui"}, "", yearEnd, false))...)
	f.refused(t, ledgererr.InvalidArgument, "scope.validUntil", f.jsUser, "rights:Sublicense",
		sub(parent.ID, scopeJSON(purpose, []string{"shanghai"}, "", "2027-06-01T00:00:00Z", false))...)
	f.refused(t, ledgererr.InvalidArgument, "scope.validUntil", f.jsUser, "rights:Sublicense",
		sub(parent.ID, scopeJSON(purpose, []string{"shanghai"}, "2026-01-01T00:00:00Z", yearEnd, false))...)
	f.refused(t, ledgererr.InvalidArgument, "scope", f.jsUser, "rights:Sublicense", sub(parent.ID, "[]")...)

	// A sublicence may itself allow sublicensing only if its parent does:
	// the narrower child of a wide parent may not pass on more than it has.
	var child model.Right
	f.net.Submit(f.jsUser, "rights:Sublicense", parent.ID, "zj.user", scopeNarrow).Unmarshal(t, &child)
	f.refused(t, ledgererr.Forbidden, "", f.zjUser, "rights:Sublicense", child.ID, "ah.user", scopeNarrow)

	// An expired parent cannot be licensed on.
	f.net.Advance(2 * time.Hour)
	f.refused(t, ledgererr.Forbidden, "", f.jsUser, "rights:Sublicense", sub(short.ID, scopeJSON(purpose, []string{"shanghai"}, "", f.net.Now().Add(time.Hour).Format(time.RFC3339), false))...)
}

func TestSublicenceChainDepthIsBounded(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	// The licence passes back and forth between two licensees.
	holders := []chaincodetest.Identity{f.jsUser, f.zjUser}
	ids := []string{"js.user", "zj.user"}
	right := f.grant(t, f.holder, "a1", "js.user", model.RightUse, scopeWide)
	for depth := 1; depth <= assets.MaxSublicenseDepth; depth++ {
		var next model.Right
		f.net.Submit(holders[(depth-1)%2], "rights:Sublicense", right.ID, ids[depth%2], scopeWide).Unmarshal(t, &next)
		right = &next
	}
	last := holders[assets.MaxSublicenseDepth%2]
	f.refused(t, ledgererr.Conflict, "", last, "rights:Sublicense", right.ID, ids[(assets.MaxSublicenseDepth+1)%2], scopeWide)

	// The deepest right is usable: its holder may derive from it.
	f.net.Submit(last, "assets:Derive", "p", "P", "finance", "shanghai", "d", hashOf("p"), "a1", purpose).MustOK(t)
}

func TestRevoke(t *testing.T) {
	f := newFixture(t)
	a := f.registerAsset(t, f.holder, "a1")
	granted := f.grant(t, f.holder, "a1", "js.user", model.RightUse, scopeWide)
	var sub, sub2, sub3 model.Right
	f.net.Submit(f.jsUser, "rights:Sublicense", granted.ID, "zj.user", scopeNarrow).Unmarshal(t, &sub)
	f.net.Submit(f.jsUser, "rights:Sublicense", granted.ID, "ah.user", scopeNarrow).Unmarshal(t, &sub2)
	f.net.Submit(f.jsUser, "rights:Sublicense", granted.ID, "sh.buyer", scopeNarrow).Unmarshal(t, &sub3)

	// Who may not revoke: the licensee itself, the asset's holder for a
	// sublicence it did not issue, another region's operator, strangers.
	f.refused(t, ledgererr.Forbidden, "", f.jsUser, "rights:Revoke", granted.ID, "I quit")
	f.refused(t, ledgererr.Forbidden, "", f.holder, "rights:Revoke", sub.ID, "not yours")
	f.refused(t, ledgererr.Forbidden, "", f.jsOp, "rights:Revoke", sub.ID, "not my region")
	f.refused(t, ledgererr.Forbidden, "", f.zjUser, "rights:Revoke", sub2.ID, "peer")
	f.refused(t, ledgererr.Forbidden, "", f.outsider, "rights:Revoke", sub.ID, "x")
	// HOLDING rights move by transfer, never by revocation.
	f.refused(t, ledgererr.Conflict, "", f.shOp, "rights:Revoke", a.HoldingRightID, "x")
	f.refused(t, ledgererr.Conflict, "", f.holder, "rights:Revoke", a.HoldingRightID, "x")
	f.refused(t, ledgererr.InvalidArgument, "reason", f.holder, "rights:Revoke", granted.ID, "")
	f.refused(t, ledgererr.InvalidArgument, "rightId", f.holder, "rights:Revoke", "", "x")
	f.refused(t, ledgererr.NotFound, "", f.holder, "rights:Revoke", "R-none", "x")

	// The grantor of a sublicence revokes it.
	var r model.Right
	f.net.Submit(f.jsUser, "rights:Revoke", sub.ID, "fee unpaid").Unmarshal(t, &r)
	assert.Equal(t, model.RightRevoked, r.Status)
	assert.Equal(t, "fee unpaid", r.StatusReason)
	assert.Equal(t, model.EventRightRevoked, f.lastEvent(t).Name)
	assert.JSONEq(t, `{"rightId":"`+sub.ID+`","assetId":"a1","type":"USE","holderId":"zj.user","status":"REVOKED","parentRightId":"`+granted.ID+`"}`, string(f.lastEvent(t).Payload))
	f.refused(t, ledgererr.Conflict, "", f.jsUser, "rights:Revoke", sub.ID, "again")

	// The exchange's operator revokes any licence over the region's assets.
	f.net.Submit(f.shOp, "rights:Revoke", sub2.ID, "court order").MustOK(t)

	// The holder revokes what it granted; the sublicence left is untouched
	// but no longer usable.
	f.net.Submit(f.holder, "rights:Revoke", granted.ID, "breach").MustOK(t)
	assert.Equal(t, model.RightActive, f.right(t, sub3.ID).Status)
	f.refused(t, ledgererr.Forbidden, "", f.shBuyer, "assets:Derive", "p", "P", "finance", "shanghai", "d", hashOf("p"), "a1", purpose)
}

func TestRevokeNeedsTheLicenseesOrg(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	granted := f.grant(t, f.holder, "a1", "js.user", model.RightUse, scopeWide)
	// The right's key belongs to Jiangsu: Shanghai alone cannot change it.
	before := f.snapshot()
	r := f.net.Invoke(f.holder, callAt(shanghaiMSP, "rights:Revoke", granted.ID, "breach"))
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	assert.Equal(t, before.state, f.snapshot().state)
	r = f.net.Invoke(f.holder, chaincodetest.Call{Function: "rights:Revoke", Args: []string{granted.ID, "breach"}, Endorsers: []string{shanghaiMSP, jiangsuMSP}})
	require.NoError(t, r.Err)
}

func TestTransferHolding(t *testing.T) {
	f := newFixture(t)
	a := f.registerAsset(t, f.holder, "a1")
	licence := f.grant(t, f.holder, "a1", "zj.user", model.RightUse, scopeWide)
	old := a.HoldingRightID

	// The offer moves nothing: the recipient has not agreed yet.
	var offer model.HoldingOffer
	offered := f.net.Submit(f.holder, "rights:TransferHolding", "a1", "js.user", "merger of the data business")
	offered.Unmarshal(t, &offer)
	assert.Equal(t, model.HoldingOffer{AssetID: "a1", HoldingRightID: old, FromID: "sh.holder", FromMSP: shanghaiMSP, ToID: "js.user", ToMSP: jiangsuMSP,
		Reason: "merger of the data business", Status: model.HoldingOffered, OfferedAt: offer.OfferedAt,
		ExpiresAt: state.Format(mustTime(t, offer.OfferedAt).Add(model.HoldingOfferWindow)), TxID: offered.TxID, UpdatedAt: offer.OfferedAt}, offer)
	assert.Equal(t, model.EventHoldingOffered, f.lastEvent(t).Name)
	assert.JSONEq(t, `{"assetId":"a1","fromId":"sh.holder","toId":"js.user","status":"OFFERED","expiresAt":"`+offer.ExpiresAt+`"}`, string(f.lastEvent(t).Payload))
	assert.Equal(t, "sh.holder", f.asset(t, "a1").HolderID)
	assert.Equal(t, "js.user", f.asset(t, "a1").HoldingOfferedTo)
	assert.Equal(t, model.RightActive, f.right(t, old).Status)
	var shown model.HoldingOffer
	f.net.Evaluate(f.ahUser, "rights:GetHoldingOffer", "a1").Unmarshal(t, &shown)
	assert.Equal(t, offer, shown)
	// Each answer to the offer needs both parties' orgs.
	offerKey := key("holding~offer", "a1", old)
	for _, alone := range [][]string{{shanghaiMSP}, {jiangsuMSP}} {
		assert.Error(t, chaincodetest.EvaluatePolicy(mustPolicy(t, f.net.Ledger().ValidationParameter(offerKey)), alone), "%v alone", alone)
	}
	assert.NoError(t, chaincodetest.EvaluatePolicy(mustPolicy(t, f.net.Ledger().ValidationParameter(offerKey)), []string{shanghaiMSP, jiangsuMSP}))

	r := f.net.Submit(f.jsUser, "rights:AcceptHolding", "a1")
	var next model.Right
	r.Unmarshal(t, &next)
	assert.Equal(t, model.RightHolding, next.Type)
	assert.Equal(t, "js.user", next.HolderID)
	assert.Equal(t, jiangsuMSP, next.HolderMSP)
	assert.Equal(t, model.OriginTransfer, next.Origin)
	assert.Equal(t, r.TxID, next.OriginRef)
	assert.Equal(t, "sh.holder", next.GrantorID)
	assert.Equal(t, model.EventHoldingTransferred, f.lastEvent(t).Name)
	assert.JSONEq(t, `{"rightId":"`+next.ID+`","assetId":"a1","type":"HOLDING","holderId":"js.user","status":"ACTIVE","previousRightId":"`+old+`"}`, string(f.lastEvent(t).Payload))

	prev := f.right(t, old)
	assert.Equal(t, model.RightSuperseded, prev.Status)
	assert.Equal(t, next.ID, prev.SupersededBy)
	assert.Equal(t, "merger of the data business", prev.StatusReason)

	got := f.asset(t, "a1")
	assert.Equal(t, "js.user", got.HolderID)
	assert.Empty(t, got.HoldingOfferedTo)
	assert.Nil(t, f.net.Ledger().State(offerKey), "an answered offer is deleted")
	f.refused(t, ledgererr.NotFound, "", f.ahUser, "rights:GetHoldingOffer", "a1")
	assert.Equal(t, jiangsuMSP, got.HolderMSP)
	assert.Equal(t, next.ID, got.HoldingRightID)
	// The exchange that registered the asset still supervises it.
	assert.Equal(t, "shanghai", got.ExchangeRegion)
	// The asset and the new holding belong to the new holder's org.
	assert.Equal(t, "any of "+jiangsuMSP, f.keyPolicy(t, key("asset", "a1")))
	assert.Equal(t, "any of "+jiangsuMSP, f.keyPolicy(t, key("right", next.ID)))

	// Holder indexes follow.
	var page model.AssetPage
	f.net.Evaluate(f.holder, "assets:ListByHolder", "sh.holder", "", "").Unmarshal(t, &page)
	assert.Empty(t, page.Items)
	f.net.Evaluate(f.holder, "assets:ListByHolder", "js.user", "", "").Unmarshal(t, &page)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "a1", page.Items[0].ID)

	// Licences granted by the previous holder stand.
	assert.Equal(t, model.RightActive, f.right(t, licence.ID).Status)
	// The old holder has lost its powers; the new holder has them.
	f.refused(t, ledgererr.Forbidden, "", f.holder, "rights:Grant", "a1", "ah.user", "USE", scopeWide)
	f.refused(t, ledgererr.Forbidden, "", f.holder, "rights:TransferHolding", "a1", "sh.holder2", "back")
	f.refused(t, ledgererr.Forbidden, "", f.holder, "assets:Derive", "p", "P", "finance", "shanghai", "d", hashOf("p"), "a1", purpose)
	f.grant(t, f.jsUser, "a1", "ah.user", model.RightUse, scopeWide)
	// The new holder may revoke the licence its predecessor granted.
	f.net.Submit(f.jsUser, "rights:Revoke", licence.ID, "renegotiation").MustOK(t)

	// A change to the asset endorsed by the old holder's org alone is
	// refused now.
	before := f.snapshot()
	res := f.net.Invoke(f.jsUser, callAt(shanghaiMSP, "rights:TransferHolding", "a1", "sh.holder2", "resale"))
	require.Error(t, res.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", res.ValidationCode)
	assert.Equal(t, before.state, f.snapshot().state)
}

func TestTransferHoldingRefusals(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	f.apply(t, f.holder, "pending")
	f.net.Submit(f.shAdmin, "participants:Suspend", "sh.buyer", "under investigation").MustOK(t)

	f.refused(t, ledgererr.Forbidden, "", f.holder2, "rights:TransferHolding", "a1", "js.user", "gift")
	f.refused(t, ledgererr.Forbidden, "", f.shOp, "rights:TransferHolding", "a1", "js.user", "gift")
	f.refused(t, ledgererr.Conflict, "", f.holder, "rights:TransferHolding", "pending", "js.user", "gift")
	f.refused(t, ledgererr.NotFound, "", f.holder, "rights:TransferHolding", "ghost", "js.user", "gift")
	f.refused(t, ledgererr.NotFound, "", f.holder, "rights:TransferHolding", "a1", "nobody", "gift")
	f.refused(t, ledgererr.Conflict, "", f.holder, "rights:TransferHolding", "a1", "sh.buyer", "gift")
	f.refused(t, ledgererr.InvalidArgument, "newHolderId", f.holder, "rights:TransferHolding", "a1", "sh.holder", "gift")
	f.refused(t, ledgererr.InvalidArgument, "newHolderId", f.holder, "rights:TransferHolding", "a1", "", "gift")
	f.refused(t, ledgererr.InvalidArgument, "reason", f.holder, "rights:TransferHolding", "a1", "js.user", "")
	f.refused(t, ledgererr.InvalidArgument, "assetId", f.holder, "rights:TransferHolding", "a 1", "js.user", "gift")

	// While a trade holds the lock the holding cannot be given away.
	f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
		return assets.LockHolding(ctx, "a1", "trade-1")
	}).MustOK(t)
	f.refused(t, ledgererr.Conflict, "", f.holder, "rights:TransferHolding", "a1", "js.user", "gift")
	f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
		return assets.UnlockHolding(ctx, "a1", "trade-1")
	}).MustOK(t)
	f.net.Submit(f.holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
}

// The exchange revokes rights as a judge, never for itself: an operator
// acting for the enterprise that granted a right (or that holds it) does not
// revoke it through the exchange's power; an impartial operator does.
func TestExchangeDoesNotRevokeInItsOwnCase(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.shOpHold, "a1")
	granted := f.grant(t, f.shOpHold, "a1", "js.user", model.RightUse, scopeWide)
	f.refused(t, ledgererr.Forbidden, "", f.shOpTwin, "rights:Revoke", granted.ID, "we want it back")
	f.registerAsset(t, f.holder, "a2")
	held := f.grant(t, f.holder, "a2", "sh.optwin", model.RightUse, scopeWide)
	f.refused(t, ledgererr.Forbidden, "", f.shOpHold, "rights:Revoke", held.ID, "our own licence, as the exchange")
	f.net.Submit(f.shOp, "rights:Revoke", granted.ID, "breach of scope").MustOK(t)
}

// While the holding is promised to a trade, its holder licenses nothing more:
// the buyer of the holding gets the asset with the encumbrances it saw.
func TestNoLicenceWhileTheHoldingIsPromised(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
		return assets.LockHolding(ctx, "a1", "trade-1")
	}).MustOK(t)
	f.refused(t, ledgererr.Conflict, "", f.holder, "rights:Grant", "a1", "js.user", model.RightUse, scopeWide)
	f.refused(t, ledgererr.Conflict, "", f.holder, "rights:Grant", "a1", "js.user", model.RightOperation, scopeWide)
	res := f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
		_, err := assets.CheckOffer(ctx, participant(t, ctx, "sh.holder"), "a1", model.RightUse, parseScope(t, scopeNoSub, txNow(t, ctx)), txNow(t, ctx))
		return err
	})
	requireCode(t, res, ledgererr.Conflict, "")
	f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
		return assets.UnlockHolding(ctx, "a1", "trade-1")
	}).MustOK(t)
	f.grant(t, f.holder, "a1", "js.user", model.RightUse, scopeWide)
}

// A right past its validUntil reads EXPIRED wherever it is read, and using
// it is refused with one code, FORBIDDEN, whichever path uses it: the
// right does not entitle its holder any more (issue 9: one path answered
// 409, another 403, and the right still read ACTIVE).
func TestAnExpiredRightReadsExpiredAndEntitlesToNothing(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	short := f.grant(t, f.holder, "a1", "js.user", model.RightUse,
		scopeJSON(purpose, []string{"shanghai"}, "", f.net.Now().Add(time.Hour).Format(time.RFC3339), true))
	assert.Equal(t, model.RightActive, f.right(t, short.ID).Status)

	f.net.Advance(2 * time.Hour)
	assert.Equal(t, model.RightExpired, f.right(t, short.ID).Status)
	for _, list := range [][]string{{"rights:ListByHolder", "js.user"}, {"rights:ListByAsset", "a1"}} {
		var page model.RightPage
		f.net.Evaluate(f.jsUser, list[0], list[1], "", "").Unmarshal(t, &page)
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
	f.refused(t, ledgererr.Forbidden, "", f.jsUser, "rights:Sublicense", short.ID, "zj.user",
		scopeJSON(purpose, []string{"shanghai"}, "", f.net.Now().Add(time.Hour).Format(time.RFC3339), false))
	assert.Equal(t, model.RightExpired, f.right(t, short.ID).Status, "the refusal changed nothing")
}
