package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Trade statuses.
//
//	NEGOTIATING --AcceptOffer--> ACCEPTED      ORDERED --Accept--> ACCEPTED
//	                                           ORDERED --Reject--> REJECTED
//	ACCEPTED --RecordPayment--> PAID --Deliver--> DELIVERED --Confirm--> COMPLETED
//	NEGOTIATING, ORDERED --Cancel--> CANCELLED
//	ACCEPTED --Cancel (buyer)--> CANCELLED                (acceptance binds the seller: unpaid, the trade lapses)
//	NEGOTIATING, ORDERED, ACCEPTED --Expire--> EXPIRED   (after TradeResponseWindow without a transition)
//	PAID --Cancel (buyer)--> CANCELLED                    (refund; after TradeDeliveryWindow undelivered)
//	DELIVERED --Confirm (seller)--> COMPLETED             (deemed acceptance; after TradeInspectionWindow)
//	PAID, DELIVERED --Dispute--> DISPUTED --Resolve--> COMPLETED | CANCELLED (refund)
//	DELIVERED --Dispute (buyer)--> DISPUTED              (after TradeInspectionWindow, while the conveyance is refused)
//	DELIVERED --Dispute (seller)--> DISPUTED             (after TradeInspectionWindow, the buyer not ACTIVE)
//
// A trade starts (Order, Propose) only when an ACTIVE operator of the
// seller's region is impartial between its parties, so that a dispute of it
// has a judge; and no party can hold a paid trade, nor the holding it locks,
// for ever: a seller who does not deliver is cancelled by the buyer, a buyer
// who neither confirms nor disputes a delivery is deemed to accept it, and a
// DELIVERED trade is disputed within its inspection window only, but by its
// buyer while the conveyance would be refused (the seller's entitlement
// ended after the delivery), or by its seller while the buyer is not ACTIVE
// (SUSPENDED or RELEASED): neither party's Confirm moves such a trade.
const (
	TradeNegotiating = "NEGOTIATING"
	TradeOrdered     = "ORDERED"
	TradeAccepted    = "ACCEPTED"
	TradeRejected    = "REJECTED"
	TradePaid        = "PAID"
	TradeDelivered   = "DELIVERED"
	TradeCompleted   = "COMPLETED"
	TradeCancelled   = "CANCELLED"
	TradeExpired     = "EXPIRED"
	TradeDisputed    = "DISPUTED"
)

// TradeStatuses are every status of a trade.
var TradeStatuses = []string{TradeNegotiating, TradeOrdered, TradeAccepted, TradeRejected, TradePaid, TradeDelivered,
	TradeCompleted, TradeCancelled, TradeExpired, TradeDisputed}

// TradeWaitingStatuses are the statuses a trade waits in for a party to act
// before anything changes hands: it can lapse in them (TradeResponseWindow),
// and the sale of the holding it wanted closes it (trades:CloseOthers).
var TradeWaitingStatuses = []string{TradeNegotiating, TradeOrdered, TradeAccepted}

// TradeOpenStatuses are the statuses of a trade its seller has still to
// answer, before any acceptance binds it: a buyer enterprise holds at most
// one trade in them on a listing at a time (trades:Order and trades:Propose
// refuse a second one), so that no rival floods a seller with free orders.
var TradeOpenStatuses = []string{TradeNegotiating, TradeOrdered}

// TradeEndedStatuses are the statuses a trade ends in: no step leaves them
// (but RequestPurge, which changes no status).
var TradeEndedStatuses = []string{TradeRejected, TradeCompleted, TradeCancelled, TradeExpired}

// Outcomes of a dispute's resolution.
const (
	OutcomeComplete = "COMPLETE" // the sale stands: the right is conveyed
	OutcomeRefund   = "REFUND"   // the sale is undone: the trade is cancelled
)

// Outcomes lists every outcome of a dispute's resolution (trades:Resolve).
var Outcomes = []string{OutcomeComplete, OutcomeRefund}

