package rights_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestRightHistory(t *testing.T) {
	f := newFixture(t)
	a := f.RegisterAsset(t, f.Holder, "a1")
	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	f.Net.Submit(f.JsUser, "rights:AcceptHolding", "a1").MustOK(t)

	// The first holding's history: issued, then superseded.
	var rh model.RightHistory
	f.Net.Evaluate(f.AhUser, "rights:History", a.HoldingRightID).Unmarshal(t, &rh)
	require.Len(t, rh.Items, 2)
	assert.Equal(t, model.RightSuperseded, rh.Items[0].Right.Status)
	assert.Equal(t, model.RightActive, rh.Items[1].Right.Status)
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "rights:History", "R-ghost"), ledgererr.NotFound, "")
}

func TestListRights(t *testing.T) {
	f := newFixture(t)
	a1 := f.RegisterAsset(t, f.Holder, "a1")
	a2 := f.RegisterAsset(t, f.Holder, "a2")
	g1 := f.Grant(t, f.Holder, "a1", "js.user", "USE", registertest.ScopeWide)
	g2 := f.Grant(t, f.Holder, "a2", "js.user", "OPERATION", registertest.ScopeWide)
	g3 := f.Grant(t, f.Holder, "a1", "zj.user", "USE", registertest.ScopeWide)

	collect := func(function, owner, size string) []string {
		var ids []string
		for _, r := range chaincodetest.Items[model.Right](t, func(bookmark string) chaincodetest.Result {
			return f.Net.Evaluate(f.AhUser, function, owner, size, bookmark)
		}) {
			ids = append(ids, r.ID)
		}
		return ids
	}
	// By holder: ordered by asset, then right.
	assert.Equal(t, []string{g1.ID, g2.ID}, collect("rights:ListByHolder", "js.user", "1"))
	assert.Equal(t, []string{a1.HoldingRightID, a2.HoldingRightID}, collect("rights:ListByHolder", "sh.holder", ""))
	assert.ElementsMatch(t, []string{a1.HoldingRightID, g1.ID, g3.ID}, collect("rights:ListByAsset", "a1", "2"))
	assert.Empty(t, collect("rights:ListByAsset", "ghost", ""))

	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "rights:ListByAsset", "a1", "1000", ""), ledgererr.InvalidArgument, "pageSize")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "rights:ListByHolder", "", "", ""), ledgererr.InvalidArgument, "holderId")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "rights:Get", ""), ledgererr.InvalidArgument, "rightId")
}

// A page of rights costs one request for its rights and one per generation
// of parents not on the page, however many rights it holds: reading the
// status up the parent chain (rights:Get's reading) is not a walk per right.
func TestAPageReadsItsParentsAGenerationAtATime(t *testing.T) {
	f := withAsset(t)
	g := f.Grant(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	p := f.sublicense(t, f.JsUser, g.ID, "zj.user", registertest.ScopeWide)
	for range 3 {
		f.sublicense(t, f.ZjUser, p.ID, "ah.user", registertest.ScopeWide)
	}
	reads := func(function, owner string) []string {
		r := f.Net.Evaluate(f.AhUser, function, owner, "", "")
		r.MustOK(t)
		var got []string
		for _, req := range r.Requests {
			if strings.HasPrefix(req, "GET_") {
				got = append(got, req)
			}
		}
		return got
	}
	// ah.user's three sublicences, their parent p, then p's parent g.
	assert.Equal(t, []string{"GET_STATE_BY_RANGE", "GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE"}, reads("rights:ListByHolder", "ah.user"))
	// Every right of the chain is on the asset's page: nothing more to read.
	assert.Equal(t, []string{"GET_STATE_BY_RANGE", "GET_STATE_MULTIPLE"}, reads("rights:ListByAsset", "a1"))
	// A revoked parent stops the walk: nothing above it is read.
	f.Net.Submit(f.JsUser, "rights:Revoke", p.ID, "fee unpaid").MustOK(t)
	assert.Equal(t, []string{"GET_STATE_BY_RANGE", "GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE"}, reads("rights:ListByHolder", "ah.user"))
}
