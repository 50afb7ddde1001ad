package model

import "slices"

// Audience says who may see a chaincode event in a client's event stream.
// Only an org's admins, peers and ordering nodes read the channel's blocks
// and chaincode events (each org's Readers policy); the audience is the rule
// the REST gateway, which reads them as its org's admin, applies to the
// members it serves.
type Audience string

const (
	// AudienceMarket events are seen by every member: the registry, assets
	// and rights, listings, the published indices. Their payloads carry
	// only the IDs of what changed.
	AudienceMarket Audience = "market"
	// AudienceTrade events are seen by those who may read the trade they
	// are about (trades:Get): its parties (the payload's buyerId and
	// sellerId), the regulator, and the operators of the exchanges of the
	// two orgs it is between (buyerMsp, sellerMsp; each org is one region's).
	AudienceTrade Audience = "trade"
	// AudienceClosedTrades events name the other buyers' trades that a sale
	// of a holding beat (trades:CloseOthers): they are seen by those who may
	// read every one of those trades (the regulator, the sale's seller, the
	// operators of the seller's org's exchange) and by their buyers, each
	// shown only the trades it may read, and the sale's own tradeId, buyerId
	// and buyerMsp only if it may read the sale (trades:Get; blank for a
	// buyer whose order the sale beat, as a trade's ID is for whoever may not
	// read it). Not by the sale's buyer unless a trade of its own was closed
	// too: that the event exists would tell it that others had ordered.
	AudienceClosedTrades Audience = "closed trades"
	// AudienceRegulator events are seen by the regulator only: the credit
	// contract's. Who published a record about whom, who asked to read
	// whose records and who objected are themselves credit information (the
	// subject reads its own traces through the API).
	AudienceRegulator Audience = "regulator"
)

// Event is one kind of chaincode event: its name, the contract that emits
// it, who may see it, and its payload's type.
type Event struct {
	// Name is the chaincode event name.
	Name string
	// Contract is the contract that emits it.
	Contract string
	// Audience is who may see it.
	Audience Audience
	// Payload is a value of the payload's type (only the type matters).
	Payload any
}

// events declares the events of one contract with one payload type and
// audience.
func events(contract string, audience Audience, payload any, names ...string) []Event {
	out := make([]Event, len(names))
	for i, n := range names {
		out[i] = Event{Name: n, Contract: contract, Audience: audience, Payload: payload}
	}
	return out
}

// eventCatalogue is every event the chaincode emits. Each state-changing
// function emits exactly one, at its end.
var eventCatalogue = slices.Concat(
	events(ParticipantsContract.Name, AudienceMarket, ParticipantEvent{},
		EventParticipantRegistered, EventParticipantRolesChanged, EventParticipantSuspended, EventParticipantReinstated,
		EventParticipantDivisionSet, EventParticipantKeyRotated, EventParticipantKeyRebound),
	events(ParticipantsContract.Name, AudienceMarket, ReleaseEvent{}, EventEnterpriseReleased),
	events(MarketContract.Name, AudienceMarket, RulesEvent{},
		EventMarketRulesSet, EventMarketRulesApproved, EventMarketRulesChanged),
	events(AssetsContract.Name, AudienceMarket, AssetEvent{},
		EventAssetApplied, EventAssetDerived, EventAssetReviewed, EventAssetObjected, EventObjectionDecided, EventAssetCertified),
	events(RightsContract.Name, AudienceMarket, RightEvent{},
		EventRightGranted, EventRightSublicensed, EventRightAccepted, EventRightDeclined, EventRightRevoked, EventRightRenounced,
		EventHoldingTransferred),
	events(RightsContract.Name, AudienceMarket, HoldingOfferEvent{},
		EventHoldingOffered, EventHoldingRefused, EventHoldingWithdrawn),
	events(ListingsContract.Name, AudienceMarket, ListingEvent{},
		EventListingCreated, EventListingPriceUpdated, EventListingDelisted),
	events(TradesContract.Name, AudienceTrade, TradeEvent{},
		EventTradeOrdered, EventTradeProposed, EventTradeCountered, EventTradeAccepted, EventTradeRejected, EventTradePaid,
		EventTradeDelivered, EventTradeCompleted, EventTradeCancelled, EventTradeExpired, EventTradeDisputed, EventTradeResolved,
		EventTermsPurgeRequested, EventTermsPurged),
	events(TradesContract.Name, AudienceClosedTrades, TradeEvent{}, EventTradesClosed),
	events(IndicesContract.Name, AudienceMarket, IndexEvent{}, EventIndexPeriodOpened, EventIndexPublished),
	events(CreditContract.Name, AudienceRegulator, CreditEvent{},
		EventRecordPublished, EventAuthorizationGranted, EventAuthorizationRevoked, EventQueryRequested,
		EventObjectionRaised, EventObjectionAnswered),
)

// Events returns the catalogue of chaincode events.
func Events() []Event { return slices.Clone(eventCatalogue) }

// LookupEvent finds an event of the catalogue by name.
func LookupEvent(name string) (Event, bool) {
	i := slices.IndexFunc(eventCatalogue, func(e Event) bool { return e.Name == name })
	if i < 0 {
		return Event{}, false
	}
	return eventCatalogue[i], true
}
