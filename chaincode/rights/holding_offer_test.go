package rights_test

import (
	"slices"
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/peerclock"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(state.TimeLayout, s)
	require.NoError(t, err)
	return at
}

// A holding moves outside a trade only when its recipient accepts: nobody
// else answers for the recipient, and the holder cannot answer its own
// offer.
func TestOnlyTheRecipientTakesAnOfferedHolding(t *testing.T) {
	f := newFixture(t)
	a := f.RegisterAsset(t, f.Holder, "a1")
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)

	// The holder, another participant, the exchange, another org's exchange.
	for _, who := range []chaincodetest.Identity{f.Holder, f.ZjUser, f.ShOp, f.JsOp} {
		f.Refused(t, ledgererr.Forbidden, "", who, "rights:AcceptHolding", "a1")
		f.Refused(t, ledgererr.Forbidden, "", who, "rights:RefuseHolding", "a1", "no")
	}
	f.Refused(t, ledgererr.Forbidden, "", f.Outsider, "rights:AcceptHolding", "a1")
	// Only the holder withdraws; the recipient refuses instead.
	for _, who := range []chaincodetest.Identity{f.JsUser, f.ZjUser, f.ShOp} {
		f.Refused(t, ledgererr.Forbidden, "", who, "rights:WithdrawHolding", "a1", "no")
	}
	// One offer at a time.
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:TransferHolding", "a1", "zj.user", "gift")
	// Bad input names its field and changes nothing.
	f.Refused(t, ledgererr.InvalidArgument, "assetId", f.JsUser, "rights:AcceptHolding", "a 1")
	f.Refused(t, ledgererr.InvalidArgument, "reason", f.JsUser, "rights:RefuseHolding", "a1", "")
	f.Refused(t, ledgererr.InvalidArgument, "reason", f.Holder, "rights:WithdrawHolding", "a1", "")
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:AcceptHolding", "ghost")

	assert.Equal(t, "sh.holder", f.Asset(t, "a1").HolderID)
	assert.Equal(t, a.HoldingRightID, f.Asset(t, "a1").HoldingRightID)
	f.Net.Submit(f.JsUser, "rights:AcceptHolding", "a1").MustOK(t)
	assert.Equal(t, "js.user", f.Asset(t, "a1").HolderID)
	// Accepted once: the offer is gone.
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:AcceptHolding", "a1")
}

// Refused or withdrawn, an offer moves nothing and cannot be accepted
// afterwards; the holder may offer again.
func TestARefusedOrWithdrawnOfferMovesNothing(t *testing.T) {
	f := newFixture(t)
	a := f.RegisterAsset(t, f.Holder, "a1")
	before := f.Asset(t, "a1")

	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	var refused model.HoldingOffer
	f.Net.Submit(f.JsUser, "rights:RefuseHolding", "a1", "we do not want it").Unmarshal(t, &refused)
	assert.Equal(t, model.HoldingRefused, refused.Status)
	assert.Equal(t, "we do not want it", refused.StatusReason)
	assert.Equal(t, model.EventHoldingRefused, f.LastEvent(t).Name)
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:AcceptHolding", "a1")

	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "zj.user", "gift").MustOK(t)
	var withdrawn model.HoldingOffer
	f.Net.Submit(f.Holder, "rights:WithdrawHolding", "a1", "changed my mind").Unmarshal(t, &withdrawn)
	assert.Equal(t, model.HoldingWithdrawn, withdrawn.Status)
	assert.Equal(t, model.EventHoldingWithdrawn, f.LastEvent(t).Name)
	f.Refused(t, ledgererr.NotFound, "", f.ZjUser, "rights:AcceptHolding", "a1")

	after := f.Asset(t, "a1")
	assert.Equal(t, before.HolderID, after.HolderID)
	assert.Equal(t, a.HoldingRightID, after.HoldingRightID)
	assert.Empty(t, after.HoldingOfferedTo)
	assert.Equal(t, model.RightActive, f.Right(t, a.HoldingRightID).Status)
}

