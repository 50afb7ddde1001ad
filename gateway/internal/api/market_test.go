package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// indexedEnv is a gateway whose ledger index is fed from a fake chain.
type indexedEnv struct {
	*env
	idx   *index.Index
	chain *chaintest.Chain
}

func newIndexedEnv(t *testing.T, options ...index.Option) *indexedEnv {
	t.Helper()
	idx, err := index.Open(index.Store{Path: filepath.Join(t.TempDir(), "market-index.db")},
		append([]index.Option{index.WithBatch(10, time.Millisecond)}, options...)...)
	require.NoError(t, err)
	ie := &indexedEnv{env: newEnv(t, api.WithMarketIndex(idx), api.WithOrg(ownMSP)), idx: idx, chain: chaintest.NewChain(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))}
	// Each member is the participant of its name; the regulator is one.
	ie.fake.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
		p := model.Participant{ID: c.Member, Status: "ACTIVE", Roles: []string{"buyer"}}
		if c.Member == "regulator" {
			p.Roles = []string{"regulator"}
		}
		b, _ := json.Marshal(p)
		return chaintest.Response{Result: b}, nil
	})
	// The chaincode's rule of trades:ListByParticipant, which decides who
	// reads a trade history: here the participant itself and the regulator.
	ie.fake.Handle("trades:ListByParticipant", func(c chaintest.Call) (chaintest.Response, error) {
		if c.Member != c.Args[0] && c.Member != "regulator" {
			return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden,
				Message: fmt.Sprintf("FORBIDDEN: participant %q may not list the trades of %q", c.Member, c.Args[0])}
		}
		return chaintest.Response{Result: []byte(`{"items":[]}`)}, nil
	})
	// The market rules in force: the four founding regions, and regulator
	// of the gateway's org the regulator they name.
	rules := rulesOf(1, model.FoundingRegions...)
	rules.Regulators = []model.Regulator{{MSPID: ownMSP, ParticipantID: "regulator"}}
	ie.fake.Returns("market:GetRules", rules)
	feedIndex(t, idx, ie.chain)
	return ie
}

// feedIndex runs idx's feed from r's blocks until the test ends, then closes idx.
func feedIndex(t *testing.T, idx *index.Index, r chain.BlockReader) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- idx.Run(ctx, r) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		require.NoError(t, idx.Close())
	})
}

// sell commits the completion of a trade at a time; price 0 is a
// negotiated trade.
func (ie *indexedEnv) sell(id, region, category string, price int64, at time.Time) *chain.Block {
	r := model.Trade{ID: id, ListingID: "l-" + id, AssetID: "a-" + id, Status: "COMPLETED", Category: category, Region: region,
		SourceRegion: region, RightType: "USE", Pricing: "NEGOTIABLE", BuyerID: "bob", SellerID: "alice"}
	if price > 0 {
		r.Pricing, r.PriceFen = "FIXED", price
	}
	t := chaintest.Tx(chaintest.Record("trade", r, id))
	t.Timestamp = at
	return ie.chain.Add(t)
}

// rulesOf returns market rules (of the given version) whose orgs are the
// exchanges of regions, named as the tests' orgs are (ownMSP is Shanghai's).
func rulesOf(version int, regions ...string) model.MarketRules {
	r := model.MarketRules{Rules: model.Rules{Version: version}}
	for _, region := range regions {
		r.Orgs = append(r.Orgs, model.MarketOrg{MSPID: strings.ToUpper(region[:1]) + region[1:] + "MSP", Region: region})
	}
	return r
}

func (ie *indexedEnv) caughtUp(b *chain.Block) {
	ie.t.Helper()
	require.NoError(ie.t, ie.idx.WaitFor(context.Background(), b.Number), "the index did not catch up")
}

