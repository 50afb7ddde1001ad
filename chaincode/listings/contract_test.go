package listings_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/listings"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

const (
	holder    = "sh-holder" // holds both assets
	other     = "js-holder" // a holder in another region, holding nothing here
	buyer     = "sh-buyer"
	operator  = "sh-op" // operator of the seller's region
	foreignOp = "js-op" // operator of another region
	terms     = "terms document v1"
)

// useScope is a valid scope for a USE or OPERATION listing.
const useScope = `{"purpose":"credit risk model","regions":["shanghai","jiangsu"],"validUntil":"2028-01-01T00:00:00Z"}`

// newMarket starts a market with a holder of two registered assets.
func newMarket(t *testing.T) *markettest.Market {
	m := markettest.New(t)
	m.Join(t, markettest.Shanghai, holder, "holder", markettest.USCC(1))
	m.Join(t, markettest.Shanghai, buyer, "buyer", markettest.USCC(2))
	m.Join(t, markettest.Shanghai, operator, "operator", markettest.USCC(100))
	m.Join(t, markettest.Jiangsu, other, "holder,buyer", markettest.USCC(3))
	m.Join(t, markettest.Jiangsu, foreignOp, "operator", markettest.USCC(101))
	m.RegisterAsset(t, holder, operator, "asset-1", "finance", "shanghai")
	m.RegisterAsset(t, holder, operator, "asset-2", "smart-city", "jiangsu")
	return m
}

// create lists a right as seller and returns the listing.
func create(t *testing.T, m *markettest.Market, seller, id, assetID, rightType, scope, pricing, price string) *model.Listing {
	t.Helper()
	var l model.Listing
	m.Submit(seller, "listings:Create", id, assetID, rightType, scope, pricing, price, markettest.Hash(terms)).Unmarshal(t, &l)
	return &l
}

func get(t *testing.T, m *markettest.Market, id string) *model.Listing {
	t.Helper()
	var l model.Listing
	m.Evaluate(buyer, "listings:Get", id).Unmarshal(t, &l)
	return &l
}

// listingKey is the ledger key of a listing.
func listingKey(id string) string { return chaincodetest.Key("listing", id) }

func TestCreateHolding(t *testing.T) {
	m := newMarket(t)
	r := m.Submit(holder, "listings:Create", "L1", "asset-1", "HOLDING", "", "FIXED", "1250000", markettest.Hash(terms)).MustOK(t)
	var l model.Listing
	r.Unmarshal(t, &l)

	at := l.CreatedAt
	assert.Equal(t, model.Listing{
		ID: "L1", AssetID: "asset-1", RightType: "HOLDING", Pricing: "FIXED", PriceFen: 1250000, TermsHash: markettest.Hash(terms),
		Category: "finance", SourceRegion: "shanghai", SellerID: holder, SellerMSP: markettest.Shanghai, Region: "shanghai",
		Status: model.ListingActive, TradeKeys: true, CreatedAt: at, UpdatedAt: at,
	}, l)
	assert.Equal(t, l, *get(t, m, "L1"))
	require.NotNil(t, r.Event)
	assert.Equal(t, model.EventListingCreated, r.Event.Name)
	assert.JSONEq(t, `{"listingId":"L1","assetId":"asset-1","sellerId":"sh-holder","priceFen":1250000}`, string(r.Event.Payload))
	assert.ElementsMatch(t, markettest.Orgs, state.MajorityOrgs(m.Net.Ledger().ValidationParameter(listingKey("L1"))),
		"the listing key needs a majority of the orgs (from interface 18.0.0)")

	var h model.PriceHistory
	m.Evaluate(buyer, "listings:PriceHistory", "L1").Unmarshal(t, &h)
	assert.Equal(t, model.PriceHistory{ListingID: "L1", Items: []model.PricePoint{
		{Seq: 0, PriceFen: 1250000, At: at, TxID: r.TxID, Reason: "listed"},
	}}, h)
}

