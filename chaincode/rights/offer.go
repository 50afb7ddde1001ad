package rights

import (
	"fmt"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// CheckOffer verifies that seller may offer the right of the given type and
// scope over a REGISTERED asset at now: for HOLDING the seller must be the
// holder (scope is ignored); for USE or OPERATION the seller must be the
// holder of a holding that is not promised to a trade, or hold an ACTIVE
// OPERATION right over the asset that is usable at now, may be sublicensed,
// whose scope Covers the offered scope and that is less than
// MaxSublicenseDepth licences deep (the right sold is one level below it).
//
// It returns the asset. Errors: NOT_FOUND (no such asset), CONFLICT (asset
// not registered, holding promised to a trade, OPERATION right too deep,
// the term of the USE or OPERATION right offered ended),
// FORBIDDEN (seller not entitled), INVALID_ARGUMENT (field "rightType", or
// "scope..." when no OPERATION right covers the scope).
func CheckOffer(ctx state.Context, seller *model.Participant, assetID, rightType string, scope model.Scope, now time.Time) (*model.Asset, error) {
	a, _, err := offerBasis(ctx, seller, assetID, rightType, scope, now)
	return a, err
}

// offerBasis is CheckOffer that also returns the OPERATION right entitling a
// seller who is not the holder (nil when the seller is the holder), which
// becomes the parent of the right the buyer receives.
func offerBasis(ctx state.Context, seller *model.Participant, assetID, rightType string, scope model.Scope, now time.Time) (*model.Asset, *model.Right, error) {
	if err := validate.OneOf("rightType", rightType, model.RightTypes...); err != nil {
		return nil, nil, err
	}
	held, err := getHeld(ctx, assetID)
	if err != nil {
		return nil, nil, err
	}
	a := held.Asset
	if err := assets.RequireRegistered(a); err != nil {
		return nil, nil, err
	}
	if isHolder, err := held.heldBy(ctx, seller.ID); err != nil {
		return nil, nil, err
	} else if isHolder {
		if rightType != model.RightHolding {
			if err := requireUnpromised(a); err != nil {
				return nil, nil, err
			}
			if err := requireInTerm(a, rightType, scope, now); err != nil {
				return nil, nil, err
			}
		}
		return a, nil, nil
	}
	if rightType == model.RightHolding {
		return nil, nil, ledgererr.Forbiddenf("only the holder of asset %q may sell its holding; %q is not the holder", assetID, seller.ID)
	}
	rights, err := rightsOver(ctx, seller.ID, assetID)
	if err != nil {
		return nil, nil, err
	}
	var notCovered, tooDeep error
	for _, r := range rights {
		if r.Type != model.RightOperation || !r.Scope.MaySublicense {
			continue
		}
		if reason, err := unusable(ctx, r, now); err != nil {
			return nil, nil, err
		} else if reason != "" {
			continue
		}
		if err := r.Scope.Covers(scope); err != nil {
			if notCovered == nil {
				notCovered = err
			}
			continue
		}
		// The right sold has r as its parent: one level below r.
		if depth, err := chainDepth(ctx, r); err != nil {
			return nil, nil, err
		} else if depth+1 > MaxSublicenseDepth {
			if tooDeep == nil {
				tooDeep = ledgererr.Conflictf("right %q is already %d licences deep: a right sold under it would be %d deep, and at most %d are allowed", r.ID, depth, depth+1, MaxSublicenseDepth)
			}
			continue
		}
		if err := requireInTerm(a, rightType, scope, now); err != nil {
			return nil, nil, err
		}
		return a, r, nil
	}
	if notCovered != nil {
		return nil, nil, notCovered
	}
	if tooDeep != nil {
		return nil, nil, tooDeep
	}
	return nil, nil, ledgererr.Forbiddenf("participant %q neither holds asset %q nor holds a usable OPERATION right over it that may be sublicensed", seller.ID, assetID)
}

// requireInTerm refuses to offer a USE or OPERATION right over a whose
// term (scope) has ended at now (model.TermEnded): it would entitle its
// buyer to nothing, and Grant never issues such a right
// (domain.ParseScope).
func requireInTerm(a *model.Asset, rightType string, scope model.Scope, now time.Time) error {
	if ended(scope.ValidUntil, now) {
		return ledgererr.Conflictf("the %s right offered over asset %q ended at %s: a licence whose term has ended is not sold", rightType, a.ID, scope.ValidUntil)
	}
	return nil
}

// ended reports whether a term that ends at end (a right's validUntil, an
// offer's model.Right.OfferLapsesAt) has ended at now, the transaction's
// stamp (model.TermEnded), or by the endorsing peer's clock: within the
// stamp's slack, the caller would choose whether a right or an offer still
// stands.
func ended(end string, now time.Time) bool {
	return model.TermEnded(end, now) || state.ClockReached(end)
}

// Convey executes a completed sale inside the trade's transaction. It re-runs
// CheckOffer for seller; then, for HOLDING, it transfers the holding to buyer
// (the old HOLDING right is superseded and a new one issued, origin TRADE,
// reference tradeID; the asset's holder, holder index and endorsement policy
// follow), refusing a holding not locked to this trade (LockHolding, at
// acceptance) and releasing the lock. For USE and OPERATION it issues buyer a new right of that
// type with scope (origin TRADE, reference tradeID, parent the seller's
// OPERATION right if the seller is not the holder).
//
// It emits no event: the trade function emits the transaction's one event.
// It returns the buyer's new right. Call it at most once per transaction:
// the right's ID is derived from the transaction ID.
func Convey(ctx state.Context, seller, buyer *model.Participant, assetID, rightType string, scope model.Scope, tradeID string, now time.Time) (*model.Right, error) {
	a, basis, err := conveyanceBasis(ctx, seller, buyer, assetID, rightType, scope, tradeID, now)
	if err != nil {
		return nil, err
	}
	rules, err := market.Get(ctx)
	if err != nil {
		return nil, err
	}
	if rightType == model.RightHolding {
		previous := a.HoldingRightID
		r, err := transferHolding(ctx, rules, a, buyer, model.OriginTrade, tradeID, soldNote, now)
		if err != nil {
			return nil, err
		}
		return r, assets.RecordIssued(ctx, r, model.ActionHoldingSold, seller.ID, model.HistoryEntry{
			HolderID: r.HolderID, PreviousRightID: previous, TradeID: tradeID,
		})
	}
	r := &model.Right{
		ID: newRightID(ctx, 1), AssetID: assetID, Type: rightType, HolderID: buyer.ID, HolderMSP: buyer.MSPID,
		Scope: scope, Origin: model.OriginTrade, OriginRef: tradeID, GrantorID: seller.ID,
	}
	if basis != nil {
		r.ParentRightID = basis.ID
	}
	if err := issueRight(ctx, rules, r, model.RightActive, now); err != nil {
		return nil, err
	}
	return r, assets.RecordIssued(ctx, r, model.ActionSold, seller.ID, model.HistoryEntry{TradeID: tradeID})
}

// CheckConveyance is Convey's refusal without its writes: nil when Convey
// would convey the sale at now, else the refusal it would answer. A buyer
// may dispute a delivered trade after its inspection deadline exactly while
// this refuses (trades' Dispute): a conveyance that failed after delivery
// (the seller's OPERATION right revoked, renounced or out of term, the
// licence's own term ended) would otherwise leave the paid trade stranded.
func CheckConveyance(ctx state.Context, seller, buyer *model.Participant, assetID, rightType string, scope model.Scope, tradeID string, now time.Time) error {
	_, _, err := conveyanceBasis(ctx, seller, buyer, assetID, rightType, scope, tradeID, now)
	return err
}

// conveyanceBasis checks everything Convey requires before it writes: the
// seller's entitlement (offerBasis), a buyer other than the seller and, for
// HOLDING, the holding locked to this trade. It returns the asset and the
// OPERATION right the seller sells under (nil for the holder).
func conveyanceBasis(ctx state.Context, seller, buyer *model.Participant, assetID, rightType string, scope model.Scope, tradeID string, now time.Time) (*model.Asset, *model.Right, error) {
	if err := validate.ID("tradeId", tradeID); err != nil {
		return nil, nil, err
	}
	a, basis, err := offerBasis(ctx, seller, assetID, rightType, scope, now)
	if err != nil {
		return nil, nil, err
	}
	if buyer.ID == seller.ID {
		return nil, nil, ledgererr.Conflictf("participant %q cannot buy from itself", buyer.ID)
	}
	// The lock is the word of the majority's chaincode (the asset's
	// key-level policy) that the holder accepted this trade: a trade record
	// alone could have been written by other orgs.
	if rightType == model.RightHolding && a.HoldingLockedBy != tradeID {
		return nil, nil, ledgererr.Conflictf("the holding of asset %q is not promised to trade %q: a holding is sold only by the trade its holder accepted", assetID, tradeID)
	}
	return a, basis, nil
}

// LockHolding marks the holding of a REGISTERED asset as promised to a trade,
// so that it cannot be transferred or sold to anyone else. The asset's key
// is under a majority of the orgs (assets.PutAsset), whose chaincode
// releases the lock only by a step of that trade: neither the holder's org
// nor the buyer's, nor the two together, clears it alone.
// Locking again for the same trade changes nothing; CONFLICT if another
// trade holds the lock.
func LockHolding(ctx state.Context, assetID, tradeID string) error {
	if err := validate.ID("tradeId", tradeID); err != nil {
		return err
	}
	a, rules, err := assets.GetWithRules(ctx, assetID)
	if err != nil {
		return err
	}
	if err := assets.RequireRegistered(a); err != nil {
		return err
	}
	switch a.HoldingLockedBy {
	case tradeID:
		return nil
	case "":
	default:
		return ledgererr.Conflictf("the holding of asset %q is already promised to another trade", assetID)
	}
	if err := requireHoldingUnpromised(ctx, a, false); err != nil {
		return err
	}
	if err := stampHoldingLock(ctx, a, tradeID); err != nil {
		return err
	}
	return assets.PutAsset(ctx, a, rules)
}

// UnlockHolding releases a trade's lock on a holding. Releasing a holding
// that is not locked changes nothing, so a trade may release on every way
// out; CONFLICT if another trade holds the lock.
func UnlockHolding(ctx state.Context, assetID, tradeID string) error {
	if err := validate.ID("tradeId", tradeID); err != nil {
		return err
	}
	a, rules, err := assets.GetWithRules(ctx, assetID)
	if err != nil {
		return err
	}
	switch a.HoldingLockedBy {
	case "":
		return nil
	case tradeID:
	default:
		return ledgererr.Conflictf("the holding of asset %q is promised to another trade, not %q", assetID, tradeID)
	}
	if err := stampHoldingLock(ctx, a, ""); err != nil {
		return err
	}
	return assets.PutAsset(ctx, a, rules)
}

// stampHoldingLock sets the lock of a's holding to tradeID ("" releases it)
// at the transaction time, which must not precede the asset's last change
// (assets.ChangeTime); the caller writes the asset.
func stampHoldingLock(ctx state.Context, a *model.Asset, tradeID string) error {
	now, err := assets.ChangeTime(ctx, a)
	if err != nil {
		return err
	}
	a.HoldingLockedBy, a.UpdatedAt = tradeID, state.Format(now)
	return nil
}

// transferHolding moves the holding of a to newHolder: the current HOLDING
// right is superseded, a new one is issued with the given origin and
// reference, and the asset's holder, holder index and endorsement policy
// follow. Any lock is released (the caller has checked it). The transaction
// is endorsed under the asset's old holder's policy; the new one applies
// from the next transaction on. Both HOLDING rights' keys need a majority
// of the orgs of rules (putRight), neither party's org alone: the holding
// moves with a sale whether or not the former holder's org endorses the
// completion the trade's rules allow.
func transferHolding(ctx state.Context, rules *model.Rules, a *model.Asset, newHolder *model.Participant, origin, ref, reason string, now time.Time) (*model.Right, error) {
	old, err := GetRight(ctx, a.HoldingRightID)
	if err != nil {
		return nil, err
	}
	if old.Status != model.RightActive || old.HolderID != a.HolderID {
		return nil, ledgererr.Internalf(fmt.Errorf("holding right %q is %s, held by %q", old.ID, old.Status, old.HolderID),
			"asset %q and its holding right disagree", a.ID)
	}
	at := state.Format(now)
	next := &model.Right{
		ID: newRightID(ctx, 1), AssetID: a.ID, Type: model.RightHolding, HolderID: newHolder.ID, HolderMSP: newHolder.MSPID,
		Scope: holdingScope(rules, now), Origin: origin, OriginRef: ref, GrantorID: a.HolderID,
	}
	old.Status, old.StatusReason, old.SupersededBy, old.UpdatedAt = model.RightSuperseded, reason, next.ID, at
	if err := putRight(ctx, rules, old); err != nil {
		return nil, err
	}
	if err := unlistFromRightsOver(ctx, old); err != nil {
		return nil, err
	}
	if err := issueRight(ctx, rules, next, model.RightActive, now); err != nil {
		return nil, err
	}
	if err := assets.MoveHolding(ctx, a, newHolder, next.ID, at, rules); err != nil {
		return nil, err
	}
	return next, nil
}
