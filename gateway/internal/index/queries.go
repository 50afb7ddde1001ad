package index

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// Page bounds of the index's lists: the chaincode's, which the gateway
// checks a limit against (and a page of GET /v1/indices is read from the
// chain in one evaluation of at most model.MaxPublicationsPerRead periods).
const (
	DefaultPageSize = model.DefaultPageSize
	MaxPageSize     = model.MaxPageSize
)

// ErrBadCursor is a cursor that is not one of this list's.
var ErrBadCursor = ledgererr.Messagef("not a cursor of this list: use the next_cursor of the previous page")

// cursor is the sort key of the last item of a page, opaque to clients.
func encodeCursor(kind string, keys ...any) string {
	b, _ := json.Marshal(append([]any{kind}, keys...))
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor of the given kind into dst (pointers to the
// keys' types).
func decodeCursor(c, kind string, dst ...any) error {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return ErrBadCursor
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) != len(dst)+1 {
		return ErrBadCursor
	}
	var k string
	if json.Unmarshal(raw[0], &k) != nil || k != kind {
		return ErrBadCursor
	}
	for i, d := range dst {
		if err := json.Unmarshal(raw[i+1], d); err != nil {
			return ErrBadCursor
		}
		// No key of a row holds a NUL, and PostgreSQL refuses one in a
		// query: a forged cursor must not fail the database.
		if s, ok := d.(*string); ok && strings.ContainsRune(*s, 0) {
			return ErrBadCursor
		}
	}
	return nil
}

// keyset is the order of a paged list: by col, then by id, both ascending
// or both descending. A page's cursor holds its last row's two, and the next
// page starts after them: every paged list writes that condition here.
type keyset struct {
	col, id string
	desc    bool
}

// order is the ORDER BY of the list.
func (k keyset) order() string {
	if k.desc {
		return k.col + " DESC, " + k.id + " DESC"
	}
	return k.col + ", " + k.id
}

// after adds to where and args the condition that keeps the rows after
// cursor, a cursor of the list kind ("": the first page, no condition). last
// points to a value of col's type (*int64 or *string) for the cursor's key.
func (k keyset) after(where []string, args []any, cursor, kind string, last any) ([]string, []any, error) {
	if cursor == "" {
		return where, args, nil
	}
	var id string
	if err := decodeCursor(cursor, kind, last, &id); err != nil {
		return nil, nil, err
	}
	var key any
	switch p := last.(type) {
	case *int64:
		key = *p
	case *string:
		key = *p
	default:
		panic(fmt.Sprintf("index: keyset key of type %T", last))
	}
	cmp := ">"
	if k.desc {
		cmp = "<"
	}
	return append(where, fmt.Sprintf("(%[1]s %[3]s ? OR (%[1]s = ? AND %[2]s %[3]s ?))", k.col, k.id, cmp)), append(args, key, key, id), nil
}

// nextPage ends a page read with one row more than limit: the first limit
// items and, when there was more, the cursor that cursorOf gives of the
// last item kept (its index).
func nextPage[T any](items []T, limit int, cursorOf func(last int) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	return items[:limit], cursorOf(limit - 1)
}

func pageSize(n int) int {
	if n < 1 {
		return DefaultPageSize
	}
	return min(n, MaxPageSize)
}

// rfc3339 writes a ledger time; empty for 0.
func rfc3339(unix int64) string {
	if unix == 0 {
		return ""
	}
	return time.Unix(unix, 0).UTC().Format(time.RFC3339)
}

// like is a LIKE pattern that matches s anywhere, with \ escaping.
func like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// CatalogueQuery selects catalogue entries.
type CatalogueQuery struct {
	Text, Category, Region, Division, Seller, Status, Sort string
	MinPriceFen, MaxPriceFen                               *int64
	Limit                                                  int
	Cursor                                                 string
}

// Catalogue searches the assets.
func (x *Index) Catalogue(ctx context.Context, q CatalogueQuery) (*ledgerindex.CataloguePage, error) {
	status := q.Status
	if status == "" {
		status = "REGISTERED"
	}
	where, args := []string{"status = ?"}, []any{status}
	add := func(clause string, a ...any) { where, args = append(where, clause), append(args, a...) }
	if q.Category != "" {
		add("category = ?", q.Category)
	}
	if q.Region != "" {
		add("exchange_region = ?", q.Region)
	}
	if q.Division != "" {
		add("division LIKE ?", divisionPrefix(q.Division)+"%")
	}
	if q.Seller != "" {
		// A union of two index lookups: "holder_id = ? OR id IN (...)" was
		// answered by reading every asset of the status.
		add("id IN (SELECT id FROM assets WHERE holder_id = ? UNION SELECT asset_id FROM listings WHERE seller_id = ? AND status = 'ACTIVE')", q.Seller, q.Seller)
	}
	if q.MinPriceFen != nil || q.MaxPriceFen != nil {
		lo, hi := int64(0), int64(1<<63-1)
		if q.MinPriceFen != nil {
			lo = *q.MinPriceFen
		}
		if q.MaxPriceFen != nil {
			hi = *q.MaxPriceFen
		}
		add("id IN (SELECT asset_id FROM listings WHERE status = 'ACTIVE' AND price_fen >= ? AND price_fen <= ?)", lo, hi)
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	sortKind := q.Sort
	if sortKind == "" {
		sortKind = ledgerindex.SortNewest
	}
	var ks keyset
	var last any = new(int64)
	switch sortKind {
	case ledgerindex.SortNewest:
		ks = keyset{col: "registered_at", id: "id", desc: true}
	case ledgerindex.SortName:
		ks, last = keyset{col: "name", id: "id"}, new(string)
	case ledgerindex.SortPrice, ledgerindex.SortPriceDesc:
		// Only listed assets have a price to sort by.
		add("min_price_fen IS NOT NULL")
		ks = keyset{col: "min_price_fen", id: "id", desc: sortKind == ledgerindex.SortPriceDesc}
	default:
		return nil, fmt.Errorf("unknown sort %q", q.Sort)
	}
	order := ks.order()
	where, args, err := ks.after(where, args, q.Cursor, sortKind, last)
	if err != nil {
		return nil, err
	}
	limit := pageSize(q.Limit)
	const columns = "id, name, description, category, source_region, exchange_region, division, holder_id, status, registered_at, min_price_fen"
	page := fmt.Sprintf(" ORDER BY %s LIMIT %d", order, limit+1)
	filtered := "FROM assets WHERE " + strings.Join(where, " AND ")

	out := &ledgerindex.CataloguePage{}
	return snapshot(ctx, x, out, &out.IndexHeight, func(t *tx) (err error) {
		var registered []int64
		if text == "" {
			out.Items, registered, err = catalogueRows(ctx, t, "SELECT "+columns+" "+filtered+page, args...)
		} else {
			// A text search first reads the first textProbe assets in the
			// page's order that pass the other filters and checks each for the
			// text: a common word fills the page from them. Only a page that
			// stays short is searched again through the text index (SQLite's
			// full-text table, PostgreSQL's trigram index on search), whose
			// matches for a rare word are few; for a common word (a fifth of
			// 100,000 assets) they were all read and sorted for every page.
			out.Items, registered, err = catalogueRows(ctx, t, "SELECT "+columns+" FROM (SELECT "+columns+", search "+filtered+
				fmt.Sprintf(" ORDER BY %s LIMIT %d) probe WHERE search LIKE ? ESCAPE '\\'", order, textProbe)+page,
				append(slices.Clone(args), like(text))...)
			if err == nil && len(out.Items) <= limit {
				if x.db.name == "sqlite" && len([]rune(text)) >= 3 {
					// The trigram full-text index finds substrings of three
					// characters or more, in any script.
					add("id IN (SELECT asset_id FROM asset_text WHERE asset_text MATCH ?)", `"`+strings.ReplaceAll(text, `"`, `""`)+`"`)
				} else {
					add(`search LIKE ? ESCAPE '\'`, like(text))
				}
				out.Items, registered, err = catalogueRows(ctx, t, "SELECT "+columns+" FROM assets WHERE "+strings.Join(where, " AND ")+page, args...)
			}
		}
		if err != nil {
			return err
		}
		out.Items, out.NextCursor = nextPage(out.Items, limit, func(last int) string {
			switch a := out.Items[last]; sortKind {
			case ledgerindex.SortNewest:
				return encodeCursor(sortKind, registered[last], a.ID)
			case ledgerindex.SortName:
				return encodeCursor(sortKind, a.Name, a.ID)
			default:
				return encodeCursor(sortKind, *a.MinPriceFen, a.ID)
			}
		})
		return catalogueListings(ctx, t, out.Items)
	})
}

// textProbe is how many assets a text search checks one by one before it
// asks the text index.
const textProbe = 1000

// catalogueRows reads a query of the catalogue's columns: the assets and
// their registration times.
func catalogueRows(ctx context.Context, t *tx, query string, args ...any) ([]ledgerindex.CatalogueAsset, []int64, error) {
	var registered []int64
	items, err := queryAll(ctx, t, query, args, func(rows *sql.Rows) (ledgerindex.CatalogueAsset, error) {
		var a ledgerindex.CatalogueAsset
		var at int64
		var price sql.NullInt64
		if err := rows.Scan(&a.ID, &a.Name, &a.Description, &a.Category, &a.SourceRegion, &a.ExchangeRegion, &a.Division,
			&a.HolderID, &a.Status, &at, &price); err != nil {
			return a, err
		}
		a.RegisteredAt = rfc3339(at)
		if price.Valid {
			a.MinPriceFen = &price.Int64
		}
		a.Listings = []ledgerindex.CatalogueListing{}
		registered = append(registered, at)
		return a, nil
	})
	return items, registered, err
}

// catalogueListings adds the ACTIVE listings of a page's assets, in one
// query.
func catalogueListings(ctx context.Context, t *tx, items []ledgerindex.CatalogueAsset) error {
	if len(items) == 0 {
		return nil
	}
	at := map[string]int{}
	var args []any
	for i, a := range items {
		at[a.ID] = i
		args = append(args, a.ID)
	}
	rows, err := t.query(ctx, `SELECT asset_id, id, right_type, pricing, price_fen, seller_id FROM listings
		WHERE status = 'ACTIVE' AND asset_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+`)
		ORDER BY asset_id, price_fen, id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var asset string
		var l ledgerindex.CatalogueListing
		if err := rows.Scan(&asset, &l.ID, &l.RightType, &l.Pricing, &l.PriceFen, &l.SellerID); err != nil {
			return err
		}
		items[at[asset]].Listings = append(items[at[asset]].Listings, l)
	}
	return rows.Err()
}

// divisionPrefix is the part of a division code that everything in the
// division shares: two digits for a province, four for a city, six for a
// district.
func divisionPrefix(code string) string {
	switch {
	case strings.HasSuffix(code, "0000"):
		return code[:2]
	case strings.HasSuffix(code, "00"):
		return code[:4]
	}
	return code
}

// Portfolio lists a participant's rights with the assets they are over,
// each with its status as it reads now (an ACTIVE right past its term is
// EXPIRED, one below a revoked right REVOKED, see rights.go); status
// filters on that status.
func (x *Index) Portfolio(ctx context.Context, participant, status string, limit int, cursor string) (*ledgerindex.Portfolio, error) {
	if status == "" {
		status = model.RightActive
	}
	rights := x.readRights()
	is, isArgs := rights.statusIs(status)
	ks := keyset{col: "r.asset_id", id: "r.id"}
	where, args, err := ks.after([]string{"r.holder_id = ?", is}, append([]any{participant}, isArgs...), cursor, "portfolio", new(string))
	if err != nil {
		return nil, err
	}
	limit = pageSize(limit)
	statusAt, statusArgs := rights.status()
	out := &ledgerindex.Portfolio{ParticipantID: participant}
	return snapshot(ctx, x, out, &out.IndexHeight, func(t *tx) (err error) {
		out.Items, err = queryAll(ctx, t, `SELECT r.id, r.type, `+statusAt+`, r.origin, r.purpose, r.valid_until, r.issued_at, r.ends_at, r.asset_id,
		COALESCE(a.name, ''), COALESCE(a.category, '') FROM rights r LEFT JOIN assets a ON a.id = r.asset_id
		WHERE `+strings.Join(where, " AND ")+fmt.Sprintf(" ORDER BY %s LIMIT %d", ks.order(), limit+1), append(statusArgs, args...),
			func(rows *sql.Rows) (ledgerindex.PortfolioRight, error) {
				var r ledgerindex.PortfolioRight
				var issued int64
				var endsAt string
				err := rows.Scan(&r.RightID, &r.Type, &r.Status, &r.StatusFrom, &r.Origin, &r.Purpose, &r.ValidUntil, &issued, &endsAt, &r.AssetID,
					&r.AssetName, &r.AssetCategory)
				r.IssuedAt = rfc3339(issued)
				if r.Status == model.RightOffered {
					// ends_at is model.Right.EndsAt: an offer's lapse.
					r.OfferExpiresAt = endsAt
				}
				return r, err
			})
		if err != nil {
			return err
		}
		out.Items, out.NextCursor = nextPage(out.Items, limit, func(last int) string {
			return encodeCursor("portfolio", out.Items[last].AssetID, out.Items[last].RightID)
		})
		return nil
	})
}

// Overseen is what of the trades a list holds an operator of Region may read, as trades:Get decides: those listed
// in Region (a trade's own region), and those bought by a member of BuyerOrgs, the orgs the market rules in force
// bind to Region (the buyer's region now). A trade its seller's org sold in another region before the rules moved
// it is neither.
type Overseen struct {
	Region    string
	BuyerOrgs []string
}

// where adds the condition that keeps the trades o oversees.
func (o Overseen) where(where []string, args []any) ([]string, []any) {
	cond := "region = ?"
	args = append(args, o.Region)
	if len(o.BuyerOrgs) > 0 {
		cond += " OR buyer_msp IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(o.BuyerOrgs)), ", ") + ")"
		for _, org := range o.BuyerOrgs {
			args = append(args, org)
		}
	}
	return append(where, "("+cond+")"), args
}

