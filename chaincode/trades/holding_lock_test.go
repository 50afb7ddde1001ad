package trades_test

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// unlockAlone has the given orgs' peers, running chaincode of their own,
// rewrite asset assetID with its holding's lock cleared, as the seller's org
// would to take back a holding it sold.
func (m *market) unlockAlone(t *testing.T, assetID string, endorsers ...string) chaincodetest.Result {
	t.Helper()
	key := chaincodetest.Key("asset", assetID)
	var a model.Asset
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(key), &a))
	require.NotEmpty(t, a.HoldingLockedBy)
	a.HoldingLockedBy = ""
	return m.Net.Forge(m.As(seller), chaincodetest.Writes{key: chaincodetest.JSON(t, a)}, endorsers...)
}

// assetPolicySatisfiedBy reports whether the committed key-level policy of
// asset assetID is satisfied by peers of the given orgs.
func (m *market) assetPolicySatisfiedBy(t *testing.T, assetID string, orgs ...string) bool {
	t.Helper()
	policy := registertest.MustPolicy(t, m.Net.Ledger().ValidationParameter(chaincodetest.Key("asset", assetID)))
	return chaincodetest.EvaluatePolicy(policy, orgs) == nil
}

// Once a holding trade is accepted, the asset's key stays under a majority
// of the orgs (17.0.0; from 15.0.0 until then it needed the buyer's org as
// well as the seller's): the seller's org, running chaincode of its own, no
// longer clears the lock alone to give the holding a paid buyer waits for to
// someone else. Before 15.0.0 the asset was the holder's org's alone, and
// the holding went to another participant while the paid trade could never
// convey. No majority needs the buyer's org, which would otherwise veto, for
// good once removed from the market, every later change of the asset: the
// majority's chaincode keeps the lock until a step of the trade releases it
// (a majority running other chaincode is what the chaincode-level policy
// trusts, on this three-org channel any two orgs).
func TestTheSellersOrgAloneCannotUnlockAPaidHolding(t *testing.T) {
	m := newMarket(t)
	m.paid(t, "SALE", buyer, holdingListing)
	assert.False(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Shanghai), "the seller's org alone")
	assert.False(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Jiangsu), "the buyer's org alone")
	assert.True(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Shanghai, markettest.Anhui), "a majority, without the buyer's org")

	m.unlockAlone(t, "asset-1", markettest.Shanghai).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	assert.Equal(t, "SALE", m.GetAsset(t, seller, "asset-1").HoldingLockedBy)
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.Submit(seller, "rights:TransferHolding", "asset-1", buyer2, "gift")
	})

	// The sale conveys, with the endorsers every step of a trade has.
	m.do(t, seller, "Deliver", "SALE", markettest.Hash("delivery of SALE"))
	tr := m.do(t, buyer, "Confirm", "SALE")
	assert.Equal(t, model.TradeCompleted, tr.Status)
	a := m.GetAsset(t, buyer, "asset-1")
	assert.Equal(t, buyer, a.HolderID)
	assert.Empty(t, a.HoldingLockedBy)
	assert.False(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Jiangsu), "conveyed, the asset is not its new holder's org's alone")
	assert.True(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Shanghai, markettest.Anhui))
}

// Where the buyer and the seller are members of one org, that org alone,
// running chaincode of its own, clears no lock either, nor rewrites the
// locked asset: the asset's key is under a majority of the orgs, whose
// chaincode releases the lock only with a step of the trade. Before
// 17.0.0 the lock tied the key to the holder's and the buyer's orgs, here
// one org, which took the holding a paid buyer waited for back alone.
func TestOneOrgAloneCannotClearTheLockOfAHoldingSoldBetweenItsMembers(t *testing.T) {
	m := newMarket(t)
	m.paid(t, "SALE", localBuyer, holdingListing)
	assert.False(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Shanghai), "the parties' one org alone")

	m.unlockAlone(t, "asset-1", markettest.Shanghai).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	assert.Equal(t, "SALE", m.GetAsset(t, seller, "asset-1").HoldingLockedBy)
	m.do(t, seller, "Deliver", "SALE", markettest.Hash("delivery of SALE"))
	assert.Equal(t, model.TradeCompleted, m.do(t, localBuyer, "Confirm", "SALE").Status)
	assert.Equal(t, localBuyer, m.GetAsset(t, localBuyer, "asset-1").HolderID)
}

// Nor does the seller's org clear the lock to accept a second buyer's trade
// of the holding while the first buyer has paid.
func TestTheSellersOrgAloneCannotSellAPaidHoldingTwice(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer2, "Order", "SECOND", holdingListing)
	m.paid(t, "SALE", buyer, holdingListing)
	m.unlockAlone(t, "asset-1", markettest.Shanghai).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "SECOND")
	assert.Equal(t, model.TradePaid, m.trade(t, "SALE").Status)
}

