package rights

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Renounce ends a USE or OPERATION right at the request of its holder, the
// caller (from its certificate): a licensee gives up a licence it no longer
// wants. A right offered to it (Grant, Sublicense) and not yet accepted is
// declined (Decline), not renounced (CONFLICT). The right becomes RENOUNCED; like a revoked one
// it stays on the ledger and in its holder's list, its sublicences keep
// their records but can no longer be used and read RENOUNCED from it
// (unusable, readAsOf), but for the rights sold under it in a trade: they
// stand, for only the exchange revokes what was sold, and the renouncer
// gives up its own use, not what it sold (model.Right.StatusOver); and
// rightsOver, which reads a participant's rights
// over an asset whenever it processes, lists or sells under them, reads it
// no more (ending.end).
//
// A HOLDING right is not renounced (CONFLICT): it moves by transfer or
// trade. A right that is no longer ACTIVE as stored (revoked, renounced) is
// a CONFLICT; a renounced right may still be revoked (Revoke), which ends
// what it sold. An ACTIVE right past its term may be renounced, as it may
// be revoked, and its history keeps the expiry.
//
// Listings and trades name no USE or OPERATION right: a sale under an
// OPERATION right re-checks the seller's entitlement when the trade is
// ordered, accepted and completed (CheckOffer, Convey). So, as after a
// revocation, renouncing the OPERATION right a listing relies on changes no
// listing or trade; their next step is refused until the seller is entitled
// again, and an open trade ends as any trade whose seller cannot convey
// (cancelled, expired, or resolved by the exchange, which refunds a trade
// already paid): renouncing rather than delivering gains the seller nothing
// that not delivering would not.
func (c *Contract) Renounce(ctx contractapi.TransactionContextInterface, rightId string) (*model.Right, error) {
	if err := validate.ID("rightId", rightId); err != nil {
		return nil, err
	}
	caller, rules, r, err := actorOnRight(ctx, rightId)
	if err != nil {
		return nil, err
	}
	if r.Type == model.RightHolding {
		return nil, ledgererr.Conflictf("right %q is a HOLDING right: it moves by transfer or trade, it is not renounced", rightId)
	}
	if r.HolderID != caller.ID {
		return nil, ledgererr.Forbiddenf("right %q is held by %q; only its holder may renounce it", rightId, r.HolderID)
	}
	if r.Status == model.RightOffered {
		return nil, ledgererr.Conflictf("right %q is OFFERED, not yet accepted: its grantee declines an offer with Decline, it does not renounce it", rightId)
	}
	if err := requireRightUnpromised(ctx, r); err != nil {
		return nil, err
	}
	return renunciation.end(ctx, rules, r, caller.ID, "")
}
