// Command indexbench measures the ledger index (make bench-index): how fast
// it catches up with a channel from block 0, and how long a catalogue
// search takes at 100,000 assets, on SQLite and (when installed) on a real
// PostgreSQL started for the run. The channel is synthetic but shaped like
// the market's: each asset is applied for, reviewed, certified with its
// holding right and listed, a fraction of them sold; ten transactions a
// block.
//
//	go run ./gateway/internal/index/indexbench -assets 100000 -searches 2000
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/internal/loadavg"
	"github.com/deltaledger/deltaledger/internal/pgtest"
	"github.com/deltaledger/deltaledger/model"
)

var (
	nAssets   = flag.Int("assets", 100_000, "assets on the channel")
	nSearches = flag.Int("searches", 2000, "catalogue searches timed per store")
	perBlock  = flag.Int("tx-per-block", 10, "transactions per block")
	stores    = flag.String("stores", "sqlite,postgres", "stores to measure")
)

// out is where the figures go (a test reads them).
var out io.Writer = os.Stdout

var categories = []string{"transport", "energy", "retail", "finance", "health", "manufacturing", "agriculture", "weather"}
var regions = []string{"shanghai", "jiangsu", "zhejiang", "anhui"}
var words = []string{"port", "container", "power", "load", "retail", "trend", "charging", "berth", "traffic", "grid",
	"洋山", "苏州", "杭州", "合肥", "园区", "港口", "电力", "零售", "充电", "物流"}

func main() {
	flag.Parse()
	blocks := channel(*nAssets, *perBlock)
	fmt.Printf("ledger index benchmark: %d assets, %d blocks (%d transactions a block)\n", *nAssets, len(blocks), *perBlock)
	fmt.Println("| store | catch-up from block 0 | blocks/s | rows/s | search p50 | p95 | p99 | max | load (1 min) |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, s := range slices.Collect(func(yield func(string) bool) {
		for _, s := range []string{"sqlite", "postgres"} {
			if contains(*stores, s) && !yield(s) {
				return
			}
		}
	}) {
		if err := measure(s, blocks); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", s, err)
		}
	}
	pgtest.Stop()
}

func contains(list, s string) bool { return slices.Contains(splitComma(list), s) }

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// tb lets pgtest start its server outside a test.
type tb struct{ testing.TB }

func (tb) Helper()                         {}
func (tb) Skip(args ...any)                { panic(fmt.Sprint(args...)) }
func (tb) Fatalf(format string, a ...any)  { panic(fmt.Sprintf(format, a...)) }
func (tb) Fatal(args ...any)               { panic(fmt.Sprint(args...)) }
func (tb) Cleanup(func())                  {}
func (tb) Logf(format string, args ...any) {}