// The deadline is judged by the endorsing peers' clocks: the recipient
// cannot accept late, not even by stamping its acceptance before the
// deadline; the holder cannot stretch the window by stamping its offer in
// the future. An expired offer makes way for a new one.
func TestAnOfferExpiresByThePeersClocks(t *testing.T) {
	f := withAsset(t)

	// The holder stamps its offer a day ahead, to give the recipient eight.
	f.Net.Advance(24 * time.Hour)
	wall := f.Net.Now().Add(-24 * time.Hour)
	peerclock.Now = func() time.Time { return wall }
	f.refusedSkewed(t, f.Holder, "rights:TransferHolding", "a1", "js.user", "gift")
	peerclock.Now = f.Net.Now

	var offer model.HoldingOffer
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").Unmarshal(t, &offer)
	f.Net.Advance(model.OfferWindow)
	f.refusedWith(t, ledgererr.Conflict, "expired", f.JsUser, "rights:AcceptHolding", "a1")

	// A day late, the recipient stamps its acceptance a minute before the
	// deadline; every honest peer's clock says otherwise.
	f.Net.Advance(24 * time.Hour)
	late := f.Net.Now()
	peerclock.Now = func() time.Time { return late }
	f.Net.Advance(mustTime(t, offer.ExpiresAt).Add(-time.Minute).Sub(f.Net.Now()))
	f.refusedSkewed(t, f.JsUser, "rights:AcceptHolding", "a1")
	f.Net.Advance(late.Sub(f.Net.Now()))
	peerclock.Now = f.Net.Now
	assert.Equal(t, "sh.holder", f.Asset(t, "a1").HolderID)

	// Expired, the offer gives way to a new one, which is accepted in time.
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "zj.user", "gift").MustOK(t)
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:AcceptHolding", "a1")
	f.Net.Advance(model.OfferWindow - time.Minute)
	f.Net.Submit(f.ZjUser, "rights:AcceptHolding", "a1").MustOK(t)
	assert.Equal(t, "zj.user", f.Asset(t, "a1").HolderID)
}

// An offer stands only for the holding it offered: promised to a trade
// meanwhile, it cannot be accepted; sold in a trade, it is void, and the
// buyer's holding is free of it.
func TestAnOfferStandsOnlyForTheHoldingOffered(t *testing.T) {
	f := withAsset(t)
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)

	f.lockHolding(t, "a1", "trade-1")
	f.refusedWith(t, ledgererr.Conflict, "promised to a trade", f.JsUser, "rights:AcceptHolding", "a1")

	f.InTx(f.Holder, func(ctx *contractapi.TransactionContext) error {
		_, err := rights.Convey(ctx, registertest.Participant(t, ctx, "sh.holder"), registertest.Participant(t, ctx, "ah.user"), "a1", model.RightHolding, model.Scope{}, "trade-1", registertest.TxNow(t, ctx))
		return err
	}).MustOK(t)
	sold := f.Asset(t, "a1")
	assert.Equal(t, "ah.user", sold.HolderID)
	assert.Empty(t, sold.HoldingOfferedTo)
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:AcceptHolding", "a1")
	f.Refused(t, ledgererr.NotFound, "", f.AhUser, "rights:GetHoldingOffer", "a1")
	// The buyer offers its holding without anyone else's say.
	f.Net.Submit(f.AhUser, "rights:TransferHolding", "a1", "zj.user", "resale").MustOK(t)
}

