package assets_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// No step on an asset is stamped before the asset's last change: the
// operator reviewing an application a second after it was filed, stamping
// its approval as far back as the peers accept (model.MaxClockSkew), would
// start the public notice before the application and end it six minutes
// early; the holder offering its holding a second after its certification
// would show the offer before the certification in the asset's history,
// which sorts by stamp. Refused, naming the stamp, and nothing written; a
// step at the last change's own second is taken.
func TestAStepOnAnAssetIsNotStampedBeforeItsLastChange(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.Holder, "a1")
	review := chaincodetest.Call{Function: "assets:Review", Args: []string{"a1", model.DecisionApprove, ""}, Timestamp: f.Net.StampFarBehind()}
	f.RefusedCall(t, ledgererr.InvalidArgument, state.TimestampField, f.ShOp, review)
	review.Timestamp = chaincodetest.ParseTime(t, f.Asset(t, "a1").UpdatedAt)
	f.Net.Invoke(f.ShOp, review).MustOK(t)

	f.RegisterAsset(t, f.Holder, "a2")
	offer := chaincodetest.Call{Function: "rights:TransferHolding", Args: []string{"a2", "js.user", "gift"}, Timestamp: f.Net.StampFarBehind()}
	f.RefusedCall(t, ledgererr.InvalidArgument, state.TimestampField, f.Holder, offer)
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a2", "js.user", "gift").MustOK(t)
	var actions []string
	for _, e := range f.history(t, f.Holder, "a2", "") {
		actions = append(actions, e.Action)
	}
	assert.Equal(t, []string{model.ActionApplied, model.ActionReviewed, model.ActionCertified, model.ActionHoldingOffered}, actions, "in commit order")
}
