package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/deltaledger/deltaledger/model"
)

// AssetService is the register of data assets and its registration
// procedure: the holder applies, the operator of its regional exchange
// reviews, an approved application is in public notice (anyone may object),
// then the asset is certified and its holder receives the HOLDING right.
type AssetService struct{ c *Client }

// ApplyRequest is an application to register a data asset
// (POST /v1/assets): the asset's description, whose ContentHash is the
// SHA-256 of the data or of its canonical manifest (SHA256File).
type ApplyRequest = model.AssetDescription

// DeriveRequest is an application to register a data product made from
// registered assets the caller may process (POST /v1/assets/derived).
type DeriveRequest struct {
	ApplyRequest
	// SourceAssetIDs are the sources, 1 to model.MaxSources, unique.
	SourceAssetIDs []string `json:"sourceAssetIds"`
	// Purpose is what the sources are processed for: the purpose of the USE
	// rights the product is derived under (a holder's own sources serve any).
	Purpose string `json:"purpose"`
}

// ReviewRequest is the exchange's decision on an application.
type ReviewRequest struct {
	// Decision is model.DecisionApprove or model.DecisionReject.
	Decision string `json:"decision"`
	// Reason is required to reject.
	Reason string `json:"reason,omitempty"`
}

// DecideObjectionRequest is the exchange's decision on an objection.
type DecideObjectionRequest struct {
	// Decision is model.DecisionUphold (withdraws the application) or
	// model.DecisionDismiss.
	Decision string `json:"decision"`
	// Reason says why.
	Reason string `json:"reason"`
}

// Apply applies to register a data asset: the caller (a holder) is the
// applicant and initial holder; the result is PENDING_REVIEW.
func (s *AssetService) Apply(ctx context.Context, r ApplyRequest, opts ...SubmitOption) (*Submitted[model.Asset], error) {
	return submit[model.Asset](ctx, s.c, http.MethodPost, "/v1/assets", r, opts)
}

// Derive applies to register a data product derived from registered assets;
// the lineage is recorded on it.
func (s *AssetService) Derive(ctx context.Context, r DeriveRequest, opts ...SubmitOption) (*Submitted[model.Asset], error) {
	return submit[model.Asset](ctx, s.c, http.MethodPost, "/v1/assets/derived", r, opts)
}

// Get returns an asset (public register).
func (s *AssetService) Get(ctx context.Context, id string) (*model.Asset, error) {
	return getAt[model.Asset](ctx, s.c, "/v1/assets/%s", seg("asset ID", id))
}

// Review is the exchange's decision on an application PENDING_REVIEW, by an
// operator of the applicant's region: APPROVE starts the public notice
// (PUBLIC_NOTICE until NoticeEndsAt), REJECT needs a reason. An application
// recorded before chaincode interface 16.0.0 is reviewed again in
// PUBLIC_NOTICE too before it can be certified.
func (s *AssetService) Review(ctx context.Context, id string, r ReviewRequest, opts ...SubmitOption) (*Submitted[model.Asset], error) {
	return submitAt[model.Asset](ctx, s.c, http.MethodPost, "/v1/assets/%s/review", []segment{seg("asset ID", id)}, r, opts)
}

// Object files an objection against an application in public notice; any
// active participant may. objectionID is chosen by the objector, unique per
// asset.
func (s *AssetService) Object(ctx context.Context, assetID, objectionID, reason string, opts ...SubmitOption) (*Submitted[model.Objection], error) {
	return submitAt[model.Objection](ctx, s.c, http.MethodPost, "/v1/assets/%s/objections", []segment{seg("asset ID", assetID)},
		map[string]any{"objectionId": objectionID, "reason": reason}, opts)
}

// Objections returns every objection filed against an asset.
func (s *AssetService) Objections(ctx context.Context, assetID string) (*model.ObjectionList, error) {
	return getAt[model.ObjectionList](ctx, s.c, "/v1/assets/%s/objections", seg("asset ID", assetID))
}