// A cursor is a position in a list, never a way into another's: the list is the path's participant's, which the
// chaincode let the caller read first. Alice's trade-history cursor, or one forged to start before every row, pages
// through carol's history only carol's trades; bob, refused alice's history, is refused it with her cursor too; and a
// cursor of one list is no cursor of another (400 naming cursor).
func TestAnIndexCursorPagesOnlyTheListOfItsRequest(t *testing.T) {
	e := newIndexedEnv(t)
	day := time.Date(2026, 5, 11, 2, 0, 0, 0, time.UTC)
	e.sell("t1", "jiangsu", "energy", 4200, day) // alice sells to bob
	e.sell("t2", "jiangsu", "energy", 4300, day.Add(2*time.Hour))
	carols := model.Trade{ID: "t0", ListingID: "l-t0", AssetID: "a-t0", Status: "COMPLETED", Category: "energy", Region: "jiangsu",
		SourceRegion: "jiangsu", RightType: "USE", Pricing: "FIXED", PriceFen: 100, BuyerID: "dave", SellerID: "carol"}
	tx := chaintest.Tx(chaintest.Record("trade", carols, carols.ID))
	// Carol's trade sorts after alice's first page (the history is newest first, then by ID): a cursor of alice's
	// positions carol's list before it.
	tx.Timestamp = day.Add(time.Hour)
	e.caughtUp(e.chain.Add(tx))

	h := getOK[ledgerindex.TradeHistory](e.env, "alice", "/v1/participants/alice/trade-history?limit=1")
	require.NotEmpty(t, h.NextCursor)
	forged := base64.RawURLEncoding.EncodeToString([]byte(`["trades",9223372036854775807,"~"]`))
	for _, cursor := range []string{h.NextCursor, forged} {
		got := getOK[ledgerindex.TradeHistory](e.env, "carol", "/v1/participants/carol/trade-history?cursor="+cursor)
		require.Len(t, got.Items, 1, "%+v", got.Items)
		assert.Equal(t, "t0", got.Items[0].TradeID, "another participant's cursor shows carol's trades only")
	}
	resp := e.do("bob", "GET", "/v1/participants/alice/trade-history?cursor="+h.NextCursor, "")
	assert.Equal(t, 403, resp.Status, "%s", resp.Body)
	assert.NotContains(t, string(resp.Body), "t1")
	resp = e.do("carol", "GET", "/v1/participants/carol/portfolio?cursor="+h.NextCursor, "")
	resp.requireInvalid(t, "cursor", "a trade-history cursor on a portfolio")
}

