package rights_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestCheckOffer(t *testing.T) {
	f := withAsset(t)
	f.Apply(t, f.Holder, "pending")
	f.Grant(t, f.Holder, "a1", "js.user", model.RightOperation, registertest.ScopeWide)
	f.Grant(t, f.Holder, "a1", "zj.user", model.RightOperation, registertest.ScopeNoSub)
	f.Grant(t, f.Holder, "a1", "ah.user", model.RightUse, registertest.ScopeWide)

	f.InTx(f.Holder, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		holder, js, zj, ah := registertest.Participant(t, ctx, "sh.holder"), registertest.Participant(t, ctx, "js.user"), registertest.Participant(t, ctx, "zj.user"), registertest.Participant(t, ctx, "ah.user")
		narrow, wide := registertest.ParseScope(t, registertest.ScopeNarrow, now), registertest.ParseScope(t, registertest.ScopeWide, now)

		// The holder offers anything over a registered asset.
		for _, rt := range []string{model.RightHolding, model.RightUse, model.RightOperation} {
			a, err := rights.CheckOffer(ctx, holder, "a1", rt, wide, now)
			require.NoError(t, err, rt)
			assert.Equal(t, "a1", a.ID)
		}
		// A sublicensable OPERATION right entitles offering covered scopes.
		_, err := rights.CheckOffer(ctx, js, "a1", model.RightUse, narrow, now)
		assert.NoError(t, err)
		_, err = rights.CheckOffer(ctx, js, "a1", model.RightOperation, wide, now)
		assert.NoError(t, err)

		_, err = rights.CheckOffer(ctx, js, "a1", model.RightUse, registertest.ParseScope(t, registertest.ScopeJSON(registertest.Purpose, []string{"anhui"}, "", registertest.YearEnd, false), now), now)
		registertest.RequireErrCode(t, err, ledgererr.InvalidArgument, "scope.regions")
		_, err = rights.CheckOffer(ctx, js, "a1", model.RightHolding, model.Scope{}, now)
		registertest.RequireErrCode(t, err, ledgererr.Forbidden, "")
		_, err = rights.CheckOffer(ctx, zj, "a1", model.RightUse, narrow, now) // may not sublicense
		registertest.RequireErrCode(t, err, ledgererr.Forbidden, "")
		_, err = rights.CheckOffer(ctx, ah, "a1", model.RightUse, narrow, now) // a USE right does not entitle selling
		registertest.RequireErrCode(t, err, ledgererr.Forbidden, "")
		_, err = rights.CheckOffer(ctx, holder, "pending", model.RightUse, narrow, now)
		registertest.RequireErrCode(t, err, ledgererr.Conflict, "")
		_, err = rights.CheckOffer(ctx, holder, "ghost", model.RightUse, narrow, now)
		registertest.RequireErrCode(t, err, ledgererr.NotFound, "")
		_, err = rights.CheckOffer(ctx, holder, "a1", "LEASE", narrow, now)
		registertest.RequireErrCode(t, err, ledgererr.InvalidArgument, "rightType")
		// After the OPERATION right's term it entitles nothing.
		_, err = rights.CheckOffer(ctx, js, "a1", model.RightUse, narrow, now.AddDate(2, 0, 0))
		registertest.RequireErrCode(t, err, ledgererr.Forbidden, "")
		return nil
	}).MustOK(t)
}