func TestCreateUseAndOperation(t *testing.T) {
	m := newMarket(t)
	use := create(t, m, holder, "L-use", "asset-2", "USE", useScope, "NEGOTIABLE", "300000")
	require.NotNil(t, use.Scope)
	assert.Equal(t, []string{"jiangsu", "shanghai"}, use.Scope.Regions, "the scope is stored normalised")
	assert.Equal(t, use.CreatedAt, use.Scope.ValidFrom, "the term starts at listing time")
	assert.Equal(t, "smart-city", use.Category)
	assert.Equal(t, "jiangsu", use.SourceRegion)
	assert.Equal(t, "shanghai", use.Region, "the listing's region is its seller's")

	op := create(t, m, holder, "L-op", "asset-2", "OPERATION", useScope, "FIXED", "900000")
	assert.Equal(t, "OPERATION", op.RightType)
	// A licence is not the holding: several may be on offer next to a HOLDING listing.
	create(t, m, holder, "L-use2", "asset-2", "USE", useScope, "FIXED", "100000")
	create(t, m, holder, "L-hold", "asset-2", "HOLDING", "", "FIXED", "5000000")
}

func TestCreateByOperationRightHolder(t *testing.T) {
	m := newMarket(t)
	sublicensable := `{"purpose":"credit risk model","regions":["shanghai","jiangsu"],"validUntil":"2029-01-01T00:00:00Z","maySublicense":true}`
	var offered model.Right
	m.Submit(holder, "rights:Grant", "asset-1", other, "OPERATION", sublicensable).Unmarshal(t, &offered)
	// Offered, not yet accepted, the OPERATION right entitles nothing.
	m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
		return m.Submit(other, "listings:Create", "L-resale", "asset-1", "USE", useScope, "FIXED", "1000", markettest.Hash(terms))
	})
	m.Accept(t, &offered)

	l := create(t, m, other, "L-resale", "asset-1", "USE", useScope, "FIXED", "1000")
	assert.Equal(t, other, l.SellerID)
	assert.Equal(t, "jiangsu", l.Region)

	// An OPERATION right does not entitle selling the holding, nor a wider scope.
	m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
		return m.Submit(other, "listings:Create", "L-x", "asset-1", "HOLDING", "", "FIXED", "1000", markettest.Hash(terms))
	})
	wider := `{"purpose":"credit risk model","regions":["anhui"],"validUntil":"2028-01-01T00:00:00Z"}`
	m.Refuse(t, ledgererr.InvalidArgument, "scope.regions", func() chaincodetest.Result {
		return m.Submit(other, "listings:Create", "L-x", "asset-1", "USE", wider, "FIXED", "1000", markettest.Hash(terms))
	})
}

// A listing names no right: when its seller renounces the OPERATION right it
// listed under, the listing stays as it was, as after a revocation, and
// every step that would sell under the right is refused, because each
// re-checks the seller's entitlement (rights.CheckOffer).
func TestListingUnderARenouncedOperationRight(t *testing.T) {
	m := newMarket(t)
	sublicensable := `{"purpose":"credit risk model","regions":["shanghai","jiangsu"],"validUntil":"2029-01-01T00:00:00Z","maySublicense":true}`
	op := m.Grant(t, holder, "asset-1", other, "OPERATION", sublicensable)
	listed := create(t, m, other, "L-resale", "asset-1", "USE", useScope, "FIXED", "1000")
	m.Submit(buyer, "trades:Order", "T-before", "L-resale").MustOK(t)

	m.Submit(other, "rights:Renounce", op.ID).MustOK(t)
	var l model.Listing
	m.Evaluate(buyer, "listings:Get", "L-resale").Unmarshal(t, &l)
	assert.Equal(t, *listed, l, "renouncing changes no listing")
	m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result { return m.Submit(buyer, "trades:Order", "T-after", "L-resale") })
	m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result { return m.Submit(other, "trades:Accept", "T-before") })
	m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
		return m.Submit(other, "listings:Create", "L-again", "asset-1", "USE", useScope, "FIXED", "1000", markettest.Hash(terms))
	})
}

