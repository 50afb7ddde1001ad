package trades

import (
	"strconv"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/chaincode/internal/ledger"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/ledgererr"
	"github.com/deltaledger/deltaledger/chaincode/listings"
	"github.com/deltaledger/deltaledger/chaincode/participants"
)

// Contract is the market's trade contracts, named "trades" on the channel.
type Contract struct {
	contractapi.Contract
}

// New returns the trades contract.
func New() *Contract {
	c := &Contract{}
	c.Name = "trades"
	c.Info.Title = "DeltaLedger trades"
	c.Info.Description = "Trade contracts between buyers and sellers of data rights, from order to completion"
	return c
}

// GetEvaluateTransactions tags the read-only functions, which clients
// evaluate rather than submit: pagination works only there, and Terms must
// never be answered into a block.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{"Get", "Terms", "ListByParticipant", "ListByListing"}
}

// Bounds of free-text arguments.
const (
	maxReason        = 500 // reasons and notes parties give
	maxSettlementRef = 200 // a bank's or an exchange's settlement reference
)

// Order buys from an ACTIVE FIXED listing at its price: the caller, a buyer
// who is not the seller, starts trade tradeId as ORDERED, for the seller to
// accept or reject. Optional transient "terms" carry conditions (and the
// salt that keeps them private); a priceFen there must be the listing price.
func (c *Contract) Order(ctx contractapi.TransactionContextInterface, tradeId, listingId string) (*Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	if err := validate.ID("listingId", listingId); err != nil {
		return nil, err
	}
	raw, hasTerms, err := transientTerms(ctx)
	if err != nil {
		return nil, err
	}
	var terms offeredTerms
	if hasTerms {
		if terms, err = parseTerms(raw, false); err != nil {
			return nil, err
		}
	}
	buyer, err := participants.CallerWithRole(ctx, domain.RoleBuyer)
	if err != nil {
		return nil, err
	}
	now, err := ledger.Now(ctx)
	if err != nil {
		return nil, err
	}
	t, err := start(ctx, tradeId, listingId, listings.PricingFixed, buyer, now)
	if err != nil {
		return nil, err
	}
	if hasTerms {
		if terms.PriceFen != "" && terms.PriceFen != t.PriceFen {
			return nil, ledgererr.Invalid("terms.priceFen", "must be %s, the price of FIXED listing %q", t.PriceFen, listingId)
		}
		terms.PriceFen = t.PriceFen
		if err := offer(ctx, t, buyer.ID, terms, now); err != nil {
			return nil, err
		}
	}
	advance(ctx, t, StatusOrdered, buyer.ID, "", now)
	if err := create(ctx, t); err != nil {
		return nil, err
	}
	return t, ledger.Emit(ctx, EventOrdered, eventOf(t))
}

// Propose opens a negotiation on an ACTIVE NEGOTIABLE listing: the caller, a
// buyer who is not the seller, starts trade tradeId as NEGOTIATING with the
// first offer, whose terms arrive as transient "terms"
// {"priceFen", "conditions", "salt"}.
func (c *Contract) Propose(ctx contractapi.TransactionContextInterface, tradeId, listingId string) (*Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	if err := validate.ID("listingId", listingId); err != nil {
		return nil, err
	}
	terms, err := requiredTerms(ctx)
	if err != nil {
		return nil, err
	}
	buyer, err := participants.CallerWithRole(ctx, domain.RoleBuyer)
	if err != nil {
		return nil, err
	}
	now, err := ledger.Now(ctx)
	if err != nil {
		return nil, err
	}
	t, err := start(ctx, tradeId, listingId, listings.PricingNegotiable, buyer, now)
	if err != nil {
		return nil, err
	}
	if err := offer(ctx, t, buyer.ID, terms, now); err != nil {
		return nil, err
	}
	advance(ctx, t, StatusNegotiating, buyer.ID, roundNote(1), now)
	if err := create(ctx, t); err != nil {
		return nil, err
	}
	return t, ledger.Emit(ctx, EventProposed, roundEvent(t))
}

