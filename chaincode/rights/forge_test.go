package rights_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// forgeRight has the peers of who's org alone, running chaincode of their
// own, write r as the record of its right (a modified chaincode endorses
// anything for its own org), as who: what a party's org could do to a right
// whose key needed that org alone.
func forgeRight(t *testing.T, f *fixture, who chaincodetest.Identity, r *model.Right) chaincodetest.Result {
	return f.Net.Forge(who, chaincodetest.Writes{chaincodetest.Key("right", r.ID): chaincodetest.JSON(t, r)})
}

// requireForgeryRefused checks that a forged write of a right by one org's
// peers failed validation and changed nothing.
func requireForgeryRefused(t *testing.T, f *fixture, before registertest.Snapshot, r chaincodetest.Result) {
	t.Helper()
	require.Error(t, r.Err, "one org alone rewrote a right")
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	assert.Equal(t, before.State, f.Snapshot().State)
}

// unrevokeAlone has the holder revoke a right of rightType it granted
// js.user, then Jiangsu's peers alone write it ACTIVE again, which must
// fail; it returns the right.
func unrevokeAlone(t *testing.T, f *fixture, rightType string) *model.Right {
	t.Helper()
	granted := f.Grant(t, f.Holder, "a1", "js.user", rightType, registertest.ScopeWide)
	f.Net.Submit(f.Holder, "rights:Revoke", granted.ID, "breach").MustOK(t)
	forged := *f.StoredRight(t, granted.ID)
	forged.Status, forged.StatusReason = model.RightActive, ""
	requireForgeryRefused(t, f, f.Snapshot(), forgeRight(t, f, f.JsUser, &forged))
	assert.Equal(t, model.RightRevoked, f.Right(t, granted.ID).Status)
	return granted
}

// requireSellsNothing checks that participantID, as who, may offer no
// licence over a1.
func requireSellsNothing(t *testing.T, f *fixture, who chaincodetest.Identity, participantID string) {
	t.Helper()
	f.InTx(who, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		_, err := rights.CheckOffer(ctx, registertest.Participant(t, ctx, participantID), "a1", model.RightUse, registertest.ParseScope(t, registertest.ScopeNarrow, now), now)
		registertest.RequireErrCode(t, err, ledgererr.Forbidden, "")
		return nil
	}).MustOK(t)
}

// The licensee's org alone cannot turn its revoked licence ACTIVE again:
// the register still reads it REVOKED and no derivation runs under it.
func TestTheLicenseesOrgAloneCannotUnrevokeItsLicence(t *testing.T) {
	f := withAsset(t)
	unrevokeAlone(t, f, model.RightUse)
	registertest.RequireCode(t, derive(f, f.JsUser, "p1"), ledgererr.Forbidden, "")
}

// The licensee's org alone cannot push the term of its expired licence
// past its end, nor let it be sublicensed: the register still reads it
// EXPIRED, and neither a derivation nor a sublicence runs under it.
func TestTheLicenseesOrgAloneCannotExtendItsLicence(t *testing.T) {
	f := withAsset(t)
	short := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse,
		registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", f.Net.Now().Add(time.Hour).Format(time.RFC3339), false))
	f.Net.Advance(2 * time.Hour)

	forged := *f.StoredRight(t, short.ID)
	forged.Scope.ValidUntil, forged.Scope.MaySublicense = "2060-01-01T00:00:00Z", true
	before := f.Snapshot()
	requireForgeryRefused(t, f, before, forgeRight(t, f, f.JsUser, &forged))
	assert.Equal(t, model.RightExpired, f.Right(t, short.ID).Status)
	registertest.RequireCode(t, derive(f, f.JsUser, "p1"), ledgererr.Forbidden, "")
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Sublicense", short.ID, "zj.user",
		registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", "2059-01-01T00:00:00Z", false))
}

// The holder of an OPERATION right, its org alone, cannot revive it once
// revoked to go on selling licences under it.
func TestTheLicenseesOrgAloneCannotReviveItsOperationRight(t *testing.T) {
	f := withAsset(t)
	unrevokeAlone(t, f, model.RightOperation)
	requireSellsNothing(t, f, f.JsUser, "js.user")
}

// Nor can the licensor's org alone end a licence it granted (the
// revocation the rules allow it is a step of the register, endorsed by a
// majority), nor a sublicensee's org alone widen its sublicence.
func TestNeitherPartysOrgAloneRewritesALicence(t *testing.T) {
	f := withAsset(t)
	granted := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	sub := f.sublicense(t, f.JsUser, granted.ID, "zj.user", registertest.ScopeNarrow)

	revoked := *f.StoredRight(t, granted.ID)
	revoked.Status, revoked.StatusReason = model.RightRevoked, "forged"
	before := f.Snapshot()
	requireForgeryRefused(t, f, before, forgeRight(t, f, f.Holder, &revoked))
	assert.Equal(t, model.RightActive, f.Right(t, granted.ID).Status)

	widened := *f.StoredRight(t, sub.ID)
	widened.Scope.Regions, widened.Scope.MaySublicense = []string{"jiangsu", "shanghai", "zhejiang"}, true
	requireForgeryRefused(t, f, before, forgeRight(t, f, f.ZjUser, &widened))
	assert.Equal(t, []string{"shanghai"}, f.Right(t, sub.ID).Scope.Regions)
}

// A former holder's org alone cannot take back the HOLDING right it sold
// or gave away: the superseded right stays SUPERSEDED.
func TestAFormerHoldersOrgAloneCannotRestoreItsHolding(t *testing.T) {
	f := withAsset(t)
	old := f.Asset(t, "a1").HoldingRightID
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "merger").MustOK(t)
	f.Net.Submit(f.JsUser, "rights:AcceptHolding", "a1").MustOK(t)

	restored := *f.StoredRight(t, old)
	restored.Status, restored.SupersededBy, restored.StatusReason = model.RightActive, "", ""
	before := f.Snapshot()
	requireForgeryRefused(t, f, before, forgeRight(t, f, f.Holder, &restored))
	assert.Equal(t, model.RightSuperseded, f.Right(t, old).Status)
}