func TestMarketStatisticsEndpoints(t *testing.T) {
	e := newIndexedEnv(t)
	v := newDocValidator(t, e.srv.Document())
	day := time.Date(2026, 5, 11, 2, 0, 0, 0, time.UTC) // a Monday, 10:00 CST
	e.sell("t1", "shanghai", "transport", 150000, day)
	e.sell("t2", "shanghai", "transport", 150001, day.Add(time.Hour))
	e.sell("t3", "shanghai", "transport", 0, day.Add(2*time.Hour))
	e.sell("t4", "jiangsu", "finance", 0, day.Add(24*time.Hour))
	last := e.sell("t5", "jiangsu", "transport", 99999, day.Add(48*time.Hour))
	e.caughtUp(last)
	before := len(e.fake.Calls())

	// Any member reads them: alice has no role in this fake ledger.
	resp := e.do("alice", "GET", "/v1/market/statistics", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/market/statistics", resp)
	var stats ledgerindex.MarketStatistics
	require.NoError(t, json.Unmarshal(resp.Body, &stats))
	assert.Equal(t, "region,category", stats.GroupBy, "the default grouping")
	require.Len(t, stats.Groups, 3)
	assert.Equal(t, ledgerindex.MarketGroup{Region: "jiangsu", Category: "finance", MarketFigures: ledgerindex.MarketFigures{Volume: 1, UndisclosedVolume: 1, SumPriceFen: big.NewInt(0)}}, stats.Groups[0])
	sh := stats.Groups[2]
	assert.Equal(t, "shanghai", sh.Region)
	assert.Equal(t, int64(3), sh.Volume)
	assert.Equal(t, int64(2), sh.DisclosedVolume)
	assert.Equal(t, int64(1), sh.UndisclosedVolume)
	assert.Equal(t, big.NewInt(300001), sh.SumPriceFen)
	assert.Equal(t, int64(150000), *sh.AveragePriceFen, "rounded down")
	assert.Equal(t, last.Number, stats.IndexedBlock)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(resp.Body, &raw))
	assert.EqualValues(t, 300001, raw["groups"].([]any)[2].(map[string]any)["sumPriceFen"], "money is a JSON integer")

	// Grouped by region, in a window: from inclusive, to exclusive; dates
	// are midnight China Standard Time.
	resp = e.do("bob", "GET", "/v1/market/statistics?groupBy=region&from=2026-05-11&to=2026-05-12T10:00:00%2B08:00", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/market/statistics", resp)
	stats = ledgerindex.MarketStatistics{}
	require.NoError(t, json.Unmarshal(resp.Body, &stats))
	assert.Equal(t, "2026-05-11T00:00:00+08:00", stats.From)
	assert.Equal(t, "2026-05-12T10:00:00+08:00", stats.To)
	require.Len(t, stats.Groups, 1, "t4 completed at 10:00 the next day: excluded")
	assert.Equal(t, "shanghai", stats.Groups[0].Region)
	assert.Empty(t, stats.Groups[0].Category)
	assert.Equal(t, int64(3), stats.Total.Volume)

	resp = e.do("regulator", "GET", "/v1/market/price-index?category=transport&interval=day", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/market/price-index", resp)
	var pi ledgerindex.PriceIndex
	require.NoError(t, json.Unmarshal(resp.Body, &pi))
	require.Len(t, pi.Points, 2)
	assert.Equal(t, "2026-05-11T00:00:00+08:00", pi.Base)
	assert.Equal(t, int64(1000), *pi.Points[0].Index)
	assert.Equal(t, "2026-05-13T00:00:00+08:00", pi.Points[1].Start)
	assert.Equal(t, int64(666), *pi.Points[1].Index, "99999 × 1000 / 150000, rounded down")
	assert.Equal(t, last.Number, pi.IndexedBlock)

	resp = e.do("alice", "GET", "/v1/market/price-index?region=jiangsu&interval=week", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/market/price-index", resp)
	pi = ledgerindex.PriceIndex{}
	require.NoError(t, json.Unmarshal(resp.Body, &pi))
	require.Len(t, pi.Points, 1)
	assert.Equal(t, "2026-05-11T00:00:00+08:00", pi.Points[0].Start)
	assert.Equal(t, "2026-05-18T00:00:00+08:00", pi.Points[0].End)
	assert.Equal(t, int64(2), pi.Points[0].Volume)
	assert.Equal(t, int64(1000), *pi.Points[0].Index)

	for _, c := range e.fake.Calls()[before:] {
		assert.Contains(t, []string{"participants:WhoAmI", "market:GetRules"}, c.Function,
			"the statistics are read from the index, not from the chaincode (which says which regions there are)")
	}

	gets := []invalidGET{
		{"/v1/market/statistics?groupBy=asset", "groupBy"},
		{"/v1/market/statistics?from=yesterday", "from"},
		{"/v1/market/statistics?from=2026-05-12&to=2026-05-11", "to"},
		{"/v1/market/statistics?from=2026-02-30", "from"},
		{"/v1/market/statistics?limit=5", "limit"},
		{"/v1/market/price-index?interval=month", "interval"},
		{"/v1/market/price-index?region=Mars", "region"},
		{"/v1/market/price-index?category=Not%20A%20Slug", "category"},
		{"/v1/market/price-index?interval=day&interval=week", "interval"},
		{"/v1/market/price-index?from=2026-05-12&to=2026-05-11", "to"},
		{"/v1/market/flows?from=2026-05-12&to=2026-05-11", "to"},
		{"/v1/market/flows?to=2026-02-30", "to"},
	}
	for i, resp := range e.requireInvalidGETs(t, "alice", gets) {
		p, _, _ := strings.Cut(gets[i].path, "?")
		v.validate("GET", p, resp)
	}
	resp = e.do("", "GET", "/v1/market/statistics", "")
	assert.Equal(t, 401, resp.Status)
}

// The index's ?region= names a region of the market rules in force, as the
// chaincode's region arguments do: one they lack is refused naming the
// field and the rules' regions, not answered empty. The regions are read
// from the peer once and kept; a region the kept ones lack is read again
// before it is refused, so that a region that has just joined (the rules
// now name Suzhou) is answered at once.
func TestIndexRegionsAreTheRulesInForce(t *testing.T) {
	e := newIndexedEnv(t)
	v := newDocValidator(t, e.srv.Document())
	for _, path := range []string{"/v1/market/price-index?region=mars", "/v1/catalogue?region=suzhou", "/v1/market/price-index?region=suzhou"} {
		resp := e.do("alice", "GET", path, "")
		require.Equal(t, 400, resp.Status, "%s: %s", path, resp.Body)
		body := resp.errorBody(t)
		assert.Equal(t, "region", body.Field, path)
		assert.Contains(t, body.Message, "is not a region of the market rules in force (version 1: anhui, jiangsu, shanghai, zhejiang)", path)
		p, _, _ := strings.Cut(path, "?")
		v.validate("GET", p, resp)
	}

	reads := len(e.fake.CallsTo("market:GetRules"))
	for range 3 {
		resp := e.do("bob", "GET", "/v1/market/price-index?region=jiangsu", "")
		require.Equal(t, 200, resp.Status, "%s", resp.Body)
	}
	assert.Equal(t, reads, len(e.fake.CallsTo("market:GetRules")), "the regions in force are kept, not read for every request")

	e.fake.Returns("market:GetRules", rulesOf(2, "shanghai", "jiangsu", "zhejiang", "anhui", "suzhou"))
	resp := e.do("alice", "GET", "/v1/market/price-index?region=suzhou", "")
	require.Equal(t, 200, resp.Status, "a region that joined is answered at once: %s", resp.Body)
	resp = e.do("alice", "GET", "/v1/catalogue?region=suzhou", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	resp = e.do("alice", "GET", "/v1/market/price-index?region=mars", "")
	require.Equal(t, 400, resp.Status, "%s", resp.Body)
	assert.Contains(t, resp.errorBody(t).Message, "(version 2: anhui, jiangsu, shanghai, suzhou, zhejiang)")

	e.fake.Fails("market:GetRules", &chain.Error{Kind: chain.KindUnavailable, Message: "peer down"})
	resp = e.do("alice", "GET", "/v1/market/price-index?region=hangzhou", "")
	assert.Equal(t, 503, resp.Status, "the rules cannot be read: no answer about the region: %s", resp.Body)
}

func TestMarketStatisticsWithoutAnIndex(t *testing.T) {
	e := newEnv(t)
	v := newDocValidator(t, e.srv.Document())
	for path, doc := range map[string]string{"/v1/market/statistics": "", "/v1/market/price-index": "", "/v1/catalogue": "", "/v1/market/flows": "",
		"/v1/participants/alice/portfolio": "/v1/participants/{id}/portfolio", "/v1/participants/alice/trade-history": "/v1/participants/{id}/trade-history",
		"/v1/market/credit-lookups": ""} {
		resp := e.do("alice", "GET", path, "")
		require.Equal(t, 404, resp.Status, "%s", resp.Body)
		assert.Equal(t, "NOT_FOUND", resp.errorBody(t).Code)
		assert.Contains(t, resp.errorBody(t).Message, "index.enabled")
		if doc == "" {
			doc = path
		}
		v.validate("GET", doc, resp)
	}
}

// A failure of the index's database is answered with the catalogue's
// sentence in the request's language, and what the database said (SQL,
// table names, the file) goes to the gateway's log under the answer's
// X-Request-ID, never to the caller.
func TestAnIndexFailureIsLoggedNotAnswered(t *testing.T) {
	file := filepath.Join(t.TempDir(), "market-index.db")
	idx, err := index.Open(index.Store{Path: file})
	require.NoError(t, err)
	t.Cleanup(func() { idx.Close() })
	var log bytes.Buffer
	e := newEnv(t, api.WithMarketIndex(idx), api.WithLogger(slog.New(slog.NewJSONHandler(&log, nil))))
	// The database breaks under the index: a table it reads is gone.
	db, err := sql.Open("sqlite", file)
	require.NoError(t, err)
	_, err = db.Exec("DROP TABLE assets")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	for lang, want := range map[string]string{
		"":      ledgererr.FailureIndex.Format(ledgererr.English) + ledgererr.SeeLog.In(ledgererr.English),
		"zh-CN": ledgererr.FailureIndex.Format(ledgererr.Chinese) + ledgererr.SeeLog.In(ledgererr.Chinese),
	} {
		log.Reset()
		resp := e.do("carol", "GET", "/v1/catalogue", "", header("Accept-Language", lang))
		require.Equal(t, 503, resp.Status, "%s", resp.Body)
		body := resp.errorBody(t)
		assert.Equal(t, "UNAVAILABLE", body.Code)
		assert.Equal(t, want, body.Message, "Accept-Language %q", lang)
		for _, internal := range []string{"assets", "SQL", "such table", "market-index", file} {
			assert.NotContains(t, string(resp.Body), internal)
		}
		id := resp.Header.Get("X-Request-ID")
		require.NotEmpty(t, id)
		var entry struct {
			RequestID string `json:"request_id"`
			Code      string `json:"error_code"`
			Detail    string `json:"error_detail"`
		}
		require.NoError(t, json.Unmarshal(log.Bytes(), &entry), "%s", log.Bytes())
		assert.Equal(t, id, entry.RequestID)
		assert.Equal(t, "UNAVAILABLE", entry.Code)
		assert.Contains(t, entry.Detail, "no such table: assets", "the log says what the database said")
	}
}

// The index's lists: the catalogue, a portfolio and a trade history, with
// their rules; ?minBlock waits for the block or answers 503.
func TestLedgerIndexEndpoints(t *testing.T) {
	e := newIndexedEnv(t, index.WithMaxWait(100*time.Millisecond))
	v := newDocValidator(t, e.srv.Document())
	a := model.Asset{AssetDescription: model.AssetDescription{ID: "asset-1", Name: "苏州工业园区 power load", Category: "energy", SourceRegion: "jiangsu"}, ExchangeRegion: "jiangsu",
		HolderID: "alice", Status: "REGISTERED", AppliedAt: "2026-05-01T00:00:00Z", RegisteredAt: "2026-05-01T00:00:10Z", UpdatedAt: "2026-05-01T00:00:10Z", Sources: []string{}}
	l := model.Listing{ID: "listing-1", AssetID: a.ID, RightType: "USE", Pricing: "FIXED", PriceFen: 4200, Category: "energy",
		SellerID: "alice", Region: "jiangsu", Status: "ACTIVE"}
	var right model.Right
	right.ID, right.AssetID, right.Type, right.HolderID, right.Status = "R-1", a.ID, "HOLDING", "alice", "ACTIVE"
	right.Scope.ValidUntil = model.HoldingValidUntil // a right without a term reads EXPIRED, in the chaincode as in the index
	e.chain.Add(chaintest.Tx(chaintest.Record("asset", a, a.ID), chaintest.Record("right", right, right.ID)), chaintest.Tx(chaintest.Record("listing", l, l.ID)))
	e.sell("t1", "jiangsu", "energy", 4200, time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC))
	last := e.sell("t2", "jiangsu", "energy", 0, time.Date(2026, 5, 3, 0, 0, 0, 0, time.UTC))

	resp := e.do("carol", "GET", "/v1/catalogue?q=工业园&minBlock="+strconv.FormatUint(last.Number, 10), "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/catalogue", resp)
	var cat ledgerindex.CataloguePage
	require.NoError(t, json.Unmarshal(resp.Body, &cat))
	require.Len(t, cat.Items, 1)
	assert.Equal(t, "asset-1", cat.Items[0].ID)
	assert.Equal(t, int64(4200), cat.Items[0].Listings[0].PriceFen)
	assert.Equal(t, last.Number, cat.IndexedBlock)

	resp = e.do("carol", "GET", "/v1/participants/alice/portfolio", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/participants/{id}/portfolio", resp)
	assert.Contains(t, string(resp.Body), `"rightId":"R-1"`)

	// The trade history: whom the chaincode lets list the trades (here the
	// participant itself and the regulator), nobody else.
	for member, status := range map[string]int{"alice": 200, "regulator": 200, "bob": 403, "carol": 403} {
		resp = e.do(member, "GET", "/v1/participants/alice/trade-history?limit=1", "")
		require.Equal(t, status, resp.Status, "%s: %s", member, resp.Body)
		v.validate("GET", "/v1/participants/{id}/trade-history", resp)
	}
	resp = e.do("alice", "GET", "/v1/participants/alice/trade-history?limit=1", "")
	var h ledgerindex.TradeHistory
	require.NoError(t, json.Unmarshal(resp.Body, &h))
	require.Len(t, h.Items, 1)
	assert.Equal(t, "t2", h.Items[0].TradeID)
	assert.Nil(t, h.Items[0].PriceFen)
	resp = e.do("alice", "GET", "/v1/participants/alice/trade-history?limit=1&cursor="+h.NextCursor, "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	assert.Contains(t, string(resp.Body), `"tradeId":"t1"`)

	resp = e.do("regulator", "GET", "/v1/market/flows", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/market/flows", resp)
	resp = e.do("carol", "GET", "/v1/market/credit-lookups", "")
	assert.Equal(t, 403, resp.Status, "%s", resp.Body)
	resp = e.do("regulator", "GET", "/v1/market/credit-lookups", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/market/credit-lookups", resp)

	resp = e.do("carol", "GET", "/v1/catalogue?minBlock="+strconv.FormatUint(last.Number+5, 10), "")
	require.Equal(t, 503, resp.Status, "%s", resp.Body)
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	assert.Contains(t, resp.errorBody(t).Message, "has not reached block")
	v.validate("GET", "/v1/catalogue", resp)
	// A session's X-Min-Block waits for the index too: the higher of the
	// two blocks asked for.
	ahead := strconv.FormatUint(last.Number+5, 10)
	resp = e.do("carol", "GET", "/v1/catalogue", "", header(model.MinBlockHeader, ahead))
	require.Equal(t, 503, resp.Status, "%s", resp.Body)
	assert.Contains(t, resp.errorBody(t).Message, "has not reached block")
	resp = e.do("carol", "GET", "/v1/catalogue?minBlock=0", "", header(model.MinBlockHeader, ahead))
	require.Equal(t, 503, resp.Status, "%s", resp.Body)
	resp = e.do("carol", "GET", "/v1/catalogue?minBlock="+ahead, "", header(model.MinBlockHeader, "0"))
	require.Equal(t, 503, resp.Status, "%s", resp.Body)
	resp = e.do("carol", "GET", "/v1/catalogue", "", header(model.MinBlockHeader, strconv.FormatUint(last.Number, 10)))
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	resp = e.do("carol", "GET", "/v1/catalogue", "", header(model.MinBlockHeader, "soon"))
	resp.requireInvalid(t, model.MinBlockHeader, "minBlock soon")

	e.requireInvalidGETs(t, "alice", []invalidGET{
		{"/v1/catalogue?cursor=bm90LWEtY3Vyc29y", "cursor"},
		{"/v1/catalogue?minBlock=-1", "minBlock"},
		{"/v1/catalogue?minPriceFen=5&maxPriceFen=4", "maxPriceFen"},
		{"/v1/catalogue?division=32", "division"},
		{"/v1/catalogue?sort=cheapest", "sort"},
		{"/v1/catalogue?limit=101", "limit"},
		{"/v1/participants/al%20ice/portfolio", "id"},
	})
}

// A region attests the figures it computes, on its own org's peers only;
// the regulator publishes the same figures; the CSV is the publication's.
// The attestation and the publication name the block they committed in
// (X-Ledger-Block), as a chaincode submit does, and they and the CSV run
// only once the peer has the block a session asks for (X-Min-Block).
func TestIndicesEndpoints(t *testing.T) {
	e := newIndexedEnv(t)
	v := newDocValidator(t, e.srv.Document())
	last := e.sell("t1", "jiangsu", "energy", 4200, time.Date(2026, 5, 2, 3, 0, 0, 0, time.UTC))
	to := strconv.FormatUint(last.Number, 10)
	e.fake.Returns("indices:Attest", map[string]string{})
	e.fake.Returns("indices:Open", map[string]string{})
	e.fake.Returns("indices:Publish", model.Publication{Status: "PUBLISHED"})

	resp := e.do("alice", "GET", "/v1/indices/day:2026-05-02/computed?toBlock="+to, "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("GET", "/v1/indices/{period}/computed", resp)
	var c ledgerindex.ComputedIndices
	require.NoError(t, json.Unmarshal(resp.Body, &c))
	assert.Equal(t, int64(1), c.Figures.Divisions[0].Trades)

	resp = e.do("regulator", "POST", "/v1/indices/day:2026-05-02/attest?toBlock="+to, "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	calls := e.fake.CallsTo("indices:Attest")
	require.Len(t, calls, 1)
	attestedIn, err := strconv.ParseUint(resp.Header.Get(model.LedgerBlockHeader), 10, 64)
	require.NoError(t, err, "the attestation names its block")
	assert.Equal(t, []string{"day:2026-05-02", fmt.Sprint(c.Figures.FromBlock), to, c.InputHash, c.FiguresHash}, calls[0].Args)
	assert.Equal(t, []string{"ShanghaiMSP"}, calls[0].Options.EndorsingOrganizations, "attested on the own org's peers only")

	resp = e.do("regulator", "POST", "/v1/indices/day:2026-05-02/publish?toBlock="+to+"&endorsingOrganizations=ShanghaiMSP,JiangsuMSP", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	v.validate("POST", "/v1/indices/{period}/publish", resp)
	pub := e.fake.CallsTo("indices:Publish")
	require.Len(t, pub, 1)
	assert.Equal(t, c.FiguresHash, model.FiguresHash(pub[0].Args[4]), "the figures published are the ones attested")
	assert.Equal(t, []string{"ShanghaiMSP", "JiangsuMSP"}, pub[0].Options.EndorsingOrganizations)
	published := resp.json(t)
	assert.Equal(t, fmt.Sprint(published["block_number"]), resp.Header.Get(model.LedgerBlockHeader), "the publication's block")
	assert.Less(t, attestedIn, uint64(published["block_number"].(float64)), "the attestation committed before the publication")
	ahead := strconv.FormatUint(uint64(published["block_number"].(float64))+100, 10)
	for _, path := range []string{"/v1/indices/day:2026-05-02/attest?toBlock=" + to, "/v1/indices/day:2026-05-02/publish?toBlock=" + to} {
		resp := e.do("regulator", "POST", path, "", header(model.MinBlockHeader, ahead))
		assert.Equal(t, 503, resp.Status, "%s waits for the peer's block: %s", path, resp.Body)
	}
	assert.Len(t, e.fake.CallsTo("indices:Publish"), 1, "nothing published on older state")

	e.fake.Returns("indices:Get", model.Publication{Period: "day:2026-05-02", Status: "PUBLISHED", Figures: pub[0].Args[4]})
	resp = e.do("carol", "GET", "/v1/indices/day:2026-05-02/figures.csv", "")
	require.Equal(t, 200, resp.Status, "%s", resp.Body)
	assert.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, string(resp.Body), "day:2026-05-02,YRD,delta,*,0,0,1,1,4200,4200,4200,长江三角洲,Yangtze River Delta\n")
	assert.Contains(t, string(resp.Body), ",medianPriceFen,name,nameEn\n", "the divisions' names in both languages")
	resp = e.do("carol", "GET", "/v1/indices/day:2026-05-02/figures.csv?table=activity", "")
	assert.Regexp(t, `\nday:2026-05-02,320000,1,1000,江苏省,Jiangsu\n`, string(resp.Body), "a division's activity with its names")
	resp = e.do("carol", "GET", "/v1/indices/day:2026-05-02/figures.csv?table=priceIndex", "")
	assert.Contains(t, string(resp.Body), "day:2026-05-02,*,1000,day:2026-05-02,true\n")
	assert.NotEmpty(t, resp.Header.Get(model.LedgerBlockHeader), "the CSV names the block it reflects")
	resp = e.do("carol", "GET", "/v1/indices/day:2026-05-02/figures.csv", "", header(model.MinBlockHeader, ahead))
	assert.Equal(t, 503, resp.Status, "the CSV waits for the peer's block: %s", resp.Body)

	e.requireInvalidGETs(t, "alice", []invalidGET{
		{"/v1/indices/week:2026-01/computed?toBlock=1", "period"},
		{"/v1/indices/day:2026-05-02/computed", "toBlock"},
		{"/v1/indices/day:2026-05-02/computed?toBlock=-1", "toBlock"},
	})
}

// The index's restricted answers go to a caller whose standing allows them
// now, as the chaincode's own check of trades:ListByParticipant would: a
// regulator suspended a moment after its last read is refused at once, not
// once a cached standing has aged.
func TestIndexReadsCheckTheCallersStandingNow(t *testing.T) {
	e := newIndexedEnv(t)
	var suspended atomic.Bool
	e.fake.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
		p := model.Participant{ID: c.Member, Status: "ACTIVE", Roles: []string{"buyer"}}
		if c.Member == "regulator" {
			if suspended.Load() {
				return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden,
					Message: `FORBIDDEN: participant "regulator" is suspended: audit`}
			}
			p.Roles = []string{"regulator"}
		}
		b, _ := json.Marshal(p)
		return chaintest.Response{Result: b}, nil
	})
	e.fake.Handle("trades:ListByParticipant", func(c chaintest.Call) (chaintest.Response, error) {
		if suspended.Load() {
			return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden,
				Message: `FORBIDDEN: participant "regulator" is suspended: audit`}
		}
		return chaintest.Response{Result: []byte(`{"items":[]}`)}, nil
	})
	e.caughtUp(e.sell("t1", "jiangsu", "energy", 4200, time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC)))
	for _, path := range []string{"/v1/participants/alice/trade-history", "/v1/market/credit-lookups"} {
		resp := e.do("regulator", "GET", path, "")
		require.Equal(t, 200, resp.Status, "%s: %s", path, resp.Body)
	}
	suspended.Store(true)
	for _, path := range []string{"/v1/participants/alice/trade-history", "/v1/market/credit-lookups"} {
		resp := e.do("regulator", "GET", path, "")
		assert.Equal(t, 403, resp.Status, "%s: %s", path, resp.Body)
	}
}

// The credit lookup counts are exact to a member holding the regulator
// role (also when it is an operator too) and withheld below the minimum
// day count to one holding the operator role only: here one lookup, of a
// Zhejiang querier at a Shanghai enterprise, on one day. The regulator role
// is the one the market rules in force grant, as trade history and the
// event stream read it: carol, whose WhoAmI (a peer behind the change that
// dropped it from the rules' regulators) still says regulator and operator,
// reads as the operator it is.
func TestOperatorsReadCreditLookupsWithSmallCountsWithheld(t *testing.T) {
	e := newIndexedEnv(t)
	v := newDocValidator(t, e.srv.Document())
	roles := map[string][]string{"regulator": {model.RoleRegulator}, "alice": {model.RoleOperator}, "bob": {model.RoleOperator, model.RoleRegulator},
		"carol": {model.RoleOperator, model.RoleRegulator}}
	rules := rulesOf(2, model.FoundingRegions...)
	rules.Regulators = []model.Regulator{{MSPID: ownMSP, ParticipantID: "regulator"}, {MSPID: ownMSP, ParticipantID: "bob"}}
	e.fake.Returns("market:GetRules", rules)
	e.fake.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
		b, _ := json.Marshal(model.Participant{ID: c.Member, Status: model.ParticipantActive, Roles: roles[c.Member]})
		return chaintest.Response{Result: b}, nil
	})
	querier := model.Participant{ID: "zj.bank", Region: "zhejiang", Status: model.ParticipantActive}
	subject := model.Participant{ID: "sh.port", Region: "shanghai", USCC: "91310000MA1FL1800B", Status: model.ParticipantActive}
	trace := model.Trace{TraceID: "trace-1", SubjectUSCC: subject.USCC, QuerierID: querier.ID, Basis: model.BasisAuthorization,
		At: "2026-05-02T04:00:00Z", ExpiresAt: "2026-05-02T05:00:00Z"}
	e.caughtUp(e.chain.Add(chaintest.Tx(chaintest.Record("participant", querier, querier.ID), chaintest.Record("participant", subject, subject.ID)),
		chaintest.Tx(chaintest.Record("credit.trace", trace, trace.TraceID))))

	read := func(member string) ledgerindex.CreditLookups {
		resp := e.do(member, "GET", "/v1/market/credit-lookups?from=2026-05-02&to=2026-05-03", "")
		require.Equal(t, 200, resp.Status, "%s: %s", member, resp.Body)
		v.validate("GET", "/v1/market/credit-lookups", resp)
		var got ledgerindex.CreditLookups
		require.NoError(t, json.Unmarshal(resp.Body, &got))
		return got
	}
	for _, member := range []string{"regulator", "bob"} {
		got := read(member)
		assert.True(t, got.Exact, member)
		assert.Equal(t, []ledgerindex.CreditLookupCount{{QuerierRegion: "zhejiang", SubjectRegion: "shanghai", Lookups: 1}}, got.Counts, member)
		assert.Equal(t, int64(1), got.Total, member)
	}
	for _, member := range []string{"alice", "carol"} {
		got := read(member)
		assert.False(t, got.Exact, member)
		assert.Equal(t, int64(ledgerindex.MinimumCreditLookupCount), got.MinimumCount, member)
		assert.Empty(t, got.Counts, "%s: the operator reads no count of one lookup", member)
		assert.Zero(t, got.Total, member)
	}
}

// An operator whom trades:ListByParticipant lets list a participant's trades (an operator of the participant's region
// now) is shown those of them trades:Get answers it, as the chaincode's list leaves them: listed in its region, or
// bought by a member of an org of its region now. A sale the participant's org made in the region it was moved from,
// to a buyer of another region, is not its to read: the index must not show it either. The participant itself and
// the regulator read every one.
func TestAnOperatorReadsOnlyTheTradesOfAHistoryItOversees(t *testing.T) {
	e := newIndexedEnv(t)
	roles := map[string][]string{"carol": {model.RoleOperator}, "regulator": {model.RoleRegulator}, "alice": {model.RoleBuyer}}
	e.fake.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
		b, _ := json.Marshal(model.Participant{ID: c.Member, MSPID: ownMSP, Status: model.ParticipantActive, Roles: roles[c.Member]})
		return chaintest.Response{Result: b}, nil
	})
	e.fake.Handle("trades:ListByParticipant", func(c chaintest.Call) (chaintest.Response, error) {
		if c.Member != c.Args[0] && len(roles[c.Member]) == 0 {
			return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden, Message: "FORBIDDEN: no"}
		}
		return chaintest.Response{Result: []byte(`{"items":[]}`)}, nil
	})
	// The gateway's org is Shanghai's exchange now; regulator is named.
	rules := model.MarketRules{Rules: model.Rules{Version: 2, Orgs: []model.MarketOrg{
		{MSPID: "JiangsuMSP", Region: "jiangsu"}, {MSPID: ownMSP, Region: "shanghai"}, {MSPID: "ZhejiangMSP", Region: "zhejiang"}},
		Regulators: []model.Regulator{{MSPID: ownMSP, ParticipantID: "regulator"}}}}
	e.fake.Returns("market:GetRules", rules)
	trade := func(id, region, buyer, buyerMSP, seller, sellerMSP string, hour int) chain.Write {
		return chaintest.Record("trade", model.Trade{ID: id, ListingID: "l-" + id, AssetID: "a-" + id, Status: "COMPLETED", Category: "energy",
			Region: region, SourceRegion: region, RightType: "USE", Pricing: "FIXED", PriceFen: 100, BuyerID: buyer, BuyerMSP: buyerMSP,
			SellerID: seller, SellerMSP: sellerMSP, CreatedAt: time.Date(2026, 5, 2, hour, 0, 0, 0, time.UTC).Format(time.RFC3339)}, id)
	}
	e.caughtUp(e.chain.Add(chaintest.Tx(
		trade("t-moved", "jiangsu", "zj.buyer", "ZhejiangMSP", "alice", ownMSP, 1), // sold in Jiangsu before alice's org was moved
		trade("t-here", "shanghai", "zj.buyer", "ZhejiangMSP", "alice", ownMSP, 2),
		trade("t-bought", "zhejiang", "alice", ownMSP, "zj.seller", "ZhejiangMSP", 3),
	)))
	history := func(member string) []string {
		var ids []string
		for _, item := range getOK[ledgerindex.TradeHistory](e.env, member, "/v1/participants/alice/trade-history").Items {
			ids = append(ids, item.TradeID)
		}
		return ids
	}
	assert.Equal(t, []string{"t-bought", "t-here", "t-moved"}, history("alice"))
	assert.Equal(t, []string{"t-bought", "t-here", "t-moved"}, history("regulator"))
	assert.Equal(t, []string{"t-bought", "t-here"}, history("carol"), "the operator of Shanghai reads no sale listed in Jiangsu to Zhejiang")
}

// An index read the chain refuses the caller is refused before the request waits for the index: 403 at once, not 503
// and the index's height after its longest wait. A caller the chain admits still waits for the block it asks for.
func TestARefusedCallerDoesNotWaitForTheIndex(t *testing.T) {
	e := newIndexedEnv(t, index.WithMaxWait(100*time.Millisecond))
	last := e.sell("t1", "jiangsu", "energy", 4200, time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC))
	e.caughtUp(last)
	ahead := "minBlock=" + strconv.FormatUint(last.Number+100, 10)
	for _, path := range []string{"/v1/participants/alice/trade-history?" + ahead, "/v1/market/credit-lookups?" + ahead} {
		resp := e.do("carol", "GET", path, "")
		assert.Equal(t, 403, resp.Status, "%s: %s", path, resp.Body)
		assert.NotContains(t, string(resp.Body), "has not reached block", path)
		resp = e.do("regulator", "GET", path, "")
		assert.Equal(t, 503, resp.Status, "%s: %s", path, resp.Body)
		assert.Contains(t, resp.errorBody(t).Message, "has not reached block", path)
	}
}
