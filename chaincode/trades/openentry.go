package trades

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A buyer enterprise holds at most one trade on a listing that its seller
// has still to answer (model.TradeOpenStatuses, from 14.0.0 on): an order
// or a negotiation costs the buyer nothing, and a rival acting through its
// members could otherwise flood a seller with them. The rule is kept by one
// entry per listing, enterprise and buyer's org (idxOpen): written with the
// trade (create), its deadline moved with the trade's (Counter), deleted
// when the trade leaves those statuses (syncOpen), and read by the next
// Order or Propose of the enterprise on the listing (refuseSecondOpen). Two
// concurrent ones both read and write it, so only the first to commit
// stands (MVCC). The entry carries the trade's own key-level policy, its two
// parties' orgs or a majority of the orgs (create, underTrade), which
// endorse every step of the trade and so the ones that rewrite and delete
// it.
//
// The key names the buyer's org (from 15.0.0) because an enterprise's
// members act only through the org whose binding of it is in force
// (participants.RequireBindingInForce), and a majority may move it to
// another org (releasing it, or removing its org): the new org's members
// then read and write their org's entry, under their own trade's orgs,
// and never need the org the enterprise left, nor its trade's end. Only one
// org's members act for the enterprise at a time, so it orders through one
// org's entry at a time: a trade its old org's member left open does not
// bar it (that member acts for it no more and takes no step in it; it
// bars the enterprise again only if a majority binds it to that org again
// while the trade is open), and a second open trade so needs a majority's
// rules, not a member's order.
//
// Entries written before 15.0.0 (the key without the org, the trade's ID
// as its value) are read by nothing: they bar nobody, so an enterprise
// holding a trade opened before may open one more on its listing, once,
// while that trade stays open (a response window, or a negotiation's
// rounds); their trades' ends leave them, inert, under their old policy.

// openEntry is the value of an idxOpen entry: what refuseSecondOpen decides
// by without reading the trade, which another member of the enterprise may
// not read, nor have its key in the read set of its order. The read set
// holds the entry's key and version, never its value, and no refusal tells
// that member the trade's ID.
type openEntry struct {
	TradeID string `json:"tradeId"`
	// BuyerID is the trade's buyer: the one member told the trade, and
	// whose order the trade itself, read, decides.
	BuyerID string `json:"buyerId"`
	// DeadlineAt is the trade's (Trade.DeadlineAt): past it, by the
	// transaction time and the peer's clock, the trade is expirable and
	// bars nobody.
	DeadlineAt string `json:"deadlineAt"`
}

// entryOf returns the idxOpen entry of trade t, open.
func entryOf(t *model.Trade) *openEntry {
	return &openEntry{TradeID: t.ID, BuyerID: t.BuyerID, DeadlineAt: t.DeadlineAt}
}

// isOpen reports whether a trade in status counts against its buyer
// enterprise's one open trade on its listing.
func isOpen(status string) bool {
	return slices.Contains(model.TradeOpenStatuses, status)
}

// openKey is the key of the idxOpen entry of buyer enterprise uscc on
// listing listingID, through its members of org msp.
func openKey(ctx state.Context, listingID, uscc, msp string) (string, error) {
	return state.Key(ctx, idxOpen, listingID, uscc, msp)
}

// openIn decodes an idxOpen entry read, nil for none: an entry missing, or
// whose value is no entry of this shape (orgs running chaincode of their
// own may write any), is none.
func openIn(entry *state.Read) *openEntry {
	var e openEntry
	if !entry.Found || json.Unmarshal(entry.Value, &e) != nil || validate.ID("tradeId", e.TradeID) != nil ||
		e.BuyerID == "" || !stored(e.DeadlineAt) {
		return nil
	}
	return &e
}

// stored reports whether at is an instant as the ledger stores it
// (state.Format), which compares with others as text.
func stored(at string) bool {
	t, err := time.Parse(state.TimeLayout, at)
	return err == nil && state.Format(t) == at
}

// bars reports whether entry e still bars its enterprise from the listing
// at now: its trade's deadline is not yet reached by both the transaction
// time and the peer's clock (expirable). A deadline further ahead than a
// trade written at the latest stamp a peer accepts could have (a response
// window after now, with model.MaxClockSkew and model.MaxClockLead between
// two stamps) was written by no step of this chaincode and bars nobody.
func (e *openEntry) bars(now time.Time) bool {
	latest := state.Format(now.Add(model.TradeResponseWindow + model.MaxClockSkew + model.MaxClockLead))
	return e.DeadlineAt <= latest && !reachedByBothAt(e.DeadlineAt, now)
}

