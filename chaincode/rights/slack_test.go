package rights_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The recipient of a holding offer accepts after the offer expired by the
// endorsers' clocks, stamping its acceptance within model.MaxClockSkew
// behind, before the expiry: the slack alone would decide.
func TestAnOfferLapsesByTheEndorsersClocksWithinTheSlack(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "a1")
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
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "a1")
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	f.Net.Submit(f.ShAdmin, "participants:Suspend", "sh.holder", "under investigation").MustOK(t)
	f.refusedWith(t, ledgererr.Conflict, "SUSPENDED", f.JsUser, "rights:AcceptHolding", "a1")
	assert.Equal(t, "sh.holder", f.Asset(t, "a1").HolderID)

	f.Net.Submit(f.ShAdmin, "participants:Reinstate", "sh.holder").MustOK(t)
	f.Net.Submit(f.JsUser, "rights:AcceptHolding", "a1").MustOK(t)
	assert.Equal(t, "js.user", f.Asset(t, "a1").HolderID)
}
