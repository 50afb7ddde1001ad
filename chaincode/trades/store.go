package trades

import (
	"slices"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Key types of the trades contract. The indexes never change once written:
// a trade's parties and listing are fixed, its status lives on the record;
// but idxOpen, whose entry stands while its trade is open (openentry.go).
const (
	keyTrade   = "trade"
	idxParty   = "trade~party"   // participantId (buyer or seller), tradeId
	idxListing = "trade~listing" // listingId, tradeId
	idxOpen    = "trade~open"    // listingId, buyer's USCC, buyer's MSP -> its trade still NEGOTIATING or ORDERED there (openEntry)
	// keySaleMark (tradeId) vouches for a completed trade (model.SaleMark):
	// complete writes it, and every read of a trade checks it (showSeal).
	keySaleMark = model.SaleMarkKeyType
	// keyOpenedMark (tradeId) holds the facts a trade was opened with
	// (model.OpenedMark): create writes it, agree and complete check it
	// (opened).
	keyOpenedMark = model.OpenedMarkKeyType
)

// Get reads a trade by ID, with its completion mark (lookup). A record
// that names another ID is no trade of this one (state.Find): every step of
// a copy of another trade would write that trade (its key), purge its terms
// and convey what it locked.
func Get(ctx state.Context, id string) (*model.Trade, error) {
	return get(ctx, id, nil)
}

// get is Get, reading with the trade its opening mark into start unless
// start is nil (lookup).
func get(ctx state.Context, id string, start *opening) (*model.Trade, error) {
	t, err := lookup(ctx, id, start)
	if err == nil && t == nil {
		err = notFound(id)
	}
	return t, err
}

// opening is a trade's opening mark (nil for none), read with the trade
// (lookup) by a step that may accept or complete it (agree and complete
// check it, opened): in the trade's own request, not one of its own.
type opening struct{ mark *model.OpenedMark }

// lookup reads trade id and its completion mark in one request to the
// peer, and shows whether the mark vouches for it (showSeal); nil when
// there is no such trade. Unless start is nil, the same request reads the
// trade's opening mark into it.
func lookup(ctx state.Context, id string, start *opening) (*model.Trade, error) {
	trade, err := state.NewBatch[model.Trade](ctx, keyTrade, []string{id})
	if err != nil {
		return nil, err
	}
	mark, err := state.NewBatch[model.SaleMark](ctx, keySaleMark, []string{id})
	if err != nil {
		return nil, err
	}
	reads := append(trade.Reads(), mark.Reads()...)
	var opened *state.Batch[model.OpenedMark]
	if start != nil {
		if opened, err = state.NewBatch[model.OpenedMark](ctx, keyOpenedMark, []string{id}); err != nil {
			return nil, err
		}
		reads = append(reads, opened.Reads()...)
	}
	if err := state.GetAll(ctx, reads...); err != nil {
		return nil, err
	}
	t := trade.Record(id)
	if t != nil {
		showSeal(t, mark.Record(id))
	}
	if start != nil {
		start.mark = opened.Record(id)
	}
	return t, nil
}

// record reads a trade by ID without its mark, for a list that reads the
// marks of its page's sales at once (showSeals).
func record(ctx state.Context, id string) (*model.Trade, error) {
	t, _, err := state.Find[model.Trade](ctx, func() error { return notFound(id) }, keyTrade, id)
	return t, err
}

// showSeal sets t.Unsealed when t reads COMPLETED and mark (nil for none)
// does not vouch for it (model.SaleMark.Vouches). The record is under its
// parties' orgs (or a majority, from interface 17.0.0: create), one org
// when both parties are its members, which could write it COMPLETED, at any price and naming any buyer, without a
// sale; the mark is a new key the completing transaction writes, which only
// a majority of the orgs endorses. A trade completed before interface
// 16.0.0 has no mark and reads Unsealed too: its record may have been
// rewritten since by its parties' orgs alone, and nothing on the ledger
// tells.
func showSeal(t *model.Trade, mark *model.SaleMark) {
	t.Unsealed = t.Status == model.TradeCompleted && !mark.Vouches(t)
}

// showSeals reads, in one request to the peer, the completion marks of the
// trades that read COMPLETED and shows them (showSeal); none such, no
// request.
func showSeals(ctx state.Context, trades []*model.Trade) error {
	var completed []*model.Trade
	var ids []string
	for _, t := range trades {
		if t.Status == model.TradeCompleted {
			completed, ids = append(completed, t), append(ids, t.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	marks, err := state.NewBatch[model.SaleMark](ctx, keySaleMark, ids)
	if err != nil {
		return err
	}
	if err := state.GetAll(ctx, marks.Reads()...); err != nil {
		return err
	}
	for _, t := range completed {
		showSeal(t, marks.Record(t.ID))
	}
	return nil
}

// seal writes the completion mark of trade t, which complete has just
// made COMPLETED: a new key, so the transaction needs the chaincode-level
// policy, a majority of the orgs, which it needs anyway to convey what was
// sold. No key-level policy is set: the chaincode-level one keeps it. Only
// a trade held to its opening mark completes (from interface 17.0.0), so
// the mark always vouches for its sale; one written before for a trade
// without an opening mark vouches for nothing, and that trade reads
// unsealed (showSeal).
func seal(ctx state.Context, t *model.Trade) error {
	key, err := state.Key(ctx, keySaleMark, t.ID)
	if err != nil {
		return err
	}
	return state.Put(ctx, key, &model.SaleMark{TradeID: t.ID, Digest: t.SaleDigest()})
}

// markOpened writes the opening mark of trade t, which create is writing:
// a new key, which the majority that endorses the opening writes, and no
// key-level policy, so that only a majority ever rewrites it.
func markOpened(ctx state.Context, t *model.Trade) error {
	key, err := state.Key(ctx, keyOpenedMark, t.ID)
	if err != nil {
		return err
	}
	return state.Put(ctx, key, &model.OpenedMark{TradeID: t.ID, Digest: t.StartDigest()})
}

// opened checks the opening mark of trade t, read with it (start), which
// a step is about to complete (completing) or accept, and refuses a record
// whose start facts (parties, listing, asset, right, public price, terms,
// opening time) are no longer those it was opened with: its parties' orgs,
// which alone endorse changes to it, rewrote them. It refuses a trade
// opened before interface 16.0.0, which has no mark, too: nothing holds its
// record to its parties, not its key's policy either, which says who must
// sign from now on, not who set it. An org whose members were both parties
// rewrote such a trade to name another org's member as the seller of that
// member's own asset and, in the same write, set the key's policy to both
// orgs (Fabric checks a change of policy against the one in force, which
// it met alone): the majority's completion then issued a licence nobody
// offered, and its acceptance locked that member's holding, or promised
// its licence, to a trade the org wrote. Such a trade is only cancelled,
// refunded or left to expire.
func opened(t *model.Trade, start *opening, completing bool) error {
	m := start.mark
	switch {
	case m == nil && completing:
		return ledgererr.Conflictf("trade %q has no opening mark (it was opened before interface 16.0.0): it cannot be completed, only refunded, cancelled or left to expire", t.ID)
	case m == nil:
		return ledgererr.Conflictf("trade %q has no opening mark (it was opened before interface 16.0.0): it cannot be accepted, only cancelled, rejected (an order) or left to expire", t.ID)
	case !m.Vouches(t) && completing:
		return ledgererr.Conflictf("trade %q no longer reads as it was opened: it cannot be completed", t.ID)
	case !m.Vouches(t):
		return ledgererr.Conflictf("trade %q no longer reads as it was opened: it cannot be accepted", t.ID)
	}
	return nil
}

// notFound refuses a trade ID that names no trade.
func notFound(id string) error {
	return ledgererr.NotFoundf("trade %q does not exist", id)
}

// put writes a trade, its notes naming a sale before 10.0.0 as they read
// since (forgetSales). A trade that ended, however it ended, gives up the
// licence it promised (rights.EndPromise): every end writes the trade.
func put(ctx state.Context, t *model.Trade) error {
	forgetSales(t)
	if t.RightType != model.RightHolding && slices.Contains(model.TradeEndedStatuses, t.Status) {
		if err := rights.EndPromise(ctx, promiseOf(t)); err != nil {
			return err
		}
	}
	key, err := state.Key(ctx, keyTrade, t.ID)
	if err != nil {
		return err
	}
	stored := *t
	stored.Unsealed = false // an answer's, never stored
	return state.Put(ctx, key, &stored)
}

// promiseOf names the promise record of licence trade t
// (rights.OpenPromise): its key names the transaction that opened t, its
// timeline's first step, not t ("" for a trade without a timeline, which
// has none).
func promiseOf(t *model.Trade) rights.Promise {
	p := rights.Promise{TradeID: t.ID, AssetID: t.AssetID, SellerID: t.SellerID}
	if len(t.Timeline) > 0 {
		p.OpenedIn = t.Timeline[0].TxID
	}
	return p
}

// create writes a new trade, whose buyer acts for enterprise buyerUSCC,
// and its index entries; orgs are the orgs of the market rules in force.
//
// The trade is a contract between two orgs' members: from now on a change
// to it needs the endorsement of both orgs' peers, or of a majority of the
// orgs (underTrade; the same for its idxOpen entry and its licence
// promise, which its steps write with it). Both orgs are the cheap normal
// path; the majority, the chaincode-level trust, is the way round a
// party's org that withholds its endorsement, or was removed: a judge's
// Resolve, the seller's deemed acceptance, the buyer's Cancel past the
// delivery deadline or its refund, which the rules allow without the other
// party, are never blocked for good by that party's org. Fabric keeps the
// policy with the key, so it is set once. A trade opened before interface
// 17.0.0 keeps both orgs alone, and one opened before 18.0.0 between two
// members of one org that org or a majority: only the orgs a policy names
// may change it, so no majority reseals them, and their steps still need
// those orgs (or let that one org rewrite the trade alone).
func create(ctx state.Context, t *model.Trade, buyerUSCC string, orgs []string) error {
	if err := put(ctx, t); err != nil {
		return err
	}
	under := underTrade(t, orgs)
	if err := writeOpen(ctx, t, buyerUSCC, under); err != nil {
		return err
	}
	key, err := state.Key(ctx, keyTrade, t.ID)
	if err != nil {
		return err
	}
	if err := under(ctx, key); err != nil {
		return err
	}
	if err := markOpened(ctx, t); err != nil {
		return err
	}
	for _, idx := range [][]string{
		{idxParty, t.BuyerID, t.ID},
		{idxParty, t.SellerID, t.ID},
		{idxListing, t.ListingID, t.ID},
	} {
		if err := state.PutIndex(ctx, idx[0], idx[1:]...); err != nil {
			return err
		}
	}
	if err := state.PutKeyIndex(ctx, listingKeyPrefix(t.ListingID)+t.ID); err != nil {
		return err
	}
	if t.RightType != model.RightHolding {
		// Opened now, while a majority of the orgs endorses the new keys, so
		// that the acceptance, which the two parties' orgs endorse, fills it in.
		if err := rights.OpenPromise(ctx, promiseOf(t), under); err != nil {
			return err
		}
	}
	return indexMarket(ctx, t)
}

// partyOrgs are the orgs of trade t's parties, the buyer's and the seller's,
// which together endorse the changes to it (create).
func partyOrgs(t *model.Trade) []string {
	return []string{t.BuyerMSP, t.SellerMSP}
}

// underTrade answers how create puts a key of new trade t under the
// trade's key-level policy (its record, its idxOpen entry, its licence
// promise), orgs being the market's: its parties' orgs together, or a
// majority of the orgs.
//
// Its parties' orgs are one org when both are its members, which then,
// running chaincode of its own on its own peers, would rewrite the trade
// alone: a PAID holding trade back to a lapsed ACCEPTED, for an honest
// Expire to release the holding its buyer paid for; an ACCEPTED one to
// DELIVERED, for the buyer's Confirm to convey what was never paid; its
// promise or its idxOpen entry. A FIXED trade is put under a majority of
// the orgs alone then (state.RequireJointOrMajority, from interface
// 18.0.0): no step of it reads its private terms (RecordPayment compares
// the amount with its public price), so a majority without that org
// endorses every step, and that org's peers are needed only where a step
// writes that org's own records: its implicit collection (StageTerms,
// WithdrawTerms, the second RequestPurge of a trade with terms). A HOLDING
// sale's completion closes the seller's listings by their closings, which
// a majority writes (closeListing in chaincode/listings), so it needs no
// party's org either.
//
// A NEGOTIABLE trade inside one org stays under that org or a majority
// (state.RequirePartiesOrMajority): RecordPayment reads its accepted terms
// (readTerms), which only the peers of that org hold (its implicit
// collection: TermsCollection), and checks the amount paid, which comes as
// transient data to every endorsing peer, against their price. Under a
// majority, that step would need the peers of two orgs more, which hold
// no terms and would receive the private price: it could either never be
// endorsed, or leak the price. That org still rewrites such a trade alone.
func underTrade(t *model.Trade, orgs []string) func(state.Context, string) error {
	require := state.RequirePartiesOrMajority
	if t.Pricing == model.PricingFixed {
		require = state.RequireJointOrMajority
	}
	parties := partyOrgs(t)
	return func(ctx state.Context, key string) error { return require(ctx, key, parties, orgs) }
}

// page reads one page of an index and the trades it points to, keeping
// only those that agree with their entry (indexedBy).
func page(ctx state.Context, index, value string, size int32, bookmark string) (*model.TradePage, error) {
	return shownPage(ctx)(state.PageOf[model.TradePage](state.IndexedPage(ctx, index, []string{value}, size, bookmark, keyTrade,
		func(t *model.Trade) bool { return indexedBy(index, value, t) })))
}

// indexedBy reports whether trade t agrees with an entry of index for
// value: value is its buyer or seller (idxParty), or its listing
// (idxListing). The index entries carry no key-level policy, unlike the
// trades, so orgs running chaincode of their own could plant one naming any
// trade; an entry counts only as far as the trade agrees with it, and so no
// list shows, and no sale closes, a trade its entry does not describe.
func indexedBy(index, value string, t *model.Trade) bool {
	switch index {
	case idxParty:
		return t.BuyerID == value || t.SellerID == value
	case idxListing:
		return t.ListingID == value
	}
	return false
}
