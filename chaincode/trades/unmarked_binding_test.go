package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// TestOneOrgAloneConveysNoOtherOrgsAssetUnderATradeWithoutItsOpeningMark: a
// trade opened before interface 16.0.0 has no opening mark (here a majority
// deletes the one its order wrote), and a trade between two of Shanghai's
// members is Shanghai's alone to rewrite. Delivered honestly, Shanghai
// alone rewrites it to name Jiangsu's js-holder as the seller of a licence
// over js-holder's own asset: the completion, endorsed by a majority,
// refuses it (CONFLICT), since the trade's key is not bound to the orgs
// its record names (requireBound); before 17.0.0 it issued Shanghai's buyer
// a licence over js-holder's asset that js-holder never offered. The honest
// record completes, unsealed as before.
func TestOneOrgAloneConveysNoOtherOrgsAssetUnderATradeWithoutItsOpeningMark(t *testing.T) {
	m := newMarket(t)
	m.RegisterAsset(t, holderOnly, foreignOp, "asset-js", "finance", "jiangsu")
	honest := m.delivered(t, "W1", localBuyer, useListing) // seller and buyer both Shanghai's
	m.writeAs(t, openedMarkKey("W1"), nil, markettest.Shanghai, markettest.Jiangsu, markettest.Anhui).MustOK(t)

	tr := *m.trade(t, "W1")
	tr.SellerID, tr.SellerMSP, tr.AssetID = holderOnly, markettest.Jiangsu, "asset-js"
	m.writeAs(t, tradeKey("W1"), tr, markettest.Shanghai).MustOK(t)
	r := m.Submit(localBuyer, "trades:Confirm", "W1")
	markettest.RequireRefused(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Err.Error(), `trade "W1" is not bound to the orgs of its parties`)
	assert.Equal(t, model.TradeDelivered, m.trade(t, "W1").Status)
	assert.Nil(t, m.Net.Ledger().State(saleMarkKey("W1")), "no completion mark")

	m.writeAs(t, tradeKey("W1"), honest, markettest.Shanghai).MustOK(t)
	sale := m.do(t, localBuyer, "Confirm", "W1")
	assert.Equal(t, model.TradeCompleted, sale.Status)
	assert.True(t, m.trade(t, "W1").Unsealed)
}
