// Package trades is the market's trade contracts (交易合约): the state machine
// a sale goes through between a buyer and a seller, from order or
// negotiation to completion, where the buyer's right is issued (or the
// holding transferred) in the same transaction.
//
//	NEGOTIATING --AcceptOffer--> ACCEPTED      ORDERED --Accept--> ACCEPTED
//	                                           ORDERED --Reject--> REJECTED
//	ACCEPTED --RecordPayment--> PAID --Deliver--> DELIVERED --Confirm--> COMPLETED
//	NEGOTIATING, ORDERED, ACCEPTED --Cancel--> CANCELLED
//	NEGOTIATING, ORDERED, ACCEPTED --Expire--> EXPIRED   (after ResponseWindow without a transition)
//	PAID --Cancel (buyer)--> CANCELLED                    (refund; after DeliveryWindow undelivered)
//	DELIVERED --Confirm (seller)--> COMPLETED             (deemed acceptance; after InspectionWindow)
//	PAID, DELIVERED --Dispute--> DISPUTED --Resolve--> COMPLETED | CANCELLED (refund)
//	DELIVERED --Dispute (buyer)--> DISPUTED              (after InspectionWindow, while the conveyance is refused)
//	DELIVERED --Dispute (seller)--> DISPUTED             (after InspectionWindow, the buyer not ACTIVE)
//
// A trade starts only with a judge for its dispute (requireAJudge), and its
// deadlines (model.TradeWindow) leave no party able to hold a paid trade, or
// the holding it locks, for ever (see model's state machine).
//
// Negotiated terms (price and conditions) are confidential: they live in a
// private data collection of the buyer's and the seller's orgs, and the
// public trade record carries only each offer's hash (see Terms).
//
// A HOLDING right is sold once. Three guards make sure of it: acceptance
// locks the asset's holding to the trade (rights.LockHolding), completion
// re-checks the seller's entitlement and conveys the holding only to the
// trade it is locked to (rights.Convey), and completion marks the HOLDING
// listing SOLD (listings.MarkSold). No trade locks a holding unless its
// record still has the facts its opening mark holds (opened), which only
// a majority of the orgs writes, and, for a negotiation, the offer
// accepted is in their terms (requireOffered).
package trades

import (
	"slices"

	"github.com/deltaledger/deltaledger/model"
)

// waiting reports whether the status is one a trade can lapse in: a party
// still has to act before anything changes hands.
func waiting(status string) bool {
	return slices.Contains(model.TradeWaitingStatuses, status)
}
