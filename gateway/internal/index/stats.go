package index

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// ChinaStandardTime is the calendar of the market's days and weeks: the
// exchanges' UTC+08:00, which has no daylight saving time.
var ChinaStandardTime = time.FixedZone("CST", 8*60*60)

// cstOffset is ChinaStandardTime's offset in seconds, for the SQL below.
const cstOffset = 8 * 60 * 60

// cstDay numbers the day (China Standard Time) of a Unix time.
func cstDay(unix int64) int64 { return (unix + cstOffset) / 86400 }

// Window bounds the times counted: From inclusive, To exclusive; a zero
// time leaves that side open.
type Window struct {
	From, To time.Time
}

// where adds the window's conditions on a column of Unix seconds. Ledger
// times are whole seconds, so a bound inside a second counts from the next
// one.
func (w Window) where(column string, clauses []string, args []any) ([]string, []any) {
	if !w.From.IsZero() {
		clauses, args = append(clauses, column+" >= ?"), append(args, ceilSeconds(w.From))
	}
	if !w.To.IsZero() {
		clauses, args = append(clauses, column+" < ?"), append(args, ceilSeconds(w.To))
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

// priceSum is how the statistics sum prices without overflowing 64 bits in
// either database: each price is split into its billions and its remainder,
// which are summed apart (neither sum overflows below a billion trades) and
// joined exactly in Go.
//
// The rule for any index of the market: never accumulate money in int64;
// sums are exact integers of any size (big.Int, a JSON integer), and an
// average, at most the highest price, is computed from the exact sum.
const priceSum = "CAST(COALESCE(SUM(price_fen / 1000000000), 0) AS BIGINT), CAST(COALESCE(SUM(price_fen % 1000000000), 0) AS BIGINT)"

// sum is an exact sum of prices in fen.
type sum struct{ big.Int }

var billion = big.NewInt(1_000_000_000)

// add adds the two parts of a priceSum.
func (s *sum) add(hi, lo int64) {
	var h big.Int
	h.Mul(big.NewInt(hi), billion)
	s.Add(&s.Int, &h)
	s.Add(&s.Int, big.NewInt(lo))
}

// mean is the sum divided by n, rounded down; it always fits 64 bits,
// being no more than the largest price.
func (s *sum) mean(n int64) int64 {
	var q big.Int
	q.Quo(&s.Int, big.NewInt(n))
	return q.Int64()
}

// figures turns the counts of a set of trades into their statistics.
func figures(volume, disclosed int64, total *sum) ledgerindex.MarketFigures {
	f := ledgerindex.MarketFigures{Volume: volume, DisclosedVolume: disclosed, UndisclosedVolume: volume - disclosed,
		SumPriceFen: new(big.Int).Set(&total.Int)}
	if disclosed > 0 {
		avg := total.mean(disclosed) // prices are not negative: rounds down
		f.AveragePriceFen = &avg
	}
	return f
}

// groupColumns are the SQL columns of each grouping (a whitelist: nothing
// from the request reaches the SQL text).
var groupColumns = map[string][]string{
	ledgerindex.GroupByRegion:         {"region"},
	ledgerindex.GroupByCategory:       {"category"},
	ledgerindex.GroupByRegionCategory: {"region", "category"},
}

// Statistics counts the completed trades of the window per group
// (ledgerindex.GroupByRegion, GroupByCategory or GroupByRegionCategory), with
// the block the answer reflects, read in one snapshot.
func (x *Index) Statistics(ctx context.Context, groupBy string, w Window) (*ledgerindex.MarketStatistics, error) {
	cols, ok := groupColumns[groupBy]
	if !ok {
		return nil, fmt.Errorf("unknown grouping %q", groupBy)
	}
	where, args := w.where("completed_at", []string{"completed_at IS NOT NULL"}, nil)
	query := "SELECT " + strings.Join(cols, ", ") + ", COUNT(*), COUNT(price_fen), " + priceSum + " FROM trades WHERE " +
		strings.Join(where, " AND ") + " GROUP BY " + strings.Join(cols, ", ") + " ORDER BY " + strings.Join(cols, ", ")

	out := &ledgerindex.MarketStatistics{GroupBy: groupBy}
	out.From, out.To = w.strings()
	return snapshot(ctx, x, out, &out.IndexHeight, func(t *tx) (err error) {
		var volume, disclosed int64
		var total sum
		out.Groups, err = queryAll(ctx, t, query, args, func(rows *sql.Rows) (ledgerindex.MarketGroup, error) {
			var g ledgerindex.MarketGroup
			var n, d, hi, lo int64
			var dest []any
			for _, c := range cols {
				if c == "region" {
					dest = append(dest, &g.Region)
				} else {
					dest = append(dest, &g.Category)
				}
			}
			if err := rows.Scan(append(dest, &n, &d, &hi, &lo)...); err != nil {
				return g, err
			}
			var s sum
			s.add(hi, lo)
			g.MarketFigures = figures(n, d, &s)
			volume, disclosed = volume+n, disclosed+d
			total.add(hi, lo)
			return g, nil
		})
		out.Total = figures(volume, disclosed, &total)
		return err
	})
}

// PriceIndexQuery selects the trades of a price index.
type PriceIndexQuery struct {
	// Category and Region filter the trades; empty means every one.
	Category, Region string
	// Interval is ledgerindex.IntervalDay or ledgerindex.IntervalWeek.
	Interval string
	Window
}

// PriceIndex returns the average disclosed price per interval and the index
// relative to the first interval that has one (×1000, rounded down), with
// the block the answer reflects, read in one snapshot.
func (x *Index) PriceIndex(ctx context.Context, q PriceIndexQuery) (*ledgerindex.PriceIndex, error) {
	// Intervals are numbered in China Standard Time: days from the epoch,
	// and weeks from the Monday before it (1970-01-01 was a Thursday).
	var bucket string
	var length int64
	switch q.Interval {
	case ledgerindex.IntervalDay:
		bucket, length = fmt.Sprintf("(completed_at + %d) / 86400", cstOffset), 86400
	case ledgerindex.IntervalWeek:
		bucket, length = fmt.Sprintf("((completed_at + %d) / 86400 + 3) / 7", cstOffset), 7*86400
	default:
		return nil, fmt.Errorf("unknown interval %q", q.Interval)
	}
	where := []string{"completed_at IS NOT NULL"}
	var args []any
	if q.Category != "" {
		where, args = append(where, "category = ?"), append(args, q.Category)
	}
	if q.Region != "" {
		where, args = append(where, "region = ?"), append(args, q.Region)
	}
	where, args = q.Window.where("completed_at", where, args)
	query := "SELECT " + bucket + " AS b, COUNT(*), COUNT(price_fen), " + priceSum + " FROM trades WHERE " +
		strings.Join(where, " AND ") + " GROUP BY b ORDER BY b"

	out := &ledgerindex.PriceIndex{Category: q.Category, Region: q.Region, Interval: q.Interval}
	out.From, out.To = q.Window.strings()
	var base int64
	return snapshot(ctx, x, out, &out.IndexHeight, func(t *tx) (err error) {
		out.Points, err = queryAll(ctx, t, query, args, func(rows *sql.Rows) (ledgerindex.PriceIndexPoint, error) {
			var b, volume, disclosed, hi, lo int64
			if err := rows.Scan(&b, &volume, &disclosed, &hi, &lo); err != nil {
				return ledgerindex.PriceIndexPoint{}, err
			}
			start := b*86400 - cstOffset // the day's midnight
			if q.Interval == ledgerindex.IntervalWeek {
				start = (b*7-3)*86400 - cstOffset // the week's Monday
			}
			var s sum
			s.add(hi, lo)
			p := ledgerindex.PriceIndexPoint{
				Start:         time.Unix(start, 0).In(ChinaStandardTime).Format(time.RFC3339),
				End:           time.Unix(start+length, 0).In(ChinaStandardTime).Format(time.RFC3339),
				MarketFigures: figures(volume, disclosed, &s),
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
			return p, nil
		})
		return err
	})
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

// snapshot reads an answer of the index in one read transaction: read fills
// out, and at, out's IndexHeight, is set to the block that transaction saw,
// so that every figure of the answer and the block it names come from one
// snapshot.
func snapshot[T any](ctx context.Context, x *Index, out *T, at *ledgerindex.IndexHeight, read func(*tx) error) (*T, error) {
	return readOnce(ctx, x, func(t *tx) (*T, error) {
		if err := read(t); err != nil {
			return nil, err
		}
		var err error
		if *at, err = height(ctx, t); err != nil {
			return nil, err
		}
		return out, nil
	})
}

// height is the block an answer read in t reflects.
func height(ctx context.Context, t *tx) (ledgerindex.IndexHeight, error) {
	next, err := readCheckpoint(ctx, t)
	if err != nil {
		return ledgerindex.IndexHeight{}, err
	}
	if next == 0 {
		return ledgerindex.IndexHeight{}, nil
	}
	return ledgerindex.IndexHeight{IndexedBlock: next - 1}, nil
}
