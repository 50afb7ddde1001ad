package rights

import (
	"encoding/json"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// promisePrefix starts the simple key of the promise record of every
// licence trade of an asset opened from interface 13.0.0 on:
// promisePrefix<assetId>/<sellerId>/<openedIn> (Promise.key). One record per
// trade, never one shared by the asset's trades: a sale writes no key
// another sale writes (the count on the asset that 12.0.0 tried made every
// licence sale of an asset conflict with the others). The separator is in
// no ID (validate.ID), so one seller's records of an asset are one range,
// which a move of what they promise reads whole: Fabric re-reads that range
// when it validates the move, so a promise committed meanwhile fails it.
// What a seller sells under is its own (the holding it holds, an OPERATION
// right it holds), so a move reads its holder's range alone: an order placed
// on another seller's listing of the asset, which the mover cannot delist,
// fails no move. The member that submits the move receives that range's
// keys in its read set (its values are not in it): the recipient of a
// holding offer may read none of those trades, so the keys name the asset,
// the seller (both public on the listing) and a transaction ID that only who
// reads the trade (its timeline) ties to it, not the trade's ID.
const promisePrefix = "licence~promise/"

// licencePromise is the record of a licence trade under promisePrefix.
// Basis is the ID of the right the seller sells the licence under (the
// asset's HOLDING right when the seller is the holder, else its OPERATION
// right), set by the trade's acceptance; empty while the trade is only
// ordered or negotiated, when nothing is promised yet.
type licencePromise struct {
	TradeID string `json:"tradeId"`
	Basis   string `json:"basis,omitempty"`
}

// Promise names the promise record of one licence trade: the trade, its
// asset and seller, and the transaction that opened it (its timeline's first
// step), which the record's key names instead of the trade.
type Promise struct {
	TradeID, AssetID, SellerID, OpenedIn string
}

// key is the key of p's record; ok is false for a trade whose opening
// transaction is unknown, which has none.
func (p Promise) key() (key string, ok bool) {
	return sellerPromises(p.AssetID, p.SellerID) + p.OpenedIn, p.OpenedIn != ""
}

// sellerPromises starts the keys of the promise records of the licence
// trades of asset assetID sold by sellerID.
func sellerPromises(assetID, sellerID string) string {
	return promisePrefix + assetID + "/" + sellerID + "/"
}

// OpenPromise writes the (empty) promise record of licence trade p, opened
// in this transaction (whatever p.OpenedIn says), under the trade's own
// key-level policy, which under sets on the record's key: the orgs of its
// parties together, or a majority of the market's orgs (a majority alone
// for a FIXED trade between members of one org, from interface 18.0.0). The
// trade's opening is endorsed by a majority of the orgs, as every new key's
// is, so its acceptance, which the buyer's and the seller's orgs endorse,
// writes an existing key, the seller's org alone can never delete it, and
// its end that a majority endorses without one party's org deletes it.
func OpenPromise(ctx state.Context, p Promise, under func(state.Context, string) error) error {
	p.OpenedIn = ctx.GetStub().GetTxID()
	key, _ := p.key()
	if err := state.Put(ctx, key, &licencePromise{TradeID: p.TradeID}); err != nil {
		return err
	}
	return under(ctx, key)
}

// PromiseLicence is CheckOffer for the acceptance of licence trade p that
// also records, in the trade's promise record, the right the seller sells
// under: until the trade ends, that holding does not move and that
// OPERATION right is not renounced (requireHoldingUnpromised,
// requireRightUnpromised). A trade opened before 13.0.0 has no record and
// promises nothing (its buyer keeps the late dispute when the conveyance is
// refused). A key that holds another trade's record is refused: it is
// that trade's, which this acceptance must not take over; so is one that
// holds bytes that are no promise record, which its org alone wrote
// (promiseOpened), rather than accepted with nothing promised.
func PromiseLicence(ctx state.Context, seller *model.Participant, rightType string, scope model.Scope, p Promise, now time.Time) error {
	a, basis, err := offerBasis(ctx, seller, p.AssetID, rightType, scope, now)
	if err != nil {
		return err
	}
	key, stored, err := promiseOpened(ctx, p)
	if err != nil || stored == nil {
		return err
	}
	if !stored.of(p) {
		return ledgererr.Conflictf("the promise record that trade %q names is not its own (another trade's, or no promise): it cannot be accepted", p.TradeID)
	}
	record := &licencePromise{TradeID: p.TradeID, Basis: a.HoldingRightID}
	if basis != nil {
		record.Basis = basis.ID
	}
	return state.Put(ctx, key, record)
}

// EndPromise deletes the promise record of trade p when the trade ends
// however it ends. A trade without one (opened before 13.0.0, or ended
// already) writes nothing, so its end needs no more orgs; nor does one
// whose key holds another trade's record, which it leaves alone
// (promiseOpened).
func EndPromise(ctx state.Context, p Promise) error {
	key, record, err := promiseOpened(ctx, p)
	if err != nil || !record.of(p) {
		return err
	}
	if err := ctx.GetStub().DelState(key); err != nil {
		return ledgererr.Internalf(err, "deleting state")
	}
	return nil
}

// Promised reports whether trade p promised a licence that it has not yet
// conveyed or given up (PromiseLicence); another trade's record at its key
// is no promise of p's (promiseOpened).
func Promised(ctx state.Context, p Promise) (bool, error) {
	_, record, err := promiseOpened(ctx, p)
	return record.of(p) && record.Basis != "", err
}

// promiseOpened answers the key of p's record and the record it holds, nil
// for none. The key is made of the trade's record, which proves nothing: a
// NEGOTIABLE trade between members of one org is that org's alone to
// rewrite, and it may point it at another trade's key (the asset, the
// seller and the opening transaction's ID are public, and the opening mark
// does not cover the latter). Only a record that names p's trade is p's
// (of), so such a trade's end deletes, and its acceptance overwrites, no
// other trade's promise. The record is under its trade's policy, that
// org's alone for such a trade (and for a FIXED one between its members
// opened before 18.0.0): bytes there that are no promise record read as a
// record of no trade, no promise of p's either, as promisedFrom passes
// them over. Failing on them (INTERNAL), the trade's end, which a majority
// endorses without that org, failed for good.
func promiseOpened(ctx state.Context, p Promise) (string, *licencePromise, error) {
	key, ok := p.key()
	if !ok {
		return "", nil, nil
	}
	b, err := ctx.GetStub().GetState(key)
	if err != nil {
		return "", nil, ledgererr.Internalf(err, "reading state")
	}
	if b == nil {
		return key, nil, nil
	}
	record := new(licencePromise)
	if json.Unmarshal(b, record) != nil {
		record = new(licencePromise)
	}
	return key, record, nil
}

// of reports whether r, a record read by promiseOpened (nil for none), is
// trade p's.
func (r *licencePromise) of(p Promise) bool {
	return r != nil && r.TradeID == p.TradeID
}

// promisedFrom returns a trade of holderID's that promised a licence under
// right basisID of asset assetID, which holderID holds, and has not ended,
// "" when none. It reads holderID's promise records of the asset as one
// range (see promisePrefix).
func promisedFrom(ctx state.Context, assetID, holderID, basisID string) (string, error) {
	prefix := sellerPromises(assetID, holderID)
	it, err := ctx.GetStub().GetStateByRange(prefix, prefix[:len(prefix)-1]+"0")
	if err != nil {
		return "", ledgererr.Internalf(err, "querying %s", prefix)
	}
	defer it.Close()
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return "", ledgererr.Internalf(err, "iterating %s", prefix)
		}
		var p licencePromise
		if json.Unmarshal(kv.Value, &p) != nil || validate.ID("tradeId", p.TradeID) != nil {
			continue
		}
		if basisID != "" && p.Basis == basisID {
			return p.TradeID, nil
		}
	}
	return "", nil
}

