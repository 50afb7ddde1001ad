package trades

import (
	"fmt"
	"slices"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/listings"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// This file holds the rules every transition applies: who may make it, from
// which state, and what it records.

// begin is how every transition starts once its inputs are valid: it
// resolves the caller, reads the trade, refuses a caller who may not read it
// (requireReader) and reads the transaction time, which must not lie before
// the trade's last step (requireAfterLastStep). A step that may accept or
// complete the trade reads its opening mark into start with it (lookup);
// any other passes nil.
func begin(ctx state.Context, tradeID string, start *opening) (*model.Participant, *model.Trade, time.Time, error) {
	caller, t, err := callerAndTrade(ctx, participants.Actor, tradeID, start)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	if err := requireAfterLastStep(t, now); err != nil {
		return nil, nil, time.Time{}, err
	}
	return caller, t, now, nil
}

// requireAfterLastStep refuses a step of trade t stamped before its last
// step (Trade.UpdatedAt). A stamp may lie model.MaxClockSkew behind the
// endorsing peers' clocks, so without this a party answering the other's
// step within that time could date its own before it: a delivery shown
// before the payment it answers, a dispute before the delivery it disputes,
// and the deadline its step starts for the other party counted from a time
// before that party's own step. The timeline is then in time order as it is
// in ledger order; an honest client whose proposal waited past the other
// party's step stamps it anew.
func requireAfterLastStep(t *model.Trade, now time.Time) error {
	return state.RequireAfterLastChange("trade", t.ID, t.UpdatedAt, now)
}

// tradeFor reads trade tradeID for caller and refuses a caller who may not
// read it (requireReader) as one that does not exist: the first read of
// every function given a trade's ID, so that none tells a stranger whether
// the trade exists. Nor does the time a refusal takes: an operator is refused
// a trade of another region after a read of the market rules (mayRead), and
// so a missing one after the same read. Unless start is nil, the trade's
// opening mark is read into it with the trade (lookup).
func tradeFor(ctx state.Context, caller *model.Participant, tradeID string, start *opening) (*model.Trade, error) {
	t, err := get(ctx, tradeID, start)
	if ledgererr.CodeOf(err) == ledgererr.NotFound && refusedAfterTheRules(caller) {
		if _, rerr := participants.RegionsNow(ctx); rerr != nil {
			return nil, rerr
		}
	}
	if err != nil {
		return nil, err
	}
	if err := requireReader(ctx, caller, t); err != nil {
		return nil, err
	}
	return t, nil
}

// callerAndTrade resolves the caller with resolve (participants.Caller for
// a query, participants.Actor for a transition) and reads trade tradeID
// for it (tradeFor): how every function given a trade's ID begins.
func callerAndTrade(ctx state.Context, resolve func(state.Context) (*model.Participant, error), tradeID string, start *opening) (*model.Participant, *model.Trade, error) {
	caller, err := resolve(ctx)
	if err != nil {
		return nil, nil, err
	}
	t, err := tradeFor(ctx, caller, tradeID, start)
	if err != nil {
		return nil, nil, err
	}
	return caller, t, nil
}

// beginAs begins a transition of trade tradeID that only who (requireBuyer,
// requireSeller or requireParty) may make, as "may <act>", and only from the
// states from, as "can be <done>": the gate every party's transition passes,
// in this order, so that each refuses alike. start is begin's.
func beginAs(ctx state.Context, tradeID string, start *opening, who func(*model.Trade, *model.Participant, string) error, act, done string, from ...string) (*model.Participant, *model.Trade, time.Time, error) {
	caller, t, now, err := begin(ctx, tradeID, start)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	if err := who(t, caller, act); err != nil {
		return nil, nil, time.Time{}, err
	}
	if err := requireState(t, now, done, from...); err != nil {
		return nil, nil, time.Time{}, err
	}
	return caller, t, now, nil
}

// requireBuyer refuses anyone but the trade's buyer.
func requireBuyer(t *model.Trade, p *model.Participant, action string) error {
	if p.ID != t.BuyerID {
		return ledgererr.Forbiddenf("only the buyer %q may %s trade %q", t.BuyerID, action, t.ID)
	}
	return nil
}

// requireSeller refuses anyone but the trade's seller.
func requireSeller(t *model.Trade, p *model.Participant, action string) error {
	if p.ID != t.SellerID {
		return ledgererr.Forbiddenf("only the seller %q may %s trade %q", t.SellerID, action, t.ID)
	}
	return nil
}

// requireParty refuses anyone but the trade's buyer and seller.
func requireParty(t *model.Trade, p *model.Participant, action string) error {
	if p.ID != t.BuyerID && p.ID != t.SellerID {
		return ledgererr.Forbiddenf("only the buyer %q or the seller %q may %s trade %q", t.BuyerID, t.SellerID, action, t.ID)
	}
	return nil
}

// isRegionOperator reports whether p is an operator of the exchange of
// region: the exchange that supervises the trades of its sellers.
func isRegionOperator(p *model.Participant, region string) bool {
	return p.HasRole(model.RoleOperator) && p.Region == region
}

// mayRead reports whether p may read a trade's public record through this
// contract: its parties, the regulator, and the operators of the exchanges
// of the regions it is in: the seller's region where the listing was listed
// (Trade.Region, a fact of the trade, whose exchange supervises it), and the
// buyer's region now, its org's in the market rules in force
// (participants.RegionNow), as caller resolution gave p its region: not the
// region the buyer's record was registered in, which a majority moving the
// buyer's org leaves behind, to another org's operators. ListMarket lists
// each operator no trade beyond these.
func mayRead(ctx state.Context, p *model.Participant, t *model.Trade) (bool, error) {
	if may, known := mayReadAsPartyOrSupervisor(p, t); known {
		return may, nil // no read of the market rules
	}
	readable, err := readableBy(ctx, p)
	if err != nil {
		return false, err
	}
	return readable(t), nil
}

// mayReadAsPartyOrSupervisor is mayRead as far as it reads nothing: known
// is false only for an operator of another region than the seller's, whom
// the buyer's region now decides.
func mayReadAsPartyOrSupervisor(p *model.Participant, t *model.Trade) (may, known bool) {
	switch {
	case p.ID == t.BuyerID || p.ID == t.SellerID || p.HasRole(model.RoleRegulator):
		return true, true
	case !p.HasRole(model.RoleOperator):
		return false, true
	case p.Region == t.Region:
		return true, true
	}
	return false, false
}

// refusedAfterTheRules reports whether mayRead reads the market rules before
// it refuses p a trade: p is an operator, which may read the trades of its
// region, and no regulator, which reads every trade.
func refusedAfterTheRules(p *model.Participant) bool {
	return p.HasRole(model.RoleOperator) && !p.HasRole(model.RoleRegulator)
}

// readableBy returns mayRead for p over many trades at the cost of one read
// of the market rules.
func readableBy(ctx state.Context, p *model.Participant) (func(*model.Trade) bool, error) {
	regionOf, err := participants.RegionsNow(ctx)
	if err != nil {
		return nil, err
	}
	return readableUnder(p, regionOf), nil
}

// readableUnder is mayRead for p over many trades under market rules
// already read, regionOf being their org's region now
// (participants.RegionsNow): the one rule of who may read a trade, for
// trades:Get, the lists and the trade IDs other answers show (Readers).
func readableUnder(p *model.Participant, regionOf func(msp string) string) func(*model.Trade) bool {
	return func(t *model.Trade) bool {
		if may, known := mayReadAsPartyOrSupervisor(p, t); known {
			return may
		}
		return p.Region == regionOf(t.BuyerMSP)
	}
}

// requireReader refuses a participant who may not read trade t (mayRead)
// exactly as a trade that does not exist is refused (notFound): same code,
// same message, after the same read of the trade's key. Every function given
// a trade's ID passes it before any other check of the trade, so that a
// stranger learns from none of them (a refusal naming the parties who may
// act, a region, a status or a deadline; Expire's answer, the record; a
// FORBIDDEN where an unknown ID is NOT_FOUND) whether a trade of that ID
// exists. Creating a trade under a taken ID is still a CONFLICT: a name
// space the clients choose from cannot hide which names are taken
// (docs/integration.md, "Errors").
func requireReader(ctx state.Context, p *model.Participant, t *model.Trade) error {
	if ok, err := mayRead(ctx, p, t); err != nil {
		return err
	} else if !ok {
		return notFound(t.ID)
	}
	return nil
}

// mayOversee reports whether p may read the trades of a participant or a
// listing of region: the regulator, or an operator of region's exchange
// (every such trade is in its region).
func mayOversee(p *model.Participant, region string) bool {
	return p.HasRole(model.RoleRegulator) || isRegionOperator(p, region)
}

// requireImpartial refuses an operator who would decide what (a case of
// trade t) while a party of it, or acting for a party's enterprise
// (participants.RequireImpartial): the parties of caseParties.
func requireImpartial(ctx state.Context, op *model.Participant, what string, t *model.Trade) error {
	parties, err := caseParties(ctx, t)
	if err != nil {
		return err
	}
	return participants.RequireImpartialOf(ctx, op, what, parties...)
}

// requireAJudge refuses to start trade t when no ACTIVE operator of the
// seller's region (the trade's, where it was listed) could resolve a dispute of it, each being one of its
// parties (caseParties) or acting for one's enterprise
// (participants.RequireAJudge): a dispute nobody may resolve would hold the
// paid trade, and the holding it locks, for good. The judge's absence later
// (suspended, released) is the exchange's staffing to mend, and does not
// stop a dispute: a party refused one would lose its remedy to the
// inspection deadline. It answers the rules it read.
func requireAJudge(ctx state.Context, t *model.Trade) (*model.Rules, error) {
	parties, err := caseParties(ctx, t)
	if err != nil {
		return nil, err
	}
	// The judges are the operators of the org that runs the trade's region in the rules in force (Resolve admits
	// an operator of t.Region), not of the seller's org, which a majority may have moved to another region.
	rules, err := market.Get(ctx)
	if err != nil {
		return nil, err
	}
	return rules, participants.RequireAJudgeOf(ctx, rules, t.Region, ledgererr.Phrase("the dispute of trade %q", t.ID), parties...)
}

// caseParties are the parties of a case of trade t, whom no operator
// deciding it may be or act for: the buyer, the seller, and the holder of
// the asset the right sold is over, who is a party to every licence over
// its asset. The buyer and the seller are of the orgs the trade names
// (BuyerMSP, SellerMSP: fixed at its opening, which its opening mark
// records, under both parties' orgs or a majority, so that one party's org
// alone rewrites them only where it is the other's too), not of the orgs
// their records name: a record is its org's alone to write, and bytes
// there that are no participant named no org, so that org alone made its
// operators acting for its party's enterprise that party's judges. The
// holder, where it is neither, is of the org participants.RequireImpartialOf
// vouches for (its registration's from 18.0.0), not of its record's, which
// its org alone rewrote to name an org where its enterprise is not bound.
func caseParties(ctx state.Context, t *model.Trade) ([]participants.CaseParty, error) {
	a, err := assets.GetAsset(ctx, t.AssetID)
	if err != nil {
		return nil, err
	}
	parties := []participants.CaseParty{{ID: t.BuyerID, MSPID: t.BuyerMSP}, {ID: t.SellerID, MSPID: t.SellerMSP}}
	holder := participants.CaseParty{ID: a.HolderID}
	for _, p := range parties {
		if p.ID == holder.ID {
			holder = p // the same participant, of the org the trade names it of
		}
	}
	return append(parties, holder), nil
}

// requireState refuses a transition from any state but the given ones, and
// any transition but Expire from a trade that has lapsed.
func requireState(t *model.Trade, now time.Time, action string, states ...string) error {
	if !slices.Contains(states, t.Status) {
		return ledgererr.Conflictf("trade %q is %s; only a trade that is %s can be %s", t.ID, t.Status, ledgererr.Alternatives.Join(states), action)
	}
	if lapsed(t, now) {
		return ledgererr.Conflictf("trade %q lapsed at %s after %s without a transition; it can only be expired", t.ID, t.DeadlineAt, model.TradeResponseWindow)
	}
	return nil
}

// lapsed reports whether a trade waiting for a party has passed its
// deadline, by the transaction time or by this peer's clock: a party
// stamping behind takes no step after it.
func lapsed(t *model.Trade, now time.Time) bool {
	return waiting(t.Status) && reachedByEither(t, now)
}

// expirable reports whether a trade waiting for a party has passed its
// deadline by the transaction time and by this peer's clock: a party
// stamping ahead cuts the other's last step short by no second.
func expirable(t *model.Trade, now time.Time) bool {
	return waiting(t.Status) && reachedByBoth(t, now)
}

// reachedByEither reports whether the transaction time or this peer's clock
// has reached the deadline of the trade's status: what the deadline
// forbids, a party stamping behind does not do after it. Stored instants
// are fixed-width UTC text, so they compare as text.
func reachedByEither(t *model.Trade, now time.Time) bool {
	return t.DeadlineAt != "" && (state.Format(now) >= t.DeadlineAt || state.ClockReached(t.DeadlineAt))
}

// reachedByBoth reports whether the transaction time and this peer's clock
// have both reached the deadline of the trade's status: what the deadline
// permits, a party stamping ahead does not do before it.
func reachedByBoth(t *model.Trade, now time.Time) bool {
	return reachedByBothAt(t.DeadlineAt, now)
}

// reachedByBothAt is reachedByBoth for a deadline at ("" for none), read
// where the trade is not (an idxOpen entry).
func reachedByBothAt(at string, now time.Time) bool {
	return at != "" && state.Format(now) >= at && state.ClockReached(at)
}

// advance moves a trade to status and records the transition in its
// timeline. The trade gets the deadline of its new status, if it has one
// (model.TradeWindow).
func advance(ctx state.Context, t *model.Trade, status, by, note string, now time.Time) {
	at := state.Format(now)
	t.Status, t.UpdatedAt, t.DeadlineAt = status, at, ""
	if window := model.TradeWindow(status); window > 0 {
		t.DeadlineAt = state.Format(now.Add(window))
	}
	t.Timeline = append(t.Timeline, model.Step{State: status, By: by, At: at, TxID: ctx.GetStub().GetTxID(), Note: note})
}

// agree moves a trade to ACCEPTED. Its record must still have the facts it
// was opened with (opened: its opening mark, start, read with it), the
// listing must still be on offer and the seller still entitled to sell; a
// HOLDING right is then locked to this trade, so that no second trade can
// be accepted for it, and a licence is promised from the holding or
// OPERATION right it is sold under, which then stays with the seller until
// the trade ends (rights.PromiseLicence).
func agree(ctx state.Context, t *model.Trade, start *opening, by, note string, now time.Time) error {
	if err := opened(t, start, false); err != nil {
		return err
	}
	l, err := listings.Get(ctx, t.ListingID)
	if err != nil {
		return err
	}
	if l.Status != model.ListingActive {
		return ledgererr.Conflictf("listing %q is %s; no trade on it can be accepted", l.ID, l.Status)
	}
	seller, err := participants.GetActive(ctx, t.SellerID)
	if err != nil {
		return err
	}
	if t.RightType != model.RightHolding {
		// The seller is committed: what it sells under stays with it until the trade ends.
		if err := rights.PromiseLicence(ctx, seller, t.RightType, t.ConveyedScope(), promiseOf(t), now); err != nil {
			return err
		}
	} else {
		if _, err := rights.CheckOffer(ctx, seller, t.AssetID, t.RightType, t.ConveyedScope(), now); err != nil {
			return err
		}
		if err := rights.LockHolding(ctx, t.AssetID, t.ID); err != nil {
			return err
		}
	}
	advance(ctx, t, model.TradeAccepted, by, note, now)
	return nil
}

// complete conveys what was sold and closes the trade: in this one
// transaction the buyer's right is issued (or the holding transferred) and a
// sold HOLDING listing leaves the market, with the seller's other listings
// of the asset, which the trade records (DelistedListingIDs).
// The buyer must be ACTIVE, as the recipient of a grant or a holding offer
// must (rights.Grant, rights.TransferHolding): Confirm's caller is, but the
// exchange resolving a dispute would otherwise give a suspended buyer a
// right while it is shut out, or a RELEASED one, which never acts again, an
// asset nobody could list, license or move any more.
// It closes no other buyer's trade: whoever submits the sale, its buyer
// too, is handed every key the transaction reads and writes, and the other
// buyers' trades are not the buyer's to read. CloseOthers closes them.
// It completes only a trade whose record still has the facts it was
// opened with (opened: its opening mark, start, read with it), never one
// opened before interface 16.0.0 without that mark, and writes the trade's
// completion mark (seal),
// without which no read takes the trade for a sale (showSeal).
// It returns the event of the sale, which names the listings it withdrew.
func complete(ctx state.Context, t *model.Trade, start *opening, by, note string, now time.Time) (model.TradeEvent, error) {
	if err := opened(t, start, true); err != nil {
		return model.TradeEvent{}, err
	}
	seller, buyer, err := conveyanceParties(ctx, t)
	if err != nil {
		return model.TradeEvent{}, err
	}
	right, err := rights.Convey(ctx, seller, buyer, t.AssetID, t.RightType, t.ConveyedScope(), t.ID, now)
	if err != nil {
		return model.TradeEvent{}, err
	}
	if t.RightType == model.RightHolding {
		if err := listings.MarkSold(ctx, t, now); err != nil {
			return model.TradeEvent{}, err
		}
		if t.DelistedListingIDs, err = listings.WithdrawFormerHolder(ctx, t.AssetID, t.SellerID, t.ListingID, now); err != nil {
			return model.TradeEvent{}, err
		}
	}
	t.RightID = right.ID
	advance(ctx, t, model.TradeCompleted, by, note, now)
	if err := seal(ctx, t); err != nil {
		return model.TradeEvent{}, err
	}
	e := saleEvent(t)
	e.DelistedListingIDs = t.DelistedListingIDs
	return e, nil
}

// conveyanceParties reads the seller of trade t and its buyer, who must be
// ACTIVE, and of an org whose binding of its enterprise is in force, to
// receive what was sold (complete, participants.GetRecipient). The seller
// receives nothing: the rights register checks its entitlement by its ID
// and names it as the grantor, so its record, its org's alone to write, is
// read as participants.Party reads it, whatever bytes that org wrote there:
// failing on them let it alone hold the buyer's paid, disputed sale from
// completion for good.
func conveyanceParties(ctx state.Context, t *model.Trade) (seller, buyer *model.Participant, err error) {
	if seller, err = participants.Party(ctx, t.SellerID); err != nil {
		return nil, nil, err
	}
	if buyer, err = participants.GetRecipient(ctx, t.BuyerID); err != nil {
		return nil, nil, err
	}
	return seller, buyer, nil
}

// conveyanceRefusal answers why complete would not convey trade t at now
// (rights.CheckConveyance), or "" when it would: the seller is no longer
// entitled to what it sold (its OPERATION right revoked, renounced or out of
// term, the licence's own term ended) or the buyer is not ACTIVE. A failure
// to read is an error, never a refusal.
func conveyanceRefusal(ctx state.Context, t *model.Trade, now time.Time) (string, error) {
	seller, buyer, err := conveyanceParties(ctx, t)
	if err == nil {
		err = rights.CheckConveyance(ctx, seller, buyer, t.AssetID, t.RightType, t.ConveyedScope(), t.ID, now)
	}
	if err == nil {
		return "", nil
	}
	if ledgererr.CodeOf(err) == ledgererr.Internal {
		return "", err
	}
	return err.Error(), nil
}

// closeLosers cancels the other trades still waiting on the sold listing or
// on a listing the sale withdrew, listingIDs: none of them can be accepted
// any more, and their buyers see why in their timelines instead of an order
// that stays ORDERED until it lapses. The step names no party (the sale
// decided it, not a participant) and its reason says that the holding was
// sold but not in which trade, which its buyer may not read (trades:Get).
// It is dated at the transaction's stamp, or at the loser's last step if that
// lies later (state.NotBeforeLastChange): its buyer may have stamped its order
// up to model.MaxClockLead ahead of the clocks, and refusing the closing then
// kept every other loser of the page open for as long.
//
// Any number of buyer enterprises may each hold an order on a listing, so it closes a page:
// of the trades of listingIDs, in their order and each listing's in key
// order, from bookmark on, the next model.MaxTradesClosedPerCall that
// closes admits (those CloseOthers' caller may read), and answers the key
// of the next one as the bookmark to continue from (state.ShownPage): the
// trades the caller may not read, and index entries that do not describe
// their trade, are passed over, never named nor counted.
func closeLosers(ctx state.Context, sale *model.Trade, beaten []*model.Listing, closes func(*model.Trade) bool, bookmark string, now time.Time) ([]*model.Trade, string, error) {
	if _, err := listingAt(ctx, beaten, bookmark); err != nil {
		return nil, "", err
	}
	waitingOnes, next, err := state.ShownPage(model.MaxTradesClosedPerCall, bookmark, func(n int32, from string) ([]state.Scanned[*model.Trade], string, error) {
		return scanListings(ctx, beaten, from, int(n), closes)
	})
	if err != nil {
		return nil, "", err
	}
	reason := fmt.Sprintf(soldReason, sale.AssetID)
	for _, o := range waitingOnes {
		at, err := state.NotBeforeLastChange("trade", o.ID, o.UpdatedAt, now)
		if err != nil {
			return nil, "", err
		}
		advance(ctx, o, model.TradeCancelled, "", reason, at)
		if err := put(ctx, o); err != nil {
			return nil, "", err
		}
	}
	if err := syncOpen(ctx, waitingOnes...); err != nil {
		return nil, "", err
	}
	return waitingOnes, next, nil
}

// scanListings reads up to n entries of the trades index of listings from
// the key from on (state.ShownPage's scan), going on to the next listing when
// one ends: an entry is Readable when it describes its trade and closes
// admits it, Shown when that trade is still waiting (indexedFrom).
func scanListings(ctx state.Context, listings []*model.Listing, from string, n int, closes func(*model.Trade) bool) ([]state.Scanned[*model.Trade], string, error) {
	first, err := listingAt(ctx, listings, from)
	if err != nil {
		return nil, "", err
	}
	var entries []state.Scanned[*model.Trade]
	for _, l := range listings[first:] {
		keys, trades, next, err := indexedFrom(ctx, l, from, n-len(entries))
		if err != nil {
			return nil, "", err
		}
		for i, o := range trades {
			readable := o != nil && indexedBy(idxListing, l.ID, o) && closes(o)
			entries = append(entries, state.Scanned[*model.Trade]{Key: keys[i], Item: o, Readable: readable, Shown: readable && waiting(o.Status)})
		}
		if next != "" {
			return entries, next, nil
		}
		from = ""
	}
	return entries, "", nil
}

// listingAt returns the index in listings of the listing whose trades
// bookmark is a key of (0 for ""), and refuses any other bookmark: so that no
// bookmark leads CloseOthers to the trades of a listing the sale did not
// take off the market.
func listingAt(ctx state.Context, listings []*model.Listing, bookmark string) (int, error) {
	if bookmark == "" {
		return 0, nil
	}
	for i, l := range listings {
		if of, err := state.IsBookmarkOf(ctx, idxListing, []string{l.ID}, bookmark); err != nil || of {
			return i, err
		}
	}
	return 0, state.NotABookmark("from")
}

// release frees a HOLDING right that an accepted trade held when the trade
// ends without a sale.
func release(ctx state.Context, t *model.Trade) error {
	locked := t.Status == model.TradeAccepted || t.Status == model.TradePaid || t.Status == model.TradeDelivered || t.Status == model.TradeDisputed
	if t.RightType != model.RightHolding || !locked {
		return nil
	}
	return rights.UnlockHolding(ctx, t.AssetID, t.ID)
}

// save writes the trade, with its step from an open status (syncOpen), and
// emits the transaction's event about it.
func save(ctx state.Context, t *model.Trade, name string, e model.TradeEvent) (*model.Trade, error) {
	if err := put(ctx, t); err != nil {
		return nil, err
	}
	if err := syncOpen(ctx, t); err != nil {
		return nil, err
	}
	return t, state.Emit(ctx, name, e)
}

// Readers answers the register and the listings whether a participant may
// read a trade (readableUnder), so that their answers show a trade's ID to
// those alone (assets.TradeIDs): one rule for who learns that a trade exists.
type Readers struct{}

// Read prepares reading the trades tradeIDs name in one request, which the
// caller's resolution makes with its own (assets.TradeIDs.Show), and returns
// the judge of who may read each once read: readableUnder the market rules
// that resolution read, false for an ID that names no trade. A page naming
// trades so costs no request per trade, nor a read of the rules per trade.
func (Readers) Read(ctx state.Context, tradeIDs []string) ([]*state.Read, assets.TradeJudge, error) {
	trades, err := state.NewBatch[model.Trade](ctx, keyTrade, tradeIDs)
	if err != nil {
		return nil, nil, err
	}
	return trades.Reads(), func(p *model.Participant, rules *model.Rules) func(string) bool {
		readable := readableUnder(p, rules.OrgRegion)
		return func(tradeID string) bool {
			t := trades.Record(tradeID)
			return t != nil && readable(t)
		}
	}, nil
}
