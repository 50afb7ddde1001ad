package rights_test

import (
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// registeredBefore17 turns asset id into one registered before interface
// 17.0.0: under its holder's org's policy alone, without its mark
// (asset~sealed), which Certify took away then.
func registeredBefore17(t *testing.T, f *fixture, id string) {
	t.Helper()
	key := chaincodetest.Key("asset", id)
	all := []string{registertest.ShanghaiMSP, registertest.JiangsuMSP, registertest.ZhejiangMSP, registertest.AnhuiMSP}
	f.Net.InvokeFunc(f.ShAdmin, chaincodetest.Call{PeerMSP: registertest.ShanghaiMSP, Endorsers: all},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			if err := stub.SetStateValidationParameter(key, orgsPolicy(t, registertest.ShanghaiMSP)); err != nil {
				return nil, err
			}
			return nil, stub.DelState(chaincodetest.Key("asset~sealed", id))
		}).MustOK(t)
	require.Equal(t, "any of "+registertest.ShanghaiMSP, f.KeyPolicy(t, key))
}

// The holder's org alone may still rewrite an asset registered before
// 17.0.0 until its next change, to name another org's member as its holder;
// the HOLDING right, under a majority since 15.0.0, still names the holder.
// The register takes the holder's authority from that right, not from such
// a record: the member named neither grants nor revokes licences over the
// asset, nor derives from it, nor sells a licence over it, as its holder,
// and the exchange of another region does not revoke as the asset's.
func TestTheHoldersOrgAloneMakesNoOtherOrgsMemberHolderOfAnAssetRegisteredBefore17(t *testing.T) {
	f := withAsset(t)
	licence := f.Grant(t, f.Holder, "a1", "zj.user", model.RightUse, registertest.ScopeWide)
	registeredBefore17(t, f, "a1")
	a := f.Asset(t, "a1")
	a.HolderID, a.HolderMSP = "js.user", registertest.JiangsuMSP
	f.Net.Forge(f.Holder, chaincodetest.Writes{chaincodetest.Key("asset", "a1"): chaincodetest.JSON(t, a)}).MustOK(t)
	require.Equal(t, "js.user", f.Asset(t, "a1").HolderID, "its org alone rewrote it")

	before := f.Snapshot()
	f.Net.Submit(f.JsUser, "rights:Grant", "a1", "zj.user", model.RightUse, registertest.ScopeWide).MustFail(t, string(ledgererr.Forbidden))
	f.Net.Submit(f.JsUser, "rights:Revoke", licence.ID, "mine now").MustFail(t, string(ledgererr.Forbidden))
	derive(f, f.JsUser, "p1").MustFail(t, string(ledgererr.Forbidden))
	f.Net.Submit(f.JsUser, "rights:TransferHolding", "a1", "zj.user", "gift").MustFail(t, string(ledgererr.Forbidden))
	f.InTx(f.JsUser, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		js := registertest.Participant(t, ctx, "js.user")
		for _, rt := range []string{model.RightHolding, model.RightUse} {
			_, err := rights.CheckOffer(ctx, js, "a1", rt, registertest.ParseScope(t, registertest.ScopeWide, now), now)
			registertest.RequireErrCode(t, err, ledgererr.Forbidden, "")
		}
		return nil
	})
	assert.Equal(t, before.State, f.Snapshot().State, "nothing changed")
	assert.Equal(t, model.RightActive, f.Right(t, licence.ID).Status)
	assert.Equal(t, "sh.holder", f.Right(t, a.HoldingRightID).HolderID, "the holding right still names the holder")
}
