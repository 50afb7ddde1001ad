package rights_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A grant is an offer: the right is OFFERED, entitles nothing, and becomes
// ACTIVE only when its grantee accepts it, in a transaction its own org
// endorses.
func TestAGrantIsAnOfferTheGranteeAccepts(t *testing.T) {
	f := withAsset(t)
	offered := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	assert.Equal(t, model.EventRightGranted, f.LastEvent(t).Name)
	assert.Equal(t, model.RightOffered, f.Right(t, offered.ID).Status)

	// Offered, it entitles nothing: it cannot be licensed on.
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Sublicense", offered.ID, "zj.user", registertest.ScopeNarrow)

	var accepted model.Right
	r := f.Net.Submit(f.JsUser, "rights:Accept", offered.ID)
	r.Unmarshal(t, &accepted)
	assert.Equal(t, model.RightActive, accepted.Status)
	assert.NotEmpty(t, accepted.AcceptedAt)
	assert.Equal(t, accepted.AcceptedAt, accepted.UpdatedAt)
	assert.Equal(t, offered.IssuedAt, accepted.IssuedAt)
	assert.Equal(t, offered.Scope, accepted.Scope, "an acceptance takes the right as offered")
	assert.Equal(t, model.EventRightAccepted, f.LastEvent(t).Name)
	assert.JSONEq(t, `{"rightId":"`+offered.ID+`","assetId":"a1","type":"USE","holderId":"js.user","status":"ACTIVE"}`, string(f.LastEvent(t).Payload))
	assert.Equal(t, accepted, *f.Right(t, offered.ID))
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("right", offered.ID)))

	// Accepted, it entitles: it is licensed on, as an offer the next grantee accepts.
	sub := f.offerSublicence(t, f.JsUser, offered.ID, "zj.user", registertest.ScopeNarrow)
	assert.Equal(t, model.EventRightSublicensed, f.LastEvent(t).Name)
	f.Accept(t, sub.ID)

	// An answered offer is answered once.
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Accept", offered.ID)
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Decline", offered.ID, "changed my mind")
}

// Nobody answers an offer for its grantee: not the grantor, not the
// exchange, not another participant nor an identity never registered.
// (The regulator, which changes nothing, is refused in the authorisation
// matrix, chaincode/contracts.)
func TestOnlyTheGranteeAnswersAnOffer(t *testing.T) {
	f := withAsset(t)
	offered := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	sub := f.offerSublicence(t, f.ZjUser, f.Grant(t, f.Holder, "a1", "zj.user", model.RightUse, registertest.ScopeWide).ID, "js.user", registertest.ScopeNarrow)
	for _, id := range []string{offered.ID, sub.ID} {
		// The holder (the grant's grantor), the sublicence's grantor, both exchanges, a stranger to both, one never registered.
		for _, who := range []chaincodetest.Identity{f.Holder, f.ZjUser, f.ShOp, f.JsOp, f.AhUser, f.Outsider} {
			f.Refused(t, ledgererr.Forbidden, "", who, "rights:Accept", id)
			f.Refused(t, ledgererr.Forbidden, "", who, "rights:Decline", id, "not wanted")
		}
	}
	f.Refused(t, ledgererr.InvalidArgument, "rightId", f.JsUser, "rights:Accept", "")
	f.Refused(t, ledgererr.InvalidArgument, "rightId", f.JsUser, "rights:Decline", "", "no")
	f.Refused(t, ledgererr.InvalidArgument, "reason", f.JsUser, "rights:Decline", offered.ID, " ")
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:Accept", "R-ghost-1")
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:Decline", "R-ghost-1", "no")
	// A right that was never offered is not accepted: a holding, an ACTIVE licence.
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Accept", f.Asset(t, "a1").HoldingRightID)
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:Accept", f.Asset(t, "a1").HoldingRightID)
}

