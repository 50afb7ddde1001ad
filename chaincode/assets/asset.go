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
// org, an objection the reviewing exchange's org, and the registration rules
// a majority of the orgs.
package assets

import (
	"github.com/deltaledger/deltaledger/chaincode/internal/ledger"
	"github.com/deltaledger/deltaledger/chaincode/ledgererr"
)

// Statuses of an asset. An application starts PENDING_REVIEW; a review
// rejects it (REJECTED) or publishes it (PUBLIC_NOTICE); an upheld objection
// withdraws it (WITHDRAWN); certification registers it (REGISTERED). Only a
// REGISTERED asset has rights and can be traded.
const (
	StatusPendingReview = "PENDING_REVIEW"
	StatusRejected      = "REJECTED"
	StatusPublicNotice  = "PUBLIC_NOTICE"
	StatusWithdrawn     = "WITHDRAWN"
	StatusRegistered    = "REGISTERED"
)

// Limits of an application's fields.
const (
	maxNameLen        = 200
	maxCategoryLen    = 40
	maxDescriptionLen = 2000
	maxReasonLen      = 1000
	// MaxSources bounds the sources of a derived product, which keeps the
	// derivation check (one read per source) small.
	MaxSources = 20
)

// Key types of the asset register.
const (
	keyAsset       = "asset"
	keyContentHash = "asset~hash"   // contentHash -> asset ID (a point record, not a marker)
	idxHolder      = "asset~holder" // holderId, assetId
	idxDerived     = "asset~source" // sourceAssetId, derivedAssetId
	keyObjection   = "objection"    // assetId, objectionId
)

// Asset is a data asset on the register: what the data is (its content hash;
// the data itself never goes on the ledger), where it comes from, who holds
// it, and how far its registration has come.
type Asset struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Category     string `json:"category"`
	SourceRegion string `json:"sourceRegion"`
	Description  string `json:"description"`
	// ContentHash is the SHA-256 hex of the data or of its canonical
	// manifest; one content hash is registered once.
	ContentHash string `json:"contentHash"`
	// Sources are the assets a derived data product was made from; empty for
	// an original asset.
	Sources []string `json:"sources"`
	// Purpose is what a derived product's sources were processed for: the
	// purpose of the USE rights it was derived under. Empty for an original
	// asset.
	Purpose string `json:"purpose,omitempty" metadata:",optional"`
	// ApplicantID is the participant that applied; it is the initial holder.
	ApplicantID string `json:"applicantId"`
	// ExchangeRegion is the region of the exchange that runs the procedure:
	// the applicant's region. Its operators review, decide objections,
	// certify and supervise the asset's rights.
	ExchangeRegion string `json:"exchangeRegion"`
	HolderID       string `json:"holderId"`
	HolderMSP      string `json:"holderMsp"`
	// HoldingRightID is the holder's ACTIVE HOLDING right, once registered.
	HoldingRightID string `json:"holdingRightId,omitempty" metadata:",optional"`
	// HoldingLockedBy is the trade the holding is promised to, if any; a
	// locked holding cannot be transferred or sold to anyone else.
	HoldingLockedBy string `json:"holdingLockedBy,omitempty" metadata:",optional"`
	Status          string `json:"status"`
	// StatusReason is the reviewer's note, the rejection reason, or why the
	// application was withdrawn.
	StatusReason string `json:"statusReason,omitempty" metadata:",optional"`
	ReviewerID   string `json:"reviewerId,omitempty" metadata:",optional"`
	// ExchangeMSP is the reviewing operator's org: the exchange that owns the
	// objections filed against the application.
	ExchangeMSP string `json:"exchangeMsp,omitempty" metadata:",optional"`
	// NoticeEndsAt ends the public-notice period: objections are accepted
	// before it, certification from it on.
	NoticeEndsAt string `json:"noticeEndsAt,omitempty" metadata:",optional"`
	// CertificateID names the registration certificate (登记证书): "CERT-"
	// followed by the first 16 characters of the certifying transaction's ID.
	CertificateID string `json:"certificateId,omitempty" metadata:",optional"`
	AppliedAt     string `json:"appliedAt"`
	ReviewedAt    string `json:"reviewedAt,omitempty" metadata:",optional"`
	RegisteredAt  string `json:"registeredAt,omitempty" metadata:",optional"`
	UpdatedAt     string `json:"updatedAt"`
}

// AssetPage is one page of an asset list.
type AssetPage struct {
	Items    []*Asset `json:"items"`
	Bookmark string   `json:"bookmark"`
}

// GetAsset reads an asset; NOT_FOUND if there is none with that ID.
func GetAsset(ctx ledger.Context, id string) (*Asset, error) {
	key, err := ledger.Key(ctx, keyAsset, id)
	if err != nil {
		return nil, err
	}
	var a Asset
	found, err := ledger.Get(ctx, key, &a)
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
func putAsset(ctx ledger.Context, a *Asset) error {
	key, err := ledger.Key(ctx, keyAsset, a.ID)
	if err != nil {
		return err
	}
	if err := ledger.Put(ctx, key, a); err != nil {
		return err
	}
	return ledger.RequireOrgs(ctx, key, a.HolderMSP)
}

// requireRegistered refuses an asset that has not completed registration:
// rights exist only over registered assets.
func requireRegistered(a *Asset) error {
	if a.Status != StatusRegistered {
		return ledgererr.Conflictf("asset %q is %s, not %s", a.ID, a.Status, StatusRegistered)
	}
	return nil
}

// requireUnpromised refuses to encumber a holding promised to a trade: while
// a trade holds the lock, the holder grants and sells no licence over the
// asset, so that the buyer of the holding receives it with the rights it
// saw when the trade was accepted.
func requireUnpromised(a *Asset) error {
	if a.HoldingLockedBy != "" {
		return ledgererr.Conflictf("the holding of asset %q is promised to trade %q: no licence is issued from it until that trade ends", a.ID, a.HoldingLockedBy)
	}
	return nil
}
