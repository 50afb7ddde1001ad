package rights

import (
	"encoding/json"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Contract is the register of right certificates, named "rights" on
// the channel.
//
// Who may revoke what: an operator of the asset's exchange may revoke any
// USE or OPERATION right, unless it acts for the right's holder, its grantor
// or the asset's holder (or is one of them: the exchange is a judge, never a
// party, and the holder is a party to every licence over its asset, which
// it could otherwise revoke as the exchange where it may not as holder);
// the asset's current holder may revoke the rights
// granted from the holding (origin GRANT); the holder of a parent right may
// revoke the sublicences it issued (origin SUBLICENSE). A right bought in a
// trade is revoked only by the exchange, which resolves disputes; a HOLDING
// right is never revoked, it moves by transfer or trade. A USE or OPERATION
// right's own holder may give it up at any time (Renounce).
type Contract struct {
	state.Contract
	trades               assets.Trades
	onHoldingTransferred HoldingTransferHook
}

// HoldingTransferHook runs inside the transaction that transfers an asset's
// holding away from formerHolderID, so that what another contract keeps
// about the former holder's offers of the asset follows the holding. It
// returns the IDs of the listings it took off the market, for the event.
type HoldingTransferHook func(ctx state.Context, assetID, formerHolderID string, now time.Time) ([]string, error)

// Option configures the rights contract.
type Option func(*Contract)

// OnHoldingTransferred sets the hook TransferHolding runs: the chaincode
// passes the listings contract's withdrawal of the former holder's listings
// (the listings package depends on this one, so it cannot be called
// directly).
func OnHoldingTransferred(hook HoldingTransferHook) Option {
	return func(c *Contract) { c.onHoldingTransferred = hook }
}

// New returns the rights contract, which shows the trade a right was bought
// in to those trades lets read it (tradeRefs).
func New(trades assets.Trades, options ...Option) *Contract {
	c := &Contract{Contract: state.Declare(model.RightsContract), trades: trades}
	for _, apply := range options {
		apply(c)
	}
	return c
}

// parseGrantee validates a grantee argument and reads the participant, which
// must be active, of an org whose binding of its enterprise is in force
// (participants.GetRecipient), and not the grantor.
func parseGrantee(ctx state.Context, granteeId string, grantor *model.Participant) (*model.Participant, error) {
	grantee, err := participants.GetRecipient(ctx, granteeId)
	if err != nil {
		return nil, err
	}
	if grantee.ID == grantor.ID {
		return nil, ledgererr.Invalid("granteeId", "must be another participant than the grantor")
	}
	return grantee, nil
}

// heldByCaller opens a change only the holder of a REGISTERED asset makes
// (action, a phrase such as "grant rights over it"): it answers the caller,
// who must hold asset assetId (heldAsset.heldBy), and the asset.
func heldByCaller(ctx state.Context, assetId, action string) (*model.Participant, *model.Asset, *model.Rules, error) {
	caller, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := getHeld(ctx, assetId)
	if err != nil {
		return nil, nil, nil, err
	}
	if held, err := a.heldBy(ctx, caller.ID); err != nil {
		return nil, nil, nil, err
	} else if !held {
		return nil, nil, nil, ledgererr.Forbiddenf("only the holder of asset %q may %s; %q is not the holder", assetId, action, caller.ID)
	}
	if err := assets.RequireRegistered(a.Asset); err != nil {
		return nil, nil, nil, err
	}
	return caller, a.Asset, rules, nil
}

// Grant offers a USE or OPERATION right (rightType) over a REGISTERED asset
// to an active participant, within scope: the right is OFFERED, entitles
// nothing, and becomes ACTIVE only when the grantee accepts it (Accept), or
// DECLINED when it declines it (Decline); the grantor may withdraw the
// offer meanwhile (Revoke). The scope is a JSON object {purpose, regions,
// validFrom, validUntil, maySublicense}. Only the asset's holder may grant,
// and not while the holding is promised to a trade (CONFLICT): the buyer of
// the holding receives it with the rights it saw.
func (c *Contract) Grant(ctx contractapi.TransactionContextInterface, assetId, granteeId, rightType, scope string) (*model.Right, error) {
	if err := validate.ID("assetId", assetId); err != nil {
		return nil, err
	}
	if err := validate.ID("granteeId", granteeId); err != nil {
		return nil, err
	}
	if err := validate.OneOf("rightType", rightType, model.RightUse, model.RightOperation); err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	caller, a, rules, err := heldByCaller(ctx, assetId, ledgererr.Phrase("grant rights over it"))
	if err != nil {
		return nil, err
	}
	// The offer's lapse, the grantee's deadline, starts no earlier than the asset's last change.
	if err := state.RequireAfterLastChange("asset", a.ID, a.UpdatedAt, now); err != nil {
		return nil, err
	}
	s, err := domain.ParseScope("scope", scope, now, rules)
	if err != nil {
		return nil, err
	}
	if err := requireUnpromised(a); err != nil {
		return nil, err
	}
	grantee, err := parseGrantee(ctx, granteeId, caller)
	if err != nil {
		return nil, err
	}
	r := &model.Right{
		ID: newRightID(ctx, 1), AssetID: assetId, Type: rightType, HolderID: grantee.ID, HolderMSP: grantee.MSPID,
		Scope: s, Origin: model.OriginGrant, OriginRef: ctx.GetStub().GetTxID(), GrantorID: caller.ID,
	}
	if err := issueRight(ctx, rules, r, model.RightOffered, now); err != nil {
		return nil, err
	}
	if err := assets.RecordIssued(ctx, r, model.ActionGranted, caller.ID, model.HistoryEntry{}); err != nil {
		return nil, err
	}
	return r, state.Emit(ctx, model.EventRightGranted, rightEventOf(r))
}

// Sublicense licenses a right on: the caller, holder of the USE or OPERATION
// right parentRightId, offers the grantee a right of the same type within
// scope, OFFERED until the grantee accepts or declines it (as for Grant). The parent must be usable now (ACTIVE, in term, its own parents
// ACTIVE), allow sublicensing, and Cover scope: same purpose, a subset of its
// regions, a term inside its own, and maySublicense only if it has it.
// Chains are at most 8 rights deep below the grant.
func (c *Contract) Sublicense(ctx contractapi.TransactionContextInterface, parentRightId, granteeId, scope string) (*model.Right, error) {
	if err := validate.ID("parentRightId", parentRightId); err != nil {
		return nil, err
	}
	if err := validate.ID("granteeId", granteeId); err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	caller, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, err
	}
	s, err := domain.ParseScope("scope", scope, now, rules)
	if err != nil {
		return nil, err
	}
	parent, err := GetRight(ctx, parentRightId)
	if err != nil {
		return nil, err
	}
	if parent.HolderID != caller.ID {
		return nil, ledgererr.Forbiddenf("right %q is held by %q; only its holder may sublicense it", parentRightId, parent.HolderID)
	}
	// The offer's lapse, the grantee's deadline, starts no earlier than the parent's last change.
	if err := state.RequireAfterLastChange("right", parent.ID, parent.UpdatedAt, now); err != nil {
		return nil, err
	}
	if parent.Type == model.RightHolding {
		return nil, ledgererr.Conflictf("right %q is a HOLDING right: the holder grants rights with Grant", parentRightId)
	}
	if reason, err := unusable(ctx, parent, now); err != nil {
		return nil, err
	} else if reason != "" {
		// The same code as every other use of a right that does not
		// entitle its holder (listing under it, deriving from it).
		return nil, ledgererr.Forbiddenf("cannot sublicense: %s", reason)
	}
	if !parent.Scope.MaySublicense {
		return nil, ledgererr.Forbiddenf("right %q may not be sublicensed", parentRightId)
	}
	if err := parent.Scope.Covers(s); err != nil {
		return nil, err
	}
	if depth, err := chainDepth(ctx, parent); err != nil {
		return nil, err
	} else if depth+1 > MaxSublicenseDepth {
		return nil, ledgererr.Conflictf("right %q is already %d licences deep; at most %d are allowed", parentRightId, depth, MaxSublicenseDepth)
	}
	a, err := assets.GetAsset(ctx, parent.AssetID)
	if err != nil {
		return nil, err
	}
	if err := assets.RequireRegistered(a); err != nil {
		return nil, err
	}
	grantee, err := parseGrantee(ctx, granteeId, caller)
	if err != nil {
		return nil, err
	}
	r := &model.Right{
		ID: newRightID(ctx, 1), AssetID: parent.AssetID, Type: parent.Type, HolderID: grantee.ID, HolderMSP: grantee.MSPID,
		Scope: s, Origin: model.OriginSublicense, OriginRef: parent.ID, ParentRightID: parent.ID, GrantorID: caller.ID,
	}
	if err := issueRight(ctx, rules, r, model.RightOffered, now); err != nil {
		return nil, err
	}
	if err := assets.RecordIssued(ctx, r, model.ActionSublicensed, caller.ID, model.HistoryEntry{}); err != nil {
		return nil, err
	}
	return r, state.Emit(ctx, model.EventRightSublicensed, rightEventOf(r))
}