// An offer needs the holder's org: another org's peers cannot vouch for an
// offer of a holding that is not theirs, which the recipient could then
// accept.
func TestAnOfferNeedsTheHoldersOrg(t *testing.T) {
	f := withAsset(t)
	before := f.Snapshot()
	res := f.Net.Invoke(f.Holder, registertest.CallAt(registertest.JiangsuMSP, "rights:TransferHolding", "a1", "js.user", "gift"))
	require.Error(t, res.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", res.ValidationCode)
	assert.Equal(t, before.State, f.Snapshot().State)

	// The acceptance needs the holder's org too.
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	before = f.Snapshot()
	res = f.Net.Invoke(f.JsUser, registertest.CallAt(registertest.JiangsuMSP, "rights:AcceptHolding", "a1"))
	require.Error(t, res.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", res.ValidationCode)
	assert.Equal(t, before.State, f.Snapshot().State)
}

// refusedSkewed is refused because its timestamp is too far from the peers'
// clock, and writes nothing.
func (f *fixture) refusedSkewed(t *testing.T, who chaincodetest.Identity, function string, args ...string) {
	t.Helper()
	before := f.Snapshot()
	r := f.Net.Submit(who, function, args...)
	registertest.RequireCode(t, r, ledgererr.InvalidArgument, state.TimestampField)
	assert.Equal(t, before, f.Snapshot(), "a refused call must write nothing")
}

// refusedWith is refused for a refusal whose message says why.
func (f *fixture) refusedWith(t *testing.T, code ledgererr.Code, says string, who chaincodetest.Identity, function string, args ...string) {
	t.Helper()
	before := f.Snapshot()
	r := f.Net.Submit(who, function, args...)
	registertest.RequireCode(t, r, code, "")
	assert.Contains(t, r.Message, says)
	assert.Equal(t, before, f.Snapshot(), "a refused call must write nothing")
}

// A holding that moved on is no longer its former holder's: processing the
// asset (MayProcess) reads it no more, however often the asset went back
// and forth, while ListByHolder still lists it as SUPERSEDED.
func TestAFormerHoldingIsReadNoMore(t *testing.T) {
	f := newFixture(t)
	first := f.RegisterAsset(t, f.Holder, "a1").HoldingRightID
	var former []string
	for range 3 {
		f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
		f.Net.Submit(f.JsUser, "rights:AcceptHolding", "a1").MustOK(t)
		former = append(former, f.Asset(t, "a1").HoldingRightID)
		f.Net.Submit(f.JsUser, "rights:TransferHolding", "a1", "sh.holder", "back").MustOK(t)
		f.Net.Submit(f.Holder, "rights:AcceptHolding", "a1").MustOK(t)
	}
	refusal, read := mayProcess(t, f, f.JsUser, "js.user")
	assert.Empty(t, read, "js.user holds no right over a1")
	assert.Contains(t, refusal, "neither holds it nor holds a usable USE right")
	for _, id := range former {
		assert.NotContains(t, refusal, id)
	}

	var listed []string
	for _, r := range listedByHolder(t, f, "js.user") {
		listed = append(listed, r.ID+" "+r.Status)
	}
	want := []string{}
	for _, id := range former {
		want = append(want, id+" "+model.RightSuperseded)
	}
	slices.Sort(want)
	assert.Equal(t, want, listed)
	assert.Equal(t, model.RightSuperseded, f.Right(t, first).Status)
}

// An offer of the holding answered while the holding is locked to a trade
// writes the asset under a majority of the orgs: no write while locked
// gives the asset, and its lock, to the holder's org alone.
func TestAnOfferEndedWhileLockedLeavesTheAssetToAMajority(t *testing.T) {
	f := withAsset(t)
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	f.lockHolding(t, "a1", "trade-1")
	f.Net.Submit(f.Holder, "rights:WithdrawHolding", "a1", "changed my mind").MustOK(t)
	policy := registertest.MustPolicy(t, f.Net.Ledger().ValidationParameter(chaincodetest.Key("asset", "a1")))
	assert.Error(t, chaincodetest.EvaluatePolicy(policy, []string{registertest.ShanghaiMSP}), "the holder's org alone")
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("asset", "a1")))
	assert.Empty(t, f.Asset(t, "a1").HoldingOfferedTo)
	assert.Equal(t, "trade-1", f.Asset(t, "a1").HoldingLockedBy)
}