// A declined offer entitled nothing and never will: it reads DECLINED with
// its reason, stays in its grantee's list after the rights it holds, and its
// term will not show as an expiry in the asset's history.
func TestTheGranteeDeclinesAnOffer(t *testing.T) {
	f := withAsset(t)
	f.RegisterAsset(t, f.Holder, "a2")
	held := f.Grant(t, f.Holder, "a2", "js.user", model.RightUse, registertest.ScopeNarrow)
	offered := f.Offer(t, f.Holder, "a1", "js.user", model.RightOperation, registertest.ScopeWide)

	// An ACTIVE right is renounced, not declined; an offer declined, not renounced.
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Decline", held.ID, "no")
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Renounce", offered.ID)
	r := f.Net.Submit(f.JsUser, "rights:Renounce", offered.ID)
	assert.Contains(t, r.Message, "Decline")

	var declined model.Right
	f.Net.Submit(f.JsUser, "rights:Decline", offered.ID, "never asked for it").Unmarshal(t, &declined)
	assert.Equal(t, model.RightDeclined, declined.Status)
	assert.Equal(t, "never asked for it", declined.StatusReason)
	assert.Empty(t, declined.AcceptedAt)
	assert.Equal(t, model.EventRightDeclined, f.LastEvent(t).Name)
	assert.JSONEq(t, `{"rightId":"`+offered.ID+`","assetId":"a1","type":"OPERATION","holderId":"js.user","status":"DECLINED"}`, string(f.LastEvent(t).Payload))
	assert.Equal(t, model.RightDeclined, f.Right(t, offered.ID).Status)

	// Listed after the rights it holds, even over an asset whose ID sorts
	// later: its entry moved out of those rightsOver reads.
	var ids []string
	for _, r := range listedByHolder(t, f, "js.user") {
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []string{held.ID, offered.ID}, ids)

	var actions []string
	f.Net.Advance(2 * 365 * 24 * time.Hour)
	for _, e := range assetHistory(t, f, "a1") {
		if e.RightID == offered.ID {
			actions = append(actions, e.Action)
		}
	}
	assert.Equal(t, []string{model.ActionGranted, model.ActionDeclined}, actions, "a declined offer does not expire later")
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Accept", offered.ID)
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:Revoke", offered.ID, "too late")
}

// The grantor withdraws an offer its grantee has not answered (Revoke), as
// may the impartial exchange; the grantee cannot then accept it.
func TestAnOfferIsWithdrawnByRevocation(t *testing.T) {
	f := withAsset(t)
	first := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	second := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)

	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Revoke", first.ID, "mine to withdraw")
	f.Refused(t, ledgererr.Forbidden, "", f.ZjUser, "rights:Revoke", first.ID, "not mine")
	var withdrawn model.Right
	f.Net.Submit(f.Holder, "rights:Revoke", first.ID, "offered in error").Unmarshal(t, &withdrawn)
	assert.Equal(t, model.RightRevoked, withdrawn.Status)
	assert.Equal(t, model.EventRightRevoked, f.LastEvent(t).Name)
	f.Net.Submit(f.ShOp, "rights:Revoke", second.ID, "disputed dataset").MustOK(t)
	for _, id := range []string{first.ID, second.ID} {
		f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Accept", id)
		f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Decline", id, "no")
	}
}

