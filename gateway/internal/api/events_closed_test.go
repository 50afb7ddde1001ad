package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
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
		f.Handle("trades:GetReadable", readableAs(func(c chaintest.Call) (chaintest.Response, error) {
			tr, ok := trades[c.Args[0]]
			if !ok || c.Member != tr.buyer && c.Member != "carol" && c.Member != "regulator" &&
				(c.Member != "admin" || tr.region != "shanghai") {
				return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden,
					Message: "FORBIDDEN: trade " + c.Args[0] + " is read by its parties"}
			}
			b, _ := json.Marshal(model.Trade{ID: c.Args[0], BuyerID: tr.buyer, SellerID: "carol", BuyerMSP: ownMSP, SellerMSP: ownMSP, Region: tr.region})
			return chaintest.Response{Result: b}, nil
		}))
	})
	e.fake.Emit(model.EventTradesClosed, []byte(`{"tradeId":"T1","status":"COMPLETED","buyerId":"bob","sellerId":"carol",`+
		`"buyerMsp":"ShanghaiMSP","sellerMsp":"ShanghaiMSP","region":"shanghai","closedTradeIds":["T2","T5"],"closedBuyerIds":["alice","bob"]}`))
	seen := func(member string) (model.TradeEvent, string) {
		s := e.openStream(t, ts, member, "?start_block=0", "")
		got := s.next()
		s.Close()
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

// readableAs answers trades:GetReadable as the chaincode does, with trades:Get's rule: of the trades asked, those get
// answers the caller (get is a handler of trades:Get), in the order asked.
func readableAs(get chaintest.Handler) chaintest.Handler {
	return func(c chaintest.Call) (chaintest.Response, error) {
		answer := model.ReadableTrades{Items: []*model.Trade{}}
		for _, id := range strings.Split(c.Args[0], ",") {
			one := c
			one.Args = []string{id}
			r, err := get(one)
			if err != nil {
				continue
			}
			var t model.Trade
			if err := json.Unmarshal(r.Result, &t); err != nil {
				return chaintest.Response{}, err
			}
			answer.Items = append(answer.Items, &t)
		}
		b, _ := json.Marshal(answer)
		return chaintest.Response{Result: b}, nil
	}
}

// How many trades a sale closed that a losing buyer may not read must not show in when its event reaches it: the
// narrowing costs one evaluation (trades:GetReadable of the closed trades and the sale), whether the sale closed her
// trade alone or hers and fifty others, and no trades:Get per trade.
func TestALosingBuyersEventCostsTheSameWhateverTheTradesHiddenFromHer(t *testing.T) {
	// callsToSee counts the peer calls of a gateway that shows alice the event of a sale that closed her trade and
	// hidden others.
	callsToSee := func(hidden int) int {
		e, ts := streamEnv(t, func(f *chaintest.Fake) {
			programRoles(f)
			get := func(c chaintest.Call) (chaintest.Response, error) {
				if c.Member != "alice" || c.Args[0] != "T-alice" {
					return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden, Message: "FORBIDDEN: not hers"}
				}
				b, _ := json.Marshal(model.Trade{ID: c.Args[0], BuyerID: "alice", SellerID: "carol", BuyerMSP: ownMSP, SellerMSP: "AnhuiMSP"})
				return chaintest.Response{Result: b}, nil
			}
			f.Handle("trades:Get", get)
			f.Handle("trades:GetReadable", readableAs(get))
		})
		closed := []string{"T-alice"}
		for i := range hidden {
			closed = append(closed, fmt.Sprintf("T-hidden-%d", i))
		}
		sale, _ := json.Marshal(model.TradeEvent{TradeID: "T-sale", BuyerID: "bob", SellerID: "carol", BuyerMSP: ownMSP, SellerMSP: "AnhuiMSP",
			ClosedTradeIDs: closed, ClosedBuyerIDs: []string{"alice", "dave"}})
		e.fake.Emit(model.EventTradesClosed, sale)
		s := e.openStream(t, ts, "alice", "?start_block=0", "")
		got := s.next()
		s.Close()
		var p model.TradeEvent
		require.NoError(t, json.Unmarshal(got.Data.Payload, &p))
		assert.Equal(t, []string{"T-alice"}, p.ClosedTradeIDs, "%d hidden: her own closed trade", hidden)
		assert.Empty(t, e.fake.CallsTo("trades:Get"), "%d hidden: no read per trade", hidden)
		return len(e.fake.Calls())
	}
	alone := callsToSee(0)
	assert.Equal(t, alone, callsToSee(1), "as many calls to the peer with one trade hidden from her as with none")
	assert.Equal(t, alone, callsToSee(50), "as many calls to the peer with fifty trades hidden from her as with none")
}