func TestCreateRefusals(t *testing.T) {
	m := newMarket(t)
	create(t, m, holder, "L1", "asset-1", "HOLDING", "", "FIXED", "1000")
	h := markettest.Hash(terms)
	cases := []struct {
		name  string
		who   string
		args  []string
		code  ledgererr.Code
		field string
	}{
		{"bad id", holder, []string{"", "asset-1", "USE", useScope, "FIXED", "1000", h}, ledgererr.InvalidArgument, "id"},
		{"bad asset id", holder, []string{"L2", "asset 1", "USE", useScope, "FIXED", "1000", h}, ledgererr.InvalidArgument, "assetId"},
		{"bad right type", holder, []string{"L2", "asset-1", "LEASE", useScope, "FIXED", "1000", h}, ledgererr.InvalidArgument, "rightType"},
		{"holding with scope", holder, []string{"L2", "asset-2", "HOLDING", useScope, "FIXED", "1000", h}, ledgererr.InvalidArgument, "scope"},
		{"use without scope", holder, []string{"L2", "asset-1", "USE", "", "FIXED", "1000", h}, ledgererr.InvalidArgument, "scope"},
		{"bad scope region", holder, []string{"L2", "asset-1", "USE", `{"purpose":"p","regions":["beijing"],"validUntil":"2028-01-01T00:00:00Z"}`, "FIXED", "1000", h}, ledgererr.InvalidArgument, "scope.regions[0]"},
		{"bad pricing", holder, []string{"L2", "asset-1", "USE", useScope, "AUCTION", "1000", h}, ledgererr.InvalidArgument, "pricing"},
		{"zero price", holder, []string{"L2", "asset-1", "USE", useScope, "FIXED", "0", h}, ledgererr.InvalidArgument, "priceFen"},
		{"decimal price", holder, []string{"L2", "asset-1", "USE", useScope, "FIXED", "10.50", h}, ledgererr.InvalidArgument, "priceFen"},
		{"bad terms hash", holder, []string{"L2", "asset-1", "USE", useScope, "FIXED", "1000", "abc"}, ledgererr.InvalidArgument, "termsHash"},
		{"not a holder", buyer, []string{"L2", "asset-1", "USE", useScope, "FIXED", "1000", h}, ledgererr.Forbidden, ""},
		{"not entitled", other, []string{"L2", "asset-1", "USE", useScope, "FIXED", "1000", h}, ledgererr.Forbidden, ""},
		{"no such asset", holder, []string{"L2", "asset-9", "USE", useScope, "FIXED", "1000", h}, ledgererr.NotFound, ""},
		{"duplicate id", holder, []string{"L1", "asset-2", "USE", useScope, "FIXED", "1000", h}, ledgererr.Conflict, ""},
		{"second holding listing", holder, []string{"L2", "asset-1", "HOLDING", "", "NEGOTIABLE", "2000", h}, ledgererr.Conflict, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m.Refuse(t, tc.code, tc.field, func() chaincodetest.Result {
				return m.Submit(tc.who, "listings:Create", tc.args...)
			})
		})
	}
	t.Run("unregistered caller", func(t *testing.T) {
		m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
			return m.Net.Submit(m.Stranger(markettest.Shanghai), "listings:Create", "L2", "asset-1", "USE", useScope, "FIXED", "1000", h)
		})
	})
}