func measure(store string, blocks []*chain.Block) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	dir, err := os.MkdirTemp("", "indexbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	s := index.Store{Path: filepath.Join(dir, "index.db")}
	if store == "postgres" {
		s = index.Store{DSN: pgtest.Database(tb{})}
	}
	// The feed's progress (blocks/s and rows/s every 30 s) goes to stderr:
	// a catch-up that slows down with the index's size shows there.
	x, err := index.Open(s, index.WithLedgerName("bench", "deltaledger"), index.WithProgressLog(30*time.Second),
		index.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	if err != nil {
		return err
	}
	defer x.Close()
	ctx := context.Background()
	loadStart := loadavg.Read()[0]
	_, rows, took, err := x.Rebuild(ctx, chaintest.NewReplay(blocks))
	if err != nil {
		return err
	}
	var lat []time.Duration
	byKind := make([][]time.Duration, len(searchKinds))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range *nSearches {
		q := index.CatalogueQuery{}
		switch i % 5 {
		case 0:
			q.Text = words[rng.IntN(len(words))]
		case 1:
			q.Category, q.Sort = categories[rng.IntN(len(categories))], "price"
		case 2:
			lo := int64(rng.IntN(900_000))
			q.MinPriceFen, q.MaxPriceFen = &lo, new(lo+10_000)
		case 3:
			q.Region, q.Text, q.Sort = regions[rng.IntN(len(regions))], words[rng.IntN(len(words))], "name"
		case 4:
			q.Seller = "holder-" + strconv.Itoa(rng.IntN(500))
		}
		start := time.Now()
		page, err := x.Catalogue(ctx, q)
		if err != nil {
			return err
		}
		if page.NextCursor != "" && i%10 == 0 {
			q.Cursor = page.NextCursor
			if _, err := x.Catalogue(ctx, q); err != nil {
				return err
			}
		}
		lat = append(lat, time.Since(start))
		byKind[i%5] = append(byKind[i%5], lat[len(lat)-1])
	}
	slices.Sort(lat)
	pct := func(p float64) string {
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(10 * time.Microsecond).String()
	}
	fmt.Fprintf(out, "| %s | %d blocks, %d rows in %s | %.0f | %.0f | %s | %s | %s | %s | %.1f to %.1f |\n", store, len(blocks), rows,
		took.Round(time.Millisecond), float64(len(blocks))/took.Seconds(), float64(rows)/took.Seconds(),
		pct(0.50), pct(0.95), pct(0.99), lat[len(lat)-1].Round(10*time.Microsecond), loadStart, loadavg.Read()[0])
	fmt.Fprintf(os.Stderr, "%s search p99 by kind:", store)
	for k, l := range byKind {
		slices.Sort(l)
		fmt.Fprintf(os.Stderr, " %s %s;", searchKinds[k], l[min(len(l)-1, int(0.99*float64(len(l))))].Round(10*time.Microsecond))
	}
	fmt.Fprintln(os.Stderr)
	return nil
}

// searchKinds name the five kinds of catalogue search the benchmark times,
// in turn.
var searchKinds = []string{"text", "category by price", "price range", "region and text by name", "seller"}

// channel builds the blocks: per asset an application, a review, the
// certification with the holding right, a listing; one asset in ten sold.
func channel(n, perBlock int) []*chain.Block {
	c := chaintest.NewChain(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	var pending []chain.Transaction
	flush := func(force bool) {
		for len(pending) >= perBlock || (force && len(pending) > 0) {
			k := min(perBlock, len(pending))
			c.Add(pending[:k]...)
			pending = pending[k:]
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	at := "2026-01-05T00:00:00Z"
	for i := range n {
		id := "asset-" + strconv.Itoa(i)
		holder := "holder-" + strconv.Itoa(i%500)
		region := regions[i%len(regions)]
		a := model.Asset{AssetDescription: model.AssetDescription{ID: id, Name: words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))] + " " + strconv.Itoa(i),
			Category: categories[rng.IntN(len(categories))], SourceRegion: region,
			Description: "hourly " + words[rng.IntN(len(words))] + " data of " + words[rng.IntN(len(words))]}, ExchangeRegion: region, Sources: []string{},
			ApplicantID: holder, HolderID: holder, HolderMSP: "ShanghaiMSP", Status: model.AssetPendingReview, AppliedAt: at, UpdatedAt: at}
		pending = append(pending, chaintest.Tx(chaintest.Record("asset", a, id), chaintest.Marker("asset~holder", holder, id)))
		a.Status = model.AssetPublicNotice
		pending = append(pending, chaintest.Tx(chaintest.Record("asset", a, id)))
		a.Status, a.RegisteredAt = model.AssetRegistered, at
		var holding model.Right
		holding.ID, holding.AssetID, holding.Type, holding.HolderID, holding.Status, holding.IssuedAt = "R-"+id, id, "HOLDING", holder, "ACTIVE", at
		l := model.Listing{ID: "listing-" + id, AssetID: id, RightType: "USE", Pricing: model.PricingFixed,
			PriceFen: int64(1000 + rng.IntN(1_000_000)), Category: a.Category, SourceRegion: region, SellerID: holder,
			Region: region, Status: model.ListingActive, CreatedAt: at, UpdatedAt: at}
		pending = append(pending, chaintest.Tx(chaintest.Record("asset", a, id), chaintest.Record("right", holding, holding.ID)),
			chaintest.Tx(chaintest.Record("listing", l, l.ID)))
		if i%10 == 0 {
			t := model.Trade{ID: "trade-" + id, ListingID: l.ID, AssetID: id, RightType: "USE", Category: a.Category, Region: region,
				SourceRegion: region, Pricing: l.Pricing, PriceFen: l.PriceFen, BuyerID: "buyer-" + strconv.Itoa(i%97),
				SellerID: holder, Status: model.TradeCompleted, CreatedAt: at, UpdatedAt: at}
			pending = append(pending, chaintest.Tx(chaintest.Record("trade", t, t.ID)))
		}
		flush(false)
	}
	flush(true)
	return c.All()
}
