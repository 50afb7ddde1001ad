package assets_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// history reads an asset's whole history as who, a page of size at a time.
func (f *fixture) history(t *testing.T, who chaincodetest.Identity, assetID, size string) []model.HistoryEntry {
	t.Helper()
	items := []model.HistoryEntry{}
	chaincodetest.EachPage(func(bookmark string) string {
		var page model.HistoryPage
		f.Net.Evaluate(who, "assets:History", assetID, size, bookmark).Unmarshal(t, &page)
		for _, e := range page.Items {
			items = append(items, *e)
		}
		if page.Bookmark != "" {
			require.NotEmpty(t, page.Items, "a page with a bookmark has items")
		}
		return page.Bookmark
	})
	return items
}

// An auditor reads the whole life of an asset from its history alone: the
// registration, every right granted, licensed on, sold, revoked or expired
// over it, the holding's moves and the products made from it, in order,
// each with its transaction and time.
func TestAssetHistoryShowsEveryRightInOrder(t *testing.T) {
	f := newFixture(t)
	var want []model.HistoryEntry
	// right with a term -> the transaction that set its end: that issued
	// it, or that accepted it (until then it ended when its offer lapsed)
	endSetBy := map[string]string{}
	expect := func(res chaincodetest.Result, e model.HistoryEntry) {
		t.Helper()
		e.TxID = res.TxID
		want = append(want, e)
		if e.ValidUntil != "" || e.Action == model.ActionAccepted {
			endSetBy[e.RightID] = res.TxID
		}
	}
	// expectRight expects e of a transaction that returns the right it
	// issued, naming that right in e, and hands the right back.
	expectRight := func(res chaincodetest.Result, e model.HistoryEntry) model.Right {
		t.Helper()
		var r model.Right
		res.Unmarshal(t, &r)
		e.RightID = r.ID
		expect(res, e)
		return r
	}
	at := func() string { return state.Format(f.Net.Now()) }

	e := model.HistoryEntry{At: at(), Action: model.ActionApplied, By: "sh.holder", AssetStatus: model.AssetPendingReview, HolderID: "sh.holder"}
	expect(f.Net.Submit(f.Holder, "assets:Apply", "a1", "A", "transport", "shanghai", "d", registertest.HashOf("a1")).MustOK(t), e)
	e = model.HistoryEntry{At: at(), Action: model.ActionReviewed, By: "sh.op", AssetStatus: model.AssetPublicNotice, HolderID: "sh.holder", Decision: "APPROVE"}
	expect(f.Net.Submit(f.ShOp, "assets:Review", "a1", "APPROVE", "").MustOK(t), e)
	e = model.HistoryEntry{At: at(), Action: model.ActionObjected, By: "js.user", ObjectionID: "obj1", Reason: "ours"}
	expect(f.Net.Submit(f.JsUser, "assets:Object", "obj1", "a1", "ours").MustOK(t), e)
	e = model.HistoryEntry{At: at(), Action: model.ActionObjectionDecided, By: "sh.op", AssetStatus: model.AssetPublicNotice, HolderID: "sh.holder",
		ObjectionID: "obj1", Decision: "DISMISS", Reason: "no evidence"}
	expect(f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "obj1", "DISMISS", "no evidence").MustOK(t), e)
	f.Net.Advance(model.DefaultNoticePeriodSeconds * time.Second)
	e = model.HistoryEntry{At: at(), Action: model.ActionCertified, By: "sh.holder", AssetStatus: model.AssetRegistered, HolderID: "sh.holder", RightType: model.RightHolding, RightHolderID: "sh.holder"}
	res := f.Net.Submit(f.Holder, "assets:Certify", "a1").MustOK(t)
	e.RightID = f.Asset(t, "a1").HoldingRightID
	firstHolding := e.RightID
	expect(res, e)

	// A licence, licensed on, and a second one revoked before its end.
	e = model.HistoryEntry{At: at(), Action: model.ActionGranted, By: "sh.holder", RightType: model.RightUse, RightHolderID: "js.user", ValidUntil: registertest.YearEnd}
	wide := expectRight(f.Net.Submit(f.Holder, "rights:Grant", "a1", "js.user", model.RightUse, registertest.ScopeWide), e)
	// accept expects the grantee's acceptance of the offered right r.
	accept := func(who chaincodetest.Identity, r model.Right) {
		t.Helper()
		e := model.HistoryEntry{At: at(), Action: model.ActionAccepted, By: r.HolderID, RightID: r.ID, RightType: r.Type, RightHolderID: r.HolderID,
			ParentRightID: r.ParentRightID}
		expect(f.Net.Submit(who, "rights:Accept", r.ID).MustOK(t), e)
	}
	accept(f.JsUser, wide)
	e = model.HistoryEntry{At: at(), Action: model.ActionSublicensed, By: "js.user", RightType: model.RightUse, RightHolderID: "zj.user",
		ParentRightID: wide.ID, ValidUntil: "2026-09-01T00:00:00Z"}
	sub := expectRight(f.Net.Submit(f.JsUser, "rights:Sublicense", wide.ID, "zj.user", registertest.ScopeNarrow), e)
	accept(f.ZjUser, sub)
	// An offer withdrawn before its grantee answered, and one declined.
	e = model.HistoryEntry{At: at(), Action: model.ActionGranted, By: "sh.holder", RightType: model.RightOperation, RightHolderID: "ah.user", ValidUntil: registertest.YearEnd}
	op := expectRight(f.Net.Submit(f.Holder, "rights:Grant", "a1", "ah.user", model.RightOperation, registertest.ScopeNoSub), e)
	e = model.HistoryEntry{At: at(), Action: model.ActionRevoked, By: "sh.holder", RightID: op.ID, RightType: model.RightOperation, RightHolderID: "ah.user", Reason: "fee unpaid"}
	expect(f.Net.Submit(f.Holder, "rights:Revoke", op.ID, "fee unpaid").MustOK(t), e)
	e = model.HistoryEntry{At: at(), Action: model.ActionGranted, By: "sh.holder", RightType: model.RightUse, RightHolderID: "ah.user", ValidUntil: registertest.YearEnd}
	unwanted := expectRight(f.Net.Submit(f.Holder, "rights:Grant", "a1", "ah.user", model.RightUse, registertest.ScopeNoSub), e)
	e = model.HistoryEntry{At: at(), Action: model.ActionDeclined, By: "ah.user", RightID: unwanted.ID, RightType: model.RightUse, RightHolderID: "ah.user", Reason: "never asked"}
	expect(f.Net.Submit(f.AhUser, "rights:Decline", unwanted.ID, "never asked").MustOK(t), e)

	// A product derived under the sublicence: the lineage and the source's
	// history both name the right that entitled the deriver.
	e = model.HistoryEntry{At: at(), Action: model.ActionSourceOf, By: "zj.user", ProductID: "p1", RightID: sub.ID, RightType: model.RightUse, RightHolderID: "zj.user"}
	derived := f.derive(f.ZjUser, "p1", "shanghai", "a1").MustOK(t)
	expect(derived, e)
	var lin model.Lineage
	f.Net.Evaluate(f.AhUser, "assets:Lineage", "p1").Unmarshal(t, &lin)
	assert.Equal(t, []model.Entitlement{{SourceAssetID: "a1", RightID: sub.ID, RightType: model.RightUse}}, lin.Entitlements)
	// The product's own history starts with its application, by the
	// transaction that derived it.
	assert.Equal(t, []model.HistoryEntry{{At: e.At, TxID: derived.TxID, Action: model.ActionDerived, By: "zj.user",
		AssetStatus: model.AssetPendingReview, HolderID: "zj.user"}}, f.history(t, f.AhUser, "p1", "1"))

	// The holding offered to one who refuses, offered and withdrawn, then
	// offered again and accepted; then sold in a trade.
	// offerHolding expects the holder's offer of the holding to to stand in
	// the history as offered, open for the offer window.
	offerHolding := func(to, reason string) {
		t.Helper()
		offered := model.HistoryEntry{At: at(), Action: model.ActionHoldingOffered, By: "sh.holder", RightID: firstHolding, RightType: model.RightHolding,
			RightHolderID: to, ValidUntil: state.Format(f.Net.Now().Add(model.OfferWindow)), Reason: reason}
		expect(f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", to, reason).MustOK(t), offered)
	}
	offerHolding("zj.user", "gift")
	e = model.HistoryEntry{At: at(), Action: model.ActionHoldingRefused, By: "zj.user", RightID: firstHolding, RightType: model.RightHolding,
		RightHolderID: "zj.user", Reason: "not wanted"}
	expect(f.Net.Submit(f.ZjUser, "rights:RefuseHolding", "a1", "not wanted").MustOK(t), e)
	offerHolding("ah.user", "gift")
	e = model.HistoryEntry{At: at(), Action: model.ActionHoldingWithdrawn, By: "sh.holder", RightID: firstHolding, RightType: model.RightHolding,
		RightHolderID: "ah.user", Reason: "changed my mind"}
	expect(f.Net.Submit(f.Holder, "rights:WithdrawHolding", "a1", "changed my mind").MustOK(t), e)
	offerHolding("js.user", "merger")
	e = model.HistoryEntry{At: at(), Action: model.ActionHoldingTransferred, By: "js.user", HolderID: "js.user", RightType: model.RightHolding,
		RightHolderID: "js.user", PreviousRightID: firstHolding, Reason: "merger"}
	res = f.Net.Submit(f.JsUser, "rights:AcceptHolding", "a1").MustOK(t)
	e.RightID = f.Asset(t, "a1").HoldingRightID
	secondHolding := e.RightID
	expect(res, e)
	// The trades of these sales are none of the ledger's (this fixture runs
	// no trades contract), so nobody may read them and History shows their
	// IDs to no one (assets.TradeIDs; to their readers in package trades'
	// TestTradeIDsShowOnlyToWhoMayReadTheTrade).
	e = model.HistoryEntry{At: at(), Action: model.ActionSold, By: "js.user", RightType: model.RightUse, RightHolderID: "ah.user", ValidUntil: "2026-09-01T00:00:00Z"}
	var sold *model.Right
	res = f.InTx(f.JsUser, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		var err error
		sold, err = rights.Convey(ctx, registertest.Participant(t, ctx, "js.user"), registertest.Participant(t, ctx, "ah.user"), "a1", model.RightUse, registertest.ParseScope(t, registertest.ScopeNarrow, now), "trade-1", now)
		return err
	}).MustOK(t)
	e.RightID = sold.ID
	expect(res, e)
	// A holding is conveyed only by the trade it was locked to at acceptance.
	f.InTx(f.JsUser, func(ctx *contractapi.TransactionContext) error {
		return rights.LockHolding(ctx, "a1", "trade-2")
	}).MustOK(t)
	e = model.HistoryEntry{At: at(), Action: model.ActionHoldingSold, By: "js.user", HolderID: "zj.user", RightType: model.RightHolding,
		RightHolderID: "zj.user", PreviousRightID: secondHolding}
	res = f.InTx(f.JsUser, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		_, err := rights.Convey(ctx, registertest.Participant(t, ctx, "js.user"), registertest.Participant(t, ctx, "zj.user"), "a1", model.RightHolding, model.Scope{}, "trade-2", now)
		return err
	}).MustOK(t)
	e.RightID = f.Asset(t, "a1").HoldingRightID
	expect(res, e)

	// Every page size reads the same history, oldest first. No term has
	// ended yet, so no EXPIRED entry shows.
	for _, size := range []string{"1", "3", "100"} {
		assert.Equal(t, want, f.history(t, f.AhUser, "a1", size), "page size %s", size)
	}

	// The sublicence and the right sold under it end on 1 September: their
	// expiries show from then, with the transactions that set their ends
	// (the acceptance of the sublicence, the trade that sold the other).
	f.Net.Advance(time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC).Sub(f.Net.Now()))
	expiry := func(r *model.Right) model.HistoryEntry {
		return model.HistoryEntry{At: r.Scope.ValidUntil, TxID: endSetBy[r.ID], Action: model.ActionExpired, RightID: r.ID, RightType: r.Type,
			RightHolderID: r.HolderID, ParentRightID: r.ParentRightID, ValidUntil: r.Scope.ValidUntil}
	}
	got := f.history(t, f.AhUser, "a1", "4")
	require.Len(t, got, len(want)+2)
	assert.Equal(t, want, got[:len(want)])
	ends := got[len(want):]
	assert.ElementsMatch(t, []model.HistoryEntry{expiry(&sub), expiry(sold)}, ends)

	// A year on, the grant's term has ended too, but the revoked OPERATION
	// right shows no expiry: it had already ended.
	f.Net.Advance(365 * 24 * time.Hour)
	got = f.history(t, f.AhUser, "a1", "100")
	require.Len(t, got, len(want)+3)
	assert.Equal(t, expiry(&wide), got[len(got)-1])
	for _, e := range got {
		if e.RightID == op.ID {
			assert.NotEqual(t, model.ActionExpired, e.Action, "a revoked right does not expire later")
		}
	}
}

