package trades_test

import (
	"testing"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Nobody decides their own case: the asset's holder is a party to every
// licence over its asset, so an operator who holds the asset, or acts for its
// holder's enterprise, neither records the payment of nor resolves the
// dispute of a trade of a licence over it that a licensee sells. An
// impartial operator of the seller's region does both.
func TestAnOperatorDecidesNoTradeOfALicenceOverItsOwnAsset(t *testing.T) {
	m := newMarket(t)
	partial := m.OperatorsOwnAsset(t, operator, "own-asset", seller)
	m.Submit(seller, "listings:Create", "L-resale", "own-asset", "USE", useScope, "FIXED", "1000", markettest.Hash("terms")).MustOK(t)

	m.do(t, buyer, "Order", "T1", "L-resale")
	m.do(t, seller, "Accept", "T1")
	for _, judge := range partial {
		m.refuseWith(t, ledgererr.Forbidden, "", judge, markettest.Payment("1000"), "RecordPayment", "T1", "BANK-T1")
	}
	m.doWith(t, operator, markettest.Payment("1000"), "RecordPayment", "T1", "BANK-T1")
	m.do(t, buyer, "Dispute", "T1", "nothing delivered")
	for _, judge := range partial {
		m.refuse(t, ledgererr.Forbidden, "", judge, "Resolve", "T1", "REFUND", "the licence is ours")
	}
	m.do(t, operator, "Resolve", "T1", "REFUND", "nothing delivered")
}
