package client

import (
	"context"
	"iter"
	"net/http"

	"github.com/deltaledger/deltaledger/model"
)

// ListingService offers rights over registered assets at a price and
// browses the market.
type ListingService struct{ c *Client }

// CreateListingRequest lists one right over one asset (POST /v1/listings).
type CreateListingRequest struct {
	// ID is the new listing's ID, chosen by the caller.
	ID string `json:"id"`
	// AssetID is the asset.
	AssetID string `json:"assetId"`
	// RightType is HOLDING (sells the holding itself), USE or OPERATION
	// (license a right): model.RightHolding, RightUse, RightOperation.
	RightType string `json:"rightType"`
	// Scope is what a buyer of a USE or OPERATION right receives; nil for
	// HOLDING.
	Scope *Scope `json:"scope,omitempty"`
	// Pricing is model.PricingFixed (bought by ordering at the price) or
	// model.PricingNegotiable (trades negotiate).
	Pricing string `json:"pricing"`
	// PriceFen is the price in integer fen (CNY cents); the asking price of
	// a negotiable listing.
	PriceFen int64 `json:"priceFen"`
	// TermsHash is the SHA-256 (lowercase hex) of the listing's terms
	// document.
	TermsHash string `json:"termsHash"`
}

// Create lists a right at a price; the caller must be entitled to offer it.
func (s *ListingService) Create(ctx context.Context, r CreateListingRequest, opts ...SubmitOption) (*Submitted[model.Listing], error) {
	return submit[model.Listing](ctx, s.c, http.MethodPost, "/v1/listings", r, opts)
}

// Get returns a listing (public market information).
func (s *ListingService) Get(ctx context.Context, id string) (*model.Listing, error) {
	return getAt[model.Listing](ctx, s.c, "/v1/listings/%s", seg("listing ID", id))
}

// UpdatePrice sets a new price on an ACTIVE listing (the seller); the old one
// stays in its price history, and trades already started keep theirs.
func (s *ListingService) UpdatePrice(ctx context.Context, id string, priceFen int64, reason string, opts ...SubmitOption) (*Submitted[model.Listing], error) {
	return submitAt[model.Listing](ctx, s.c, http.MethodPost, "/v1/listings/%s/price", []segment{seg("listing ID", id)},
		map[string]any{"priceFen": priceFen, "reason": reason}, opts)
}

// Delist withdraws an ACTIVE listing (the seller, or an operator of its
// region).
func (s *ListingService) Delist(ctx context.Context, id, reason string, opts ...SubmitOption) (*Submitted[model.Listing], error) {
	return submitAt[model.Listing](ctx, s.c, http.MethodPost, "/v1/listings/%s/delist", []segment{seg("listing ID", id)},
		map[string]any{"reason": reason}, opts)
}

// PriceHistory returns every price the listing has had, oldest first.
func (s *ListingService) PriceHistory(ctx context.Context, id string) (*model.PriceHistory, error) {
	return getAt[model.PriceHistory](ctx, s.c, "/v1/listings/%s/price-history", seg("listing ID", id))
}

// ByCategory iterates over the ACTIVE listings of a data category, e.g.
// "transport".
func (s *ListingService) ByCategory(ctx context.Context, category string, opts ...ListOption) iter.Seq2[model.Listing, error] {
	return listAt[model.Listing](ctx, s.c, "/v1/categories/%s/listings", []segment{seg("category", category)}, nil, opts)
}

// ByRegion iterates over the ACTIVE listings of assets sourced in a region.
func (s *ListingService) ByRegion(ctx context.Context, region string, opts ...ListOption) iter.Seq2[model.Listing, error] {
	return listAt[model.Listing](ctx, s.c, "/v1/regions/%s/listings", []segment{seg("region", region)}, nil, opts)
}

// BySeller iterates over a seller's listings of every status.
func (s *ListingService) BySeller(ctx context.Context, sellerID string, opts ...ListOption) iter.Seq2[model.Listing, error] {
	return listAt[model.Listing](ctx, s.c, "/v1/participants/%s/listings", []segment{seg("seller ID", sellerID)}, nil, opts)
}
