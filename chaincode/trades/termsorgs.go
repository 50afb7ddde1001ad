package trades

import (
	"slices"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/listings"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// TermsOrgs answers the buyer's and the seller's orgs of round round's
// terms of trade tradeId as the caller stages them (StageTerms) or
// withdraws them (WithdrawTerms): the orgs whose peers alone must endorse
// those calls, and whose collection holds the terms. Clients ask it before
// either call, so that no copy of the rule lives outside the chaincode: it
// runs the code both calls run (roundParties; for round 1 as the
// withdrawal takes it, heldParties), with the arguments' and the parties'
// refusals they share. It therefore refuses nothing StageTerms would take
// and answers only what the caller may read anyway (the listing's seller's
// org, the org holding its own staging, a trade it is a party of); it does
// not run the checks of the staging alone (the buyer role, a trade that
// already exists, the next round of a NEGOTIATING trade), which would
// refuse the withdrawals WithdrawTerms is for, and refuses a listing that
// takes no staging (stageable) only where the caller has none on it to
// withdraw, so that it names no org whose peers would receive terms
// StageTerms refuses.
func (c *Contract) TermsOrgs(ctx contractapi.TransactionContextInterface, tradeId, round, listingId string) (*model.TermsOrgs, error) {
	_, p, err := actorsRound(ctx, tradeId, round, listingId, stagingAct())
	if err != nil {
		return nil, err
	}
	return &p.orgs, nil
}

// actorsRound checks the arguments naming round round of trade tradeId
// (roundOf), resolves the caller (any role but the regulator's alone) and
// works out the round's parties for it as a withdrawal takes them: round
// 1's where the caller's staging is held (heldParties), a later round's
// from the trade (roundParties, act as there): what TermsOrgs and
// WithdrawTerms check first.
func actorsRound(ctx state.Context, tradeId, round, listingId, act string) (*model.Participant, *parties, error) {
	n, err := roundOf(tradeId, round, listingId)
	if err != nil {
		return nil, nil, err
	}
	caller, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, nil, err
	}
	var p *parties
	if n == 1 {
		p, err = heldParties(ctx, caller, tradeId, listingId, rules.MSPIDs())
	} else {
		p, err = roundParties(ctx, caller, tradeId, n, listingId, act)
	}
	if err != nil {
		return nil, nil, err
	}
	return caller, p, nil
}

// heldParties is the parties of round 1 of trade tradeID on listing
// listingID for caller's withdrawal of what it staged there (and TermsOrgs
// for it), which needs only the listing's ID and the caller's own key
// (stagedLocation): the seller's org is the one whose collection with the
// caller's org holds that staging (stagedWith), the org StageTerms takes
// (roundParties) tried first. Only where the caller staged nothing is it
// that org, and then only where StageTerms would take terms there
// (stageable); else heldParties refuses as StageTerms does, or as the
// listing's read does. The listing's record, written before 18.0.0, is its
// seller's org's alone, which wrote bytes there that are no listing (or
// deleted it), and the withdrawal failed for good, or named another org's
// member as its seller, and the withdrawal looked in the collection of
// that member's org; the seller's record, which names another org or is
// no participant, points at no collection either. Only the caller's own
// staging (its key names it) and its hash are read, so nothing leaks; the
// withdrawal carries no terms to any org's peers.
func heldParties(ctx state.Context, caller *model.Participant, tradeID, listingID string, orgs []string) (*parties, error) {
	p, refusal := roundParties(ctx, caller, tradeID, 1, listingID, "")
	var first string
	if refusal == nil {
		first = p.orgs.SellerMSP
		_, refusal = stageable(ctx, p, tradeID)
	}
	held, err := stagedWith(ctx, caller, tradeID, listingID, first, orgs)
	switch {
	case err != nil:
		return nil, err
	case held == "" && refusal != nil:
		return nil, refusal
	case held == "":
		held = first
	}
	return &parties{round: 1, orgs: model.TermsOrgs{BuyerMSP: caller.MSPID, SellerMSP: held}}, nil
}

