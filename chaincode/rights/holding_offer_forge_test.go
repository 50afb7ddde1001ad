package rights_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// offerKey is the key of the open offer of a1's holding right holdingID.
func offerKey(holdingID string) string { return chaincodetest.Key("holding~offered", "a1", holdingID) }

// withoutJiangsu is a call endorsed by a majority of the four orgs without
// Jiangsu's: what a step the rules allow without that org gets when Jiangsu
// is hostile, or removed.
func withoutJiangsu(function string, args ...string) chaincodetest.Call {
	return chaincodetest.Call{Function: function, Args: args, PeerMSP: registertest.ShanghaiMSP,
		Endorsers: []string{registertest.ShanghaiMSP, registertest.ZhejiangMSP, registertest.AnhuiMSP}}
}

// The recipient's org does not hold an offer of the holding open: the
// holder withdraws it, and once it lapsed offers the holding to another,
// who takes it, all without the first recipient's org. With the offer's key
// tied to both parties' orgs, Jiangsu's peers, never endorsing, kept the
// holding from being offered to anyone else for good.
func TestTheRecipientsOrgHoldsNoOfferOpen(t *testing.T) {
	f := withAsset(t)
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	f.Net.Invoke(f.Holder, withoutJiangsu("rights:WithdrawHolding", "a1", "changed my mind")).MustOK(t)
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:AcceptHolding", "a1")

	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	f.Net.Advance(model.OfferWindow + time.Hour)
	f.Net.Invoke(f.Holder, withoutJiangsu("rights:TransferHolding", "a1", "zj.user", "gift")).MustOK(t)
	f.Net.Invoke(f.ZjUser, withoutJiangsu("rights:AcceptHolding", "a1")).MustOK(t)
	assert.Equal(t, "zj.user", f.Asset(t, "a1").HolderID)
}

// One org, both parties' (sh.holder offers its holding to sh.buyer), cannot
// rewrite the offer alone: stretching its deadline past its lapse fails
// validation, and the recipient can no longer accept it. Before, Shanghai's
// peers rewrote it and the majority's acceptance moved the holding on an
// offer its holder let lapse.
func TestOneOrgAloneStretchesNoHoldingOffer(t *testing.T) {
	f := withAsset(t)
	var offer model.HoldingOffer
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "sh.buyer", "gift").Unmarshal(t, &offer)
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, offerKey(offer.HoldingRightID)))
	f.Net.Advance(model.OfferWindow + time.Hour)

	offer.ExpiresAt = "2060-01-01T00:00:00Z"
	before := f.Snapshot()
	r := f.Net.Forge(f.Holder, chaincodetest.Writes{offerKey(offer.HoldingRightID): chaincodetest.JSON(t, &offer)})
	require.Error(t, r.Err, "one org alone rewrote a holding offer")
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	assert.Equal(t, before.State, f.Snapshot().State)
	f.refusedWith(t, ledgererr.Conflict, "expired", f.ShBuyer, "rights:AcceptHolding", "a1")
	assert.Equal(t, "sh.holder", f.Asset(t, "a1").HolderID)
}

// An offer made before 17.0.0, its key still tied to both parties' orgs,
// is read no more: its recipient can no longer accept it, and it keeps the
// holder from offering the holding to another no longer, whose offer takes
// a key of its own; the old key is left as it was.
func TestAnOfferMadeBeforeMajoritiesIsReadNoMore(t *testing.T) {
	f := withAsset(t)
	var offer model.HoldingOffer
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").Unmarshal(t, &offer)
	legacy := chaincodetest.Key("holding~offer", "a1", offer.HoldingRightID)
	// As a chaincode before 17.0.0 left it (the transactions endorsed by every org).
	every := []string{registertest.AnhuiMSP, registertest.JiangsuMSP, registertest.ShanghaiMSP, registertest.ZhejiangMSP}
	f.Net.Forge(f.Holder, chaincodetest.Writes{legacy: chaincodetest.JSON(t, &offer)}, every...).MustOK(t)
	f.Net.InvokeFunc(f.Holder, chaincodetest.Call{Endorsers: every},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			if err := stub.SetStateValidationParameter(legacy, orgsPolicy(t, registertest.ShanghaiMSP, registertest.JiangsuMSP)); err != nil {
				return nil, err
			}
			return nil, stub.DelState(offerKey(offer.HoldingRightID))
		}).MustOK(t)
	stored := f.Net.Ledger().State(legacy)

	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:AcceptHolding", "a1")
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:GetHoldingOffer", "a1")
	f.Net.Invoke(f.Holder, withoutJiangsu("rights:TransferHolding", "a1", "zj.user", "gift")).MustOK(t)
	f.Net.Invoke(f.ZjUser, withoutJiangsu("rights:AcceptHolding", "a1")).MustOK(t)
	assert.Equal(t, "zj.user", f.Asset(t, "a1").HolderID)
	assert.Equal(t, stored, f.Net.Ledger().State(legacy))
}
