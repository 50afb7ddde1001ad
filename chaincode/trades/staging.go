package trades

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/listings"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/canonical"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// StageTerms is the first step of every offer with terms: it stores the
// caller's terms for round round of trade tradeId, which arrive as
// transient "terms" {"priceFen", "conditions", "salt"}, in the collection of
// the buyer's and the seller's orgs (TermsCollection: the pair's between
// two orgs, the org's implicit one inside one) under (tradeId, round,
// caller), round 1 under (tradeId, 1, caller, listingId) (stagedLocation),
// and writes nothing public. Submit it endorsed by the peers of
// those orgs alone (the client names exactly them as the endorsing
// organizations), so that no other org's peer receives the terms; the
// collection's endorsement policy, not the chaincode's, validates a write
// to the collection alone. Then submit the public step without transient
// data: Order or Propose for round 1, Counter for a later round. It reads
// only the terms' hash, which every org's peer holds, so whichever orgs
// the chaincode's policy has endorse it, none receives the terms.
//
// Round 1 opens a trade on listing listingId, whose seller's org (its
// participant record's) shares the collection: the trade must not exist
// yet, the listing must be one its seller's index names, as Order and
// Propose require (requireSellersListing: else the terms would go to the
// org of another seller the record names, which its org alone rewrote),
// and the caller must hold the buyer role and not be the listing's
// seller; the terms of an order on a FIXED listing carry no priceFen (the
// listing's price is public), those of a NEGOTIABLE listing must. Whether
// the trade may start is checked by Order or Propose, which find only
// terms staged for their listing. A listing whose seller's record is no
// participant (bytes its org alone wrote) takes no terms (CONFLICT): no
// trade opens with that seller, and the org of the terms would be the one
// the listing names (sellerOrg); terms staged before are still withdrawn. A later round (listingId empty or the
// trade's listing) must be the trade's next one, of a NEGOTIATING trade
// whose last offer was the other party's. Staging the same round again
// before the public step replaces the terms; the public step reads the
// hash of what is staged when it commits. Terms staged and never offered
// are taken back with WithdrawTerms. StageTerms emits no event: nothing
// public changed.
func (c *Contract) StageTerms(ctx contractapi.TransactionContextInterface, tradeId, round, listingId string) (*model.StagedTerms, error) {
	n, err := roundOf(tradeId, round, listingId)
	if err != nil {
		return nil, err
	}
	var caller *model.Participant
	if n == 1 {
		caller, err = participants.CallerWithRole(ctx, model.RoleBuyer)
	} else {
		caller, err = participants.Actor(ctx)
	}
	if err != nil {
		return nil, err
	}
	p, err := roundParties(ctx, caller, tradeId, n, listingId, stagingAct())
	if err != nil {
		return nil, err
	}
	var pricing string
	if l := p.listing; l != nil {
		if caller.ID == l.SellerID {
			return nil, ledgererr.Forbiddenf("participant %q is the seller of listing %q and cannot buy from it", caller.ID, listingId)
		}
		taken, err := stageable(ctx, p, tradeId)
		if err != nil {
			return nil, err
		}
		if taken {
			return nil, ledgererr.Conflictf("trade %q already exists; round 1 opens a trade", tradeId)
		}
		pricing = l.Pricing
	} else {
		if err := requireStageable(p.trade, caller, n); err != nil {
			return nil, err
		}
		pricing = p.trade.Pricing
	}
	terms, err := requiredTerms(ctx, pricing)
	if err != nil {
		return nil, err
	}
	b, err := termsRecord(tradeId, n, caller.ID, terms)
	if err != nil {
		return nil, err
	}
	collection, key, err := stagedLocation(ctx, p.orgs, listingId, tradeId, n, caller.ID)
	if err != nil {
		return nil, err
	}
	if err := ctx.GetStub().PutPrivateData(collection, key, b); err != nil {
		return nil, ledgererr.Internalf(err, "writing the staged terms of trade %q round %d", tradeId, n)
	}
	return &model.StagedTerms{TradeID: tradeId, Round: n, TermsHash: canonical.SHA256Hex(b)}, nil
}

// stageable refuses round 1 of trade tradeID with parties p where nothing
// vouches for the org of the seller of its listing, which shares the
// terms' collection (StageTerms; heldParties refuses a withdrawal alike
// where nothing is staged), and tells whether the trade exists. Nothing
// does where the seller's record is no participant (p.listed): the terms
// would go to the org the listing names, which others may have planted, and
// Order and Propose open no trade with such a seller; nor where the
// listing's seller's index does not name it, as start requires
// (requireSellersListing): they would go to the org of a seller the record
// names, which its org alone rewrote. Reading the trade key makes Fabric
// invalidate the staging if a trade of this ID commits first; the
// listing's index entry is read with it, in one request.
func stageable(ctx state.Context, p *parties, tradeID string) (bool, error) {
	l := p.listing
	if p.listed {
		return false, ledgererr.Conflictf("the participant record of %q, the seller of listing %q, is no participant (its org alone wrote it): no trade opens on the listing, and terms are staged only with the org a seller's record names", l.SellerID, l.ID)
	}
	key, err := state.Key(ctx, keyTrade, tradeID)
	if err != nil {
		return false, err
	}
	listed, err := listings.SellerEntry(ctx, l)
	if err != nil {
		return false, err
	}
	taken := &state.Read{Key: key}
	if err := state.GetAll(ctx, taken, listed); err != nil {
		return false, err
	}
	return taken.Found, requireSellersListing(l, listed)
}

// roundOf checks the arguments of StageTerms and WithdrawTerms, which name
// round round of trade tradeId, and listingId, required for round 1 (it
// opens the trade), and returns the round.
func roundOf(tradeId, round, listingId string) (int, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return 0, err
	}
	n, err := validate.IntRange("round", round, 1, model.MaxRounds)
	if err != nil {
		return 0, err
	}
	if n == 1 || listingId != "" {
		if err := validate.ID("listingId", listingId); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// requireTradeListing checks the listingId given for a later round of
// trade t: empty or the trade's listing.
func requireTradeListing(t *model.Trade, listingID string) error {
	if listingID != "" && listingID != t.ListingID {
		return ledgererr.Invalid("listingId", "must be empty or %q, the listing of trade %q", t.ListingID, t.ID)
	}
	return nil
}

// requireStageable checks that a party to an existing trade (roundParties)
// may stage round n of it: the trade is NEGOTIATING and the caller answers
// the other party's last offer with the next round.
func requireStageable(t *model.Trade, caller *model.Participant, n int) error {
	if t.Status != model.TradeNegotiating {
		return ledgererr.Conflictf("trade %q is %s; only a NEGOTIATING trade takes new terms", t.ID, t.Status)
	}
	if next := len(t.Offers) + 1; n != next {
		return ledgererr.Conflictf("trade %q has %d rounds; the next is round %d, not %d", t.ID, len(t.Offers), next, n)
	}
	if last, _ := t.LastOffer(); last.By == caller.ID {
		return ledgererr.Forbiddenf("round %d of trade %q is %q's own offer; the other party answers it", last.Round, t.ID, caller.ID)
	}
	return nil
}
