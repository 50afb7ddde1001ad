package trades

import (
	"encoding/hex"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// WithdrawTerms takes back terms the caller staged (StageTerms) for round
// round of trade tradeId and never offered: it purges them from the
// collection of the buyer's and the seller's orgs and from its history on
// their peers. Without it, terms staged for a trade that never opened (the
// buyer never ordered or proposed, ordered on another listing, or another
// buyer took the trade ID), or a counter-offer staged on a trade that then
// ended without a purge, would stay there for good. Round 1 names its
// listing, as StageTerms does, but reads nothing of it: the seller's org
// is the one whose collection with the caller's holds what the caller
// staged (heldParties), never one the listing's or the seller's record,
// its org's alone before 18.0.0, names, and however that org rewrote them.
// Each party withdraws only its own staging: the key is the caller's
// (stagedLocation).
//
// Terms that became an offer (the trade's offers name that round by the
// caller, held where it staged them) are refused: they are the trade's
// terms, purged only at both parties' request after it ends
// (RequestPurge). Nothing staged is NOT_FOUND; only the hash is read. Like
// StageTerms it writes the collection alone, endorsed by the buyer's and
// the seller's orgs alone (the collection's endorsement policy), and
// emits no event: nothing public changes. It answers the round and the
// hash of the terms withdrawn.
func (c *Contract) WithdrawTerms(ctx contractapi.TransactionContextInterface, tradeId, round, listingId string) (*model.StagedTerms, error) {
	caller, p, err := actorsRound(ctx, tradeId, round, listingId, ledgererr.Phrase("withdraw terms of"))
	if err != nil {
		return nil, err
	}
	n := p.round
	collection, key, err := withdrawable(ctx, caller, p, tradeId, listingId)
	if err != nil {
		return nil, err
	}
	hash, err := privateHash(ctx, tradeId, n, collection, key)
	if err != nil {
		return nil, err
	}
	if hash == nil {
		return nil, ledgererr.NotFoundf("participant %q has no terms staged for round %d of trade %q", caller.ID, n, tradeId)
	}
	if err := ctx.GetStub().PurgePrivateData(collection, key); err != nil {
		return nil, ledgererr.Internalf(err, "purging the staged terms of trade %q round %d", tradeId, n)
	}
	return &model.StagedTerms{TradeID: tradeId, Round: n, TermsHash: hex.EncodeToString(hash)}, nil
}

// withdrawable locates the terms caller staged for round p.round of trade
// tradeID with parties p (stagedLocation) and refuses them if they are an
// offer's. Round 1 is in the collection of the caller's org and of the org
// holding its staging on listing listingID (heldParties, whatever the
// seller's standing), whether or not a trade of that ID exists: another buyer's trade, or the caller's
// on another listing, holds no terms of this staging. A later round is in
// the trade's orgs' collection, and only its parties staged one. The trade
// key is read either way (for a later round by roundParties), so that a
// public step committing first invalidates the withdrawal.
func withdrawable(ctx state.Context, caller *model.Participant, p *parties, tradeID, listingID string) (collection, key string, err error) {
	n, t := p.round, p.trade
	if n == 1 {
		if t, err = state.Lookup[model.Trade](ctx, keyTrade, tradeID); err != nil {
			return "", "", err
		}
	}
	collection, key, err = stagedLocation(ctx, p.orgs, listingID, tradeID, n, caller.ID)
	if err != nil || t == nil {
		return collection, key, err
	}
	for _, o := range t.Offers {
		if o.Round != n || o.By != caller.ID {
			continue
		}
		held, heldKey, err := termsLocation(ctx, t, n, o.By)
		if err != nil {
			return "", "", err
		}
		if held == collection && heldKey == key {
			return "", "", ledgererr.Conflictf("round %d of trade %q is %q's offer: its terms stay until the trade ends and both parties ask for their purge (RequestPurge)", n, tradeID, caller.ID)
		}
	}
	return collection, key, nil
}