// Revoke ends an ACTIVE USE or OPERATION right, or withdraws an OFFERED one
// its grantee has not answered, recording the reason. See
// Contract for who may revoke which right. It ends a RENOUNCED one too,
// which then reads REVOKED: a renounced right still stands for the rights
// sold under it in a trade (model.Right.StatusOver), and its renunciation
// must not keep its licensor, or the exchange, from ending them as they
// would have by revoking it before. Sublicences of a revoked
// right keep their own record but can no longer be used, because using a
// right checks its whole parent chain; reads check it too, so they read
// REVOKED, naming the revoked right in statusFrom.
func (c *Contract) Revoke(ctx contractapi.TransactionContextInterface, rightId, reason string) (*model.Right, error) {
	if err := validate.ID("rightId", rightId); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxAssetReasonLength); err != nil {
		return nil, err
	}
	caller, rules, r, err := actorOnRight(ctx, rightId)
	if err != nil {
		return nil, err
	}
	a, err := getHeld(ctx, r.AssetID)
	if err != nil {
		return nil, err
	}
	if r.Type == model.RightHolding {
		return nil, ledgererr.Conflictf("right %q is a HOLDING right: it moves by transfer, it is not revoked", rightId)
	}
	if err := mayRevoke(ctx, caller, r, a); err != nil {
		return nil, err
	}
	return revocation.end(ctx, rules, r, caller.ID, reason)
}

