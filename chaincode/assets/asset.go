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
// GetAsset, GetWithRules, PutAsset, MoveHolding, RequireRegistered and the asset's history
// (AppendHistory, RecordIssued, RecordEnded).
//
// An asset's key and its objections' are under a majority of the orgs
// (putApplication, putObjection, PutAsset), from its application on and,
// from interface 17.0.0, once registered too: the procedure is the
// exchange's, and the register is everyone's who relies on it (licensees
// deriving from the asset, anyone checking data against its content hash, a
// buyer whose trade locks the holding), so neither the applicant's or
// holder's org nor any other alone may rewrite an application, its notice,
// an objection or a registered asset, nor delete one. The chaincode the
// majority runs changes a registered asset only by the steps of the rights
// register and of trades, and releases a holding's lock only by a step of
// the trade it is locked to. An asset registered before 17.0.0 was its
// holder's org's (see keyAssetSealed). The public-notice period is one of
// the market rules (package market), which a majority of the orgs sets.
package assets

import (
	"errors"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/market"
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
	// keyAssetSealed (assetId) marks an asset written under a majority of
	// the orgs from its filing on (putApplication, from interface 16.0.0),
	// or since the exchange reviewed it again: Certify issues a holding
	// for a marked application only. From 17.0.0 Certify keeps the mark,
	// for the registered asset stays under a majority (PutAsset); before,
	// it took the mark away and gave the key to the holder's org. An
	// application recorded before 16.0.0, and an asset registered before
	// 17.0.0, were under the holder's org alone, which could rewrite them
	// (a rejection into an ended public notice, a registered asset's
	// content hash, holder or lineage), and then set any policy: neither
	// the record nor its key-level policy tells a true record from a
	// rewritten one; the mark can, for a new key needs the chaincode-level
	// policy, a majority of the orgs, and no org creates it alone. An
	// unmarked registered asset goes under a majority at its next change
	// (PutAsset) but is not marked then: what it said before, its org may
	// have written.
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

// PutAsset writes a registered asset and puts its key under a majority of
// the orgs of rules, the market rules in force (state.PutUnderMajority), as
// an application's is: from the next transaction on, no fewer than a
// majority of the orgs change or delete it, whose chaincode does so only
// by the register's steps. The holder's org alone, running chaincode of its
// own, could otherwise rewrite the asset's content hash (VerifyContent
// would answer for other data), its holder or lineage, or delete it (a
// licensee deriving from it would be answered NOT_FOUND). The policy names
// neither the holder's org nor, while the holding is locked to a trade
// (HoldingLockedBy), the buyer's: the majority's chaincode keeps the lock
// until a step of that trade, which needs the buyer's org through the
// trade's own key, releases it or conveys the holding, and an org removed
// from the market, or hostile, must not veto for good a step the rules
// allow without it. Writing the policy on every update puts an asset
// registered before interface 17.0.0, its holder's org's alone (or its and
// a buyer's while locked), under a majority at its next change. An asset
// not registered is an application, which putApplication writes; PutAsset
// refuses it.
func PutAsset(ctx state.Context, a *model.Asset, rules *model.Rules) error {
	if a.Status != model.AssetRegistered {
		return ledgererr.Internalf(errors.New(a.Status), "asset %q is not registered: an application is written under a majority of the orgs", a.ID)
	}
	key, err := state.Key(ctx, keyAsset, a.ID)
	if err != nil {
		return err
	}
	return state.PutUnderMajority(ctx, key, a, rules.MSPIDs())
}

// GetWithRules reads an asset and the market rules in force in one request
// to the peer, for a step that changes the asset (PutAsset needs the
// rules); NOT_FOUND if there is no asset with that ID.
func GetWithRules(ctx state.Context, id string) (*model.Asset, *model.Rules, error) {
	asset, err := state.NewBatch[model.Asset](ctx, keyAsset, []string{id})
	if err != nil {
		return nil, nil, err
	}
	rulesRead, err := market.NewRead(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := state.GetAll(ctx, append(asset.Reads(), &rulesRead.Read)...); err != nil {
		return nil, nil, err
	}
	a := asset.Record(id)
	if a == nil {
		return nil, nil, notFound(id)
	}
	rules, err := rulesRead.Rules()
	if err != nil {
		return nil, nil, err
	}
	return a, rules, nil
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

// GetMarked reads an asset and whether it is marked (keyAssetSealed), in
// one request to the peer, for a step that acts on its holder's authority: a
// marked asset has been under a majority of the orgs since its application,
// so what its record says of its holder is the register's word; an unmarked
// registered one, registered before interface 17.0.0, its holder's org alone
// may have rewritten, to name another org's member as its holder, until its
// next change (PutAsset), and nothing on the ledger tells which. NOT_FOUND
// if there is no asset with that ID.
func GetMarked(ctx state.Context, id string) (*model.Asset, bool, error) {
	app, err := getApplication(ctx, id)
	if err != nil {
		return nil, false, err
	}
	return app.Asset, app.sealed, nil
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
// the former holding is released, and the asset is written under a
// majority of the orgs of rules (PutAsset).
func MoveHolding(ctx state.Context, a *model.Asset, newHolder *model.Participant, holdingRightID, at string, rules *model.Rules) error {
	if err := state.DelIndex(ctx, idxHolder, a.HolderID, a.ID); err != nil {
		return err
	}
	if err := state.PutIndex(ctx, idxHolder, newHolder.ID, a.ID); err != nil {
		return err
	}
	a.HolderID, a.HolderMSP, a.HoldingRightID, a.HoldingLockedBy, a.HoldingOfferedTo, a.UpdatedAt = newHolder.ID, newHolder.MSPID, holdingRightID, "", "", at
	return PutAsset(ctx, a, rules)
}
