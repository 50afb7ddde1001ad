package rights_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// derive has who derive a product from a1 for the test purpose in
// Shanghai: a use of its USE right over a1.
func derive(f *fixture, who chaincodetest.Identity, product string) chaincodetest.Result {
	return f.Net.Submit(who, "assets:Derive", product, "P", "finance", "shanghai", "d", registertest.HashOf(product), "a1", registertest.Purpose)
}

// assetHistory reads an asset's whole history.
func assetHistory(t *testing.T, f *fixture, assetID string) []model.HistoryEntry {
	t.Helper()
	return assetHistoryAt(t, f, assetID, time.Time{})
}

// assetHistoryAt reads an asset's whole history as a reader whose proposals
// carry the stamp (the clock's time if it is zero).
func assetHistoryAt(t *testing.T, f *fixture, assetID string, stamp time.Time) []model.HistoryEntry {
	t.Helper()
	var items []model.HistoryEntry
	for _, e := range chaincodetest.Items[model.HistoryEntry](t, func(bookmark string) chaincodetest.Result {
		return f.Net.Invoke(f.AhUser, chaincodetest.Call{Function: "assets:History", Args: []string{assetID, "100", bookmark}, Evaluate: true, Timestamp: stamp})
	}) {
		items = append(items, *e)
	}
	return items
}

// expiryShownAt is whether the asset's history, read with the stamp (the
// clock's time if it is zero), shows the right's expiry.
func expiryShownAt(t *testing.T, f *fixture, assetID, rightID string, stamp time.Time) bool {
	t.Helper()
	for _, e := range assetHistoryAt(t, f, assetID, stamp) {
		if e.RightID == rightID && e.Action == model.ActionExpired {
			return true
		}
	}
	return false
}

// listedByHolder is every right rights:ListByHolder lists for holderID, in
// order.
func listedByHolder(t *testing.T, f *fixture, holderID string) []*model.Right {
	t.Helper()
	return chaincodetest.Items[model.Right](t, func(bookmark string) chaincodetest.Result {
		return f.Net.Evaluate(f.AhUser, "rights:ListByHolder", holderID, "2", bookmark)
	})
}

// sublicensedOn sets up a chain of licences over asset a1: js.user holds a
// USE right granted by the holder (granted) and has sublicensed it to
// zj.user (sub), who has derived p0 under it.
func sublicensedOn(t *testing.T) (f *fixture, granted, sub *model.Right) {
	f = newFixture(t)
	f.RegisterAsset(t, f.Holder, "a1")
	granted = f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	sub = f.sublicense(t, f.JsUser, granted.ID, "zj.user", registertest.ScopeNarrow)
	derive(f, f.ZjUser, "p0").MustOK(t)
	return f, granted, sub
}

// requireEndedFrom checks that the USE right rightID over a1 reads status
// from the right endedID above it, and that its holder, who, is refused
// deriving product under it for that right.
func requireEndedFrom(t *testing.T, f *fixture, rightID, status, endedID string, who chaincodetest.Identity, product string) {
	t.Helper()
	got := f.Right(t, rightID)
	assert.Equal(t, status, got.Status)
	assert.Equal(t, endedID, got.StatusFrom)
	res := derive(f, who, product)
	registertest.RequireCode(t, res, ledgererr.Forbidden, "")
	assert.Contains(t, res.Message, fmt.Sprintf("right %q is %s", endedID, status))
}

// A licensee gives up a licence: the right reads RENOUNCED everywhere, the
// asset's history records who gave it up, the event names it, the
// sublicences below it read RENOUNCED from it and can no longer be used,
// and its holder can no longer use it either.
func TestRenounce(t *testing.T) {
	f, granted, _ := sublicensedOn(t)

	var r model.Right
	res := f.Net.Submit(f.JsUser, "rights:Renounce", granted.ID)
	res.Unmarshal(t, &r)
	assert.Equal(t, model.RightRenounced, r.Status)
	assert.Equal(t, model.EventRightRenounced, f.LastEvent(t).Name)
	assert.JSONEq(t, `{"rightId":"`+granted.ID+`","assetId":"a1","type":"USE","holderId":"js.user","status":"RENOUNCED"}`, string(f.LastEvent(t).Payload))
	assert.Equal(t, r, *f.Right(t, granted.ID))
	// The right's key still needs a majority of the orgs.
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("right", granted.ID)))

	// The asset's history says who gave it up, and the right no longer
	// expires at the end of its term.
	entries := assetHistory(t, f, "a1")
	last := entries[len(entries)-1]
	assert.Equal(t, model.HistoryEntry{At: r.UpdatedAt, TxID: res.TxID, Action: model.ActionRenounced, By: "js.user",
		RightID: granted.ID, RightType: model.RightUse, RightHolderID: "js.user"}, last)
	f.Net.Advance(2 * 365 * 24 * time.Hour)
	for _, e := range assetHistory(t, f, "a1") {
		assert.False(t, e.Action == model.ActionExpired && e.RightID == granted.ID, "a renounced right does not expire later")
	}

	// Its holder still lists it, as it lists the rights it held.
	i := slices.IndexFunc(listedByHolder(t, f, "js.user"), func(x *model.Right) bool { return x.ID == granted.ID })
	require.GreaterOrEqual(t, i, 0, "ListByHolder lists the renounced right")
	assert.Equal(t, model.RightRenounced, listedByHolder(t, f, "js.user")[i].Status)
}

