package listings_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Nobody decides their own case: the asset's holder is a party to every
// licence over its asset, so an operator who holds the asset (or acts for
// its holder's enterprise) never delists as the exchange a licensee's listing
// of a licence over it, which it may not delist as holder. An impartial
// operator of the region still may.
func TestAnOperatorDelistsNoListingOverItsOwnAsset(t *testing.T) {
	m := newMarket(t)
	m.Join(t, markettest.Shanghai, "sh-reseller", "holder", markettest.USCC(8))
	partial := m.OperatorsOwnAsset(t, operator, "own-asset", "sh-reseller")
	create(t, m, "sh-reseller", "L-resale", "own-asset", "USE", useScope, "FIXED", "1000")

	for _, judge := range partial {
		m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
			return m.Submit(judge, "listings:Delist", "L-resale", "a competitor")
		})
	}
	m.Submit(operator, "listings:Delist", "L-resale", "terms misleading").MustOK(t)
	assert.Equal(t, model.ListingDelisted, get(t, m, "L-resale").Status)
}
