package listings_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A seller changes a listing's price model.MaxPriceChanges times, no more:
// the history a buyer reads whole stays bounded. The one past the limit is
// refused naming it, and writes nothing. A price is an amount in fen from 1
// to model.MaxAmountFen: the bound is taken, one past it and a number past
// int64 are refused naming priceFen, on a new listing and on a change alike.
func TestAListingsPriceChangesAndAmountsStopAtTheirLimits(t *testing.T) {
	m := newMarket(t)
	max := strconv.FormatInt(model.MaxAmountFen, 10)
	create(t, m, holder, "L1", "asset-1", "USE", useScope, "FIXED", max)
	for _, price := range []string{"1000000000000001", "9223372036854775808", "-1", "+5", "1e3"} {
		m.Refuse(t, ledgererr.InvalidArgument, "priceFen", func() chaincodetest.Result {
			return m.Submit(holder, "listings:UpdatePrice", "L1", price, "r")
		})
		m.Refuse(t, ledgererr.InvalidArgument, "priceFen", func() chaincodetest.Result {
			return m.Submit(holder, "listings:Create", "L2", "asset-2", "USE", useScope, "FIXED", price, "")
		})
	}

	// The listing one change short of the limit, as 499 changes would
	// leave it.
	l := get(t, m, "L1")
	l.PriceSeq = model.MaxPriceChanges - 1
	m.Seed(t, holder, listingKey("L1"), l)
	m.Submit(holder, "listings:UpdatePrice", "L1", "1", "the last change").MustOK(t)
	assert.Equal(t, model.MaxPriceChanges, get(t, m, "L1").PriceSeq)
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.Submit(holder, "listings:UpdatePrice", "L1", "2", "one too many")
	})
	assert.EqualValues(t, 1, get(t, m, "L1").PriceFen)
}
