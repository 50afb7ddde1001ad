package routes

import "github.com/deltaledger/deltaledger/chaincode/listings"

func listingRoutes() []Route {
	id := idParam("id", "listing")
	price := Param{Name: "priceFen", In: InBody, Type: Integer, Required: true, Minimum: ptr(1),
		Description: "Price in integer fen (CNY cents); the asking price of a negotiable listing."}
	return []Route{
		{
			ID: "createListing", Method: "POST", Path: "/v1/listings", Tag: "listings",
			Function: "listings:Create", Submit: true, Created: true, Roles: []string{RoleHolder},
			Summary:     "List one right over one asset at a price.",
			Description: "The caller must be entitled to offer the right; an asset has at most one ACTIVE HOLDING listing.",
			Params: []Param{
				bodyID("id", "listing"),
				{Name: "assetId", In: InBody, Type: String, Required: true, Pattern: idPattern, Description: "The asset."},
				{Name: "rightType", In: InBody, Type: String, Required: true, Enum: []string{"HOLDING", "USE", "OPERATION"},
					Description: "HOLDING sells the holding itself; USE and OPERATION license a right."},
				{Name: "scope", In: InBody, Type: Object, Schema: scopeSchema,
					Description: "The scope a buyer of a USE or OPERATION right receives; omitted for HOLDING. " + scopeNote},
				{Name: "pricing", In: InBody, Type: String, Required: true, Enum: []string{"FIXED", "NEGOTIABLE"},
					Description: "FIXED (bought by ordering at the price) or NEGOTIABLE (trades negotiate)."},
				price,
				{Name: "termsHash", In: InBody, Type: String, Required: true, Pattern: hashPattern,
					Description: "SHA-256 (lowercase hex) of the listing's terms document."},
			},
			Result: returns((*listings.Contract).Create),
		},
		{
			ID: "getListing", Method: "GET", Path: "/v1/listings/{id}", Tag: "listings",
			Function: "listings:Get", Summary: "A listing (public market information).",
			Params: []Param{id}, Result: returns((*listings.Contract).Get),
		},
		{
			ID: "updateListingPrice", Method: "POST", Path: "/v1/listings/{id}/price", Tag: "listings",
			Function: "listings:UpdatePrice", Submit: true, Roles: []string{RoleHolder},
			Summary:     "Set a new price on an ACTIVE listing; the old one stays in its price history.",
			Description: "Only the seller may. Trades already started keep their price.",
			Params:      []Param{id, price, text("reason", "Why the price changes.", 500)},
			Result:      returns((*listings.Contract).UpdatePrice),
		},
		{
			ID: "delistListing", Method: "POST", Path: "/v1/listings/{id}/delist", Tag: "listings",
			Function: "listings:Delist", Submit: true, Roles: []string{RoleHolder, RoleOperator},
			Summary:     "Withdraw an ACTIVE listing from the market.",
			Description: "The seller or an operator of the listing's region may.",
			Params:      []Param{id, text("reason", "Why.", 500)},
			Result:      returns((*listings.Contract).Delist),
		},
		{
			ID: "getListingPriceHistory", Method: "GET", Path: "/v1/listings/{id}/price-history", Tag: "listings",
			Function: "listings:PriceHistory", Summary: "Every price the listing has had, oldest first.",
			Params: []Param{id}, Result: returns((*listings.Contract).PriceHistory),
		},
		{
			ID: "listListingsByCategory", Method: "GET", Path: "/v1/categories/{category}/listings", Tag: "listings",
			Function: "listings:ListByCategory", List: true,
			Summary: "One page of the ACTIVE listings of a data category.",
			Params: []Param{
				{Name: "category", In: InPath, Type: String, Required: true, MaxLength: 40, Pattern: `^[a-z0-9]+(-[a-z0-9]+)*$`, Description: "The category slug."},
				limitParam, cursorParam,
			},
			Result: items((*listings.Contract).ListByCategory),
		},
		{
			ID: "listListingsByRegion", Method: "GET", Path: "/v1/regions/{region}/listings", Tag: "listings",
			Function: "listings:ListByRegion", List: true,
			Summary: "One page of the ACTIVE listings of assets sourced in a region.",
			Params: []Param{
				{Name: "region", In: InPath, Type: String, Required: true, Enum: Regions, Description: regionsNote},
				limitParam, cursorParam,
			},
			Result: items((*listings.Contract).ListByRegion),
		},
		{
			ID: "listListingsBySeller", Method: "GET", Path: "/v1/participants/{sellerId}/listings", Tag: "listings",
			Function: "listings:ListBySeller", List: true,
			Summary: "One page of a seller's listings of every status.",
			Params:  []Param{idParam("sellerId", "seller"), limitParam, cursorParam},
			Result:  items((*listings.Contract).ListBySeller),
		},
	}
}