func TestRenouncedRightStopsItsSublicences(t *testing.T) {
	f, granted, sub := sublicensedOn(t)

	f.Net.Submit(f.JsUser, "rights:Renounce", granted.ID).MustOK(t)

	// The sublicence keeps its record but reads RENOUNCED from its parent,
	// and using it is refused for that parent.
	requireEndedFrom(t, f, sub.ID, model.RightRenounced, granted.ID, f.ZjUser, "p1")
	f.Refused(t, ledgererr.Forbidden, "", f.ZjUser, "rights:Sublicense", sub.ID, "ah.user", registertest.ScopeNarrow)
	// The renouncer no longer uses it either.
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "assets:Derive", "p2", "P", "finance", "shanghai", "d", registertest.HashOf("p2"), "a1", registertest.Purpose)
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Sublicense", granted.ID, "ah.user", registertest.ScopeNarrow)
}

// Only a right's holder renounces it: not its grantor, not the exchange,
// not anyone else; a HOLDING right is never renounced; a right renounced or
// revoked already is a CONFLICT. Every refusal writes nothing.
func TestRenounceRefusals(t *testing.T) {
	f := newFixture(t)
	a := f.RegisterAsset(t, f.Holder, "a1")
	granted := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	op := f.Grant(t, f.Holder, "a1", "zj.user", model.RightOperation, registertest.ScopeWide)
	sub := f.sublicense(t, f.JsUser, granted.ID, "ah.user", registertest.ScopeNarrow)

	for name, who := range map[string]chaincodetest.Identity{
		"the grantor": f.Holder, "the exchange's operator": f.ShOp, "another region's operator": f.JsOp,
		"another licensee": f.ZjUser, "another member of the grantor's org": f.Holder2, "an unregistered identity": f.Outsider,
	} {
		t.Run(name, func(t *testing.T) {
			f.Refused(t, ledgererr.Forbidden, "", who, "rights:Renounce", granted.ID)
		})
	}
	// The grantor of a sublicence does not renounce it for its licensee.
	f.Refused(t, ledgererr.Forbidden, "", f.JsUser, "rights:Renounce", sub.ID)
	// A HOLDING right moves by transfer or trade.
	f.Refused(t, ledgererr.Conflict, "", f.Holder, "rights:Renounce", a.HoldingRightID)
	f.Refused(t, ledgererr.InvalidArgument, "rightId", f.JsUser, "rights:Renounce", "")
	f.Refused(t, ledgererr.InvalidArgument, "rightId", f.JsUser, "rights:Renounce", "R 1")
	f.Refused(t, ledgererr.NotFound, "", f.JsUser, "rights:Renounce", "R-none")

	// Twice: the second is a CONFLICT, as a second revocation is.
	f.Net.Submit(f.ZjUser, "rights:Renounce", op.ID).MustOK(t)
	f.Refused(t, ledgererr.Conflict, "", f.ZjUser, "rights:Renounce", op.ID)
	// Nor is a revoked right renounced (a renounced one its licensor still
	// revokes: TestRenouncingKeepsNoSoldRightFromTheLicensorsRevocation).
	f.Net.Submit(f.Holder, "rights:Revoke", granted.ID, "breach").MustOK(t)
	f.Refused(t, ledgererr.Conflict, "", f.JsUser, "rights:Renounce", granted.ID)
}

// An ACTIVE right past its term may be renounced, as it may be revoked: it
// is the only way its holder has to stop it being read with the rights it
// holds. Its history keeps the expiry it has shown.
func TestAnExpiredRightMayBeRenounced(t *testing.T) {
	f := withAsset(t)
	short := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse,
		registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", f.Net.Now().Add(time.Hour).Format(time.RFC3339), false))
	f.Net.Advance(2 * time.Hour)
	assert.Equal(t, model.RightExpired, f.Right(t, short.ID).Status)
	f.Net.Submit(f.JsUser, "rights:Renounce", short.ID).MustOK(t)
	assert.Equal(t, model.RightRenounced, f.Right(t, short.ID).Status)
	var actions []string
	for _, e := range assetHistory(t, f, "a1") {
		if e.RightID == short.ID {
			actions = append(actions, e.Action)
		}
	}
	assert.Equal(t, []string{model.ActionGranted, model.ActionAccepted, model.ActionExpired, model.ActionRenounced}, actions)
}