// actorOnRight resolves the caller with the market rules in force
// (participants.ActorWithRules, one request), then reads right rightId, for
// a step on the right by the caller: the rules name the orgs a majority of
// which the right's key needs (putRight).
func actorOnRight(ctx state.Context, rightId string) (*model.Participant, *model.Rules, *model.Right, error) {
	caller, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := GetRight(ctx, rightId)
	if err != nil {
		return nil, nil, nil, err
	}
	return caller, rules, r, nil
}

// mayRevoke applies the revocation rule documented on Contract: nil
// when caller may revoke r, else the refusal.
func mayRevoke(ctx state.Context, caller *model.Participant, r *model.Right, a *heldAsset) error {
	switch r.Origin {
	case model.OriginGrant:
		if held, err := a.heldBy(ctx, caller.ID); err != nil || held {
			return err
		}
	case model.OriginSublicense:
		parent, err := GetRight(ctx, r.ParentRightID)
		if err != nil {
			return err
		}
		if caller.ID == parent.HolderID {
			return nil
		}
	}
	if caller.HasRole(model.RoleOperator) && caller.Region == a.ExchangeRegion {
		// The exchange revokes as a judge: never for its own enterprise,
		// nor for the asset's holder, who revokes only what it granted.
		return participants.RequireImpartial(ctx, caller, ledgererr.Phrase("right %q", r.ID), r.HolderID, r.GrantorID, a.HolderID)
	}
	return ledgererr.Forbiddenf("participant %q may not revoke right %q (origin %s)", caller.ID, r.ID, r.Origin)
}

