package listings_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The listings' index entries carry no key-level policy of their own, so
// orgs that run chaincode of their own can write them (a majority in
// production: the chaincode-level policy), though not the listings. An entry
// counts only as far as the listing it names agrees with it: a planted one
// makes no move of a holding delist another asset's listing, keeps no
// holder from listing its holding and browses no listing where it is not.
func TestAPlantedIndexEntryMovesNoListing(t *testing.T) {
	m := newMarket(t)
	create(t, m, holder, "L-other", "asset-2", "USE", useScope, "FIXED", "5000")

	// Jiangsu and Anhui plant entries naming L-other: as an offer of asset-1,
	// and as asset-1's HOLDING listing.
	plant := func(key string, value []byte) {
		t.Helper()
		m.Net.Forge(m.Admin(markettest.Jiangsu), chaincodetest.Writes{key: value}, markettest.Jiangsu, markettest.Anhui).MustOK(t)
	}
	plant(chaincodetest.Key("listing~asset", "asset-1", holder, "L-other"), []byte{0})
	plant(chaincodetest.Key("listing~holding", "asset-1"), []byte(`"L-other"`))
	plant(chaincodetest.Key("listing~category", "finance", "L-other"), []byte{0})
	var page model.ListingPage
	m.Evaluate(buyer, "listings:ListByCategory", "finance", "", "").Unmarshal(t, &page)
	assert.Empty(t, page.Items, "L-other is no finance listing")

	l := create(t, m, holder, "L-hold", "asset-1", "HOLDING", "", "FIXED", "1000000")
	assert.Equal(t, model.ListingActive, l.Status, "asset-1 had no HOLDING listing")

	m.Submit(holder, "rights:TransferHolding", "asset-1", other, "merger of the data business").MustOK(t)
	m.Submit(other, "rights:AcceptHolding", "asset-1").MustOK(t)
	assert.Equal(t, model.ListingDelisted, get(t, m, "L-hold").Status)
	assert.Equal(t, model.ListingActive, get(t, m, "L-other").Status, "a listing of asset-2 stays on the market")
}

// Nor does a planted entry of the rights' holder index make its participant
// the holder of another's right: a holder who holds nothing over an asset
// lists no licence of it under someone else's OPERATION right.
func TestAPlantedRightEntryEntitlesNoSeller(t *testing.T) {
	m := newMarket(t)
	const intruder = "ah-holder"
	m.Join(t, markettest.Anhui, intruder, "holder", markettest.USCC(4))
	sublicensable := `{"purpose":"credit risk model","regions":["shanghai","jiangsu"],"validUntil":"2029-01-01T00:00:00Z","maySublicense":true}`
	r := *m.Grant(t, holder, "asset-1", other, "OPERATION", sublicensable)

	m.Net.Forge(m.Admin(markettest.Anhui), chaincodetest.Writes{chaincodetest.Key("right~holder", intruder, "asset-1", r.ID): {0}},
		markettest.Anhui, markettest.Shanghai).MustOK(t)

	m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
		return m.Submit(intruder, "listings:Create", "L-x", "asset-1", "USE", useScope, "FIXED", "1000", markettest.Hash(terms))
	})
	assert.Equal(t, other, create(t, m, other, "L-resale", "asset-1", "USE", useScope, "FIXED", "1000").SellerID, "the right's holder still lists under it")
}
