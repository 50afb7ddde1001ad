package assets_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The operator certifying an application gives its applicant the holding,
// as a sale gives the buyer its right: an applicant suspended, or released
// with its enterprise, during the public notice receives nothing, whoever
// certifies (the exchange, since the applicant no longer acts), and the
// application stays in notice, certified once a suspended applicant is
// reinstated. Otherwise a RELEASED participant, who never acts again, would
// hold a registered asset nobody could list, license or move.
func TestCertifyGivesNoHoldingToAnApplicantWhoseStandingEnded(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.Holder, "suspended")
	f.Apply(t, f.Holder2, "released")
	f.Net.Submit(f.ShOp, "assets:Review", "suspended", "APPROVE", "").MustOK(t)
	f.Net.Submit(f.ShOp, "assets:Review", "released", "APPROVE", "").MustOK(t)
	f.Net.Advance(72 * time.Hour)

	f.Net.Submit(f.ShAdmin, "participants:Suspend", "sh.holder", "under investigation").MustOK(t)
	f.Net.Submit(f.ShAdmin, "participants:ReleaseEnterprise", markettest.USCC(2), "moves to Jiangsu").MustOK(t)
	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Certify", "suspended")
	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Certify", "released")
	assert.Equal(t, model.AssetPublicNotice, f.Asset(t, "released").Status)

	f.Net.Submit(f.ShAdmin, "participants:Reinstate", "sh.holder").MustOK(t)
	var a model.Asset
	f.Net.Submit(f.ShOp, "assets:Certify", "suspended").Unmarshal(t, &a)
	assert.Equal(t, model.AssetRegistered, a.Status)
	assert.Equal(t, "sh.holder", f.Right(t, a.HoldingRightID).HolderID)
}
