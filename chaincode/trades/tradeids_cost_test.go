package trades_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
)

// A page naming trades judges who may read them all at once: the caller and
// the market rules are read once, then, for an operator, the orgs of the
// parties the page names in one request, then the trades that concern the
// caller (assets.Named) in one request, so that a page costs the same few
// requests to the peer however many of its items were bought in trades, for
// a member (who reads none of them) as for another region's operator (whom
// the buyer's region now decides, from the market rules), and for a party
// (who reads its own).
func TestAPageReadsTheTradesItNamesInOneRequest(t *testing.T) {
	m := newMarket(t)
	requests := func(who, function string, args ...string) []string {
		r := m.Evaluate(who, function, args...).MustOK(t)
		var got []string
		for _, req := range r.Requests {
			if strings.HasPrefix(req, "GET_") {
				got = append(got, req)
			}
		}
		return got
	}
	calls := [][]string{
		{"rights:ListByAsset", "asset-2", "", ""},
		{"rights:ListByHolder", buyer, "", ""},
		{"listings:ListBySeller", seller, "", ""},
		{"assets:History", "asset-2", "100", ""},
	}
	// n licences over asset-2 and the holdings of n new assets, to buyers
	// of two regions.
	sell := func(n int) {
		for i := range n {
			who := buyer
			if i%2 == 1 {
				who = buyer2
			}
			licence, holding, asset := fmt.Sprintf("T-use-%d-%d", n, i), fmt.Sprintf("T-hold-%d-%d", n, i), fmt.Sprintf("asset-%d-%d", n, i)
			m.delivered(t, licence, who, useListing)
			m.do(t, who, "Confirm", licence)
			m.RegisterAsset(t, seller, operator, asset, "finance", "shanghai")
			m.Submit(seller, "listings:Create", "L-"+asset, asset, "HOLDING", "", "FIXED", "1000", markettest.Hash("t")).MustOK(t)
			m.delivered(t, holding, who, "L-"+asset)
			m.do(t, who, "Confirm", holding)
		}
	}
	sell(1)
	oneTrade := map[string][]string{}
	for _, who := range []string{localBuyer, foreignOp, buyer} {
		for _, call := range calls {
			oneTrade[who+call[0]] = requests(who, call[0], call[1:]...)
		}
	}
	sell(5)
	for _, who := range []string{localBuyer, foreignOp, buyer} {
		for _, call := range calls {
			got := requests(who, call[0], call[1:]...)
			assert.Equal(t, oneTrade[who+call[0]], got, "%s %s", who, call[0])
			assert.LessOrEqual(t, len(got), 7, "%s %s: a page's budget (the caller's enterprise binding one of them; then an operator's parties' orgs, and the trades that concern the caller)", who, call[0])
		}
	}
}
