package assets

import (
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// keyHistory keys the entries of an asset's history: assetId, the instant,
// then the transaction ID and action of an entry a transaction wrote, or
// pendingEnd and the right ID of an entry that the end of a right's term
// makes true. The instant is fixed-width UTC to the nanosecond, so
// that one asset's entries sort in time order and a page of its history is
// one range of keys: nothing is scanned, and no entry is ever rewritten, so
// no transaction on one asset waits for another's key.
const keyHistory = "asset~history"

// pendingEnd marks the key of an entry written ahead of its time: the end of
// a right's term. It sorts after every transaction
// ID (lowercase hex), which only matters for entries of the same nanosecond.
const pendingEnd = "~end"

// instantLayout is the instant in history keys.
const instantLayout = "2006-01-02T15:04:05.000000000Z"

// AppendHistory writes e into the history of an asset, at this transaction's
// time and with its ID. A transaction writes at most one entry per action on
// one asset.
func AppendHistory(ctx state.Context, assetID string, e *model.HistoryEntry) error {
	ts, err := ctx.GetStub().GetTxTimestamp()
	if err != nil {
		return ledgererr.Internalf(err, "reading the transaction timestamp")
	}
	at := ts.AsTime().UTC()
	e.At, e.TxID = state.Format(at), ctx.GetStub().GetTxID()
	key, err := state.Key(ctx, keyHistory, assetID, at.Format(instantLayout), e.TxID, e.Action)
	if err != nil {
		return err
	}
	return state.Put(ctx, key, e)
}

// scheduleEnd writes, at the time a right's term ends, the EXPIRED entry
// that its end will make true, on behalf of this transaction, which set that
// end. History reads show it once its time has come; cancelEnd takes it back
// when the right ends earlier.
func scheduleEnd(ctx state.Context, assetID, ref string, end time.Time, e *model.HistoryEntry) error {
	e.At, e.TxID = state.Format(end), ctx.GetStub().GetTxID()
	key, err := endKey(ctx, assetID, ref, end)
	if err != nil {
		return err
	}
	return state.Put(ctx, key, e)
}

// cancelEnd deletes the entry scheduleEnd wrote for ref at end.
func cancelEnd(ctx state.Context, assetID, ref string, end time.Time) error {
	key, err := endKey(ctx, assetID, ref, end)
	if err != nil {
		return err
	}
	if err := ctx.GetStub().DelState(key); err != nil {
		return ledgererr.Internalf(err, "deleting a pending history entry of asset %q", assetID)
	}
	return nil
}

func endKey(ctx state.Context, assetID, ref string, end time.Time) (string, error) {
	return state.Key(ctx, keyHistory, assetID, end.UTC().Format(instantLayout), pendingEnd, ref)
}

// RecordIssued writes the history entry of a right just issued over its
// asset and, for a right whose term ends, the EXPIRED entry of that end
// (expiryOf: for an offer, its lapse). A HOLDING right has no end: it is
// superseded when the holding moves.
func RecordIssued(ctx state.Context, r *model.Right, action, by string, e model.HistoryEntry) error {
	e.Action, e.By = action, by
	e.RightID, e.RightType, e.RightHolderID, e.ParentRightID = r.ID, r.Type, r.HolderID, r.ParentRightID
	if r.Type != model.RightHolding {
		e.ValidUntil = r.Scope.ValidUntil
	}
	if err := AppendHistory(ctx, r.AssetID, &e); err != nil {
		return err
	}
	if r.Type == model.RightHolding {
		return nil
	}
	return scheduleExpiry(ctx, r, expiryOf(r))
}

// RecordAccepted writes the entry of an offered right its grantee, by,
// accepted, and moves the EXPIRED entry of the offer's lapse to the end of
// the right's term: accepted, the right stands until then. An offer made
// before offers lapsed had its expiry scheduled at the end of its term
// already.
func RecordAccepted(ctx state.Context, r *model.Right, by string) error {
	if err := AppendHistory(ctx, r.AssetID, &model.HistoryEntry{
		Action: model.ActionAccepted, By: by, RightID: r.ID, RightType: r.Type, RightHolderID: r.HolderID,
		ParentRightID: r.ParentRightID,
	}); err != nil {
		return err
	}
	if r.OfferExpiresAt == "" {
		return nil
	}
	lapse, err := parseEnd(r, r.OfferExpiresAt)
	if err != nil {
		return err
	}
	if err := cancelEnd(ctx, r.AssetID, r.ID, lapse); err != nil {
		return err
	}
	return scheduleExpiry(ctx, r, r.Scope.ValidUntil)
}

// RecordEnded writes the entry of a right ended at now by action
// (ActionRevoked: its grantor or the exchange revoked it; ActionRenounced:
// its holder gave it up; ActionDeclined: its grantee refused the offer),
// and takes back its EXPIRED entry (expiryOf) if that has not come yet: an
// ended right does not expire later. An expiry already past stays: the
// history never rewrites what it has shown. Past by the stamp or by the
// endorsing peer's clock: a step stamped within model.MaxClockSkew behind
// would otherwise take back an expiry readers were shown, and pass for one
// taken while the offer or the term stood.
func RecordEnded(ctx state.Context, r *model.Right, action, by, reason string, now time.Time) error {
	if err := AppendHistory(ctx, r.AssetID, &model.HistoryEntry{
		Action: action, By: by, RightID: r.ID, RightType: r.Type, RightHolderID: r.HolderID,
		ParentRightID: r.ParentRightID, Reason: reason,
	}); err != nil {
		return err
	}
	expiry := expiryOf(r)
	end, err := parseEnd(r, expiry)
	if err != nil {
		return err
	}
	if !now.Before(end) || state.ClockReached(expiry) {
		return nil
	}
	return cancelEnd(ctx, r.AssetID, r.ID, end)
}

// expiryOf is when the asset's history shows r's EXPIRED entry, read from
// what r stores whatever its status now: the lapse of an offer not
// accepted (OfferExpiresAt), else the end of its term, where it was
// scheduled for a right never offered, accepted since (RecordAccepted), or
// offered before offers lapsed.
func expiryOf(r *model.Right) string {
	if r.OfferExpiresAt != "" && r.AcceptedAt == "" {
		return r.OfferExpiresAt
	}
	return r.Scope.ValidUntil
}

// scheduleExpiry schedules r's EXPIRED entry at at, the end of its term or
// the lapse of its offer; the entry names the term's end all the same.
func scheduleExpiry(ctx state.Context, r *model.Right, at string) error {
	end, err := parseEnd(r, at)
	if err != nil {
		return err
	}
	return scheduleEnd(ctx, r.AssetID, r.ID, end, &model.HistoryEntry{
		Action: model.ActionExpired, RightID: r.ID, RightType: r.Type, RightHolderID: r.HolderID, ParentRightID: r.ParentRightID,
		ValidUntil: r.Scope.ValidUntil,
	})
}

// parseEnd reads at, an instant r stores as one of its ends.
func parseEnd(r *model.Right, at string) (time.Time, error) {
	end, err := time.Parse(state.TimeLayout, at)
	if err != nil {
		return time.Time{}, ledgererr.Internalf(err, "reading the term of right %q", r.ID)
	}
	return end, nil
}

// applicationEntry is the first entry of an asset's history, the
// application (APPLIED, or DERIVED for a product) that put it on the
// register. It is read from the asset record, which holds the application's
// transaction, time and applicant, instead of being written under the
// history's keys: an application writes only what the register needs (see
// TestApplyWritesOnlyWhatTheRegisterNeeds). A record filed before the history
// existed names no transaction and has no such entry.
func applicationEntry(a *model.Asset) *model.HistoryEntry {
	if a.ApplicationTxID == "" {
		return nil
	}
	action := model.ActionApplied
	if len(a.Sources) > 0 {
		action = model.ActionDerived
	}
	return &model.HistoryEntry{
		At: a.AppliedAt, TxID: a.ApplicationTxID, Action: action, By: a.ApplicantID,
		AssetStatus: model.AssetPendingReview, HolderID: a.ApplicantID,
	}
}

// historyPage reads one page of asset a's history as of now, oldest first:
// the first page starts with the application's entry, then the entries
// written under the asset's range of keys. An entry a transaction wrote is
// a committed fact and always shows, whatever the reader's stamp: a reader
// may be stamped model.MaxClockSkew behind the peers' clocks and a writer
// model.MaxClockLead ahead. An expiry (no transaction makes it) shows once
// its time has come, by the reader's stamp and by the endorsing peer's
// clock: a reader stamped ahead would be shown the lapse of an offer that
// its grantee may still accept (rights:Accept refuses only once the stamp or
// the clock reached it), and the expiry would vanish from the history it
// was shown in. One due within that reach of now is skipped, and one
// due beyond it ends the history for now (every entry after it is a later
// expiry): the page stops before it, with no bookmark.
//
// When the application's entry alone fills the first page, the next page
// starts at the beginning of the range: its bookmark is the range's own
// prefix, which no stored key equals and which the bookmark check of
// state.RecordPage accepts for this asset only.
func historyPage(ctx state.Context, a *model.Asset, size int32, bookmark string, now time.Time) (*model.HistoryPage, error) {
	start, err := state.Key(ctx, keyHistory, a.ID)
	if err != nil {
		return nil, err
	}
	page := new(model.HistoryPage)
	page.Items = []*model.HistoryEntry{}
	switch applied := applicationEntry(a); {
	case bookmark == start:
		bookmark = ""
	case bookmark == "" && applied != nil:
		page.Items = append(page.Items, applied)
		size--
	}
	asOf := state.Format(now)
	// No transaction committed before this read is stamped after reach.
	reach := state.Format(now.Add(model.MaxClockSkew + model.MaxClockLead))
	pending := func(e *model.HistoryEntry) bool {
		return e.Action == model.ActionExpired && (e.At > asOf || !state.ClockReached(e.At))
	}
	if size == 0 {
		next, _, err := state.RecordPage[model.HistoryEntry](ctx, keyHistory, []string{a.ID}, 1, "")
		if err != nil {
			return nil, err
		}
		if len(next) > 0 && !(pending(next[0]) && next[0].At > reach) {
			page.Bookmark = start
		}
		return page, nil
	}
	entries, next, err := state.RecordPage[model.HistoryEntry](ctx, keyHistory, []string{a.ID}, size, bookmark)
	if err != nil {
		return nil, err
	}
	page.Bookmark = next
	for _, e := range entries {
		if pending(e) {
			if e.At > reach {
				page.Bookmark = ""
				break
			}
			continue
		}
		page.Items = append(page.Items, e)
	}
	return page, nil
}
