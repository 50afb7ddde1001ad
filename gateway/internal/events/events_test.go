package events_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/events"
	"github.com/deltaledger/deltaledger/model"
)

func TestIDRoundTrip(t *testing.T) {
	e := &chain.Event{BlockNumber: 42, TransactionID: strings.Repeat("ab", 32)}
	p, err := events.ParseID(events.ID(e))
	require.NoError(t, err)
	assert.Equal(t, chain.After(e), p)
	for _, bad := range []string{"", "42", "x-ab", "42-", "-ab", "42-AB", "42-ab-cd", "99999999999999999999999-ab"} {
		_, err := events.ParseID(bad)
		assert.Error(t, err, bad)
	}
}

func TestSSEFormat(t *testing.T) {
	var b bytes.Buffer
	w := events.NewWriter(&b)
	require.NoError(t, w.Event("1-ab", "AssetApplied", []byte("{\n\"a\":1}")))
	require.NoError(t, w.Comment("keep\nalive"))
	require.NoError(t, w.Retry(2000))
	require.NoError(t, w.Flush())
	assert.Equal(t, "id: 1-ab\nevent: AssetApplied\ndata: {\ndata: \"a\":1}\n\n: keep alive\n\nretry: 2000\n\n", b.String())
}

func TestRegulatorSeesAllOthersMarketOnly(t *testing.T) {
	v := events.DefaultVisibility()
	regulator := viewer("reg", "AnhuiMSP", "regulator")
	holder := viewer("h", "AnhuiMSP", "holder", "agency")
	assert.True(t, v.Allows(regulator, "RecordPublished", nil))
	assert.True(t, v.Allows(regulator, "Unclassified", nil))
	assert.True(t, v.Allows(holder, "AssetCertified", nil))
	// A grantee's answer to an offered right is a market event, as the offer (RightGranted) is.
	for _, name := range []string{model.EventRightGranted, model.EventRightAccepted, model.EventRightDeclined} {
		assert.True(t, v.Allows(holder, name, []byte(`{"rightId":"R-1","status":"ACTIVE"}`)), name)
	}
	assert.False(t, v.Allows(holder, "RecordPublished", nil))
	assert.False(t, v.Allows(events.Viewer{}, "Unclassified", nil), "unknown events stay hidden")
	for _, e := range model.Events() {
		assert.Equal(t, e.Audience == model.AudienceMarket, v.Allows(viewer("x", "AnhuiMSP", "holder", "buyer", "agency", "operator"), e.Name, []byte(`{}`)), e.Name)
	}
}

// founding binds each org to the region it was founded as the exchange of: the market rules in force before any move.
var founding = map[string]string{"ShanghaiMSP": "shanghai", "JiangsuMSP": "jiangsu", "ZhejiangMSP": "zhejiang", "AnhuiMSP": "anhui"}

// The parties of the trade both trade tests stream, and the operators of its two regions and the regulator, each with
// the one role they act in.
var (
	shSeller = viewer("sh-seller", "ShanghaiMSP", "holder")
	jsBuyer  = viewer("js-buyer", "JiangsuMSP", "buyer")
	shOp     = viewer("sh-op", "ShanghaiMSP", "operator")
	jsOp     = viewer("js-op", "JiangsuMSP", "operator")
	ahReg    = viewer("ah-reg", "AnhuiMSP", "regulator")
)

// viewer is a participant of org msp watching the stream before any move, with the roles it holds in force (none:
// suspended).
func viewer(id, msp string, roles ...string) events.Viewer {
	return viewerUnder(founding, id, msp, roles...)
}

// viewerUnder is a participant of org msp watching the stream under the market rules rules (each org's region).
func viewerUnder(rules map[string]string, id, msp string, roles ...string) events.Viewer {
	return events.Viewer{ParticipantID: id, MSPID: msp, Roles: roles, RegionOf: func(msp string) string { return rules[msp] }}
}

// assertAudience checks that each of the events named, carrying payload, reaches every viewer allowed and none
// refused.
func assertAudience(t *testing.T, payload []byte, names []string, allowed, refused []events.Viewer) {
	t.Helper()
	v := events.DefaultVisibility()
	for _, name := range names {
		for _, who := range allowed {
			assert.True(t, v.Allows(who, name, payload), "%+v %s", who, name)
		}
		for _, who := range refused {
			assert.False(t, v.Allows(who, name, payload), "%+v %s", who, name)
		}
	}
}

// tradePayload is the event of a trade of a Shanghai seller listed in shanghai and a Jiangsu buyer, as the chaincode
// emits it (with the trade's region), closing closed (none: a trade's own event).
func tradePayload(t *testing.T, region string, closed ...string) []byte {
	e := model.TradeEvent{TradeID: "T1", BuyerID: "js-buyer", SellerID: "sh-seller", BuyerMSP: "JiangsuMSP", SellerMSP: "ShanghaiMSP", Region: region}
	if len(closed) > 0 {
		e.ClosedTradeIDs, e.ClosedBuyerIDs = closed, []string{"ah-buyer"}
	}
	payload, err := json.Marshal(e)
	require.NoError(t, err)
	return payload
}

