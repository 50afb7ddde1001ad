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
	regulator := events.Viewer{ParticipantID: "reg", Roles: []string{"regulator"}, MSPID: "AnhuiMSP"}
	holder := events.Viewer{ParticipantID: "h", Roles: []string{"holder", "agency"}, MSPID: "AnhuiMSP"}
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
		assert.Equal(t, e.Audience == model.AudienceMarket, v.Allows(events.Viewer{ParticipantID: "x", Roles: []string{"holder", "buyer", "agency", "operator"}, MSPID: "AnhuiMSP"}, e.Name, []byte(`{}`)), e.Name)
	}
}

// The parties of the trade both trade tests stream, and the operators of its two orgs and the regulator, each with
// the one role they act in.
var (
	shSeller = viewer("sh-seller", "ShanghaiMSP", "holder")
	jsBuyer  = viewer("js-buyer", "JiangsuMSP", "buyer")
	shOp     = viewer("sh-op", "ShanghaiMSP", "operator")
	jsOp     = viewer("js-op", "JiangsuMSP", "operator")
	ahReg    = viewer("ah-reg", "AnhuiMSP", "regulator")
)

// viewer is a participant of org msp watching the stream, with the roles it holds in force (none: suspended).
func viewer(id, msp string, roles ...string) events.Viewer {
	return events.Viewer{ParticipantID: id, Roles: roles, MSPID: msp}
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

// A trade's events go to whom trades:Get lets read the trade: its parties,
// the regulator, the operators of the exchanges of the two orgs it is
// between. Nobody else, and no participant suspended (no role in force).
func TestATradesEventsGoToWhoMayReadTheTrade(t *testing.T) {
	payload, err := json.Marshal(model.TradeEvent{TradeID: "T1", BuyerID: "js-buyer", SellerID: "sh-seller",
		BuyerMSP: "JiangsuMSP", SellerMSP: "ShanghaiMSP"})
	require.NoError(t, err)
	assertAudience(t, payload, []string{model.EventTradeOrdered, model.EventTradeCompleted},
		[]events.Viewer{jsBuyer, shSeller, shOp, jsOp, ahReg},
		[]events.Viewer{viewer("zj-op", "ZhejiangMSP", "operator"), viewer("js-holder", "JiangsuMSP", "holder"),
			viewer("ah-other", "AnhuiMSP", "buyer", "agency"), viewer("js-buyer", "JiangsuMSP"), viewer("", "ShanghaiMSP")})
	assert.False(t, events.DefaultVisibility().Allows(events.Viewer{ParticipantID: "js-buyer", Roles: []string{"buyer"}}, model.EventTradeOrdered, []byte("not json")))
}

// The event of trades:CloseOthers goes to whoever reads every trade it
// closed (the regulator, the sale's seller, the operators of the seller's
// org's exchange) and to the buyers of those trades; not to the sale's
// buyer, whom its very existence would tell that others had ordered, nor to
// the operators of the buyer's org, nor to anyone suspended.
func TestTheClosingEventGoesToTheSellerAndTheBuyersItClosedFor(t *testing.T) {
	payload, err := json.Marshal(model.TradeEvent{TradeID: "T1", BuyerID: "js-buyer", SellerID: "sh-seller",
		BuyerMSP: "JiangsuMSP", SellerMSP: "ShanghaiMSP", ClosedTradeIDs: []string{"T2"}, ClosedBuyerIDs: []string{"ah-buyer"}})
	require.NoError(t, err)
	assertAudience(t, payload, []string{model.EventTradesClosed},
		[]events.Viewer{shSeller, viewer("ah-buyer", "AnhuiMSP", "buyer"), shOp, ahReg},
		[]events.Viewer{jsBuyer, jsOp, viewer("ah-other", "AnhuiMSP", "buyer"), viewer("ah-buyer", "AnhuiMSP")})
}
