package client

import (
	"context"
	"iter"
	"net/http"

	"github.com/deltaledger/deltaledger/model"
)

// RightService manages right certificates: HOLDING (one holder at a time),
// USE (processing and use, licensed for a scope) and OPERATION (product
// operation), each with its scope and origin.
type RightService struct{ c *Client }

// GrantRequest grants a USE or OPERATION right over a REGISTERED asset
// (POST /v1/rights, by the asset's holder).
type GrantRequest struct {
	// AssetID is the asset.
	AssetID string `json:"assetId"`
	// GranteeID is the participant receiving the right.
	GranteeID string `json:"granteeId"`
	// RightType is model.RightUse or model.RightOperation.
	RightType string `json:"rightType"`
	// Scope bounds the right.
	Scope Scope `json:"scope"`
}

// Grant offers a USE or OPERATION right; only the asset's holder may. The
// right is model.RightOffered and entitles nothing until the grantee
// accepts it (Accept), which it must do by the right's OfferExpiresAt
// (model.OfferWindow after the offer, or the end of the term if sooner):
// after it, the offer lapses and reads model.RightExpired. The grantee may
// decline it (Decline) and the grantor withdraw it (Revoke) meanwhile.
func (s *RightService) Grant(ctx context.Context, r GrantRequest, opts ...SubmitOption) (*Submitted[model.Right], error) {
	return submit[model.Right](ctx, s.c, http.MethodPost, "/v1/rights", r, opts)
}

// Sublicense licenses a right the caller holds on to granteeID, within the
// parent's scope (the parent must allow sublicensing). Like a grant, the
// sublicence is offered: model.RightOffered until the grantee accepts it,
// and it lapses as a grant does.
func (s *RightService) Sublicense(ctx context.Context, parentRightID, granteeID string, scope Scope, opts ...SubmitOption) (*Submitted[model.Right], error) {
	return submitAt[model.Right](ctx, s.c, http.MethodPost, "/v1/rights/%s/sublicenses", []segment{seg("parent right ID", parentRightID)},
		map[string]any{"granteeId": granteeID, "scope": scope}, opts)
}

// Revoke ends an ACTIVE USE or OPERATION right, or withdraws an OFFERED
// one, with a reason; it ends a RENOUNCED one too, and so what was sold
// under it.
func (s *RightService) Revoke(ctx context.Context, rightID, reason string, opts ...SubmitOption) (*Submitted[model.Right], error) {
	return submitAt[model.Right](ctx, s.c, http.MethodPost, "/v1/rights/%s/revoke", []segment{seg("right ID", rightID)},
		map[string]any{"reason": reason}, opts)
}

// Accept accepts a right offered to the caller by a grant or a sublicence:
// it becomes model.RightActive, with AcceptedAt. Only the grantee may, while
// the offer still stands (a CONFLICT otherwise: the grantor no longer holds
// the asset, the holding is promised to a trade, a sublicence's parent is
// no longer usable, the term has ended, or the offer lapsed: see
// model.Right.OfferLapsesAt).
func (s *RightService) Accept(ctx context.Context, rightID string, opts ...SubmitOption) (*Submitted[model.Right], error) {
	return submitAt[model.Right](ctx, s.c, http.MethodPost, "/v1/rights/%s/accept", []segment{seg("right ID", rightID)}, nil, opts)
}

// Decline declines a right offered to the caller, with a reason: it reads
// model.RightDeclined and never entitled anything. Only the grantee may,
// while the right is OFFERED; an accepted right is renounced instead.
func (s *RightService) Decline(ctx context.Context, rightID, reason string, opts ...SubmitOption) (*Submitted[model.Right], error) {
	return submitAt[model.Right](ctx, s.c, http.MethodPost, "/v1/rights/%s/decline", []segment{seg("right ID", rightID)},
		map[string]any{"reason": reason}, opts)
}

