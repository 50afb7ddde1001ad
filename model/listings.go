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

// ListingClosing takes a listing off the market for a step that writes no
// listing (ListingClosedKeyType): the sale of the holding it offers, which
// makes it SOLD, or the move of that holding away from its seller, which
// makes the seller's listings of the asset DELISTED. A listing's record was
// its seller's org's alone before interface 18.0.0, and no majority can
// change that key's policy, so a step that wrote it needed that org: a
// hostile seller's org, or one removed from the market, withheld its
// endorsement and held a paid sale from completing for good. The closing
// is a new key, which needs the chaincode-level policy (a majority of the
// orgs) and no org writes alone; a listing with one reads as it says
// (Close), whatever its record says.
type ListingClosing struct {
	ListingID string `json:"listingId"`
	// Status is SOLD or DELISTED.
	Status string `json:"status"`
	// StatusReason is why a DELISTED listing left the market; a SOLD one
	// keeps the reason its record has.
	StatusReason string `json:"statusReason,omitempty"`
	// SoldTradeID is the trade that bought a SOLD listing.
	SoldTradeID string `json:"soldTradeId,omitempty"`
	// At is when the listing left the market: its UpdatedAt from then on.
	At string `json:"at"`
}

// KeyAttrs is the listing's ID.
func (c *ListingClosing) KeyAttrs() []string { return []string{c.ListingID} }

// Close makes l read as closing c says, when c is l's: its status, its
// buyer's trade and the reason it left, dated at c.
func (c *ListingClosing) Close(l *Listing) {
	if c.ListingID != l.ID {
		return
	}
	l.Status, l.UpdatedAt = c.Status, c.At
	if c.SoldTradeID != "" {
		l.SoldTradeID = c.SoldTradeID
	}
	if c.StatusReason != "" {
		l.StatusReason = c.StatusReason
	}
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

// listingChange is the endorsement of a change to a listing: its key is
// under a majority of the orgs from interface 18.0.0, and the change writes
// a price point or deletes index entries, which need a majority anyway; a
// listing created before is under its seller's org alone, which no
// majority can change.
var listingChange = majorityOfOrgs.noted("a listing created before interface 18.0.0: the seller's org among them (its key is its org's alone)")

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
		textField("reason", MaxListingReasonLength, "Why the price changes.")}}.endorsedBy(listingChange),
	Function{Name: "Delist", Returns: Listing{}, Params: []Field{listingID, textField("reason", MaxListingReasonLength, "Why.")}}.endorsedBy(listingChange),
	Function{Name: "Get", Evaluate: true, Returns: Listing{}, Params: []Field{listingID}},
	Function{Name: "PriceHistory", Evaluate: true, Returns: PriceHistory{}, Params: []Field{listingID}},
	Function{Name: "ListByCategory", Evaluate: true, Returns: ListingPage{}, Params: list(CategoryField.Describe("The category slug."))},
	Function{Name: "ListByRegion", Evaluate: true, Returns: ListingPage{}, Params: list(RegionField)},
	Function{Name: "ListBySeller", Evaluate: true, Returns: ListingPage{}, Params: list(idField("sellerId", "seller"))},
)
