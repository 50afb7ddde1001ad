package assets

import (
	"fmt"
	"slices"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/chaincode/internal/ledger"
	"github.com/deltaledger/deltaledger/chaincode/ledgererr"
)

// Types of right: the three-rights split of the 'Data 20 measures'.
const (
	RightHolding   = "HOLDING"   // resource holding right: one holder at a time, transferable
	RightUse       = "USE"       // processing and use right: licensed for a scope, many at once
	RightOperation = "OPERATION" // product operation right: may sell or license the product
)

// Origins of a right: how it came to be.
const (
	OriginRegistration = "REGISTRATION" // the holding issued by certification; OriginRef is the certificate ID
	OriginGrant        = "GRANT"        // granted by the holder; OriginRef is the transaction ID
	OriginSublicense   = "SUBLICENSE"   // licensed on from ParentRightID; OriginRef is the parent's ID
	OriginTrade        = "TRADE"        // bought in a trade; OriginRef is the trade ID
	OriginTransfer     = "TRANSFER"     // a holding transferred outside a trade; OriginRef is the transaction ID
)

// Statuses of a right.
const (
	RightActive     = "ACTIVE"
	RightRevoked    = "REVOKED"
	RightSuperseded = "SUPERSEDED" // a holding that moved to a new holder
)

// Holding scope: a HOLDING right always carries the whole scope, so that
// every right has a scope and reads the same way. It is never compared with
// Covers; the holder may grant any scope.
const (
	HoldingPurpose    = "holding"
	HoldingValidUntil = "9999-12-31T23:59:59Z"
)

// MaxSublicenseDepth bounds a chain of sublicences, so that checking that a
// right's parents are all ACTIVE stays a few reads.
const MaxSublicenseDepth = 8

// Key types of the rights register.
const (
	keyRight       = "right"
	idxRightHolder = "right~holder" // holderId, assetId, rightId
	idxRightAsset  = "right~asset"  // assetId, rightId
)

// Right is a right certificate on the ledger: who holds which right over
// which asset, within which scope, where it came from, and whether it still
// stands. A right never changes holder: a holding that moves is SUPERSEDED
// and a new HOLDING right is issued, so a right's history is its own.
type Right struct {
	// ID is "R-", the first 20 characters of the issuing transaction's ID,
	// "-" and the right's position among those the transaction issued
	// (every function of this package issues one).
	ID        string       `json:"id"`
	AssetID   string       `json:"assetId"`
	Type      string       `json:"type"`
	HolderID  string       `json:"holderId"`
	HolderMSP string       `json:"holderMsp"`
	Scope     domain.Scope `json:"scope"`
	Origin    string       `json:"origin"`
	OriginRef string       `json:"originRef"`
	// ParentRightID is the right this one was licensed on from: the parent of
	// a sublicence, or the OPERATION right under which a trade sold it. A
	// right with a parent can be used only while its parent chain is ACTIVE.
	ParentRightID string `json:"parentRightId,omitempty" metadata:",optional"`
	// GrantorID is the participant who granted, licensed on, sold or
	// transferred the right; empty for a holding issued by registration.
	GrantorID    string `json:"grantorId,omitempty" metadata:",optional"`
	Status       string `json:"status"`
	StatusReason string `json:"statusReason,omitempty" metadata:",optional"`
	// SupersededBy is the HOLDING right that replaced this one.
	SupersededBy string `json:"supersededBy,omitempty" metadata:",optional"`
	IssuedAt     string `json:"issuedAt"`
	UpdatedAt    string `json:"updatedAt"`
}

// RightPage is one page of a right list.
type RightPage struct {
	Items    []*Right `json:"items"`
	Bookmark string   `json:"bookmark"`
}

// GetRight reads a right; NOT_FOUND if there is none with that ID.
func GetRight(ctx ledger.Context, id string) (*Right, error) {
	key, err := ledger.Key(ctx, keyRight, id)
	if err != nil {
		return nil, err
	}
	var r Right
	found, err := ledger.Get(ctx, key, &r)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ledgererr.NotFoundf("right %q does not exist", id)
	}
	return &r, nil
}

