package routes

import (
	"slices"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
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

// marketQuery is the query of a market figure over a window of time:
// read-your-writes, the figure's own parameters, then the window (from, to),
// in the order the document lists them.
func marketQuery(params ...Param) []Param {
	return slices.Concat([]Param{minBlockParam}, params, marketWindow())
}

func marketRoutes() []Route {
	return []Route{
		Answered(Handlers.MarketStatistics, GatewayRoute{
			Operation: Operation{ID: "getMarketStatistics", Method: "GET", Path: "/v1/market/statistics", Tag: "market",
				Summary: "Volume and disclosed prices of completed trades, per region and/or category.",
				Description: "Per group (the seller's region, the asset's category, or both): the number of completed trades (volume), " +
					"how many had a disclosed (FIXED) price and how many an undisclosed (negotiated) one, the sum of the disclosed prices and their average. " +
					"Groups without a completed trade in the window are absent; total sums every group.\n\n" + marketNote,
			},
			Response: ledgerindex.MarketStatistics{},
			Query: marketQuery(
				query(model.Field{Name: "groupBy", Type: model.TypeString, Optional: true, Enum: []string{ledgerindex.GroupByRegion, ledgerindex.GroupByCategory, ledgerindex.GroupByRegionCategory},
					Description: "What the groups are: region, category, or region,category (the default)."}),
			),
		}),
		Answered(Handlers.PriceIndex, GatewayRoute{
			Operation: Operation{ID: "getMarketPriceIndex", Method: "GET", Path: "/v1/market/price-index", Tag: "market",
				Summary: "Average disclosed price per day or week, and a price index relative to the first interval.",
				Description: "A time series, oldest first, of the intervals with at least one completed trade of the category and region asked for (all when absent): " +
					"the interval's volume and its average disclosed (FIXED) price, and index = that average × 1000 / the average of the first interval that has one (base), rounded down, " +
					"so the base interval is 1000 and 1100 means 10% dearer.\n\n" + marketNote,
			},
			Response: ledgerindex.PriceIndex{},
			Query: marketQuery(
				query(model.CategoryField.AsOptional().Describe("Only trades of assets of this category. Default: every category.")),
				query(model.RegionField.AsOptional().Describe("Only trades supervised by this region's exchange (the seller's region). Default: every region.")),
				query(model.Field{Name: "interval", Type: model.TypeString, Optional: true, Enum: []string{ledgerindex.IntervalDay, ledgerindex.IntervalWeek},
					Description: "The length of each interval: day (the default) or week."}),
			),
		}),
	}
}
