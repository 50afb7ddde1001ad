package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// chinaStandardTime is the zone of the market's days and weeks.
var chinaStandardTime = time.FixedZone("CST", 8*3600)

// windowFlags read a window of time of what a command counts.
type windowFlags struct {
	from, to string
	value    client.MarketWindow // read before the command connects
}

// windowUsage is the help of --from and --to: what a window counts.
type windowUsage struct{ from, to string }

var (
	tradesWindow = windowUsage{
		from: "count trades completed at or after this: RFC 3339, or a date (its midnight, China Standard Time)",
		to:   "count trades completed before this: RFC 3339, or a date (its midnight, China Standard Time)",
	}
	// A lookup counts by its day: the days whose midnight is in the window.
	lookupsWindow = windowUsage{
		from: "count the lookups of the days (China Standard Time) that start at or after this: RFC 3339, or a date (its midnight)",
		to:   "count the lookups of the days (China Standard Time) that start before this: RFC 3339, or a date (its midnight)",
	}
)

// add adds --from and --to to cmd, and reads them into w.value before the
// command runs, so that a bad time is a usage error before any connection.
func (w *windowFlags) add(cmd *cobra.Command, usage windowUsage) {
	cmd.Flags().StringVar(&w.from, "from", "", usage.from)
	cmd.Flags().StringVar(&w.to, "to", "", usage.to)
	cmd.PreRunE = func(*cobra.Command, []string) (err error) {
		w.value, err = w.window()
		return err
	}
}

func (w *windowFlags) window() (client.MarketWindow, error) {
	var out client.MarketWindow
	for _, f := range []struct {
		name, value string
		dst         *time.Time
	}{{"from", w.from, &out.From}, {"to", w.to, &out.To}} {
		if f.value == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339, f.value); err == nil {
			*f.dst = t
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", f.value, chinaStandardTime)
		if err != nil {
			return out, usagef("--%s %q: want RFC 3339 or a date (2026-05-01)", f.name, f.value)
		}
		*f.dst = t
	}
	return out, nil
}

func fen(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func (a *app) marketCommand() *cobra.Command {
	return group("market", "Market statistics: volumes, disclosed prices, the price index and credit lookup counts (computed by the gateway)",
		`The gateway computes these off chain from the trades and credit lookups it
indexes; every answer says the block it is complete up to. Only FIXED prices
are public: a negotiated trade counts in the volumes only. Amounts are in fen.
Credit lookup counts are for operators and the regulator: an operator's leave
out every day on which fewer queriers than the answer's minimumCount looked
from one region at the other, so that no count names a lookup.`,
		a.marketStatsCommand(),
		a.marketPriceIndexCommand(),
		a.marketCreditLookupsCommand())
}

// marketCreditLookupsCommand is `market credit-lookups`.
func (a *app) marketCreditLookupsCommand() *cobra.Command {
	var lw windowFlags
	lookups := &cobra.Command{
		Use:   "credit-lookups [--from TIME] [--to TIME]",
		Short: "Credit lookups per region of the querier and of the subject (operators and the regulator; an operator's counts leave out the days of few lookups)",
		Example: `  deltaledger --org shanghai --role regulator market credit-lookups --from 2026-05-01 --to 2026-06-01 -o table
  deltaledger --org jiangsu --role operator market credit-lookups --from 2026-05-01 -o table`,
		Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			res, err := c.Market().CreditLookups(ctx, lw.value, client.IndexQuery{})
			return tableAnswerOf(res, err, a.printCreditLookupsTable)
		}),
	}
	lw.add(lookups, lookupsWindow)
	return lookups
}

// marketStatsCommand is `market stats`.
func (a *app) marketStatsCommand() *cobra.Command {
	var groupBy string
	var sw windowFlags
	stats := &cobra.Command{
		Use:   "stats [--group-by region|category|region,category] [--from TIME] [--to TIME]",
		Short: "Volume and disclosed prices of completed trades per region and/or category",
		Example: `  deltaledger --org jiangsu --role buyer market stats -o table
  deltaledger --org shanghai --role regulator market stats --group-by region --from 2026-01-01`,
		Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			res, err := c.Market().Statistics(ctx, client.MarketStatisticsQuery{GroupBy: groupBy, MarketWindow: sw.value})
			return tableAnswerOf(res, err, a.printStatisticsTable)
		}),
	}
	stats.Flags().StringVar(&groupBy, "group-by", "", "region, category or region,category (the default)")
	sw.add(stats, tradesWindow)
	return stats
}