// holdingScope is the scope of a HOLDING right issued at now.
func holdingScope(now time.Time) domain.Scope {
	regions := slices.Clone(domain.Regions)
	slices.Sort(regions)
	return domain.Scope{Purpose: HoldingPurpose, Regions: regions, ValidFrom: ledger.Format(now), ValidUntil: HoldingValidUntil}
}

// newRightID derives the ID of the n-th right a transaction issues from the
// transaction ID, which is unique on the channel: no counter record is
// needed. Every function of this package issues one right per call (n = 1);
// a transaction cannot see its own writes, so a second right in the same
// transaction must be given n = 2 by design, not by reading state.
func newRightID(ctx ledger.Context, n int) string {
	txID := ctx.GetStub().GetTxID()
	return fmt.Sprintf("R-%s-%d", txID[:min(20, len(txID))], n)
}

// issueRight writes a new ACTIVE right with the given ID and indexes it by
// holder and by asset. The index entries never change: a right keeps its
// holder and asset for life.
func issueRight(ctx ledger.Context, r *Right, now time.Time) error {
	r.Status = RightActive
	r.IssuedAt, r.UpdatedAt = ledger.Format(now), ledger.Format(now)
	if err := putRight(ctx, r); err != nil {
		return err
	}
	if err := ledger.PutIndex(ctx, idxRightHolder, r.HolderID, r.AssetID, r.ID); err != nil {
		return err
	}
	return ledger.PutIndex(ctx, idxRightAsset, r.AssetID, r.ID)
}

// putRight writes a right; its key needs the holder's org to endorse changes.
func putRight(ctx ledger.Context, r *Right) error {
	key, err := ledger.Key(ctx, keyRight, r.ID)
	if err != nil {
		return err
	}
	if err := ledger.Put(ctx, key, r); err != nil {
		return err
	}
	return ledger.RequireOrgs(ctx, key, r.HolderMSP)
}

// unusable tells why a right cannot be exercised at now, or returns "" if
// it can. A right is usable while it is ACTIVE, its term includes now, and
// the same holds for every right up its parent chain. The error is only for
// a failure to read the chain.
//
// Revoking a right does not rewrite its sublicences (that would be an
// unbounded cascade of writes in one transaction); instead, whoever uses a
// right walks its chain here, so a revoked or expired parent stops every
// right below it.
func unusable(ctx ledger.Context, r *Right, now time.Time) (string, error) {
	for depth := 0; ; depth++ {
		if r.Status != RightActive {
			return fmt.Sprintf("right %q is %s", r.ID, r.Status), nil
		}
		if !r.Scope.ActiveAt(now) {
			return fmt.Sprintf("right %q is valid from %s until %s, not at %s", r.ID, r.Scope.ValidFrom, r.Scope.ValidUntil, ledger.Format(now)), nil
		}
		if r.ParentRightID == "" {
			return "", nil
		}
		if depth >= MaxSublicenseDepth {
			return fmt.Sprintf("right %q has more than %d parents", r.ID, MaxSublicenseDepth), nil
		}
		parent, err := GetRight(ctx, r.ParentRightID)
		if err != nil {
			return "", ledgererr.Internalf(err, "reading parent of right %q", r.ID)
		}
		r = parent
	}
}

// chainDepth counts the parents of a right.
func chainDepth(ctx ledger.Context, r *Right) (int, error) {
	depth := 0
	for r.ParentRightID != "" && depth <= MaxSublicenseDepth {
		parent, err := GetRight(ctx, r.ParentRightID)
		if err != nil {
			return 0, err
		}
		r, depth = parent, depth+1
	}
	return depth, nil
}

// rightsOver returns every right a participant holds over one asset, in key
// order. The set is bounded by what one party was granted over one asset, so
// it is read whole, inside submitted transactions too.
func rightsOver(ctx ledger.Context, holderID, assetID string) ([]*Right, error) {
	rows, err := ledger.Collect(ctx, idxRightHolder, []string{holderID, assetID})
	if err != nil {
		return nil, err
	}
	rights := make([]*Right, 0, len(rows))
	for _, row := range rows {
		r, err := GetRight(ctx, row[0])
		if err != nil {
			return nil, err
		}
		rights = append(rights, r)
	}
	return rights, nil
}
