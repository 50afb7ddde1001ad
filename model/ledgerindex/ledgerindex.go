// Package ledgerindex is what a gateway answers from its ledger index (a
// projection of the channel's blocks kept off chain, in SQLite or
// PostgreSQL), as it travels over the wire: the market statistics and price
// index, the catalogue, portfolios, trade histories, the flow matrix and the
// credit lookup counts, a period's monitoring figures (the published
// indices) as a gateway computes them, and the published periods newest
// first. The gateway's index builds these answers and the
// SDK decodes them; both take the types from here. Like package model it
// imports nothing of Fabric.
package ledgerindex

import (
	"math/big"

	"github.com/deltaledger/deltaledger/model"
)

// Grouping and intervals of the market statistics.
const (
	GroupByRegion         = "region"
	GroupByCategory       = "category"
	GroupByRegionCategory = "region,category"
	IntervalDay           = "day"
	IntervalWeek          = "week"
)

// Sort orders of the catalogue.
const (
	SortNewest    = "newest"
	SortName      = "name"
	SortPrice     = "price"
	SortPriceDesc = "-price"
)

// MarketFigures are the statistics of a set of completed trades. Only
// disclosed (FIXED) prices enter the price figures; every amount is in fen.
type MarketFigures struct {
	// Volume is the number of completed trades.
	Volume int64 `json:"volume"`
	// DisclosedVolume is the number of them at a public (FIXED) price.
	DisclosedVolume int64 `json:"disclosedVolume"`
	// UndisclosedVolume is the number of them at a negotiated price, which
	// is confidential and not in the index.
	UndisclosedVolume int64 `json:"undisclosedVolume"`
	// SumPriceFen is the sum of the disclosed prices: a JSON integer of any
	// size, exact (many trades at high prices sum past int64).
	SumPriceFen *big.Int `json:"sumPriceFen"`
	// AveragePriceFen is SumPriceFen / DisclosedVolume rounded down; absent
	// when no price was disclosed.
	AveragePriceFen *int64 `json:"averagePriceFen,omitempty"`
}

// MarketGroup is the statistics of one group of completed trades.
type MarketGroup struct {
	// Region is the group's region (the seller's, whose exchange supervised
	// the trade), when grouped by region.
	Region string `json:"region,omitempty"`
	// Category is the group's asset category, when grouped by category.
	Category string `json:"category,omitempty"`
	MarketFigures
}

// IndexHeight is how far the ledger index has read the ledger: the block
// an answer reflects.
type IndexHeight struct {
	// IndexedBlock is the last block indexed: the answer reflects the
	// ledger as of the end of this block (0 before the first).
	IndexedBlock uint64 `json:"indexedBlock"`
}

// MarketStatistics answers GET /v1/market/statistics.
type MarketStatistics struct {
	// GroupBy is what the groups are: region, category or region,category.
	GroupBy string `json:"groupBy"`
	// From is the start of the window (inclusive), RFC 3339, when given.
	From string `json:"from,omitempty"`
	// To is the end of the window (exclusive), RFC 3339, when given.
	To string `json:"to,omitempty"`
	// Groups are the groups with at least one completed trade, ordered by
	// region, then category.
	Groups []MarketGroup `json:"groups"`
	// Total is the statistics of every trade counted.
	Total MarketFigures `json:"total"`
	IndexHeight
}

// PriceIndexPoint is one interval of the price index.
type PriceIndexPoint struct {
	// Start is the first instant of the interval (RFC 3339, China Standard
	// Time).
	Start string `json:"start"`
	// End is the first instant after it.
	End string `json:"end"`
	MarketFigures
	// Index is AveragePriceFen × 1000 / the base interval's average,
	// rounded down; absent when no price was disclosed in the interval.
	Index *int64 `json:"index,omitempty"`
}

