package rights_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The reason of every step that offers, answers or ends an offer or a
// licence is at most model.MaxAssetReasonLength characters, counted as
// characters (a Chinese reason of the limit is three times as many bytes):
// one of the limit is taken and kept whole, one past it is refused naming
// reason, and writes nothing.
func TestTheReasonsOfOffersAndEndingsStopAtTheirLimit(t *testing.T) {
	f := withAsset(t)
	atLimit := strings.Repeat("异", model.MaxAssetReasonLength)
	past := atLimit + "议"
	step := func(who chaincodetest.Identity, function string, args ...string) chaincodetest.Result {
		t.Helper()
		f.Refused(t, ledgererr.InvalidArgument, "reason", who, function, append(args, past)...)
		return f.Net.Submit(who, function, append(args, atLimit)...)
	}
	var offer model.HoldingOffer
	step(f.Holder, "rights:TransferHolding", "a1", "js.user").Unmarshal(t, &offer)
	assert.Equal(t, atLimit, offer.Reason)
	step(f.JsUser, "rights:RefuseHolding", "a1").Unmarshal(t, &offer)
	assert.Equal(t, atLimit, offer.StatusReason)
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "again").MustOK(t)
	step(f.Holder, "rights:WithdrawHolding", "a1").Unmarshal(t, &offer)
	assert.Equal(t, atLimit, offer.StatusReason)

	for _, c := range []struct {
		who      chaincodetest.Identity
		function string
	}{{f.JsUser, "rights:Decline"}, {f.Holder, "rights:Revoke"}} {
		r := f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeNarrow)
		step(c.who, c.function, r.ID).MustOK(t)
		assert.Equal(t, atLimit, f.Right(t, r.ID).StatusReason, c.function)
	}
}
