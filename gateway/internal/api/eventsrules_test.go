package api_test

import (
	"encoding/json"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/events"
	"github.com/deltaledger/deltaledger/model"
)

// programOperatorIn answers WhoAmI: every member is an ACTIVE operator placed in the region region holds now, as
// the chaincode places a caller by the rules in force.
func programOperatorIn(region *atomic.Value) func(*chaintest.Fake) {
	return func(f *chaintest.Fake) {
		f.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
			b, _ := json.Marshal(model.Participant{ID: c.Member, Roles: []string{model.RoleOperator}, Status: "ACTIVE", Region: region.Load().(string)})
			return chaintest.Response{Result: b}, nil
		})
	}
}

// tradeEvent is the payload of an event of trade id between bob (of buyerMSP) and carol (of sellerMSP), listed in
// region.
func tradeEvent(id, region, sellerMSP, buyerMSP string) []byte {
	b, _ := json.Marshal(model.TradeEvent{TradeID: id, BuyerID: "bob", SellerID: "carol", BuyerMSP: buyerMSP, SellerMSP: sellerMSP, Region: region})
	return b
}

// A stream opened just after a majority moved orgs, after the change's own event, judges trades by the rules in
// force, not by those the gateway read for another request a moment before the change: alice, an operator of
// Shanghai's org, was placed in zhejiang while the rules swapped Shanghai's and Zhejiang's orgs, and is in shanghai
// once they are swapped back. Under the old rules, Zhejiang's org was shanghai's, so the old table and her new region
// together would show her a trade whose buyer is of Zhejiang's org, which trades:Get refuses her now.
func TestAStreamOpenedAfterARulesChangeJudgesByTheNewRules(t *testing.T) {
	var region atomic.Value
	region.Store("zhejiang")
	e, ts := streamEnv(t, programOperatorIn(&region))
	swapped := map[string]string{"ShanghaiMSP": "zhejiang", "JiangsuMSP": "jiangsu", "ZhejiangMSP": "shanghai", "AnhuiMSP": "anhui"}
	e.fake.Returns("market:GetRules", rulesBinding(1, swapped))
	warm := e.openStream(t, ts, "admin", "", "") // reads the rules of then, which the gateway keeps for rolesTTL
	e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":1}`))
	warm.next()
	warm.close()

	region.Store("shanghai")
	e.fake.Returns("market:GetRules", rulesBinding(2, foundingOrgs))
	changed := e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":2}`))
	s := e.openStream(t, ts, "alice", "?after="+events.ID(changed), "")
	defer s.close()
	e.fake.Emit(model.EventTradeOrdered, tradeEvent("t1", "anhui", "AnhuiMSP", "ZhejiangMSP"))
	own := e.fake.Emit(model.EventTradeOrdered, tradeEvent("t2", "shanghai", "ShanghaiMSP", "AnhuiMSP"))
	assert.Equal(t, own.TransactionID, s.next().Data.TransactionID, "the trade of zhejiang's buyer is not hers to read now")
	s.none()
}