// marketPriceIndexCommand is `market price-index`.
func (a *app) marketPriceIndexCommand() *cobra.Command {
	var q client.PriceIndexQuery
	var iw windowFlags
	priceIndex := &cobra.Command{
		Use:     "price-index [--category SLUG] [--region REGION] [--interval day|week] [--from TIME] [--to TIME]",
		Short:   "Average disclosed price per day or week, and an index relative to the first interval (1000)",
		Example: "  deltaledger --org shanghai --role regulator market price-index --category transport --interval week -o table",
		Args:    exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			query := q
			query.MarketWindow = iw.value
			res, err := c.Market().PriceIndex(ctx, query)
			return tableAnswerOf(res, err, a.printPriceIndexTable)
		}),
	}
	priceIndex.Flags().StringVar(&q.Category, "category", "", "only trades of assets of this category (default: all)")
	priceIndex.Flags().StringVar(&q.Region, "region", "", "only trades supervised by this region's exchange (default: all)")
	priceIndex.Flags().StringVar(&q.Interval, "interval", "", "day (the default) or week")
	iw.add(priceIndex, tradesWindow)
	return priceIndex
}

// printStatisticsTable prints the market's statistics as a table of the
// groups and their total, over the block they are complete up to.
func (a *app) printStatisticsTable(res *ledgerindex.MarketStatistics) error {
	total := ledgerindex.MarketGroup{Region: "TOTAL", MarketFigures: res.Total}
	if err := printList(a, seqOf(append(res.Groups, total)), 0, []column[ledgerindex.MarketGroup]{
		col("REGION", func(g ledgerindex.MarketGroup) string { return g.Region }),
		col("CATEGORY", func(g ledgerindex.MarketGroup) string { return g.Category }),
		col("VOLUME", func(g ledgerindex.MarketGroup) string { return strconv.FormatInt(g.Volume, 10) }),
		col("DISCLOSED", func(g ledgerindex.MarketGroup) string { return strconv.FormatInt(g.DisclosedVolume, 10) }),
		col("UNDISCLOSED", func(g ledgerindex.MarketGroup) string { return strconv.FormatInt(g.UndisclosedVolume, 10) }),
		col("SUM_FEN", func(g ledgerindex.MarketGroup) string { return g.SumPriceFen.String() }),
		col("AVERAGE_FEN", func(g ledgerindex.MarketGroup) string { return fen(g.AveragePriceFen) }),
	}); err != nil {
		return err
	}
	_, err := fmt.Fprintf(a.stdout, "\ncomplete up to block %d\n", res.IndexedBlock)
	return err
}

// printCreditLookupsTable prints the credit lookup counts as a table of the
// pairs of regions and their total, over the block they are complete up
// to. Under an operator's answer a note (in the reader's language) says
// which days were left out.
func (a *app) printCreditLookupsTable(res *ledgerindex.CreditLookups) error {
	cols := []column[ledgerindex.CreditLookupCount]{
		col("QUERIER_REGION", func(c ledgerindex.CreditLookupCount) string { return c.QuerierRegion }),
		col("SUBJECT_REGION", func(c ledgerindex.CreditLookupCount) string { return c.SubjectRegion }),
		col("LOOKUPS", func(c ledgerindex.CreditLookupCount) string { return strconv.FormatInt(c.Lookups, 10) }),
	}
	if !res.Exact {
		a.say(notePrefix, ledgererr.Messagef("an operator's counts leave out every day on which a pair of regions had fewer than %d lookups, "+
			"and list no pair whose every day was left out; the regulator reads them exactly", res.MinimumCount))
	}
	total := ledgerindex.CreditLookupCount{QuerierRegion: "TOTAL", Lookups: res.Total}
	if err := printList(a, seqOf(append(res.Counts, total)), 0, cols); err != nil {
		return err
	}
	_, err := fmt.Fprintf(a.stdout, "\ncomplete up to block %d\n", res.IndexedBlock)
	return err
}

// printPriceIndexTable prints the price index as a table of its points,
// over its base and the block it is complete up to.
func (a *app) printPriceIndexTable(res *ledgerindex.PriceIndex) error {
	if err := printList(a, seqOf(res.Points), 0, []column[ledgerindex.PriceIndexPoint]{
		col("START", func(p ledgerindex.PriceIndexPoint) string { return p.Start }),
		col("VOLUME", func(p ledgerindex.PriceIndexPoint) string { return strconv.FormatInt(p.Volume, 10) }),
		col("DISCLOSED", func(p ledgerindex.PriceIndexPoint) string { return strconv.FormatInt(p.DisclosedVolume, 10) }),
		col("AVERAGE_FEN", func(p ledgerindex.PriceIndexPoint) string { return fen(p.AveragePriceFen) }),
		col("INDEX", func(p ledgerindex.PriceIndexPoint) string { return fen(p.Index) }),
	}); err != nil {
		return err
	}
	_, err := fmt.Fprintf(a.stdout, "\nbase %s (%s fen); complete up to block %d\n", res.Base, fen(res.BasePriceFen), res.IndexedBlock)
	return err
}
