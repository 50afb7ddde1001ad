package trades

import (
	"slices"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The market index lists every trade by when it was opened, under each
// region involved (the seller's, whose exchange supervises it, and the
// buyer's) and under marketWide: keyMarket/scope/createdAt/tradeId. Its
// keys are simple keys, not composite ones, because Fabric answers range
// queries, and so a period, only over simple keys. createdAt is fixed-width
// UTC and IDs use no '/', so a scope's keys sort by time and a period is one
// range of keys. The entries never change: a trade's parties and opening
// time are fixed, its status lives on the record. The buyer's entry is
// under its org's region when the trade was opened; a majority moving the
// buyer's org later (market:Apply) leaves it there, and ListMarket lists it
// no longer (listedAt): the old region's operators may not read the trade
// any more (mayRead), and the new region's read it through trades:Get and
// ListByParticipant, or list it under the seller's region or the whole
// market when they may.
const (
	keyMarket  = "trade-market/"
	marketWide = model.MarketWide
	// rangeEnd sorts after every character of an instant or an ID.
	rangeEnd = "~"
)

func marketKey(scope, at, tradeID string) string {
	return keyMarket + scope + "/" + at + "/" + tradeID
}

// marketScopes are the scopes t is listed under now: the whole market, the
// seller's region where the listing was listed (Trade.Region, a fact of the
// trade) and, if another, the buyer's region, its org's in the market rules
// in force (participants.RegionNow, as mayRead takes it; none for an org the
// rules no longer name), not the region the buyer's record was registered
// in.
func marketScopes(ctx state.Context, t *model.Trade) ([]string, error) {
	buyerRegion, err := participants.RegionNow(ctx, t.BuyerMSP)
	if err != nil {
		return nil, err
	}
	scopes := []string{marketWide, t.Region}
	if buyerRegion != "" && buyerRegion != t.Region {
		scopes = append(scopes, buyerRegion)
	}
	return scopes, nil
}

// indexMarket writes t's market index entries.
func indexMarket(ctx state.Context, t *model.Trade) error {
	scopes, err := marketScopes(ctx, t)
	if err != nil {
		return err
	}
	for _, scope := range scopes {
		if err := ctx.GetStub().PutState(marketKey(scope, t.CreatedAt, t.ID), []byte(t.ID)); err != nil {
			return ledgererr.Internalf(err, "writing the market index of trade %q", t.ID)
		}
	}
	return nil
}

// ListMarket returns one page of the market's trades, oldest first: those a
// region is involved in, or with region empty the whole market; only those
// in one status if status is set; only those opened in [openedFrom,
// openedBefore) if those are set. The regulator lists any region and the
// whole market; an exchange operator lists its own region's trades; nobody
// else lists the market (they list their own trades with
// ListByParticipant). The trades are the public records: the terms of a
// negotiated trade are not on them. A page is the next pageSize entries
// the caller may read (an operator reads every trade listed under its
// region; an entry a buyer's move left under its old region it skips, as
// it lists no trade there), of which a status filter keeps some, so a page
// may hold fewer than pageSize trades: continue while there is a bookmark.
// The bookmark is the key of the next such entry, never of one skipped
// (state.ShownPage).
func (c *Contract) ListMarket(ctx contractapi.TransactionContextInterface, region, status, openedFrom, openedBefore, pageSize, bookmark string) (*model.TradePage, error) {
	if region != "" {
		if err := validate.Region("region", region); err != nil {
			return nil, err
		}
	}
	if status != "" {
		if err := validate.OneOf("status", status, model.TradeStatuses...); err != nil {
			return nil, err
		}
	}
	from, err := optionalInstant("openedFrom", openedFrom)
	if err != nil {
		return nil, err
	}
	before, err := optionalInstant("openedBefore", openedBefore)
	if err != nil {
		return nil, err
	}
	if from != "" && before != "" && from >= before {
		return nil, ledgererr.Invalid("openedBefore", "must be after openedFrom")
	}
	size, err := state.PageSize(pageSize)
	if err != nil {
		return nil, err
	}
	caller, rules, err := participants.CallerWithRules(ctx)
	if err != nil {
		return nil, err
	}
	if region != "" {
		if err := domain.ValidateRegion("region", region, rules); err != nil {
			return nil, err
		}
	}
	if err := mayListMarket(caller, region); err != nil {
		return nil, err
	}

	scope := region
	if scope == "" {
		scope = marketWide
	}
	prefix := keyMarket + scope + "/"
	start, end := prefix+from, prefix+rangeEnd
	if before != "" {
		end = prefix + before
	}
	if bookmark != "" && (bookmark < start || bookmark >= end) {
		return nil, state.NotABookmark("bookmark")
	}
	return shownPage(ctx)(state.PageOf[model.TradePage](state.ShownPage(size, bookmark, func(n int32, bookmark string) ([]state.Scanned[*model.Trade], string, error) {
		return marketEntries(ctx, scope, start, end, n, bookmark, status)
	})))
}

// marketEntries reads n entries of scope's market index in [start, end)
// from bookmark on, with the peer's bookmark after them: each Readable if it
// lists its trade (listedAt; an operator lists only its region, which reads
// every trade listed there), Shown if the trade is also in status ("" for
// any).
func marketEntries(ctx contractapi.TransactionContextInterface, scope, start, end string, n int32, bookmark, status string) ([]state.Scanned[*model.Trade], string, error) {
	it, meta, err := ctx.GetStub().GetStateByRangeWithPagination(start, end, n, bookmark)
	if err != nil {
		return nil, "", ledgererr.Invalid("bookmark", "is not a bookmark of this list: %v", err)
	}
	defer it.Close()
	var entries []state.Scanned[*model.Trade]
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, "", ledgererr.Internalf(err, "iterating the market index")
		}
		t, err := record(ctx, string(kv.Value))
		if err != nil {
			return nil, "", err
		}
		listed, err := listedAt(ctx, kv.Key, scope, t)
		if err != nil {
			return nil, "", err
		}
		entries = append(entries, state.Scanned[*model.Trade]{Key: kv.Key, Item: t, Readable: listed, Shown: listed && (status == "" || t.Status == status)})
	}
	next := ""
	if meta != nil {
		next = meta.Bookmark
	}
	return entries, next, nil
}

