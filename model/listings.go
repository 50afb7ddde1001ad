package model

// Listing statuses.
const (
	ListingActive   = "ACTIVE"   // on offer and in the browse indexes
	ListingDelisted = "DELISTED" // withdrawn by its seller or the exchange
	ListingSold     = "SOLD"     // a HOLDING listing whose trade completed
)

// ListingStatuses lists every status of a listing.
var ListingStatuses = []string{ListingActive, ListingDelisted, ListingSold}

// Pricing modes.
const (
	PricingFixed      = "FIXED"      // bought at the listed price by ordering
	PricingNegotiable = "NEGOTIABLE" // the price is an asking price; trades negotiate
)

// Pricings lists every pricing mode of a listing (and of its trades).
var Pricings = []string{PricingFixed, PricingNegotiable}

// MaxPriceChanges bounds the price history of one listing, so that reading it
// stays bounded; a seller who needs more delists and lists again.
const MaxPriceChanges = 500

// Listing offers one right over one asset.
type Listing struct {
	ID        string `json:"id"`
	AssetID   string `json:"assetId"`
	RightType string `json:"rightType"`
	// Scope is what a buyer of a USE or OPERATION right may do; a HOLDING
	// listing has none, because the whole holding is sold.
	Scope     *Scope `json:"scope,omitempty" metadata:",optional"`
	Pricing   string `json:"pricing"`
	PriceFen  int64  `json:"priceFen"`
	TermsHash string `json:"termsHash"`
	// Category and SourceRegion are copied from the asset so that the browse
	// indexes can be written without reading the asset again.
	Category     string `json:"category"`
	SourceRegion string `json:"sourceRegion"`
	SellerID     string `json:"sellerId"`
	SellerMSP    string `json:"sellerMsp"`
	// Region is the seller's region: its exchange supervises the listing and
	// the trades made on it.
	Region       string `json:"region"`
	Status       string `json:"status"`
	StatusReason string `json:"statusReason,omitempty" metadata:",optional"`
	// SoldTradeID is the trade that bought a SOLD listing, shown only to a
	// caller who may read that trade (trades:Get) and whom the listing names
	// as such: its seller, an operator of its region, the regulator (not
	// the buyer, which reads its trade through the trades contract): that
	// the listing sold is public, which trade bought it is not.
	SoldTradeID string `json:"soldTradeId,omitempty" metadata:",optional"`
	// PriceSeq is the sequence number of the current price in the price
	// history: 0 for the price the listing was created with.
	PriceSeq int `json:"priceSeq"`
	// TradeKeys is set on a listing created from interface 12.0.0 on: every
	// trade made on it is indexed under a simple key too, so that a sale's
	// closing of the others (trades:CloseOthers) reads each page as one
	// range from its bookmark on. The trades of an older listing are found
	// by reading its index from the start.
	TradeKeys bool   `json:"tradeKeys,omitempty" metadata:",optional"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// PricePoint is one entry of a listing's price history. Each is its own
// record keyed by (listing, seq): the listing record, written by every price
// change anyway, carries the sequence, so no extra shared key is rewritten.
type PricePoint struct {
	Seq      int    `json:"seq"`
	PriceFen int64  `json:"priceFen"`
	At       string `json:"at"`
	TxID     string `json:"txId"`
	Reason   string `json:"reason"`
}

// PriceHistory is every price a listing has had, oldest first.
type PriceHistory struct {
	ListingID string       `json:"listingId"`
	Items     []PricePoint `json:"items"`
}

// ListingPage is one page of a listing query. Contract-api names the
// schemas of returned types by their Go names across the whole chaincode, so
// page types carry their record's name.
type ListingPage struct{ Page[*Listing] }

// ListingEvent is the payload of every listing event.
type ListingEvent struct {
	ListingID string `json:"listingId"`
	AssetID   string `json:"assetId"`
	SellerID  string `json:"sellerId"`
	PriceFen  int64  `json:"priceFen,omitempty"`
}

// Events of the listings contract.
const (
	EventListingCreated      = "ListingCreated"
	EventListingPriceUpdated = "ListingPriceUpdated"
	EventListingDelisted     = "ListingDelisted"
)

var (
	listingID = idField("id", "listing")
	priceFen  = amountField("priceFen", "Price in integer fen (CNY cents); the asking price of a negotiable listing.")
)

// ListingsContract offers rights over registered assets.
var ListingsContract = contract("listings", "DeltaLedger listings",
	"Offers of rights over registered data assets, at fixed or negotiable prices",
	Function{Name: "Create", Returns: Listing{}, Params: []Field{
		newIDField("id", "listing"),
		assetIDNamed,
		enumField("rightType", RightTypes, "HOLDING sells the holding itself; USE and OPERATION license a right."),
		scopeField("The scope a buyer of a USE or OPERATION right receives; omitted for HOLDING.").AsOptional(),
		enumField("pricing", Pricings, "FIXED (bought by ordering at the price) or NEGOTIABLE (trades negotiate)."),
		priceFen,
		hashField("termsHash", "SHA-256 (lowercase hex) of the listing's terms document."),
	}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "UpdatePrice", Returns: Listing{}, Params: []Field{listingID, priceFen,
		textField("reason", MaxListingReasonLength, "Why the price changes.")}}.endorsedBy(chaincodePolicyWith(PartySeller)),
	Function{Name: "Delist", Returns: Listing{}, Params: []Field{listingID, textField("reason", MaxListingReasonLength, "Why.")}}.endorsedBy(chaincodePolicyWith(PartySeller)),
	Function{Name: "Get", Evaluate: true, Returns: Listing{}, Params: []Field{listingID}},
	Function{Name: "PriceHistory", Evaluate: true, Returns: PriceHistory{}, Params: []Field{listingID}},
	Function{Name: "ListByCategory", Evaluate: true, Returns: ListingPage{}, Params: list(CategoryField.Describe("The category slug."))},
	Function{Name: "ListByRegion", Evaluate: true, Returns: ListingPage{}, Params: list(RegionField)},
	Function{Name: "ListBySeller", Evaluate: true, Returns: ListingPage{}, Params: list(idField("sellerId", "seller"))},
)
