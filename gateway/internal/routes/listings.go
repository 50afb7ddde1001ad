package routes

import (
	"github.com/deltaledger/deltaledger/model"
)

func listingRoutes() []Route {
	return []Route{
		{
			ID: "createListing", Method: "POST", Path: "/v1/listings", Tag: "listings",
			Function: "listings:Create", Created: true, Roles: []string{model.RoleHolder},
			Summary:     "List one right over one asset at a price.",
			Description: "The caller must be entitled to offer the right; an asset has at most one ACTIVE HOLDING listing.",
		},
		{
			ID: "getListing", Method: "GET", Path: "/v1/listings/{id}", Tag: "listings",
			Function: "listings:Get", Summary: "A listing (public market information).",
		},
		{
			ID: "updateListingPrice", Method: "POST", Path: "/v1/listings/{id}/price", Tag: "listings",
			Function: "listings:UpdatePrice", Roles: []string{model.RoleHolder},
			Summary:     "Set a new price on an ACTIVE listing; the old one stays in its price history.",
			Description: "Only the seller may. Trades already started keep their price.",
		},
		{
			ID: "delistListing", Method: "POST", Path: "/v1/listings/{id}/delist", Tag: "listings",
			Function: "listings:Delist", Roles: []string{model.RoleHolder, model.RoleOperator},
			Summary:     "Withdraw an ACTIVE listing from the market.",
			Description: "The seller or an operator of the listing's region may.",
		},
		{
			ID: "getListingPriceHistory", Method: "GET", Path: "/v1/listings/{id}/price-history", Tag: "listings",
			Function: "listings:PriceHistory", Summary: "Every price the listing has had, oldest first.",
		},
		{
			ID: "listListingsByCategory", Method: "GET", Path: "/v1/categories/{category}/listings", Tag: "listings",
			Function: "listings:ListByCategory",
			Summary:  "One page of the ACTIVE listings of a data category.",
		},
		{
			ID: "listListingsByRegion", Method: "GET", Path: "/v1/regions/{region}/listings", Tag: "listings",
			Function: "listings:ListByRegion",
			Summary:  "One page of the ACTIVE listings of assets sourced in a region.",
		},
		{
			ID: "listListingsBySeller", Method: "GET", Path: "/v1/participants/{sellerId}/listings", Tag: "listings",
			Function: "listings:ListBySeller",
			Summary:  "One page of a seller's listings of every status.",
		},
	}
}
