// Package listings is the market's shop window: a listing offers one right
// over one registered data asset (a use licence with its scope, an operation
// right, or the holding itself) at a price in integer fen, fixed or
// negotiable, with terms identified by their hash.
//
// A HOLDING listing is sold once: when its trade completes it becomes SOLD.
// A USE or OPERATION listing offers a licence that can be issued many times,
// so it stays ACTIVE until its seller delists it.
//
// Price changes are kept as history, one record per change (see PricePoint).
package listings

import (
	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
)

// Listing statuses.
const (
	StatusActive   = "ACTIVE"   // on offer and in the browse indexes
	StatusDelisted = "DELISTED" // withdrawn by its seller or the exchange
	StatusSold     = "SOLD"     // a HOLDING listing whose trade completed
)

// Pricing modes.
const (
	PricingFixed      = "FIXED"      // bought at the listed price by ordering
	PricingNegotiable = "NEGOTIABLE" // the price is an asking price; trades negotiate
)

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
	Scope     *domain.Scope `json:"scope,omitempty" metadata:",optional"`
	Pricing   string        `json:"pricing"`
	PriceFen  string        `json:"priceFen"`
	TermsHash string        `json:"termsHash"`
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
	SoldTradeID  string `json:"soldTradeId,omitempty" metadata:",optional"`
	// PriceSeq is the sequence number of the current price in the price
	// history: 0 for the price the listing was created with.
	PriceSeq  int    `json:"priceSeq"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// PricePoint is one entry of a listing's price history. Each is its own
// record keyed by (listing, seq): the listing record, written by every price
// change anyway, carries the sequence, so no extra shared key is rewritten.
type PricePoint struct {
	Seq      int    `json:"seq"`
	PriceFen string `json:"priceFen"`
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
type ListingPage struct {
	Items    []*Listing `json:"items"`
	Bookmark string     `json:"bookmark"`
}
