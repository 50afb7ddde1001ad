package assets_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// swapShanghaiAndJiangsu binds Shanghai's org to the jiangsu region and
// Jiangsu's org to shanghai: js.op then runs the shanghai exchange, and
// Shanghai's operators run jiangsu's.
var swapShanghaiAndJiangsu = map[string]string{registertest.ShanghaiMSP: "jiangsu", registertest.JiangsuMSP: "shanghai"}

// approveThenMove has sh.op approve the applicant's application of the
// asset (of the shanghai exchange), then a majority bind the orgs to the
// regions moves names.
func (f *fixture) approveThenMove(t *testing.T, applicant chaincodetest.Identity, asset string, moves map[string]string) {
	t.Helper()
	f.Apply(t, applicant, asset)
	f.Net.Submit(f.ShOp, "assets:Review", asset, "APPROVE", "").MustOK(t)
	f.Move(t, moves)
}

// An objection is filed when an operator of the asset's exchange region
// now could decide it, whichever org the rules in force bind to that region,
// not the org that reviewed the application: after the swap, every Shanghai
// operator is a party of sh.op's objection against sh.ophold's application
// (its objector, its applicant, or acting for the applicant's enterprise),
// but js.op, who runs the shanghai exchange now, is impartial; the objection
// is filed, and js.op, not sh.op, decides it. The objection's key is under
// a majority of the orgs, so the decision needs no peer of the org that
// reviewed.
func TestAnObjectionIsJudgedByTheOperatorsOfItsRegionNow(t *testing.T) {
	f := newFixture(t)
	f.approveThenMove(t, f.ShOpHold, "own", swapShanghaiAndJiangsu)

	f.Net.Submit(f.ShOp, "assets:Object", "o1", "own", "the exchange's own doubt").MustOK(t)
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("objection", "own", "o1")))
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpTwin, "assets:DecideObjection", "own", "o1", "DISMISS", "unfounded")
	f.Net.Submit(f.JsOp, "assets:DecideObjection", "own", "o1", "DISMISS", "the licence covers it").MustOK(t)
}

// An objection that no operator of the asset's exchange region now could
// decide is refused, though the org that reviewed the application has an
// impartial operator: after the swap js.op alone runs the shanghai exchange,
// and it may not judge its own objection against sh.holder's application;
// sh.op, an operator of jiangsu now, decides nothing of shanghai's.
func TestNoObjectionThatNoOperatorOfItsRegionNowCouldDecide(t *testing.T) {
	f := newFixture(t)
	f.approveThenMove(t, f.Holder, "a1", swapShanghaiAndJiangsu)

	r := f.Refused(t, ledgererr.Conflict, "", f.JsOp, "assets:Object", "o1", "a1", "the exchange's own doubt")
	assert.Contains(t, r.Message, "no operator of the shanghai exchange")

	f.Net.Submit(f.ZjUser, "assets:Object", "o2", "a1", "this is our data").MustOK(t)
	f.Refused(t, ledgererr.Forbidden, "", f.ShOp, "assets:DecideObjection", "a1", "o2", "DISMISS", "unfounded")
	f.Net.Submit(f.JsOp, "assets:DecideObjection", "a1", "o2", "UPHOLD", "the objector proved ownership").MustOK(t)
}

// A region that no org of the rules in force runs has no operator to judge
// an objection: once Shanghai's org moves to a region of its own, an
// objection against an application of the shanghai exchange is refused.
func TestNoObjectionInARegionNoOrgRuns(t *testing.T) {
	f := newFixture(t)
	f.approveThenMove(t, f.Holder, "a1", map[string]string{registertest.ShanghaiMSP: "suzhou"})

	r := f.Refused(t, ledgererr.Conflict, "", f.ZjUser, "assets:Object", "o1", "a1", "this is our data")
	assert.Contains(t, r.Message, "no org of the market rules is the exchange of shanghai")
}
