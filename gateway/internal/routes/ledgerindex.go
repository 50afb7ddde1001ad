package routes

import (
	"slices"
	"strconv"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// indexNote is what every answer of the ledger index shares.
const indexNote = "The index follows the ledger moments behind it: indexedBlock says the block the answer reflects (everything up to the end of it), " +
	"and ?minBlock=N waits (up to a few seconds) until the index has read block N, so that a client reads its own writes: " +
	"pass the block_number of the transaction it submitted. If the index has not reached it in time the answer is 503 with Retry-After. " +
	"A gateway that keeps no index (index.enabled false) answers 404."

// minBlockParam is the query parameter of read-your-writes.
var minBlockParam = query(model.Field{Name: "minBlock", Type: model.TypeInteger, Optional: true, Minimum: new(int64(0)),
	Description: "Wait until the index has read this block (bounded); 503 with Retry-After if it has not in time."})

// Pagination of the index's lists.
var (
	indexLimit  = Param{Field: model.PageSizeField.Named("limit"), In: InLimit}
	indexCursor = query(model.Field{Name: "cursor", Type: model.TypeString, Optional: true, MaxLength: 512, Description: cursorDescription})
)

// indexPage is the query of one page of an index's list: the filters
// given, then the page's size and cursor and read-your-writes, in the order
// the document lists them.
func indexPage(filters ...Param) []Param {
	return slices.Concat(filters, []Param{indexLimit, indexCursor, minBlockParam})
}

func ledgerIndexRoutes() []Route {
	return []Route{
		Answered(Handlers.Catalogue, GatewayRoute{
			Operation: Operation{ID: "searchCatalogue", Method: "GET", Path: "/v1/catalogue", Tag: "market",
				Summary: "Search the catalogue of data assets and their listings.",
				Description: "Assets (registered ones unless status says otherwise) matching every filter given, each with its ACTIVE listings. " +
					"q matches text in the ID, name, description and category (case-insensitive substring); price bounds select assets with an ACTIVE listing in the range. " +
					"Any member may search: assets and listings are public on the ledger. " + indexNote,
			},
			Response: ledgerindex.CataloguePage{},
			Query: indexPage(
				query(model.Field{Name: "q", Type: model.TypeString, Optional: true, MaxLength: model.MaxAssetNameLength,
					Description: "Text to find in the asset's ID, name, description or category."}),
				query(model.CategoryField.AsOptional().Describe("Only assets of this category.")),
				query(model.RegionField.AsOptional().Describe("Only assets registered with this region's exchange.")),
				query(model.DivisionField.AsOptional().Describe("Only assets located in this administrative division (GB/T 2260, model.Divisions): "+
					"a province, a city or a district and everything in it.")),
				query(model.Field{Name: "seller", Type: model.TypeString, Optional: true, Pattern: model.IDPattern,
					Description: "Only assets this participant holds or lists."}),
				query(model.Field{Name: "minPriceFen", Type: model.TypeInteger, Optional: true, Minimum: new(int64(0)), Maximum: new(model.MaxAmountFen),
					Description: "Only assets with an ACTIVE listing at this price or more (fen)."}),
				query(model.Field{Name: "maxPriceFen", Type: model.TypeInteger, Optional: true, Minimum: new(int64(0)), Maximum: new(model.MaxAmountFen),
					Description: "Only assets with an ACTIVE listing at this price or less (fen)."}),
				query(model.Field{Name: "status", Type: model.TypeString, Optional: true,
					Enum:        []string{model.AssetPendingReview, model.AssetRejected, model.AssetPublicNotice, model.AssetWithdrawn, model.AssetRegistered},
					Description: "Registration status (default REGISTERED)."}),
				query(model.Field{Name: "sort", Type: model.TypeString, Optional: true, Enum: []string{ledgerindex.SortNewest, ledgerindex.SortName, ledgerindex.SortPrice, ledgerindex.SortPriceDesc},
					Description: "newest (registration, the default), name, price (lowest ACTIVE listing price first; unlisted assets last) or -price."}),
			),
		}),
		Answered(Handlers.Portfolio, GatewayRoute{
			Operation: Operation{ID: "getPortfolio", Method: "GET", Path: "/v1/participants/{id}/portfolio", Tag: "market",
				Summary: "A participant's rights, with the assets they are over.",
				Description: "The rights the participant holds (ACTIVE ones unless status says otherwise), ordered by asset and right ID. " +
					"A right's status reads as rights:Get reads it: an ACTIVE right whose validUntil has come is EXPIRED, at the gateway's clock. " +
					"Any member may read them, as with rights:ListByHolder. " + indexNote,
			},
			Response: ledgerindex.Portfolio{},
			Query: indexPage(
				query(model.Field{Name: "status", Type: model.TypeString, Optional: true, Enum: model.RightStatuses,
					Description: "Status of the rights as they read now (default ACTIVE)."}),
			),
		}),
		Answered(Handlers.TradeHistory, GatewayRoute{
			Operation: Operation{ID: "getTradeHistory", Method: "GET", Path: "/v1/participants/{id}/trade-history", Tag: "market", Roles: []string{model.RoleOperator, model.RoleRegulator},
				Summary: "The trades a participant bought or sold in, newest first.",
				Description: "Every trade the participant is the buyer or the seller of, in any status, newest first. " +
					"Whom trades:ListByParticipant answers may read it (the participant itself, the regulator, an operator of the participant's region), which the gateway asks the chaincode first; anyone else gets 403. " +
					"An operator is shown, as that list shows it, only the trades trades:Get answers it: listed in its region, or bought by a member of an org the market rules in force bind to its region. " +
					"A negotiated price is confidential and never in the index: only FIXED trades carry a price. " + indexNote,
			},
			Response: ledgerindex.TradeHistory{}, Query: indexPage(),
		}),
		Answered(Handlers.TradeFlows, GatewayRoute{
			Operation: Operation{ID: "getTradeFlows", Method: "GET", Path: "/v1/market/flows", Tag: "market",
				Summary: "The cross-region trade flow matrix: completed trades from each seller region to each buyer region.",
				Description: "Per pair (seller's region, buyer's region) the number of completed trades, how many at a disclosed (FIXED) price, and the sum of those prices (fen). " +
					"Any member may read it. " + indexNote,
			},
			Response: ledgerindex.TradeFlows{}, Query: marketQuery(),
		}),
		Answered(Handlers.CreditLookupCounts, GatewayRoute{
			Operation: Operation{ID: "getCreditLookupCounts", Method: "GET", Path: "/v1/market/credit-lookups", Tag: "market", Roles: []string{model.RoleOperator, model.RoleRegulator},
				Summary: "How many credit lookups were made, per region of the one who looked and region of the subject.",
				Description: "Counts of committed query traces (credit:RequestQuery) per pair of regions; who looked at whom is the subject's and the regulator's business and is not in the index. " +
					"Days are those of China Standard Time. Operators and the regulator may read it; anyone else gets 403. " +
					"The regulator's answer is exact. In an operator's, a day's count of a pair that fewer than minimumCount (" + strconv.Itoa(ledgerindex.MinimumCreditLookupCount) + ") distinct queriers made is withheld before the days are summed, " +
					"so that no count, total or difference of two windows names a lookup: a pair with every day withheld is not listed, no answer says how many days were withheld, and total sums what is shown. " + indexNote,
			},
			Response: ledgerindex.CreditLookups{}, Query: marketQuery(),
		}),
	}
}