// requireHoldingUnpromised refuses to move the holding of asset a (offer
// it, hand it over, promise it to a trade of the holding) while its holder
// has sold a licence from it in a trade not yet ended: the trade would then
// never convey, and the seller would have backed out of a paid sale. The
// refusal names the trade to the holder (byHolder), a party of it; to
// anyone else (the recipient of an offer, the buyer of the holding) it
// says "a trade", as every refusal about a trade they may not read does.
func requireHoldingUnpromised(ctx state.Context, a *model.Asset, byHolder bool) error {
	tradeID, err := promisedFrom(ctx, a.ID, a.HolderID, a.HoldingRightID)
	if err != nil || tradeID == "" {
		return err
	}
	if !byHolder {
		return ledgererr.Conflictf("the holding of asset %q backs a licence its holder sold in a trade not yet ended: it does not move until that trade ends", a.ID)
	}
	return ledgererr.Conflictf("the holding of asset %q backs a licence its holder sold in trade %q: it does not move until that trade ends", a.ID, tradeID)
}

// requireRightUnpromised refuses to renounce OPERATION right r while its
// holder has sold a licence under it in a trade not yet ended; the caller
// is that holder, the trade's seller, so the refusal names the trade.
func requireRightUnpromised(ctx state.Context, r *model.Right) error {
	tradeID, err := promisedFrom(ctx, r.AssetID, r.HolderID, r.ID)
	if err != nil || tradeID == "" {
		return err
	}
	return ledgererr.Conflictf("right %q backs a licence its holder sold in trade %q: it is not renounced until that trade ends", r.ID, tradeID)
}
