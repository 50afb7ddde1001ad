package trades_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A listing written before interface 18.0.0 is its seller's org's alone: Shanghai's peers alone rewrote their
// member's listing to offer a Jiangsu member's asset in that member's name, at a price (1 fen) and in a region
// Shanghai chose, and a buyer's Order (or Propose) opened a trade naming the Jiangsu member as its seller, who never
// listed it, for it to accept as its own offer. An order opens only on a listing its seller's index names (the
// entry Create writes with it, under the chaincode-level policy): CONFLICT, nothing written. The record written
// back as it was takes orders again.
func TestOneOrgAloneOpensNoTradeInAnotherSellersName(t *testing.T) {
	for _, c := range []struct{ function, listing string }{{"Order", useListing}, {"Propose", negListing}} {
		t.Run(c.function, func(t *testing.T) {
			m := newMarket(t)
			m.RegisterAsset(t, holderOnly, foreignOp, "asset-9", "finance", "jiangsu")
			m.listedBefore18(t, c.listing)
			key := chaincodetest.Key("listing", c.listing)
			honest := m.Net.Ledger().State(key)
			var l model.Listing
			require.NoError(t, json.Unmarshal(honest, &l))
			l.AssetID, l.SellerID, l.SellerMSP, l.Region, l.SourceRegion, l.PriceFen = "asset-9", holderOnly, markettest.Jiangsu, "jiangsu", "jiangsu", 1
			m.Net.Forge(m.As(seller), chaincodetest.Writes{key: chaincodetest.JSON(t, l)}).MustOK(t) // Shanghai's alone

			open := func(id string) chaincodetest.Result {
				if c.function == "Order" {
					return m.Submit(buyer2, "trades:Order", id, c.listing)
				}
				return m.Offer(t, buyer2, markettest.Terms("70000", ""), "trades:Propose", id, c.listing)
			}
			if c.function == "Order" {
				m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result { return open("T-X") })
			} else {
				markettest.RequireRefused(t, open("T-X"), ledgererr.Conflict, "")
			}
			m.Refuse(t, ledgererr.NotFound, "", func() chaincodetest.Result { return m.Evaluate(buyer2, "trades:Get", "T-X") })

			m.Net.Forge(m.As(seller), chaincodetest.Writes{key: honest}).MustOK(t)
			require.Equal(t, seller, tradeOf(t, open("T-Y").MustOK(t)).SellerID)
		})
	}
}
