package rights_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// sell has seller, holder of an OPERATION right over a1, sell a USE
// licence over it within ScopeNarrow to buyerID in trade tradeID, as the
// trade's completion does (rights.Convey), and returns the buyer's right.
func (f *fixture) sell(t *testing.T, seller chaincodetest.Identity, sellerID, buyerID, tradeID string) *model.Right {
	t.Helper()
	var sold *model.Right
	f.InTx(seller, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		var err error
		sold, err = rights.Convey(ctx, registertest.Participant(t, ctx, sellerID), registertest.Participant(t, ctx, buyerID), "a1", model.RightUse,
			registertest.ParseScope(t, registertest.ScopeNarrow, now), tradeID, now)
		return err
	}).MustOK(t)
	require.Equal(t, model.OriginTrade, sold.Origin)
	return sold
}

// A seller who sold a licence under its OPERATION right and renounces that
// right gives up its own use, not what it sold, which only the exchange
// revokes: the buyer's right still reads ACTIVE in Get and its holder's
// list, and its buyer still derives under it. A sublicence the renouncer
// granted without a trade still reads RENOUNCED from it, and the renouncer
// sells no more under it.
func TestRenouncingDoesNotEndWhatWasSold(t *testing.T) {
	f := withAsset(t)
	op := f.Grant(t, f.Holder, "a1", "js.user", model.RightOperation, registertest.ScopeWide)
	sold := f.sell(t, f.JsUser, "js.user", "zj.user", "trade-1")
	require.Equal(t, op.ID, sold.ParentRightID)
	sub := f.sublicense(t, f.JsUser, op.ID, "ah.user", registertest.ScopeNarrow)

	f.Net.Submit(f.JsUser, "rights:Renounce", op.ID).MustOK(t)

	got := f.Right(t, sold.ID)
	assert.Equal(t, model.RightActive, got.Status)
	assert.Empty(t, got.StatusFrom)
	for _, r := range listedByHolder(t, f, "zj.user") {
		if r.ID == sold.ID {
			assert.Equal(t, model.RightActive, r.Status, "the buyer's list")
		}
	}
	derive(f, f.ZjUser, "p1").MustOK(t)

	got = f.Right(t, sub.ID)
	assert.Equal(t, model.RightRenounced, got.Status, "a sublicence granted without a trade")
	assert.Equal(t, op.ID, got.StatusFrom)
	res := f.InTx(f.JsUser, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		_, err := rights.Convey(ctx, registertest.Participant(t, ctx, "js.user"), registertest.Participant(t, ctx, "ah.user"), "a1", model.RightUse,
			registertest.ParseScope(t, registertest.ScopeNarrow, now), "trade-2", now)
		return err
	})
	registertest.RequireCode(t, res, ledgererr.Forbidden, "")

	// The exchange still revokes the right sold, which ends it.
	f.Net.Submit(f.ShOp, "rights:Revoke", sold.ID, "dispute resolved for the seller").MustOK(t)
	assert.Equal(t, model.RightRevoked, f.Right(t, sold.ID).Status)
	f.Refused(t, ledgererr.Forbidden, "", f.ZjUser, "assets:Derive", "p3", "P", "finance", "shanghai", "d", registertest.HashOf("p3"), "a1", registertest.Purpose)
}

// Over a right sold under a renounced right, the chain is still read above
// it: the revocation of the right the renounced one was licensed from, by
// the asset's holder who granted it, ends the right sold, which reads
// REVOKED from it; and the term of the renounced right, within which the
// right sold lies, still ends it.
func TestARightSoldUnderARenouncedRightReadsTheChainAboveIt(t *testing.T) {
	f := withAsset(t)
	granted := f.Grant(t, f.Holder, "a1", "js.user", model.RightOperation, registertest.ScopeWide)
	op := f.sublicense(t, f.JsUser, granted.ID, "ah.user", registertest.ScopeWide)
	sold := f.sell(t, f.AhUser, "ah.user", "zj.user", "trade-1")
	require.Equal(t, op.ID, sold.ParentRightID)

	f.Net.Submit(f.AhUser, "rights:Renounce", op.ID).MustOK(t)
	assert.Equal(t, model.RightActive, f.Right(t, sold.ID).Status)
	derive(f, f.ZjUser, "p1").MustOK(t)

	f.Net.Submit(f.Holder, "rights:Revoke", granted.ID, "breach").MustOK(t)
	requireEndedFrom(t, f, sold.ID, model.RightRevoked, granted.ID, f.ZjUser, "p2")
}

// The exchange's revocation of the OPERATION right a licence was sold under
// ends the licence, as before: the right sold reads REVOKED from it.
func TestTheExchangesRevocationOfTheSellersRightEndsWhatItSold(t *testing.T) {
	f := withAsset(t)
	op := f.Grant(t, f.Holder, "a1", "js.user", model.RightOperation, registertest.ScopeWide)
	sold := f.sell(t, f.JsUser, "js.user", "zj.user", "trade-1")

	f.Net.Submit(f.ShOp, "rights:Revoke", op.ID, "seller struck off").MustOK(t)
	requireEndedFrom(t, f, sold.ID, model.RightRevoked, op.ID, f.ZjUser, "p1")
}

// A seller cannot shield what it sold from the one who licensed it by
// renouncing first: the right sold stands for the renouncer's sake, not
// against its licensor, who still revokes the renounced right, which then
// ends what it sold (it would have ended it, revoked before the
// renunciation). Else a licensee would sell a licence as wide as its own
// to a party of its choosing, renounce, and leave a right that neither the
// asset's holder who granted it nor a sublicensor could end (a right sold
// is revoked by the exchange alone).
func TestRenouncingKeepsNoSoldRightFromTheLicensorsRevocation(t *testing.T) {
	t.Run("the asset's holder who granted it", func(t *testing.T) {
		f := withAsset(t)
		op := f.Grant(t, f.Holder, "a1", "js.user", model.RightOperation, registertest.ScopeWide)
		sold := f.sell(t, f.JsUser, "js.user", "zj.user", "trade-1")
		f.Net.Submit(f.JsUser, "rights:Renounce", op.ID).MustOK(t)
		// The holder may not revoke the right sold itself.
		f.Refused(t, ledgererr.Forbidden, "", f.Holder, "rights:Revoke", sold.ID, "breach")

		f.Net.Submit(f.Holder, "rights:Revoke", op.ID, "breach").MustOK(t)
		requireEndedFrom(t, f, sold.ID, model.RightRevoked, op.ID, f.ZjUser, "p1")
		f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:Revoke", op.ID, "again")
	})
	t.Run("the sublicensor", func(t *testing.T) {
		f := withAsset(t)
		granted := f.Grant(t, f.Holder, "a1", "js.user", model.RightOperation, registertest.ScopeWide)
		op := f.sublicense(t, f.JsUser, granted.ID, "ah.user", registertest.ScopeWide)
		sold := f.sell(t, f.AhUser, "ah.user", "zj.user", "trade-1")
		f.Net.Submit(f.AhUser, "rights:Renounce", op.ID).MustOK(t)

		f.Net.Submit(f.JsUser, "rights:Revoke", op.ID, "breach").MustOK(t)
		requireEndedFrom(t, f, sold.ID, model.RightRevoked, op.ID, f.ZjUser, "p1")
		// The sublicensor kept its own right.
		assert.Equal(t, model.RightActive, f.Right(t, granted.ID).Status)
	})
}
