package rights_test

import (
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// orgsPolicy is the key-level policy "a peer of every one of these orgs":
// a right's key had its holder's org's before 15.0.0, a holding offer's
// both parties' orgs' before 17.0.0.
func orgsPolicy(t *testing.T, mspIDs ...string) []byte {
	t.Helper()
	ep, err := statebased.NewStateEP(nil)
	require.NoError(t, err)
	require.NoError(t, ep.AddOrgs(statebased.RoleTypePeer, mspIDs...))
	policy, err := ep.Policy()
	require.NoError(t, err)
	return policy
}

// makeLegacy turns right id into a right as a chaincode before 15.0.0 left
// it: its key under its holder's org alone, and no mark of a right written
// under a majority (the transaction is endorsed by every org).
func makeLegacy(t *testing.T, f *fixture, id string) {
	t.Helper()
	r := f.StoredRight(t, id)
	f.Net.InvokeFunc(f.Holder, chaincodetest.Call{Endorsers: []string{registertest.AnhuiMSP, registertest.JiangsuMSP, registertest.ShanghaiMSP, registertest.ZhejiangMSP}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			if err := stub.DelState(chaincodetest.Key("right~sealed", id)); err != nil {
				return nil, err
			}
			return nil, stub.SetStateValidationParameter(chaincodetest.Key("right", id), orgsPolicy(t, r.HolderMSP))
		}).MustOK(t)
	require.Equal(t, "any of "+r.HolderMSP, f.KeyPolicy(t, chaincodetest.Key("right", id)))
}

// A licence recorded before 15.0.0 is its licensee's org's to rewrite, with
// its key-level policy too, so the register relies on none: the licensee's
// org alone can still write it (and its policy with it), but not mark it
// (a new key: contracts' TestTwoOrgsPlantNoRecord), and neither its
// derivation nor a sublicence under it runs; the register reads it
// unsealed, and a sublicence issued under it before too.
func TestTheRegisterReliesOnNoLicenceRecordedBeforeMajorities(t *testing.T) {
	f := withAsset(t)
	granted := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	sub := f.sublicense(t, f.JsUser, granted.ID, "zj.user", registertest.ScopeNarrow)
	derive(f, f.JsUser, "p0").MustOK(t)
	makeLegacy(t, f, granted.ID)

	forged := *f.StoredRight(t, granted.ID)
	forged.Scope.ValidUntil = "2060-01-01T00:00:00Z"
	r := forgeRight(t, f, f.JsUser, &forged)
	require.NoError(t, r.Err, "a key under the licensee's org alone: that org rewrites it")
	require.Equal(t, forged.Scope.ValidUntil, f.StoredRight(t, granted.ID).Scope.ValidUntil)

	got := f.Right(t, granted.ID)
	assert.True(t, got.Unsealed)
	assert.True(t, f.Right(t, sub.ID).Unsealed, "a sublicence reads unsealed over an unsealed parent")
	var page model.RightPage
	f.Net.Evaluate(f.JsUser, "rights:ListByHolder", "js.user", "", "").Unmarshal(t, &page)
	require.Len(t, page.Items, 1)
	assert.True(t, page.Items[0].Unsealed)

	refusal := registertest.RequireCode(t, derive(f, f.JsUser, "p1"), ledgererr.Forbidden, "")
	assert.Contains(t, refusal.Message, "recorded before interface 15.0.0")
	registertest.RequireCode(t, derive(f, f.ZjUser, "p2"), ledgererr.Forbidden, "")
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Sublicense", granted.ID, "ah.user", registertest.ScopeNarrow)
}

// An OPERATION right recorded before 15.0.0 sells no licence.
func TestAnOperationRightRecordedBeforeMajoritiesSellsNothing(t *testing.T) {
	f := withAsset(t)
	op := f.Grant(t, f.Holder, "a1", "js.user", model.RightOperation, registertest.ScopeWide)
	makeLegacy(t, f, op.ID)
	requireSellsNothing(t, f, f.JsUser, "js.user")
}

// An offer recorded before 15.0.0 is not accepted (its grantee's org could
// have widened it), but its grantor offers again, under a majority; the
// offer is still declined or withdrawn.
func TestAnOfferRecordedBeforeMajoritiesIsOfferedAgain(t *testing.T) {
	f := withAsset(t)
	old := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	makeLegacy(t, f, old.ID)
	refusal := f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Accept", old.ID)
	assert.Contains(t, refusal.Message, "its grantor may offer it again")
	f.Net.Submit(f.Holder, "rights:Revoke", old.ID, "offered again").MustOK(t)

	again := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	assert.False(t, f.Right(t, again.ID).Unsealed)
	derive(f, f.JsUser, "p1").MustOK(t)
}

// A step on a right recorded before 15.0.0 still needs its holder's org,
// whose key it still is, and puts the key under a majority, still unsealed:
// its record may have been rewritten before.
func TestAStepOnARightRecordedBeforeMajoritiesPutsItUnderAMajority(t *testing.T) {
	f := withAsset(t)
	granted := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	makeLegacy(t, f, granted.ID)
	without := chaincodetest.Call{Function: "rights:Revoke", Args: []string{granted.ID, "breach"},
		Endorsers: []string{registertest.ShanghaiMSP, registertest.ZhejiangMSP, registertest.AnhuiMSP}}
	r := f.Net.Invoke(f.Holder, without)
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	with := without
	with.Endorsers = append(with.Endorsers, registertest.JiangsuMSP)
	f.Net.Invoke(f.Holder, with).MustOK(t)
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("right", granted.ID)))
	got := f.Right(t, granted.ID)
	assert.Equal(t, model.RightRevoked, got.Status)
	assert.True(t, got.Unsealed)
	assert.NotContains(t, string(f.Net.Ledger().State(chaincodetest.Key("right", granted.ID))), "unsealed", "an answer's, never stored")
}
