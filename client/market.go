package client

import (
	"context"
	"math/big"
	"net/url"
	"time"
)

// MarketService reads what a gateway answers from its ledger index (a
// projection of the channel's blocks): the catalogue, portfolios, trade
// histories, the flow matrix, credit lookup counts, and the market
// statistics (volumes and disclosed prices of completed trades per region
// and category, and a price index).
// They are eventually consistent: each answer says the block it is complete
// up to (IndexedBlock). Only FIXED prices are public; a negotiated trade
// counts in the volumes only. Amounts are integer fen; days and weeks are
// those of China Standard Time. A gateway that keeps no index answers 404.
type MarketService struct{ c *Client }

// Market returns the market statistics.
func (c *Client) Market() *MarketService { return &MarketService{c} }

// Groupings of MarketStatistics and intervals of PriceIndex.
const (
	GroupByRegion         = "region"
	GroupByCategory       = "category"
	GroupByRegionCategory = "region,category"
	IntervalDay           = "day"
	IntervalWeek          = "week"
)

// MarketWindow bounds the completed trades counted.
type MarketWindow struct {
	// From counts trades completed at or after it; zero: from the
	// beginning.
	From time.Time
	// To counts trades completed before it; zero: no end.
	To time.Time
}

func (w MarketWindow) query(q url.Values) {
	if !w.From.IsZero() {
		q.Set("from", w.From.Format(time.RFC3339))
	}
	if !w.To.IsZero() {
		q.Set("to", w.To.Format(time.RFC3339))
	}
}

// MarketStatisticsQuery asks for the statistics of completed trades.
type MarketStatisticsQuery struct {
	// GroupBy is GroupByRegion, GroupByCategory or GroupByRegionCategory
	// (the gateway's default when "").
	GroupBy string
	MarketWindow
}

// PriceIndexQuery asks for the price index of one category and region.
type PriceIndexQuery struct {
	// Category limits the trades to assets of a category; "" for all.
	Category string
	// Region limits the trades to those a region's exchange supervised
	// (the seller's region); "" for all.
	Region string
	// Interval is IntervalDay (the gateway's default when "") or
	// IntervalWeek.
	Interval string
	MarketWindow
}

// MarketFigures are the statistics of a set of completed trades.
type MarketFigures struct {
	// Volume is the number of completed trades.
	Volume int64 `json:"volume"`
	// DisclosedVolume is the number of them at a public (FIXED) price.
	DisclosedVolume int64 `json:"disclosedVolume"`
	// UndisclosedVolume is the number at a confidential negotiated price.
	UndisclosedVolume int64 `json:"undisclosedVolume"`
	// SumPriceFen is the sum of the disclosed prices, exact at any size.
	SumPriceFen *big.Int `json:"sumPriceFen"`
	// AveragePriceFen is SumPriceFen / DisclosedVolume rounded down; nil
	// when no price was disclosed.
	AveragePriceFen *int64 `json:"averagePriceFen,omitempty"`
}

// MarketGroup is the statistics of one group of completed trades.
type MarketGroup struct {
	// Region is the group's region (the seller's), when grouped by region.
	Region string `json:"region,omitempty"`
	// Category is the group's asset category, when grouped by category.
	Category string `json:"category,omitempty"`
	MarketFigures
}

// IndexHeight is how far the gateway's ledger index has read the ledger:
// the block an answer reflects.
type IndexHeight struct {
	// IndexedBlock is the last block indexed: the answer reflects the ledger
	// as of the end of it.
	IndexedBlock uint64 `json:"indexedBlock"`
}

// MarketStatistics answers Statistics.
type MarketStatistics struct {
	// GroupBy is what the groups are.
	GroupBy string `json:"groupBy"`
	// From is the start of the window asked for (RFC 3339), when given.
	From string `json:"from,omitempty"`
	// To is the end of the window asked for (RFC 3339), when given.
	To string `json:"to,omitempty"`
	// Groups are the groups with at least one completed trade, by region
	// then category.
	Groups []MarketGroup `json:"groups"`
	// Total sums every group.
	Total MarketFigures `json:"total"`
	IndexHeight
}

// PriceIndexPoint is one interval of the price index.
type PriceIndexPoint struct {
	// Start is the first instant of the interval (RFC 3339, China
	// Standard Time).
	Start string `json:"start"`
	// End is the first instant after it.
	End string `json:"end"`
	MarketFigures
	// Index is AveragePriceFen × 1000 / the base interval's average,
	// rounded down; nil when no price was disclosed in the interval.
	Index *int64 `json:"index,omitempty"`
}

// PriceIndex answers PriceIndex.
type PriceIndex struct {
	// Category is the category asked for ("" for all).
	Category string `json:"category,omitempty"`
	// Region is the region asked for ("" for all).
	Region string `json:"region,omitempty"`
	// Interval is day or week.
	Interval string `json:"interval"`
	// From is the start of the window asked for (RFC 3339), when given.
	From string `json:"from,omitempty"`
	// To is the end of the window asked for (RFC 3339), when given.
	To string `json:"to,omitempty"`
	// Base is the start of the base interval (index 1000), the first with a
	// disclosed price.
	Base string `json:"base,omitempty"`
	// BasePriceFen is the base interval's average disclosed price.
	BasePriceFen *int64 `json:"basePriceFen,omitempty"`
	// Points are the intervals with at least one completed trade, oldest
	// first.
	Points []PriceIndexPoint `json:"points"`
	IndexHeight
}

// Statistics returns the volume and disclosed prices of completed trades
// per group (any member).
func (s *MarketService) Statistics(ctx context.Context, q MarketStatisticsQuery) (*MarketStatistics, error) {
	v := url.Values{}
	if q.GroupBy != "" {
		v.Set("groupBy", q.GroupBy)
	}
	q.MarketWindow.query(v)
	var out MarketStatistics
	if err := s.c.get(ctx, "/v1/market/statistics", v, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PriceIndex returns the average disclosed price per day or week and the
// index relative to the first interval (any member).
func (s *MarketService) PriceIndex(ctx context.Context, q PriceIndexQuery) (*PriceIndex, error) {
	v := url.Values{}
	for k, val := range map[string]string{"category": q.Category, "region": q.Region, "interval": q.Interval} {
		if val != "" {
			v.Set(k, val)
		}
	}
	q.MarketWindow.query(v)
	var out PriceIndex
	if err := s.c.get(ctx, "/v1/market/price-index", v, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