func TestUpdatePrice(t *testing.T) {
	m := newMarket(t)
	l := create(t, m, holder, "L1", "asset-1", "USE", useScope, "FIXED", "1000")

	r := m.Submit(holder, "listings:UpdatePrice", "L1", "1500", "demand is up").MustOK(t)
	var updated model.Listing
	r.Unmarshal(t, &updated)
	assert.EqualValues(t, 1500, updated.PriceFen)
	assert.Equal(t, 1, updated.PriceSeq)
	assert.Equal(t, model.EventListingPriceUpdated, r.Event.Name)
	assert.JSONEq(t, `{"listingId":"L1","assetId":"asset-1","sellerId":"sh-holder","priceFen":1500}`, string(r.Event.Payload))
	r2 := m.Submit(holder, "listings:UpdatePrice", "L1", "1200", "discount").MustOK(t)

	var h model.PriceHistory
	m.Evaluate(other, "listings:PriceHistory", "L1").Unmarshal(t, &h)
	require.Len(t, h.Items, 3)
	assert.Equal(t, model.PricePoint{Seq: 0, PriceFen: 1000, At: l.CreatedAt, TxID: h.Items[0].TxID, Reason: "listed"}, h.Items[0])
	assert.Equal(t, model.PricePoint{Seq: 1, PriceFen: 1500, At: updated.UpdatedAt, TxID: r.TxID, Reason: "demand is up"}, h.Items[1])
	assert.EqualValues(t, 1200, h.Items[2].PriceFen)
	assert.Equal(t, r2.TxID, h.Items[2].TxID)
	assert.EqualValues(t, 1200, get(t, m, "L1").PriceFen)

	create(t, m, holder, "L2", "asset-2", "USE", useScope, "FIXED", "1000")
	m.Submit(holder, "listings:Delist", "L2", "withdrawn").MustOK(t)
	cases := []struct {
		name, who, id, price, reason string
		code                         ledgererr.Code
		field                        string
	}{
		{"bad id", holder, "L 1", "2000", "r", ledgererr.InvalidArgument, "id"},
		{"bad price", holder, "L1", "-5", "r", ledgererr.InvalidArgument, "priceFen"},
		{"no reason", holder, "L1", "2000", " ", ledgererr.InvalidArgument, "reason"},
		{"not the seller", other, "L1", "2000", "r", ledgererr.Forbidden, ""},
		{"operator is not the seller", operator, "L1", "2000", "r", ledgererr.Forbidden, ""},
		{"same price", holder, "L1", "1200", "r", ledgererr.Conflict, ""},
		{"delisted", holder, "L2", "2000", "r", ledgererr.Conflict, ""},
		{"no such listing", holder, "L9", "2000", "r", ledgererr.NotFound, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m.Refuse(t, tc.code, tc.field, func() chaincodetest.Result {
				return m.Submit(tc.who, "listings:UpdatePrice", tc.id, tc.price, tc.reason)
			})
		})
	}
}

func TestDelist(t *testing.T) {
	m := newMarket(t)
	create(t, m, holder, "L1", "asset-1", "HOLDING", "", "FIXED", "1000")
	create(t, m, holder, "L2", "asset-2", "USE", useScope, "FIXED", "1000")

	r := m.Submit(holder, "listings:Delist", "L1", "sold elsewhere").MustOK(t)
	var l model.Listing
	r.Unmarshal(t, &l)
	assert.Equal(t, model.ListingDelisted, l.Status)
	assert.Equal(t, "sold elsewhere", l.StatusReason)
	assert.Equal(t, model.EventListingDelisted, r.Event.Name)
	assert.JSONEq(t, `{"listingId":"L1","assetId":"asset-1","sellerId":"sh-holder"}`, string(r.Event.Payload))
	assert.Empty(t, page(t, m, "ListByCategory", "finance", "", "").Items, "a delisted listing leaves the browse indexes")
	assert.Empty(t, page(t, m, "ListByRegion", "shanghai", "", "").Items)
	assert.Equal(t, []string{"L1", "L2"}, ids(page(t, m, "ListBySeller", holder, "", "").Items), "its seller still sees it")

	// The asset's one HOLDING offer is free again.
	create(t, m, holder, "L3", "asset-1", "HOLDING", "", "NEGOTIABLE", "2000")

	// The exchange of the seller's region may delist too.
	m.Submit(operator, "listings:Delist", "L2", "misdescribed data").MustOK(t)
	assert.Equal(t, model.ListingDelisted, get(t, m, "L2").Status)

	cases := []struct {
		name, who, id, reason string
		code                  ledgererr.Code
		field                 string
	}{
		{"bad id", holder, "", "r", ledgererr.InvalidArgument, "id"},
		{"no reason", holder, "L3", "", ledgererr.InvalidArgument, "reason"},
		{"a buyer", buyer, "L3", "r", ledgererr.Forbidden, ""},
		{"operator of another region", foreignOp, "L3", "r", ledgererr.Forbidden, ""},
		{"already delisted", holder, "L1", "r", ledgererr.Conflict, ""},
		{"no such listing", holder, "L9", "r", ledgererr.NotFound, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m.Refuse(t, tc.code, tc.field, func() chaincodetest.Result {
				return m.Submit(tc.who, "listings:Delist", tc.id, tc.reason)
			})
		})
	}
}