// A renunciation needs a majority of the orgs: the licensee's org alone
// does not renounce, and the licensor's org cannot keep its licensee bound
// by staying out.
func TestRenounceNeedsAMajorityNotTheLicensorsOrg(t *testing.T) {
	f := withAsset(t)
	granted := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	before := f.Snapshot()
	r := f.Net.Invoke(f.JsUser, registertest.CallAt(registertest.JiangsuMSP, "rights:Renounce", granted.ID))
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	assert.Equal(t, before.State, f.Snapshot().State)
	r = f.Net.Invoke(f.JsUser, chaincodetest.Call{Function: "rights:Renounce", Args: []string{granted.ID},
		Endorsers: []string{registertest.JiangsuMSP, registertest.ZhejiangMSP, registertest.AnhuiMSP}})
	require.NoError(t, r.Err, "the licensee and a majority renounce without the licensor's org")
	assert.Equal(t, model.RightRenounced, f.Right(t, granted.ID).Status)
}

// readCounter is a stub that records the keys a transaction reads.
type readCounter struct {
	shim.ChaincodeStubInterface
	keys []string
}

func (s *readCounter) GetState(key string) ([]byte, error) {
	s.keys = append(s.keys, key)
	return s.ChaincodeStubInterface.GetState(key)
}

func (s *readCounter) GetMultipleStates(keys ...string) ([][]byte, error) {
	s.keys = append(s.keys, keys...)
	return s.ChaincodeStubInterface.GetMultipleStates(keys...)
}

// mayProcess runs the register's MayProcess for who over a1 in one
// transaction, answering the refusal's message ("" when entitled) and the
// right records it read.
func mayProcess(t *testing.T, f *fixture, who chaincodetest.Identity, participantID string) (refusal string, readRights []string) {
	t.Helper()
	var message string
	f.InTx(who, func(ctx *contractapi.TransactionContext) error {
		p := registertest.Participant(t, ctx, participantID)
		a, err := assets.GetAsset(ctx, "a1")
		require.NoError(t, err)
		counter := &readCounter{ChaincodeStubInterface: ctx.GetStub()}
		ctx.SetStub(counter)
		_, err = rights.Register{}.MayProcess(ctx, p, a, "shanghai", registertest.Purpose, registertest.TxNow(t, ctx))
		if err != nil {
			message = err.Error()
		}
		for _, k := range counter.keys {
			if objectType, attrs, err := ctx.GetStub().SplitCompositeKey(k); err == nil && objectType == "right" {
				readRights = append(readRights, attrs[0])
			}
		}
		return nil
	}).MustOK(t)
	return message, readRights
}

// A participant pushed licences it never asked for renounces them, and from
// then on processing an asset (MayProcess) reads them no more: neither the
// right records nor the refusal's reasons name them. Revoked rights are
// read no more either; ListByHolder still lists both, after the rights the
// participant holds.
func TestRenouncedAndRevokedRightsAreReadNoMore(t *testing.T) {
	f := withAsset(t)
	const junk = 5
	var pushed []string
	for range junk {
		pushed = append(pushed, f.Grant(t, f.Holder, "a1", "js.user", model.RightOperation, registertest.ScopeNoSub).ID)
	}
	// Licences for another purpose than the one processed for: none
	// entitles, so MayProcess reads them all and says why each falls short.
	other := registertest.ScopeJSON("marketing", []string{"shanghai"}, "", registertest.YearEnd, false)
	revoked := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, other)
	kept := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, other)

	refusal, read := mayProcess(t, f, f.JsUser, "js.user")
	for _, id := range append(slices.Clone(pushed), revoked.ID, kept.ID) {
		assert.Contains(t, read, id, "before: every right over a1 is read")
		assert.Contains(t, refusal, id, "before: the refusal names every right")
	}

	for _, id := range pushed {
		f.Net.Submit(f.JsUser, "rights:Renounce", id).MustOK(t)
	}
	f.Net.Submit(f.Holder, "rights:Revoke", revoked.ID, "breach").MustOK(t)

	refusal, read = mayProcess(t, f, f.JsUser, "js.user")
	assert.Equal(t, []string{kept.ID}, read, "after: only the right js.user still holds is read")
	assert.Contains(t, refusal, fmt.Sprintf("right %q is licensed for the purpose", kept.ID))
	for _, id := range append(slices.Clone(pushed), revoked.ID) {
		assert.NotContains(t, refusal, id)
	}

	// ListByHolder lists every right js.user held, the ended ones after the
	// one it holds.
	var listed []string
	for _, r := range listedByHolder(t, f, "js.user") {
		listed = append(listed, r.ID+" "+r.Status)
	}
	ended := []string{revoked.ID + " REVOKED"}
	for _, id := range pushed {
		ended = append(ended, id+" RENOUNCED")
	}
	slices.Sort(ended)
	assert.Equal(t, append([]string{kept.ID + " ACTIVE"}, ended...), listed)
	assert.False(t, slices.ContainsFunc(listed, func(s string) bool { return strings.Contains(s, "~") }))
}
