package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// TestTheirOrgsGiveANegotiatedSaleNoPublicPrice: a negotiated trade's
// agreed price is in its parties' terms only, which no public figure reads
// (the sale's event and mark carry no price, the index keeps none); no
// mark at AcceptOffer holds it, which only the two parties' orgs endorse.
// What the market could read, its pricing and public price, the opening
// mark holds: Shanghai and Jiangsu together rewrite a delivered
// negotiation as FIXED at 9,999,999,999 fen, and the completion refuses it;
// as negotiated it completes sealed, its event without a price.
func TestTheirOrgsGiveANegotiatedSaleNoPublicPrice(t *testing.T) {
	m := newMarket(t)
	m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
	m.do(t, seller, "AcceptOffer", "N1")
	m.doWith(t, buyer, markettest.Payment("70000"), "RecordPayment", "N1", "BANK-N1")
	honest := m.do(t, seller, "Deliver", "N1", markettest.Hash("rows of N1"))

	forged := *honest
	forged.Pricing, forged.PriceFen = model.PricingFixed, 9_999_999_999
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{tradeKey("N1"): chaincodetest.JSON(t, forged)}, markettest.Shanghai, markettest.Jiangsu).MustOK(t)
	r := m.Submit(buyer, "trades:Confirm", "N1")
	markettest.RequireRefused(t, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Err.Error(), `trade "N1" no longer reads as it was opened`)

	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{tradeKey("N1"): chaincodetest.JSON(t, honest)}, markettest.Shanghai, markettest.Jiangsu).MustOK(t)
	sale := m.Submit(buyer, "trades:Confirm", "N1").MustOK(t)
	p := eventPayload(t, sale.Event)
	assert.Equal(t, model.PricingNegotiable, p["pricing"])
	assert.Nil(t, p["priceFen"], "a negotiated sale's event carries no price")
	assert.False(t, m.trade(t, "N1").Unsealed)
}