// TradeResponseWindow is how long a trade may wait in NEGOTIATING, ORDERED or
// ACCEPTED without a transition. After it the trade has lapsed: the only
// transition left is Expire, which anyone who may read the trade may make.
const TradeResponseWindow = 7 * 24 * time.Hour

// TradeDeliveryWindow is how long the seller has to deliver a PAID trade.
// After it, undelivered, the buyer may cancel the trade (the refund is
// settled off chain, as Resolve's REFUND is), which frees a holding it
// locked; until the buyer does, the seller may still deliver. Two weeks:
// a data product is delivered by preparing an extract, a desensitised copy
// or an interface, which takes working days rather than the hours an
// answer takes (TradeResponseWindow), and two weeks still cover a delivery
// begun before one of the week-long public holidays (Spring Festival,
// National Day).
const TradeDeliveryWindow = 14 * 24 * time.Hour

// TradeInspectionWindow is how long the buyer has to inspect a DELIVERED
// trade: to confirm it, or to dispute it. After it, with neither done, the
// delivery is deemed accepted (the inspection period of commercial law; the
// automatic confirmation of receipt of e-commerce platforms): the seller
// may confirm the trade, which conveys the right as the buyer's
// confirmation does, and nobody may dispute it any more, but its buyer
// while that conveyance would be refused, or its seller once the buyer is
// RELEASED. Ten days: two
// working weeks to check the delivery against its hash and the listing's
// description and to sample its quality, the period after which the large
// e-commerce platforms confirm receipt of goods shipped by courier.
const TradeInspectionWindow = 10 * 24 * time.Hour

// TradeWindow is how long a trade may stay in status before its deadline
// (Trade.DeadlineAt), and zero for a status without one.
func TradeWindow(status string) time.Duration {
	switch status {
	case TradeNegotiating, TradeOrdered, TradeAccepted:
		return TradeResponseWindow
	case TradePaid:
		return TradeDeliveryWindow
	case TradeDelivered:
		return TradeInspectionWindow
	}
	return 0
}

// MaxRounds bounds a negotiation, and with it the size of the trade record.
const MaxRounds = 20

// TransientAmountKey is the key of the transient data that carries the
// amount of a payment (RecordPayment), in integer fen as decimal text: a
// public argument would put a negotiated price in the block.
const TransientAmountKey = "amountFen"

// TransientTermsKey is the key of the transient data that carries an
// offer's terms. Transient data reaches the endorsing peers but is not
// recorded in the block.
const TransientTermsKey = "terms"

