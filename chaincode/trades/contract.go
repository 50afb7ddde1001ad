package trades

import (
	"strconv"
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

// Contract is the market's trade contracts, named "trades" on the channel.
type Contract struct {
	state.Contract
}

// New returns the trades contract.
func New() *Contract {
	return &Contract{Contract: state.Declare(model.TradesContract)}
}

// Order buys from an ACTIVE FIXED listing at its price: the caller, a buyer
// who is not the seller, starts trade tradeId as ORDERED, for the seller to
// accept or reject. It takes no transient data: terms of the order
// (conditions, and the salt that keeps them private; no price, the
// listing's is public) are staged first with StageTerms (round 1), and the
// order records their hash if the buyer staged them, else it carries none.
// The buyer's enterprise may hold no other NEGOTIATING or ORDERED trade on
// the listing (refuseSecondOpen).
func (c *Contract) Order(ctx contractapi.TransactionContextInterface, tradeId, listingId string) (*model.Trade, error) {
	buyer, t, orgs, now, err := open(ctx, tradeId, listingId, model.PricingFixed)
	if err != nil {
		return nil, err
	}
	hash, err := stagedHash(ctx, t, buyer.ID)
	if err != nil {
		return nil, err
	}
	if hash != nil {
		recordOffer(ctx, t, buyer.ID, hash, now)
	}
	advance(ctx, t, model.TradeOrdered, buyer.ID, "", now)
	if err := create(ctx, t, buyer.USCC, orgs); err != nil {
		return nil, err
	}
	return t, state.Emit(ctx, model.EventTradeOrdered, eventOf(t))
}

// Propose opens a negotiation on an ACTIVE NEGOTIABLE listing: the caller, a
// buyer who is not the seller, starts trade tradeId as NEGOTIATING with the
// first offer, whose terms the buyer staged first (StageTerms, round 1). It
// takes no transient data. The buyer's enterprise may hold no other
// NEGOTIATING or ORDERED trade on the listing (refuseSecondOpen).
func (c *Contract) Propose(ctx contractapi.TransactionContextInterface, tradeId, listingId string) (*model.Trade, error) {
	buyer, t, orgs, now, err := open(ctx, tradeId, listingId, model.PricingNegotiable)
	if err != nil {
		return nil, err
	}
	if err := offerStaged(ctx, t, buyer.ID, now); err != nil {
		return nil, err
	}
	advance(ctx, t, model.TradeNegotiating, buyer.ID, roundNote(1), now)
	if err := create(ctx, t, buyer.USCC, orgs); err != nil {
		return nil, err
	}
	return t, state.Emit(ctx, model.EventTradeProposed, roundEvent(t))
}

// open begins a buyer's new trade tradeID on listing listingID with the
// given pricing, as Order and Propose do: it checks the IDs, refuses terms
// sent with the call (refuseSentTerms), and starts the trade for the
// caller, who must be a buyer. It answers too the orgs of the market rules
// in force, read by start, under a majority of which create puts the trade.
func open(ctx state.Context, tradeID, listingID, pricing string) (buyer *model.Participant, t *model.Trade, orgs []string, now time.Time, err error) {
	if err = validate.ID("tradeId", tradeID); err != nil {
		return
	}
	if err = validate.ID("listingId", listingID); err != nil {
		return
	}
	if err = refuseSentTerms(ctx); err != nil {
		return
	}
	if buyer, err = participants.CallerWithRole(ctx, model.RoleBuyer); err != nil {
		return
	}
	if now, err = state.Now(ctx); err != nil {
		return
	}
	t, orgs, err = start(ctx, tradeID, listingID, pricing, buyer, now)
	return
}

// start prepares a new trade on a listing for a buyer: the listing must be
// ACTIVE with the given pricing and last changed no later than now, and its seller's (listings.SellerEntry), the
// buyer must not be its seller (nor act for the seller's enterprise), an operator of the seller's region must be
// impartial between them (requireAJudge), the seller must still be
// entitled to offer the right, and the buyer's enterprise must hold no open
// trade on the listing (refuseSecondOpen). It answers the orgs of the
// market rules in force too, which requireAJudge reads.
func start(ctx state.Context, tradeID, listingID, pricing string, buyer *model.Participant, now time.Time) (*model.Trade, []string, error) {
	l, err := listings.Get(ctx, listingID)
	if err != nil {
		return nil, nil, err
	}
	if buyer.ID == l.SellerID {
		return nil, nil, ledgererr.Forbiddenf("participant %q is the seller of listing %q and cannot buy from it", buyer.ID, listingID)
	}
	if l.Status != model.ListingActive {
		return nil, nil, ledgererr.Conflictf("listing %q is %s, not ACTIVE", listingID, l.Status)
	}
	if l.Pricing != pricing {
		return nil, nil, ledgererr.Conflictf("listing %q is %s; Order buys from FIXED listings, Propose negotiates on NEGOTIABLE ones", listingID, l.Pricing)
	}
	// Begun before the listing's last change, the trade would read, at the
	// price that change set, ahead of it in the price history (or before the
	// listing existed). The listing is read anyway; nothing more is.
	if err := state.RequireAfterLastChange("listing", l.ID, l.UpdatedAt, now); err != nil {
		return nil, nil, err
	}
	// The entry of the buyer enterprise's open trade on the listing through
	// the buyer's org is read with the trade ID, in the same request.
	tradeKey, err := state.Key(ctx, keyTrade, tradeID)
	if err != nil {
		return nil, nil, err
	}
	entryKey, err := openKey(ctx, listingID, buyer.USCC, buyer.MSPID)
	if err != nil {
		return nil, nil, err
	}
	// So is the listing's entry in its seller's index, which vouches that its seller listed it (a listing written
	// before interface 18.0.0 is its seller's org's alone, which rewrote it to name another org's member as the
	// seller, at a price that member never set).
	listed, err := listings.SellerEntry(ctx, l)
	if err != nil {
		return nil, nil, err
	}
	taken, entry := &state.Read{Key: tradeKey}, &state.Read{Key: entryKey}
	if err := state.GetAll(ctx, taken, entry, listed); err != nil {
		return nil, nil, err
	}
	if taken.Found {
		return nil, nil, ledgererr.Conflictf("trade %q already exists", tradeID)
	}
	if err := requireSellersListing(l, listed); err != nil {
		return nil, nil, err
	}
	// The trade names the seller of its org for good (SellerMSP: its key-level policy, its terms' collection, its
	// judges' impartiality), so that org is the one a source its org cannot rewrite alone vouches for
	// (participants.GetCounterparty), not the one its record names, which the seller's org alone rewrote for the
	// opening and back. The buyer's is its certificate's, which caller resolution checked its record against.
	seller, err := participants.GetCounterparty(ctx, l.SellerID)
	if err != nil {
		return nil, nil, err
	}
	if seller.USCC == buyer.USCC {
		// A sale inside one enterprise would only distort the market's
		// price statistics.
		return nil, nil, ledgererr.Forbiddenf("buyer %q and seller %q act for the same enterprise %s", buyer.ID, seller.ID, buyer.USCC)
	}
	t := &model.Trade{
		ID: tradeID, ListingID: listingID, AssetID: l.AssetID, RightType: l.RightType, Scope: l.Scope,
		Category: l.Category, Region: l.Region, SourceRegion: l.SourceRegion, Pricing: l.Pricing, TermsHash: l.TermsHash,
		BuyerID: buyer.ID, BuyerMSP: buyer.MSPID, SellerID: seller.ID, SellerMSP: seller.MSPID,
		Offers: []model.Offer{}, PurgeRequests: []model.PurgeRequest{}, Timeline: []model.Step{},
		CreatedAt: state.Format(now),
	}
	if pricing == model.PricingFixed {
		t.PriceFen = l.PriceFen
	}
	rules, err := requireAJudge(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	if _, err := rights.CheckOffer(ctx, seller, t.AssetID, t.RightType, t.ConveyedScope(), now); err != nil {
		return nil, nil, err
	}
	// Last, so that every refusal of the order before 14.0.0 keeps its place.
	if err := refuseSecondOpen(ctx, buyer, listingID, entry, now); err != nil {
		return nil, nil, err
	}
	return t, rules.MSPIDs(), nil
}

// requireSellersListing refuses listing l unless entry, the read of its
// entry in its seller's index (listings.SellerEntry), found it: that entry
// vouches that l's seller listed l; the record does not, for one written
// before interface 18.0.0 is its seller's org's alone, which rewrote it to
// name another org's member as the seller. No trade opens on such a listing
// (start), and no buyer stages terms on it (StageTerms), which would go to
// the collection of that member's org, a third org's peers.
func requireSellersListing(l *model.Listing, entry *state.Read) error {
	if !entry.Found {
		return ledgererr.Conflictf("listing %q names %q as its seller, who did not list it: its record was rewritten by its org alone, and no trade opens on it", l.ID, l.SellerID)
	}
	return nil
}

// Counter answers the last offer of a negotiation with new terms; only the
// party who did not make the last offer may. The terms are staged first
// (StageTerms, the next round); Counter takes no transient data.
func (c *Contract) Counter(ctx contractapi.TransactionContextInterface, tradeId string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	if err := refuseSentTerms(ctx); err != nil {
		return nil, err
	}
	caller, t, now, err := beginAnswer(ctx, tradeId, nil, ledgererr.Phrase("countered"))
	if err != nil {
		return nil, err
	}
	if len(t.Offers) >= model.MaxRounds {
		return nil, ledgererr.Conflictf("trade %q has reached %d rounds; accept the last offer or cancel", tradeId, model.MaxRounds)
	}
	if err := offerStaged(ctx, t, caller.ID, now); err != nil {
		return nil, err
	}
	advance(ctx, t, model.TradeNegotiating, caller.ID, roundNote(len(t.Offers)), now)
	return save(ctx, t, model.EventTradeCountered, roundEvent(t))
}

// AcceptOffer accepts the last offer of a negotiation: the trade becomes
// ACCEPTED on that offer's terms. Only the party who did not make it may.
func (c *Contract) AcceptOffer(ctx contractapi.TransactionContextInterface, tradeId string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	start := &opening{} // read with the trade, for agree
	caller, t, now, err := beginAnswer(ctx, tradeId, start, ledgererr.Phrase("accepted"))
	if err != nil {
		return nil, err
	}
	if err := requireOffered(ctx, t); err != nil {
		return nil, err
	}
	if err := agree(ctx, t, start, caller.ID, "accepted "+roundNote(len(t.Offers)), now); err != nil {
		return nil, err
	}
	return save(ctx, t, model.EventTradeAccepted, roundEvent(t))
}

// beginAnswer begins an answer to the last offer of negotiation tradeID
// (Counter, AcceptOffer), as "can be <done>": the caller must be a party
// (beginAs) and must not have made that offer (requireAnswerer). start is
// begin's.
func beginAnswer(ctx state.Context, tradeID string, start *opening, done string) (*model.Participant, *model.Trade, time.Time, error) {
	caller, t, now, err := beginAs(ctx, tradeID, start, requireParty, ledgererr.Phrase("negotiate"), done, model.TradeNegotiating)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	if err := requireAnswerer(t, caller); err != nil {
		return nil, nil, time.Time{}, err
	}
	return caller, t, now, nil
}

// requireAnswerer checks that a party to a negotiation may answer its last
// offer: it did not make that offer.
func requireAnswerer(t *model.Trade, caller *model.Participant) error {
	if last, _ := t.LastOffer(); last.By == caller.ID {
		return ledgererr.Forbiddenf("round %d of trade %q is %q's own offer; the other party answers it", last.Round, t.ID, caller.ID)
	}
	return nil
}

// roundNote is the timeline note of a negotiation round.
func roundNote(round int) string {
	return "round " + strconv.Itoa(round)
}

// Accept accepts an order; only the seller may, and only while the listing
// is ACTIVE and the seller still entitled to sell. An order with terms is
// accepted on them only when they are held where the buyer staged them,
// under their public hash (requireOffered).
func (c *Contract) Accept(ctx contractapi.TransactionContextInterface, tradeId string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	start := &opening{} // read with the trade, for agree
	seller, t, now, err := beginAs(ctx, tradeId, start, requireSeller, ledgererr.Phrase("accept"), ledgererr.Phrase("accepted"), model.TradeOrdered)
	if err != nil {
		return nil, err
	}
	if len(t.Offers) > 0 {
		if err := requireOffered(ctx, t); err != nil {
			return nil, err
		}
	}
	if err := agree(ctx, t, start, seller.ID, "", now); err != nil {
		return nil, err
	}
	return save(ctx, t, model.EventTradeAccepted, eventOf(t))
}

// Reject turns an order down, for the reason given; only the seller may.
func (c *Contract) Reject(ctx contractapi.TransactionContextInterface, tradeId, reason string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxTradeReasonLength); err != nil {
		return nil, err
	}
	seller, t, now, err := beginAs(ctx, tradeId, nil, requireSeller, ledgererr.Phrase("reject"), ledgererr.Phrase("rejected"), model.TradeOrdered)
	if err != nil {
		return nil, err
	}
	advance(ctx, t, model.TradeRejected, seller.ID, reason, now)
	return save(ctx, t, model.EventTradeRejected, eventOf(t))
}
