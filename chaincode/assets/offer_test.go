package assets_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// parseScope parses a scope as the listings contract does.
func parseScope(t *testing.T, raw string, now time.Time) model.Scope {
	t.Helper()
	s, err := domain.ParseScope("scope", raw, now)
	require.NoError(t, err)
	return s
}

func TestCheckOffer(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	f.apply(t, f.holder, "pending")
	f.grant(t, f.holder, "a1", "js.user", model.RightOperation, scopeWide)
	f.grant(t, f.holder, "a1", "zj.user", model.RightOperation, scopeNoSub)
	f.grant(t, f.holder, "a1", "ah.user", model.RightUse, scopeWide)

	f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
		now := txNow(t, ctx)
		holder, js, zj, ah := participant(t, ctx, "sh.holder"), participant(t, ctx, "js.user"), participant(t, ctx, "zj.user"), participant(t, ctx, "ah.user")
		narrow, wide := parseScope(t, scopeNarrow, now), parseScope(t, scopeWide, now)

		// The holder offers anything over a registered asset.
		for _, rt := range []string{model.RightHolding, model.RightUse, model.RightOperation} {
			a, err := assets.CheckOffer(ctx, holder, "a1", rt, wide, now)
			require.NoError(t, err, rt)
			assert.Equal(t, "a1", a.ID)
		}
		// A sublicensable OPERATION right entitles offering covered scopes.
		_, err := assets.CheckOffer(ctx, js, "a1", model.RightUse, narrow, now)
		assert.NoError(t, err)
		_, err = assets.CheckOffer(ctx, js, "a1", model.RightOperation, wide, now)
		assert.NoError(t, err)

		_, err = assets.CheckOffer(ctx, js, "a1", model.RightUse, parseScope(t, scopeJSON(purpose, []string{"anhui"}, "", yearEnd, false), now), now)
		requireErrCode(t, err, ledgererr.InvalidArgument, "scope.regions")
		_, err = assets.CheckOffer(ctx, js, "a1", model.RightHolding, model.Scope{}, now)
		requireErrCode(t, err, ledgererr.Forbidden, "")
		_, err = assets.CheckOffer(ctx, zj, "a1", model.RightUse, narrow, now) // may not sublicense
		requireErrCode(t, err, ledgererr.Forbidden, "")
		_, err = assets.CheckOffer(ctx, ah, "a1", model.RightUse, narrow, now) // a USE right does not entitle selling
		requireErrCode(t, err, ledgererr.Forbidden, "")
		_, err = assets.CheckOffer(ctx, holder, "pending", model.RightUse, narrow, now)
		requireErrCode(t, err, ledgererr.Conflict, "")
		_, err = assets.CheckOffer(ctx, holder, "ghost", model.RightUse, narrow, now)
		requireErrCode(t, err, ledgererr.NotFound, "")
		_, err = assets.CheckOffer(ctx, holder, "a1", "LEASE", narrow, now)
		requireErrCode(t, err, ledgererr.InvalidArgument, "rightType")
		// After the OPERATION right's term it entitles nothing.
		_, err = assets.CheckOffer(ctx, js, "a1", model.RightUse, narrow, now.AddDate(2, 0, 0))
		requireErrCode(t, err, ledgererr.Forbidden, "")
		return nil
	}).MustOK(t)
}

func TestConveyLicence(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	op := f.grant(t, f.holder, "a1", "js.user", model.RightOperation, scopeWide)

	// The holder sells a licence.
	var sold *model.Right
	r := f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
		now := txNow(t, ctx)
		var err error
		sold, err = assets.Convey(ctx, participant(t, ctx, "sh.holder"), participant(t, ctx, "zj.user"), "a1", model.RightUse, parseScope(t, scopeNarrow, now), "trade-1", now)
		return err
	}).MustOK(t)
	assert.Nil(t, r.Event, "Convey emits no event: the trade function does")
	got := f.right(t, sold.ID)
	assert.Equal(t, "R-"+r.TxID[:20]+"-1", got.ID)
	assert.Equal(t, model.RightUse, got.Type)
	assert.Equal(t, "zj.user", got.HolderID)
	assert.Equal(t, model.OriginTrade, got.Origin)
	assert.Equal(t, "trade-1", got.OriginRef)
	assert.Equal(t, "sh.holder", got.GrantorID)
	assert.Empty(t, got.ParentRightID)
	assert.Equal(t, "any of "+zhejiangMSP, f.keyPolicy(t, key("right", got.ID)))

	// An OPERATION-right holder sells under its right, which becomes the
	// parent of the buyer's.
	f.inTx(f.jsUser, func(ctx *contractapi.TransactionContext) error {
		now := txNow(t, ctx)
		var err error
		sold, err = assets.Convey(ctx, participant(t, ctx, "js.user"), participant(t, ctx, "ah.user"), "a1", model.RightUse, parseScope(t, scopeNarrow, now), "trade-2", now)
		return err
	}).MustOK(t)
	got = f.right(t, sold.ID)
	assert.Equal(t, op.ID, got.ParentRightID)
	assert.Equal(t, "js.user", got.GrantorID)

	// A right bought in a trade is revoked only by the exchange.
	f.refused(t, ledgererr.Forbidden, "", f.holder, "rights:Revoke", got.ID, "changed my mind")
	f.refused(t, ledgererr.Forbidden, "", f.jsUser, "rights:Revoke", got.ID, "changed my mind")
	f.net.Submit(f.shOp, "rights:Revoke", got.ID, "dispute resolved for the seller").MustOK(t)

	// Refusals write nothing.
	before := f.snapshot()
	res := f.inTx(f.zjUser, func(ctx *contractapi.TransactionContext) error {
		now := txNow(t, ctx)
		_, err := assets.Convey(ctx, participant(t, ctx, "zj.user"), participant(t, ctx, "ah.user"), "a1", model.RightUse, parseScope(t, scopeNarrow, now), "trade-3", now)
		requireErrCode(t, err, ledgererr.Forbidden, "")
		_, err = assets.Convey(ctx, participant(t, ctx, "sh.holder"), participant(t, ctx, "sh.holder"), "a1", model.RightUse, parseScope(t, scopeNarrow, now), "trade-3", now)
		requireErrCode(t, err, ledgererr.Conflict, "")
		_, err = assets.Convey(ctx, participant(t, ctx, "sh.holder"), participant(t, ctx, "ah.user"), "a1", model.RightUse, parseScope(t, scopeNarrow, now), "bad trade", now)
		requireErrCode(t, err, ledgererr.InvalidArgument, "tradeId")
		return err
	})
	require.Error(t, res.Err)
	assert.Equal(t, before, f.snapshot())
}

