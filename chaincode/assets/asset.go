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
// Until an asset is registered, its key and its objections' are under a
// majority of the orgs (putApplication, putObjection): the procedure is the
// exchange's, and neither the applicant's org nor any other alone may
// rewrite an application, its notice or an objection. A registered asset
// and its holding need the holder's org (and, while the holding is locked to
// a trade, the buyer's org: PutLocked). The public-notice period is one of
// the market rules (package market), which a majority of the orgs sets.
package assets

import (
	"errors"
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
	// keyAssetSealed (assetId) marks an application written under a
	// majority of the orgs from its filing on (putApplication, from
	// interface 16.0.0), or since the exchange reviewed it again, and not
	// yet certified: Certify issues a holding for a marked application
	// only, and takes the mark away. An application recorded before was
	// under its holder's org alone, which could rewrite it (a rejection
	// into an ended public notice), and so can that org a registered
	// asset's record: neither the record nor its key-level policy, which
	// that org sets with it, tells a true application from a rewritten
	// one; the mark can, for a new key needs the chaincode-level policy, a
	// majority of the orgs, and no org creates it alone.
	keyAssetSealed = model.AssetSealedKeyType
)

// sealedSince is the interface version from which an application is
// written under a majority of the orgs and marked so (keyAssetSealed).
const sealedSince = "16.0.0"

// GetAsset reads an asset; NOT_FOUND if there is none with that ID.
func GetAsset(ctx state.Context, id string) (*model.Asset, error) {
	a, _, err := state.Find[model.Asset](ctx, func() error { return notFound(id) }, keyAsset, id)
	return a, err
}

// notFound refuses an asset ID that names no asset.
func notFound(id string) error {
	return ledgererr.NotFoundf("asset %q does not exist", id)
}

// PutAsset writes a registered asset and ties its key to the holder's org,
// so that from the next transaction on only that org's peers can endorse a
// change. Writing the policy on every update re-sets it after a change of
// holder. An asset not registered is an application, which putApplication
// writes; PutAsset refuses it.
//
// An asset whose holding is locked to a trade keeps the policy PutLocked
// gave its key (the holder's and the buyer's orgs) until the lock is
// released or the holding conveyed, which write it unlocked: the lock is
// the two orgs' word, so the holder's org alone clears it no more than it
// ends the trade.
func PutAsset(ctx state.Context, a *model.Asset) error {
	if a.Status != model.AssetRegistered {
		return ledgererr.Internalf(errors.New(a.Status), "asset %q is not registered: an application is written under a majority of the orgs", a.ID)
	}
	key, err := state.Key(ctx, keyAsset, a.ID)
	if err != nil {
		return err
	}
	if a.HoldingLockedBy != "" {
		return state.Put(ctx, key, a)
	}
	return state.PutOwned(ctx, key, a, a.HolderMSP)
}

// putApplication writes asset a, an application not (yet) registered, and
// puts its key under a majority of the orgs of rules, the market rules in
// force (state.PutUnderMajority): the applicant's org alone could
// otherwise, running chaincode of its own, turn a rejection into an
// approval or cut its public notice short. Nor does the policy require the
// applicant's org, which would then veto the exchange's rejection, or name
// the exchange's: a majority may bind the region to another org while the
// application is open.
func putApplication(ctx state.Context, a *model.Asset, rules *model.Rules) error {
	key, err := state.Key(ctx, keyAsset, a.ID)
	if err != nil {
		return err
	}
	return state.PutUnderMajority(ctx, key, a, rules.MSPIDs())
}

// application is an asset as the registration procedure reads it: its
// record and whether it is marked (keyAssetSealed).
type application struct {
	*model.Asset
	sealed bool
}

// applicationReads reads an asset and its mark (keyAssetSealed) in one
// request to the peer, which may be another's: reads go to GetAll or with
// a caller's resolution (participants.CallerWithRoleAndRules).
type applicationReads struct {
	id    string
	asset *state.Batch[model.Asset]
	mark  state.Read
}

func newApplicationReads(ctx state.Context, id string) (*applicationReads, error) {
	asset, err := state.NewBatch[model.Asset](ctx, keyAsset, []string{id})
	if err != nil {
		return nil, err
	}
	mark, err := state.Key(ctx, keyAssetSealed, id)
	if err != nil {
		return nil, err
	}
	return &applicationReads{id: id, asset: asset, mark: state.Read{Key: mark}}, nil
}

func (r *applicationReads) reads() []*state.Read { return append(r.asset.Reads(), &r.mark) }

// application returns, once read, the asset with its mark; NOT_FOUND if
// there is no asset with that ID.
func (r *applicationReads) application() (*application, error) {
	a := r.asset.Record(r.id)
	if a == nil {
		return nil, notFound(r.id)
	}
	return &application{Asset: a, sealed: r.mark.Found}, nil
}

// getApplication reads an asset with its mark (applicationReads).
func getApplication(ctx state.Context, id string) (*application, error) {
	r, err := newApplicationReads(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := state.GetAll(ctx, r.reads()...); err != nil {
		return nil, err
	}
	return r.application()
}

// requireSealed refuses to certify an application without the mark
// (keyAssetSealed): one recorded before interface 16.0.0, or a registered
// asset its holder's org wrote back into an application.
func requireSealed(app *application) error {
	if app.sealed {
		return nil
	}
	return ledgererr.Conflictf("the application of asset %q has not been recorded under a majority of the orgs since it was filed or last reviewed (before interface %s its holder's org alone could rewrite it): the exchange reviews it again before it is certified", app.ID, sealedSince)
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
