package rights

import (
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// keyHoldingOffer is the open offer of an asset's holding (assetId,
// holdingRightId), under a majority of the orgs (putHoldingOffer). The
// record exists only while the offer is OFFERED: an answered offer is
// deleted, and the asset's history keeps every step. One whose holding
// moved otherwise (sold in a trade) is void, and a new holding right starts
// on a new key.
//
// Before interface 17.0.0 offers were kept under the key type
// "holding~offer", tied to both parties' orgs: the recipient's org alone
// kept the holder from withdrawing the offer and, the key being rewritten
// by every new offer of the same holding, from offering it to anyone else
// for good; and one org that was both parties' rewrote the offer alone
// (stretched its deadline past its lapse) for a majority to accept. Those
// records are read no more (an offer open at the upgrade is offered
// again), and their keys, whose policy no majority can change, are never
// written again.
const keyHoldingOffer = "holding~offered"

// TransferHolding offers the holding of a REGISTERED asset to another active
// participant outside a trade (a gift, a merger). Nothing moves yet: the
// recipient accepts (AcceptHolding) or refuses (RefuseHolding) within
// model.OfferWindow, and the holder may withdraw the offer
// (WithdrawHolding) until then. The caller must be the holder, the holding
// must not be promised to a trade, and no other offer of it may be open. The
// offer's key needs a majority of the orgs (putHoldingOffer), which judges
// the deadline by its peers' clocks: neither party's org alone rewrites the
// offer or keeps the other from answering it.
func (c *Contract) TransferHolding(ctx contractapi.TransactionContextInterface, assetId, newHolderId, reason string) (*model.HoldingOffer, error) {
	if err := validate.ID("assetId", assetId); err != nil {
		return nil, err
	}
	if err := validate.ID("newHolderId", newHolderId); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxAssetReasonLength); err != nil {
		return nil, err
	}
	caller, a, rules, err := heldByCaller(ctx, assetId, ledgererr.Phrase("offer its holding"))
	if err != nil {
		return nil, err
	}
	if a.HoldingLockedBy != "" {
		return nil, ledgererr.Conflictf("the holding of asset %q is promised to a trade", assetId)
	}
	if err := requireHoldingUnpromised(ctx, a, true); err != nil {
		return nil, err
	}
	recipient, err := participants.GetRecipient(ctx, newHolderId)
	if err != nil {
		return nil, err
	}
	if recipient.ID == caller.ID {
		return nil, ledgererr.Invalid("newHolderId", "must be another participant than the holder")
	}
	// The window starts at the transaction time, which every endorser has
	// checked against its clock (state.Declare), so that the holder cannot
	// stretch it by stamping its offer in the future, nor start it before
	// the asset's last change (assets.ChangeTime).
	now, err := assets.ChangeTime(ctx, a)
	if err != nil {
		return nil, err
	}
	open, err := openHoldingOffer(ctx, a)
	if err != nil {
		return nil, err
	}
	// Replaced once expired by the stamp and by this peer's clock, as
	// AcceptHolding judges it: a holder stamping behind replaces no offer its
	// recipient may still accept.
	if open != nil && !(expired(open, now) && state.ClockReached(open.ExpiresAt)) {
		return nil, ledgererr.Conflictf("the holding of asset %q is offered to %q until %s: withdraw that offer first", assetId, open.ToID, open.ExpiresAt)
	}
	at := state.Format(now)
	o := &model.HoldingOffer{
		AssetID: a.ID, HoldingRightID: a.HoldingRightID, FromID: caller.ID, FromMSP: caller.MSPID,
		ToID: recipient.ID, ToMSP: recipient.MSPID, Reason: reason, Status: model.HoldingOffered,
		OfferedAt: at, ExpiresAt: state.Format(now.Add(model.OfferWindow)), TxID: ctx.GetStub().GetTxID(), UpdatedAt: at,
	}
	if err := putHoldingOffer(ctx, o, rules); err != nil {
		return nil, err
	}
	// The asset names the recipient: its key needs a majority of the orgs,
	// so no org's peers can vouch for an offer alone.
	a.HoldingOfferedTo, a.UpdatedAt = recipient.ID, at
	if err := assets.PutAsset(ctx, a, rules); err != nil {
		return nil, err
	}
	if err := assets.AppendHistory(ctx, a.ID, &model.HistoryEntry{
		Action: model.ActionHoldingOffered, By: caller.ID, RightID: a.HoldingRightID, RightType: model.RightHolding,
		RightHolderID: recipient.ID, ValidUntil: o.ExpiresAt, Reason: reason,
	}); err != nil {
		return nil, err
	}
	return o, emitOffer(ctx, model.EventHoldingOffered, o)
}

