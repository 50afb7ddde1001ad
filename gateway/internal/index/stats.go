package index

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
)

// ChinaStandardTime is the calendar of the market's days and weeks: the
// exchanges' UTC+08:00, which has no daylight saving time.
var ChinaStandardTime = time.FixedZone("CST", 8*60*60)

// cstOffset is ChinaStandardTime's offset in seconds, for the SQL below.
const cstOffset = 8 * 60 * 60

// Window bounds the completion times counted: From inclusive, To
// exclusive; a zero time leaves that side open.
type Window struct {
	From, To time.Time
}

// where adds the window's conditions. Trade times are whole seconds, so a
// bound inside a second counts from the next one.
func (w Window) where(clauses []string, args []any) ([]string, []any) {
	if !w.From.IsZero() {
		clauses, args = append(clauses, "time >= ?"), append(args, ceilSeconds(w.From))
	}
	if !w.To.IsZero() {
		clauses, args = append(clauses, "time < ?"), append(args, ceilSeconds(w.To))
	}
	return clauses, args
}

func ceilSeconds(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

func (w Window) strings() (from, to string) {
	if !w.From.IsZero() {
		from = w.From.Format(time.RFC3339Nano)
	}
	if !w.To.IsZero() {
		to = w.To.Format(time.RFC3339Nano)
	}
	return from, to
}

// groupColumns are the SQL columns of each grouping (a whitelist: nothing
// from the request reaches the SQL text).
var groupColumns = map[string][]string{
	routes.GroupByRegion:         {"region"},
	routes.GroupByCategory:       {"category"},
	routes.GroupByRegionCategory: {"region", "category"},
}

// sumColumns are the SQL sums a sum of prices is read from, exactly at any
// size: the sums of each price's quotient and remainder by priceSplit. A
// price is at most 10^15 fen (the chaincode's bound), so the quotients'
// sum stays inside int64 up to 9×10^12 trades and the remainders' up to
// 9×10^9, where a plain SUM(price_fen) overflows after 9,223 trades at the
// highest price. Go adds the two parts with math/big (sumOf).
//
// The rule for any index of the market: never accumulate money in int64;
// sums are exact integers of any size (big.Int, a JSON integer), and an
// average, at most the highest price, is computed from the exact sum.
const (
	priceSplit = 1_000_000_000
	sumColumns = "COALESCE(SUM(price_fen / 1000000000), 0), COALESCE(SUM(price_fen % 1000000000), 0)"
)

// sumOf is the exact sum of prices read as sumColumns.
func sumOf(quotients, remainders int64) *big.Int {
	sum := new(big.Int).Mul(big.NewInt(quotients), big.NewInt(priceSplit))
	return sum.Add(sum, big.NewInt(remainders))
}

// figures turns the counts of a set of trades into their statistics.
func figures(volume, disclosed int64, sum *big.Int) routes.MarketFigures {
	f := routes.MarketFigures{Volume: volume, DisclosedVolume: disclosed, UndisclosedVolume: volume - disclosed, SumPriceFen: new(big.Int).Set(sum)}
	if disclosed > 0 {
		// Prices are not negative, so the quotient rounds down; it is at
		// most the highest price, which fits int64.
		avg := new(big.Int).Quo(sum, big.NewInt(disclosed)).Int64()
		f.AveragePriceFen = &avg
	}
	return f
}

// Statistics counts the completed trades of the window per group
// (routes.GroupByRegion, GroupByCategory or GroupByRegionCategory), with
// the index's height, read in one snapshot.
func (x *Index) Statistics(ctx context.Context, groupBy string, w Window) (*routes.MarketStatisticsBody, error) {
	cols, ok := groupColumns[groupBy]
	if !ok {
		return nil, fmt.Errorf("unknown grouping %q", groupBy)
	}
	where, args := w.where(nil, nil)
	query := "SELECT " + strings.Join(cols, ", ") + ", COUNT(*), COUNT(price_fen), " + sumColumns + " FROM trades"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " GROUP BY " + strings.Join(cols, ", ") + " ORDER BY " + strings.Join(cols, ", ")

	tx, err := x.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out := &routes.MarketStatisticsBody{GroupBy: groupBy, Groups: []routes.MarketGroup{}}
	out.From, out.To = w.strings()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var total struct{ volume, disclosed int64 }
	totalSum := new(big.Int)
	for rows.Next() {
		var g routes.MarketGroup
		var volume, disclosed, quotients, remainders int64
		dest := []any{}
		for _, c := range cols {
			if c == "region" {
				dest = append(dest, &g.Region)
			} else {
				dest = append(dest, &g.Category)
			}
		}
		if err := rows.Scan(append(dest, &volume, &disclosed, &quotients, &remainders)...); err != nil {
			return nil, err
		}
		sum := sumOf(quotients, remainders)
		g.MarketFigures = figures(volume, disclosed, sum)
		out.Groups = append(out.Groups, g)
		total.volume += volume
		total.disclosed += disclosed
		totalSum.Add(totalSum, sum)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out.Total = figures(total.volume, total.disclosed, totalSum)
	if out.IndexHeight, err = height(ctx, tx); err != nil {
		return nil, err
	}
	return out, nil
}

// PriceIndexQuery selects the trades of a price index.
type PriceIndexQuery struct {
	// Category and Region filter the trades; empty means every one.
	Category, Region string
	// Interval is routes.IntervalDay or routes.IntervalWeek.
	Interval string
	Window
}

// PriceIndex returns the average disclosed price per interval and the index
// relative to the first interval that has one (×1000, rounded down), with
// the index's height, read in one snapshot.
func (x *Index) PriceIndex(ctx context.Context, q PriceIndexQuery) (*routes.PriceIndexBody, error) {
	// Intervals are numbered in China Standard Time: days from the epoch,
	// and weeks from the Monday before it (1970-01-01 was a Thursday).
	var bucket string
	var length int64
	switch q.Interval {
	case routes.IntervalDay:
		bucket, length = fmt.Sprintf("(time + %d) / 86400", cstOffset), 86400
	case routes.IntervalWeek:
		bucket, length = fmt.Sprintf("((time + %d) / 86400 + 3) / 7", cstOffset), 7*86400
	default:
		return nil, fmt.Errorf("unknown interval %q", q.Interval)
	}
	var where []string
	var args []any
	if q.Category != "" {
		where, args = append(where, "category = ?"), append(args, q.Category)
	}
	if q.Region != "" {
		where, args = append(where, "region = ?"), append(args, q.Region)
	}
	where, args = q.Window.where(where, args)
	query := "SELECT " + bucket + " AS b, COUNT(*), COUNT(price_fen), " + sumColumns + " FROM trades"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " GROUP BY b ORDER BY b"

	tx, err := x.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out := &routes.PriceIndexBody{Category: q.Category, Region: q.Region, Interval: q.Interval, Points: []routes.PriceIndexPoint{}}
	out.From, out.To = q.Window.strings()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var base int64
	for rows.Next() {
		var b, volume, disclosed, quotients, remainders int64
		if err := rows.Scan(&b, &volume, &disclosed, &quotients, &remainders); err != nil {
			return nil, err
		}
		sum := sumOf(quotients, remainders)
		start := b*86400 - cstOffset // the day's midnight
		if q.Interval == routes.IntervalWeek {
			start = (b*7-3)*86400 - cstOffset // the week's Monday
		}
		p := routes.PriceIndexPoint{
			Start:         time.Unix(start, 0).In(ChinaStandardTime).Format(time.RFC3339),
			End:           time.Unix(start+length, 0).In(ChinaStandardTime).Format(time.RFC3339),
			MarketFigures: figures(volume, disclosed, sum),
		}
		if avg := p.AveragePriceFen; avg != nil {
			if base == 0 && *avg > 0 {
				base = *avg
				out.Base, out.BasePriceFen = p.Start, &base
			}
			if base > 0 {
				i := relative(*avg, base)
				p.Index = &i
			}
		}
		out.Points = append(out.Points, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if out.IndexHeight, err = height(ctx, tx); err != nil {
		return nil, err
	}
	return out, nil
}

// relative is price × 1000 / base, rounded down, in integers only (128-bit
// intermediate; saturates instead of overflowing).
func relative(price, base int64) int64 {
	if price <= 0 || base <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(price), 1000)
	if hi >= uint64(base) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(base))
	if q > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(q)
}

// height is the index's position, as the answers report it.
func height(ctx context.Context, q querier) (routes.IndexHeight, error) {
	cp, err := readCheckpoint(ctx, q)
	if err != nil {
		return routes.IndexHeight{}, err
	}
	return routes.IndexHeight{IndexedBlock: cp.Block, IndexedTransactionID: cp.TransactionID}, nil
}
