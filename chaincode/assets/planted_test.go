package assets_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// An objection is a new key, so orgs that run chaincode of their own can
// write one (a majority in production: the chaincode-level policy). Jiangsu and
// Anhui, neither of them the applicant's, plant an OPEN objection against
// sh.holder's application in the name of a participant nobody registered:
// certification waits for it, so it must not wait for good. The exchange
// may dismiss it, impartial towards nobody; it upholds none, which would
// withdraw the application on no participant's word. The holder then
// certifies.
func TestAPlantedObjectionOfNobodyIsDismissed(t *testing.T) {
	f := inNotice(t)

	ghost := model.Objection{ID: "ghost", AssetID: "a1", ObjectorID: "nobody", ObjectorMSP: registertest.AnhuiMSP,
		Reason: "ours", Status: model.ObjectionOpen, FiledAt: f.Asset(t, "a1").ReviewedAt}
	f.Net.Forge(f.JsUser, chaincodetest.Writes{chaincodetest.Key("objection", "a1", "ghost"): chaincodetest.JSON(t, ghost)},
		registertest.JiangsuMSP, registertest.AnhuiMSP).MustOK(t)
	f.Net.Advance(72 * time.Hour)
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "a1")

	r := f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:DecideObjection", "a1", "ghost", "UPHOLD", "agreed")
	assert.Contains(t, r.Message, "no registered participant")
	assert.Equal(t, model.AssetPublicNotice, f.Asset(t, "a1").Status)
	f.Refused(t, ledgererr.Forbidden, "", f.JsOp, "assets:DecideObjection", "a1", "ghost", "DISMISS", "not ours to judge")
	f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "ghost", "DISMISS", "filed by no participant").MustOK(t)

	var a model.Asset
	f.Net.Submit(f.Holder, "assets:Certify", "a1").Unmarshal(t, &a)
	assert.Equal(t, model.AssetRegistered, a.Status)
}