// A term that ended stays in the history: revoking the right afterwards
// adds the revocation and takes nothing back.
func TestHistoryKeepsAnExpiryRevokedAfterIt(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "a1")
	r := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeNarrow)
	f.Net.Advance(time.Date(2026, time.September, 2, 0, 0, 0, 0, time.UTC).Sub(f.Net.Now()))
	f.Net.Submit(f.Holder, "rights:Revoke", r.ID, "late paperwork").MustOK(t)

	var actions []string
	for _, e := range f.history(t, f.AhUser, "a1", "100") {
		actions = append(actions, e.Action)
	}
	assert.Equal(t, []string{model.ActionApplied, model.ActionReviewed, model.ActionCertified, model.ActionGranted, model.ActionAccepted, model.ActionExpired, model.ActionRevoked}, actions)
}

// Refusals: a bad ID or page size names the field, an unknown asset is not
// found, and a bookmark of another asset's history does not open this one.
func TestHistoryRefusals(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "a1")
	f.RegisterAsset(t, f.Holder2, "a2")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:History", "ghost", "", ""), ledgererr.NotFound, "")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:History", "a 1", "", ""), ledgererr.InvalidArgument, "id")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:History", "a1", "101", ""), ledgererr.InvalidArgument, "pageSize")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:History", "a1", "0", ""), ledgererr.InvalidArgument, "pageSize")

	var page model.HistoryPage
	f.Net.Evaluate(f.AhUser, "assets:History", "a2", "1", "").Unmarshal(t, &page)
	require.NotEmpty(t, page.Bookmark)
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:History", "a1", "1", page.Bookmark), ledgererr.InvalidArgument, "bookmark")
	// A prefix of another asset's ID is another asset: "a" reads none of
	// "a1"'s entries.
	f.RegisterAsset(t, f.Holder, "a")
	for _, e := range f.history(t, f.AhUser, "a", "100") {
		assert.NotEqual(t, "sh.holder2", e.HolderID)
	}
	assert.Len(t, f.history(t, f.AhUser, "a", "100"), 3)
}