// DecideObjection decides an OPEN objection (an operator of the exchange
// running the procedure).
func (s *AssetService) DecideObjection(ctx context.Context, assetID, objectionID string, r DecideObjectionRequest, opts ...SubmitOption) (*Submitted[model.Objection], error) {
	return submitAt[model.Objection](ctx, s.c, http.MethodPost, "/v1/assets/%s/objections/%s/decide",
		[]segment{seg("asset ID", assetID), seg("objection ID", objectionID)}, r, opts)
}

// Certify completes a registration whose public notice has ended with no
// objection left OPEN: the asset is REGISTERED and the holder receives its
// HOLDING right. The holder or an operator of the exchange may certify. An
// application recorded before chaincode interface 16.0.0 and not reviewed
// since is a CONFLICT: the exchange reviews it again first (Review).
func (s *AssetService) Certify(ctx context.Context, id string, opts ...SubmitOption) (*Submitted[model.Asset], error) {
	return submitAt[model.Asset](ctx, s.c, http.MethodPost, "/v1/assets/%s/certify", []segment{seg("asset ID", id)}, nil, opts)
}

// CertifyAfterNotice waits until the asset's public notice ends, at the
// time the ledger recorded when the application was approved
// (Asset.NoticeEndsAt) rather than after a guessed delay, then certifies it.
// An asset that is not in public notice is certified at once, so that the
// answer is the chaincode's. The wait is by this machine's clock; the
// certification is judged by the time the gateway stamps on it.
func (s *AssetService) CertifyAfterNotice(ctx context.Context, id string, opts ...SubmitOption) (*Submitted[model.Asset], error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Status == model.AssetPublicNotice {
		end, err := time.Parse(time.RFC3339, a.NoticeEndsAt)
		if err != nil {
			return nil, failuref("asset %q: the gateway's noticeEndsAt %q is not an RFC 3339 time", id, a.NoticeEndsAt)
		}
		if d := time.Until(end); d > 0 {
			if err := s.c.sleep(ctx, d); err != nil {
				return nil, err
			}
		}
	}
	return s.Certify(ctx, id, opts...)
}

// VerifyContent tells whether contentHash, the SHA-256 of data someone holds,
// is the content registered as the asset.
func (s *AssetService) VerifyContent(ctx context.Context, id, contentHash string) (*model.ContentCheck, error) {
	return getQueryAt[model.ContentCheck](ctx, s.c, "/v1/assets/%s/content-check", []segment{seg("asset ID", id)},
		url.Values{"contentHash": {contentHash}})
}

// History iterates over an asset's history, oldest first: the steps of its
// registration, every right granted, licensed on, sold, revoked or expired
// over it, every move of its holding and the products derived from it, each
// with its transaction and time.
func (s *AssetService) History(ctx context.Context, id string, opts ...ListOption) iter.Seq2[model.HistoryEntry, error] {
	return listAt[model.HistoryEntry](ctx, s.c, "/v1/assets/%s/history", []segment{seg("asset ID", id)}, nil, opts)
}

// Lineage returns the sources a data product was derived from and the first
// page of the products derived from it; its DerivedBookmark is a cursor for
// Derived (FromCursor).
func (s *AssetService) Lineage(ctx context.Context, id string) (*model.Lineage, error) {
	return getAt[model.Lineage](ctx, s.c, "/v1/assets/%s/lineage", seg("asset ID", id))
}

// Derived iterates over the IDs of the products derived from an asset.
func (s *AssetService) Derived(ctx context.Context, id string, opts ...ListOption) iter.Seq2[string, error] {
	return listAt[string](ctx, s.c, "/v1/assets/%s/derived", []segment{seg("asset ID", id)}, nil, opts)
}

// ByHolder iterates over the assets a participant holds or has applied for.
func (s *AssetService) ByHolder(ctx context.Context, holderID string, opts ...ListOption) iter.Seq2[model.Asset, error] {
	return listAt[model.Asset](ctx, s.c, "/v1/participants/%s/assets", []segment{seg("holder ID", holderID)}, nil, opts)
}
