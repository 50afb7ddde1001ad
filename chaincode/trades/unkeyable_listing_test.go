package trades_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// A listing written before interface 18.0.0 is its seller's org's alone, which wrote into its member's licence
// listing of the asset a category or source region that no key can hold (U+0000, U+10FFFF): a sale of the holding
// withdraws the seller's other listings of the asset, out of the browse indexes by their records' category and
// region, and failed on them (INVALID_ARGUMENT) for good, every org endorsing, so the buyer who paid never received
// the holding, nor the recipient of a holding offer it (rights:AcceptHolding). No entry is under such a key: the
// sale completes (a majority without that org endorsing) and the listing reads DELISTED.
func TestTheSellersOrgAloneBlocksNoHoldingMoveWithAnUnkeyableListing(t *testing.T) {
	moves := map[string]func(t *testing.T, m *market) chaincodetest.Result{
		"the buyer's Confirm": func(t *testing.T, m *market) chaincodetest.Result {
			m.delivered(t, "T1", buyer, holdingListing)
			return m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:Confirm", Args: []string{"T1"},
				PeerMSP: markettest.Jiangsu, Endorsers: withoutSellers})
		},
		"rights:AcceptHolding": func(t *testing.T, m *market) chaincodetest.Result {
			m.Submit(seller, "rights:TransferHolding", "asset-1", holderOnly, "merger of the data business").MustOK(t)
			return m.Net.Invoke(m.As(holderOnly), chaincodetest.Call{Function: "rights:AcceptHolding", Args: []string{"asset-1"},
				PeerMSP: markettest.Jiangsu, Endorsers: withoutSellers})
		},
	}
	unkeyable := map[string]func(l *model.Listing){
		"category U+0000":        func(l *model.Listing) { l.Category = "fin\x00ance" },
		"source region U+10FFFF": func(l *model.Listing) { l.SourceRegion = "shanghai\U0010FFFF" },
	}
	for move, do := range moves {
		for name, rewrite := range unkeyable {
			t.Run(move+", "+name, func(t *testing.T) {
				m := newMarket(t)
				licence := `{"purpose":"credit risk model","regions":["shanghai"],"validUntil":"2028-01-01T00:00:00Z"}`
				m.Submit(seller, "listings:Create", "L-lic", "asset-1", "USE", licence, "FIXED", "5000", markettest.Hash("t")).MustOK(t)
				m.listedBefore18(t, "L-lic")
				key := chaincodetest.Key("listing", "L-lic")
				var l model.Listing
				require.NoError(t, json.Unmarshal(m.Net.Ledger().State(key), &l))
				rewrite(&l)
				m.Net.Forge(m.As(seller), chaincodetest.Writes{key: chaincodetest.JSON(t, l)}).MustOK(t) // Shanghai's alone

				do(t, m).MustOK(t)
				var a model.Asset
				m.Evaluate(seller, "assets:Get", "asset-1").Unmarshal(t, &a)
				assert.NotEqual(t, seller, a.HolderID, "the holding moved")
				var got model.Listing
				m.Evaluate(seller, "listings:Get", "L-lic").Unmarshal(t, &got)
				assert.Equal(t, model.ListingDelisted, got.Status)
			})
		}
	}
}
