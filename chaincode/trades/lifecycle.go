package trades

import (
	"fmt"
	"slices"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/listings"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// RecordPayment records the off-chain settlement of an ACCEPTED trade: the
// trade becomes PAID. The buyer (with the payer bank's reference) may record
// it; for a FIXED trade, so may an operator of the seller's region (the
// seller's exchange, which settles) who is impartial: neither a party nor
// acting for a party's enterprise. amountFen must equal the agreed price:
// the listing price of a FIXED trade, or the price of the accepted private
// terms, which the endorsing peers of the two orgs read from their
// collection. The amount comes as transient data (model.TransientAmountKey),
// never as an argument: the arguments are in the block, and a negotiated
// price must stay with the orgs that hold the terms, which are the only ones
// the Fabric gateway sends the transient data to (the terms read restricts
// the endorsers). Only the settlement reference goes on the public record,
// and a payment that does not match is refused. The exchange records no payment of a NEGOTIABLE trade: it is no
// party to the private price, and its refusals and successes would confirm
// guesses of it.
func (c *Contract) RecordPayment(ctx contractapi.TransactionContextInterface, tradeId, settlementRef string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	if err := validate.Text("settlementRef", settlementRef, model.MaxSettlementRefLength); err != nil {
		return nil, err
	}
	amountFen, err := transientAmount(ctx)
	if err != nil {
		return nil, err
	}
	caller, t, now, err := begin(ctx, tradeId, nil)
	if err != nil {
		return nil, err
	}
	if caller.ID != t.BuyerID {
		if !isRegionOperator(caller, t.Region) {
			return nil, ledgererr.Forbiddenf("only the buyer %q or an operator of %s may record the payment of trade %q", t.BuyerID, t.Region, tradeId)
		}
		if t.Pricing != model.PricingFixed {
			return nil, ledgererr.Forbiddenf("the price of trade %q is private to its parties: only the buyer %q records its payment", tradeId, t.BuyerID)
		}
		if err := requireImpartial(ctx, caller, ledgererr.Phrase("the payment of trade %q", tradeId), t); err != nil {
			return nil, err
		}
	}
	if err := requireState(t, now, ledgererr.Phrase("paid"), model.TradeAccepted); err != nil {
		return nil, err
	}
	if t.Pricing == model.PricingFixed {
		if amountFen != t.PriceFen {
			return nil, ledgererr.Invalid(model.TransientAmountKey, "must be %d, the price of trade %q", t.PriceFen, tradeId)
		}
	} else {
		last, _ := t.LastOffer()
		agreed, err := readTerms(ctx, t, last.Round)
		if err != nil {
			return nil, err
		}
		// The message must not tell the agreed price: the operator who
		// records a payment is not a party to the terms.
		if amountFen != agreed.PriceFen {
			return nil, ledgererr.Invalid(model.TransientAmountKey, "does not equal the price agreed in round %d of trade %q", last.Round, tradeId)
		}
	}
	t.SettlementRef = settlementRef
	advance(ctx, t, model.TradePaid, caller.ID, "", now)
	return save(ctx, t, model.EventTradePaid, eventOf(t))
}

// transientAmount reads and checks the amount of a payment from the
// proposal's transient data.
func transientAmount(ctx contractapi.TransactionContextInterface) (int64, error) {
	transient, err := ctx.GetStub().GetTransient()
	if err != nil {
		return 0, ledgererr.Internalf(err, "reading transient data")
	}
	raw, ok := transient[model.TransientAmountKey]
	if !ok {
		return 0, ledgererr.Invalid(model.TransientAmountKey, "is required as transient data (key %q): the amount paid in integer fen, as decimal text", model.TransientAmountKey)
	}
	return validate.AmountFen(model.TransientAmountKey, string(raw))
}

// Deliver records that the seller delivered what a PAID trade sold:
// deliveryHash is the SHA-256 hex of the delivered data (or its manifest),
// which the buyer checks against what it received. A delivery after the
// trade's delivery deadline is still taken while the buyer has not
// cancelled: the deadline gives the buyer a way out, not the seller a way
// to keep a trade it cannot end by itself. The trade's inspection deadline
// starts with the delivery (model.TradeInspectionWindow).
func (c *Contract) Deliver(ctx contractapi.TransactionContextInterface, tradeId, deliveryHash string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	if err := validate.SHA256Hex("deliveryHash", deliveryHash); err != nil {
		return nil, err
	}
	seller, t, now, err := beginAs(ctx, tradeId, nil, requireSeller, ledgererr.Phrase("deliver"), ledgererr.Phrase("delivered"), model.TradePaid)
	if err != nil {
		return nil, err
	}
	t.DeliveryHash = deliveryHash
	advance(ctx, t, model.TradeDelivered, seller.ID, "", now)
	return save(ctx, t, model.EventTradeDelivered, eventOf(t))
}

// Confirm is the buyer's confirmation that the delivery is right. The trade
// becomes COMPLETED and, in the same transaction, the buyer receives its
// right (or the holding) and a sold HOLDING listing becomes SOLD.
// Once the trade's inspection deadline has passed, by the transaction time
// and by this peer's clock (a seller stamping ahead cuts the buyer's
// inspection short by no second), with the buyer having neither confirmed
// nor disputed, the delivery is deemed accepted: the seller may confirm it,
// conveying exactly as the buyer's confirmation does, to a buyer still
// ACTIVE only (complete), and the timeline says why.
func (c *Contract) Confirm(ctx contractapi.TransactionContextInterface, tradeId string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	start := &opening{}
	caller, t, now, err := beginAs(ctx, tradeId, start, requireParty, ledgererr.Phrase("confirm"), ledgererr.Phrase("confirmed"), model.TradeDelivered)
	if err != nil {
		return nil, err
	}
	note := ""
	if caller.ID == t.SellerID {
		if !reachedByBoth(t, now) {
			return nil, ledgererr.Conflictf("trade %q awaits its buyer's inspection until %s: only then, neither confirmed nor disputed, may its seller confirm it", tradeId, t.DeadlineAt)
		}
		note = fmt.Sprintf("deemed accepted: the buyer neither confirmed nor disputed the delivery by %s", t.DeadlineAt)
	}
	e, err := complete(ctx, t, start, caller.ID, note, now)
	if err != nil {
		return nil, err
	}
	return save(ctx, t, model.EventTradeCompleted, e)
}

// CloseOthers closes, after the sale of a holding, every other buyer's
// trade still waiting on the sold listing or on a listing the sale took off
// the market: none of them can be accepted any more. The sale itself closes
// none, since whoever submits a transaction, the sale's buyer too, is handed
// every key it reads and writes, and the other buyers' trades are not the
// buyer's to read. The sale's seller, a party to every one of them, or an
// operator of its region's exchange, which supervises them, may close them;
// each gateway of an exchange does so by itself after a sale
// (gateway/internal/closer). It closes only the trades its caller may read
// (an operator's region may not be every withdrawn listing's; the seller
// reads them all), a page at a time: any number of buyer enterprises may each hold an order
// on a listing, which one transaction could not close. Each call reads the
// next model.MaxTradesClosedPerCall of them from the bookmark from on ("" to
// begin)
// and closes those still waiting; its answer's bookmark continues ("" once
// none is left), and names, as nothing else in the answer counts, no trade
// its caller may not read (closeLosers). A bookmark continues only through
// the listings the sale took off the market. It answers the trades it
// closed, none when nothing waits, and its event (TradesClosed) names them
// and their buyers.
func (c *Contract) CloseOthers(ctx contractapi.TransactionContextInterface, tradeId, from string) (*model.ClosedTrades, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	caller, sale, now, err := begin(ctx, tradeId, nil)
	if err != nil {
		return nil, err
	}
	beaten, err := beatenListings(ctx, sale)
	if err != nil {
		return nil, err
	}
	// The sale's region, which its opening mark vouches for, is the sold
	// listing's when the trade opened on it (start), whatever its record,
	// its seller's org's alone before interface 18.0.0, says now.
	if caller.ID != sale.SellerID && !isRegionOperator(caller, sale.Region) {
		return nil, ledgererr.Forbiddenf("only the seller %q or an operator of %s may close the other trades of the sale %q", sale.SellerID, sale.Region, tradeId)
	}
	// A withdrawn listing may be of another region than the sold one (its
	// seller's org moved since), whose trades its operator may not read:
	// closing one would hand it the trade's ID, its buyer and its record.
	readable, err := readableBy(ctx, caller)
	if err != nil {
		return nil, err
	}
	closed, next, err := closeLosers(ctx, sale, beaten, readable, from, now)
	if err != nil {
		return nil, err
	}
	answer := &model.ClosedTrades{SaleTradeID: sale.ID, TradeIDs: []string{}, Bookmark: next}
	if len(closed) == 0 {
		return answer, nil
	}
	e := eventOf(sale)
	e.ClosedTradeIDs, e.ClosedBuyerIDs = []string{}, []string{}
	for _, o := range closed {
		e.ClosedTradeIDs = append(e.ClosedTradeIDs, o.ID)
		if !slices.Contains(e.ClosedBuyerIDs, o.BuyerID) {
			e.ClosedBuyerIDs = append(e.ClosedBuyerIDs, o.BuyerID)
		}
	}
	answer.TradeIDs = e.ClosedTradeIDs
	return answer, state.Emit(ctx, model.EventTradesClosed, e)
}

// beatenListings returns the listings whose waiting trades a completed sale
// of a holding beat: the listing it sold, first, and the
// seller's other listings of the asset that the sale withdrew. It trusts
// the sale's record only as far as its completion mark vouches for it (not
// Unsealed: the sale's record is under its parties' orgs alone) and the
// listings' closings agree with it (listings.WithClosing), which a majority
// alone writes (interface 18.0.0): the sold listing's must name the sale,
// and a withdrawn one's must have taken it off the market for a holding's
// move (DELISTED), which no later step undoes, so that no trade waiting on
// it can be accepted any more. Not the listings' records: one written
// before 18.0.0 is its seller's org's alone, which, rewriting the sold
// listing's asset or seller, kept every other buyer's order open until it
// lapsed. So a record that orgs wrote with chaincode of their own closes
// no trade on a listing the sale did not take off the market, and keeps
// none open on one it did. A listing whose record does not read as one is
// taken by its ID (its trades found by its trades index from the start). A
// sale completed before 18.0.0 wrote the listings' records, not closings:
// a listing with no closing is held to its record as before (closedAs).
func beatenListings(ctx state.Context, sale *model.Trade) ([]*model.Listing, error) {
	notASale := ledgererr.Conflictf("trade %q is no completed sale of a holding; it closes no other trade", sale.ID)
	if sale.RightType != model.RightHolding || sale.Status != model.TradeCompleted || sale.Unsealed {
		return nil, notASale
	}
	sold, closing, err := listings.WithClosing(ctx, sale.ListingID)
	if err != nil {
		return nil, err
	}
	if !closedAs(sold, closing, sale, model.ListingSold) {
		return nil, notASale
	}
	beaten := []*model.Listing{byID(sold, sale.ListingID)}
	for _, id := range sale.DelistedListingIDs {
		l, closing, err := listings.WithClosing(ctx, id)
		if err != nil {
			return nil, err
		}
		if closedAs(l, closing, sale, model.ListingDelisted) && !slices.ContainsFunc(beaten, func(b *model.Listing) bool { return b.ID == id }) {
			beaten = append(beaten, byID(l, id))
		}
	}
	return beaten, nil
}

// closedAs reports whether sale took listing l (nil where its record reads
// as no listing), whose closing is c (nil for none), off the market as
// status says: SOLD to it, or DELISTED. By the closing where it has one;
// else, as a sale completed before interface 18.0.0 left it, by its record,
// which must be the sale's seller's listing of the asset.
func closedAs(l *model.Listing, c *model.ListingClosing, sale *model.Trade, status string) bool {
	if c != nil {
		return c.Status == status && (status != model.ListingSold || c.SoldTradeID == sale.ID)
	}
	return l != nil && l.Status == status && l.SellerID == sale.SellerID && l.AssetID == sale.AssetID &&
		(status != model.ListingSold || l.SoldTradeID == sale.ID)
}

// byID is listing l as read, or, where its record reads as no listing
// (nil), a listing known by its ID alone.
func byID(l *model.Listing, id string) *model.Listing {
	if l == nil {
		return &model.Listing{ID: id}
	}
	return l
}

// Cancel ends a trade before payment, for the reason given: either party
// while it is NEGOTIATING or ORDERED, only the buyer once it is ACCEPTED.
// Acceptance binds the seller: a buyer may have paid off chain while its
// RecordPayment is not yet committed, and a seller cancelling then would free
// the holding and leave the buyer no dispute (only a PAID or DELIVERED trade
// has one). An accepted trade its buyer does not pay lapses at its deadline
// (model.TradeResponseWindow) and Expire, which anyone who may read it may
// make, frees the holding. A PAID trade the seller did not deliver by its
// delivery deadline, its buyer may cancel too (the refund is settled off
// chain, as after Resolve's REFUND); the deadline must have passed by the
// transaction time and by this peer's clock, so a buyer stamping ahead cuts
// the seller's delivery short by no second, and the timeline says why. A
// HOLDING right the trade held is freed.
func (c *Contract) Cancel(ctx contractapi.TransactionContextInterface, tradeId, reason string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxTradeReasonLength); err != nil {
		return nil, err
	}
	caller, t, now, err := beginAs(ctx, tradeId, nil, requireParty, ledgererr.Phrase("cancel"), ledgererr.Phrase("cancelled"), model.TradeNegotiating, model.TradeOrdered, model.TradeAccepted, model.TradePaid)
	if err != nil {
		return nil, err
	}
	note := reason
	if t.Status == model.TradeAccepted || t.Status == model.TradePaid {
		if err := requireBuyer(t, caller, ledgererr.Phrase("cancel")); err != nil {
			return nil, err
		}
	}
	if t.Status == model.TradePaid {
		if !reachedByBoth(t, now) {
			return nil, ledgererr.Conflictf("trade %q is paid and awaits its delivery until %s: only then, undelivered, may its buyer cancel it", tradeId, t.DeadlineAt)
		}
		note = fmt.Sprintf("not delivered by %s: %s", t.DeadlineAt, reason)
	}
	if err := release(ctx, t); err != nil {
		return nil, err
	}
	advance(ctx, t, model.TradeCancelled, caller.ID, note, now)
	return save(ctx, t, model.EventTradeCancelled, eventOf(t))
}

