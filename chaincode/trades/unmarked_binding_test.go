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
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{openedMarkKey("W1"): nil}, markettest.Shanghai, markettest.Jiangsu, markettest.Anhui).MustOK(t)
	require.NoError(t, m.Net.SubmitFunc(m.Admin(markettest.Shanghai), func(stub shim.ChaincodeStubInterface) error {
		return stub.SetStateValidationParameter(tradeKey("W1"), chaincodetest.KeyPolicy(markettest.Shanghai))
	}).Err, "before 17.0.0 a trade of one org's members was that org's alone")

	tr := *m.trade(t, "W1")
	tr.SellerID, tr.SellerMSP, tr.AssetID = holderOnly, markettest.Jiangsu, "asset-js"
	forged, err := json.Marshal(tr)
	require.NoError(t, err)
	m.Net.InvokeFunc(m.Admin(markettest.Shanghai),
		chaincodetest.Call{PeerMSP: markettest.Shanghai, Endorsers: []string{markettest.Shanghai}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			if err := stub.PutState(tradeKey("W1"), forged); err != nil {
				return nil, err
			}
			return nil, stub.SetStateValidationParameter(tradeKey("W1"), chaincodetest.KeyPolicy(markettest.Shanghai, markettest.Jiangsu))
		}).MustOK(t)

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
