package listings

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Contract is the market's listings, named "listings" on the channel.
type Contract struct {
	state.Contract
	trades assets.Trades
}

// New returns the listings contract, which shows the trade that bought a
// listing to those trades lets read it.
func New(trades assets.Trades) *Contract {
	return &Contract{Contract: state.Declare(model.ListingsContract), trades: trades}
}

// Create lists one right over one asset. rightType is HOLDING, USE or
// OPERATION; scope is the JSON scope a buyer of a USE or OPERATION right
// receives, and must be "" for HOLDING (the whole holding is sold). pricing
// is FIXED or NEGOTIABLE; priceFen is the price (the asking price of a
// negotiable listing) in integer fen; termsHash is the SHA-256 hex of the
// listing's terms document. The caller, a holder, must be entitled to offer
// the right (see rights.CheckOffer); an asset has at most one ACTIVE HOLDING
// listing.
func (c *Contract) Create(ctx contractapi.TransactionContextInterface, id, assetId, rightType, scope, pricing, priceFen, termsHash string) (*model.Listing, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	if err := validate.ID("assetId", assetId); err != nil {
		return nil, err
	}
	if err := validate.OneOf("rightType", rightType, model.RightTypes...); err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	if rightType == model.RightHolding && scope != "" {
		return nil, ledgererr.Invalid("scope", "must be empty for a HOLDING listing: the whole holding is sold")
	}
	if err := validate.OneOf("pricing", pricing, model.Pricings...); err != nil {
		return nil, err
	}
	price, err := validate.AmountFen("priceFen", priceFen)
	if err != nil {
		return nil, err
	}
	if err := validate.SHA256Hex("termsHash", termsHash); err != nil {
		return nil, err
	}

	seller, rules, err := participants.CallerWithRoleAndRules(ctx, nil, model.RoleHolder)
	if err != nil {
		return nil, err
	}
	// The scope's regions are the rules' (read with the caller), so it is
	// parsed once the caller is known.
	var offered model.Scope
	var listed *model.Scope
	if rightType != model.RightHolding {
		if offered, err = domain.ParseScope("scope", scope, now, rules); err != nil {
			return nil, err
		}
		listed = &offered
	}
	if err := requireNew(ctx, id); err != nil {
		return nil, err
	}
	asset, err := rights.CheckOffer(ctx, seller, assetId, rightType, offered, now)
	if err != nil {
		return nil, err
	}
	if rightType == model.RightHolding {
		if other, found, err := activeHoldingListing(ctx, assetId); err != nil {
			return nil, err
		} else if found {
			return nil, ledgererr.Conflictf("asset %q already has an ACTIVE HOLDING listing %q", assetId, other)
		}
		// A holding promised to a trade (accepted on a listing delisted since)
		// is not for sale again unless that trade ends without a sale.
		if asset.HoldingLockedBy != "" {
			return nil, ledgererr.Conflictf("the holding of asset %q is promised to a trade", assetId)
		}
	}

	at := state.Format(now)
	l := &model.Listing{
		ID: id, AssetID: assetId, RightType: rightType, Scope: listed,
		Pricing: pricing, PriceFen: price, TermsHash: termsHash,
		Category: asset.Category, SourceRegion: asset.SourceRegion,
		SellerID: seller.ID, SellerMSP: seller.MSPID, Region: seller.Region,
		Status: model.ListingActive, TradeKeys: true, CreatedAt: at, UpdatedAt: at,
	}
	first := model.PricePoint{Seq: 0, PriceFen: price, At: at, TxID: ctx.GetStub().GetTxID(), Reason: "listed"}
	if err := publish(ctx, rules, l, first); err != nil {
		return nil, err
	}
	return l, state.Emit(ctx, model.EventListingCreated, model.ListingEvent{ListingID: id, AssetID: assetId, SellerID: seller.ID, PriceFen: price})
}

// UpdatePrice sets a new price on an ACTIVE listing; only its seller may.
// The old price stays in the listing's price history with the reason given.
// Trades already ordered or negotiating keep the price they started with.
func (c *Contract) UpdatePrice(ctx contractapi.TransactionContextInterface, id, priceFen, reason string) (*model.Listing, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	price, err := validate.AmountFen("priceFen", priceFen)
	if err != nil {
		return nil, err
	}
	caller, rules, l, err := listingToChange(ctx, id, reason)
	if err != nil {
		return nil, err
	}
	if caller.ID != l.SellerID {
		return nil, ledgererr.Forbiddenf("only the seller %q may change the price of listing %q", l.SellerID, id)
	}
	if l.Status != model.ListingActive {
		return nil, ledgererr.Conflictf("listing %q is %s; only an ACTIVE listing's price can change", id, l.Status)
	}
	if l.PriceFen == price {
		return nil, ledgererr.Conflictf("listing %q already has price %d fen", id, price)
	}
	if l.PriceSeq >= model.MaxPriceChanges {
		return nil, ledgererr.Conflictf("listing %q has reached %d price changes; delist it and list again", id, model.MaxPriceChanges)
	}

	now, err := changeTime(ctx, l)
	if err != nil {
		return nil, err
	}
	l.PriceSeq++
	l.PriceFen, l.UpdatedAt = price, state.Format(now)
	point := model.PricePoint{Seq: l.PriceSeq, PriceFen: price, At: l.UpdatedAt, TxID: ctx.GetStub().GetTxID(), Reason: reason}
	if err := putPricePoint(ctx, rules, l, point); err != nil {
		return nil, err
	}
	if err := put(ctx, l); err != nil {
		return nil, err
	}
	return l, state.Emit(ctx, model.EventListingPriceUpdated, model.ListingEvent{ListingID: id, AssetID: l.AssetID, SellerID: l.SellerID, PriceFen: price})
}

