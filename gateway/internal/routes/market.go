package routes

import (
	"math/big"

	"github.com/deltaledger/deltaledger/model"
)

// Names of the market operations, which the gateway answers from its
// off-chain ledger index (package index) instead of the chaincode.
const (
	HandlerMarketStatistics = "marketStatistics"
	HandlerPriceIndex       = "priceIndex"
)

// Grouping and intervals of the market statistics.
const (
	GroupByRegion         = "region"
	GroupByCategory       = "category"
	GroupByRegionCategory = "region,category"
	IntervalDay           = "day"
	IntervalWeek          = "week"
)

// timePattern is an RFC 3339 instant, or a date (midnight China Standard
// Time).
const timePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2}))?$`

const marketNote = "Market statistics are computed off chain, by this gateway, from its ledger index (SQLite or PostgreSQL), " +
	"a projection of the channel's blocks; a trade counts from the transaction that completed it. " +
	indexNote + " Only FIXED prices are public and enter prices, sums and averages; " +
	"a negotiated price is confidential and never in the index: such trades count in volume and undisclosedVolume only. " +
	"Amounts are integer fen; averages and the index are rounded down. Days and weeks (Monday to Sunday) are those of China Standard Time (UTC+08:00). " +
	"Any member may read them; a gateway that keeps no index (index.enabled false) answers 404."

func marketWindow() []Param {
	return []Param{
		query(model.Field{Name: "from", Type: model.TypeString, Optional: true, Pattern: timePattern,
			Description: "Count trades completed at or after this instant: RFC 3339, or a date (its midnight, China Standard Time). Default: the beginning."}),
		query(model.Field{Name: "to", Type: model.TypeString, Optional: true, Pattern: timePattern,
			Description: "Count trades completed before this instant (exclusive): RFC 3339, or a date (its midnight, China Standard Time). Default: no end."}),
	}
}

func marketRoutes() []Route {
	return []Route{
		{
			ID: "getMarketStatistics", Method: "GET", Path: "/v1/market/statistics", Tag: "market", Handler: HandlerMarketStatistics,
			Summary: "Volume and disclosed prices of completed trades, per region and/or category.",
			Description: "Per group (the seller's region, the asset's category, or both): the number of completed trades (volume), " +
				"how many had a disclosed (FIXED) price and how many an undisclosed (negotiated) one, the sum of the disclosed prices and their average. " +
				"Groups without a completed trade in the window are absent; total sums every group.\n\n" + marketNote,
			Response: MarketStatisticsBody{},
			Query: append([]Param{minBlockParam,
				query(model.Field{Name: "groupBy", Type: model.TypeString, Optional: true, Enum: []string{GroupByRegion, GroupByCategory, GroupByRegionCategory},
					Description: "What the groups are: region, category, or region,category (the default)."}),
			}, marketWindow()...),
		},
		{
			ID: "getMarketPriceIndex", Method: "GET", Path: "/v1/market/price-index", Tag: "market", Handler: HandlerPriceIndex,
			Summary: "Average disclosed price per day or week, and a price index relative to the first interval.",
			Description: "A time series, oldest first, of the intervals with at least one completed trade of the category and region asked for (all when absent): " +
				"the interval's volume and its average disclosed (FIXED) price, and index = that average × 1000 / the average of the first interval that has one (base), rounded down, " +
				"so the base interval is 1000 and 1100 means 10% dearer.\n\n" + marketNote,
			Response: PriceIndexBody{},
			Query: append([]Param{minBlockParam,
				query(model.CategoryField.AsOptional().Describe("Only trades of assets of this category. Default: every category.")),
				query(model.RegionField.AsOptional().Describe("Only trades supervised by this region's exchange (the seller's region). Default: every region.")),
				query(model.Field{Name: "interval", Type: model.TypeString, Optional: true, Enum: []string{IntervalDay, IntervalWeek},
					Description: "The length of each interval: day (the default) or week."}),
			}, marketWindow()...),
		},
	}
}

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

// MarketStatisticsBody answers GET /v1/market/statistics.
type MarketStatisticsBody struct {
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

// PriceIndexBody answers GET /v1/market/price-index.
type PriceIndexBody struct {
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
