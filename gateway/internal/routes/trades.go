package routes

import (
	"strings"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The parameters of trades:StageTerms and trades:WithdrawTerms that name
// whose orgs endorse them (TradeParties), the arguments of trades:TermsOrgs
// that the gateway asks them with.
const (
	TradeIDParam   = "tradeId"
	RoundParam     = "round"
	ListingIDParam = "listingId"
)

// stageTermsStep is the route that stages an offer's private terms.
const stageTermsStep = "POST /v1/trades/{tradeId}/terms"

// stageFirst refuses terms with a public step of a trade: they are staged
// first, so that they reach the buyer's and the seller's orgs alone
// whichever orgs endorse the public step.
var stageFirst = []Refused{{Name: model.TransientTermsKey, Rule: ledgererr.RuleStageTermsFirst}}

func tradeRoutes() []Route {
	// action is a transition of an existing trade.
	action := func(opID, path, fn, summary string, roles ...string) Route {
		return ChaincodeRoute{
			Operation: Operation{ID: opID, Method: "POST", Path: "/v1/trades/{tradeId}/" + path, Tag: "trades", Roles: roles,
				Summary: summary,
			},
			Function: fn,
		}
	}
	return []Route{
		ChaincodeRoute{
			Operation: Operation{ID: "orderTrade", Method: "POST", Path: "/v1/trades", Tag: "trades", Roles: []string{model.RoleBuyer}, Created: true,
				Summary: "Order from an ACTIVE FIXED listing at its price (the trade is ORDERED).",
				Description: "The caller, a buyer other than the seller, starts the trade for the seller to accept or reject. " +
					"Private terms (conditions, no price: the order's price is the listing's) are optional and staged first (" + stageTermsStep + ", round 1); this call carries none and records the staged terms' hash.",
			},
			Function: "trades:Order", Refused: stageFirst,
		},
		ChaincodeRoute{
			Operation: Operation{ID: "proposeTrade", Method: "POST", Path: "/v1/trades/proposals", Tag: "trades", Roles: []string{model.RoleBuyer}, Created: true,
				Summary: "Open a negotiation on an ACTIVE NEGOTIABLE listing with a first offer (the trade is NEGOTIATING).",
				Description: "The offer's terms are private: they reach only the buyer's and the seller's orgs. They are staged first (" + stageTermsStep + ", round 1); " +
					"this call carries none and records the staged terms' hash.",
			},
			Function: "trades:Propose", Refused: stageFirst,
		},
		ChaincodeRoute{
			Operation: Operation{ID: "stageTradeTerms", Method: "POST", Path: "/v1/trades/{tradeId}/terms", Tag: "trades", Roles: []string{model.RoleBuyer, model.RoleHolder}, Created: true,
				Summary: "Step 1 of an offer: stage its private terms where only the buyer's and the seller's orgs hold them.",
				Description: "The terms travel as transient data to the peers of the buyer's and the seller's orgs alone (one org when both are in one), which endorse the transaction; no third org receives them, and nothing public is written. " +
					"The gateway learns the two orgs first from the chaincode, evaluating trades:TermsOrgs as the caller on this gateway's peers (GET /v1/trades/{tradeId}/terms/{round}/orgs): for round 1 (listingId required) the caller's org, this gateway's, and the org of the listing's seller's participant record; for a later round the trade's buyer's and seller's orgs. " +
					"A member who signs its own calls names the two orgs itself (" + EndorsingOrganizationsParam + "): the gateway cannot read for it. " +
					"The answer is the round and the SHA-256 of the stored terms. Then make the offer public without terms: POST /v1/trades (an order) or POST /v1/trades/proposals for round 1, POST /v1/trades/{tradeId}/counter for a later round.",
			},
			Function: "trades:StageTerms", Endorsers: TradeParties,
			Query: []Param{endorsingOrganizations("The buyer's and the seller's orgs' MSP IDs, comma-separated: this gateway's org and at most one other, each once (this org alone when both parties are in it); the call is endorsed by exactly those. " +
				"Required of a member who signs its own calls (the Go SDK fills it with the answer of GET /v1/trades/{tradeId}/terms/{round}/orgs, signed by the member), refused from a member whose key the gateway holds (the gateway asks the chaincode itself). " +
				"A wrong org named only receives the caller's own terms: between two orgs the staging then fails validation, as the pair's collection's endorsement policy needs both parties' peers.")},
		},
		ChaincodeRoute{
			Operation: Operation{ID: "withdrawTradeTerms", Method: "POST", Path: "/v1/trades/{tradeId}/terms/withdraw", Tag: "trades", Roles: []string{model.RoleBuyer, model.RoleHolder},
				Summary: "Take back terms the caller staged (" + stageTermsStep + ") and never offered: they are purged from the buyer's and the seller's orgs' private data.",
				Description: "Body {round, listingId} names the staging as " + stageTermsStep + " did (listingId required for round 1). " +
					"For terms staged for a trade that never opened (no order or proposal, one on another listing, or another buyer's trade of that ID), or a counter-offer staged on a trade that then ended another way. " +
					"Each caller withdraws only its own staging; terms that became an offer are refused (409: both parties' purge requests remove them after the trade ends), and nothing staged is a 404. " +
					"Endorsed, like the staging, by the buyer's and the seller's orgs alone, which the gateway learns the same way (trades:TermsOrgs); nothing public is written, and the answer is the round and the SHA-256 of the terms withdrawn.",
			},
			Function: "trades:WithdrawTerms", Endorsers: TradeParties,
			Query: []Param{endorsingOrganizations("The buyer's and the seller's orgs' MSP IDs, comma-separated, as for " + stageTermsStep + ": " +
				"required of a member who signs its own calls, refused from a member whose key the gateway holds. A wrong org named makes the purge fail validation: the collection's endorsement policy needs both parties' peers.")},
		},
		ChaincodeRoute{
			Operation: Operation{ID: "counterTrade", Method: "POST", Path: "/v1/trades/{tradeId}/counter", Tag: "trades", Roles: []string{model.RoleBuyer, model.RoleHolder},
				Summary:     "Answer the last offer with new private terms, staged first (" + stageTermsStep + ", the next round); this call carries none.",
				Description: "The counter-offer records the hash of the terms the caller staged for the trade's next round.",
			},
			Function: "trades:Counter", Refused: stageFirst,
		},
		action("acceptTradeOffer", "accept-offer", "trades:AcceptOffer", "Accept the last offer of a negotiation (the trade is ACCEPTED on its terms).", model.RoleBuyer, model.RoleHolder),
		action("acceptTrade", "accept", "trades:Accept", "Accept an order (seller).", model.RoleHolder),
		action("rejectTrade", "reject", "trades:Reject", "Turn an order down (seller).", model.RoleHolder),
		action("recordTradePayment", "payment", "trades:RecordPayment", "Record the off-chain settlement of an ACCEPTED trade (it becomes PAID).", model.RoleOperator, model.RoleBuyer),
		action("deliverTrade", "deliver", "trades:Deliver", "Record the delivery of a PAID trade (seller); taken after its delivery deadline too, until the buyer cancels.", model.RoleHolder),
		action("confirmTrade", "confirm", "trades:Confirm", "Confirm the delivery (buyer; the seller once the inspection deadline passed with neither a confirmation nor a dispute): the trade is COMPLETED and the buyer receives its right.", model.RoleBuyer, model.RoleHolder),
		ChaincodeRoute{
			Operation: Operation{ID: "closeOtherTrades", Method: "POST", Path: "/v1/trades/{tradeId}/close-others", Tag: "trades",
				Roles:   []string{model.RoleHolder, model.RoleOperator},
				Summary: "After the sale of a holding, cancel the other buyers' trades still waiting on it (the seller, or an operator of its region).",
				Description: "The sale's own transaction cancels none of them: its buyer would see them. This cancels every trade still " + strings.Join(model.TradeWaitingStatuses, ", ") + " " +
					"on the sold listing or on the seller's listings of the asset that the sale took off the market, and answers their IDs (none when nothing waited: then nothing is written). " +
					"Its event, " + model.EventTradesClosed + ", names them and their buyers. Each gateway with a ledger index and an operator as closer.member does this by itself after its region's sales.",
			},
			Function: "trades:CloseOthers",
		},
		action("cancelTrade", "cancel", "trades:Cancel", "End a trade before payment (the buyer; the seller only before acceptance, which binds it), or a PAID one undelivered past its delivery deadline (buyer; refund off chain).", model.RoleBuyer, model.RoleHolder),
		action("expireTrade", "expire", "trades:Expire", "End a trade that waited too long without a transition (a party, or an operator of the exchange of a region it is in)."),
		action("disputeTrade", "dispute", "trades:Dispute", "Put a PAID trade, or a DELIVERED one before its inspection deadline, before the seller's exchange (buyer or seller); after that deadline the buyer while the conveyance would be refused (the seller's entitlement ended after the delivery), the seller while the buyer is not ACTIVE (SUSPENDED or RELEASED).", model.RoleBuyer, model.RoleHolder),
		action("resolveTrade", "resolve", "trades:Resolve", "Decide a dispute: COMPLETE lets the sale stand, REFUND undoes it (operator of the seller's region).", model.RoleOperator),
		action("requestTermsPurge", "purge-request", "trades:RequestPurge", "Ask for a finished trade's private terms to be purged (done once buyer and seller both asked).", model.RoleBuyer, model.RoleHolder),
		ChaincodeRoute{
			Operation: Operation{ID: "getTrade", Method: "GET", Path: "/v1/trades/{tradeId}", Tag: "trades",
				Summary:     "A trade, to its buyer or seller, the regulator or an operator of its regions' exchanges (the seller's or the buyer's).",
				Description: "Anyone else is answered 404, exactly as for a trade ID that names no trade, as is every route given a trade's ID.",
			},
			Function: "trades:Get",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getTradeTerms", Method: "GET", Path: "/v1/trades/{tradeId}/terms/{round}", Tag: "trades",
				Summary:     "One round of a trade's private terms, checked against the public hash (buyer or seller only).",
				Description: "Evaluated only on the peers of the gateway's own org, a member of the terms' collection. 403 for a member who reads the trade and is no party of it; 404 for one who may not read the trade, exactly as for a trade ID that names no trade.",
			},
			Function: "trades:Terms", Endorsers: OwnOrg,
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getTradeTermsOrgs", Method: "GET", Path: "/v1/trades/{tradeId}/terms/{round}/orgs", Tag: "trades", Roles: []string{model.RoleBuyer, model.RoleHolder},
				Summary: "The buyer's and the seller's orgs of a round's terms, as the chaincode takes them for " + stageTermsStep + " and its withdrawal by the caller.",
				Description: "The orgs whose peers alone endorse the staging or the withdrawal of the caller's terms of that round (listingId required for round 1: the caller's org and that of the listing's seller's participant record; " +
					"a later round: the trade's, for a party of it). This gateway asks it itself for a member whose key it holds; a member who signs its own calls asks it, signed, and names the answer in " + EndorsingOrganizationsParam + ".",
			},
			Function: "trades:TermsOrgs",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listTradesByParticipant", Method: "GET", Path: "/v1/participants/{participantId}/trades", Tag: "trades",
				Summary: "One page of the trades a participant is the buyer or the seller of.",
			},
			Function: "trades:ListByParticipant",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listMarketTrades", Method: "GET", Path: "/v1/trades", Tag: "trades", Roles: []string{model.RoleRegulator, model.RoleOperator},
				Summary: "One page of the market's trades, oldest first, by region involved, status and opening period (regulator; an operator for its own region).",
				Description: "region empty lists the whole market (regulator only). The trades are the public records: negotiated terms are not on them. " +
					"A status filter may leave a page short of pageSize: continue while there is a bookmark.",
			},
			Function: "trades:ListMarket",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listTradesByListing", Method: "GET", Path: "/v1/listings/{listingId}/trades", Tag: "trades",
				Summary: "One page of the trades of a listing.",
			},
			Function: "trades:ListByListing",
		},
	}
}
