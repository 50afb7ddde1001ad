// Package assets is the register of data assets (数据确权), the contract
// "assets" on the channel: the exchanges' registration procedure (the holder
// applies, the operator of its regional exchange reviews, an approved
// application is published for a public-notice period (公示) in which anyone
// may object, and afterwards the registration certificate and the holding
// right are issued) and the queries about assets: their content hash,
// history, lineage and holders.
//
// The rights over assets are package rights, which depends on this one: the
// assets contract reaches the rights register through the Rights interface
// the chaincode passes to New. This package exports what the rights register
// and the other contracts need of an asset inside their own transactions:
// GetAsset, PutAsset, MoveHolding, RequireRegistered and the asset's history
// (AppendHistory, RecordIssued, RecordEnded).
//
// Keys that a party owns carry a key-level endorsement policy naming its
// org: an asset and its holding need the holder's org (and, while the
// holding is locked to a trade, the buyer's org: PutLocked), an objection
// the reviewing exchange's org. The public-notice period is one of the market
// rules (package market), which a majority of the orgs sets.
package assets

import (
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Key types of the asset register.
const (
	keyAsset       = "asset"
	keyContentHash = "asset~hash"   // contentHash -> asset ID (a point record, not a marker)
	idxHolder      = "asset~holder" // holderId, assetId
	idxDerived     = "asset~source" // sourceAssetId, derivedAssetId
	keyObjection   = "objection"    // assetId, objectionId
	// keyOpenObjection names a participant's open objection against an
	// application (assetId, objectorId -> objectionId; a point record), so
	// that each participant has at most one open at a time.
	keyOpenObjection = "objection~open"
)

// GetAsset reads an asset; NOT_FOUND if there is none with that ID.
func GetAsset(ctx state.Context, id string) (*model.Asset, error) {
	a, _, err := state.Find[model.Asset](ctx, func() error { return notFound(id) }, keyAsset, id)
	return a, err
}

// notFound refuses an asset ID that names no asset.
func notFound(id string) error {
	return ledgererr.NotFoundf("asset %q does not exist", id)
}

// PutAsset writes an asset and ties its key to the holder's org, so that
// from the next transaction on only that org's peers can endorse a change.
// Writing the policy on every update re-sets it after a change of holder.
//
// An asset whose holding is locked to a trade keeps the policy PutLocked
// gave its key (the holder's and the buyer's orgs) until the lock is
// released or the holding conveyed, which write it unlocked: the lock is
// the two orgs' word, so the holder's org alone clears it no more than it
// ends the trade.
func PutAsset(ctx state.Context, a *model.Asset) error {
	key, err := state.Key(ctx, keyAsset, a.ID)
	if err != nil {
		return err
	}
	if a.HoldingLockedBy != "" {
		return state.Put(ctx, key, a)
	}
	return state.PutOwned(ctx, key, a, a.HolderMSP)
}

// PutLocked writes asset a, whose holding a trade's acceptance has just
// locked to that trade (a.HoldingLockedBy), and ties its key to the
// holder's org and buyerMSP, the trade's buyer's org, as the trade's own key
// is tied: until the trade ends, no change to the asset, its lock neither,
// commits without both. The buyer's org can keep the asset locked no longer
// than it can keep its trade open, since every end of the trade writes the
// trade, whose key needs that org too, and releases the lock.
func PutLocked(ctx state.Context, a *model.Asset, buyerMSP string) error {
	key, err := state.Key(ctx, keyAsset, a.ID)
	if err != nil {
		return err
	}
	return state.PutOwned(ctx, key, a, a.HolderMSP, buyerMSP)
}

// ChangeTime reads the transaction time of a step on asset a, refusing one
// stamped before the asset's last change (state.RequireAfterLastChange): the
// asset's history sorts its entries by their stamps, so that a step
// committed after another but stamped before it would read before it, and a
// deadline the step sets for another party (the end of the public notice,
// the expiry of a holding offer) would start before that party's step.
func ChangeTime(ctx state.Context, a *model.Asset) (time.Time, error) {
	now, err := state.Now(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return now, state.RequireAfterLastChange("asset", a.ID, a.UpdatedAt, now)
}

// RequireRegistered refuses an asset that has not completed registration:
// rights exist only over registered assets.
func RequireRegistered(a *model.Asset) error {
	if a.Status != model.AssetRegistered {
		return ledgererr.Conflictf("asset %q is %s, not %s", a.ID, a.Status, model.AssetRegistered)
	}
	return nil
}

// MoveHolding records that newHolder holds asset a under the HOLDING right
// holdingRightID from at on: the holder index follows, any lock or offer of
// the former holding is released, and the asset's key needs the new holder's
// org from the next transaction on.
func MoveHolding(ctx state.Context, a *model.Asset, newHolder *model.Participant, holdingRightID, at string) error {
	if err := state.DelIndex(ctx, idxHolder, a.HolderID, a.ID); err != nil {
		return err
	}
	if err := state.PutIndex(ctx, idxHolder, newHolder.ID, a.ID); err != nil {
		return err
	}
	a.HolderID, a.HolderMSP, a.HoldingRightID, a.HoldingLockedBy, a.HoldingOfferedTo, a.UpdatedAt = newHolder.ID, newHolder.MSPID, holdingRightID, "", "", at
	return PutAsset(ctx, a)
}