// A trade's events go to whom trades:Get lets read the trade: its parties,
// the regulator, the operators of the exchanges of its two regions. Nobody
// else, and no participant suspended (no role in force).
func TestATradesEventsGoToWhoMayReadTheTrade(t *testing.T) {
	assertAudience(t, tradePayload(t, "shanghai"), []string{model.EventTradeOrdered, model.EventTradeCompleted},
		[]events.Viewer{jsBuyer, shSeller, shOp, jsOp, ahReg},
		[]events.Viewer{viewer("zj-op", "ZhejiangMSP", "operator"), viewer("js-holder", "JiangsuMSP", "holder"),
			viewer("ah-other", "AnhuiMSP", "buyer", "agency"), viewer("js-buyer", "JiangsuMSP"), viewer("", "ShanghaiMSP")})
	assert.False(t, events.DefaultVisibility().Allows(events.Viewer{ParticipantID: "js-buyer", Roles: []string{"buyer"}}, model.EventTradeOrdered, []byte("not json")))
}

// After a majority moves orgs, a trade's events go to the operators trades:Get admits: those of the trade's region
// (where it was listed, whichever org runs that region now) and those of the buyer's org's region now; not the
// operators of the seller's org, which runs another region now, nor those of the region the buyer's org left. Here
// Shanghai's and Zhejiang's orgs swap, and so do Jiangsu's and Anhui's.
func TestATradesEventsFollowTheRegionsInForce(t *testing.T) {
	moved := map[string]string{"ShanghaiMSP": "zhejiang", "ZhejiangMSP": "shanghai", "JiangsuMSP": "anhui", "AnhuiMSP": "jiangsu"}
	shOpNow, zjOpNow := viewerUnder(moved, "sh-op", "ShanghaiMSP", "operator"), viewerUnder(moved, "zj-op", "ZhejiangMSP", "operator")
	jsOpNow, ahOpNow := viewerUnder(moved, "js-op", "JiangsuMSP", "operator"), viewerUnder(moved, "ah-op", "AnhuiMSP", "operator")
	assertAudience(t, tradePayload(t, "shanghai"), []string{model.EventTradeOrdered, model.EventTradeCompleted},
		[]events.Viewer{zjOpNow, jsOpNow, viewerUnder(moved, "sh-seller", "ShanghaiMSP", "holder")},
		[]events.Viewer{shOpNow, ahOpNow})
	// The closing event goes to the seller's side: the operators of the sale's region now.
	assertAudience(t, tradePayload(t, "shanghai", "T2"), []string{model.EventTradesClosed},
		[]events.Viewer{zjOpNow}, []events.Viewer{shOpNow, jsOpNow, ahOpNow})
}

// A trade's event emitted before trade events carried their region (interface 5.0.0) does not say where the trade
// was listed, and the seller's org's region now is not it once that org has moved: Shanghai's org runs zhejiang now,
// and trades:Get refuses its operators the trade listed in shanghai (Trade.Region). So such an event goes to no
// operator on the trade's side (showing less: they read the trade with trades:Get), only to the parties, the
// regulator and the operators of the buyer's org's region now, which trades:Get admits whatever the trade's region.
func TestATradesEventWithoutItsRegionGoesToNoOperatorOnTheSellersSide(t *testing.T) {
	moved := map[string]string{"ShanghaiMSP": "zhejiang", "ZhejiangMSP": "shanghai", "JiangsuMSP": "jiangsu", "AnhuiMSP": "anhui"}
	legacy := tradePayload(t, "") // emitted before 5.0.0, of a trade listed in shanghai
	assertAudience(t, legacy, []string{model.EventTradeOrdered, model.EventTradeCompleted},
		[]events.Viewer{viewerUnder(moved, "js-buyer", "JiangsuMSP", "buyer"), viewerUnder(moved, "sh-seller", "ShanghaiMSP", "holder"),
			viewerUnder(moved, "js-op", "JiangsuMSP", "operator"), viewerUnder(moved, "ah-reg", "AnhuiMSP", "regulator")},
		[]events.Viewer{viewerUnder(moved, "sh-op", "ShanghaiMSP", "operator"), viewerUnder(moved, "zj-op", "ZhejiangMSP", "operator"),
			shOp})
}

// The event of trades:CloseOthers goes to whoever reads every trade it
// closed (the regulator, the sale's seller), the operators of the sale's
// region and to the buyers of those trades; not to the sale's
// buyer, whom its very existence would tell that others had ordered, nor to
// the operators of the buyer's region, nor to anyone suspended.
func TestTheClosingEventGoesToTheSellerAndTheBuyersItClosedFor(t *testing.T) {
	assertAudience(t, tradePayload(t, "shanghai", "T2"), []string{model.EventTradesClosed},
		[]events.Viewer{shSeller, viewer("ah-buyer", "AnhuiMSP", "buyer"), shOp, ahReg},
		[]events.Viewer{jsBuyer, jsOp, viewer("ah-other", "AnhuiMSP", "buyer"), viewer("ah-buyer", "AnhuiMSP")})
	assert.False(t, events.ReadsEveryClosedTrade(shOp, model.TradeEvent{SellerID: "sh-seller", Region: "shanghai"}),
		"an operator of the sale's region is shown the closed trades it may read")
	assert.True(t, events.ReadsEveryClosedTrade(shSeller, model.TradeEvent{SellerID: "sh-seller", Region: "shanghai"}))
}
