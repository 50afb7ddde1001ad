package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
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
	// Limit is the page size (1 to 100; 20 when 0); Cursor the NextCursor
	// of the previous page.
	Limit  int
	Cursor string
	IndexQuery
}

// CatalogueListing is an ACTIVE listing of a catalogue entry.
type CatalogueListing struct {
	ID        string `json:"id"`
	RightType string `json:"rightType"`
	Pricing   string `json:"pricing"`
	PriceFen  int64  `json:"priceFen"`
	SellerID  string `json:"sellerId"`
}

// CatalogueAsset is one entry of the catalogue.
type CatalogueAsset struct {
	ID             string             `json:"id"`
	Name           string             `json:"name"`
	Description    string             `json:"description"`
	Category       string             `json:"category"`
	SourceRegion   string             `json:"sourceRegion"`
	ExchangeRegion string             `json:"exchangeRegion"`
	Division       string             `json:"division,omitempty"`
	HolderID       string             `json:"holderId"`
	Status         string             `json:"status"`
	RegisteredAt   string             `json:"registeredAt,omitempty"`
	MinPriceFen    *int64             `json:"minPriceFen,omitempty"`
	Listings       []CatalogueListing `json:"listings"`
}

// CataloguePage is one page of the catalogue.
type CataloguePage struct {
	Items      []CatalogueAsset `json:"items"`
	NextCursor string           `json:"next_cursor,omitempty"`
	IndexHeight
}

// Catalogue searches the assets and their listings (any member).
func (s *MarketService) Catalogue(ctx context.Context, q CatalogueQuery) (*CataloguePage, error) {
	v := url.Values{}
	for k, val := range map[string]string{"q": q.Text, "category": q.Category, "region": q.Region, "division": q.Division,
		"seller": q.Seller, "status": q.Status, "sort": q.Sort, "cursor": q.Cursor} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if q.MinPriceFen != nil {
		v.Set("minPriceFen", strconv.FormatInt(*q.MinPriceFen, 10))
	}
	if q.MaxPriceFen != nil {
		v.Set("maxPriceFen", strconv.FormatInt(*q.MaxPriceFen, 10))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	q.IndexQuery.query(v)
	var out CataloguePage
	return &out, s.c.get(ctx, "/v1/catalogue", v, &out)
}

// PageQuery asks for one page of an index list.
type PageQuery struct {
	// Limit is the page size (1 to 100; 20 when 0); Cursor the NextCursor
	// of the previous page.
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

// PortfolioRight is one right of a portfolio.
type PortfolioRight struct {
	RightID       string `json:"rightId"`
	Type          string `json:"type"`
	Status        string `json:"status"`
	Origin        string `json:"origin"`
	Purpose       string `json:"purpose"`
	ValidUntil    string `json:"validUntil"`
	IssuedAt      string `json:"issuedAt"`
	AssetID       string `json:"assetId"`
	AssetName     string `json:"assetName"`
	AssetCategory string `json:"assetCategory"`
}

// Portfolio is one page of a participant's rights.
type Portfolio struct {
	ParticipantID string           `json:"participantId"`
	Items         []PortfolioRight `json:"items"`
	NextCursor    string           `json:"next_cursor,omitempty"`
	IndexHeight
}

// Portfolio returns a page of the rights a participant holds (ACTIVE ones
// when status is ""), with the assets they are over (any member).
func (s *MarketService) Portfolio(ctx context.Context, participantID, status string, q PageQuery) (*Portfolio, error) {
	path, err := pathf("/v1/participants/%s/portfolio", seg("participant ID", participantID))
	if err != nil {
		return nil, err
	}
	v := q.values()
	if status != "" {
		v.Set("status", status)
	}
	var out Portfolio
	return &out, s.c.get(ctx, path, v, &out)
}

// TradeHistoryItem is one trade of a participant's history.
type TradeHistoryItem struct {
	TradeID      string `json:"tradeId"`
	ListingID    string `json:"listingId"`
	AssetID      string `json:"assetId"`
	Category     string `json:"category"`
	RightType    string `json:"rightType"`
	Side         string `json:"side"`
	Counterparty string `json:"counterparty"`
	SellerRegion string `json:"sellerRegion"`
	BuyerRegion  string `json:"buyerRegion"`
	Pricing      string `json:"pricing"`
	PriceFen     *int64 `json:"priceFen,omitempty"`
	Status       string `json:"status"`
	CreatedAt    string `json:"createdAt"`
	CompletedAt  string `json:"completedAt,omitempty"`
}

// TradeHistory is one page of a participant's trades, newest first.
type TradeHistory struct {
	ParticipantID string             `json:"participantId"`
	Items         []TradeHistoryItem `json:"items"`
	NextCursor    string             `json:"next_cursor,omitempty"`
	IndexHeight
}

// TradeHistory returns a page of the trades a participant bought or sold in
// (the participant itself, an operator or the regulator).
func (s *MarketService) TradeHistory(ctx context.Context, participantID string, q PageQuery) (*TradeHistory, error) {
	path, err := pathf("/v1/participants/%s/trade-history", seg("participant ID", participantID))
	if err != nil {
		return nil, err
	}
	var out TradeHistory
	return &out, s.c.get(ctx, path, q.values(), &out)
}

// TradeFlow is one cell of the flow matrix.
type TradeFlow struct {
	SellerRegion string `json:"sellerRegion"`
	BuyerRegion  string `json:"buyerRegion"`
	MarketFigures
}

// TradeFlows is the cross-region flow matrix of completed trades.
type TradeFlows struct {
	From  string      `json:"from,omitempty"`
	To    string      `json:"to,omitempty"`
	Flows []TradeFlow `json:"flows"`
	IndexHeight
}

// Flows returns the completed trades from each seller region to each buyer
// region (any member).
func (s *MarketService) Flows(ctx context.Context, w MarketWindow, q IndexQuery) (*TradeFlows, error) {
	v := url.Values{}
	w.query(v)
	q.query(v)
	var out TradeFlows
	return &out, s.c.get(ctx, "/v1/market/flows", v, &out)
}

// CreditLookupCount is the number of credit lookups for a pair of regions.
type CreditLookupCount struct {
	QuerierRegion string `json:"querierRegion"`
	SubjectRegion string `json:"subjectRegion"`
	Lookups       int64  `json:"lookups"`
}

// CreditLookups counts credit lookups per pair of regions.
type CreditLookups struct {
	From   string              `json:"from,omitempty"`
	To     string              `json:"to,omitempty"`
	Counts []CreditLookupCount `json:"counts"`
	Total  int64               `json:"total"`
	IndexHeight
}

// CreditLookups returns how many credit lookups were made per region of the
// one who looked and region of the subject (operators and the regulator).
func (s *MarketService) CreditLookups(ctx context.Context, w MarketWindow, q IndexQuery) (*CreditLookups, error) {
	v := url.Values{}
	w.query(v)
	q.query(v)
	var out CreditLookups
	return &out, s.c.get(ctx, "/v1/market/credit-lookups", v, &out)
}

// post sends a POST without a body and decodes the answer; it is not
// retried.
func (c *Client) post(ctx context.Context, path string, query url.Values, out any) error {
	a, err := c.do(ctx, &request{method: http.MethodPost, path: path, query: query, body: struct{}{}})
	if err != nil {
		return err
	}
	return decode(a, out)
}
