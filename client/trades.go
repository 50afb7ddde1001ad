package client

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
)

// TradeService runs trade contracts between a buyer and a seller over a
// listing: a FIXED listing is bought by Order → Accept (or Reject); a
// NEGOTIABLE one by Propose → Counter rounds → AcceptOffer. Then Pay,
// Deliver and Confirm, which completes the trade and issues the buyer's
// right (or transfers the holding) in the same transaction. The sale of a
// holding leaves the other buyers' trades on it waiting; CloseOthers closes
// them.
type TradeService struct{ c *Client }

// OfferTerms are an offer's private terms. They travel to the chaincode as
// transient data and are kept only in the private data of the buyer's and
// seller's orgs; the public trade carries their salted hash.
type OfferTerms struct {
	// PriceFen is the offered price in integer fen; 0 leaves it out (an
	// order at a fixed price, which must then be the listing's anyway).
	PriceFen int64
	// Conditions are the negotiated conditions, at most
	// model.MaxTermsConditionsLength characters.
	Conditions string
	// Salt is model.MinSaltLength to model.MaxSaltLength lowercase hex
	// characters of the client's own randomness, so that the public hash
	// cannot be matched by guessing; ""
	// makes the client generate one (NewSalt) each time the terms are
	// encoded: set it yourself when the application repeats a call with the
	// same WithIdempotencyKey, which needs the same body. Terms reads it back.
	Salt string
}

// MarshalJSON encodes the terms as the gateway expects them: {"priceFen" (a
// JSON integer, left out when 0), "conditions", "salt"}, generating the salt
// when it is "".
func (t OfferTerms) MarshalJSON() ([]byte, error) {
	w := struct {
		PriceFen   int64  `json:"priceFen,omitempty"`
		Conditions string `json:"conditions,omitempty"`
		Salt       string `json:"salt"`
	}{PriceFen: t.PriceFen, Conditions: t.Conditions, Salt: t.Salt}
	if w.Salt == "" {
		w.Salt = NewSalt()
	}
	return json.Marshal(w)
}

// OrderRequest orders from an ACTIVE FIXED listing at its price
// (POST /v1/trades).
type OrderRequest struct {
	// TradeID is the new trade's ID, chosen by the caller.
	TradeID string `json:"tradeId"`
	// ListingID is the listing.
	ListingID string `json:"listingId"`
}

// ProposeRequest opens a negotiation on an ACTIVE NEGOTIABLE listing with a
// first offer (POST /v1/trades/proposals), whose terms were staged first
// (StageTerms, round 1). A proposal starts a trade as an order does: it has
// an order's fields (the new trade's ID and the listing).
type ProposeRequest OrderRequest

// PaymentRequest records the off-chain settlement of an ACCEPTED trade.
type PaymentRequest struct {
	// SettlementRef is the settlement reference of the exchange or the
	// payer's bank.
	SettlementRef string `json:"settlementRef"`
	// AmountFen is the amount paid in integer fen; it must equal the agreed
	// price.
	AmountFen int64 `json:"amountFen"`
}

// Order orders from an ACTIVE FIXED listing at its price (a buyer other than
// the seller); the trade is ORDERED until the seller accepts or rejects.
// Private conditions (no price) are staged first (StageTerms, round 1): the
// order records their hash.
func (s *TradeService) Order(ctx context.Context, r OrderRequest, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return submit[model.Trade](ctx, s.c, http.MethodPost, "/v1/trades", r, opts)
}

// Propose opens a negotiation on an ACTIVE NEGOTIABLE listing with a first
// offer; the trade is NEGOTIATING.
func (s *TradeService) Propose(ctx context.Context, r ProposeRequest, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return submit[model.Trade](ctx, s.c, http.MethodPost, "/v1/trades/proposals", r, opts)
}

// Counter answers the last offer of a negotiation with the new private
// terms the caller staged for the trade's next round (StageTerms).
func (s *TradeService) Counter(ctx context.Context, tradeID string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "counter", struct{}{}, opts)
}