// Staff's USCC is their org's word, which no certificate vouches for: a staff operator registered under the USCC
// of an enterprise before the enterprise's certified members (staff bind no enterprise, so these register after
// them) does not act for it, and its listing is no listing of the operator's own enterprise. The operator is partial
// (it shares the holder's USCC) and may not delist it as the exchange; an impartial one may.
func TestStaffDoNotDelistAsTheEnterpriseTheirUSCCNames(t *testing.T) {
	m := markettest.New(t)
	staff := m.CA(markettest.Shanghai).Issue("sh-staff", "client") // certifies no enterprise
	m.Net.Submit(m.Admin(markettest.Shanghai), "participants:Register", "sh-staff", string(staff.CertPEM), "operator", markettest.USCC(1), "Staff", "shanghai").MustOK(t)
	m.Join(t, markettest.Shanghai, holder, "holder", markettest.USCC(1))
	m.Join(t, markettest.Shanghai, buyer, "buyer", markettest.USCC(2))
	m.Join(t, markettest.Shanghai, operator, "operator", markettest.USCC(100))
	m.RegisterAsset(t, holder, operator, "asset-1", "finance", "shanghai")
	create(t, m, holder, "L1", "asset-1", "HOLDING", "", "FIXED", "1000")

	var r chaincodetest.Result
	m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
		r = m.Net.Submit(staff, "listings:Delist", "L1", "partial")
		return r
	})
	assert.Contains(t, r.Message, `acts for `+markettest.USCC(1)+`, the enterprise of "`+holder+`"`)
	assert.Equal(t, model.ListingActive, get(t, m, "L1").Status)
	m.Submit(operator, "listings:Delist", "L1", "misdescribed data").MustOK(t)
}

func page(t *testing.T, m *markettest.Market, function, value, size, bookmark string) *model.ListingPage {
	t.Helper()
	var p model.ListingPage
	m.Evaluate(buyer, "listings:"+function, value, size, bookmark).Unmarshal(t, &p)
	return &p
}

func ids(items []*model.Listing) []string {
	out := []string{}
	for _, l := range items {
		out = append(out, l.ID)
	}
	return out
}

// collect pages through a browse index and returns the IDs in order, with
// the size of each page.
func collect(t *testing.T, m *markettest.Market, function, value, size string) ([]string, []int) {
	t.Helper()
	var all []string
	var sizes []int
	chaincodetest.EachPage(func(bookmark string) string {
		p := page(t, m, function, value, size, bookmark)
		all = append(all, ids(p.Items)...)
		sizes = append(sizes, len(p.Items))
		if len(p.Items) == 0 {
			return ""
		}
		return p.Bookmark
	})
	return all, sizes
}

func TestBrowsePagination(t *testing.T) {
	m := newMarket(t)
	var finance, smartCity []string
	for i := range 25 {
		id := fmt.Sprintf("F%02d", i)
		create(t, m, holder, id, "asset-1", "USE", useScope, "FIXED", "1000")
		finance = append(finance, id)
	}
	for i := range 3 {
		id := fmt.Sprintf("S%02d", i)
		create(t, m, holder, id, "asset-2", "USE", useScope, "NEGOTIABLE", "1000")
		smartCity = append(smartCity, id)
	}
	m.Submit(holder, "listings:Delist", "F07", "withdrawn").MustOK(t)
	active := append(append([]string{}, finance[:7]...), finance[8:]...)

	got, sizes := collect(t, m, "ListByCategory", "finance", "10")
	assert.Equal(t, active, got)
	assert.Equal(t, []int{10, 10, 4}, sizes)

	got, _ = collect(t, m, "ListByRegion", "shanghai", "7")
	assert.Equal(t, active, got, "asset-1 is sourced in shanghai")
	got, _ = collect(t, m, "ListByRegion", "jiangsu", "")
	assert.Equal(t, smartCity, got, "asset-2 is sourced in jiangsu")

	got, sizes = collect(t, m, "ListBySeller", holder, "")
	assert.Equal(t, append(append([]string{}, finance...), smartCity...), got, "the seller's index keeps delisted listings")
	assert.Equal(t, []int{20, 8}, sizes, "the default page is 20")

	assert.Equal(t, []*model.Listing{}, page(t, m, "ListByCategory", "health", "", "").Items, "an empty page has items [], not null")
	r := m.Evaluate(buyer, "listings:ListByCategory", "finance", "10", "")
	r.MustOK(t)
	assert.Equal(t, []string{"GET_STATE_MULTIPLE"}, slices.DeleteFunc(slices.Clone(r.Requests), func(req string) bool { return req != "GET_STATE" && req != "GET_STATE_MULTIPLE" }),
		"a page's listings are read in one request to the peer, not one each: %v", r.Requests)
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(m.Evaluate(buyer, "listings:ListBySeller", other, "", "").Payload, &raw))
	assert.Equal(t, "[]", string(raw["items"]))

	refusals := []struct {
		function, value, size, bookmark, field string
	}{
		{"ListByCategory", "Finance", "", "", "category"},
		{"ListByRegion", "beijing", "", "", "region"},
		{"ListBySeller", "", "", "", "sellerId"},
		{"ListByCategory", "finance", "0", "", "pageSize"},
		{"ListByCategory", "finance", "101", "", "pageSize"},
		{"ListBySeller", holder, "x", "", "pageSize"},
	}
	for _, tc := range refusals {
		t.Run(tc.function+" "+tc.field, func(t *testing.T) {
			markettest.RequireRefused(t, m.Evaluate(buyer, "listings:"+tc.function, tc.value, tc.size, tc.bookmark), ledgererr.InvalidArgument, tc.field)
		})
	}
}