// listedAt reports whether trade t agrees with its market index entry key
// of scope: the entry indexMarket wrote for it (its opening time, its ID) in
// one of its scopes. As with indexedBy, an entry planted by orgs running
// chaincode of their own lists no trade under a region it is not in. Only a
// scope other than the whole market's and the seller's costs a read.
func listedAt(ctx state.Context, key, scope string, t *model.Trade) (bool, error) {
	if key != marketKey(scope, t.CreatedAt, t.ID) {
		return false, nil
	}
	if scope == marketWide || scope == t.Region {
		return true, nil
	}
	scopes, err := marketScopes(ctx, t)
	return slices.Contains(scopes, scope), err
}

// mayListMarket is nil when caller may list the trades of region ("" for
// the whole market).
func mayListMarket(caller *model.Participant, region string) error {
	switch {
	case caller.HasRole(model.RoleRegulator):
		return nil
	case caller.HasRole(model.RoleOperator) && region == caller.Region:
		return nil
	case caller.HasRole(model.RoleOperator):
		return ledgererr.Forbiddenf("an exchange operator lists the trades of its own region (region=%s), not %s",
			caller.Region, map[bool]string{true: ledgererr.Phrase("the whole market"), false: region}[region == ""])
	}
	return ledgererr.Forbiddenf("only the regulator and the regions' exchange operators list the market; participant %q lists its own trades", caller.ID)
}

// optionalInstant parses an optional RFC 3339 instant into the ledger's
// time layout, "" if s is empty.
func optionalInstant(field, s string) (string, error) {
	if s == "" {
		return "", nil
	}
	t, err := validate.Time(field, s)
	if err != nil {
		return "", err
	}
	return state.Format(t), nil
}