// Expire ends a trade that lapsed: it waited in NEGOTIATING, ORDERED or
// ACCEPTED for ResponseWindow without a transition. No party has to: anyone
// who may read the trade may record it (a party, or an operator of the
// exchange of a region it is in), and nobody else, since the answer is the
// trade's record. A HOLDING right the trade held is freed.
func (c *Contract) Expire(ctx contractapi.TransactionContextInterface, tradeId string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	caller, t, now, err := begin(ctx, tradeId, nil)
	if err != nil {
		return nil, err
	}
	if !waiting(t.Status) {
		return nil, ledgererr.Conflictf("trade %q is %s; only a trade that is NEGOTIATING, ORDERED or ACCEPTED can expire", tradeId, t.Status)
	}
	if !expirable(t, now) {
		return nil, ledgererr.Conflictf("trade %q runs until %s", tradeId, t.DeadlineAt)
	}
	if err := release(ctx, t); err != nil {
		return nil, err
	}
	advance(ctx, t, model.TradeExpired, caller.ID, "", now)
	return save(ctx, t, model.EventTradeExpired, eventOf(t))
}

// Dispute puts a PAID or DELIVERED trade before the seller's exchange, for
// the reason given; the buyer or the seller may. A DELIVERED trade only
// until its inspection deadline, by the transaction time and by this peer's
// clock (a party stamping behind disputes no later): after it the delivery
// is deemed accepted. But for its buyer, while the conveyance would be
// refused (conveyanceRefusal, what Confirm would answer): a sale whose
// seller lost its entitlement after the delivery (its OPERATION right
// revoked, renounced or out of term, the licence's own term ended) would
// otherwise stay DELIVERED for ever, paid and conveying nothing, as neither
// party's Confirm conveys it. The exchange then decides it (Resolve, a
// REFUND unless the seller is entitled again). A late dispute by the seller
// is refused, it would undo a sale it may no longer back out of, but while
// the buyer is not ACTIVE (SUSPENDED or RELEASED) or its org's binding is out
// of force, which no sale conveys to (lateDisputeRefusal); and one by the
// buyer while the conveyance would succeed too: the delivery stands.
// It does not look for an impartial operator: the trade
// had one when it started (requireAJudge), and a dispute refused for want
// of one now would let the inspection deadline take the buyer's remedy; a
// dispute waits for the exchange to staff its judge.
func (c *Contract) Dispute(ctx contractapi.TransactionContextInterface, tradeId, reason string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxTradeReasonLength); err != nil {
		return nil, err
	}
	caller, t, now, err := beginAs(ctx, tradeId, nil, requireParty, ledgererr.Phrase("dispute"), ledgererr.Phrase("disputed"), model.TradePaid, model.TradeDelivered)
	if err != nil {
		return nil, err
	}
	note := reason
	if t.Status == model.TradeDelivered && reachedByEither(t, now) {
		refusal, err := lateDisputeRefusal(ctx, t, caller, now)
		if err != nil {
			return nil, err
		}
		note = fmt.Sprintf("after the inspection, the conveyance is refused (%s): %s", refusal, reason)
	}
	advance(ctx, t, model.TradeDisputed, caller.ID, note, now)
	return save(ctx, t, model.EventTradeDisputed, eventOf(t))
}

