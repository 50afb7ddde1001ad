package listings

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Key types of the listings contract.
const (
	keyListing  = "listing"
	keyPrice    = "listing~price"    // listingId, seq (zero-padded) -> PricePoint
	keyHolding  = "listing~holding"  // assetId -> the ID of the asset's ACTIVE HOLDING listing
	idxCategory = "listing~category" // category, listingId (ACTIVE listings only)
	idxRegion   = "listing~region"   // sourceRegion, listingId (ACTIVE listings only)
	idxSeller   = "listing~seller"   // sellerId, listingId (every status)
	idxOffered  = "listing~asset"    // assetId, sellerId, listingId (ACTIVE listings only)
	// keyClosed (listingId) is a listing's closing (model.ListingClosing):
	// a sale, or a holding's move, takes the listing off the market by it
	// and writes no listing (closeListing).
	keyClosed = model.ListingClosedKeyType
)

// Get reads a listing by ID, as its closing says where it has one
// (model.ListingClosing.Close): the record and its closing are read in one
// request to the peer, so that every step that reads a listing (a trade's
// order, proposal and acceptance, a price change, a delisting, the
// listings' queries, a sale's closing of the other trades) reads it as the
// market's majority closed it, whatever its seller's org wrote into its
// record alone.
func Get(ctx state.Context, id string) (*model.Listing, error) {
	l := &model.Listing{}
	record, closed, err := readWithClosing(ctx, id, l)
	if err != nil {
		return nil, err
	}
	if !record.Found || !model.NamesItsKey(l, []string{id}) {
		return nil, notFound(id)
	}
	if err := applyClosing(l, closed.Value); err != nil {
		return nil, err
	}
	return l, nil
}

// readWithClosing reads, in one request, the record of listing id, into l
// (nil: only whether it exists), and its closing.
func readWithClosing(ctx state.Context, id string, l *model.Listing) (record, closed *state.Read, err error) {
	key, err := state.Key(ctx, keyListing, id)
	if err != nil {
		return nil, nil, err
	}
	closedKey, err := state.Key(ctx, keyClosed, id)
	if err != nil {
		return nil, nil, err
	}
	record, closed = &state.Read{Key: key}, &state.Read{Key: closedKey}
	if l != nil {
		record.Into = l
	}
	return record, closed, state.GetAll(ctx, record, closed)
}

// requireNew refuses a listing ID that is taken: by a listing, or by a
// closing (keyClosed), which would close the new listing as it closed the
// one its seller's org deleted since (a listing written before interface
// 18.0.0 is that org's alone, to delete too, and one listed before 16.0.0
// its price history, whose first entry otherwise keeps the ID taken:
// putPricePoint). Both in one request, as state.NewKey reads one key.
func requireNew(ctx state.Context, id string) error {
	record, closed, err := readWithClosing(ctx, id, nil)
	if err != nil {
		return err
	}
	if record.Found || closed.Found {
		return ledgererr.Conflictf("listing %q already exists", id)
	}
	return nil
}

// SellerEntry is the read of listing l's entry in its seller's index
// (listing~seller: its seller's ID, its ID), for a step to make with reads
// of its own, in one request: Create writes that entry with every listing
// (publish), under the chaincode-level policy, and no step deletes it, so
// it vouches that l's seller listed l. The record does not: one written
// before interface 18.0.0 is its seller's org's alone, which rewrote it to
// offer another org's member's asset in that member's name, at a price and
// on terms that member never set (trades' start).
func SellerEntry(ctx state.Context, l *model.Listing) (*state.Read, error) {
	key, err := state.Key(ctx, idxSeller, l.SellerID, l.ID)
	if err != nil {
		return nil, err
	}
	return &state.Read{Key: key}, nil
}

// applyClosing applies to listing l its closing as stored, value (none when
// nil).
func applyClosing(l *model.Listing, value []byte) error {
	if value == nil {
		return nil
	}
	var c model.ListingClosing
	if err := json.Unmarshal(value, &c); err != nil {
		return ledgererr.Internalf(err, "decoding the closing of listing %q", l.ID)
	}
	c.Close(l)
	return nil
}

// closing is the mark a page of listings reads with each of them
// (state.MarkedPage), as Get reads one.
var closing = state.Mark[model.Listing]{Type: keyClosed, Apply: applyClosing}