// Renounce gives up a USE or OPERATION right the caller holds: it reads
// RENOUNCED from then on, and its sublicences can no longer be used. Only
// the right's holder may; a HOLDING right moves by transfer or trade instead,
// and a right still OFFERED is declined (Decline).
func (s *RightService) Renounce(ctx context.Context, rightID string, opts ...SubmitOption) (*Submitted[model.Right], error) {
	return submitAt[model.Right](ctx, s.c, http.MethodPost, "/v1/rights/%s/renounce", []segment{seg("right ID", rightID)}, nil, opts)
}

// TransferHolding offers the holding of a REGISTERED asset to another
// participant outside a trade (a gift, a merger). Nothing moves until the
// recipient accepts (AcceptHolding) within model.OfferWindow; the
// result is the offer.
func (s *RightService) TransferHolding(ctx context.Context, assetID, newHolderID, reason string, opts ...SubmitOption) (*Submitted[model.HoldingOffer], error) {
	return submitAt[model.HoldingOffer](ctx, s.c, http.MethodPost, "/v1/assets/%s/holding/transfer", []segment{seg("asset ID", assetID)},
		map[string]any{"newHolderId": newHolderID, "reason": reason}, opts)
}

// HoldingOffer returns the open offer of an asset's holding (an *Error with
// NOT_FOUND when there is none).
func (s *RightService) HoldingOffer(ctx context.Context, assetID string) (*model.HoldingOffer, error) {
	return getAt[model.HoldingOffer](ctx, s.c, "/v1/assets/%s/holding/offer", seg("asset ID", assetID))
}

// AcceptHolding accepts the holding offered to the caller; the result is
// the caller's new HOLDING right.
func (s *RightService) AcceptHolding(ctx context.Context, assetID string, opts ...SubmitOption) (*Submitted[model.Right], error) {
	return submitAt[model.Right](ctx, s.c, http.MethodPost, "/v1/assets/%s/holding/accept", []segment{seg("asset ID", assetID)}, nil, opts)
}

// RefuseHolding refuses the holding offered to the caller; nothing moves.
func (s *RightService) RefuseHolding(ctx context.Context, assetID, reason string, opts ...SubmitOption) (*Submitted[model.HoldingOffer], error) {
	return submitAt[model.HoldingOffer](ctx, s.c, http.MethodPost, "/v1/assets/%s/holding/refuse", []segment{seg("asset ID", assetID)},
		map[string]any{"reason": reason}, opts)
}

// WithdrawHolding withdraws the caller's offer of a holding; nothing moves.
func (s *RightService) WithdrawHolding(ctx context.Context, assetID, reason string, opts ...SubmitOption) (*Submitted[model.HoldingOffer], error) {
	return submitAt[model.HoldingOffer](ctx, s.c, http.MethodPost, "/v1/assets/%s/holding/withdraw", []segment{seg("asset ID", assetID)},
		map[string]any{"reason": reason}, opts)
}

// Get returns a right certificate.
func (s *RightService) Get(ctx context.Context, rightID string) (*model.Right, error) {
	return getAt[model.Right](ctx, s.c, "/v1/rights/%s", seg("right ID", rightID))
}

// History returns every committed version of a right record.
func (s *RightService) History(ctx context.Context, rightID string) (*model.RightHistory, error) {
	return getAt[model.RightHistory](ctx, s.c, "/v1/rights/%s/history", seg("right ID", rightID))
}

// ByHolder iterates over the rights a participant holds or held.
func (s *RightService) ByHolder(ctx context.Context, holderID string, opts ...ListOption) iter.Seq2[model.Right, error] {
	return listAt[model.Right](ctx, s.c, "/v1/participants/%s/rights", []segment{seg("holder ID", holderID)}, nil, opts)
}

// ByAsset iterates over the rights over an asset, of every type and status.
func (s *RightService) ByAsset(ctx context.Context, assetID string, opts ...ListOption) iter.Seq2[model.Right, error] {
	return listAt[model.Right](ctx, s.c, "/v1/assets/%s/rights", []segment{seg("asset ID", assetID)}, nil, opts)
}