// StageTerms is step 1 of an offer: the terms of round (1 opens the trade)
// go to the private data of the buyer's and the seller's orgs, endorsed by
// their peers alone, so that no third org receives them. listingID names
// the trade's listing, required for round 1 (its seller's org is the
// seller's side); "" for a later round. Step 2 makes the offer public with
// their hash: Order or Propose (round 1), or Counter.
//
// A member who signs its own calls (WithSigner) works the same: the gateway
// cannot ask the chaincode for the two orgs as that member, so StageTerms
// asks first with the member's own signature (TermsOrgs) and names them
// (endorsingOrganizations).
func (s *TradeService) StageTerms(ctx context.Context, tradeID string, round int, listingID string, terms OfferTerms, opts ...SubmitOption) (*Submitted[model.StagedTerms], error) {
	return s.submitTerms(ctx, "/v1/trades/%s/terms", tradeID, round, listingID, map[string]any{"terms": terms}, opts)
}

// WithdrawTerms takes back the terms the caller staged (StageTerms) for
// round of the trade and never offered: they are purged from the private
// data of the buyer's and the seller's orgs, endorsed by their peers alone,
// as the staging was. listingID names the listing as StageTerms did
// (required for round 1). Terms that became an offer are refused (409:
// both parties' RequestPurge removes them after the trade ends), and
// nothing staged is a 404. The result is the round and the hash of the
// terms withdrawn. A member who signs its own calls works the same
// (StageTerms).
func (s *TradeService) WithdrawTerms(ctx context.Context, tradeID string, round int, listingID string, opts ...SubmitOption) (*Submitted[model.StagedTerms], error) {
	return s.submitTerms(ctx, "/v1/trades/%s/terms/withdraw", tradeID, round, listingID, map[string]any{}, opts)
}

// submitTerms submits body, with the round and the listing (if any), to
// path, a call on the staged terms of round of the trade that writes the
// collection of the buyer's and the seller's orgs alone. For a member who
// signs its own calls it names those orgs (termsParties) as the endorsing
// organizations; the gateway asks the chaincode for them itself for a
// member whose key it holds.
func (s *TradeService) submitTerms(ctx context.Context, path, tradeID string, round int, listingID string, body map[string]any, opts []SubmitOption) (*Submitted[model.StagedTerms], error) {
	body["round"] = round
	if listingID != "" {
		body["listingId"] = listingID
	}
	if s.c.signer != nil {
		orgs, err := s.termsParties(ctx, tradeID, round, listingID)
		if err != nil {
			return nil, err
		}
		if len(orgs) > 0 {
			opts = append(slices.Clip(opts), func(st *submitSettings) {
				st.query = url.Values{wire.EndorsingOrganizationsParam: {strings.Join(orgs, ",")}}
			})
		}
	}
	return submitAt[model.StagedTerms](ctx, s.c, http.MethodPost, path, []segment{seg("trade ID", tradeID)}, body, opts)
}

// termsParties asks the chaincode, signed by the member, for the buyer's
// and the seller's orgs of a round of a trade (TermsOrgs), each once. None
// for round 1 without its listing, which the gateway refuses naming
// listingId.
func (s *TradeService) termsParties(ctx context.Context, tradeID string, round int, listingID string) ([]string, error) {
	if round == 1 && listingID == "" {
		return nil, nil
	}
	o, err := s.TermsOrgs(ctx, tradeID, round, listingID)
	if err != nil {
		return nil, err
	}
	return slices.Compact([]string{o.BuyerMSP, o.SellerMSP}), nil
}

// TermsOrgs returns the buyer's and the seller's orgs of round (from 1) of
// the trade as the chaincode takes them for the caller's StageTerms and
// WithdrawTerms (trades:TermsOrgs): the orgs whose peers alone endorse
// those calls. listingID names the trade's listing, required for round 1
// (the seller's org is that of its seller's participant record); "" for a
// later round, whose trade names both. It is refused as the staging would
// be (not a party, an unknown listing or trade).
func (s *TradeService) TermsOrgs(ctx context.Context, tradeID string, round int, listingID string) (*model.TermsOrgs, error) {
	var query url.Values
	if listingID != "" {
		query = url.Values{"listingId": {listingID}}
	}
	return getQueryAt[model.TermsOrgs](ctx, s.c, "/v1/trades/%s/terms/%s/orgs", []segment{seg("trade ID", tradeID), seg("round", strconv.Itoa(round))}, query)
}