// historyAt reads an asset's whole history as who with every read stamped
// at, as a gateway whose clock differs from the peers' stamps it (the
// chaincode accepts a stamp model.MaxClockSkew behind and model.MaxClockLead
// ahead of the peer's clock).
func (f *fixture) historyAt(t *testing.T, who chaincodetest.Identity, assetID string, at time.Time) []string {
	t.Helper()
	var actions []string
	for _, e := range chaincodetest.Items[model.HistoryEntry](t, func(bookmark string) chaincodetest.Result {
		return f.Net.Invoke(who, chaincodetest.Call{Function: "assets:History", Args: []string{assetID, "100", bookmark}, Evaluate: true, Timestamp: at})
	}) {
		actions = append(actions, e.Action)
	}
	return actions
}

// A committed transaction is a fact of the history whatever the reader's
// stamp: an auditor reading through a gateway whose clock lags the peers'
// (or right after a transaction stamped ahead of them, as any client may
// within model.MaxClockLead) must see every step, not a history silently cut
// at the reader's stamp. Only an expiry, which no transaction makes, waits
// for its time.
func TestHistoryShowsEveryCommittedStepWhateverTheReadersStamp(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "a1")
	// The holder's client stamps its grant ahead of the peers' clock.
	f.Net.Invoke(f.Holder, chaincodetest.Call{Function: "rights:Grant", Args: []string{"a1", "js.user", model.RightUse, registertest.ScopeNarrow},
		Timestamp: f.Net.Now().Add(model.MaxClockLead)}).MustOK(t)
	want := []string{model.ActionApplied, model.ActionReviewed, model.ActionCertified, model.ActionGranted}

	assert.Equal(t, want, f.historyAt(t, f.AhUser, "a1", f.Net.Now()), "read at the peers' clock, right after the grant")
	assert.Equal(t, want, f.historyAt(t, f.AhUser, "a1", f.Net.Now().Add(-model.MaxClockSkew+time.Second)),
		"read by a gateway whose clock lags the peers' by less than model.MaxClockSkew")
}