// AcceptHolding takes an offered holding: the caller must be the offer's
// recipient and accept before it expires, by the endorsing peers' clocks,
// while the holding offered is still the asset's and promised to no trade,
// and its holder is ACTIVE (one suspended or released since acts no more).
// The former HOLDING right is SUPERSEDED with the offer's reason, the
// recipient receives a new one (origin TRANSFER), and the asset's holder and
// endorsement policy follow. Rights granted from the holding stay as they
// are; the former holder's listings of the asset leave the market (see
// OnHoldingTransferred).
func (c *Contract) AcceptHolding(ctx contractapi.TransactionContextInterface, assetId string) (*model.Right, error) {
	a, o, caller, rules, now, err := answerOffer(ctx, assetId, func(o *model.HoldingOffer, caller *model.Participant) bool { return caller.ID == o.ToID }, "accept")
	if err != nil {
		return nil, err
	}
	// Expired by the stamp or by this peer's clock: a recipient stamping behind accepts no later.
	if expired(o, now) || state.ClockReached(o.ExpiresAt) {
		return nil, ledgererr.Conflictf("the offer of the holding of asset %q expired at %s: it can no longer be accepted", assetId, o.ExpiresAt)
	}
	if a.HolderID != o.FromID || a.HoldingOfferedTo != o.ToID || a.Status != model.AssetRegistered {
		return nil, ledgererr.Conflictf("the offer of the holding of asset %q by %q no longer stands", assetId, o.FromID)
	}
	if a.HoldingLockedBy != "" {
		return nil, ledgererr.Conflictf("the holding of asset %q is promised to a trade", assetId)
	}
	if err := requireHoldingUnpromised(ctx, a, false); err != nil {
		return nil, err
	}
	// The holding moves now: a holder suspended or released since its offer acts no more, through it neither.
	if _, err := participants.GetActive(ctx, o.FromID); err != nil {
		return nil, err
	}
	recipient, err := participants.GetActive(ctx, caller.ID)
	if err != nil {
		return nil, err
	}
	if err := deleteHoldingOffer(ctx, o); err != nil {
		return nil, err
	}
	r, err := transferHolding(ctx, rules, a, recipient, model.OriginTransfer, ctx.GetStub().GetTxID(), o.Reason, now)
	if err != nil {
		return nil, err
	}
	if err := assets.RecordIssued(ctx, r, model.ActionHoldingTransferred, caller.ID, model.HistoryEntry{
		HolderID: r.HolderID, PreviousRightID: o.HoldingRightID, Reason: o.Reason,
	}); err != nil {
		return nil, err
	}
	ev := rightEventOf(r)
	ev.PreviousRightID = o.HoldingRightID
	if c.onHoldingTransferred != nil {
		if ev.DelistedListingIDs, err = c.onHoldingTransferred(ctx, assetId, o.FromID, now); err != nil {
			return nil, err
		}
	}
	return r, state.Emit(ctx, model.EventHoldingTransferred, ev)
}

// RefuseHolding turns an offered holding down: the caller must be the
// offer's recipient. Nothing moves.
func (c *Contract) RefuseHolding(ctx contractapi.TransactionContextInterface, assetId, reason string) (*model.HoldingOffer, error) {
	return endOffer(ctx, assetId, reason, model.HoldingRefused, model.ActionHoldingRefused, model.EventHoldingRefused,
		func(o *model.HoldingOffer, caller *model.Participant) bool { return caller.ID == o.ToID }, "refuse")
}

// WithdrawHolding takes back an offer of the holding before it is answered
// (or after it expired): the caller must be the holder who offered it.
func (c *Contract) WithdrawHolding(ctx contractapi.TransactionContextInterface, assetId, reason string) (*model.HoldingOffer, error) {
	return endOffer(ctx, assetId, reason, model.HoldingWithdrawn, model.ActionHoldingWithdrawn, model.EventHoldingWithdrawn,
		func(o *model.HoldingOffer, caller *model.Participant) bool { return caller.ID == o.FromID }, "withdraw")
}

// GetHoldingOffer returns the open offer of an asset's holding; NOT_FOUND
// when there is none (answered offers are in the asset's history).
func (c *Contract) GetHoldingOffer(ctx contractapi.TransactionContextInterface, assetId string) (*model.HoldingOffer, error) {
	if err := validate.ID("assetId", assetId); err != nil {
		return nil, err
	}
	a, err := assets.GetAsset(ctx, assetId)
	if err != nil {
		return nil, err
	}
	o, err := openHoldingOffer(ctx, a)
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, ledgererr.NotFoundf("the holding of asset %q is not on offer", assetId)
	}
	return o, nil
}

