package rights

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Accept makes an OFFERED right ACTIVE at the request of its grantee, the
// caller (from its certificate): a licence is a contract, and Grant and
// Sublicense only offer it. Only the grantee may accept (FORBIDDEN for
// anyone else: the grantor, an operator, the regulator). The offer must
// still stand when it is accepted, judged at the transaction's time
// (CONFLICT otherwise):
//   - the right is OFFERED as stored (not declined, withdrawn or accepted);
//   - the asset is REGISTERED;
//   - for a grant, its grantor is still the asset's holder, is still
//     ACTIVE, and the holding is not promised to a trade (requireUnpromised,
//     as for Grant);
//   - for a sublicence, its grantor (the parent's holder) is still ACTIVE
//     and the parent is still usable (unusable: ACTIVE, in term, its own
//     parents too) and still allows sublicensing;
//   - the offer was made from interface 15.0.0 on (not Unsealed: one made
//     before was its grantee's org's to rewrite, which could have widened
//     it; its grantor offers it again);
//   - the right's term has not ended, nor has the offer lapsed
//     (model.Right.OfferLapsesAt: it is accepted within model.OfferWindow),
//     both by the stamp or the endorsing peer's clock (ended).
//
// The right reads ACTIVE with acceptedAt, the asset's history records the
// acceptance, and RightAccepted is emitted. Its term is the one offered: an
// acceptance does not move validFrom.
func (c *Contract) Accept(ctx contractapi.TransactionContextInterface, rightId string) (*model.Right, error) {
	if err := validate.ID("rightId", rightId); err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	caller, rules, r, err := offeredToCaller(ctx, rightId, ledgererr.Phrase("accept"))
	if err != nil {
		return nil, err
	}
	if err := state.RequireAfterLastChange("right", r.ID, r.UpdatedAt, now); err != nil {
		return nil, err
	}
	if r.Unsealed {
		return nil, ledgererr.Conflictf("the offer of right %q was recorded before interface %s under its grantee's org's policy alone, which could rewrite it: it can no longer be accepted, and its grantor may offer it again", r.ID, sealedSince)
	}
	a, err := getHeld(ctx, r.AssetID)
	if err != nil {
		return nil, err
	}
	if err := assets.RequireRegistered(a.Asset); err != nil {
		return nil, err
	}
	if _, err := participants.GetActive(ctx, r.GrantorID); err != nil {
		return nil, err
	}
	switch r.Origin {
	case model.OriginGrant:
		if held, err := a.heldBy(ctx, r.GrantorID); err != nil {
			return nil, err
		} else if !held {
			return nil, ledgererr.Conflictf("asset %q is no longer held by %q, who granted right %q: the offer no longer stands", a.ID, r.GrantorID, r.ID)
		}
		if err := requireUnpromised(a.Asset); err != nil {
			return nil, err
		}
	case model.OriginSublicense:
		parent, err := GetRight(ctx, r.ParentRightID)
		if err != nil {
			return nil, err
		}
		if reason, err := unusable(ctx, parent, now); err != nil {
			return nil, err
		} else if reason != "" {
			return nil, ledgererr.Conflictf("the sublicence %q can no longer be accepted: %s", r.ID, reason)
		}
		// A scope never changes once issued, so this holds since the offer;
		// checked all the same, as Sublicense checks it.
		if !parent.Scope.MaySublicense {
			return nil, ledgererr.Conflictf("right %q may no longer be sublicensed: the sublicence %q can no longer be accepted", parent.ID, r.ID)
		}
	}
	if ended(r.Scope.ValidUntil, now) {
		return nil, ledgererr.Conflictf("the term of right %q ended at %s: it can no longer be accepted", r.ID, r.Scope.ValidUntil)
	}
	if lapse := r.OfferLapsesAt(); ended(lapse, now) {
		return nil, ledgererr.Conflictf("the offer of right %q lapsed unanswered at %s: it can no longer be accepted, and its grantor may offer it again", r.ID, lapse)
	}
	r.Status, r.AcceptedAt, r.UpdatedAt = model.RightActive, state.Format(now), state.Format(now)
	if err := putRight(ctx, rules, r); err != nil {
		return nil, err
	}
	if err := assets.RecordAccepted(ctx, r, caller.ID); err != nil {
		return nil, err
	}
	return r, state.Emit(ctx, model.EventRightAccepted, rightEventOf(r))
}

// Decline refuses an OFFERED right at the request of its grantee, the
// caller, for reason: the right becomes DECLINED (it never entitled
// anything), the asset's history records it (and no longer shows the
// expiry of its term), and RightDeclined is emitted. Like an ended right,
// it stays on the ledger and in its holder's list, after the rights the
// holder has, and rightsOver reads it no more (ending.end). Only the
// grantee may decline (FORBIDDEN); a right no longer OFFERED is a
// CONFLICT: an accepted right is given up with Renounce.
func (c *Contract) Decline(ctx contractapi.TransactionContextInterface, rightId, reason string) (*model.Right, error) {
	if err := validate.ID("rightId", rightId); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxAssetReasonLength); err != nil {
		return nil, err
	}
	caller, rules, r, err := offeredToCaller(ctx, rightId, ledgererr.Phrase("decline"))
	if err != nil {
		return nil, err
	}
	return declining.end(ctx, rules, r, caller.ID, reason)
}

// offeredToCaller reads right rightId, which the caller must hold (it is
// the grantee) and which must be OFFERED as stored, for the caller to
// answer the offer (verb: accept, decline), with the market rules in force
// (actorOnRight).
func offeredToCaller(ctx state.Context, rightId, verb string) (*model.Participant, *model.Rules, *model.Right, error) {
	caller, rules, r, err := actorOnRight(ctx, rightId)
	if err != nil {
		return nil, nil, nil, err
	}
	if r.HolderID != caller.ID {
		return nil, nil, nil, ledgererr.Forbiddenf("right %q is offered to %q; only its grantee may %s it", rightId, r.HolderID, verb)
	}
	if r.Status != model.RightOffered {
		return nil, nil, nil, ledgererr.Conflictf("right %q is %s: only an OFFERED right is accepted or declined (an accepted right is given up with Renounce)", rightId, r.Status)
	}
	return caller, rules, r, nil
}
