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
// runs the code both calls run (roundParties), with the arguments' and the
// parties' refusals they share. It therefore refuses nothing StageTerms
// would take and answers only what the caller may read anyway (the
// listing's seller's org, the org holding its own staging, a trade it is a
// party of); it does not run the
// checks of the staging alone (the buyer role, a trade that already
// exists, the next round of a NEGOTIATING trade, a listing whose seller's
// record is no participant), which would refuse the withdrawals
// WithdrawTerms is for.
func (c *Contract) TermsOrgs(ctx contractapi.TransactionContextInterface, tradeId, round, listingId string) (*model.TermsOrgs, error) {
	_, p, err := actorsRound(ctx, tradeId, round, listingId, stagingAct())
	if err != nil {
		return nil, err
	}
	return &p.orgs, nil
}

// actorsRound checks the arguments naming round round of trade tradeId
// (roundOf), resolves the caller (any role but the regulator's alone) and
// works out the round's parties for it (roundParties, act as there): what
// TermsOrgs and WithdrawTerms check first. Where nothing vouches for the
// seller's org of round 1 (listed), which takes no staging, the seller's
// org is the one whose collection holds what the caller staged
// (stagedWith), among the orgs of the rules in force.
func actorsRound(ctx state.Context, tradeId, round, listingId, act string) (*model.Participant, *parties, error) {
	n, err := roundOf(tradeId, round, listingId)
	if err != nil {
		return nil, nil, err
	}
	caller, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := roundParties(ctx, caller, tradeId, n, listingId, act)
	if err != nil {
		return nil, nil, err
	}
	if p.listed {
		if p.orgs.SellerMSP, err = stagedWith(ctx, caller, tradeId, p.listing, rules.MSPIDs()); err != nil {
			return nil, nil, err
		}
	}
	return caller, p, nil
}

// stagedWith is the seller's org of round 1 of trade tradeID on listing l
// for caller where nothing vouches for the seller's (sellerOrg): the first
// of orgs, the market's, whose collection with the caller's org holds terms
// the caller staged there (stagedLocation), found by their hash, which
// every peer holds; the listing's sellerMsp is tried first where it is one
// of them, and answered where none holds any. The listing's record, or the
// seller's, written before 18.0.0, is its seller's org's alone, which named
// a third org there: the withdrawal then looked in that org's collection,
// and the terms the buyer staged stayed on the seller's org's peers for
// good. Only the caller's own staging (its key names it) and its hash are
// read, so nothing leaks; the withdrawal carries no terms to any org's
// peers. It costs one request per org tried, on such a listing only.
func stagedWith(ctx state.Context, caller *model.Participant, tradeID string, l *model.Listing, orgs []string) (string, error) {
	if i := slices.Index(orgs, l.SellerMSP); i > 0 {
		orgs = slices.Concat([]string{l.SellerMSP}, orgs[:i], orgs[i+1:])
	}
	for _, msp := range orgs {
		collection, key, err := stagedLocation(ctx, model.TermsOrgs{BuyerMSP: caller.MSPID, SellerMSP: msp}, l.ID, tradeID, 1, caller.ID)
		if err != nil {
			return "", err
		}
		if hash, err := privateHash(ctx, tradeID, 1, collection, key); err != nil || hash != nil {
			return msp, err
		}
	}
	return l.SellerMSP, nil
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
	listing *model.Listing // round 1
	trade   *model.Trade   // a later round
	// listed is set for round 1 on a listing whose seller's org nothing
	// vouches for (sellerOrg): it takes no staging, and the seller's org is
	// the listing's, or, for a withdrawal, the one holding the caller's
	// staging (actorsRound, stagedWith).
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
// collection of a trade's round 1 on it: the org of the seller's
// registration, as Order and Propose take it (start; participants.RegisteredOrg:
// from 18.0.0 its registration's, before its record's where its org's
// identity index vouches for it), not the org its record names, which its
// org alone rewrote to point a buyer's withdrawal at another org's
// collection, or its staging at a third org's peers; never the
// listing record's sellerMsp, which a record other orgs planted (a new key
// needs only the chaincode-level policy) could set to any org, whose peers
// would then hold the terms. The seller's standing is not checked here:
// Order and Propose check it, and a buyer withdraws its terms whatever it
// is. Nor does its record's content make it fail: the record is its org's
// alone to write, and failing on bytes there that are no participant
// let that org alone keep a buyer from withdrawing the terms it staged.
// Where the record is none, or names an org nothing vouches for, the
// seller's org is the listing's sellerMsp, which the seller's certificate
// named when it listed, and listed is set: the buyer stages no terms there
// (StageTerms), and withdraws them from wherever they are held
// (stagedWith): a listing written before 18.0.0 is its seller's org's
// alone, which rewrote its sellerMsp to a third org.
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
