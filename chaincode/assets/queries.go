package assets

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
)

// Get returns an asset. The register is public market information, but
// for the trade its holding is promised to, which only who may read that
// trade is shown (TradeIDs).
func (c *Contract) Get(ctx contractapi.TransactionContextInterface, id string) (*model.Asset, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	return Shown(NewTradeIDs(ctx, c.trades), LockNamed)(GetAsset(ctx, id))
}

// VerifyContent tells whether contentHash, the SHA-256 hex of data someone
// holds, is the content registered as asset id: the asset's record says so
// and so does the content-hash record (keyContentHash), which the asset's
// application wrote under the chaincode-level policy, a majority of the
// orgs, and no step since rewrites for a certified asset. An asset
// registered before interface 17.0.0 was its holder's org's alone, which
// may have rewritten its content hash: that hash matches no data, for its
// content-hash record names no such asset. Both are read in one request.
func (c *Contract) VerifyContent(ctx contractapi.TransactionContextInterface, id, contentHash string) (*model.ContentCheck, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	if err := validate.SHA256Hex("contentHash", contentHash); err != nil {
		return nil, err
	}
	asset, err := state.NewBatch[model.Asset](ctx, keyAsset, []string{id})
	if err != nil {
		return nil, err
	}
	hashKey, err := state.Key(ctx, keyContentHash, contentHash)
	if err != nil {
		return nil, err
	}
	var claimedBy string
	claim := state.Read{Key: hashKey, Into: &claimedBy}
	if err := state.GetAll(ctx, append(asset.Reads(), &claim)...); err != nil {
		return nil, err
	}
	a := asset.Record(id)
	if a == nil {
		return nil, notFound(id)
	}
	matches := a.ContentHash == contentHash && claim.Found && claimedBy == id
	return &model.ContentCheck{AssetID: id, Matches: matches, RegisteredHash: a.ContentHash, Status: a.Status}, nil
}

// History returns one page of an asset's history, oldest first: every step
// of its registration, every right granted, licensed on, sold, revoked or
// expired over it, every offer and move of its holding, and the products
// derived from it, each with its transaction and time (and the trade of a
// sale, shown only to who may read that trade: TradeIDs). An expiry or a lapsed
// offer is not a transaction: it shows at the end of the term or deadline,
// with the transaction that set it, once that time has come (by the
// transaction time of the read). The history is read from the asset record
// (its application, the first entry) and the asset's own range of keys, a
// page at a time. pageSize is 1 to 100 (default 20);
// bookmark is "" for the first page, then the bookmark the previous page
// returned.
func (c *Contract) History(ctx contractapi.TransactionContextInterface, id, pageSize, bookmark string) (*model.HistoryPage, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	size, err := state.PageSize(pageSize)
	if err != nil {
		return nil, err
	}
	a, err := GetAsset(ctx, id)
	if err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	return ShownPage[model.HistoryPage](NewTradeIDs(ctx, c.trades), saleNamed)(historyPage(ctx, a, size, bookmark, now))
}

// Lineage returns the sources a data product was derived from with the
// rights that entitled its deriver to process them, and the first page (up
// to 100) of the products derived from it, whatever their status (an
// application counts as soon as it is filed); the bookmark continues through
// ListDerived.
func (c *Contract) Lineage(ctx contractapi.TransactionContextInterface, id string) (*model.Lineage, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	a, err := GetAsset(ctx, id)
	if err != nil {
		return nil, err
	}
	derived, err := derivedPage(ctx, id, model.MaxPageSize, "")
	if err != nil {
		return nil, err
	}
	entitlements := a.Entitlements
	if entitlements == nil {
		entitlements = []model.Entitlement{}
	}
	return &model.Lineage{AssetID: id, Sources: a.Sources, Entitlements: entitlements, Derived: derived.Items, DerivedBookmark: derived.Bookmark}, nil
}

// ListDerived returns one page of the IDs of the products derived from an
// asset, in ID order. pageSize is 1 to 100 (default 20); bookmark is "" for
// the first page, then the bookmark the previous page returned.
func (c *Contract) ListDerived(ctx contractapi.TransactionContextInterface, id, pageSize, bookmark string) (*model.DerivedPage, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	size, err := state.PageSize(pageSize)
	if err != nil {
		return nil, err
	}
	if _, err := GetAsset(ctx, id); err != nil {
		return nil, err
	}
	return derivedPage(ctx, id, size, bookmark)
}

func derivedPage(ctx state.Context, id string, size int32, bookmark string) (*model.DerivedPage, error) {
	return state.PageOf[model.DerivedPage](state.IndexItems(ctx, idxDerived, []string{id}, size, bookmark, func(row []string) (string, error) { return row[0], nil }))
}

// ListByHolder returns one page of the assets a participant holds or has
// applied for, in asset ID order, each shown as Get shows it. pageSize is 1
// to 100 (default 20); bookmark is "" for the first page, then the bookmark
// the previous page returned.
func (c *Contract) ListByHolder(ctx contractapi.TransactionContextInterface, holderId, pageSize, bookmark string) (*model.AssetPage, error) {
	if err := validate.ID("holderId", holderId); err != nil {
		return nil, err
	}
	size, err := state.PageSize(pageSize)
	if err != nil {
		return nil, err
	}
	return ShownPage[model.AssetPage](NewTradeIDs(ctx, c.trades), LockNamed)(state.PageOf[model.AssetPage](state.IndexedPage(ctx, idxHolder, []string{holderId}, size, bookmark, keyAsset,
		func(a *model.Asset) bool { return a.HolderID == holderId })))
}

// Objections returns every objection filed against an asset, in objection
// ID order.
func (c *Contract) Objections(ctx contractapi.TransactionContextInterface, assetId string) (*model.ObjectionList, error) {
	if err := validate.ID("assetId", assetId); err != nil {
		return nil, err
	}
	if _, err := GetAsset(ctx, assetId); err != nil {
		return nil, err
	}
	items, err := objectionsOf(ctx, assetId)
	if err != nil {
		return nil, err
	}
	return &model.ObjectionList{AssetID: assetId, Items: items}, nil
}
