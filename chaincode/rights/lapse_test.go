package rights_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// advanceTo moves the network's clock so that the next proposal is stamped
// at.
func (f *fixture) advanceTo(t *testing.T, at time.Time) {
	t.Helper()
	require.False(t, at.Before(f.Net.Now()), "the clock does not go back")
	f.Net.Advance(at.Sub(f.Net.Now()))
}

// An offer records when it lapses, from its transaction's time: one offer
// window later, the same for a grant and a sublicence. It is accepted up to
// the second before, and not from that second on.
func TestAnOfferIsAcceptedWithinItsWindow(t *testing.T) {
	f := withAsset(t)
	parent := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	offers := []*model.Right{
		f.Offer(t, f.Holder, "a1", "zj.user", model.RightUse, registertest.ScopeWide),
		f.offerSublicence(t, f.JsUser, parent.ID, "zj.user", registertest.ScopeNarrow),
	}
	for _, o := range offers {
		assert.Equal(t, state.Format(mustTime(t, o.IssuedAt).Add(model.OfferWindow)), o.OfferExpiresAt, "right %s", o.ID)
		assert.Equal(t, o.OfferExpiresAt, f.Right(t, o.ID).OfferExpiresAt, "stored as answered")
	}
	assert.Empty(t, f.Right(t, f.Asset(t, "a1").HoldingRightID).OfferExpiresAt, "a right never offered has no offer to lapse")

	// The grant is accepted at its last second, by the stamp and the
	// peer's clock (which the test network otherwise keeps a second ahead
	// of the stamp); it stands for its term.
	f.advanceTo(t, mustTime(t, offers[0].OfferExpiresAt).Add(-time.Second))
	f.Net.SetPeerClockOffset(-time.Second)
	var accepted model.Right
	f.Net.Submit(f.ZjUser, "rights:Accept", offers[0].ID).Unmarshal(t, &accepted)
	f.Net.SetPeerClockOffset(0)
	assert.Equal(t, model.RightActive, accepted.Status)
	assert.Equal(t, offers[0].OfferExpiresAt, accepted.OfferExpiresAt, "the record keeps when its offer would have lapsed")
	f.Net.Advance(time.Hour)
	assert.Equal(t, model.RightActive, f.Right(t, accepted.ID).Status)

	// The sublicence, offered moments later, has lapsed.
	lapsed := offers[1]
	f.refusedWith(t, ledgererr.Conflict, "lapsed", f.ZjUser, "rights:Accept", lapsed.ID)
	got := f.Right(t, lapsed.ID)
	assert.Equal(t, model.RightExpired, got.Status, "a lapsed offer no longer stands")
	assert.Empty(t, got.StatusFrom)
	for _, r := range listedByHolder(t, f, "zj.user") {
		if r.ID == lapsed.ID {
			assert.Equal(t, model.RightExpired, r.Status, "listed as it reads")
		}
	}
	// Lapsed, it entitles nothing, as before.
	f.Refused(t, ledgererr.Forbidden, "", f.ZjUser, "rights:Sublicense", lapsed.ID, "ah.user", registertest.ScopeNarrow)
}

// The window is judged as a term is: by the stamp, and by the endorsing
// peer's clock, so that a grantee stamping its acceptance before the lapse
// after it has passed is refused all the same, and one whose peer's clock
// lags is refused by the stamp.
func TestALapsedOfferIsRefusedByTheStampOrThePeersClock(t *testing.T) {
	f := withAsset(t)
	early := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	late := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)

	// Stamped a minute before the lapse; the peer's clock says a minute after.
	f.advanceTo(t, mustTime(t, early.OfferExpiresAt).Add(-time.Minute))
	f.Net.SetPeerClockOffset(2 * time.Minute)
	f.refusedWith(t, ledgererr.Conflict, "lapsed", f.JsUser, "rights:Accept", early.ID)
	f.Net.SetPeerClockOffset(0)
	// Within the window by both, it is accepted.
	f.Accept(t, early.ID)

	// Stamped at the lapse; the peer's clock half a minute behind.
	f.advanceTo(t, mustTime(t, late.OfferExpiresAt))
	f.Net.SetPeerClockOffset(-30 * time.Second)
	f.refusedWith(t, ledgererr.Conflict, "lapsed", f.JsUser, "rights:Accept", late.ID)
	f.Net.SetPeerClockOffset(0)
}

