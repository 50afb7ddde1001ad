package client

import (
	"context"
	"net/url"
	"strconv"

	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// IndexQuery are the options every answer of the gateway's ledger index
// takes.
type IndexQuery struct {
	// MinBlock, when > 0, makes the gateway wait (bounded) until its index
	// has read this block: pass the BlockNumber of a transaction just
	// submitted to read your own writes. The gateway answers 503 if it has
	// not got there in time (IsUnavailable).
	MinBlock uint64
}

func (q IndexQuery) query(v url.Values) {
	if q.MinBlock > 0 {
		v.Set("minBlock", strconv.FormatUint(q.MinBlock, 10))
	}
}

// CatalogueQuery selects catalogue entries; every filter given must match.
type CatalogueQuery struct {
	// Text is found in the asset's ID, name, description or category.
	Text, Category, Region string
	// Division is an administrative division code (GB/T 2260): a province,
	// a city or a district and everything in it.
	Division string
	// Seller holds or lists the asset.
	Seller string
	// MinPriceFen and MaxPriceFen select assets with an ACTIVE listing in
	// the range.
	MinPriceFen, MaxPriceFen *int64
	// Status is the registration status (REGISTERED when "").
	Status string
	// Sort is newest (when ""), name, price or -price.
	Sort string
	// Limit is the page size (1 to model.MaxPageSize; model.DefaultPageSize
	// when 0); Cursor the NextCursor of the previous page.
	Limit  int
	Cursor string
	IndexQuery
}

// Catalogue searches the assets and their listings (any member).
func (s *MarketService) Catalogue(ctx context.Context, q CatalogueQuery) (*ledgerindex.CataloguePage, error) {
	v := PageQuery{Limit: q.Limit, Cursor: q.Cursor, IndexQuery: q.IndexQuery}.values()
	setGiven(v, map[string]string{"q": q.Text, "category": q.Category, "region": q.Region, "division": q.Division,
		"seller": q.Seller, "status": q.Status, "sort": q.Sort})
	if q.MinPriceFen != nil {
		v.Set("minPriceFen", strconv.FormatInt(*q.MinPriceFen, 10))
	}
	if q.MaxPriceFen != nil {
		v.Set("maxPriceFen", strconv.FormatInt(*q.MaxPriceFen, 10))
	}
	return getQuery[ledgerindex.CataloguePage](ctx, s.c, "/v1/catalogue", v)
}

// PageQuery asks for one page of an index list.
type PageQuery struct {
	// Limit is the page size (1 to model.MaxPageSize; model.DefaultPageSize
	// when 0); Cursor the NextCursor of the previous page.
	Limit  int
	Cursor string
	IndexQuery
}

func (q PageQuery) values() url.Values {
	v := url.Values{}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Cursor != "" {
		v.Set("cursor", q.Cursor)
	}
	q.IndexQuery.query(v)
	return v
}

// Portfolio returns a page of the rights a participant holds (ACTIVE ones
// when status is ""), with the assets they are over (any member).
func (s *MarketService) Portfolio(ctx context.Context, participantID, status string, q PageQuery) (*ledgerindex.Portfolio, error) {
	v := q.values()
	if status != "" {
		v.Set("status", status)
	}
	return getQueryAt[ledgerindex.Portfolio](ctx, s.c, "/v1/participants/%s/portfolio", []segment{seg("participant ID", participantID)}, v)
}

// TradeHistory returns a page of the trades a participant bought or sold in
// (the participant itself, the regulator, an operator of the participant's
// region).
func (s *MarketService) TradeHistory(ctx context.Context, participantID string, q PageQuery) (*ledgerindex.TradeHistory, error) {
	return getQueryAt[ledgerindex.TradeHistory](ctx, s.c, "/v1/participants/%s/trade-history", []segment{seg("participant ID", participantID)}, q.values())
}

// Flows returns the completed trades from each seller region to each buyer
// region (any member).
func (s *MarketService) Flows(ctx context.Context, w MarketWindow, q IndexQuery) (*ledgerindex.TradeFlows, error) {
	return getQuery[ledgerindex.TradeFlows](ctx, s.c, "/v1/market/flows", w.narrowed(q))
}

// CreditLookups returns how many credit lookups were made per region of the
// one who looked and region of the subject (operators and the regulator).
// The regulator's answer is exact; an operator's leaves out every day of a
// pair of fewer than its MinimumCount lookups (Exact false).
func (s *MarketService) CreditLookups(ctx context.Context, w MarketWindow, q IndexQuery) (*ledgerindex.CreditLookups, error) {
	return getQuery[ledgerindex.CreditLookups](ctx, s.c, "/v1/market/credit-lookups", w.narrowed(q))
}
