package model

import "reflect"

// FieldValues declares, for the records the market answers with, the closed
// value set of each string field (or of each item of a string-list field)
// that has one, by the record's Go type and the field's JSON name. The
// schemas generated from the types (model/jsonschema: the contract metadata,
// the gateway's OpenAPI document, the integration guide) publish each as the
// field's "enum", so that a client learns from the metadata which values an
// answer may carry.
//
// A table rather than struct tags, because a tag can only hold literal text
// and would write the values a second time beside their constants; rather
// than a method on each type, because one table shows every declared set in
// one place, needs no interface for the registry to detect, and lets a test
// walk every entry (model/jsonschema checks each names a real field). An
// entry of an embedded type covers the types that embed it
// (ObjectionView embeds CreditObjection). A set must hold every value a
// field can carry in an answer, computed ones included (EXPIRED for a right
// or an authorisation), or clients that validate answers would reject real
// ones.
//
// The event payloads declare theirs too, so that a listener can validate an
// event as it validates an answer. A field an event may leave unset is
// omitempty: its schema does not require it, and an unset value is absent
// rather than an empty string outside the set (AssetEvent's decision is set
// by Review and DecideObjection only; TradeEvent's rightType and pricing by
// the events of a sale, its outcome by Resolve; CreditEvent's outcome by
// AnswerObjection). The always-set ones (every payload's status, a right's
// type) are never empty: chaincode/contracts checks every event the
// contract tests emit against its schema.
var FieldValues = map[reflect.Type]map[string][]string{
	reflect.TypeFor[Asset]():           {"status": AssetStatuses},
	reflect.TypeFor[Objection]():       {"status": ObjectionStatuses},
	reflect.TypeFor[Entitlement]():     {"rightType": RightTypes},
	reflect.TypeFor[HistoryEntry]():    {"action": HistoryActions, "assetStatus": AssetStatuses, "rightType": RightTypes, "decision": Decisions},
	reflect.TypeFor[Right]():           {"type": RightTypes, "origin": RightOrigins, "status": RightStatuses},
	reflect.TypeFor[HoldingOffer]():    {"status": HoldingOfferStatuses},
	reflect.TypeFor[Listing]():         {"rightType": RightTypes, "pricing": Pricings, "status": ListingStatuses},
	reflect.TypeFor[Trade]():           {"rightType": RightTypes, "pricing": Pricings, "status": TradeStatuses},
	reflect.TypeFor[Participant]():     {"roles": Roles, "certifiedRoles": Roles, "status": ParticipantStatuses},
	reflect.TypeFor[Record]():          {"status": RecordStatuses},
	reflect.TypeFor[Dispute]():         {"status": CreditObjectionStatuses},
	reflect.TypeFor[CreditContents]():  {"type": RecordTypes},
	reflect.TypeFor[Authorization]():   {"status": AuthorizationStatuses},
	reflect.TypeFor[Trace]():           {"basis": Bases},
	reflect.TypeFor[CreditObjection](): {"status": CreditObjectionStatuses, "outcome": Answers},
	reflect.TypeFor[Publication]():     {"status": PublicationStatuses},

	reflect.TypeFor[AssetEvent]():        {"status": AssetStatuses, "decision": Decisions},
	reflect.TypeFor[RightEvent]():        {"type": RightTypes, "status": RightStatuses},
	reflect.TypeFor[HoldingOfferEvent](): {"status": HoldingOfferStatuses},
	reflect.TypeFor[TradeEvent]():        {"status": TradeStatuses, "outcome": Outcomes, "rightType": RightTypes, "pricing": Pricings},
	reflect.TypeFor[CreditEvent]():       {"outcome": Answers},
}
