package rights

import (
	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// heldAsset is an asset as the register reads it for a step on its holder's
// authority (granting, revoking what it granted, selling under it, offering
// the holding): the record and whether it is marked (assets.GetMarked).
type heldAsset struct {
	*model.Asset
	marked bool
}

// getHeld reads asset id with its mark, in one request to the peer.
func getHeld(ctx state.Context, id string) (*heldAsset, error) {
	a, marked, err := assets.GetMarked(ctx, id)
	if err != nil {
		return nil, err
	}
	return &heldAsset{Asset: a, marked: marked}, nil
}

// heldBy reports whether participant id holds the asset as far as the
// register relies on it: the record names id as its holder and, unless the
// asset is marked, so does its HOLDING right (holds). An asset registered
// before interface 17.0.0 was its holder's org's alone to rewrite until its
// next change, and that org, naming another org's member as holder, let
// that member grant, revoke and sell licences over the asset with the
// honest majority endorsing, while the HOLDING right, under a majority
// since 15.0.0, named the holder still. The right costs one more request,
// for an unmarked asset only.
func (a *heldAsset) heldBy(ctx state.Context, id string) (bool, error) {
	if a.HolderID != id {
		return false, nil
	}
	if a.marked {
		return true, nil
	}
	return holdingNames(ctx, a.Asset, id)
}

// holdingNames reports whether the HOLDING right asset a's record names
// (HoldingRightID) is an ACTIVE HOLDING right over a held by participant
// id: false where the record names no such right, which only its holder's
// org, alone, can have written (before 17.0.0).
func holdingNames(ctx state.Context, a *model.Asset, id string) (bool, error) {
	r, err := holdingOf(ctx, a)
	if err != nil || r == nil {
		return false, err
	}
	return r.HolderID == id, nil
}

// holdingOf reads the HOLDING right asset a's record names, nil where it
// names none that is an ACTIVE HOLDING right over a.
func holdingOf(ctx state.Context, a *model.Asset) (*model.Right, error) {
	if a.HoldingRightID == "" {
		return nil, nil
	}
	r, err := GetRight(ctx, a.HoldingRightID)
	if ledgererr.CodeOf(err) == ledgererr.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if r.Type != model.RightHolding || r.AssetID != a.ID || r.Status != model.RightActive {
		return nil, nil
	}
	return r, nil
}