// An offer never outlives what it offers: a term ending within the window
// is when the offer lapses too, and the refusal names the term.
func TestATermShorterThanTheWindowGoverns(t *testing.T) {
	f := withAsset(t)
	until := f.Net.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	o := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse,
		registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", until, false))
	assert.Equal(t, until, o.OfferExpiresAt)
	f.advanceTo(t, mustTime(t, until))
	f.refusedWith(t, ledgererr.Conflict, "term", f.JsUser, "rights:Accept", o.ID)
	assert.Equal(t, model.RightExpired, f.Right(t, o.ID).Status)
}

// A lapsed offer may still be declined by its grantee, as an expired
// holding offer may be refused, or withdrawn by its grantor: either clears
// it for what it is.
func TestALapsedOfferIsDeclinedOrWithdrawn(t *testing.T) {
	f := withAsset(t)
	declined := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	withdrawn := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	f.Net.Advance(model.OfferWindow + time.Hour)
	f.Net.Submit(f.JsUser, "rights:Decline", declined.ID, "too late anyway").MustOK(t)
	assert.Equal(t, model.RightDeclined, f.Right(t, declined.ID).Status)
	f.Net.Submit(f.Holder, "rights:Revoke", withdrawn.ID, "unanswered").MustOK(t)
	assert.Equal(t, model.RightRevoked, f.Right(t, withdrawn.ID).Status)
}

// The asset's history shows an unanswered offer's expiry when it lapsed,
// and an accepted one's at the end of its term, not at its lapse.
func TestTheHistoryShowsTheLapseOfAnOffer(t *testing.T) {
	f := withAsset(t)
	unanswered := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	accepted := f.Grant(t, f.Holder, "a1", "zj.user", model.RightUse, registertest.ScopeWide)
	f.Net.Advance(model.OfferWindow + time.Hour)
	expiries := func() map[string]model.HistoryEntry {
		got := map[string]model.HistoryEntry{}
		for _, e := range assetHistory(t, f, "a1") {
			if e.Action == model.ActionExpired {
				got[e.RightID] = e
			}
		}
		return got
	}
	got := expiries()
	require.Contains(t, got, unanswered.ID)
	assert.Equal(t, unanswered.OfferExpiresAt, got[unanswered.ID].At)
	assert.Equal(t, unanswered.Scope.ValidUntil, got[unanswered.ID].ValidUntil)
	assert.NotContains(t, got, accepted.ID, "an accepted offer does not lapse")

	f.advanceTo(t, mustTime(t, registertest.YearEnd).Add(time.Second))
	got = expiries()
	require.Contains(t, got, accepted.ID)
	assert.Equal(t, accepted.Scope.ValidUntil, got[accepted.ID].At)
	assert.Equal(t, unanswered.OfferExpiresAt, got[unanswered.ID].At, "a lapsed offer expires once")
}

// An offer made before offers lapsed stores no offerExpiresAt: it lapses
// one window after it was issued all the same, and until then is accepted.
func TestAnOfferMadeBeforeOffersLapsedLapses(t *testing.T) {
	f := withAsset(t)
	old := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	kept := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	for _, o := range []*model.Right{old, kept} {
		asBefore(t, f, o.ID)
		require.Empty(t, f.Right(t, o.ID).OfferExpiresAt)
	}
	lapse := mustTime(t, old.IssuedAt).Add(model.OfferWindow)
	f.advanceTo(t, lapse.Add(-time.Minute))
	assert.Equal(t, model.RightOffered, f.Right(t, old.ID).Status)
	f.Accept(t, kept.ID)
	f.advanceTo(t, lapse)
	f.refusedWith(t, ledgererr.Conflict, "lapsed", f.JsUser, "rights:Accept", old.ID)
	assert.Equal(t, model.RightExpired, f.Right(t, old.ID).Status)
	assert.Equal(t, model.RightActive, f.Right(t, kept.ID).Status)
}

// asBefore rewrites right id as the chaincode wrote an offer before offers
// lapsed: without offerExpiresAt.
func asBefore(t *testing.T, f *fixture, id string) {
	t.Helper()
	f.InTx(f.JsUser, func(ctx *contractapi.TransactionContext) error {
		key := chaincodetest.Key("right", id)
		b, err := ctx.GetStub().GetState(key)
		if err != nil {
			return err
		}
		var r map[string]any
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		delete(r, "offerExpiresAt")
		if b, err = json.Marshal(r); err != nil {
			return err
		}
		return ctx.GetStub().PutState(key, b)
	}).MustOK(t)
}