func TestGetAndPriceHistoryRefusals(t *testing.T) {
	m := newMarket(t)
	markettest.RequireRefused(t, m.Evaluate(buyer, "listings:Get", "L9"), ledgererr.NotFound, "")
	markettest.RequireRefused(t, m.Evaluate(buyer, "listings:Get", "L/9"), ledgererr.InvalidArgument, "id")
	markettest.RequireRefused(t, m.Evaluate(buyer, "listings:PriceHistory", "L9"), ledgererr.NotFound, "")
	markettest.RequireRefused(t, m.Evaluate(buyer, "listings:PriceHistory", ""), ledgererr.InvalidArgument, "id")
}

// markSold runs listings.MarkSold in a submitted transaction, as the trades
// contract does when a HOLDING sale completes: the sale tradeID of listing
// l, whose facts it copied when it opened.
func markSold(m *markettest.Market, l *model.Listing, tradeID string) chaincodetest.Result {
	return m.Net.SubmitFunc(m.As(holder), func(stub shim.ChaincodeStubInterface) error {
		ctx := &contractapi.TransactionContext{}
		ctx.SetStub(stub)
		now, err := state.Now(ctx)
		if err != nil {
			return err
		}
		return listings.MarkSold(ctx, &model.Trade{ID: tradeID, ListingID: l.ID, AssetID: l.AssetID, RightType: l.RightType,
			Category: l.Category, Region: l.Region, SourceRegion: l.SourceRegion, SellerID: l.SellerID, SellerMSP: l.SellerMSP}, now)
	})
}

func TestMarkSold(t *testing.T) {
	m := newMarket(t)
	l1 := create(t, m, holder, "L1", "asset-1", "HOLDING", "", "FIXED", "1000")
	l2 := create(t, m, holder, "L2", "asset-2", "HOLDING", "", "FIXED", "1000")
	l3 := create(t, m, holder, "L3", "asset-2", "USE", useScope, "FIXED", "1000")
	m.Submit(holder, "listings:Delist", "L2", "paused").MustOK(t)

	markSold(m, l1, "T1").MustOK(t)
	l := get(t, m, "L1")
	assert.Equal(t, model.ListingSold, l.Status)
	var closing model.ListingClosing
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(chaincodetest.Key(model.ListingClosedKeyType, "L1")), &closing))
	assert.Equal(t, model.ListingClosing{ListingID: "L1", Status: model.ListingSold, SoldTradeID: "T1", At: l.UpdatedAt}, closing,
		"the closing names the sale")
	var stored model.Listing
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(chaincodetest.Key("listing", "L1")), &stored))
	assert.Equal(t, model.ListingActive, stored.Status, "the sale writes no listing")
	assert.Empty(t, l.SoldTradeID, "the answer names it to no one who may not read trade T1, which is none of the ledger's")
	assert.Equal(t, []string{"L3"}, ids(page(t, m, "ListByCategory", "smart-city", "", "").Items))
	assert.Empty(t, page(t, m, "ListByCategory", "finance", "", "").Items, "a sold listing leaves the browse indexes")

	// A trade accepted before its listing was delisted still completes the sale.
	markSold(m, l2, "T2").MustOK(t)
	assert.Equal(t, model.ListingSold, get(t, m, "L2").Status)

	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result { return markSold(m, l1, "T3") })
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result { return markSold(m, l3, "T3") })
	// The sale, vouched by its opening mark, closes its listing whatever
	// the record (its seller's org's alone before interface 18.0.0) says,
	// even where there is none.
	gone := *l1
	gone.ID = "L9"
	markSold(m, &gone, "T4").MustOK(t)
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(chaincodetest.Key(model.ListingClosedKeyType, "L9")), &closing))
	assert.Equal(t, "T4", closing.SoldTradeID)
}