// Every end of a locked trade without a sale releases the lock, endorsed by
// the trade's two orgs and a majority in all, and leaves the asset under a
// majority of the orgs: the buyer's cancellation, the exchange's refund, the
// expiry of an acceptance.
func TestEveryEndOfAHoldingTradeReleasesItsLockUnderAMajority(t *testing.T) {
	m := newMarket(t)
	free := func(why string) {
		t.Helper()
		assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy, why)
		assert.False(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Shanghai), why)
		assert.True(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Jiangsu, markettest.Anhui), why)
	}
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, seller, "Accept", "T1")
	m.do(t, buyer, "Cancel", "T1", "changed my mind before paying")
	free("cancelled")

	m.delivered(t, "T2", buyer2, holdingListing)
	assert.False(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Shanghai), "the seller's org alone")
	assert.False(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Anhui), "the buyer's org alone")
	m.do(t, buyer2, "Dispute", "T2", "the delivered file does not match the content hash")
	m.do(t, operator, "Resolve", "T2", model.OutcomeRefund, "hash mismatch confirmed")
	free("refunded")

	m.do(t, buyer, "Order", "T3", holdingListing)
	tr := m.do(t, seller, "Accept", "T3")
	m.Net.Advance(chaincodetest.ParseTime(t, tr.DeadlineAt).Sub(m.Net.Now()))
	m.do(t, operator, "Expire", "T3")
	free("expired")
	m.Submit(seller, "rights:TransferHolding", "asset-1", buyer2, "gift").MustOK(t)
}

// legacyLock puts asset assetID, locked to a trade, back under its holder's
// org alone, the policy an acceptance before 15.0.0 left it with.
func (m *market) legacyLock(t *testing.T, assetID string) {
	t.Helper()
	policy := chaincodetest.KeyPolicy(markettest.Shanghai)
	m.Net.InvokeFunc(m.As(seller), chaincodetest.Call{PeerMSP: markettest.Shanghai, Endorsers: markettest.Orgs},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, stub.SetStateValidationParameter(chaincodetest.Key("asset", assetID), policy)
		}).MustOK(t)
	require.True(t, m.assetPolicySatisfiedBy(t, assetID, markettest.Shanghai))
}

// A holding locked before 15.0.0 is under its holder's org alone until its
// trade ends, and that trade conveys as before.
func TestAHoldingLockedBefore15ConveysAsBefore(t *testing.T) {
	m := newMarket(t)
	m.paid(t, "SALE", buyer, holdingListing)
	m.legacyLock(t, "asset-1")
	m.do(t, seller, "Deliver", "SALE", markettest.Hash("delivery of SALE"))
	assert.Equal(t, model.TradeCompleted, m.do(t, buyer, "Confirm", "SALE").Status)
	assert.Equal(t, buyer, m.GetAsset(t, buyer, "asset-1").HolderID)
	assert.False(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Jiangsu), "conveyed, the asset goes under a majority (17.0.0)")
	assert.True(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Jiangsu, markettest.Anhui))
}

// The seller's org can still clear a lock written before 15.0.0 alone (no
// step can reseal the asset without it); its buyer still gets its money
// back: the conveyance is refused, and the buyer's dispute ends in a refund.
func TestABuyerOfAHoldingLockedBefore15IsRefundedWhenItsLockIsCleared(t *testing.T) {
	m := newMarket(t)
	m.paid(t, "SALE", buyer, holdingListing)
	m.legacyLock(t, "asset-1")
	m.unlockAlone(t, "asset-1", markettest.Shanghai).MustOK(t)
	m.do(t, seller, "Deliver", "SALE", markettest.Hash("delivery of SALE"))
	m.refuse(t, ledgererr.Conflict, "", buyer, "Confirm", "SALE")
	m.do(t, buyer, "Dispute", "SALE", "the holding was never conveyed")
	tr := m.do(t, operator, "Resolve", "SALE", model.OutcomeRefund, "the seller no longer holds it for the buyer")
	assert.Equal(t, model.TradeCancelled, tr.Status)
}

// A lock written from 15.0.0 to before 17.0.0 tied the asset's key to the
// holder's and the buyer's orgs: it stays so until a step of its trade
// writes the asset, which the trade's two orgs endorse in any case, and that
// step puts the asset under a majority of the orgs.
func TestALockWrittenBefore17GoesUnderAMajorityWithItsTradesNextStep(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, seller, "Accept", "T1")
	m.Net.InvokeFunc(m.As(seller), chaincodetest.Call{PeerMSP: markettest.Shanghai, Endorsers: markettest.Orgs},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, stub.SetStateValidationParameter(chaincodetest.Key("asset", "asset-1"), chaincodetest.KeyPolicy(markettest.Shanghai, markettest.Jiangsu))
		}).MustOK(t)
	m.unlockAlone(t, "asset-1", markettest.Shanghai, markettest.Anhui).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")

	m.do(t, buyer, "Cancel", "T1", "changed my mind before paying")
	assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy)
	assert.False(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Shanghai))
	assert.True(t, m.assetPolicySatisfiedBy(t, "asset-1", markettest.Shanghai, markettest.Anhui), "a majority, the buyer's org no longer in particular")
}