// PriceIndex answers GET /v1/market/price-index.
type PriceIndex struct {
	// Category is the category asked for; absent for every category.
	Category string `json:"category,omitempty"`
	// Region is the region asked for; absent for every region.
	Region string `json:"region,omitempty"`
	// Interval is day or week.
	Interval string `json:"interval"`
	// From is the start of the window (inclusive), RFC 3339, when given.
	From string `json:"from,omitempty"`
	// To is the end of the window (exclusive), RFC 3339, when given.
	To string `json:"to,omitempty"`
	// Base is the start of the base interval (index 1000): the first with a
	// disclosed price; absent when there is none.
	Base string `json:"base,omitempty"`
	// BasePriceFen is the base interval's average disclosed price.
	BasePriceFen *int64 `json:"basePriceFen,omitempty"`
	// Points are the intervals with at least one completed trade, oldest
	// first.
	Points []PriceIndexPoint `json:"points"`
	IndexHeight
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

// CataloguePage answers GET /v1/catalogue.
type CataloguePage struct {
	Items []CatalogueAsset `json:"items"`
	// NextCursor fetches the next page; absent on the last.
	NextCursor string `json:"next_cursor,omitempty"`
	IndexHeight
}

// PortfolioRight is one right of a portfolio.
type PortfolioRight struct {
	RightID string `json:"rightId"`
	Type    string `json:"type"`
	// Status is how the right reads now, as rights:Get reads it
	// (model.StatusInChain).
	Status string `json:"status"`
	// StatusFrom is the revoked right up the parent chain the status is
	// read from, when that is not the right itself.
	StatusFrom string `json:"statusFrom,omitempty"`
	Origin     string `json:"origin"`
	Purpose    string `json:"purpose"`
	ValidUntil string `json:"validUntil"`
	IssuedAt   string `json:"issuedAt"`
	// OfferExpiresAt is, for a right that reads OFFERED, when the offer
	// lapses unless its grantee accepts it (model.Right.OfferLapsesAt: its
	// recorded offerExpiresAt, or for an offer made before that was
	// recorded, model.OfferWindow after it was issued, never after its
	// term); absent for any other right, so that a grantee listing its
	// offers sees each one's deadline.
	OfferExpiresAt string `json:"offerExpiresAt,omitempty"`
	AssetID        string `json:"assetId"`
	AssetName      string `json:"assetName"`
	AssetCategory  string `json:"assetCategory"`
}

// Portfolio answers GET /v1/participants/{id}/portfolio.
type Portfolio struct {
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

// TradeHistory answers GET /v1/participants/{id}/trade-history.
type TradeHistory struct {
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

// TradeFlows answers GET /v1/market/flows.
type TradeFlows struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Flows are the pairs with at least one completed trade, ordered by
	// seller region, then buyer region.
	Flows []TradeFlow `json:"flows"`
	IndexHeight
}

// MinimumCreditLookupCount is the smallest number of distinct queriers
// whose lookups in one day (China Standard Time) by one querier region at
// one subject region an operator is shown; a day-cell fewer made is
// withheld from an operator's answer before the days are summed (the
// regulator reads every count). A count of 1 names a lookup: who (in a
// region that may have few queriers) looked at which region's enterprise
// on which day, which is the subject's and the regulator's business. 5 is
// the threshold of official statistics' primary suppression (a cell is
// published only when at least five contributed): below it a count is
// small enough to point at one querier, at it each querier hides among at
// least four others of its day. Contributors, not lookups: one querier's
// five lookups would name it, and an operator entitled to a subject of the
// region could pad a withheld day with lookups of its own until it showed
// and read the others' count as the rest.
const MinimumCreditLookupCount = 5

// CreditLookupCount is the number of lookups for one pair of regions.
type CreditLookupCount struct {
	QuerierRegion string `json:"querierRegion"`
	// SubjectRegion is the subject enterprise's region; empty when the
	// subject is no participant of the market.
	SubjectRegion string `json:"subjectRegion"`
	// Lookups is the sum over the window's days of the pair's day counts
	// the answer shows: every count when the answer is exact, only those
	// that at least MinimumCount queriers made otherwise. How many days were left out is
	// not said: a count of the withheld days, read for two windows a day
	// apart, would date the lookups the threshold hides.
	Lookups int64 `json:"lookups"`
}

// CreditLookups answers GET /v1/market/credit-lookups.
type CreditLookups struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Exact is true in the regulator's answer, which shows every count;
	// false in an operator's, whose day counts fewer than MinimumCount
	// queriers made are withheld.
	Exact bool `json:"exact"`
	// MinimumCount is the smallest number of distinct queriers of a pair's
	// day whose count the answer shows: MinimumCreditLookupCount in an
	// operator's answer, 1 (every count) in the regulator's.
	MinimumCount int64 `json:"minimumCount"`
	// Counts are the pairs with lookups shown, ordered by querier region,
	// then subject region. In an operator's answer a pair whose every day
	// was withheld is not listed.
	Counts []CreditLookupCount `json:"counts"`
	// Total is the sum of the Lookups of Counts: in an operator's answer
	// the shown counts only, so that it recovers no withheld day.
	Total int64 `json:"total"`
	IndexHeight
}

// AllCategories names every category together in the figures.
const AllCategories = "*"

// DivisionFigures are the monitoring figures of one division and category
// in a period.
type DivisionFigures struct {
	// Division is a division code (model.Division) or model.DeltaDivision;
	// Level is its level (model.LevelDistrict, ...).
	Division string `json:"division"`
	Level    string `json:"level"`
	Category string `json:"category"`
	// Registrations are the assets certified in the period.
	Registrations int64 `json:"registrations"`
	// Listings are the listings created in the period.
	Listings int64 `json:"listings"`
	// Trades are the trades completed in the period; DisclosedTrades those
	// at a public (FIXED) price.
	Trades          int64 `json:"trades"`
	DisclosedTrades int64 `json:"disclosedTrades"`
	// DisclosedValueFen is the exact sum of the disclosed prices, a JSON
	// integer of any size.
	DisclosedValueFen *big.Int `json:"disclosedValueFen"`
	// MeanPriceFen and MedianPriceFen are over the disclosed prices,
	// rounded down (the median of an even count is the mean of the middle
	// two); absent without a disclosed trade.
	MeanPriceFen   *int64 `json:"meanPriceFen,omitempty"`
	MedianPriceFen *int64 `json:"medianPriceFen,omitempty"`
}

// PriceIndexFigure is a chained price index of a category (or AllCategories)
// at the period.
type PriceIndexFigure struct {
	Category string `json:"category"`
	// Index is 1000 at the base period (the first with a disclosed trade of
	// the category), then chained: each period with disclosed trades
	// multiplies the last index by its median price over the median of the
	// last earlier period that had disclosed trades. Rounded down.
	Index int64 `json:"index"`
	// BasePeriod is the period where the index is 1000.
	BasePeriod string `json:"basePeriod"`
	// Traded is false when the period itself had no disclosed trade of the
	// category: the index is carried over unchanged.
	Traded bool `json:"traded"`
}

// ActivityFigure is the market activity index of a district in the period.
type ActivityFigure struct {
	Division string `json:"division"`
	// Activity is registrations + listings + completed trades.
	Activity int64 `json:"activity"`
	// Index is Activity × 1000 / the mean activity of the districts with
	// any activity in the period, rounded down: 1000 is an average district.
	Index int64 `json:"index"`
}

// PeriodFigures are the published figures of a period: every region's
// gateway computes the same document, byte for byte, from its own index.
type PeriodFigures struct {
	Period string `json:"period"`
	// Start and End bound the period (China Standard Time, RFC 3339).
	Start string `json:"start"`
	End   string `json:"end"`
	// FromBlock and ToBlock are the blocks counted: transactions in blocks
	// up to ToBlock whose time is in the period.
	FromBlock  uint64             `json:"fromBlock"`
	ToBlock    uint64             `json:"toBlock"`
	Divisions  []DivisionFigures  `json:"divisions"`
	PriceIndex []PriceIndexFigure `json:"priceIndex"`
	Activity   []ActivityFigure   `json:"activity"`
}

// ComputedIndices answers the computation of a period's figures: the
// figures, their canonical JSON's hash, the hash of the input rows and the
// digest an org attests.
type ComputedIndices struct {
	Figures     PeriodFigures `json:"figures"`
	FiguresHash string        `json:"figuresHash"`
	InputHash   string        `json:"inputHash"`
	InputRows   int           `json:"inputRows"`
	Digest      string        `json:"digest"`
	IndexHeight
}

// PublishedIndices answers GET /v1/indices: the published periods, newest
// first (by the period's end, then its start), in the order the ledger
// index read their publications; each item is the publication as the chain
// answers indices:GetPublished (as indices:Get would), which only a
// majority of the regions' attestations make it answer.
type PublishedIndices struct {
	Items []model.Publication `json:"items"`
	// NextCursor fetches the next page; absent on the last.
	NextCursor string `json:"next_cursor,omitempty"`
	IndexHeight
}