// TradeHistory lists the trades a participant bought or sold in, newest
// first: every one, or with overseen those of them an operator may read (Overseen).
func (x *Index) TradeHistory(ctx context.Context, participant string, overseen *Overseen, limit int, cursor string) (*ledgerindex.TradeHistory, error) {
	ks := keyset{col: "created_at", id: "id", desc: true}
	where, args := []string{"(buyer_id = ? OR seller_id = ?)"}, []any{participant, participant}
	if overseen != nil {
		where, args = overseen.where(where, args)
	}
	where, args, err := ks.after(where, args, cursor, "trades", new(int64))
	if err != nil {
		return nil, err
	}
	limit = pageSize(limit)
	out := &ledgerindex.TradeHistory{ParticipantID: participant}
	return snapshot(ctx, x, out, &out.IndexHeight, func(t *tx) (err error) {
		var created []int64
		out.Items, err = queryAll(ctx, t, `SELECT id, listing_id, asset_id, category, right_type, buyer_id, seller_id, region, buyer_region,
		pricing, price_fen, status, created_at, completed_at FROM trades WHERE `+strings.Join(where, " AND ")+
			fmt.Sprintf(" ORDER BY %s LIMIT %d", ks.order(), limit+1), args,
			func(rows *sql.Rows) (ledgerindex.TradeHistoryItem, error) {
				var r ledgerindex.TradeHistoryItem
				var buyer, seller string
				var at int64
				var price, completed sql.NullInt64
				if err := rows.Scan(&r.TradeID, &r.ListingID, &r.AssetID, &r.Category, &r.RightType, &buyer, &seller, &r.SellerRegion,
					&r.BuyerRegion, &r.Pricing, &price, &r.Status, &at, &completed); err != nil {
					return r, err
				}
				r.Side, r.Counterparty = "SELLER", buyer
				if buyer == participant {
					r.Side, r.Counterparty = "BUYER", seller
				}
				if price.Valid {
					r.PriceFen = &price.Int64
				}
				r.CreatedAt, r.CompletedAt = rfc3339(at), rfc3339(completed.Int64)
				created = append(created, at)
				return r, nil
			})
		if err != nil {
			return err
		}
		out.Items, out.NextCursor = nextPage(out.Items, limit, func(last int) string {
			return encodeCursor("trades", created[last], out.Items[last].TradeID)
		})
		return nil
	})
}

