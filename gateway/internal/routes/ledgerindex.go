package routes

import "github.com/deltaledger/deltaledger/model"

// Names of the operations the gateway answers from its ledger index
// (package index).
const (
	HandlerCatalogue    = "catalogue"
	HandlerPortfolio    = "portfolio"
	HandlerTradeHistory = "tradeHistory"
	HandlerTradeFlows   = "tradeFlows"
	HandlerCreditCounts = "creditLookupCounts"
)

// Sort orders of the catalogue.
const (
	SortNewest    = "newest"
	SortName      = "name"
	SortPrice     = "price"
	SortPriceDesc = "-price"
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

func ledgerIndexRoutes() []Route {
	return []Route{
		{
			ID: "searchCatalogue", Method: "GET", Path: "/v1/catalogue", Tag: "market", Handler: HandlerCatalogue,
			Summary: "Search the catalogue of data assets and their listings.",
			Description: "Assets (registered ones unless status says otherwise) matching every filter given, each with its ACTIVE listings. " +
				"q matches text in the ID, name, description and category (case-insensitive substring); price bounds select assets with an ACTIVE listing in the range. " +
				"Any member may search: assets and listings are public on the ledger. " + indexNote,
			Response: CatalogueBody{},
			Query: []Param{
				query(model.Field{Name: "q", Type: model.TypeString, Optional: true, MaxLength: model.MaxAssetNameLength,
					Description: "Text to find in the asset's ID, name, description or category."}),
				query(model.CategoryField.AsOptional().Describe("Only assets of this category.")),
				query(model.RegionField.AsOptional().Describe("Only assets registered with this region's exchange.")),
				query(model.DivisionField.AsOptional().Describe("Only assets located in this administrative division (GB/T 2260, model.Divisions): " +
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
				query(model.Field{Name: "sort", Type: model.TypeString, Optional: true, Enum: []string{SortNewest, SortName, SortPrice, SortPriceDesc},
					Description: "newest (registration, the default), name, price (lowest ACTIVE listing price first; unlisted assets last) or -price."}),
				indexLimit, indexCursor, minBlockParam,
			},
		},
		{
			ID: "getPortfolio", Method: "GET", Path: "/v1/participants/{id}/portfolio", Tag: "market", Handler: HandlerPortfolio,
			Summary: "A participant's rights, with the assets they are over.",
			Description: "The rights the participant holds (ACTIVE ones unless status says otherwise), ordered by asset and right ID. " +
				"A right's status reads as rights:Get reads it: an ACTIVE right whose validUntil has come is EXPIRED, at the gateway's clock. " +
				"Any member may read them, as with rights:ListByHolder. " + indexNote,
			Response: PortfolioBody{},
			Query: []Param{
				query(model.Field{Name: "status", Type: model.TypeString, Optional: true, Enum: []string{model.RightActive, model.RightExpired, model.RightRevoked, model.RightSuperseded},
					Description: "Status of the rights as they read now (default ACTIVE)."}),
				indexLimit, indexCursor, minBlockParam,
			},
		},
		{
			ID: "getTradeHistory", Method: "GET", Path: "/v1/participants/{id}/trade-history", Tag: "market", Handler: HandlerTradeHistory,
			Summary: "The trades a participant bought or sold in, newest first.",
			Description: "Every trade the participant is the buyer or the seller of, in any status, newest first. " +
				"The participant itself, an operator or the regulator may read it (as trades:ListByParticipant); anyone else gets 403. " +
				"A negotiated price is confidential and never in the index: only FIXED trades carry a price. " + indexNote,
			Roles:    []string{model.RoleOperator, model.RoleRegulator},
			Response: TradeHistoryBody{},
			Query:    []Param{indexLimit, indexCursor, minBlockParam},
		},
		{
			ID: "getTradeFlows", Method: "GET", Path: "/v1/market/flows", Tag: "market", Handler: HandlerTradeFlows,
			Summary: "The cross-region trade flow matrix: completed trades from each seller region to each buyer region.",
			Description: "Per pair (seller's region, buyer's region) the number of completed trades, how many at a disclosed (FIXED) price, and the sum of those prices (fen). " +
				"Any member may read it. " + indexNote,
			Response: TradeFlowsBody{},
			Query:    append([]Param{minBlockParam}, marketWindow()...),
		},
		{
			ID: "getCreditLookupCounts", Method: "GET", Path: "/v1/market/credit-lookups", Tag: "market", Handler: HandlerCreditCounts,
			Summary: "How many credit lookups were made, per region of the one who looked and region of the subject.",
			Description: "Counts of committed query traces (credit:RequestQuery) per pair of regions; who looked at whom is the subject's and the regulator's business and is not in the index. " +
				"Days are those of China Standard Time. Operators and the regulator may read it; anyone else gets 403. " + indexNote,
			Roles:    []string{model.RoleOperator, model.RoleRegulator},
			Response: CreditLookupsBody{},
			Query:    append([]Param{minBlockParam}, marketWindow()...),
		},
	}
}

// CatalogueListing is an ACTIVE listing of a catalogue entry.
type CatalogueListing struct {
	ID        string `json:"id"`
	RightType string `json:"rightType"`
	Pricing   string `json:"pricing"`
	// PriceFen is the listed (for NEGOTIABLE: asking) price.
	PriceFen int64  `json:"priceFen"`
	SellerID string `json:"sellerId"`
}

// CatalogueAsset is one entry of the catalogue.
type CatalogueAsset struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Description    string `json:"description"`
	Category       string `json:"category"`
	SourceRegion   string `json:"sourceRegion"`
	ExchangeRegion string `json:"exchangeRegion"`
	// Division is the asset's administrative division code (GB/T 2260),
	// when it has one.
	Division string `json:"division,omitempty"`
	HolderID string `json:"holderId"`
	Status   string `json:"status"`
	// RegisteredAt is when it was certified (RFC 3339), once it is.
	RegisteredAt string `json:"registeredAt,omitempty"`
	// MinPriceFen is the lowest price of its ACTIVE listings, if any.
	MinPriceFen *int64             `json:"minPriceFen,omitempty"`
	Listings    []CatalogueListing `json:"listings"`
}

// CatalogueBody answers GET /v1/catalogue.
type CatalogueBody struct {
	Items []CatalogueAsset `json:"items"`
	// NextCursor fetches the next page; absent on the last.
	NextCursor string `json:"next_cursor,omitempty"`
	IndexHeight
}

// PortfolioRight is one right of a portfolio.
type PortfolioRight struct {
	RightID       string `json:"rightId"`
	Type          string `json:"type"`
	Status        string `json:"status"`
	Origin        string `json:"origin"`
	Purpose       string `json:"purpose"`
	ValidUntil    string `json:"validUntil"`
	IssuedAt      string `json:"issuedAt"`
	AssetID       string `json:"assetId"`
	AssetName     string `json:"assetName"`
	AssetCategory string `json:"assetCategory"`
}

// PortfolioBody answers GET /v1/participants/{id}/portfolio.
type PortfolioBody struct {
	ParticipantID string           `json:"participantId"`
	Items         []PortfolioRight `json:"items"`
	NextCursor    string           `json:"next_cursor,omitempty"`
	IndexHeight
}

// TradeHistoryItem is one trade of a participant's history.
type TradeHistoryItem struct {
	TradeID   string `json:"tradeId"`
	ListingID string `json:"listingId"`
	AssetID   string `json:"assetId"`
	Category  string `json:"category"`
	RightType string `json:"rightType"`
	// Side is BUYER or SELLER: the participant's side of the trade.
	Side         string `json:"side"`
	Counterparty string `json:"counterparty"`
	SellerRegion string `json:"sellerRegion"`
	BuyerRegion  string `json:"buyerRegion"`
	Pricing      string `json:"pricing"`
	// PriceFen is the public price of a FIXED trade; absent for a
	// negotiated one.
	PriceFen    *int64 `json:"priceFen,omitempty"`
	Status      string `json:"status"`
	CreatedAt   string `json:"createdAt"`
	CompletedAt string `json:"completedAt,omitempty"`
}

// TradeHistoryBody answers GET /v1/participants/{id}/trade-history.
type TradeHistoryBody struct {
	ParticipantID string             `json:"participantId"`
	Items         []TradeHistoryItem `json:"items"`
	NextCursor    string             `json:"next_cursor,omitempty"`
	IndexHeight
}

// TradeFlow is one cell of the flow matrix.
type TradeFlow struct {
	SellerRegion string `json:"sellerRegion"`
	BuyerRegion  string `json:"buyerRegion"`
	MarketFigures
}

// TradeFlowsBody answers GET /v1/market/flows.
type TradeFlowsBody struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Flows are the pairs with at least one completed trade, ordered by
	// seller region, then buyer region.
	Flows []TradeFlow `json:"flows"`
	IndexHeight
}

// CreditLookupCount is the number of lookups for one pair of regions.
type CreditLookupCount struct {
	QuerierRegion string `json:"querierRegion"`
	// SubjectRegion is the subject enterprise's region; empty when the
	// subject is no participant of the market.
	SubjectRegion string `json:"subjectRegion"`
	Lookups       int64  `json:"lookups"`
}

// CreditLookupsBody answers GET /v1/market/credit-lookups.
type CreditLookupsBody struct {
	From   string              `json:"from,omitempty"`
	To     string              `json:"to,omitempty"`
	Counts []CreditLookupCount `json:"counts"`
	Total  int64               `json:"total"`
	IndexHeight
}
