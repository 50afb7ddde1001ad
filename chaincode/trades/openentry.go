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
// entry per listing and enterprise (idxOpen): written with the trade
// (create), deleted when the trade leaves those statuses (closeOpen), and
// read by the next Order or Propose of the enterprise on the listing
// (refuseSecondOpen). Two concurrent ones both read and write it, so only
// the first to commit stands (MVCC). The entry carries the trade's own
// key-level policy, its two parties' orgs, which endorse every step of
// the trade and so the one that deletes it.

// isOpen reports whether a trade in status counts against its buyer
// enterprise's one open trade on its listing.
func isOpen(status string) bool {
	return slices.Contains(model.TradeOpenStatuses, status)
}

// openKey is the key of the idxOpen entry of buyer enterprise uscc on
// listing listingID.
func openKey(ctx state.Context, listingID, uscc string) (string, error) {
	return state.Key(ctx, idxOpen, listingID, uscc)
}

// namedIn returns the ID of the trade an idxOpen entry read names, "" for
// none: an entry missing, or whose value is no trade ID (orgs running
// chaincode of their own may write any), names none.
func namedIn(entry *state.Read) string {
	var id string
	if !entry.Found || json.Unmarshal(entry.Value, &id) != nil || validate.ID("tradeId", id) != nil {
		return ""
	}
	return id
}

// refuseSecondOpen refuses buyer a new trade on listing listingID while its
// enterprise holds one there still open; entry is its idxOpen entry, read
// (start) with the check that the new trade's ID is free. The entry counts
// only as far as the trade it names agrees with it: on this listing, still
// open, bought by a member of buyer's enterprise. An entry a step of this
// chaincode did not delete or orgs wrote with chaincode of their own, naming
// a trade that ended or another enterprise's, refuses nobody. The refusal
// names the open trade only to a caller who may read it (mayRead): its
// buyer, not another member of its enterprise, whom no other refusal tells
// a trade's ID or status.
//
// A trade past its deadline (expirable, by the transaction time and the
// peer's clock, as Expire judges it) refuses nobody either: another member
// of the enterprise may neither read nor expire it, and its buyer may have
// left or been suspended, so it would otherwise bar the enterprise from the
// listing until the seller or an operator expired it. The new trade's entry
// then takes its place; the old trade's end deletes nothing.
func refuseSecondOpen(ctx state.Context, buyer *model.Participant, listingID string, entry *state.Read, now time.Time) error {
	id := namedIn(entry)
	if id == "" {
		return nil
	}
	o, err := state.Lookup[model.Trade](ctx, keyTrade, id)
	if err != nil || o == nil || o.ListingID != listingID || !isOpen(o.Status) || expirable(o, now) {
		return err
	}
	if o.BuyerID != buyer.ID {
		other, err := participants.Get(ctx, o.BuyerID)
		if ledgererr.CodeOf(err) == ledgererr.NotFound {
			return nil
		} else if err != nil {
			return err
		}
		if other.USCC != buyer.USCC {
			return nil
		}
	}
	held := ledgererr.Phrase("a trade through another of its members")
	if may, err := mayRead(ctx, buyer, o); err != nil {
		return err
	} else if may {
		held = ledgererr.Phrase("trade %q, which is %s,", o.ID, o.Status)
	}
	return ledgererr.Conflictf("enterprise %s already holds %s on listing %q: a buyer enterprise holds one NEGOTIATING or ORDERED trade on a listing at a time, and it must end (accepted, rejected, cancelled or expired) before another begins", buyer.USCC, held, listingID)
}

// writeOpen writes the idxOpen entry of new trade t, whose buyer acts for
// enterprise uscc, under the trade's own key-level policy: the orgs that
// endorse the step that ends it delete it.
func writeOpen(ctx state.Context, t *model.Trade, uscc string) error {
	key, err := openKey(ctx, t.ListingID, uscc)
	if err != nil {
		return err
	}
	return state.PutOwned(ctx, key, t.ID, t.BuyerMSP, t.SellerMSP)
}

// leftOpen reports whether this transaction moved trade t out of the open
// statuses: its last step is this transaction's and the one before it was
// open. Any later write of the trade (RequestPurge) reads no entry.
func leftOpen(ctx state.Context, t *model.Trade) bool {
	n := len(t.Timeline)
	return n >= 2 && !isOpen(t.Status) && t.Timeline[n-1].TxID == ctx.GetStub().GetTxID() && isOpen(t.Timeline[n-2].State)
}

// closeOpen deletes the idxOpen entries of the trades ts that this
// transaction moved out of the open statuses (leftOpen), so that their
// buyers' enterprises may order again. It reads their buyers in one request
// and their entries in another, and deletes an entry only where it names
// its trade: a trade created before 14.0.0 has none, and a delete of a key
// without a key-level policy would need the chaincode-level endorsement
// that the trade's own step does not gather; an entry naming a later trade
// of the enterprise is that one's.
func closeOpen(ctx state.Context, ts ...*model.Trade) error {
	var left []*model.Trade
	var buyerIDs []string
	for _, t := range ts {
		if leftOpen(ctx, t) {
			left = append(left, t)
			if !slices.Contains(buyerIDs, t.BuyerID) {
				buyerIDs = append(buyerIDs, t.BuyerID)
			}
		}
	}
	if len(left) == 0 {
		return nil
	}
	buyers, err := participants.ByID(ctx, buyerIDs)
	if err != nil {
		return err
	}
	var closing []*model.Trade
	var entries []*state.Read
	for _, t := range left {
		b := buyers(t.BuyerID)
		if b == nil {
			continue
		}
		key, err := openKey(ctx, t.ListingID, b.USCC)
		if err != nil {
			return err
		}
		closing, entries = append(closing, t), append(entries, &state.Read{Key: key})
	}
	if len(entries) == 0 {
		return nil
	}
	if err := state.GetAll(ctx, entries...); err != nil {
		return err
	}
	for i, t := range closing {
		if namedIn(entries[i]) != t.ID {
			continue
		}
		if err := ctx.GetStub().DelState(entries[i].Key); err != nil {
			return ledgererr.Internalf(err, "deleting index %s", idxOpen)
		}
	}
	return nil
}
