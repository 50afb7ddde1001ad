package routes

import (
	"github.com/deltaledger/deltaledger/model"
)

func listingRoutes() []Route {
	return []Route{
		ChaincodeRoute{
			Operation: Operation{ID: "createListing", Method: "POST", Path: "/v1/listings", Tag: "listings", Roles: []string{model.RoleHolder}, Created: true,
				Summary:     "List one right over one asset at a price.",
				Description: "The caller must be entitled to offer the right; an asset has at most one ACTIVE HOLDING listing.",
			},
			Function: "listings:Create",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getListing", Method: "GET", Path: "/v1/listings/{id}", Tag: "listings",
				Summary: "A listing (public market information).",
			},
			Function: "listings:Get",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "updateListingPrice", Method: "POST", Path: "/v1/listings/{id}/price", Tag: "listings", Roles: []string{model.RoleHolder},
				Summary:     "Set a new price on an ACTIVE listing; the old one stays in its price history.",
				Description: "Only the seller may. Trades already started keep their price.",
			},
			Function: "listings:UpdatePrice",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "delistListing", Method: "POST", Path: "/v1/listings/{id}/delist", Tag: "listings", Roles: []string{model.RoleHolder, model.RoleOperator},
				Summary:     "Withdraw an ACTIVE listing from the market.",
				Description: "The seller or an operator of the listing's region may.",
			},
			Function: "listings:Delist",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getListingPriceHistory", Method: "GET", Path: "/v1/listings/{id}/price-history", Tag: "listings",
				Summary: "Every price the listing has had, oldest first.",
			},
			Function: "listings:PriceHistory",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listListingsByCategory", Method: "GET", Path: "/v1/categories/{category}/listings", Tag: "listings",
				Summary: "One page of the ACTIVE listings of a data category.",
			},
			Function: "listings:ListByCategory",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listListingsByRegion", Method: "GET", Path: "/v1/regions/{region}/listings", Tag: "listings",
				Summary: "One page of the ACTIVE listings of assets sourced in a region.",
			},
			Function: "listings:ListByRegion",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listListingsBySeller", Method: "GET", Path: "/v1/participants/{sellerId}/listings", Tag: "listings",
				Summary: "One page of a seller's listings of every status.",
			},
			Function: "listings:ListBySeller",
		},
	}
}
