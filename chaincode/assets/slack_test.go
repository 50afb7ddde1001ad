package assets_test

import (
	"testing"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The public notice ends when the endorsers' clocks say so, not when the
// party who profits stamps it: the holder, stamping its certification up to
// model.MaxClockLead ahead, would cut the last objections short; an
// objector, stamping up to model.MaxClockSkew behind, would object after the
// notice ended. Both are refused while a peer's clock is on the other side of
// the notice's end.
func TestTheNoticeEndsByTheEndorsersClocks(t *testing.T) {
	f := inNotice(t)
	end := chaincodetest.ParseTime(t, f.Asset(t, "a1").NoticeEndsAt)

	// Thirty seconds before the end, the holder stamps its certification at the end.
	f.Net.Advance(end.Sub(f.Net.Now()))
	f.Net.SetPeerClockOffset(-30 * time.Second)
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "assets:Certify", "a1")
	f.Refused(t, ledgererr.Conflict, "", f.ShOp, "assets:Certify", "a1")

	// Three minutes after the end, an objector stamps its objection a second before it.
	f.Net.Advance(end.Add(-time.Second).Sub(f.Net.Now()))
	f.Net.SetPeerClockOffset(3 * time.Minute)
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "assets:Object", "late", "a1", "after the notice")

	// Honest clocks: the notice has ended, the holder certifies.
	f.Net.SetPeerClockOffset(0)
	f.Net.Advance(time.Minute)
	f.Net.Submit(f.Holder, "assets:Certify", "a1").MustOK(t)
}

// A licence's term ends when the endorsers' clocks pass its end, not when the
// licensee stamps it: a licensee stamping behind, within
// model.MaxClockSkew, derives nothing from a source under a licence whose
// term every peer's clock says has ended.
func TestALicenceEndsByTheEndorsersClocks(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder2, "theirs")
	until := f.Net.Now().Add(time.Hour).UTC().Truncate(time.Second)
	scope := registertest.ScopeJSON(registertest.Purpose, []string{"shanghai", "jiangsu"}, "", until.Format(time.RFC3339), false)
	f.Grant(t, f.Holder2, "theirs", "sh.holder", model.RightUse, scope)

	f.Net.Advance(until.Add(-time.Second).Sub(f.Net.Now()))
	f.Net.SetPeerClockOffset(3 * time.Minute)
	f.refusedDerive(t, ledgererr.Forbidden, "", f.Holder, "late-product", "jiangsu", "theirs")

	f.Net.SetPeerClockOffset(0)
	f.Net.Advance(-10 * time.Minute)
	f.derive(f.Holder, "product", "jiangsu", "theirs").MustOK(t)
}