// Get returns a right certificate. The register is public, but for the
// trade a right was bought or sold in, which only who may read that trade
// is shown (tradeRefs).
func (c *Contract) Get(ctx contractapi.TransactionContextInterface, rightId string) (*model.Right, error) {
	if err := validate.ID("rightId", rightId); err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	r, err := GetRight(ctx, rightId)
	if err != nil {
		return nil, err
	}
	if err := readAsOf(ctx, []*model.Right{r}, now); err != nil {
		return nil, err
	}
	return r, c.tradeRefs(ctx).show(r)
}

// ListByHolder returns one page of the rights a participant holds or held,
// each shown as Get shows it, ordered by asset ID: first the rights it holds (with its former holdings
// and the rights that ended before ended rights were kept apart), then the
// rights it held that were revoked or renounced (ending.end). pageSize is 1 to 100 (default 20); bookmark is "" for
// the first page, then the bookmark the previous page returned.
func (c *Contract) ListByHolder(ctx contractapi.TransactionContextInterface, holderId, pageSize, bookmark string) (*model.RightPage, error) {
	if err := validate.ID("holderId", holderId); err != nil {
		return nil, err
	}
	return c.rightPage(ctx, idxRightHolder, holderId, pageSize, bookmark)
}

// ListByAsset returns one page of the rights over an asset, of every type
// and status, each shown as Get shows it, ordered by right ID. pageSize is 1 to 100 (default 20);
// bookmark is "" for the first page, then the bookmark the previous page
// returned.
func (c *Contract) ListByAsset(ctx contractapi.TransactionContextInterface, assetId, pageSize, bookmark string) (*model.RightPage, error) {
	if err := validate.ID("assetId", assetId); err != nil {
		return nil, err
	}
	return c.rightPage(ctx, idxRightAsset, assetId, pageSize, bookmark)
}

// rightPage reads a page of an index whose last attribute is a right ID.
func (c *Contract) rightPage(ctx state.Context, index, owner, pageSize, bookmark string) (*model.RightPage, error) {
	size, err := state.PageSize(pageSize)
	if err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	rows, next, err := state.IndexPage(ctx, index, []string{owner}, size, bookmark)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(rows))
	for i, row := range rows {
		ids[i] = row[len(row)-1]
	}
	items, err := getRights(ctx, ids)
	if err != nil {
		return nil, err
	}
	if err := readAsOf(ctx, items, now); err != nil {
		return nil, err
	}
	if err := c.tradeRefs(ctx).show(items...); err != nil {
		return nil, err
	}
	return state.PageOf[model.RightPage](items, next, nil)
}

// History returns every committed version of a right record with the
// transaction that wrote it, in the order the peer's history database gives
// them, each shown as Get shows it but for Unsealed, which History leaves
// unset: it tells whether the register relies on the right now (Get), not
// what a version was, and History decides nothing.
func (c *Contract) History(ctx contractapi.TransactionContextInterface, rightId string) (*model.RightHistory, error) {
	if err := validate.ID("rightId", rightId); err != nil {
		return nil, err
	}
	key, err := state.Key(ctx, keyRight, rightId)
	if err != nil {
		return nil, err
	}
	it, err := ctx.GetStub().GetHistoryForKey(key)
	if err != nil {
		return nil, ledgererr.Internalf(err, "reading the history of right %q", rightId)
	}
	defer it.Close()
	h := &model.RightHistory{RightID: rightId, Items: []*model.RightVersion{}}
	var versions []*model.Right
	for it.HasNext() {
		km, err := it.Next()
		if err != nil {
			return nil, ledgererr.Internalf(err, "iterating the history of right %q", rightId)
		}
		v := &model.RightVersion{TxID: km.TxId, Timestamp: state.Format(km.Timestamp.AsTime()), IsDelete: km.IsDelete}
		if !km.IsDelete {
			v.Right = &model.Right{}
			if err := json.Unmarshal(km.Value, v.Right); err != nil {
				return nil, ledgererr.Internalf(err, "decoding a version of right %q", rightId)
			}
			versions = append(versions, v.Right)
		}
		h.Items = append(h.Items, v)
	}
	if len(h.Items) == 0 {
		return nil, ledgererr.NotFoundf("right %q has no history", rightId)
	}
	if err := c.tradeRefs(ctx).show(versions...); err != nil {
		return nil, err
	}
	return h, nil
}
