package rights_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
)

// fixture is the register's test channel, with the helpers of this
// package's tests as methods.
type fixture struct{ *registertest.Fixture }

func newFixture(t *testing.T) *fixture { return &fixture{registertest.New(t)} }

// withAsset is newFixture with the holder's asset "a1" registered: where a
// test of the rights over one asset starts.
func withAsset(t *testing.T) *fixture {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "a1")
	return f
}

// withRefusalCase is withAsset with what the refusal tables of the rights
// over "a1" refuse on: the holder's application "pending", not registered,
// and the participant "sh.buyer", suspended.
func withRefusalCase(t *testing.T) *fixture {
	f := withAsset(t)
	f.Apply(t, f.Holder, "pending")
	f.Net.Submit(f.ShAdmin, "participants:Suspend", "sh.buyer", "under investigation").MustOK(t)
	return f
}

// lockHolding promises the holder's holding of assetID to tradeID, as a
// trade's order does (rights.LockHolding), in a transaction of the holder.
func (f *fixture) lockHolding(t *testing.T, assetID, tradeID string) {
	t.Helper()
	f.InTx(f.Holder, func(ctx *contractapi.TransactionContext) error {
		return rights.LockHolding(ctx, assetID, tradeID)
	}).MustOK(t)
}

// unlockHolding releases the promise lockHolding made, as a trade that ends
// unsold does (rights.UnlockHolding).
func (f *fixture) unlockHolding(t *testing.T, assetID, tradeID string) {
	t.Helper()
	f.InTx(f.Holder, func(ctx *contractapi.TransactionContext) error {
		return rights.UnlockHolding(ctx, assetID, tradeID)
	}).MustOK(t)
}

// sublicense has who, the holder of right parentID, license it on to
// grantee within scope, has the grantee accept it, and returns the new,
// ACTIVE right.
func (f *fixture) sublicense(t *testing.T, who chaincodetest.Identity, parentID, grantee, scope string) *model.Right {
	t.Helper()
	return f.Accept(t, f.offerSublicence(t, who, parentID, grantee, scope).ID)
}

// offerSublicence is sublicense without the acceptance: the right is
// OFFERED.
func (f *fixture) offerSublicence(t *testing.T, who chaincodetest.Identity, parentID, grantee, scope string) *model.Right {
	t.Helper()
	var r model.Right
	f.Net.Submit(who, "rights:Sublicense", parentID, grantee, scope).Unmarshal(t, &r)
	require.Equal(t, model.RightOffered, r.Status)
	return &r
}

// issue is how a right came to be: what the test of each way of issuing a
// right checks of the right it issued.
type issue struct {
	Type, HolderID, HolderMSP string
	Origin, OriginRef         string
	ParentRightID, GrantorID  string
}

// issueOf is the issue of r.
func issueOf(r *model.Right) issue {
	return issue{
		Type: r.Type, HolderID: r.HolderID, HolderMSP: r.HolderMSP,
		Origin: r.Origin, OriginRef: r.OriginRef,
		ParentRightID: r.ParentRightID, GrantorID: r.GrantorID,
	}
}