// lateDisputeRefusal admits a dispute of DELIVERED trade t after its
// inspection deadline only while the conveyance would be refused (Dispute),
// by its buyer, or by its seller while the trade holds what the licence is
// sold under (rights.Promised, from 13.0.0 on: the seller itself can then
// no longer make the conveyance fail, and a buyer silent past the
// licence's term would hold it for ever), or while the buyer is not ACTIVE
// or its org's binding of its enterprise is no longer in force: such a
// participant receives nothing (complete) and a released one never acts
// again, so its trade, and the holding or promise it locks, would otherwise
// not move. A SUSPENDED buyer moves again only when its own org reinstates
// it, so waiting for that would let the buyer's org decide the seller's case
// by not acting; the impartial exchange decides it instead (Resolve: a
// REFUND, or COMPLETE once the buyer is reinstated, never a conveyance to a
// suspended member). Its seller gives up no sale that could complete by
// itself. It answers the refusal, for the timeline.
func lateDisputeRefusal(ctx state.Context, t *model.Trade, caller *model.Participant, now time.Time) (string, error) {
	deemed := ledgererr.Conflictf("the inspection of trade %q ended at %s: its delivery is deemed accepted and can no longer be disputed", t.ID, t.DeadlineAt)
	if caller.ID != t.BuyerID {
		// Its record is its org's alone to write: bytes that are no participant read as one not ACTIVE.
		buyer, err := participants.Party(ctx, t.BuyerID)
		if err != nil {
			return "", err
		}
		if buyer.Status == model.ParticipantActive {
			// While its org's binding is out of force its member receives nothing for the enterprise, as one
			// not ACTIVE; a binding another org's later one superseded never returns (its org binds the
			// enterprise again only by registering it anew), so the trade would otherwise wait on the market.
			if err := participants.RequireBindingInForce(ctx, buyer); err == nil {
				// A sale that promised what it is sold under holds the seller's holding or right until it
				// ends: a buyer staying silent past a term that ended would otherwise hold it for ever.
				if held, err := rights.Promised(ctx, promiseOf(t)); err != nil {
					return "", err
				} else if !held {
					return "", deemed
				}
			} else if ledgererr.CodeOf(err) == ledgererr.Internal {
				return "", err
			}
		}
	}
	refusal, err := conveyanceRefusal(ctx, t, now)
	if err != nil {
		return "", err
	}
	if refusal == "" {
		return "", deemed
	}
	return refusal, nil
}