// Trade is a trade contract between a buyer and a seller over one listing.
type Trade struct {
	ID        string `json:"id"`
	ListingID string `json:"listingId"`
	// AssetID, RightType, Scope, Category, Region and SourceRegion are
	// copied from the listing when the trade starts, so that the listing can
	// change later without changing what was bought.
	AssetID      string `json:"assetId"`
	RightType    string `json:"rightType"`
	Scope        *Scope `json:"scope,omitempty" metadata:",optional"`
	Category     string `json:"category"`
	Region       string `json:"region"` // the seller's region, whose exchange supervises the trade
	SourceRegion string `json:"sourceRegion"`
	Pricing      string `json:"pricing"`
	// TermsHash is the listing's terms hash when the trade started
	// (interface 16.0.0 on; empty on a trade started before): the terms
	// the buyer ordered or negotiated on. The listing is its seller's org's
	// alone, which may replace the listing's hash later; the trade's stays.
	TermsHash string `json:"termsHash,omitempty" metadata:",optional"`
	// PriceFen is the public price of a FIXED trade; a negotiated price is
	// confidential and only its hash is here (in Offers).
	PriceFen  int64  `json:"priceFen,omitempty" metadata:",optional"`
	BuyerID   string `json:"buyerId"`
	BuyerMSP  string `json:"buyerMsp"`
	SellerID  string `json:"sellerId"`
	SellerMSP string `json:"sellerMsp"`
	Status    string `json:"status"`
	// Offers are the rounds of private terms, oldest first. Once the trade
	// is ACCEPTED the last offer's terms are the agreed ones.
	Offers []Offer `json:"offers"`
	// DeadlineAt is the deadline of the trade's status (TradeWindow after
	// the transition into it): when a trade waiting in NEGOTIATING, ORDERED
	// or ACCEPTED lapses; when a PAID trade not delivered may be cancelled by
	// its buyer; when a DELIVERED trade neither confirmed nor disputed is
	// deemed accepted (its seller may confirm it, nobody may dispute it). It
	// is empty in every other status.
	DeadlineAt    string `json:"deadlineAt,omitempty" metadata:",optional"`
	SettlementRef string `json:"settlementRef,omitempty" metadata:",optional"`
	DeliveryHash  string `json:"deliveryHash,omitempty" metadata:",optional"`
	// RightID is the right the buyer received when the trade completed.
	RightID string `json:"rightId,omitempty" metadata:",optional"`
	// DelistedListingIDs are the seller's other listings of the asset that
	// the sale of its holding took off the market: trades:CloseOthers
	// closes the trades still waiting on them.
	DelistedListingIDs []string       `json:"delistedListingIds,omitempty" metadata:",optional"`
	PurgeRequests      []PurgeRequest `json:"purgeRequests"`
	TermsPurged        bool           `json:"termsPurged"`
	Timeline           []Step         `json:"timeline"`
	CreatedAt          string         `json:"createdAt"`
	UpdatedAt          string         `json:"updatedAt"`
	// Unsealed is set only in answers, never stored: the trade reads
	// COMPLETED but no completion mark (SaleMark) vouches for it, so it is
	// no proof of a sale. Its record is under its two parties' orgs alone
	// (one org when both parties are its members), which can rewrite it by
	// themselves, while the mark only a majority of the orgs writes: a
	// trade completed before interface 16.0.0, which wrote none, or a record
	// its parties' orgs rewrote as a sale, or changed after its sale.
	Unsealed bool `json:"unsealed,omitempty" metadata:",optional"`
}

// SaleMark vouches for a completed trade: written, from interface 16.0.0
// on, by the transaction that completed the trade and conveyed what it
// sold, as a new key, which needs the chaincode-level endorsement policy (a
// majority of the orgs) and which no org, nor both parties' orgs, writes
// alone. Digest is the trade's SaleDigest then.
type SaleMark struct {
	TradeID string `json:"tradeId"`
	Digest  string `json:"digest"`
}

// KeyAttrs is the trade's ID.
func (m *SaleMark) KeyAttrs() []string { return []string{m.TradeID} }

// Vouches reports whether mark m (nil for none) vouches for t as a sale:
// it is t's mark and t's sale facts are those it was written with.
func (m *SaleMark) Vouches(t *Trade) bool {
	return m != nil && m.TradeID == t.ID && m.Digest == t.SaleDigest()
}

// OpenedMark holds, from interface 16.0.0 on, the facts a trade was opened
// with: written by the Order or Propose that opened it, as a new key, which
// needs the chaincode-level endorsement policy (a majority of the orgs) and
// which no org, nor both parties' orgs, rewrites alone, unlike the trade's
// record. It has a SaleMark's form, the trade's ID and a digest of its
// facts: Digest is the trade's StartDigest then; a trade is completed only
// while its record still has it.
type OpenedMark SaleMark

// KeyAttrs is the trade's ID.
func (m *OpenedMark) KeyAttrs() []string { return []string{m.TradeID} }

// Vouches reports whether mark m (nil for none) vouches for t's start: it
// is t's mark and t's start facts are those it was written with.
func (m *OpenedMark) Vouches(t *Trade) bool {
	return m != nil && m.TradeID == t.ID && m.Digest == t.StartDigest()
}

