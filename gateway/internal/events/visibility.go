// Package events holds what the gateway's event stream needs beside the
// ledger: who may see which chaincode event, the stream position encoded as
// an SSE event ID, and the Server-Sent Events wire format.
package events

import "slices"

// Market events: the registry, assets and rights, listings and trades. Any
// member may see them; their payloads carry only the IDs of what changed.
var marketEvents = []string{
	// participants
	"ParticipantRegistered", "ParticipantRolesChanged", "ParticipantSuspended", "ParticipantReinstated",
	// assets and rights
	"AssetApplied", "AssetDerived", "AssetReviewed", "AssetObjected", "ObjectionDecided", "AssetCertified",
	"NoticePeriodSet", "RightGranted", "RightSublicensed", "RightRevoked", "HoldingTransferred",
	// listings
	"ListingCreated", "ListingPriceUpdated", "ListingDelisted",
	// trades
	"TradeOrdered", "TradeProposed", "TradeCountered", "TradeAccepted", "TradeRejected", "TradePaid",
	"TradeDelivered", "TradeCompleted", "TradeCancelled", "TradeExpired", "TradeDisputed", "TradeResolved",
	"TermsPurgeRequested", "TermsPurged",
}

// Restricted events: the credit contract's. Who published a record about
// whom, who asked to read whose records and who objected are themselves
// credit information, so only the regulator sees them in the stream (the
// subject reads its own traces through the API).
var restrictedEvents = []string{
	"RecordPublished", "RecordCorrected", "AuthorizationGranted", "AuthorizationRevoked", "QueryRequested",
	"ObjectionRaised", "ObjectionAnswered",
}

// RoleRegulator is the participant role that sees every event.
const RoleRegulator = "regulator"

// Visibility decides which events a caller may see. Events it does not know
// are shown to the regulator only: a new kind of event stays hidden until it
// is classified.
type Visibility struct {
	market     map[string]bool
	restricted map[string]bool
}

// DefaultVisibility classifies the chaincode's events.
func DefaultVisibility() *Visibility {
	return NewVisibility(marketEvents, restrictedEvents)
}

// NewVisibility returns a visibility with the given market and restricted
// event names.
func NewVisibility(market, restricted []string) *Visibility {
	v := &Visibility{market: map[string]bool{}, restricted: map[string]bool{}}
	for _, n := range market {
		v.market[n] = true
	}
	for _, n := range restricted {
		v.restricted[n] = true
	}
	return v
}

// Known reports whether the event name is classified.
func (v *Visibility) Known(name string) bool { return v.market[name] || v.restricted[name] }

// Market reports whether the event is a market event.
func (v *Visibility) Market(name string) bool { return v.market[name] }

// Allows reports whether a caller with roles may see the event.
func (v *Visibility) Allows(roles []string, name string) bool {
	if slices.Contains(roles, RoleRegulator) {
		return true
	}
	return v.market[name]
}