// refuseSecondOpen refuses buyer a new trade on listing listingID while its
// enterprise holds one there still open through buyer's org; entry is that
// org's idxOpen entry, read (start) with the check that the new trade's ID
// is free. An entry naming another member's trade decides alone: the trade
// is read only when buyer is its buyer, who may read it; it then counts
// only as far as the trade agrees with it (on this listing, still open, not
// expirable), and the refusal names it. Another member of the enterprise is
// told no trade's ID or status, by the refusal or by the keys its order
// reads.
//
// A trade past its deadline (expirable, by the transaction time and the
// peer's clock, as Expire judges it) refuses nobody: another member of the
// enterprise may neither read nor expire it, and its buyer may have left or
// been suspended, so it would otherwise bar the enterprise from the listing
// until the seller or an operator expired it. The new trade's entry then
// takes its place; the old trade's end deletes nothing.
func refuseSecondOpen(ctx state.Context, buyer *model.Participant, listingID string, entry *state.Read, now time.Time) error {
	e := openIn(entry)
	if e == nil || !e.bars(now) {
		return nil
	}
	held := ledgererr.Phrase("a trade through another of its members")
	if e.BuyerID == buyer.ID {
		o, err := state.Lookup[model.Trade](ctx, keyTrade, e.TradeID)
		if err != nil || o == nil || o.BuyerID != buyer.ID || o.ListingID != listingID || !isOpen(o.Status) || expirable(o, now) {
			return err
		}
		held = ledgererr.Phrase("trade %q, which is %s,", o.ID, o.Status)
	}
	return ledgererr.Conflictf("enterprise %s already holds %s on listing %q: a buyer enterprise holds one NEGOTIATING or ORDERED trade on a listing at a time, and it must end (accepted, rejected, cancelled or expired) before another begins", buyer.USCC, held, listingID)
}

// writeOpen writes the idxOpen entry of new trade t, whose buyer acts for
// enterprise uscc, under the trade's own key-level policy, which under
// sets (create, underTrade): the orgs that endorse the steps that move its
// deadline and end it rewrite and delete it.
func writeOpen(ctx state.Context, t *model.Trade, uscc string, under func(state.Context, string) error) error {
	key, err := openKey(ctx, t.ListingID, uscc, t.BuyerMSP)
	if err != nil {
		return err
	}
	if err := state.Put(ctx, key, entryOf(t)); err != nil {
		return err
	}
	return under(ctx, key)
}

// steppedOpen reports whether this transaction stepped trade t on from an
// open status: its last step is this transaction's and the one before it
// was open. It left the open statuses, or stayed with a new deadline
// (Counter). Any later write of the trade (RequestPurge) reads no entry.
func steppedOpen(ctx state.Context, t *model.Trade) bool {
	n := len(t.Timeline)
	return n >= 2 && t.Timeline[n-1].TxID == ctx.GetStub().GetTxID() && isOpen(t.Timeline[n-2].State)
}

// syncOpen brings the idxOpen entries of the trades ts that this
// transaction stepped on from an open status (steppedOpen) in line with
// them: it deletes the entry of one that left, so that its buyer's
// enterprise may order again, and rewrites with its new deadline the entry
// of one still open. It reads their buyers in one request and their
// entries in another, and touches an entry only where it names its trade: a
// trade created before 14.0.0 has none, one created before 15.0.0 has one
// of the old key, and a write of a key without a key-level policy would
// need the chaincode-level endorsement that the trade's own step does not
// gather; an entry naming a later trade of the enterprise is that one's.
func syncOpen(ctx state.Context, ts ...*model.Trade) error {
	var stepped []*model.Trade
	var buyerIDs []string
	for _, t := range ts {
		if steppedOpen(ctx, t) {
			stepped = append(stepped, t)
			if !slices.Contains(buyerIDs, t.BuyerID) {
				buyerIDs = append(buyerIDs, t.BuyerID)
			}
		}
	}
	if len(stepped) == 0 {
		return nil
	}
	buyers, err := participants.ByID(ctx, buyerIDs)
	if err != nil {
		return err
	}
	var syncing []*model.Trade
	var entries []*state.Read
	for _, t := range stepped {
		b := buyers(t.BuyerID)
		if b == nil {
			continue
		}
		key, err := openKey(ctx, t.ListingID, b.USCC, t.BuyerMSP)
		if err != nil {
			// A USCC no key holds, which the buyer's org alone wrote into its member's record, names no entry; failing on
			// it let that org fail the trade's every step from an open status (another party's too) for good.
			continue
		}
		syncing, entries = append(syncing, t), append(entries, &state.Read{Key: key})
	}
	if len(entries) == 0 {
		return nil
	}
	if err := state.GetAll(ctx, entries...); err != nil {
		return err
	}
	for i, t := range syncing {
		if e := openIn(entries[i]); e == nil || e.TradeID != t.ID {
			continue
		}
		if isOpen(t.Status) {
			// The key keeps the policy writeOpen gave it: the same orgs.
			if err := state.Put(ctx, entries[i].Key, entryOf(t)); err != nil {
				return err
			}
			continue
		}
		if err := ctx.GetStub().DelState(entries[i].Key); err != nil {
			return ledgererr.Internalf(err, "deleting index %s", idxOpen)
		}
	}
	return nil
}