func TestConveyLicence(t *testing.T) {
	f := withAsset(t)
	op := f.Grant(t, f.Holder, "a1", "js.user", model.RightOperation, registertest.ScopeWide)

	// The holder sells a licence.
	var sold *model.Right
	r := f.InTx(f.Holder, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		var err error
		sold, err = rights.Convey(ctx, registertest.Participant(t, ctx, "sh.holder"), registertest.Participant(t, ctx, "zj.user"), "a1", model.RightUse, registertest.ParseScope(t, registertest.ScopeNarrow, now), "trade-1", now)
		return err
	}).MustOK(t)
	assert.Nil(t, r.Event, "Convey emits no event: the trade function does")
	got := f.StoredRight(t, sold.ID)
	assert.Equal(t, "R-"+r.TxID[:20]+"-1", got.ID)
	assert.Equal(t, issue{Type: model.RightUse, HolderID: "zj.user", HolderMSP: registertest.ZhejiangMSP,
		Origin: model.OriginTrade, OriginRef: "trade-1", GrantorID: "sh.holder"}, issueOf(got))
	assert.Empty(t, f.Right(t, sold.ID).OriginRef, "the answer names the trade to no one who may not read trade-1, which is none of the ledger's")
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("right", got.ID)))

	// An OPERATION-right holder sells under its right, which becomes the
	// parent of the buyer's.
	f.InTx(f.JsUser, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		var err error
		sold, err = rights.Convey(ctx, registertest.Participant(t, ctx, "js.user"), registertest.Participant(t, ctx, "ah.user"), "a1", model.RightUse, registertest.ParseScope(t, registertest.ScopeNarrow, now), "trade-2", now)
		return err
	}).MustOK(t)
	got = f.Right(t, sold.ID)
	assert.Equal(t, op.ID, got.ParentRightID)
	assert.Equal(t, "js.user", got.GrantorID)

	// A right bought in a trade is revoked only by the exchange.
	f.Refused(t, ledgererr.Forbidden, "", f.Holder, "rights:Revoke", got.ID, "changed my mind")
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Revoke", got.ID, "changed my mind")
	f.Net.Submit(f.ShOp, "rights:Revoke", got.ID, "dispute resolved for the seller").MustOK(t)

	// Refusals write nothing.
	before := f.Snapshot()
	res := f.InTx(f.ZjUser, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		_, err := rights.Convey(ctx, registertest.Participant(t, ctx, "zj.user"), registertest.Participant(t, ctx, "ah.user"), "a1", model.RightUse, registertest.ParseScope(t, registertest.ScopeNarrow, now), "trade-3", now)
		registertest.RequireErrCode(t, err, ledgererr.Forbidden, "")
		_, err = rights.Convey(ctx, registertest.Participant(t, ctx, "sh.holder"), registertest.Participant(t, ctx, "sh.holder"), "a1", model.RightUse, registertest.ParseScope(t, registertest.ScopeNarrow, now), "trade-3", now)
		registertest.RequireErrCode(t, err, ledgererr.Conflict, "")
		_, err = rights.Convey(ctx, registertest.Participant(t, ctx, "sh.holder"), registertest.Participant(t, ctx, "ah.user"), "a1", model.RightUse, registertest.ParseScope(t, registertest.ScopeNarrow, now), "bad trade", now)
		registertest.RequireErrCode(t, err, ledgererr.InvalidArgument, "tradeId")
		return err
	})
	require.Error(t, res.Err)
	assert.Equal(t, before, f.Snapshot())
}

