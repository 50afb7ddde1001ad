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
	a := f.registerAsset(t, f.holder, "a1")
	f.net.Submit(f.holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)

	// The holder, another participant, the exchange, another org's exchange.
	for _, who := range []chaincodetest.Identity{f.holder, f.zjUser, f.shOp, f.jsOp} {
		f.refused(t, ledgererr.Forbidden, "", who, "rights:AcceptHolding", "a1")
		f.refused(t, ledgererr.Forbidden, "", who, "rights:RefuseHolding", "a1", "no")
	}
	f.refused(t, ledgererr.Forbidden, "", f.outsider, "rights:AcceptHolding", "a1")
	// Only the holder withdraws; the recipient refuses instead.
	for _, who := range []chaincodetest.Identity{f.jsUser, f.zjUser, f.shOp} {
		f.refused(t, ledgererr.Forbidden, "", who, "rights:WithdrawHolding", "a1", "no")
	}
	// One offer at a time.
	f.refused(t, ledgererr.Conflict, "", f.holder, "rights:TransferHolding", "a1", "zj.user", "gift")
	// Bad input names its field and changes nothing.
	f.refused(t, ledgererr.InvalidArgument, "assetId", f.jsUser, "rights:AcceptHolding", "a 1")
	f.refused(t, ledgererr.InvalidArgument, "reason", f.jsUser, "rights:RefuseHolding", "a1", "")
	f.refused(t, ledgererr.InvalidArgument, "reason", f.holder, "rights:WithdrawHolding", "a1", "")
	f.refused(t, ledgererr.NotFound, "", f.jsUser, "rights:AcceptHolding", "ghost")

	assert.Equal(t, "sh.holder", f.asset(t, "a1").HolderID)
	assert.Equal(t, a.HoldingRightID, f.asset(t, "a1").HoldingRightID)
	f.net.Submit(f.jsUser, "rights:AcceptHolding", "a1").MustOK(t)
	assert.Equal(t, "js.user", f.asset(t, "a1").HolderID)
	// Accepted once: the offer is gone.
	f.refused(t, ledgererr.NotFound, "", f.jsUser, "rights:AcceptHolding", "a1")
}