// Resolve decides a dispute; only an operator of the seller's region may,
// and only an impartial one: neither the buyer, the seller nor the asset's
// holder (a party to every licence over its asset), nor acting for one's
// enterprise.
// Outcome COMPLETE lets the sale stand: the right is conveyed as by Confirm
// and the trade is COMPLETED, to a buyer still ACTIVE only (complete). REFUND undoes it: the trade is CANCELLED and a
// HOLDING right it held is freed (the refund itself is settled off chain).
func (c *Contract) Resolve(ctx contractapi.TransactionContextInterface, tradeId, outcome, reason string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	if err := validate.OneOf("outcome", outcome, model.Outcomes...); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxTradeReasonLength); err != nil {
		return nil, err
	}
	var start *opening
	if outcome == model.OutcomeComplete {
		start = &opening{} // read with the trade, for complete
	}
	operator, t, now, err := begin(ctx, tradeId, start)
	if err != nil {
		return nil, err
	}
	if !isRegionOperator(operator, t.Region) {
		return nil, ledgererr.Forbiddenf("only an operator of %s, the seller's region, may resolve the dispute of trade %q", t.Region, tradeId)
	}
	if err := requireImpartial(ctx, operator, ledgererr.Phrase("the dispute of trade %q", tradeId), t); err != nil {
		return nil, err
	}
	if err := requireState(t, now, ledgererr.Phrase("resolved"), model.TradeDisputed); err != nil {
		return nil, err
	}
	note := outcome + ": " + reason
	var e model.TradeEvent
	if outcome == model.OutcomeComplete {
		if e, err = complete(ctx, t, start, operator.ID, note, now); err != nil {
			return nil, err
		}
	} else {
		if err := release(ctx, t); err != nil {
			return nil, err
		}
		advance(ctx, t, model.TradeCancelled, operator.ID, note, now)
		e = eventOf(t)
	}
	e.Outcome = outcome
	return save(ctx, t, model.EventTradeResolved, e)
}

