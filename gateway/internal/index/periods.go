package index

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// ErrBadPeriod is a period that is not day:YYYY-MM-DD or month:YYYY-MM.
type ErrBadPeriod struct{ Err error }

func (e ErrBadPeriod) Error() string { return e.Err.Error() }

// fact is one input row of the published indices.
type fact struct {
	kind, ref, tx, division, category string
	block, at                         int64
	price                             sql.NullInt64
}

// line is the fact's canonical text, which the input hash covers.
func (f fact) line() string {
	price := ""
	if f.price.Valid {
		price = fmt.Sprint(f.price.Int64)
	}
	return fmt.Sprintf("%s|%s|%d|%s|%d|%s|%s|%s\n", f.kind, f.ref, f.block, f.tx, f.at, f.division, f.category, price)
}

// ComputePeriod computes the published figures of a period from the index:
// the facts (registrations, listings, completed trades) of blocks up to
// toBlock whose time is in the period. The index must have read toBlock
// (else a *BehindError). Every region's gateway computes the same figures,
// byte for byte, from the same blocks; figures is their canonical JSON.
// The figures of a period at a block never change once the index has read
// it: the latest are kept (computedCache), and only IndexHeight is read
// afresh. The answer shares its figures with the cache: callers read it.
func (x *Index) ComputePeriod(ctx context.Context, period string, toBlock uint64) (out *ledgerindex.ComputedIndices, figures string, err error) {
	start, end, err := model.ParsePeriod(period)
	if err != nil {
		return nil, "", ErrBadPeriod{err}
	}
	t, err := x.db.read(ctx)
	if err != nil {
		return nil, "", err
	}
	defer t.Rollback()
	next, err := readCheckpoint(ctx, t)
	if err != nil {
		return nil, "", err
	}
	if next <= toBlock {
		return nil, "", &BehindError{Want: toBlock, Have: next - min(next, 1), Empty: next == 0}
	}
	key := computedKey{period, toBlock}
	if c, ok := x.computed.get(key); ok {
		out := c.out
		out.IndexHeight, err = height(ctx, t)
		return &out, c.figures, err
	}
	if x.factsRead != nil {
		x.factsRead()
	}
	facts, err := readFacts(ctx, t, `SELECT kind, ref, block, tx_id, at, division, category, price_fen FROM market_facts
		WHERE block <= ? AND at >= ? AND at < ? ORDER BY kind, ref`, int64(toBlock), start.Unix(), end.Unix())
	if err != nil {
		return nil, "", err
	}
	sales, err := readFacts(ctx, t, `SELECT kind, ref, block, tx_id, at, division, category, price_fen FROM market_facts
		WHERE kind = 'SALE' AND price_fen IS NOT NULL AND block <= ? AND at < ? ORDER BY at, ref`, int64(toBlock), end.Unix())
	if err != nil {
		return nil, "", err
	}
	f := ledgerindex.PeriodFigures{Period: period, Start: start.Format(time.RFC3339), End: end.Format(time.RFC3339), FromBlock: toBlock, ToBlock: toBlock}
	h := sha256.New()
	for _, fc := range facts {
		h.Write([]byte(fc.line()))
		f.FromBlock = min(f.FromBlock, uint64(fc.block))
	}
	f.Divisions = divisionFigures(facts)
	f.PriceIndex = chainedIndex(period, sales)
	f.Activity = activity(facts)
	b, err := ledgerindex.CanonicalFigures(f)
	if err != nil {
		return nil, "", err
	}
	out = &ledgerindex.ComputedIndices{Figures: f, FiguresHash: model.FiguresHash(string(b)), InputHash: hex.EncodeToString(h.Sum(nil)), InputRows: len(facts)}
	out.Digest = model.IndicesDigest(period, f.FromBlock, f.ToBlock, out.InputHash, out.FiguresHash)
	x.computed.put(key, computation{*out, string(b)})
	out.IndexHeight, err = height(ctx, t)
	return out, string(b), err
}

