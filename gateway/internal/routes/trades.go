package routes

import "github.com/deltaledger/deltaledger/chaincode/trades"

// OfferTerms is the private terms document of an offer, passed to the
// chaincode as transient data under "terms" and kept in the private data
// collection of the buyer's and seller's orgs, with only its hash public.
type OfferTerms struct {
	// PriceFen is the offered price in integer fen, as a decimal string;
	// optional for an order at a fixed price (it must then be the listing's).
	PriceFen string `json:"priceFen,omitempty"`
	// Conditions are the negotiated conditions, at most 2000 characters.
	Conditions string `json:"conditions,omitempty"`
	// Salt is 32 to 128 lowercase hex characters of the client's own
	// randomness, so that the public hash cannot be matched by guessing.
	Salt string `json:"salt"`
}

func tradeRoutes() []Route {
	id := idParam("tradeId", "trade")
	terms := func(required bool) Param {
		return Param{Name: "terms", In: InTransient, Type: Object, Required: required, Schema: OfferTerms{},
			Description: `The offer's terms {"priceFen", "conditions", "salt"}.`}
	}
	reason := text("reason", "Why.", 500)
	action := func(opID, path, fn string, method any, summary string, roles []string, params ...Param) Route {
		return Route{
			ID: opID, Method: "POST", Path: "/v1/trades/{tradeId}/" + path, Tag: "trades",
			Function: fn, Submit: true, Roles: roles, Summary: summary,
			Params: append([]Param{id}, params...), Result: returns(method),
		}
	}
	return []Route{
		{
			ID: "orderTrade", Method: "POST", Path: "/v1/trades", Tag: "trades",
			Function: "trades:Order", Submit: true, Created: true, Roles: []string{RoleBuyer},
			Summary:     "Order from an ACTIVE FIXED listing at its price (the trade is ORDERED).",
			Description: "The caller, a buyer other than the seller, starts the trade for the seller to accept or reject. Optional private terms carry conditions; a priceFen there must be the listing price.",
			Params: []Param{
				bodyID("tradeId", "trade"),
				{Name: "listingId", In: InBody, Type: String, Required: true, Pattern: idPattern, Description: "The listing."},
				terms(false),
			},
			Result: returns((*trades.Contract).Order),
		},
		{
			ID: "proposeTrade", Method: "POST", Path: "/v1/trades/proposals", Tag: "trades",
			Function: "trades:Propose", Submit: true, Created: true, Roles: []string{RoleBuyer},
			Summary:     "Open a negotiation on an ACTIVE NEGOTIABLE listing with a first offer (the trade is NEGOTIATING).",
			Description: "The offer's terms are private: they reach only the buyer's and seller's orgs.",
			Params: []Param{
				bodyID("tradeId", "trade"),
				{Name: "listingId", In: InBody, Type: String, Required: true, Pattern: idPattern, Description: "The listing."},
				terms(true),
			},
			Result: returns((*trades.Contract).Propose),
		},
		action("counterTrade", "counter", "trades:Counter", (*trades.Contract).Counter, "Answer the last offer with new private terms.", []string{RoleBuyer, RoleHolder}, terms(true)),
		action("acceptTradeOffer", "accept-offer", "trades:AcceptOffer", (*trades.Contract).AcceptOffer, "Accept the last offer of a negotiation (the trade is ACCEPTED on its terms).", []string{RoleBuyer, RoleHolder}),
		action("acceptTrade", "accept", "trades:Accept", (*trades.Contract).Accept, "Accept an order (seller).", []string{RoleHolder}),
		action("rejectTrade", "reject", "trades:Reject", (*trades.Contract).Reject, "Turn an order down (seller).", []string{RoleHolder}, reason),
		action("recordTradePayment", "payment", "trades:RecordPayment", (*trades.Contract).RecordPayment, "Record the off-chain settlement of an ACCEPTED trade (it becomes PAID).", []string{RoleOperator, RoleBuyer},
			text("settlementRef", "The settlement reference of the exchange or the payer's bank.", 200),
			Param{Name: "amountFen", In: InBody, Type: Integer, Required: true, Minimum: ptr(1), Description: "The amount paid in integer fen; must equal the agreed price."}),
		action("deliverTrade", "deliver", "trades:Deliver", (*trades.Contract).Deliver, "Record the delivery of a PAID trade (seller).", []string{RoleHolder},
			Param{Name: "deliveryHash", In: InBody, Type: String, Required: true, Pattern: hashPattern, Description: "SHA-256 (lowercase hex) of the delivered data or its manifest."}),
		action("confirmTrade", "confirm", "trades:Confirm", (*trades.Contract).Confirm, "Confirm the delivery (buyer): the trade is COMPLETED and the buyer receives its right.", []string{RoleBuyer}),
		action("cancelTrade", "cancel", "trades:Cancel", (*trades.Contract).Cancel, "End a trade before payment (buyer or seller).", []string{RoleBuyer, RoleHolder}, reason),
		action("expireTrade", "expire", "trades:Expire", (*trades.Contract).Expire, "End a trade that waited too long without a transition (any participant).", nil),
		action("disputeTrade", "dispute", "trades:Dispute", (*trades.Contract).Dispute, "Put a PAID or DELIVERED trade before the seller's exchange (buyer or seller).", []string{RoleBuyer, RoleHolder}, reason),
		action("resolveTrade", "resolve", "trades:Resolve", (*trades.Contract).Resolve, "Decide a dispute: COMPLETE lets the sale stand, REFUND undoes it (operator of the seller's region).", []string{RoleOperator},
			Param{Name: "outcome", In: InBody, Type: String, Required: true, Enum: []string{"COMPLETE", "REFUND"}, Description: "COMPLETE or REFUND."},
			reason),
		action("requestTermsPurge", "purge-request", "trades:RequestPurge", (*trades.Contract).RequestPurge, "Ask for a finished trade's private terms to be purged (done once buyer and seller both asked).", []string{RoleBuyer, RoleHolder}),
		{
			ID: "getTrade", Method: "GET", Path: "/v1/trades/{tradeId}", Tag: "trades",
			Function: "trades:Get", Summary: "A trade, to its buyer or seller, an operator or the regulator.",
			Params: []Param{id}, Result: returns((*trades.Contract).Get),
		},
		{
			ID: "getTradeTerms", Method: "GET", Path: "/v1/trades/{tradeId}/terms/{round}", Tag: "trades",
			Function: "trades:Terms", OwnOrg: true,
			Summary:     "One round of a trade's private terms, checked against the public hash (buyer or seller only).",
			Description: "Evaluated only on the peers of the gateway's own org, a member of the terms' collection.",
			Params: []Param{id, {Name: "round", In: InPath, Type: String, Required: true, Pattern: `^[1-9][0-9]{0,3}$`,
				Description: "The negotiation round, from 1."}},
			Result: returns((*trades.Contract).Terms),
		},
		{
			ID: "listTradesByParticipant", Method: "GET", Path: "/v1/participants/{participantId}/trades", Tag: "trades",
			Function: "trades:ListByParticipant", List: true,
			Summary: "One page of the trades a participant is the buyer or the seller of.",
			Params:  []Param{idParam("participantId", "participant"), limitParam, cursorParam},
			Result:  items((*trades.Contract).ListByParticipant),
		},
		{
			ID: "listTradesByListing", Method: "GET", Path: "/v1/listings/{listingId}/trades", Tag: "trades",
			Function: "trades:ListByListing", List: true,
			Summary: "One page of the trades of a listing.",
			Params:  []Param{idParam("listingId", "listing"), limitParam, cursorParam},
			Result:  items((*trades.Contract).ListByListing),
		},
	}
}
