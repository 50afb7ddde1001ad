package trades_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// TestAHiddenTradeIDIsInNoReadSet: an answer that blanks a trade's ID for
// its caller (assets.TradeIDs) reads no key that names the trade either. A
// member that sends its own proposal receives the simulation's read set
// with the answer, so a key `trade|<ID>` read there to decide the blanking
// tells it the ID all the same. Neither another member, nor an operator of
// a region that is neither the seller's nor the buyer's, nor an
// unregistered identity reads the promised sale's key through the register,
// and after the sale neither through the register, the listings nor the
// rights.
func TestAHiddenTradeIDIsInNoReadSet(t *testing.T) {
	const sale, thirdOp = "HIDDEN-SALE", "ah-op"
	m := newMarket(t)
	m.Join(t, markettest.Anhui, thirdOp, "operator", markettest.USCC(103))
	m.paid(t, sale, buyer, holdingListing)
	stranger := m.Stranger(markettest.Anhui)
	calls := [][]string{
		{"assets:Get", "asset-1"}, {"assets:ListByHolder", seller, "", ""}, {"assets:History", "asset-1", "100", ""},
	}
	check := func(when string) {
		t.Helper()
		for _, who := range []string{buyer2, localBuyer, holderOnly, thirdOp, ""} {
			for _, call := range calls {
				var r chaincodetest.Result
				if who == "" {
					r = m.Net.Evaluate(stranger, call[0], call[1:]...)
				} else {
					r = m.Evaluate(who, call[0], call[1:]...)
				}
				r.MustOK(t)
				assert.NotContains(t, string(r.Payload), sale, "%s: %s answers %q the sale", when, call, who)
				for _, key := range r.Reads {
					segments := strings.FieldsFunc(key, func(c rune) bool { return c == 0 || c == '/' })
					assert.NotContains(t, segments, sale, "%s: %s read %q for %q", when, call, strings.ReplaceAll(key, "\x00", "|"), who)
				}
			}
		}
	}
	check("promised")

	m.do(t, seller, "Deliver", sale, markettest.Hash("delivery of "+sale))
	m.do(t, buyer, "Confirm", sale)
	var a model.Asset
	m.Evaluate(buyer, "assets:Get", "asset-1").Unmarshal(t, &a)
	calls = append(calls,
		[]string{"assets:ListByHolder", buyer, "", ""},
		[]string{"listings:Get", holdingListing}, []string{"listings:ListBySeller", seller, "", ""},
		[]string{"rights:Get", a.HoldingRightID}, []string{"rights:History", a.HoldingRightID},
		[]string{"rights:ListByAsset", "asset-1", "", ""}, []string{"rights:ListByHolder", buyer, "", ""},
		[]string{"rights:ListByHolder", seller, "", ""},
	)
	check("sold")
}