// StartDigest is the hex SHA-256 of the JSON array, in a fixed order, of
// the facts fixed when t was opened: who buys what from whom, on which
// listing and terms, at which public price (FIXED; 0 for a negotiated
// trade, whose price is private), and when.
func (t *Trade) StartDigest() string {
	return digestOf(t.startFacts())
}

// startFacts are the facts StartDigest covers, in its order.
func (t *Trade) startFacts() []any {
	return []any{t.ID, t.ListingID, t.AssetID, t.RightType, t.Scope, t.Category, t.Region, t.SourceRegion, t.Pricing,
		t.PriceFen, t.TermsHash, t.BuyerID, t.BuyerMSP, t.SellerID, t.SellerMSP, t.CreatedAt}
}

// SaleDigest is the hex SHA-256 of the JSON array, in a fixed order, of
// the facts of t's sale: every field fixed by its completion that the
// market's figures, price index and lists read (who sold what to whom, on
// which listing and terms, at which public price, and the right conveyed).
func (t *Trade) SaleDigest() string {
	return digestOf(append(t.startFacts(), t.RightID))
}

// digestOf is the hex SHA-256 of facts as a JSON array.
func digestOf(facts []any) string {
	b, err := json.Marshal(facts)
	if err != nil {
		return "" // a Trade always encodes
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ConveyedScope returns the scope the trade conveys: none for a HOLDING
// trade.
func (t *Trade) ConveyedScope() Scope {
	if t.Scope == nil {
		return Scope{}
	}
	return *t.Scope
}

// LastOffer returns the latest round of terms, if there is one.
func (t *Trade) LastOffer() (Offer, bool) {
	if len(t.Offers) == 0 {
		return Offer{}, false
	}
	return t.Offers[len(t.Offers)-1], true
}

// Offer is the public trace of one round of private terms: who offered them,
// when, and the hex SHA-256 of the exact bytes stored in the private data
// collection, so that either party can later prove what was offered.
type Offer struct {
	Round     int    `json:"round"`
	By        string `json:"by"`
	At        string `json:"at"`
	TxID      string `json:"txId"`
	TermsHash string `json:"termsHash"`
}

// Step is one entry of a trade's timeline: a transition, or a round of a
// negotiation.
type Step struct {
	State string `json:"state"`
	By    string `json:"by"`
	At    string `json:"at"`
	TxID  string `json:"txId"`
	Note  string `json:"note,omitempty" metadata:",optional"`
}

// PurgeRequest records that a party asked for the trade's private terms to
// be purged.
type PurgeRequest struct {
	By   string `json:"by"`
	At   string `json:"at"`
	TxID string `json:"txId"`
}

// TradePage is one page of a trade query. Contract-api names the schemas of
// returned types by their Go names across the whole chaincode, so page
// types carry their record's name.
type TradePage struct{ Page[*Trade] }

// Terms is the private record of one round of terms. Its JSON bytes are
// what the collection stores and what the public Offer.TermsHash hashes. It
// names the trade and round, so a hash proves these terms for this offer;
// Salt is the offering client's randomness, without which a price could be
// found by hashing guesses against the public hash (which every org's peers
// hold, member or not).
type Terms struct {
	TradeID    string `json:"tradeId"`
	Round      int    `json:"round"`
	By         string `json:"by"`
	PriceFen   int64  `json:"priceFen"`
	Conditions string `json:"conditions"`
	Salt       string `json:"salt"`
}

// OfferTerms is the private terms document of an offer, passed to the
// chaincode as transient data under TransientTermsKey and kept in the
// private data collection of the buyer's and seller's orgs, with only its
// hash public.
type OfferTerms struct {
	// PriceFen is the offered price in integer fen, a JSON integer;
	// omitted for the terms of an order on a FIXED listing, whose price is
	// the listing's public one (since interface 7.0.0).
	PriceFen int64 `json:"priceFen,omitempty"`
	// Conditions are the negotiated conditions, at most 2000 characters.
	Conditions string `json:"conditions,omitempty"`
	// Salt is 32 to 128 lowercase hex characters of the client's own
	// randomness, so that the public hash cannot be matched by guessing.
	Salt string `json:"salt"`
}

// StagedTerms is what StageTerms answers: the round staged and the hex
// SHA-256 of the stored terms, which the public step (Propose or Counter)
// makes the offer's TermsHash; and what WithdrawTerms answers: the round
// and the hash of the terms it purged. It carries no terms: a submitted
// transaction's response is written into the block that every org receives.
type StagedTerms struct {
	TradeID   string `json:"tradeId"`
	Round     int    `json:"round"`
	TermsHash string `json:"termsHash"`
}

// TermsOrgs is what TermsOrgs answers: the buyer's and the seller's orgs
// of a round's terms, those whose collection StageTerms and WithdrawTerms
// write and whose peers alone endorse them (one org twice when both parties
// are in it). The seller's org of round 1 is the seller's participant
// record's, not the listing record's sellerMsp.
type TermsOrgs struct {
	BuyerMSP  string `json:"buyerMsp"`
	SellerMSP string `json:"sellerMsp"`
}

// TradeEvent is the payload of every trade event; its parties, the buyer's
// org and its Region say who may see it (AudienceTrade), as trades:Get
// decides: Region, the trade's (where it was listed, whose exchange
// supervises it), is set on every trade event (since interface 5.0.0), the
// buyer's side is its org's region in the market rules in force. The other
// market fields are set
// on the events of a completed sale (TradeCompleted, and TradeResolved with
// outcome COMPLETE): the gateway computes the market's price index and
// volume per region and category from them. PriceFen is set only for a
// FIXED trade; a negotiated price is confidential.
type TradeEvent struct {
	TradeID   string `json:"tradeId"`
	ListingID string `json:"listingId"`
	AssetID   string `json:"assetId"`
	Status    string `json:"status"`
	BuyerID   string `json:"buyerId"`
	SellerID  string `json:"sellerId"`
	BuyerMSP  string `json:"buyerMsp"`
	SellerMSP string `json:"sellerMsp"`
	Round     int    `json:"round,omitempty"`
	Outcome   string `json:"outcome,omitempty"`
	// DeadlineAt is the trade's Trade.DeadlineAt after the transition: the
	// deadline of the status it entered (TradeWindow), so that a party
	// following the events knows when its next step is due, or the other
	// side's, without reading the trade. Absent for a status without one
	// (since interface 5.1.0).
	DeadlineAt string `json:"deadlineAt,omitempty"`

	Category     string `json:"category,omitempty"`
	Region       string `json:"region,omitempty"`
	SourceRegion string `json:"sourceRegion,omitempty"`
	RightType    string `json:"rightType,omitempty"`
	Pricing      string `json:"pricing,omitempty"`
	PriceFen     int64  `json:"priceFen,omitempty"`
	RightID      string `json:"rightId,omitempty"`
	// DelistedListingIDs are the seller's other listings of the asset that
	// the sale of its holding took off the market.
	DelistedListingIDs []string `json:"delistedListingIds,omitempty"`
	// ClosedTradeIDs, on the event of trades:CloseOthers, are the other
	// buyers' trades that were still waiting on the sold listing or on the
	// listings the sale took off the market: it cancelled them, with the
	// reason in their timeline.
	ClosedTradeIDs []string `json:"closedTradeIds,omitempty"`
	// ClosedBuyerIDs are the buyers of ClosedTradeIDs, each once: they see
	// this event too, which tells them why their trades ended (the sale's
	// TradeID, BuyerID and BuyerMSP only if they may read the sale:
	// AudienceClosedTrades).
	ClosedBuyerIDs []string `json:"closedBuyerIds,omitempty"`
}

// ClosedTrades is what trades:CloseOthers answers: the other buyers' trades
// it closed after the sale of a holding, none when nothing was waiting.
type ClosedTrades struct {
	SaleTradeID string   `json:"saleTradeId"`
	TradeIDs    []string `json:"tradeIds"`
	// Bookmark continues the closing where this call ended: it read its
	// caller's next MaxTradesClosedPerCall trades of the sale's listings
	// only. "" when no trade the caller may read is left (since interface
	// 11.0.0).
	Bookmark string `json:"bookmark"`
}

// MaxTradesPerRead bounds the trades one trades:GetReadable reads: the
// trades a sale closed and the sale, as the gateway narrows the event of
// trades:CloseOthers for a viewer, in one evaluation.
const MaxTradesPerRead = MaxPageSize

// ReadableTrades answers trades:GetReadable: of the trades asked, those the
// caller may read, in the order asked.
type ReadableTrades struct {
	Items []*Trade `json:"items"`
}

// Events of the trades contract.
const (
	EventTradeOrdered        = "TradeOrdered"
	EventTradeProposed       = "TradeProposed"
	EventTradeCountered      = "TradeCountered"
	EventTradeAccepted       = "TradeAccepted"
	EventTradeRejected       = "TradeRejected"
	EventTradePaid           = "TradePaid"
	EventTradeDelivered      = "TradeDelivered"
	EventTradeCompleted      = "TradeCompleted"
	EventTradeCancelled      = "TradeCancelled"
	EventTradeExpired        = "TradeExpired"
	EventTradeDisputed       = "TradeDisputed"
	EventTradeResolved       = "TradeResolved"
	EventTradesClosed        = "TradesClosed"
	EventTermsPurgeRequested = "TermsPurgeRequested"
	EventTermsPurged         = "TermsPurged"
)

var (
	tradeID     = idField("tradeId", "trade")
	newTradeID  = newIDField("tradeId", "trade")
	tradeReason = textField("reason", MaxTradeReasonLength, "Why.")
	offerTerms  = Field{Name: TransientTermsKey, Type: TypeObject, Schema: OfferTerms{}, Description: TermsRules}
	// stagedListingID names the listing of the trade whose terms are staged.
	stagedListingID = idField("listingId", "listing").AsOptional().Describe("ID of the listing the trade is on: required for round 1 " +
		"(its seller's org and the caller's keep the terms), empty or the trade's listing for a later round.")
)

// OfferTermsShape lists the fields of an offer's terms document.
const OfferTermsShape = `{"priceFen", "conditions", "salt"}`

// TermsRules are the rules of an offer's private terms and of its public
// hash, as a client must follow them (the chaincode enforces them; the
// gateway's API document and the contract metadata carry this text).
var TermsRules = fmt.Sprintf(`The offer's private terms {"priceFen", "conditions", "salt"}: priceFen is the price in integer fen, a JSON integer `+
	`from 1 to %d, omitted for an order on a FIXED listing (its price is the listing's public one); conditions at most %d characters; salt %d to %d lowercase hexadecimal characters `+
	`of the client's own randomness (without it the price could be found by hashing guesses against the public hash). `+
	`The chaincode stores the record {"tradeId", "round", "by", "priceFen", "conditions", "salt"} (round and priceFen JSON `+
	`integers, the rest strings) in its RFC 8785 canonical JSON form (keys sorted, no spaces), and the offer's public termsHash is `+
	`the lowercase hexadecimal SHA-256 of those bytes: whoever is shown the terms recomputes it.`,
	MaxAmountFen, MaxTermsConditionsLength, MinSaltLength, MaxSaltLength)

// holdingLockNote is the endorsement note of the steps that accept a trade:
// accepting a HOLDING trade locks the holding on the asset, whose key is
// under a majority of the orgs from interface 17.0.0.
const holdingLockNote = "Of a HOLDING trade, a majority of the orgs in all: the acceptance locks the holding on the asset, whose key is under a majority (interface 17.0.0)."

// holdingReleaseNote is the endorsement note of the steps that end an
// accepted trade without a sale: of a HOLDING trade, they release the lock.
const holdingReleaseNote = "Of an accepted HOLDING trade, a majority of the orgs in all: the step releases the lock on the asset, whose key is under a majority (interface 17.0.0)."

// holdingConveyed is the endorsement note of the steps that complete a
// HOLDING trade: a lock written before interface 17.0.0 tied the asset's
// key to its holder's and its buyer's orgs until a step of the trade writes
// it. The sale closes the seller's listings of the asset by their closings
// (ListingClosing, from interface 18.0.0), new keys, never by writing the
// listings, which before 18.0.0 were the seller's org's alone: it no longer
// needs that org.
const holdingConveyed = "a HOLDING trade: the buyer's org among them where the holding was locked before interface 17.0.0 (the asset's key, which this step puts under a majority)"

// tradeStep is a transition of an existing trade.
func tradeStep(name string, params ...Field) Function {
	return Function{Name: name, Returns: Trade{}, Params: append([]Field{tradeID}, params...)}
}

// TradesContract is the trade contracts' state machine.
var TradesContract = contract("trades", "DeltaLedger trades",
	"Trade contracts between buyers and sellers of data rights, from order to completion",
	Function{Name: "Order", Returns: Trade{}, Params: []Field{newTradeID, idField("listingId", "listing")}}.endorsedBy(openingTrade),
	Function{Name: "Propose", Returns: Trade{}, Params: []Field{newTradeID, idField("listingId", "listing")}}.endorsedBy(openingTrade),
	Function{Name: "StageTerms", Returns: StagedTerms{}, Params: []Field{
		tradeID.Describe("ID of the trade: a new one for round 1 (Order or Propose opens it), else an existing trade."),
		{Name: "round", Type: TypeInteger, Minimum: bound(1), Maximum: bound(MaxRounds),
			Description: "The round the terms are for: 1 opens the trade, then each counter-offer the next."},
		stagedListingID,
	}, Transient: []Field{offerTerms}}.endorsedBy(orgsAlone(PartyBuyer, PartySeller)),
	Function{Name: "WithdrawTerms", Returns: StagedTerms{}, Params: []Field{
		tradeID.Describe("ID of the trade the caller staged terms for (StageTerms), whether or not it exists."),
		{Name: "round", Type: TypeInteger, Minimum: bound(1), Maximum: bound(MaxRounds),
			Description: "The round the caller staged and never offered: terms that became an offer are purged only by RequestPurge of both parties."},
		stagedListingID,
	}}.endorsedBy(orgsAlone(PartyBuyer, PartySeller)),
	tradeStep("Counter").endorsedBy(negotiationParties),
	tradeStep("AcceptOffer").endorsedBy(negotiationParties.noted(holdingLockNote)),
	tradeStep("Accept").endorsedBy(tradeParties.noted(holdingLockNote)),
	tradeStep("Reject", tradeReason).endorsedBy(tradeParties),
	withTransient(tradeStep("RecordPayment",
		textField("settlementRef", MaxSettlementRefLength, "The settlement reference of the exchange or the payer's bank.")),
		amountField(TransientAmountKey, "The amount paid in integer fen, as its decimal text; must equal the agreed price. "+
			"Transient, so that a negotiated price never enters a block.")).endorsedBy(tradeParties),
	tradeStep("Deliver", hashField("deliveryHash", "SHA-256 (lowercase hex) of the delivered data or its manifest.")).endorsedBy(tradeParties),
	tradeStep("Confirm").endorsedBy(majorityOfOrgs.noted(holdingConveyed)),
	Function{Name: "CloseOthers", Returns: ClosedTrades{}, Params: []Field{
		tradeID.Describe("ID of a completed trade that sold a holding."),
		{Name: "from", Type: TypeString, Optional: true,
			Description: "Where the previous call for this sale ended: its answer's bookmark; empty to begin."},
	}}.endorsedBy(orgsOf(PartySeller, PartyOtherBuyer).orMajority().noted("Where the other buyer is a member of the seller's org and its order was placed from interface 18.0.0, a majority of the orgs, that org among them or not (an order is FIXED: a majority alone changes it).")),
	tradeStep("Cancel", tradeReason).endorsedBy(tradeParties.noted(holdingReleaseNote)),
	tradeStep("Expire").endorsedBy(tradeParties.noted(holdingReleaseNote)),
	tradeStep("Dispute", tradeReason).endorsedBy(tradeParties),
	tradeStep("Resolve", enumField("outcome", Outcomes, "COMPLETE or REFUND."), tradeReason).
		endorsedBy(majorityOfOrgs.noted("REFUND creates no right: the buyer's and the seller's orgs, or a majority of the orgs (a majority alone for a FIXED trade between two members of one org opened from interface 18.0.0); of a HOLDING trade, a majority of the orgs, whose lock it releases on the asset, whose key is under a majority (interface 17.0.0). COMPLETE of "+holdingConveyed+".")),
	tradeStep("RequestPurge").endorsedBy(tradeParties.noted("The second party's request, which purges the terms from the two orgs' collection: the buyer's and the seller's orgs (the collection's policy), and of such a trade a majority of the orgs in all.")),
	Function{Name: "Get", Evaluate: true, Returns: Trade{}, Params: []Field{tradeID}},
	Function{Name: "GetReadable", Evaluate: true, Returns: ReadableTrades{}, Params: []Field{{Name: "tradeIds", Type: TypeStringList, Optional: true,
		Pattern: IDPattern, Description: fmt.Sprintf("IDs of trades, comma-separated, each once, at most %d. Empty for none.", MaxTradesPerRead)}}},
	Function{Name: "Terms", Evaluate: true, Returns: Terms{}, Params: []Field{tradeID,
		{Name: "round", Type: TypeString, Pattern: RoundPattern, Description: "The negotiation round, from 1."}}}.answeredBy(peersOf(PartyBuyer, PartySeller)),
	Function{Name: "TermsOrgs", Evaluate: true, Returns: TermsOrgs{}, Params: []Field{
		tradeID.Describe("ID of the trade, as StageTerms or WithdrawTerms names it."),
		{Name: "round", Type: TypeInteger, Minimum: bound(1), Maximum: bound(MaxRounds),
			Description: "The round whose terms are staged or withdrawn: 1 opens the trade."},
		stagedListingID,
	}},
	Function{Name: "ListByParticipant", Evaluate: true, Returns: TradePage{}, Params: list(idField("participantId", "participant"))},
	Function{Name: "ListByListing", Evaluate: true, Returns: TradePage{}, Params: list(idField("listingId", "listing"))},
	Function{Name: "ListMarket", Evaluate: true, Returns: TradePage{}, Params: list(
		RegionField.AsOptional().Describe("Only the trades this region is involved in (the seller's or the buyer's region); "+
			"empty for the whole market, which only the regulator lists. An exchange operator lists its own region's."),
		enumField("status", TradeStatuses, "Only the trades in this status now; empty for every status. "+
			"A page holds those of the next pageSize trades the caller may read that match, so it may be short: continue while there is a bookmark.").AsOptional(),
		timeField("openedFrom", "Only the trades opened at or after this instant (RFC 3339); empty for no lower bound.").AsOptional(),
		timeField("openedBefore", "Only the trades opened before this instant (RFC 3339); empty for no upper bound.").AsOptional(),
	)},
)

// withTransient adds transient documents to a function.
func withTransient(f Function, transient ...Field) Function {
	f.Transient = transient
	return f
}
