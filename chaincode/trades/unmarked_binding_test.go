package trades_test

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// TestOneOrgAloneConveysNoOtherOrgsAssetUnderATradeWithoutItsOpeningMark: a
// trade opened before interface 16.0.0 has no opening mark (here a majority
// deletes the one its order wrote), and a trade between two of Shanghai's
// members is Shanghai's alone to rewrite. Delivered honestly, Shanghai
// alone rewrites it to name Jiangsu's js-holder as the seller of a licence
// over js-holder's own asset and, in the same write, ties its key to
// Shanghai and Jiangsu, as an order would have: Fabric checks the change of
// policy against the one in force, which Shanghai meets alone. The
// completion, endorsed by a majority, refuses it (CONFLICT): no such trade
// completes, its key's policy saying who must sign from now on, not who set
// it; before, the majority's Confirm issued Shanghai's buyer a licence over
// js-holder's asset that js-holder never offered. The honest record is
// refused too, and is refunded after a dispute.
func TestOneOrgAloneConveysNoOtherOrgsAssetUnderATradeWithoutItsOpeningMark(t *testing.T) {
	m := newMarket(t)
	m.RegisterAsset(t, holderOnly, foreignOp, "asset-js", "finance", "jiangsu")
	honest := m.delivered(t, "W1", localBuyer, useListing) // seller and buyer both Shanghai's
	m.openedBefore16(t, "W1")

	tr := *m.trade(t, "W1")
	tr.SellerID, tr.SellerMSP, tr.AssetID = holderOnly, markettest.Jiangsu, "asset-js"
	m.rebindAlone(t, &tr)

	r := m.Submit(localBuyer, "trades:Confirm", "W1")
	markettest.RequireRefused(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Err.Error(), `trade "W1" has no opening mark`)
	assert.Equal(t, model.TradeDelivered, m.trade(t, "W1").Status)
	assert.Nil(t, m.Net.Ledger().State(saleMarkKey("W1")), "no completion mark")

	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{tradeKey("W1"): chaincodetest.JSON(t, honest)}, markettest.Shanghai, markettest.Jiangsu).MustOK(t)
	markettest.RequireRefused(t, m.Submit(localBuyer, "trades:Confirm", "W1"), ledgererr.Conflict, "")
	m.do(t, localBuyer, "Dispute", "W1", "the delivered file does not match the content hash")
	refunded := m.do(t, operator, "Resolve", "W1", "REFUND", "opened before its opening mark")
	assert.Equal(t, model.TradeCancelled, refunded.Status, "a refund ends the trade")
}

// TestOneOrgAloneLocksNoOtherOrgsHoldingUnderATradeWithoutItsOpeningMark:
// acceptance, like the completion, takes no trade without its opening mark
// (opened before interface 16.0.0, here a majority deletes the one its
// order wrote). Shanghai, whose members are both parties of an order kept
// under Shanghai alone (as before 17.0.0), rewrites it alone to be an
// order of Jiangsu's js-holder's holding on js-holder's own listing and, in
// the same write, ties its key to Shanghai and Jiangsu, as an order would
// have: the key's policy, which acceptance read until 18.0.0 (bound), then
// took the trade as bound to its parties' orgs, and js-holder's Accept,
// endorsed by a majority, locked its holding to a trade Shanghai wrote.
// Refused now (CONFLICT), the holding stays free; so is the buyer's
// AcceptOffer of an honest negotiation without its mark.
func TestOneOrgAloneLocksNoOtherOrgsHoldingUnderATradeWithoutItsOpeningMark(t *testing.T) {
	m := newMarket(t)
	m.RegisterAsset(t, holderOnly, foreignOp, "asset-js", "finance", "jiangsu")
	m.Submit(holderOnly, "listings:Create", "L-js", "asset-js", "HOLDING", "", "FIXED", "1000000", markettest.Hash("terms")).MustOK(t)
	m.do(t, localBuyer, "Order", "W1", holdingListing) // seller and buyer both Shanghai's
	m.openedBefore16(t, "W1")

	tr := *m.trade(t, "W1")
	tr.SellerID, tr.SellerMSP, tr.AssetID, tr.ListingID, tr.PriceFen = holderOnly, markettest.Jiangsu, "asset-js", "L-js", 1
	m.rebindAlone(t, &tr)

	r := m.Submit(holderOnly, "trades:Accept", "W1")
	markettest.RequireRefused(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Err.Error(), `trade "W1" has no opening mark (it was opened before interface 16.0.0): it cannot be accepted`)
	assert.Empty(t, m.GetAsset(t, holderOnly, "asset-js").HoldingLockedBy, "js-holder's holding stays free")
	assert.Equal(t, model.TradeOrdered, m.trade(t, "W1").Status)

	m.offer(t, localBuyer, markettest.Terms("1500000", ""), "Propose", "N1", holdingNeg)
	m.offer(t, seller, markettest.Terms("1800000", ""), "Counter", "N1")
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{openedMarkKey("N1"): nil}, markettest.Shanghai, markettest.Jiangsu, markettest.Anhui).MustOK(t)
	markettest.RequireRefused(t, m.Submit(localBuyer, "trades:AcceptOffer", "N1"), ledgererr.Conflict, "")
	assert.Empty(t, m.GetAsset(t, seller, "asset-3").HoldingLockedBy)
	m.do(t, localBuyer, "Cancel", "N1", "opened before its opening mark")
}

// openedBefore16 makes trade id, between two of Shanghai's members, as a
// ledger before 16.0.0 left it: no opening mark (a majority deletes the
// one its opening wrote), its key under Shanghai alone.
func (m *market) openedBefore16(t *testing.T, id string) {
	t.Helper()
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{openedMarkKey(id): nil}, markettest.Shanghai, markettest.Jiangsu, markettest.Anhui).MustOK(t)
	require.NoError(t, m.Net.SubmitFunc(m.Admin(markettest.Shanghai), func(stub shim.ChaincodeStubInterface) error {
		return stub.SetStateValidationParameter(tradeKey(id), chaincodetest.KeyPolicy(markettest.Shanghai))
	}).Err, "before 17.0.0 a trade of one org's members was that org's alone")
}

// rebindAlone has Shanghai's peers alone write trade record tr, which names
// a Jiangsu member, at its key and, in the same write, tie the key to
// Shanghai and Jiangsu, as an order between them would have: Fabric checks
// the change of policy against the one in force, which Shanghai meets
// alone.
func (m *market) rebindAlone(t *testing.T, tr *model.Trade) {
	t.Helper()
	forged, err := json.Marshal(tr)
	require.NoError(t, err)
	m.Net.InvokeFunc(m.Admin(markettest.Shanghai),
		chaincodetest.Call{PeerMSP: markettest.Shanghai, Endorsers: []string{markettest.Shanghai}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			if err := stub.PutState(tradeKey(tr.ID), forged); err != nil {
				return nil, err
			}
			return nil, stub.SetStateValidationParameter(tradeKey(tr.ID), chaincodetest.KeyPolicy(markettest.Shanghai, markettest.Jiangsu))
		}).MustOK(t)
}