// A holding that changes hands takes the former holder's listings of the
// asset off the market in the same transaction: neither its HOLDING listing
// nor the licences it offered from the holding stay in the catalogue, and
// the new holder may list the holding itself. Its listings of other assets
// stay.
func TestTransferredHoldingTakesTheFormerHoldersListingsOffTheMarket(t *testing.T) {
	m := newMarket(t)
	create(t, m, holder, "L-hold", "asset-1", "HOLDING", "", "FIXED", "1000000")
	create(t, m, holder, "L-use", "asset-1", "USE", useScope, "FIXED", "5000")
	create(t, m, holder, "L-other", "asset-2", "USE", useScope, "FIXED", "5000")
	m.Submit(holder, "rights:TransferHolding", "asset-1", other, "merger of the data business").MustOK(t)
	// Offered, nothing moves: the listings stay until the new holder accepts.
	assert.Equal(t, model.ListingActive, get(t, m, "L-hold").Status)
	m.Submit(other, "rights:AcceptHolding", "asset-1").MustOK(t)

	for _, id := range []string{"L-hold", "L-use"} {
		l := get(t, m, id)
		assert.Equal(t, model.ListingDelisted, l.Status, id)
		assert.Contains(t, l.StatusReason, "no longer holds", id)
	}
	assert.Equal(t, model.ListingActive, get(t, m, "L-other").Status)
	var page model.ListingPage
	m.Evaluate(buyer, "listings:ListByCategory", "finance", "", "").Unmarshal(t, &page)
	assert.Empty(t, page.Items, "the former holder's offers of asset-1 left the catalogue")
	m.Evaluate(buyer, "listings:ListByRegion", "shanghai", "", "").Unmarshal(t, &page)
	assert.Empty(t, page.Items)

	l := create(t, m, other, "L-new", "asset-1", "HOLDING", "", "FIXED", "1100000")
	assert.Equal(t, model.ListingActive, l.Status)
}

// A right sold under an OPERATION right carries that right as its parent, so
// a seller whose OPERATION right already sits at the sublicence depth limit
// cannot offer it: the buyer would receive a right one level too deep, which
// could never be used.
func TestOperationRightAtTheDepthLimitIsNotOffered(t *testing.T) {
	m := newMarket(t)
	const deepSeller = "ah-seller" // will hold the deepest right only
	m.Join(t, markettest.Anhui, deepSeller, "holder", markettest.USCC(9))
	const subScope = `{"purpose":"credit risk model","regions":["shanghai","jiangsu"],"validUntil":"2028-01-01T00:00:00Z","maySublicense":true}`
	r := m.Grant(t, holder, "asset-1", other, "OPERATION", subScope)
	chain := []string{other, buyer, other, buyer, other, buyer, other, buyer, deepSeller} // holders by depth
	for depth := 1; depth < len(chain); depth++ {
		r = m.Sublicense(t, chain[depth-1], r.ID, chain[depth], subScope)
	}
	// The seller's right has eight parents, the most a right may have: it is
	// usable, but a right sold under it would have nine.
	for _, rightType := range []string{"OPERATION", "USE"} {
		m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
			return m.Submit(deepSeller, "listings:Create", "L-deep", "asset-1", rightType, useScope, "FIXED", "9000", markettest.Hash(terms))
		})
	}
	// One level up, a sale is fine: the buyer's right would have eight.
	create(t, m, other, "L-ok", "asset-1", "USE", useScope, "FIXED", "9000")
}
