package rights_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The recipient of a holding offer accepts after the offer expired by the
// endorsers' clocks, stamping its acceptance within model.MaxClockSkew
// behind, before the expiry: the slack alone would decide.
func TestAnOfferLapsesByTheEndorsersClocksWithinTheSlack(t *testing.T) {
	f := withAsset(t)
	var offer model.HoldingOffer
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").Unmarshal(t, &offer)
	expires := mustTime(t, offer.ExpiresAt)

	f.Net.Advance(expires.Add(-time.Second).Sub(f.Net.Now()))
	f.Net.SetPeerClockOffset(3 * time.Minute)
	f.refusedWith(t, ledgererr.Conflict, "expired", f.JsUser, "rights:AcceptHolding", "a1")
	f.Net.SetPeerClockOffset(0)
	f.Net.Advance(-5 * time.Minute)
	f.Net.Submit(f.JsUser, "rights:AcceptHolding", "a1").MustOK(t)
}

// A holder suspended by its exchange acts no more, not through an offer it
// made before either: the holding does not move while it is suspended.
func TestASuspendedHoldersOfferIsNotAccepted(t *testing.T) {
	f := withAsset(t)
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	f.Net.Submit(f.ShAdmin, "participants:Suspend", "sh.holder", "under investigation").MustOK(t)
	f.refusedWith(t, ledgererr.Conflict, "SUSPENDED", f.JsUser, "rights:AcceptHolding", "a1")
	assert.Equal(t, "sh.holder", f.Asset(t, "a1").HolderID)

	f.Net.Submit(f.ShAdmin, "participants:Reinstate", "sh.holder").MustOK(t)
	f.Net.Submit(f.JsUser, "rights:AcceptHolding", "a1").MustOK(t)
	assert.Equal(t, "js.user", f.Asset(t, "a1").HolderID)
}

// An offer's lapse, or a term's end, that the peers' clocks have passed is in
// the asset's history: a reader was shown it. Its grantor withdrawing the
// offer, its grantee declining it, or the licensee renouncing the right
// stamps the step within model.MaxClockSkew behind, before that end: the
// slack alone would decide whether the history keeps the expiry it showed,
// and the step would pass for one taken while the offer or the term stood.
// The history keeps it.
func TestAnEndingStampedBehindAnExpiryKeepsItInTheHistory(t *testing.T) {
	for _, c := range []struct {
		name      string
		accepted  bool
		byGrantee bool // else by its grantor
		function  string
		args      []string // after the right's ID
	}{
		{"the grantor withdraws a lapsed offer", false, false, "rights:Revoke", []string{"withdrawn in time"}},
		{"the grantee declines a lapsed offer", false, true, "rights:Decline", []string{"declined in time"}},
		{"the grantor revokes an expired licence", true, false, "rights:Revoke", []string{"revoked in term"}},
		{"the licensee renounces an expired licence", true, true, "rights:Renounce", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.RegisterAsset(t, f.Holder, "a1")
			r := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeNarrow)
			end := r.OfferExpiresAt
			if c.accepted {
				r = f.Accept(t, r.ID)
				end = r.Scope.ValidUntil
			}
			expiry := mustTime(t, end)
			expired := func() bool { return expiryShownAt(t, f, "a1", r.ID, time.Time{}) }
			f.advanceTo(t, expiry.Add(2*time.Minute))
			require.True(t, expired(), "a reader is shown the expiry")

			by := f.Holder
			if c.byGrantee {
				by = f.JsUser
			}
			f.Net.Invoke(by, chaincodetest.Call{
				Function:  c.function,
				Args:      append([]string{r.ID}, c.args...),
				Timestamp: expiry.Add(-time.Second), // within the slack behind the peers' clocks
			}).MustOK(t)
			assert.True(t, expired(), "the history keeps the expiry it showed")
		})
	}
}

// A reader whose stamp leads the peers' clocks (a gateway's clock within
// model.MaxClockLead ahead) is not shown an offer's lapse before the peers'
// clocks reach it: the grantee may still accept in that minute, and the
// expiry the reader was shown would vanish from the history. It shows once
// the stamp and the peer's clock have both reached it.
func TestAReaderAheadOfThePeersIsNotShownALapseToCome(t *testing.T) {
	f := withAsset(t)
	r := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	lapse := mustTime(t, r.OfferExpiresAt)
	expiredAt := func(stamp time.Time) bool { return expiryShownAt(t, f, "a1", r.ID, stamp) }
	f.advanceTo(t, lapse.Add(-30*time.Second))
	assert.False(t, expiredAt(lapse.Add(20*time.Second)), "the peers' clocks have not reached the lapse")
	f.Accept(t, r.ID)
	assert.False(t, expiredAt(f.Net.Now()), "an accepted offer does not lapse")
}