// An offer is accepted only while it still stands: its grantor still holds
// the asset, the holding is promised to no trade, the parent of a
// sublicence is still usable and sublicensable, the grantor is still
// active, and the term has not ended.
func TestAnOfferIsAcceptedOnlyWhileItStands(t *testing.T) {
	t.Run("the holding moved", func(t *testing.T) {
		f := newFixture(t)
		f.RegisterAsset(t, f.Holder, "a1")
		offered := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
		f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "zj.user", "merger").MustOK(t)
		f.Net.Submit(f.ZjUser, "rights:AcceptHolding", "a1").MustOK(t)
		f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Accept", offered.ID)
		// It may still be declined.
		f.Net.Submit(f.JsUser, "rights:Decline", offered.ID, "the grantor no longer holds it").MustOK(t)
	})
	t.Run("the holding is promised to a trade", func(t *testing.T) {
		f := newFixture(t)
		f.RegisterAsset(t, f.Holder, "a1")
		offered := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
		f.lockHolding(t, "a1", "trade-1")
		f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Accept", offered.ID)
		f.unlockHolding(t, "a1", "trade-1")
		f.Accept(t, offered.ID)
	})
	t.Run("the grantor was suspended", func(t *testing.T) {
		f := newFixture(t)
		f.RegisterAsset(t, f.Holder, "a1")
		offered := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
		f.Net.Submit(f.ShAdmin, "participants:Suspend", "sh.holder", "under investigation").MustOK(t)
		f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Accept", offered.ID)
	})
	t.Run("the term ended", func(t *testing.T) {
		f := newFixture(t)
		f.RegisterAsset(t, f.Holder, "a1")
		offered := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse,
			registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", f.Net.Now().Add(time.Hour).Format(time.RFC3339), false))
		f.Net.Advance(2 * time.Hour)
		assert.Equal(t, model.RightExpired, f.Right(t, offered.ID).Status, "an offer past its term reads EXPIRED")
		f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Accept", offered.ID)
	})
	for _, end := range []struct {
		name string
		end  func(f *fixture, parentID string)
	}{
		{"the parent was revoked", func(f *fixture, parentID string) {
			f.Net.Submit(f.Holder, "rights:Revoke", parentID, "breach").MustOK(t)
		}},
		{"the parent was renounced", func(f *fixture, parentID string) {
			f.Net.Submit(f.JsUser, "rights:Renounce", parentID).MustOK(t)
		}},
	} {
		t.Run(end.name, func(t *testing.T) {
			f := newFixture(t)
			f.RegisterAsset(t, f.Holder, "a1")
			parent := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
			sub := f.offerSublicence(t, f.JsUser, parent.ID, "zj.user", registertest.ScopeNarrow)
			end.end(f, parent.ID)
			f.Refused(t, ledgererr.Conflict, "", f.ZjUser, "rights:Accept", sub.ID)
		})
	}
	t.Run("the parent's term ended", func(t *testing.T) {
		f := newFixture(t)
		f.RegisterAsset(t, f.Holder, "a1")
		until := f.Net.Now().Add(time.Hour).Format(time.RFC3339)
		parent := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", until, true))
		sub := f.offerSublicence(t, f.JsUser, parent.ID, "zj.user", registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", until, false))
		f.Net.Advance(2 * time.Hour)
		f.Refused(t, ledgererr.Conflict, "", f.ZjUser, "rights:Accept", sub.ID)
	})
}

// The grantee's org endorses its answer: the right's key is its.
// An answer to an offer needs a majority of the orgs: neither the
// grantee's nor the grantor's org answers alone, and the grantor's org
// cannot keep its grantee from accepting by staying out.
func TestAnAnswerNeedsAMajorityNotTheGrantorsOrg(t *testing.T) {
	f := withAsset(t)
	offered := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	for _, call := range []chaincodetest.Call{
		registertest.CallAt(registertest.JiangsuMSP, "rights:Accept", offered.ID),
		registertest.CallAt(registertest.JiangsuMSP, "rights:Decline", offered.ID, "no"),
		registertest.CallAt(registertest.ShanghaiMSP, "rights:Accept", offered.ID),
	} {
		before := f.Snapshot()
		r := f.Net.Invoke(f.JsUser, call)
		require.Error(t, r.Err)
		assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode, "the validator refuses a change to a right one org endorsed alone")
		assert.Equal(t, before.State, f.Snapshot().State)
	}
	r := f.Net.Invoke(f.JsUser, chaincodetest.Call{Function: "rights:Accept", Args: []string{offered.ID},
		Endorsers: []string{registertest.JiangsuMSP, registertest.ZhejiangMSP, registertest.AnhuiMSP}})
	require.NoError(t, r.Err)
	assert.Equal(t, model.RightActive, f.Right(t, offered.ID).Status)
}
