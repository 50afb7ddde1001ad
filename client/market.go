package client

import (
	"context"
	"net/url"
	"time"

	"github.com/deltaledger/deltaledger/model/ledgerindex"
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

// narrowed is the query of the window narrowed by q, as the market's flows
// and credit lookups take it.
func (w MarketWindow) narrowed(q IndexQuery) url.Values {
	v := url.Values{}
	w.query(v)
	q.query(v)
	return v
}

// MarketStatisticsQuery asks for the statistics of completed trades.
type MarketStatisticsQuery struct {
	// GroupBy is ledgerindex.GroupByRegion, GroupByCategory or
	// GroupByRegionCategory
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
	// Interval is ledgerindex.IntervalDay (the gateway's default when "")
	// or IntervalWeek.
	Interval string
	MarketWindow
}

// Statistics returns the volume and disclosed prices of completed trades
// per group (any member).
func (s *MarketService) Statistics(ctx context.Context, q MarketStatisticsQuery) (*ledgerindex.MarketStatistics, error) {
	v := url.Values{}
	if q.GroupBy != "" {
		v.Set("groupBy", q.GroupBy)
	}
	q.MarketWindow.query(v)
	return getQuery[ledgerindex.MarketStatistics](ctx, s.c, "/v1/market/statistics", v)
}

// PriceIndex returns the average disclosed price per day or week and the
// index relative to the first interval (any member).
func (s *MarketService) PriceIndex(ctx context.Context, q PriceIndexQuery) (*ledgerindex.PriceIndex, error) {
	v := url.Values{}
	setGiven(v, map[string]string{"category": q.Category, "region": q.Region, "interval": q.Interval})
	q.MarketWindow.query(v)
	return getQuery[ledgerindex.PriceIndex](ctx, s.c, "/v1/market/price-index", v)
}