// Delist withdraws an ACTIVE listing from the market, for the reason given.
// Its seller may, and so may an operator of the listing's region (the
// seller's exchange, which supervises it) who is impartial: not the asset's
// holder, a party to every licence over its asset, nor acting for the
// holder's enterprise, unless for the seller's own (as its certificate
// certifies it: staff's USCC makes no listing theirs). Trades already accepted on it can
// still complete; no new trade can be accepted.
func (c *Contract) Delist(ctx contractapi.TransactionContextInterface, id, reason string) (*model.Listing, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	caller, _, l, err := listingToChange(ctx, id, reason)
	if err != nil {
		return nil, err
	}
	regionOperator := caller.HasRole(model.RoleOperator) && caller.Region == l.Region
	if caller.ID != l.SellerID && !regionOperator {
		return nil, ledgererr.Forbiddenf("only the seller %q or an operator of %s may delist listing %q", l.SellerID, l.Region, id)
	}
	if caller.ID != l.SellerID {
		// The exchange delists as a judge: the asset's holder is a party to every licence over its asset, so an
		// operator who holds it, or acts for its holder's enterprise, delists as the exchange no listing over it but
		// its own enterprise's (which that enterprise withdraws as seller).
		// The seller's record is its org's alone to write, and failing on bytes there that are no participant let
		// that org alone keep the exchange from delisting its member's listing for good. The seller is read for the
		// enterprise it acts for only, as a judge takes a party (participants.AsParty): its registration's where it
		// has one, which no org rewrites alone, else its record's, none where that is no participant (an operator
		// then delists it only as an impartial judge).
		seller, err := participants.AsParty(ctx, l.SellerID)
		if err != nil {
			return nil, err
		}
		// Only a certificate that certifies the seller's enterprise makes its listing the operator's own: staff's
		// USCC is their org's word, which may name an enterprise whose certified members registered after them.
		if !caller.Certified() || caller.USCC != seller.USCC {
			a, err := assets.GetAsset(ctx, l.AssetID)
			if err != nil {
				return nil, err
			}
			if err := participants.RequireImpartial(ctx, caller, ledgererr.Phrase("listing %q", id), a.HolderID); err != nil {
				return nil, err
			}
		}
	}
	if l.Status != model.ListingActive {
		return nil, ledgererr.Conflictf("listing %q is %s, not ACTIVE", id, l.Status)
	}

	now, err := changeTime(ctx, l)
	if err != nil {
		return nil, err
	}
	if err := withdraw(ctx, l); err != nil {
		return nil, err
	}
	l.Status, l.StatusReason, l.UpdatedAt = model.ListingDelisted, reason, state.Format(now)
	if err := put(ctx, l); err != nil {
		return nil, err
	}
	return l, state.Emit(ctx, model.EventListingDelisted, model.ListingEvent{ListingID: id, AssetID: l.AssetID, SellerID: l.SellerID})
}

// Get returns a listing. Listings are public market information, a sale's
// too (the status SOLD), but for the trade that bought it, which only who
// may read that trade is shown (assets.TradeIDs).
func (c *Contract) Get(ctx contractapi.TransactionContextInterface, id string) (*model.Listing, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	return assets.Shown(assets.NewTradeIDs(ctx, c.trades), soldNamed)(Get(ctx, id))
}

// PriceHistory returns every price the listing has had, oldest first.
func (c *Contract) PriceHistory(ctx contractapi.TransactionContextInterface, id string) (*model.PriceHistory, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	if _, err := Get(ctx, id); err != nil {
		return nil, err
	}
	points, err := priceHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	return &model.PriceHistory{ListingID: id, Items: points}, nil
}

// ListByCategory returns one page of the ACTIVE listings of a data category.
// pageSize is 1 to 100 (default 20); bookmark is "" for the first page, then
// the bookmark the previous page returned. A page holds only listings that
// agree with their index entry (an entry that does not is passed over and
// its key never becomes a bookmark); continue while there is a bookmark.
func (c *Contract) ListByCategory(ctx contractapi.TransactionContextInterface, category, pageSize, bookmark string) (*model.ListingPage, error) {
	if err := validate.Slug("category", category, model.MaxCategoryLength); err != nil {
		return nil, err
	}
	return page(ctx, idxCategory, category, pageSize, bookmark)
}

// ListByRegion returns one page of the ACTIVE listings of assets sourced in
// a region, paginated like ListByCategory.
func (c *Contract) ListByRegion(ctx contractapi.TransactionContextInterface, region, pageSize, bookmark string) (*model.ListingPage, error) {
	rules, err := market.Get(ctx)
	if err != nil {
		return nil, err
	}
	if err := domain.ValidateRegion("region", region, rules); err != nil {
		return nil, err
	}
	return page(ctx, idxRegion, region, pageSize, bookmark)
}

// ListBySeller returns one page of a seller's listings of every status,
// each shown as Get shows it, paginated like ListByCategory.
func (c *Contract) ListBySeller(ctx contractapi.TransactionContextInterface, sellerId, pageSize, bookmark string) (*model.ListingPage, error) {
	if err := validate.ID("sellerId", sellerId); err != nil {
		return nil, err
	}
	return assets.ShownPage[model.ListingPage](assets.NewTradeIDs(ctx, c.trades), soldNamed)(page(ctx, idxSeller, sellerId, pageSize, bookmark))
}

// soldNamed is the trade that bought l, as l names it: its seller, under the
// exchange of l's region, which supervises the trades made on it. l does not
// name the buyer, nor so the buyer's exchange: they read the trade through
// the trades contract.
func soldNamed(l *model.Listing) assets.Named {
	return assets.Named{ID: &l.SoldTradeID, Parties: []string{l.SellerID}, Regions: []string{l.Region}}
}