// endOffer ends an open offer without moving the holding.
func endOffer(ctx state.Context, assetId, reason, status, action, event string, may func(*model.HoldingOffer, *model.Participant) bool, verb string) (*model.HoldingOffer, error) {
	if err := validate.Text("reason", reason, model.MaxAssetReasonLength); err != nil {
		return nil, err
	}
	a, o, caller, rules, now, err := answerOffer(ctx, assetId, may, verb)
	if err != nil {
		return nil, err
	}
	if err := deleteHoldingOffer(ctx, o); err != nil {
		return nil, err
	}
	at := state.Format(now)
	a.HoldingOfferedTo, a.UpdatedAt = "", at
	if err := assets.PutAsset(ctx, a, rules); err != nil {
		return nil, err
	}
	o.Status, o.StatusReason, o.UpdatedAt = status, reason, at
	if err := assets.AppendHistory(ctx, assetId, &model.HistoryEntry{
		Action: action, By: caller.ID, RightID: o.HoldingRightID, RightType: model.RightHolding, RightHolderID: o.ToID, Reason: reason,
	}); err != nil {
		return nil, err
	}
	return o, emitOffer(ctx, event, o)
}

// answerOffer reads an asset and the open offer of its holding for an
// answer by the caller, whom may admits, at a time the endorsing peers vouch
// for, with the market rules in force (the caller's resolution reads them).
func answerOffer(ctx state.Context, assetId string, may func(*model.HoldingOffer, *model.Participant) bool, verb string) (*model.Asset, *model.HoldingOffer, *model.Participant, *model.Rules, time.Time, error) {
	fail := func(err error) (*model.Asset, *model.HoldingOffer, *model.Participant, *model.Rules, time.Time, error) {
		return nil, nil, nil, nil, time.Time{}, err
	}
	if err := validate.ID("assetId", assetId); err != nil {
		return fail(err)
	}
	caller, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return fail(err)
	}
	a, err := assets.GetAsset(ctx, assetId)
	if err != nil {
		return fail(err)
	}
	o, err := openHoldingOffer(ctx, a)
	if err != nil {
		return fail(err)
	}
	if o == nil {
		return fail(ledgererr.NotFoundf("the holding of asset %q is not on offer", assetId))
	}
	if !may(o, caller) {
		return fail(ledgererr.Forbiddenf("participant %q may not %s the offer of the holding of asset %q", caller.ID, verb, assetId))
	}
	now, err := assets.ChangeTime(ctx, a)
	if err != nil {
		return fail(err)
	}
	return a, o, caller, rules, now, nil
}

// expired reports whether an offer can no longer be accepted at now.
func expired(o *model.HoldingOffer, now time.Time) bool {
	end, err := time.Parse(state.TimeLayout, o.ExpiresAt)
	return err != nil || !now.Before(end)
}

// openHoldingOffer reads the open offer of an asset's current holding, nil
// if none.
func openHoldingOffer(ctx state.Context, a *model.Asset) (*model.HoldingOffer, error) {
	if a.HoldingRightID == "" {
		return nil, nil
	}
	return state.Lookup[model.HoldingOffer](ctx, keyHoldingOffer, a.ID, a.HoldingRightID)
}

// putHoldingOffer writes an open offer and puts its key under a majority of
// the orgs of rules, the market rules in force (state.PutUnderMajority), as
// a right's (putRight): an offer is a step of the register, which the
// chaincode judges from the parties' certificates. Tied to both parties'
// orgs, the recipient's org alone withheld the holder's withdrawal and every
// later offer of the holding, which rewrites the same key; and one org that
// was both parties' rewrote the offer alone.
func putHoldingOffer(ctx state.Context, o *model.HoldingOffer, rules *model.Rules) error {
	key, err := state.Key(ctx, keyHoldingOffer, o.AssetID, o.HoldingRightID)
	if err != nil {
		return err
	}
	return state.PutUnderMajority(ctx, key, o, rules.MSPIDs())
}

// deleteHoldingOffer deletes an answered offer (its key-level policy goes
// with it).
func deleteHoldingOffer(ctx state.Context, o *model.HoldingOffer) error {
	return state.DelIndex(ctx, keyHoldingOffer, o.AssetID, o.HoldingRightID)
}

// emitOffer emits one of the events of an offer that moves nothing.
func emitOffer(ctx state.Context, event string, o *model.HoldingOffer) error {
	return state.Emit(ctx, event, model.HoldingOfferEvent{AssetID: o.AssetID, FromID: o.FromID, ToID: o.ToID, Status: o.Status, ExpiresAt: o.ExpiresAt})
}
