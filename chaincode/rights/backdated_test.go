package rights_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// No step of a licence offer is stamped before the change it follows: a
// grant before the asset's certification, an acceptance before the offer,
// a sublicence before its parent's acceptance. Each would read before that
// change in the asset's history, and the grant or sublicence would start
// its grantee's window to accept (model.OfferWindow) before it. Refused,
// naming the stamp, and nothing written.
func TestALicenceStepIsNotStampedBeforeTheChangeItFollows(t *testing.T) {
	f := withAsset(t)
	grant := chaincodetest.Call{Function: "rights:Grant", Args: []string{"a1", "js.user", model.RightUse, registertest.ScopeWide}, Timestamp: f.Net.StampFarBehind()}
	f.RefusedCall(t, ledgererr.InvalidArgument, state.TimestampField, f.Holder, grant)
	offered := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)

	accept := chaincodetest.Call{Function: "rights:Accept", Args: []string{offered.ID}, Timestamp: f.Net.StampFarBehind()}
	f.RefusedCall(t, ledgererr.InvalidArgument, state.TimestampField, f.JsUser, accept)
	f.Accept(t, offered.ID)

	sublicense := chaincodetest.Call{Function: "rights:Sublicense", Args: []string{offered.ID, "zj.user", registertest.ScopeNoSub}, Timestamp: f.Net.StampFarBehind()}
	f.RefusedCall(t, ledgererr.InvalidArgument, state.TimestampField, f.JsUser, sublicense)
	f.offerSublicence(t, f.JsUser, offered.ID, "zj.user", registertest.ScopeNoSub)
}

// An open holding offer is replaced by a new one only once it expired by
// the stamp and by the endorsing peer's clock, as AcceptHolding judges it:
// a holder stamping its new offer ahead of the peers' clocks (within
// model.MaxClockLead), past the open offer's expiry, would otherwise take
// the holding back from a recipient who may still accept it.
func TestAnOpenHoldingOfferIsReplacedOnlyOnceTheClocksReachItsExpiry(t *testing.T) {
	f := withAsset(t)
	var offer model.HoldingOffer
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").Unmarshal(t, &offer)
	expires := mustTime(t, offer.ExpiresAt)
	f.advanceTo(t, expires.Add(-30*time.Second))

	ahead := chaincodetest.Call{Function: "rights:TransferHolding", Args: []string{"a1", "zj.user", "another gift"}, Timestamp: expires.Add(20 * time.Second)}
	f.RefusedCall(t, ledgererr.Conflict, "", f.Holder, ahead)
	f.Net.Submit(f.JsUser, "rights:AcceptHolding", "a1").MustOK(t)
	assert.Equal(t, "js.user", f.Asset(t, "a1").HolderID)
}
