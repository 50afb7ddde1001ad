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
	m.Join(t, markettest.Shanghai, "sh-ophold", "operator,holder", markettest.USCC(7))
	m.Join(t, markettest.Shanghai, "sh-optwin", "operator", markettest.USCC(7))
	m.RegisterAsset(t, "sh-ophold", operator, "own-asset", "finance", "shanghai")
	sublicensable := `{"purpose":"credit risk model","regions":["shanghai","jiangsu"],"validUntil":"2029-01-01T00:00:00Z","maySublicense":true}`
	m.Submit("sh-ophold", "rights:Grant", "own-asset", seller, "OPERATION", sublicensable).MustOK(t)
	m.Submit(seller, "listings:Create", "L-resale", "own-asset", "USE", useScope, "FIXED", "1000", markettest.Hash("terms")).MustOK(t)

	m.do(t, buyer, "Order", "T1", "L-resale")
	m.do(t, seller, "Accept", "T1")
	for _, judge := range []string{"sh-ophold", "sh-optwin"} {
		m.refuseWith(t, ledgererr.Forbidden, "", judge, payment("1000"), "RecordPayment", "T1", "BANK-T1")
	}
	m.doWith(t, operator, payment("1000"), "RecordPayment", "T1", "BANK-T1")
	m.do(t, buyer, "Dispute", "T1", "nothing delivered")
	for _, judge := range []string{"sh-ophold", "sh-optwin"} {
		m.refuse(t, ledgererr.Forbidden, "", judge, "Resolve", "T1", "REFUND", "the licence is ours")
	}
	m.do(t, operator, "Resolve", "T1", "REFUND", "nothing delivered")
}