func readFacts(ctx context.Context, t *tx, query string, args ...any) ([]fact, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fact
	for rows.Next() {
		var f fact
		if err := rows.Scan(&f.kind, &f.ref, &f.block, &f.tx, &f.at, &f.division, &f.category, &f.price); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

type accumulator struct {
	ledgerindex.DivisionFigures
	sum    sum
	prices []int64
}

// divisionFigures rolls the facts up per division (every level) and
// category (each, and all together).
func divisionFigures(facts []fact) []ledgerindex.DivisionFigures {
	acc := map[[3]string]*accumulator{}
	for _, f := range facts {
		for _, l := range model.RollUp(f.division) {
			for _, category := range []string{f.category, ledgerindex.AllCategories} {
				k := [3]string{l.Code, l.Level, category}
				a := acc[k]
				if a == nil {
					a = &accumulator{DivisionFigures: ledgerindex.DivisionFigures{Division: l.Code, Level: l.Level, Category: category}}
					acc[k] = a
				}
				switch f.kind {
				case factRegistration:
					a.Registrations++
				case factListing:
					a.Listings++
				case factSale:
					a.Trades++
					if f.price.Valid {
						a.DisclosedTrades++
						a.sum.add(f.price.Int64/1_000_000_000, f.price.Int64%1_000_000_000)
						a.prices = append(a.prices, f.price.Int64)
					}
				}
			}
		}
	}
	out := make([]ledgerindex.DivisionFigures, 0, len(acc))
	for _, a := range acc {
		d := a.DivisionFigures
		d.DisclosedValueFen = new(big.Int).Set(&a.sum.Int)
		if len(a.prices) > 0 {
			mean := a.sum.mean(int64(len(a.prices)))
			median := medianOf(a.prices)
			d.MeanPriceFen, d.MedianPriceFen = &mean, &median
		}
		out = append(out, d)
	}
	slices.SortFunc(out, ledgerindex.CompareDivisionFigures)
	return out
}

// medianOf is the median of prices, rounded down (the mean of the middle
// two for an even count, computed without overflow).
func medianOf(prices []int64) int64 {
	p := slices.Clone(prices)
	slices.Sort(p)
	n := len(p)
	if n%2 == 1 {
		return p[n/2]
	}
	a, b := p[n/2-1], p[n/2]
	return a/2 + b/2 + (a%2+b%2)/2
}

// periodOf names the period of the same kind as period that holds unix.
func periodOf(period string, unix int64) string {
	kind, _, _ := strings.Cut(period, ":")
	return model.PeriodOf(kind, time.Unix(unix, 0))
}

// chainedIndex is the chained price index of each category and of the whole
// market at the period, from the disclosed sales of every period of its
// kind up to it (see ledgerindex.PriceIndexFigure).
func chainedIndex(period string, sales []fact) []ledgerindex.PriceIndexFigure {
	type series struct {
		periods []string
		prices  map[string][]int64
	}
	all := map[string]*series{}
	for _, s := range sales {
		p := periodOf(period, s.at)
		for _, category := range []string{s.category, ledgerindex.AllCategories} {
			se := all[category]
			if se == nil {
				se = &series{prices: map[string][]int64{}}
				all[category] = se
			}
			if _, ok := se.prices[p]; !ok {
				se.periods = append(se.periods, p) // sales come in time order
			}
			se.prices[p] = append(se.prices[p], s.price.Int64)
		}
	}
	out := []ledgerindex.PriceIndexFigure{} // [] when nothing sold, as CanonicalFigures writes it
	for category, se := range all {
		index := big.NewRat(1000, 1)
		var lastMedian int64
		for i, p := range se.periods {
			median := medianOf(se.prices[p])
			if i > 0 && lastMedian > 0 {
				index.Mul(index, big.NewRat(median, lastMedian))
			}
			lastMedian = median
		}
		value := new(big.Int).Quo(index.Num(), index.Denom())
		v := int64(1<<63 - 1)
		if value.IsInt64() {
			v = value.Int64()
		}
		_, traded := se.prices[period]
		out = append(out, ledgerindex.PriceIndexFigure{Category: category, Index: v, BasePeriod: se.periods[0], Traded: traded})
	}
	slices.SortFunc(out, func(a, b ledgerindex.PriceIndexFigure) int { return strings.Compare(a.Category, b.Category) })
	return out
}

// activity is the market activity index of each division the facts name
// (the finest each record carries: its district), relative to the mean.
func activity(facts []fact) []ledgerindex.ActivityFigure {
	counts := map[string]int64{}
	var total int64
	for _, f := range facts {
		// A record without a division counts in the delta alone, as in
		// the divisions (model.RollUp).
		division := f.division
		if division == "" {
			division = model.DeltaDivision
		}
		counts[division]++
		total++
	}
	out := make([]ledgerindex.ActivityFigure, 0, len(counts))
	for division, n := range counts {
		// n × 1000 / (total / districts) = n × 1000 × districts / total
		idx := new(big.Int).Mul(big.NewInt(n*1000), big.NewInt(int64(len(counts))))
		idx.Quo(idx, big.NewInt(total))
		out = append(out, ledgerindex.ActivityFigure{Division: division, Activity: n, Index: idx.Int64()})
	}
	slices.SortFunc(out, func(a, b ledgerindex.ActivityFigure) int { return strings.Compare(a.Division, b.Division) })
	return out
}
