package rights

import (
	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// PromiseLicence counts, inside the transaction that accepts a trade in
// which the holder of asset assetID sold a licence from its holding, that
// licence among the asset's promised ones (model.Asset.LicencesPromised):
// Convey issues it from the holding only while its seller holds the asset,
// so until the trade ends the holding does not move
// (requireNoLicencePromised). A holder paid for a licence and having
// delivered could otherwise give the holding away (to another member of its
// own enterprise, say) and leave its buyer a trade that never completes, as
// a seller's Cancel after acceptance may not. The count is kept on the
// asset, whose key is the holder's org's (the seller's), so the trade's
// steps need no other org; it is bookkeeping, not a step on the asset, and
// leaves its updatedAt as it is.
func PromiseLicence(ctx state.Context, assetID string) error {
	return countPromised(ctx, assetID, +1)
}

// ReleaseLicence counts down what PromiseLicence counted, when the trade
// completes or ends without a sale.
func ReleaseLicence(ctx state.Context, assetID string) error {
	return countPromised(ctx, assetID, -1)
}

// countPromised adds by to the licences promised from asset assetID's
// holding, never below zero.
func countPromised(ctx state.Context, assetID string, by int) error {
	a, err := assets.GetAsset(ctx, assetID)
	if err != nil {
		return err
	}
	a.LicencesPromised = max(0, a.LicencesPromised+by)
	return assets.PutAsset(ctx, a)
}

// requireNoLicencePromised refuses to move the holding of asset a (offer
// it, hand it over, promise it to a trade) while a licence its holder sold
// from it awaits conveyance (PromiseLicence). The refusal names no trade.
func requireNoLicencePromised(a *model.Asset) error {
	if a.LicencesPromised > 0 {
		return ledgererr.Conflictf("the holding of asset %q backs a licence its holder sold in a trade not yet completed: it does not move until that trade ends", a.ID)
	}
	return nil
}
