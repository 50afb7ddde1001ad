package api_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A trade's ID, and so its existence, is for those who may read the trade
// (trades:Get), and the sale's event model.EventTradesClosed goes to the
// buyers whose trades it closed as well: a losing buyer, who may not read
// the sale, is shown neither its ID nor its buyer nor the buyer's org, only
// that its own trades were closed. Whoever may read the sale sees them: the
// seller, the regulator, an operator of the sale's region (the member admin
// here), and the winning buyer when a trade of its own on a listing the sale
// withdrew was closed (the only way it sees the event).
func TestALosingBuyerIsToldNeitherTheSaleNorItsBuyer(t *testing.T) {
	type trade struct{ buyer, region string }
	trades := map[string]trade{
		"T1": {"bob", "shanghai"},   // the sale
		"T2": {"alice", "shanghai"}, // alice's order of the sold listing
		"T5": {"bob", "anhui"},      // bob's order of a listing the sale withdrew, listed before the seller's org moved
	}
	e, ts := streamEnv(t, func(f *chaintest.Fake) {
		f.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
			roles := map[string][]string{"regulator": {model.RoleRegulator}, "admin": {model.RoleOperator}}[c.Member]
			if roles == nil {
				roles = []string{"holder"}
			}
			b, _ := json.Marshal(model.Participant{ID: c.Member, Roles: roles, Status: "ACTIVE"})
			return chaintest.Response{Result: b}, nil
		})
		f.Handle("trades:Get", func(c chaintest.Call) (chaintest.Response, error) {
			tr, ok := trades[c.Args[0]]
			if !ok || c.Member != tr.buyer && c.Member != "carol" && c.Member != "regulator" &&
				(c.Member != "admin" || tr.region != "shanghai") {
				return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden,
					Message: "FORBIDDEN: trade " + c.Args[0] + " is read by its parties"}
			}
			b, _ := json.Marshal(model.Trade{ID: c.Args[0], BuyerID: tr.buyer, SellerID: "carol", BuyerMSP: ownMSP, SellerMSP: ownMSP, Region: tr.region})
			return chaintest.Response{Result: b}, nil
		})
	})
	e.fake.Emit(model.EventTradesClosed, []byte(`{"tradeId":"T1","status":"COMPLETED","buyerId":"bob","sellerId":"carol",`+
		`"buyerMsp":"ShanghaiMSP","sellerMsp":"ShanghaiMSP","region":"shanghai","closedTradeIds":["T2","T5"],"closedBuyerIds":["alice","bob"]}`))
	seen := func(member string) (model.TradeEvent, string) {
		s := e.openStream(t, ts, member, "?start_block=0", "")
		got := s.next()
		s.close()
		require.Equal(t, model.EventTradesClosed, got.Data.Name, member)
		var p model.TradeEvent
		require.NoError(t, json.Unmarshal(got.Data.Payload, &p), member)
		return p, string(got.Data.Payload)
	}

	p, raw := seen("alice")
	assert.Equal(t, []string{"T2"}, p.ClosedTradeIDs, "her own closed trade")
	assert.Equal(t, model.TradeEvent{}, model.TradeEvent{TradeID: p.TradeID, BuyerID: p.BuyerID, BuyerMSP: p.BuyerMSP}, "the sale and its buyer")
	assert.NotContains(t, raw, `"T1"`)
	assert.NotContains(t, raw, "bob")
	assert.Equal(t, "carol", p.SellerID, "the seller she ordered from")

	for _, member := range []string{"carol", "regulator", "admin", "bob"} {
		p, _ := seen(member)
		assert.Equal(t, "T1", p.TradeID, member)
		assert.Equal(t, "bob", p.BuyerID, member)
		assert.Equal(t, ownMSP, p.BuyerMSP, member)
	}
}
