package listings_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// The seller's participant record is its org's alone to write. The
// exchange still delists its listings whatever bytes that org wrote there:
// Delist reads the seller only for the enterprise it acts for, which its
// registration keeps (participants.AsParty). Failing on such bytes, it let
// the seller's org alone keep the exchange from delisting its member's
// listing for good. An operator acting for the seller's enterprise, whose
// own listing it is, delists it as before.
func TestTheSellersOrgAloneKeepsNoListingFromTheExchangeWithABadRecord(t *testing.T) {
	const sellersOp = "sh-sellersop" // an operator acting for the seller's enterprise
	for name, record := range markettest.BadRecords(holder, "holder") {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			m.Join(t, markettest.Shanghai, sellersOp, "operator", markettest.USCC(1))
			create(t, m, holder, "L1", "asset-1", "HOLDING", "", "FIXED", "1000")
			create(t, m, holder, "L2", "asset-2", "USE", useScope, "FIXED", "1000")
			m.PutBadRecord(t, markettest.Shanghai, holder, record)

			m.Submit(operator, "listings:Delist", "L1", "terms misleading").MustOK(t)
			assert.Equal(t, model.ListingDelisted, get(t, m, "L1").Status)
			m.Submit(sellersOp, "listings:Delist", "L2", "withdrawn by the enterprise").MustOK(t)
			assert.Equal(t, model.ListingDelisted, get(t, m, "L2").Status)
		})
	}
}