// start prepares a new trade on a listing for a buyer: the listing must be
// ACTIVE with the given pricing, the buyer must not be its seller (nor act
// for the seller's enterprise), and the seller must still be entitled to
// offer the right.
func start(ctx ledger.Context, tradeID, listingID, pricing string, buyer *participants.Participant, now time.Time) (*Trade, error) {
	l, err := listings.Get(ctx, listingID)
	if err != nil {
		return nil, err
	}
	if buyer.ID == l.SellerID {
		return nil, ledgererr.Forbiddenf("participant %q is the seller of listing %q and cannot buy from it", buyer.ID, listingID)
	}
	if l.Status != listings.StatusActive {
		return nil, ledgererr.Conflictf("listing %q is %s, not ACTIVE", listingID, l.Status)
	}
	if l.Pricing != pricing {
		return nil, ledgererr.Conflictf("listing %q is %s; Order buys from FIXED listings, Propose negotiates on NEGOTIABLE ones", listingID, l.Pricing)
	}
	if taken, err := exists(ctx, tradeID); err != nil {
		return nil, err
	} else if taken {
		return nil, ledgererr.Conflictf("trade %q already exists", tradeID)
	}
	seller, err := participants.GetActive(ctx, l.SellerID)
	if err != nil {
		return nil, err
	}
	if seller.USCC == buyer.USCC {
		// A sale inside one enterprise would only distort the market's
		// price statistics.
		return nil, ledgererr.Forbiddenf("buyer %q and seller %q act for the same enterprise %s", buyer.ID, seller.ID, buyer.USCC)
	}
	t := &Trade{
		ID: tradeID, ListingID: listingID, AssetID: l.AssetID, RightType: l.RightType, Scope: l.Scope,
		Category: l.Category, Region: l.Region, SourceRegion: l.SourceRegion, Pricing: l.Pricing,
		BuyerID: buyer.ID, BuyerMSP: buyer.MSPID, SellerID: seller.ID, SellerMSP: seller.MSPID,
		Offers: []Offer{}, PurgeRequests: []PurgeRequest{}, Timeline: []Step{},
		CreatedAt: ledger.Format(now),
	}
	if pricing == listings.PricingFixed {
		t.PriceFen = l.PriceFen
	}
	if _, err := assets.CheckOffer(ctx, seller, t.AssetID, t.RightType, t.scope(), now); err != nil {
		return nil, err
	}
	return t, nil
}

// Counter answers the last offer of a negotiation with new terms, as
// transient "terms"; only the party who did not make the last offer may.
func (c *Contract) Counter(ctx contractapi.TransactionContextInterface, tradeId string) (*Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	terms, err := requiredTerms(ctx)
	if err != nil {
		return nil, err
	}
	caller, t, now, err := begin(ctx, tradeId)
	if err != nil {
		return nil, err
	}
	if err := requireAnswering(t, caller, now, "countered"); err != nil {
		return nil, err
	}
	if len(t.Offers) >= MaxRounds {
		return nil, ledgererr.Conflictf("trade %q has reached %d rounds; accept the last offer or cancel", tradeId, MaxRounds)
	}
	if err := offer(ctx, t, caller.ID, terms, now); err != nil {
		return nil, err
	}
	advance(ctx, t, StatusNegotiating, caller.ID, roundNote(len(t.Offers)), now)
	return save(ctx, t, EventCountered, roundEvent(t))
}

// AcceptOffer accepts the last offer of a negotiation: the trade becomes
// ACCEPTED on that offer's terms. Only the party who did not make it may.
func (c *Contract) AcceptOffer(ctx contractapi.TransactionContextInterface, tradeId string) (*Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	caller, t, now, err := begin(ctx, tradeId)
	if err != nil {
		return nil, err
	}
	if err := requireAnswering(t, caller, now, "accepted"); err != nil {
		return nil, err
	}
	if err := agree(ctx, t, caller.ID, "accepted "+roundNote(len(t.Offers)), now); err != nil {
		return nil, err
	}
	return save(ctx, t, EventAccepted, roundEvent(t))
}

// requireAnswering checks that the caller may answer the last offer of a
// negotiation: a party to it who did not make that offer.
func requireAnswering(t *Trade, caller *participants.Participant, now time.Time, action string) error {
	if err := requireParty(t, caller, "negotiate"); err != nil {
		return err
	}
	if err := requireState(t, now, action, StatusNegotiating); err != nil {
		return err
	}
	if last, _ := t.lastOffer(); last.By == caller.ID {
		return ledgererr.Forbiddenf("round %d of trade %q is %q's own offer; the other party answers it", last.Round, t.ID, caller.ID)
	}
	return nil
}

// roundNote is the timeline note of a negotiation round.
func roundNote(round int) string {
	return "round " + strconv.Itoa(round)
}

// Accept accepts an order; only the seller may, and only while the listing
// is ACTIVE and the seller still entitled to sell.
func (c *Contract) Accept(ctx contractapi.TransactionContextInterface, tradeId string) (*Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	seller, t, now, err := begin(ctx, tradeId)
	if err != nil {
		return nil, err
	}
	if err := requireSeller(t, seller, "accept"); err != nil {
		return nil, err
	}
	if err := requireState(t, now, "accepted", StatusOrdered); err != nil {
		return nil, err
	}
	if err := agree(ctx, t, seller.ID, "", now); err != nil {
		return nil, err
	}
	return save(ctx, t, EventAccepted, eventOf(t))
}

// Reject turns an order down, for the reason given; only the seller may.
func (c *Contract) Reject(ctx contractapi.TransactionContextInterface, tradeId, reason string) (*Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, maxReason); err != nil {
		return nil, err
	}
	seller, t, now, err := begin(ctx, tradeId)
	if err != nil {
		return nil, err
	}
	if err := requireSeller(t, seller, "reject"); err != nil {
		return nil, err
	}
	if err := requireState(t, now, "rejected", StatusOrdered); err != nil {
		return nil, err
	}
	advance(ctx, t, StatusRejected, seller.ID, reason, now)
	return save(ctx, t, EventRejected, eventOf(t))
}