// RequestPurge asks for a finished trade's private terms to be purged. When
// both the buyer and the seller have asked, every round's terms are purged
// from the collection (Fabric's PurgePrivateData: gone from the members'
// peers, history included), with a next round staged inside one org and
// never offered (purgeTerms), and the trade is marked TermsPurged; the public
// hashes remain, so the record of what was agreed stays provable by whoever
// kept a copy.
func (c *Contract) RequestPurge(ctx contractapi.TransactionContextInterface, tradeId string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	caller, t, now, err := beginAs(ctx, tradeId, nil, requireParty, ledgererr.Phrase("purge the terms of"), ledgererr.Phrase("purged"), model.TradeCompleted, model.TradeCancelled, model.TradeExpired, model.TradeRejected)
	if err != nil {
		return nil, err
	}
	if len(t.Offers) == 0 {
		return nil, ledgererr.Conflictf("trade %q has no private terms", tradeId)
	}
	if t.TermsPurged {
		return nil, ledgererr.Conflictf("the terms of trade %q are already purged", tradeId)
	}
	requested := func(id string) bool {
		return slices.ContainsFunc(t.PurgeRequests, func(r model.PurgeRequest) bool { return r.By == id })
	}
	if requested(caller.ID) {
		return nil, ledgererr.Conflictf("%q already asked to purge the terms of trade %q", caller.ID, tradeId)
	}
	t.PurgeRequests = append(t.PurgeRequests, model.PurgeRequest{By: caller.ID, At: state.Format(now), TxID: ctx.GetStub().GetTxID()})
	t.UpdatedAt = state.Format(now)
	if !requested(t.BuyerID) || !requested(t.SellerID) {
		return save(ctx, t, model.EventTermsPurgeRequested, eventOf(t))
	}
	if err := purgeTerms(ctx, t); err != nil {
		return nil, err
	}
	t.TermsPurged = true
	return save(ctx, t, model.EventTermsPurged, eventOf(t))
}
