package rights

import (
	"time"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Register is the rights register as the assets contract uses it
// (assets.Rights).
type Register struct{}

var _ assets.Rights = Register{}

// IssueHolding issues the HOLDING right of an asset being certified to its
// holder, with origin REGISTRATION and the certificate's ID as reference,
// under rules, the market rules in force.
func (Register) IssueHolding(ctx state.Context, a *model.Asset, certificateID string, rules *model.Rules, now time.Time) (*model.Right, error) {
	holding := &model.Right{
		ID: newRightID(ctx, 1), AssetID: a.ID, Type: model.RightHolding, HolderID: a.HolderID, HolderMSP: a.HolderMSP,
		Scope: holdingScope(rules, now), Origin: model.OriginRegistration, OriginRef: certificateID,
	}
	if err := issueRight(ctx, rules, holding, model.RightActive, now); err != nil {
		return nil, err
	}
	return holding, nil
}

// AnyIssuedOver reports whether any right was ever issued over the asset
// (the asset index of rights, whose entries no step deletes): an asset
// has one from its certification on.
func (Register) AnyIssuedOver(ctx state.Context, assetID string) (bool, error) {
	return state.AnyUnder(ctx, idxRightAsset, []string{assetID})
}

// MayProcess returns the right that entitles a participant to process
// source for purpose in region at now: its HOLDING right if it holds the
// source (the right, ACTIVE, names it, as the source's record does), else a usable USE right over it licensed for that purpose and
// covering the region. It refuses a participant who has neither, saying why
// each right it holds over the source falls short.
func (Register) MayProcess(ctx state.Context, p *model.Participant, source *model.Asset, region, purpose string, now time.Time) (*model.Right, error) {
	if source.HolderID == p.ID {
		// The HOLDING right entitles only the holder it names: an asset
		// registered before 17.0.0 its holder's org alone could rewrite to
		// name another org's member (holdingOf). Such a member is taken as
		// any other participant, by the rights it holds.
		if r, err := holdingOf(ctx, source); err != nil || (r != nil && r.HolderID == p.ID) {
			return r, err
		}
	}
	rights, err := rightsOver(ctx, p.ID, source.ID)
	if err != nil {
		return nil, err
	}
	var why []string
	for _, r := range rights {
		switch r.Type {
		case model.RightOperation:
			why = append(why, ledgererr.Phrase("right %q is an OPERATION right, which does not entitle processing", r.ID))
			continue
		case model.RightHolding: // a holding it no longer has, superseded before such entries moved (unlistFromRightsOver)
			why = append(why, ledgererr.Phrase("right %q is %s", r.ID, r.Status))
			continue
		}
		reason, err := unusable(ctx, r, now)
		if err != nil {
			return nil, err
		}
		if reason == "" && r.Scope.Purpose != purpose {
			reason = ledgererr.Phrase("right %q is licensed for the purpose %q, not %q", r.ID, r.Scope.Purpose, purpose)
		}
		if reason == "" && !r.Scope.CoversRegion(region) {
			reason = ledgererr.Phrase("right %q does not cover region %s", r.ID, region)
		}
		if reason == "" {
			return r, nil
		}
		why = append(why, reason)
	}
	if len(why) == 0 {
		return nil, ledgererr.Forbiddenf("participant %q may not process source asset %q: it neither holds it nor holds a usable USE right over it for the purpose %q covering region %q",
			p.ID, source.ID, purpose, region)
	}
	return nil, ledgererr.Forbiddenf("participant %q may not process source asset %q: it neither holds it nor holds a usable USE right over it for the purpose %q covering region %q (%s)",
		p.ID, source.ID, purpose, region, ledgererr.Reasons.Join(why))
}
