package assets_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
)

// An objector's participant record is its org's alone to write. Bytes there that are no participant make its
// objection one of no registered participant, which the exchange dismisses, and the holder certifies. They failed
// every decision of the objection with INTERNAL, and Certify waits for every OPEN objection: the objector's org alone
// held the application up for good.
func TestAnObjectorsOrgAloneHoldsNoApplicationUpWithItsObjectorsParticipantRecord(t *testing.T) {
	f := inNotice(t)
	f.Net.Submit(f.JsUser, "assets:Object", "o1", "a1", "this is our data").MustOK(t)
	f.Net.Forge(f.JsUser, chaincodetest.Writes{chaincodetest.Key("participant", "js.user"): []byte("garbage")}, registertest.JiangsuMSP).MustOK(t)
	f.Net.Advance(72 * time.Hour)

	f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "o1", "DISMISS", "filed by no participant").MustOK(t)
	var a model.Asset
	f.Net.Submit(f.Holder, "assets:Certify", "a1").Unmarshal(t, &a)
	assert.Equal(t, model.AssetRegistered, a.Status)
}