// TradeFlows is the flow matrix of completed trades from seller region to
// buyer region in the window.
func (x *Index) TradeFlows(ctx context.Context, w Window) (*ledgerindex.TradeFlows, error) {
	where, args := w.where("completed_at", []string{"completed_at IS NOT NULL"}, nil)
	out := &ledgerindex.TradeFlows{}
	out.From, out.To = w.strings()
	return snapshot(ctx, x, out, &out.IndexHeight, func(t *tx) (err error) {
		out.Flows, err = queryAll(ctx, t, `SELECT region, buyer_region, COUNT(*), COUNT(price_fen), `+priceSum+` FROM trades WHERE `+
			strings.Join(where, " AND ")+` GROUP BY region, buyer_region ORDER BY region, buyer_region`, args,
			func(rows *sql.Rows) (ledgerindex.TradeFlow, error) {
				var f ledgerindex.TradeFlow
				var n, d, hi, lo int64
				if err := rows.Scan(&f.SellerRegion, &f.BuyerRegion, &n, &d, &hi, &lo); err != nil {
					return f, err
				}
				var s sum
				s.add(hi, lo)
				f.MarketFigures = figures(n, d, &s)
				return f, nil
			})
		return err
	})
}

// CreditLookups counts the credit lookups of the days (China Standard
// Time) that start in the window, per pair of regions, exactly: the
// regulator's answer.
func (x *Index) CreditLookups(ctx context.Context, w Window) (*ledgerindex.CreditLookups, error) {
	return x.creditLookups(ctx, w, 1)
}