func TestConveyHolding(t *testing.T) {
	f := newFixture(t)
	a := f.registerAsset(t, f.holder, "a1")

	lock := func(trade string) error {
		var err error
		f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
			err = assets.LockHolding(ctx, "a1", trade)
			return err
		})
		return err
	}
	require.NoError(t, lock("trade-1"))
	assert.Equal(t, "trade-1", f.asset(t, "a1").HoldingLockedBy)
	require.NoError(t, lock("trade-1"), "locking again for the same trade changes nothing")
	requireErrCode(t, lock("trade-2"), ledgererr.Conflict, "")

	convey := func(trade string) (*model.Right, error) {
		var right *model.Right
		var err error
		f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
			now := txNow(t, ctx)
			right, err = assets.Convey(ctx, participant(t, ctx, "sh.holder"), participant(t, ctx, "ah.user"), "a1", model.RightHolding, model.Scope{}, trade, now)
			return err
		})
		return right, err
	}
	// Another trade cannot take the promised holding.
	_, err := convey("trade-2")
	requireErrCode(t, err, ledgererr.Conflict, "")

	next, err := convey("trade-1")
	require.NoError(t, err)
	assert.Equal(t, model.RightHolding, next.Type)
	assert.Equal(t, model.OriginTrade, next.Origin)
	assert.Equal(t, "trade-1", next.OriginRef)
	assert.Equal(t, model.HoldingPurpose, next.Scope.Purpose)

	got := f.asset(t, "a1")
	assert.Equal(t, "ah.user", got.HolderID)
	assert.Equal(t, anhuiMSP, got.HolderMSP)
	assert.Equal(t, next.ID, got.HoldingRightID)
	assert.Empty(t, got.HoldingLockedBy, "the sale releases the lock")
	assert.Equal(t, "any of "+anhuiMSP, f.keyPolicy(t, key("asset", "a1")))
	old := f.right(t, a.HoldingRightID)
	assert.Equal(t, model.RightSuperseded, old.Status)
	assert.Equal(t, next.ID, old.SupersededBy)

	// The holding cannot be sold twice: the seller no longer holds it.
	_, err = convey("trade-1")
	requireErrCode(t, err, ledgererr.Forbidden, "")
}

func TestUnlockHolding(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	f.apply(t, f.holder, "pending")
	run := func(fn func(ctx *contractapi.TransactionContext) error) error {
		var err error
		f.inTx(f.holder, func(ctx *contractapi.TransactionContext) error {
			err = fn(ctx)
			return err
		})
		return err
	}
	// Releasing a holding no trade holds changes nothing.
	require.NoError(t, run(func(ctx *contractapi.TransactionContext) error { return assets.UnlockHolding(ctx, "a1", "trade-1") }))
	require.NoError(t, run(func(ctx *contractapi.TransactionContext) error { return assets.LockHolding(ctx, "a1", "trade-1") }))
	requireErrCode(t, run(func(ctx *contractapi.TransactionContext) error { return assets.UnlockHolding(ctx, "a1", "trade-2") }), ledgererr.Conflict, "")
	require.NoError(t, run(func(ctx *contractapi.TransactionContext) error { return assets.UnlockHolding(ctx, "a1", "trade-1") }))
	assert.Empty(t, f.asset(t, "a1").HoldingLockedBy)

	requireErrCode(t, run(func(ctx *contractapi.TransactionContext) error { return assets.LockHolding(ctx, "pending", "trade-1") }), ledgererr.Conflict, "")
	requireErrCode(t, run(func(ctx *contractapi.TransactionContext) error { return assets.LockHolding(ctx, "ghost", "trade-1") }), ledgererr.NotFound, "")
	requireErrCode(t, run(func(ctx *contractapi.TransactionContext) error { return assets.LockHolding(ctx, "a1", "") }), ledgererr.InvalidArgument, "tradeId")

	// GetAsset and GetRight report NOT_FOUND.
	require.NoError(t, run(func(ctx *contractapi.TransactionContext) error {
		_, err := assets.GetAsset(ctx, "ghost")
		requireErrCode(t, err, ledgererr.NotFound, "")
		_, err = assets.GetRight(ctx, "R-ghost")
		requireErrCode(t, err, ledgererr.NotFound, "")
		return nil
	}))
}
