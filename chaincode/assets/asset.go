// Package assets is the register of data assets and of the rights over them
// (数据确权). It holds two contracts:
//
//   - "assets" runs the exchanges' registration procedure: the holder
//     applies, the operator of its regional exchange reviews, an approved
//     application is published for a public-notice period (公示) in which
//     anyone may object, and afterwards the registration certificate and the
//     holding right are issued. It also answers queries about assets: their
//     content hash, history, lineage and holders.
//   - "rights" manages the right certificates of the three-rights split:
//     HOLDING (数据资源持有权), USE (数据加工使用权) and OPERATION
//     (数据产品经营权): grants, sublicences, revocations and transfers of the
//     holding.
//
// The package also exports the functions the listings and trades contracts
// call inside their own transactions: GetAsset, GetRight, CheckOffer, Convey,
// LockHolding and UnlockHolding.
//
// Keys that a party owns carry a key-level endorsement policy naming its
// org: an asset and its holding need the holder's org, a right its holder's
// org, an objection the reviewing exchange's org. The public-notice period
// is one of the market rules (package market), which a majority of the orgs
// sets.
package assets

import (
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
)

// GetAsset reads an asset; NOT_FOUND if there is none with that ID.
func GetAsset(ctx state.Context, id string) (*model.Asset, error) {
	key, err := state.Key(ctx, keyAsset, id)
	if err != nil {
		return nil, err
	}
	var a model.Asset
	found, err := state.Get(ctx, key, &a)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ledgererr.NotFoundf("asset %q does not exist", id)
	}
	return &a, nil
}

// putAsset writes an asset and ties its key to the holder's org, so that
// from the next transaction on only that org's peers can endorse a change.
// Writing the policy on every update re-sets it after a change of holder.
func putAsset(ctx state.Context, a *model.Asset) error {
	key, err := state.Key(ctx, keyAsset, a.ID)
	if err != nil {
		return err
	}
	if err := state.Put(ctx, key, a); err != nil {
		return err
	}
	return state.RequireOrgs(ctx, key, a.HolderMSP)
}

// requireRegistered refuses an asset that has not completed registration:
// rights exist only over registered assets.
func requireRegistered(a *model.Asset) error {
	if a.Status != model.AssetRegistered {
		return ledgererr.Conflictf("asset %q is %s, not %s", a.ID, a.Status, model.AssetRegistered)
	}
	return nil
}

// requireUnpromised refuses to encumber a holding promised to a trade: while
// a trade holds the lock, the holder grants and sells no licence over the
// asset, so that the buyer of the holding receives it with the rights it
// saw when the trade was accepted.
func requireUnpromised(a *model.Asset) error {
	if a.HoldingLockedBy != "" {
		return ledgererr.Conflictf("the holding of asset %q is promised to trade %q: no licence is issued from it until that trade ends", a.ID, a.HoldingLockedBy)
	}
	return nil
}