// AcceptOffer accepts the last offer of a negotiation (the other party):
// the trade is ACCEPTED on its terms.
func (s *TradeService) AcceptOffer(ctx context.Context, tradeID string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "accept-offer", nil, opts)
}

// Accept accepts an order (the seller): the trade is ACCEPTED and, for a
// HOLDING, the holding is locked to it.
func (s *TradeService) Accept(ctx context.Context, tradeID string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "accept", nil, opts)
}

// Reject turns an order down (the seller), with a reason.
func (s *TradeService) Reject(ctx context.Context, tradeID, reason string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "reject", map[string]any{"reason": reason}, opts)
}

// Pay records the off-chain settlement of an ACCEPTED trade (the buyer or an
// operator): the trade is PAID.
func (s *TradeService) Pay(ctx context.Context, tradeID string, r PaymentRequest, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "payment", r, opts)
}

// Deliver records the delivery of a PAID trade (the seller) by the SHA-256
// of the delivered data or its manifest; after the trade's delivery
// deadline too, until the buyer cancels it.
func (s *TradeService) Deliver(ctx context.Context, tradeID, deliveryHash string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "deliver", map[string]any{"deliveryHash": deliveryHash}, opts)
}

// Confirm confirms the delivery (the buyer): the trade is COMPLETED and the
// buyer receives its right, named by the result's RightID. Once the trade's
// inspection deadline (its DeadlineAt) has passed with the buyer neither
// confirming nor disputing, the seller may confirm it: the delivery is
// deemed accepted.
func (s *TradeService) Confirm(ctx context.Context, tradeID string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "confirm", nil, opts)
}

// CloseOthers cancels, after the sale of a holding (tradeID, COMPLETED),
// the other buyers' trades still waiting on the sold listing or on the
// seller's listings of the asset that the sale took off the market: the
// sale's own transaction closes none of them, since its buyer would see
// them. The seller or an operator of the sale's region may call it; the
// result's TradeIDs are the trades it closed, none when nothing waited. A
// gateway with a ledger index whose member is an operator of the region
// does it by itself, so a caller rarely needs to. Each call closes at most
// model.MaxTradesClosedPerCall: while the result's Bookmark is not "",
// CloseOthersFrom it continues.
func (s *TradeService) CloseOthers(ctx context.Context, tradeID string, opts ...SubmitOption) (*Submitted[model.ClosedTrades], error) {
	return s.CloseOthersFrom(ctx, tradeID, "", opts...)
}

// CloseOthersFrom is CloseOthers continued from bookmark, the Bookmark of
// the previous call's result for the sale.
func (s *TradeService) CloseOthersFrom(ctx context.Context, tradeID, bookmark string, opts ...SubmitOption) (*Submitted[model.ClosedTrades], error) {
	body := map[string]any{}
	if bookmark != "" {
		body["from"] = bookmark
	}
	return submitAt[model.ClosedTrades](ctx, s.c, http.MethodPost, "/v1/trades/%s/close-others", []segment{seg("trade ID", tradeID)}, body, opts)
}

// Cancel ends a trade before payment (the buyer; the seller only before
// acceptance, which binds it: an accepted trade the buyer does not pay
// lapses), or a PAID trade the seller did not deliver by its delivery
// deadline (its DeadlineAt; the buyer only, the refund being settled off
// chain).
func (s *TradeService) Cancel(ctx context.Context, tradeID, reason string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "cancel", map[string]any{"reason": reason}, opts)
}

// Expire ends a trade that waited too long without a transition (any
// participant).
func (s *TradeService) Expire(ctx context.Context, tradeID string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "expire", nil, opts)
}

