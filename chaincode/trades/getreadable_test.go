package trades_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// trades:GetReadable answers each member, in one evaluation, exactly the trades of those asked that trades:Get answers
// it, in the order asked: a buyer its own trade and not the other buyer's, an operator those of its region, the
// seller and the regulator both; a trade that does not exist is left out alike. An unregistered identity is refused,
// and so is a list of more than model.MaxTradesPerRead trades or one naming a trade twice, naming the field.
func TestGetReadableAnswersTheTradesTradesGetAnswers(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.do(t, buyer2, "Order", "T2", holdingListing)
	m.do(t, localBuyer, "Order", "T3", useListing)
	asked := []string{"T3", "T-none", "T1", "T2"}
	for _, who := range []string{seller, sellerTwin, localBuyer, buyer, buyer2, holderOnly, operator, foreignOp, regulator} {
		var want []string
		for _, id := range asked {
			if m.Evaluate(who, "trades:Get", id).OK() {
				want = append(want, id)
			}
		}
		var got model.ReadableTrades
		m.Evaluate(who, "trades:GetReadable", strings.Join(asked, ",")).Unmarshal(t, &got)
		var ids []string
		for _, tr := range got.Items {
			ids = append(ids, tr.ID)
		}
		assert.Equal(t, want, ids, who)
	}
	var own model.ReadableTrades
	m.Evaluate(buyer, "trades:GetReadable", "T1,T2").Unmarshal(t, &own)
	require.Len(t, own.Items, 1, "a buyer reads its own trade, not the other buyer's")
	assert.Equal(t, "T1", own.Items[0].ID)

	markettest.RequireRefused(t, m.Net.Evaluate(m.Stranger(markettest.Anhui), "trades:GetReadable", "T1"), ledgererr.Forbidden, "")
	tooMany := strings.TrimSuffix(strings.Repeat("T1,", model.MaxTradesPerRead+1), ",")
	markettest.RequireRefused(t, m.Evaluate(seller, "trades:GetReadable", tooMany), ledgererr.InvalidArgument, "tradeIds")
	markettest.RequireRefused(t, m.Evaluate(seller, "trades:GetReadable", "T1,T1"), ledgererr.InvalidArgument, "tradeIds[1]")
}