// Refused or withdrawn, an offer moves nothing and cannot be accepted
// afterwards; the holder may offer again.
func TestARefusedOrWithdrawnOfferMovesNothing(t *testing.T) {
	f := newFixture(t)
	a := f.registerAsset(t, f.holder, "a1")
	before := f.asset(t, "a1")

	f.net.Submit(f.holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	var refused model.HoldingOffer
	f.net.Submit(f.jsUser, "rights:RefuseHolding", "a1", "we do not want it").Unmarshal(t, &refused)
	assert.Equal(t, model.HoldingRefused, refused.Status)
	assert.Equal(t, "we do not want it", refused.StatusReason)
	assert.Equal(t, model.EventHoldingRefused, f.lastEvent(t).Name)
	f.refused(t, ledgererr.NotFound, "", f.jsUser, "rights:AcceptHolding", "a1")

	f.net.Submit(f.holder, "rights:TransferHolding", "a1", "zj.user", "gift").MustOK(t)
	var withdrawn model.HoldingOffer
	f.net.Submit(f.holder, "rights:WithdrawHolding", "a1", "changed my mind").Unmarshal(t, &withdrawn)
	assert.Equal(t, model.HoldingWithdrawn, withdrawn.Status)
	assert.Equal(t, model.EventHoldingWithdrawn, f.lastEvent(t).Name)
	f.refused(t, ledgererr.NotFound, "", f.zjUser, "rights:AcceptHolding", "a1")

	after := f.asset(t, "a1")
	assert.Equal(t, before.HolderID, after.HolderID)
	assert.Equal(t, a.HoldingRightID, after.HoldingRightID)
	assert.Empty(t, after.HoldingOfferedTo)
	assert.Equal(t, model.RightActive, f.right(t, a.HoldingRightID).Status)
}

// The deadline is judged by the endorsing peers' clocks: the recipient
// cannot accept late, not even by stamping its acceptance before the
// deadline; the holder cannot stretch the window by stamping its offer in
// the future. An expired offer makes way for a new one.
func TestAnOfferExpiresByThePeersClocks(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")

	// The holder stamps its offer a day ahead, to give the recipient eight.
	f.net.Advance(24 * time.Hour)
	wall := f.net.Now().Add(-24 * time.Hour)
	state.PeerClock = func() time.Time { return wall }
	f.refusedWith(t, ledgererr.Forbidden, "this peer's clock says", f.holder, "rights:TransferHolding", "a1", "js.user", "gift")
	state.PeerClock = f.net.Now

	var offer model.HoldingOffer
	f.net.Submit(f.holder, "rights:TransferHolding", "a1", "js.user", "gift").Unmarshal(t, &offer)
	f.net.Advance(model.HoldingOfferWindow)
	f.refusedWith(t, ledgererr.Conflict, "expired", f.jsUser, "rights:AcceptHolding", "a1")

	// A day late, the recipient stamps its acceptance a minute before the
	// deadline; every honest peer's clock says otherwise.
	f.net.Advance(24 * time.Hour)
	late := f.net.Now()
	state.PeerClock = func() time.Time { return late }
	f.net.Advance(mustTime(t, offer.ExpiresAt).Add(-time.Minute).Sub(f.net.Now()))
	f.refusedWith(t, ledgererr.Forbidden, "this peer's clock says", f.jsUser, "rights:AcceptHolding", "a1")
	f.net.Advance(late.Sub(f.net.Now()))
	state.PeerClock = f.net.Now
	assert.Equal(t, "sh.holder", f.asset(t, "a1").HolderID)

	// Expired, the offer gives way to a new one, which is accepted in time.
	f.net.Submit(f.holder, "rights:TransferHolding", "a1", "zj.user", "gift").MustOK(t)
	f.refused(t, ledgererr.Forbidden, "", f.jsUser, "rights:AcceptHolding", "a1")
	f.net.Advance(model.HoldingOfferWindow - time.Minute)
	f.net.Submit(f.zjUser, "rights:AcceptHolding", "a1").MustOK(t)
	assert.Equal(t, "zj.user", f.asset(t, "a1").HolderID)
}

// An offer stands only for the holding it offered: promised to a trade
// meanwhile, it cannot be accepted; sold in a trade, it is void, and the
// buyer's holding is free of it.
func TestAnOfferStandsOnlyForTheHoldingOffered(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	f.net.Submit(f.holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)

	f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
		return assets.LockHolding(ctx, "a1", "trade-1")
	}).MustOK(t)
	f.refusedWith(t, ledgererr.Conflict, "promised to trade", f.jsUser, "rights:AcceptHolding", "a1")

	f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
		_, err := assets.Convey(ctx, participant(t, ctx, "sh.holder"), participant(t, ctx, "ah.user"), "a1", model.RightHolding, model.Scope{}, "trade-1", txNow(t, ctx))
		return err
	}).MustOK(t)
	sold := f.asset(t, "a1")
	assert.Equal(t, "ah.user", sold.HolderID)
	assert.Empty(t, sold.HoldingOfferedTo)
	f.refused(t, ledgererr.NotFound, "", f.jsUser, "rights:AcceptHolding", "a1")
	f.refused(t, ledgererr.NotFound, "", f.ahUser, "rights:GetHoldingOffer", "a1")
	// The buyer offers its holding without anyone else's say.
	f.net.Submit(f.ahUser, "rights:TransferHolding", "a1", "zj.user", "resale").MustOK(t)
}

// An offer needs the holder's org: another org's peers cannot vouch for an
// offer of a holding that is not theirs, which the recipient could then
// accept.
func TestAnOfferNeedsTheHoldersOrg(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	before := f.snapshot()
	res := f.net.Invoke(f.holder, callAt(jiangsuMSP, "rights:TransferHolding", "a1", "js.user", "gift"))
	require.Error(t, res.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", res.ValidationCode)
	assert.Equal(t, before.state, f.snapshot().state)

	// The acceptance needs the holder's org too.
	f.net.Submit(f.holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	before = f.snapshot()
	res = f.net.Invoke(f.jsUser, callAt(jiangsuMSP, "rights:AcceptHolding", "a1"))
	require.Error(t, res.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", res.ValidationCode)
	assert.Equal(t, before.state, f.snapshot().state)
}

// refusedWith is refused for a refusal whose message says why.
func (f *fixture) refusedWith(t *testing.T, code ledgererr.Code, says string, who chaincodetest.Identity, function string, args ...string) {
	t.Helper()
	before := f.snapshot()
	r := f.net.Submit(who, function, args...)
	requireCode(t, r, code, "")
	assert.Contains(t, r.Message, says)
	assert.Equal(t, before, f.snapshot(), "a refused call must write nothing")
}