// Dispute puts a PAID trade, or a DELIVERED one before its inspection
// deadline (its DeadlineAt), before the seller's exchange (the buyer or the
// seller); after that deadline the buyer while the conveyance would be
// refused (the seller's entitlement ended after the delivery), the seller
// while the buyer is not ACTIVE (SUSPENDED or RELEASED).
func (s *TradeService) Dispute(ctx context.Context, tradeID, reason string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "dispute", map[string]any{"reason": reason}, opts)
}

// Resolve decides a dispute (an operator of the seller's region): outcome
// model.OutcomeComplete lets the sale stand, model.OutcomeRefund undoes it.
func (s *TradeService) Resolve(ctx context.Context, tradeID, outcome, reason string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "resolve", map[string]any{"outcome": outcome, "reason": reason}, opts)
}

// RequestPurge asks for a finished trade's private terms to be purged; they
// are purged once the buyer and the seller both asked.
func (s *TradeService) RequestPurge(ctx context.Context, tradeID string, opts ...SubmitOption) (*Submitted[model.Trade], error) {
	return s.action(ctx, tradeID, "purge-request", nil, opts)
}

// Get returns a trade (to its buyer or seller, an operator or the
// regulator).
func (s *TradeService) Get(ctx context.Context, tradeID string) (*model.Trade, error) {
	return getAt[model.Trade](ctx, s.c, "/v1/trades/%s", seg("trade ID", tradeID))
}

// Terms returns one round (from 1) of a trade's private terms, checked
// against the public hash (the buyer or the seller, through a gateway of
// their own org).
func (s *TradeService) Terms(ctx context.Context, tradeID string, round int) (*model.Terms, error) {
	return getAt[model.Terms](ctx, s.c, "/v1/trades/%s/terms/%s", seg("trade ID", tradeID), seg("round", strconv.Itoa(round)))
}

// ByParticipant iterates over the trades a participant is the buyer or the
// seller of.
func (s *TradeService) ByParticipant(ctx context.Context, participantID string, opts ...ListOption) iter.Seq2[model.Trade, error] {
	return listAt[model.Trade](ctx, s.c, "/v1/participants/%s/trades", []segment{seg("participant ID", participantID)}, nil, opts)
}

// MarketFilter narrows Market: each field left empty (zero) does not
// filter.
type MarketFilter struct {
	// Region lists the trades a region is involved in (the seller's or the
	// buyer's); empty for the whole market, which only the regulator lists.
	Region string
	// Status lists only the trades in this status now.
	Status string
	// OpenedFrom and OpenedBefore bound when the trades were opened:
	// [OpenedFrom, OpenedBefore).
	OpenedFrom, OpenedBefore time.Time
}

// Market iterates over the market's trades, oldest first (the regulator; an
// exchange operator for its own region).
func (s *TradeService) Market(ctx context.Context, f MarketFilter, opts ...ListOption) iter.Seq2[model.Trade, error] {
	q := url.Values{}
	for name, v := range map[string]string{"region": f.Region, "status": f.Status} {
		if v != "" {
			q.Set(name, v)
		}
	}
	for name, t := range map[string]time.Time{"openedFrom": f.OpenedFrom, "openedBefore": f.OpenedBefore} {
		if !t.IsZero() {
			q.Set(name, t.UTC().Format(time.RFC3339))
		}
	}
	return listAt[model.Trade](ctx, s.c, "/v1/trades", nil, q, opts)
}

// ByListing iterates over the trades of a listing.
func (s *TradeService) ByListing(ctx context.Context, listingID string, opts ...ListOption) iter.Seq2[model.Trade, error] {
	return listAt[model.Trade](ctx, s.c, "/v1/listings/%s/trades", []segment{seg("listing ID", listingID)}, nil, opts)
}

// action submits one transition of a trade.
func (s *TradeService) action(ctx context.Context, tradeID, action string, body any, opts []SubmitOption) (*Submitted[model.Trade], error) {
	return submitAt[model.Trade](ctx, s.c, http.MethodPost, "/v1/trades/%s/"+action, []segment{seg("trade ID", tradeID)}, body, opts)
}