// OperatorCreditLookups counts them as CreditLookups does, but withholds
// every day-cell (day, querier region, subject region) whose lookups fewer
// than ledgerindex.MinimumCreditLookupCount distinct queriers made before
// the days are summed: an operator's answer. Withheld per day, not per
// window, so that no difference of two windows ([d, d+7) less [d+1, d+7))
// reveals a small day; and Total sums what is shown, so that it recovers
// none either. Counted by queriers, not by lookups: a threshold of lookups
// showed one querier's five lookups of a day, naming it where its region
// has few queriers, and let an operator pad a withheld day with lookups of
// its own (entitled to a subject of that region) until it showed, and read
// the others' count as the rest.
func (x *Index) OperatorCreditLookups(ctx context.Context, w Window) (*ledgerindex.CreditLookups, error) {
	return x.creditLookups(ctx, w, ledgerindex.MinimumCreditLookupCount)
}

// creditLookups sums, per pair of regions, the day-cells that at least
// minimum distinct queriers made and leaves the others out; a minimum of 1
// withholds nothing (a stored cell has at least one querier).
//
// A pair whose every day was withheld is not listed (HAVING): listing it,
// even at 0, would tell that the pair's regions had lookups in the window,
// and a one-day window would date them. Left out, the rarest pairs (a
// region with a single querier looking now and then, where existence alone
// names the querier) say nothing at all. Nor does a listed pair say how
// many of its days were left out: that count, read for two windows a day
// apart, would date a withheld day as surely as the day's own count.
func (x *Index) creditLookups(ctx context.Context, w Window, minimum int64) (*ledgerindex.CreditLookups, error) {
	var where []string
	var window []any
	// A day counts when its midnight is in the window: the first such day
	// is the first whose midnight is at or after the bound.
	firstDay := func(t time.Time) int64 { return (ceilSeconds(t) + cstOffset + 86399) / 86400 }
	if !w.From.IsZero() {
		where, window = append(where, "day >= ?"), append(window, firstDay(w.From))
	}
	if !w.To.IsZero() {
		where, window = append(where, "day < ?"), append(window, firstDay(w.To))
	}
	perCell := func(columns, table string) string {
		q := `SELECT day, querier_region, subject_region, ` + columns + ` FROM ` + table
		if len(where) > 0 {
			q += " WHERE " + strings.Join(where, " AND ")
		}
		return q + " GROUP BY day, querier_region, subject_region"
	}
	// The cell is the day's count of the pair over every basis (n) and the
	// number of queriers who made it (k); the sums are cast, as
	// PostgreSQL's SUM of a BIGINT is NUMERIC.
	cells := `SELECT c.querier_region, c.subject_region, c.n, COALESCE(q.k, 0) AS k FROM (` +
		perCell(`CAST(SUM(lookups) AS BIGINT) AS n`, "credit_lookups") + `) AS c LEFT JOIN (` +
		perCell(`COUNT(*) AS k`, "credit_lookup_queriers") +
		`) AS q ON q.day = c.day AND q.querier_region = c.querier_region AND q.subject_region = c.subject_region`
	shown := `CAST(SUM(CASE WHEN k >= ? THEN n ELSE 0 END) AS BIGINT)`
	query := `SELECT querier_region, subject_region, ` + shown + ` FROM (` + cells +
		`) AS cells GROUP BY querier_region, subject_region HAVING ` + shown + ` > 0 ORDER BY querier_region, subject_region`
	args := slices.Concat([]any{minimum}, window, window, []any{minimum})
	out := &ledgerindex.CreditLookups{Exact: minimum <= 1, MinimumCount: minimum}
	out.From, out.To = w.strings()
	return snapshot(ctx, x, out, &out.IndexHeight, func(t *tx) (err error) {
		out.Counts, err = queryAll(ctx, t, query, args, func(rows *sql.Rows) (ledgerindex.CreditLookupCount, error) {
			var c ledgerindex.CreditLookupCount
			err := rows.Scan(&c.QuerierRegion, &c.SubjectRegion, &c.Lookups)
			out.Total += c.Lookups
			return c, err
		})
		return err
	})
}

// BehindError is the answer of a wait that ran out: the index has not read
// the block asked for yet.
type BehindError struct {
	// Want is the block asked for; Have the last block indexed.
	Want, Have uint64
	// Empty is true when the index has read no block yet.
	Empty bool
}

func (e *BehindError) Error() string { return e.Message().Error() }

// Message is the error's message, written in the reader's language where
// it is answered.
func (e *BehindError) Message() *ledgererr.Message {
	if e.Empty {
		return ledgererr.Messagef("the index has not reached block %d yet (it has read no block so far); retry shortly", e.Want)
	}
	return ledgererr.Messagef("the index has not reached block %d yet (it has read up to block %d); retry shortly", e.Want, e.Have)
}

// WaitFor waits until the index has read block (bounded by the index's
// maximum wait and ctx), or answers a *BehindError.
func (x *Index) WaitFor(ctx context.Context, block uint64) error {
	timer := time.NewTimer(x.maxWait)
	defer timer.Stop()
	for {
		x.mu.Lock()
		next, advance := x.next, x.advance
		x.mu.Unlock()
		if next > block {
			return nil
		}
		select {
		case <-advance:
		case <-timer.C:
			return &BehindError{Want: block, Have: next - min(next, 1), Empty: next == 0}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