// stagedWith is the first of orgs, the market's, whose collection with
// caller's org holds terms the caller staged for round 1 of trade tradeID
// on listing listingID (stagedLocation), found by their hash, which every
// peer holds; first is tried first where it is one of them, and none is
// answered ("") where none holds any. It costs one request per org tried.
func stagedWith(ctx state.Context, caller *model.Participant, tradeID, listingID, first string, orgs []string) (string, error) {
	if i := slices.Index(orgs, first); i > 0 {
		orgs = slices.Concat([]string{first}, orgs[:i], orgs[i+1:])
	}
	for _, msp := range orgs {
		collection, key, err := stagedLocation(ctx, model.TermsOrgs{BuyerMSP: caller.MSPID, SellerMSP: msp}, listingID, tradeID, 1, caller.ID)
		if err != nil {
			return "", err
		}
		if hash, err := privateHash(ctx, tradeID, 1, collection, key); err != nil || hash != nil {
			return msp, err
		}
	}
	return "", nil
}

// stagingAct is what a non-party of a trade may not do in StageTerms'
// refusal, which TermsOrgs gives in the same words.
func stagingAct() string { return ledgererr.Phrase("offer terms on") }

// parties is who stages or withdraws a round's terms with whom: the round,
// the two orgs, and the listing round 1 opens a trade on or the trade of a
// later round.
type parties struct {
	round   int
	orgs    model.TermsOrgs
	listing *model.Listing // round 1, staged (roundParties)
	trade   *model.Trade   // a later round
	// listed is set for round 1 on a listing whose seller's org nothing
	// vouches for (sellerOrg): it takes no staging (stageable), and the
	// seller's org is the listing's.
	listed bool
}

// roundParties is the one place that works out the orgs of round n's terms
// of trade tradeID for caller (StageTerms, WithdrawTerms, TermsOrgs).
// Round 1 opens a trade on listing listingID: the caller is its buyer, and
// the seller's org is sellerOrg's. A later round is of the existing trade,
// which the caller must be a party of (listingID empty or the trade's),
// and names both orgs; act is what a non-party may not do, as its refusal
// says it.
func roundParties(ctx state.Context, caller *model.Participant, tradeID string, n int, listingID, act string) (*parties, error) {
	if n == 1 {
		l, err := listings.Get(ctx, listingID)
		if err != nil {
			return nil, err
		}
		sellerMSP, listed, err := sellerOrg(ctx, l)
		if err != nil {
			return nil, err
		}
		return &parties{round: n, orgs: model.TermsOrgs{BuyerMSP: caller.MSPID, SellerMSP: sellerMSP}, listing: l, listed: listed}, nil
	}
	t, err := tradeFor(ctx, caller, tradeID, nil)
	if err != nil {
		return nil, err
	}
	if err := requireTradeListing(t, listingID); err != nil {
		return nil, err
	}
	if err := requireParty(t, caller, act); err != nil {
		return nil, err
	}
	return &parties{round: n, orgs: tradeOrgs(t), trade: t}, nil
}

// sellerOrg is the org of listing l's seller, the seller's side of the
// collection of a trade's round 1 on it: where StageTerms stages, and where
// a withdrawal looks first (heldParties). It is the org of the seller's
// registration, as Order and Propose take it (start; participants.RegisteredOrg:
// from 18.0.0 its registration's, before its record's where its org's
// identity index vouches for it), not the org its record names, which its
// org alone rewrote to send a buyer's staging to a third org's peers; nor
// the listing record's sellerMsp, which a record other orgs planted (a new
// key needs only the chaincode-level policy) could set to any org. The
// seller's standing is not checked here (Order and Propose check it), and
// its record's content makes nothing fail: the record is its org's alone to
// write. Where the record is none, or names an org nothing vouches for, the
// seller's org is the listing's sellerMsp and listed is set: the buyer
// stages no terms there (StageTerms), as a listing written before 18.0.0 is
// its seller's org's alone, which may have rewritten its sellerMsp to a
// third org.
func sellerOrg(ctx state.Context, l *model.Listing) (msp string, listed bool, err error) {
	msp, err = participants.RegisteredOrg(ctx, l.SellerID)
	if err != nil || msp != "" {
		return msp, false, err
	}
	return l.SellerMSP, true, nil
}

// tradeOrgs is the buyer's and the seller's orgs of an existing trade t.
func tradeOrgs(t *model.Trade) model.TermsOrgs {
	return model.TermsOrgs{BuyerMSP: t.BuyerMSP, SellerMSP: t.SellerMSP}
}