// listingToChange checks the reason a seller or an operator gives for
// changing listing id, then resolves the caller (participants.ActorWithRules,
// as participants.ActorOn does, with the rules in force it reads) and reads
// the listing.
func listingToChange(ctx state.Context, id, reason string) (*model.Participant, *model.Rules, *model.Listing, error) {
	if err := validate.Text("reason", reason, model.MaxListingReasonLength); err != nil {
		return nil, nil, nil, err
	}
	caller, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	l, err := Get(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	return caller, rules, l, nil
}

// changeTime is the time of a change its seller or an operator makes to
// listing l: the transaction time, refused when it lies before the
// listing's last change (state.RequireAfterLastChange). A stamp may lie
// model.MaxClockSkew behind the endorsing peers' clocks, and without this a
// seller changing its price twice within that time could date the second
// price, in the price history (kept in sequence order), before the first,
// or delist before the price change it follows. Orders do not change the
// listing (no shared key on the trading path), so this does not order a
// change after the trades made since the last one.
//
// A last change this peer's clock has not reached yet was stamped ahead of
// the clocks (up to model.MaxClockLead): the change is taken and dated at
// it instead, as closing a trade is (trades' closeLosers), so that no seller
// keeps the exchange from delisting by changing its price again and again,
// each change stamped ahead.
func changeTime(ctx state.Context, l *model.Listing) (time.Time, error) {
	now, err := state.Now(ctx)
	if err != nil {
		return now, err
	}
	if state.Format(now) < l.UpdatedAt && !state.ClockReached(l.UpdatedAt) {
		return state.NotBeforeLastChange("listing", l.ID, l.UpdatedAt, now)
	}
	return now, state.RequireAfterLastChange("listing", l.ID, l.UpdatedAt, now)
}

// notFound refuses a listing ID that names no listing.
func notFound(id string) error {
	return ledgererr.NotFoundf("listing %q does not exist", id)
}

// MarkSold records that trade sale, whose completion conveys a HOLDING,
// sold the listing it was opened on: the listing becomes SOLD and leaves the
// browse indexes. The trades contract calls it in the transaction that
// conveys the holding. A listing its seller delisted while the trade was
// under way is marked SOLD too: the sale happened.
//
// It takes the listing's facts (its ID, asset, seller, right, category and
// source region) from the sale, which its opening mark vouches for and which
// copied them from the listing, not from the listing's record: a record
// written before interface 18.0.0 is its seller's org's alone, and that
// org, rewriting it (another right, SOLD, another asset, bytes that are no
// listing, an unparsable or far-future updatedAt) or deleting it, held the
// buyer's paid sale from completing for good. It refuses only a listing
// whose closing, which a majority alone writes, says it was sold already.
// The record, read in the closing's request, only says whether the listing
// is still on the market (an honestly delisted one left the indexes when
// it was delisted): one that does not read as a listing is taken off them
// by the sale's facts all the same. The sale is dated at now, the
// completion's stamp, or at the listing's last change if that lies later
// (notBeforeClaimedChange): its seller may have changed it stamped ahead of
// the clocks, and the listing's changes stay in time order.
func MarkSold(ctx state.Context, sale *model.Trade, now time.Time) error {
	if sale.RightType != model.RightHolding {
		return ledgererr.Conflictf("listing %q offers a %s right, which is never sold out", sale.ListingID, sale.RightType)
	}
	l, c, err := WithClosing(ctx, sale.ListingID)
	if err != nil {
		return err
	}
	if c != nil && c.Status == model.ListingSold {
		return ledgererr.Conflictf("listing %q was already sold", sale.ListingID)
	}
	sold := &model.Listing{ID: sale.ListingID, AssetID: sale.AssetID, RightType: sale.RightType, Category: sale.Category,
		SourceRegion: sale.SourceRegion, SellerID: sale.SellerID, Status: model.ListingActive}
	if l != nil {
		sold.Status, sold.UpdatedAt = l.Status, l.UpdatedAt
	} else if c != nil {
		sold.Status, sold.UpdatedAt = c.Status, c.At
	}
	at := notBeforeClaimedChange(sold.UpdatedAt, now)
	return closeListing(ctx, sold, &model.ListingClosing{ListingID: sold.ID, Status: model.ListingSold, SoldTradeID: sale.ID, At: state.Format(at)})
}

// WithClosing reads listing id as its closing says, with the closing (nil
// where it has none), in one request, without failing on the listing's
// record: the listing is nil where the record is missing, is no listing or
// names another. A record written before interface 18.0.0 is its seller's
// org's alone, so a step the market's majority takes on a listing without
// its seller (a sale, a holding's move, a sale's closing of the other
// trades) relies on the closing, which a majority alone writes, and on the
// facts of the trade or index entry that led it there, never on the record
// to be there or to decode.
func WithClosing(ctx state.Context, id string) (*model.Listing, *model.ListingClosing, error) {
	record, closed, err := readWithClosing(ctx, id, nil)
	if err != nil {
		return nil, nil, err
	}
	var c *model.ListingClosing
	if closed.Found {
		c = &model.ListingClosing{}
		if err := json.Unmarshal(closed.Value, c); err != nil {
			return nil, nil, ledgererr.Internalf(err, "decoding the closing of listing %q", id)
		}
		if c.ListingID != id {
			c = nil // a majority wrote it, but as no closing of this listing: Close skips it too
		}
	}
	l := &model.Listing{}
	if !record.Found || json.Unmarshal(record.Value, l) != nil || !model.NamesItsKey(l, []string{id}) {
		return nil, c, nil
	}
	if c != nil {
		c.Close(l)
	}
	return l, c, nil
}

// notBeforeClaimedChange is when a step that closes a listing is dated:
// now, the transaction's stamp, or last, the listing's last change as read,
// where that is a stored instant that lies later, by no more than an
// honest stamp can (model.MaxClockSkew behind the clocks for now,
// model.MaxClockLead ahead of them for last). A listing's record written
// before interface 18.0.0 is its seller's org's alone, which may write
// there anything: state.NotBeforeLastChange failed on an unparsable instant
// (and dated the step at any far-future one), and the org held the sale,
// or the holding's move, from completing for good. The dating depends on
// the transaction's stamp alone (not on this peer's clock).
func notBeforeClaimedChange(last string, now time.Time) time.Time {
	at, err := time.Parse(state.TimeLayout, last)
	if err != nil || !at.After(now) || at.After(now.Add(model.MaxClockSkew+model.MaxClockLead)) {
		return now
	}
	return at
}

// closeListing takes listing l off the market as closing c says, for a sale
// or a holding's move: out of the browse indexes where it was ACTIVE
// (withdraw), and closed by c, which it writes (keyClosed), not by its
// record. The record of a listing written before interface 18.0.0 is its
// seller's org's alone, which no majority can change: writing it, the step
// needed that org's endorsement, and a hostile seller's org, or one removed
// from the market, held the buyer's paid sale from completing for good (and
// the recipient of a holding offer from accepting it). The closing, a new
// key with no key-level policy, needs a majority of the orgs, which every
// such step needs anyway; and a listing from 18.0.0, under a majority
// (publish), is closed the same way, so that one rule reads every listing
// (Get). It applies c to l.
func closeListing(ctx state.Context, l *model.Listing, c *model.ListingClosing) error {
	if l.Status == model.ListingActive {
		if err := withdraw(ctx, l); err != nil {
			return err
		}
	}
	key, err := state.Key(ctx, keyClosed, l.ID)
	if err != nil {
		return err
	}
	if err := state.Put(ctx, key, c); err != nil {
		return err
	}
	c.Close(l)
	return nil
}

// WithdrawFormerHolder takes off the market, in the transaction that moves
// an asset's holding away from formerHolderID, every ACTIVE listing of the
// asset by the former holder except keep (the listing a trade just sold, ""
// for none): its HOLDING listing, which would otherwise block the new holder
// from listing the holding, and the licences it offered from the holding.
// They become DELISTED with the reason, dated as MarkSold dates a sale: at
// now, the move's stamp, or at the listing's last change if that lies later
// (notBeforeClaimedChange). It returns the IDs withdrawn, for the
// transaction's event.
//
// A listing whose record is missing, is no listing or names another
// (WithClosing) is passed over, not refused: a record written before
// interface 18.0.0 is its seller's org's alone, and failing on it let that
// org hold the sale of the holding (or its acceptance, rights:AcceptHolding)
// for good. Such a record reads as no listing to every step (Get), so no
// trade is made on it; and one its org writes back is a listing of a seller
// no longer entitled, as those made before the listing~asset index existed,
// which are not found here: every acceptance checks the seller's
// entitlement (rights.CheckOffer). Its HOLDING offer, which would name it,
// counts for nothing either (activeHoldingListing).
//
// A former holder that still holds a usable OPERATION right over the asset
// lists its licences again under that right.
func WithdrawFormerHolder(ctx state.Context, assetID, formerHolderID, keep string, now time.Time) ([]string, error) {
	rows, err := state.Collect(ctx, idxOffered, []string{assetID, formerHolderID})
	if err != nil {
		return nil, err
	}
	withdrawn := []string{}
	for _, row := range rows {
		if row[0] == keep {
			continue
		}
		l, _, err := WithClosing(ctx, row[0])
		if err != nil {
			return nil, err
		}
		if l == nil || !offers(l, assetID, formerHolderID) || l.Status != model.ListingActive {
			continue
		}
		at := notBeforeClaimedChange(l.UpdatedAt, now)
		if err := closeListing(ctx, l, &model.ListingClosing{ListingID: l.ID, Status: model.ListingDelisted, At: state.Format(at),
			StatusReason: fmt.Sprintf("the seller %q no longer holds asset %q", formerHolderID, assetID)}); err != nil {
			return nil, err
		}
		withdrawn = append(withdrawn, l.ID)
	}
	return withdrawn, nil
}

// put writes a listing.
func put(ctx state.Context, l *model.Listing) error {
	key, err := state.Key(ctx, keyListing, l.ID)
	if err != nil {
		return err
	}
	return state.Put(ctx, key, l)
}

// publish writes a new listing with its first price point and index entries.
func publish(ctx state.Context, rules *model.Rules, l *model.Listing, point model.PricePoint) error {
	key, err := state.Key(ctx, keyListing, l.ID)
	if err != nil {
		return err
	}
	// From interface 18.0.0 a listing is under a majority of the orgs of the
	// rules in force, no longer its seller's org alone, which, running
	// chaincode of its own, rewrote it as its member could not: ACTIVE again
	// after the exchange delisted it (orders were then taken on it), at a
	// price its price history does not have, closed by no sale. Its
	// seller's steps lose nothing: a price change writes a price point
	// (a new key, under a majority) and a delisting deletes index entries
	// (no key-level policy), each needing a majority anyway. A listing
	// written before keeps its seller's org's policy, which no majority can
	// change: a sale closes it without writing it (closeListing).
	if err := state.PutUnderMajority(ctx, key, l, rules.MSPIDs()); err != nil {
		return err
	}
	if err := putPricePoint(ctx, rules, l, point); err != nil {
		return err
	}
	if l.RightType == model.RightHolding {
		holdingKey, err := state.Key(ctx, keyHolding, l.AssetID)
		if err != nil {
			return err
		}
		if err := state.Put(ctx, holdingKey, l.ID); err != nil {
			return err
		}
	}
	for _, idx := range [][]string{
		{idxCategory, l.Category, l.ID},
		{idxRegion, l.SourceRegion, l.ID},
		{idxSeller, l.SellerID, l.ID},
		{idxOffered, l.AssetID, l.SellerID, l.ID},
	} {
		if err := state.PutIndex(ctx, idx[0], idx[1:]...); err != nil {
			return err
		}
	}
	return nil
}

// withdraw takes an ACTIVE listing off the market: out of the browse indexes
// and, for a HOLDING listing, no longer the asset's one HOLDING offer. The
// seller index keeps it, so the seller still sees its delisted and sold
// listings. The entries are named by l's record, which, for a listing
// written before interface 18.0.0, its seller's org alone may have rewritten
// with a category or source region that no key can hold: no entry is under
// it (state.DelIndexIfAny), and failing on it let that org hold the sale of
// its member's holding, or the holding's acceptance, which withdraw the
// seller's other listings of the asset (WithdrawFormerHolder), for good.
func withdraw(ctx state.Context, l *model.Listing) error {
	for _, idx := range [][]string{
		{idxCategory, l.Category, l.ID},
		{idxRegion, l.SourceRegion, l.ID},
		{idxOffered, l.AssetID, l.SellerID, l.ID},
	} {
		if err := state.DelIndexIfAny(ctx, idx[0], idx[1:]...); err != nil {
			return err
		}
	}
	if l.RightType != model.RightHolding {
		return nil
	}
	holdingKey, err := state.Key(ctx, keyHolding, l.AssetID)
	if err != nil {
		return err
	}
	if err := ctx.GetStub().DelState(holdingKey); err != nil {
		return ledgererr.Internalf(err, "deleting the HOLDING offer of asset %q", l.AssetID)
	}
	return nil
}

// offers reports whether listing l is an offer by sellerID over asset
// assetID. The listings' index entries and the HOLDING offer carry no
// key-level policy, unlike the listings, so orgs running chaincode of their
// own could plant one naming any listing; an entry counts only as far as the
// listing it names agrees with it, so that none withdraws another asset's
// listing or keeps a holder from listing its holding.
func offers(l *model.Listing, assetID, sellerID string) bool {
	return l.AssetID == assetID && (sellerID == "" || l.SellerID == sellerID)
}

// activeHoldingListing returns the ID of the asset's ACTIVE HOLDING listing,
// if it has one: the listing its HOLDING offer names, if that listing agrees
// (offers).
func activeHoldingListing(ctx state.Context, assetID string) (string, bool, error) {
	key, err := state.Key(ctx, keyHolding, assetID)
	if err != nil {
		return "", false, err
	}
	var id string
	if found, err := state.Get(ctx, key, &id); err != nil || !found {
		return "", false, err
	}
	// A record that is no listing counts as none (WithClosing): its
	// seller's org wrote it, and failing on it let a former holder's org
	// keep the new holder from listing the holding for good.
	l, _, err := WithClosing(ctx, id)
	if err != nil || l == nil {
		return "", false, err
	}
	active := offers(l, assetID, "") && l.RightType == model.RightHolding && l.Status == model.ListingActive
	return id, active, nil
}

// priceSeq renders a sequence number so that the history keys of a listing
// sort in the order the prices were set.
func priceSeq(seq int) string {
	return fmt.Sprintf("%06d", seq)
}

// putPricePoint writes one entry of a listing's price history, once,
// under a majority of the orgs of the rules in force
// (state.PutUnderMajority): the history promises that an old price stays
// (UpdatePrice). Before interface 16.0.0 an entry was under its seller's
// org alone, which could rewrite it by itself, and every gateway's index
// copied the rewrite; such an entry keeps that policy (see
// docs/interface-changes.md). The key is new, so the transaction needs the
// chaincode-level policy, a majority, anyway. It refuses a sequence number
// already taken (one read): the listing's record, which counts its changes
// (PriceSeq), is its seller's org's alone, which could set the count back
// and have the next honest change, endorsed by a majority, overwrite an old
// price.
func putPricePoint(ctx state.Context, rules *model.Rules, l *model.Listing, p model.PricePoint) error {
	key, err := state.NewKey(ctx, func() error {
		return ledgererr.Conflictf("listing %q already has price change %d: its record no longer counts its price history", l.ID, p.Seq)
	}, keyPrice, l.ID, priceSeq(p.Seq))
	if err != nil {
		return err
	}
	return state.PutUnderMajority(ctx, key, p, rules.MSPIDs())
}

// priceHistory reads a listing's price points, oldest first. The history is
// bounded by MaxPriceChanges, so it is read whole.
func priceHistory(ctx state.Context, id string) ([]model.PricePoint, error) {
	it, err := ctx.GetStub().GetStateByPartialCompositeKey(keyPrice, []string{id})
	if err != nil {
		return nil, ledgererr.Internalf(err, "querying the price history of listing %q", id)
	}
	defer it.Close()
	points := []model.PricePoint{}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, ledgererr.Internalf(err, "iterating the price history of listing %q", id)
		}
		var p model.PricePoint
		if err := json.Unmarshal(kv.Value, &p); err != nil {
			return nil, ledgererr.Internalf(err, "decoding a price point of listing %q", id)
		}
		points = append(points, p)
	}
	return points, nil
}

// page reads one page of an index and the listings it points to, keeping
// only those that agree with their entry (indexedBy).
func page(ctx state.Context, index, value, pageSize, bookmark string) (*model.ListingPage, error) {
	size, err := state.PageSize(pageSize)
	if err != nil {
		return nil, err
	}
	return state.PageOf[model.ListingPage](state.MarkedPage(ctx, index, []string{value}, size, bookmark, keyListing, closing,
		func(l *model.Listing) bool { return indexedBy(index, value, l) }))
}

// indexedBy reports whether listing l agrees with an entry of a browse index
// for value (see offers for why it must): an ACTIVE listing of that category
// or source region, or a listing of that seller.
func indexedBy(index, value string, l *model.Listing) bool {
	switch index {
	case idxCategory:
		return l.Category == value && l.Status == model.ListingActive
	case idxRegion:
		return l.SourceRegion == value && l.Status == model.ListingActive
	case idxSeller:
		return l.SellerID == value
	}
	return false
}