func TestConveyHolding(t *testing.T) {
	f := newFixture(t)
	a := f.RegisterAsset(t, f.Holder, "a1")

	lock := func(trade string) error {
		var err error
		f.InTx(f.Holder, func(ctx *contractapi.TransactionContext) error {
			err = rights.LockHolding(ctx, "a1", trade)
			return err
		})
		return err
	}
	require.NoError(t, lock("trade-1"))
	assert.Equal(t, "trade-1", f.Asset(t, "a1").HoldingLockedBy)
	// Locked, the asset's key needs a majority of the orgs: neither the
	// holder's nor the buyer's org, nor the two, clear the lock alone, and
	// no majority needs the buyer's org.
	policy := registertest.MustPolicy(t, f.Net.Ledger().ValidationParameter(chaincodetest.Key("asset", "a1")))
	assert.Error(t, chaincodetest.EvaluatePolicy(policy, []string{registertest.ShanghaiMSP}), "the holder's org alone")
	assert.Error(t, chaincodetest.EvaluatePolicy(policy, []string{registertest.AnhuiMSP}), "the buyer's org alone")
	assert.Error(t, chaincodetest.EvaluatePolicy(policy, []string{registertest.ShanghaiMSP, registertest.AnhuiMSP}), "the two")
	assert.NoError(t, chaincodetest.EvaluatePolicy(policy, []string{registertest.ShanghaiMSP, registertest.JiangsuMSP, registertest.ZhejiangMSP}))
	require.NoError(t, lock("trade-1"), "locking again for the same trade changes nothing")
	registertest.RequireErrCode(t, lock("trade-2"), ledgererr.Conflict, "")

	convey := func(trade string) (*model.Right, error) {
		var right *model.Right
		var err error
		f.InTx(f.Holder, func(ctx *contractapi.TransactionContext) error {
			now := registertest.TxNow(t, ctx)
			right, err = rights.Convey(ctx, registertest.Participant(t, ctx, "sh.holder"), registertest.Participant(t, ctx, "ah.user"), "a1", model.RightHolding, model.Scope{}, trade, now)
			return err
		})
		return right, err
	}
	// Another trade cannot take the promised holding.
	_, err := convey("trade-2")
	registertest.RequireErrCode(t, err, ledgererr.Conflict, "")

	next, err := convey("trade-1")
	require.NoError(t, err)
	assert.Equal(t, model.RightHolding, next.Type)
	assert.Equal(t, model.OriginTrade, next.Origin)
	assert.Equal(t, "trade-1", next.OriginRef)
	assert.Equal(t, model.HoldingPurpose, next.Scope.Purpose)

	got := f.Asset(t, "a1")
	assert.Equal(t, "ah.user", got.HolderID)
	assert.Equal(t, registertest.AnhuiMSP, got.HolderMSP)
	assert.Equal(t, next.ID, got.HoldingRightID)
	assert.Empty(t, got.HoldingLockedBy, "the sale releases the lock")
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("asset", "a1")))
	old := f.Right(t, a.HoldingRightID)
	assert.Equal(t, model.RightSuperseded, old.Status)
	assert.Equal(t, next.ID, old.SupersededBy)

	// The holding cannot be sold twice: the seller no longer holds it.
	_, err = convey("trade-1")
	registertest.RequireErrCode(t, err, ledgererr.Forbidden, "")
}

func TestUnlockHolding(t *testing.T) {
	f := withAsset(t)
	f.Apply(t, f.Holder, "pending")
	run := func(fn func(ctx *contractapi.TransactionContext) error) error {
		var err error
		f.InTx(f.Holder, func(ctx *contractapi.TransactionContext) error {
			err = fn(ctx)
			return err
		})
		return err
	}
	// Releasing a holding no trade holds changes nothing.
	require.NoError(t, run(func(ctx *contractapi.TransactionContext) error { return rights.UnlockHolding(ctx, "a1", "trade-1") }))
	require.NoError(t, run(func(ctx *contractapi.TransactionContext) error {
		return rights.LockHolding(ctx, "a1", "trade-1")
	}))
	registertest.RequireErrCode(t, run(func(ctx *contractapi.TransactionContext) error { return rights.UnlockHolding(ctx, "a1", "trade-2") }), ledgererr.Conflict, "")
	require.NoError(t, run(func(ctx *contractapi.TransactionContext) error { return rights.UnlockHolding(ctx, "a1", "trade-1") }))
	assert.Empty(t, f.Asset(t, "a1").HoldingLockedBy)
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("asset", "a1")), "released, the asset stays under a majority")

	registertest.RequireErrCode(t, run(func(ctx *contractapi.TransactionContext) error {
		return rights.LockHolding(ctx, "pending", "trade-1")
	}), ledgererr.Conflict, "")
	registertest.RequireErrCode(t, run(func(ctx *contractapi.TransactionContext) error {
		return rights.LockHolding(ctx, "ghost", "trade-1")
	}), ledgererr.NotFound, "")
	registertest.RequireErrCode(t, run(func(ctx *contractapi.TransactionContext) error {
		return rights.LockHolding(ctx, "a1", "")
	}), ledgererr.InvalidArgument, "tradeId")

	// GetAsset and GetRight report NOT_FOUND.
	require.NoError(t, run(func(ctx *contractapi.TransactionContext) error {
		_, err := assets.GetAsset(ctx, "ghost")
		registertest.RequireErrCode(t, err, ledgererr.NotFound, "")
		_, err = rights.GetRight(ctx, "R-ghost")
		registertest.RequireErrCode(t, err, ledgererr.NotFound, "")
		return nil
	}))
}
