// Package events holds what the gateway's event stream needs beside the
// ledger: who may see which chaincode event, the stream position encoded as
// an SSE event ID, and the Server-Sent Events wire format.
package events

import (
	"encoding/json"
	"slices"

	"github.com/deltaledger/deltaledger/model"
)

// Visibility decides which events a caller may see, by the audience the
// chaincode's event catalogue (model.Events) gives each: the regulator sees
// every event; other members the market's, and a trade's events when they
// may read the trade (model.AudienceTrade). Events the catalogue does not
// know are shown to the regulator only, so a new kind of event stays hidden
// until it is classified.
type Visibility struct {
	audience map[string]model.Audience
}

// Viewer is the member a stream shows events to, as the ledger knows it now.
type Viewer struct {
	// ParticipantID is the member's participant ("" when it is none).
	// Without Roles (suspended) it is shown no trade.
	ParticipantID string
	// MSPID is its org. Its region, whose exchange its operators run, is the
	// one RegionOf binds the org to: the viewer's region and every other
	// org's come from one read of the rules, so they never disagree.
	MSPID string
	// Roles are its roles in force.
	Roles []string
	// RegionOf is the market rules in force: the region each org is bound
	// to ("" for an org they do not name), as the chaincode reads it to
	// place the caller and to decide a trade's buyer's side. Nil knows no
	// org.
	RegionOf func(msp string) string
}

// regionOf is the region the rules in force bind org msp to.
func (v Viewer) regionOf(msp string) string {
	if v.RegionOf == nil || msp == "" {
		return ""
	}
	return v.RegionOf(msp)
}

// isOperatorOf reports whether the viewer is an operator of the exchange of
// region. A viewer whose org the rules do not name is in no region, and an
// operator of none.
func (v Viewer) isOperatorOf(region string) bool {
	return region != "" && v.regionOf(v.MSPID) == region && slices.Contains(v.Roles, model.RoleOperator)
}

// DefaultVisibility classifies the chaincode's events by the catalogue.
func DefaultVisibility() *Visibility {
	v := &Visibility{audience: map[string]model.Audience{}}
	for _, e := range model.Events() {
		v.audience[e.Name] = e.Audience
	}
	return v
}

// Allows reports whether viewer may see the event called name with payload.
func (v *Visibility) Allows(viewer Viewer, name string, payload []byte) bool {
	if slices.Contains(viewer.Roles, model.RoleRegulator) {
		return true
	}
	switch v.audience[name] {
	case model.AudienceMarket:
		return true
	case model.AudienceTrade:
		return mayWatchTrade(viewer, payload)
	case model.AudienceClosedTrades:
		return mayWatchClosing(viewer, payload)
	}
	return false
}

// mayWatchTrade is the rule of trades:Get for a trade event: the trade's
// parties, and the operators of the exchanges of its regions: the trade's
// own (the event's region, where it was listed) and the buyer's org's
// region in the market rules in force. An event emitted before trade
// events carried their region (interface 5.0.0) names no trade's region,
// and is not taken to be the seller's org's region now: that is not the
// trade's once the org has moved, and trades:Get (Trade.Region) would refuse
// the operators it names. Such an event goes to the buyer's side only; the
// trade's region's operators read the trade with trades:Get.
func mayWatchTrade(viewer Viewer, payload []byte) bool {
	var e model.TradeEvent
	if len(viewer.Roles) == 0 || json.Unmarshal(payload, &e) != nil {
		return false // no role in force: a suspended participant reads no trade
	}
	if id := viewer.ParticipantID; id != "" && (id == e.BuyerID || id == e.SellerID) {
		return true
	}
	return viewer.isOperatorOf(e.Region) || viewer.isOperatorOf(viewer.regionOf(e.BuyerMSP))
}

// mayWatchClosing is the rule of model.AudienceClosedTrades for the event of
// trades:CloseOthers: the seller's side (whoever reads every trade it closed,
// ReadsEveryClosedTrade, and the operators of the sale's region, who are
// shown those of the closed trades they may read), and the buyers of those
// trades, who learn why their trades ended.
func mayWatchClosing(viewer Viewer, payload []byte) bool {
	var e model.TradeEvent
	if len(viewer.Roles) == 0 || json.Unmarshal(payload, &e) != nil {
		return false
	}
	return ReadsEveryClosedTrade(viewer, e) || viewer.isOperatorOf(e.Region) ||
		viewer.ParticipantID != "" && slices.Contains(e.ClosedBuyerIDs, viewer.ParticipantID)
}

// ReadsEveryClosedTrade reports whether viewer may read every trade event e
// of trades:CloseOthers says it closed (e.ClosedTradeIDs), as trades:Get decides:
// the regulator, and, since those trades are all the sale's seller's, the
// seller. Anyone else is shown only those of them it may read: an operator
// of the sale's region too, since the listings the sale took off the market
// may have been listed in another region before the seller's org moved.
func ReadsEveryClosedTrade(viewer Viewer, e model.TradeEvent) bool {
	if len(viewer.Roles) == 0 {
		return false
	}
	return slices.Contains(viewer.Roles, model.RoleRegulator) || (viewer.ParticipantID != "" && viewer.ParticipantID == e.SellerID)
}
