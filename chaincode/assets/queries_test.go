package assets_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestVerifyContent(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "a1")
	var c model.ContentCheck
	f.net.Evaluate(f.ahUser, "assets:VerifyContent", "a1", hashOf("a1")).Unmarshal(t, &c)
	assert.Equal(t, model.ContentCheck{AssetID: "a1", Matches: true, RegisteredHash: hashOf("a1"), Status: model.AssetRegistered}, c)
	f.net.Evaluate(f.ahUser, "assets:VerifyContent", "a1", hashOf("tampered")).Unmarshal(t, &c)
	assert.False(t, c.Matches)
	assert.Equal(t, hashOf("a1"), c.RegisteredHash)

	requireCode(t, f.net.Evaluate(f.ahUser, "assets:VerifyContent", "a1", "ABC"), ledgererr.InvalidArgument, "contentHash")
	requireCode(t, f.net.Evaluate(f.ahUser, "assets:VerifyContent", "", hashOf("a1")), ledgererr.InvalidArgument, "id")
	requireCode(t, f.net.Evaluate(f.ahUser, "assets:VerifyContent", "ghost", hashOf("a1")), ledgererr.NotFound, "")
	requireCode(t, f.net.Evaluate(f.ahUser, "assets:Get", "ghost"), ledgererr.NotFound, "")
}

func TestRightHistory(t *testing.T) {
	f := newFixture(t)
	a := f.registerAsset(t, f.holder, "a1")
	f.net.Submit(f.holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	f.net.Submit(f.jsUser, "rights:AcceptHolding", "a1").MustOK(t)

	// The first holding's history: issued, then superseded.
	var rh model.RightHistory
	f.net.Evaluate(f.ahUser, "rights:History", a.HoldingRightID).Unmarshal(t, &rh)
	require.Len(t, rh.Items, 2)
	assert.Equal(t, model.RightSuperseded, rh.Items[0].Right.Status)
	assert.Equal(t, model.RightActive, rh.Items[1].Right.Status)
	requireCode(t, f.net.Evaluate(f.ahUser, "rights:History", "R-ghost"), ledgererr.NotFound, "")
}

func TestListByHolderPages(t *testing.T) {
	f := newFixture(t)
	for i := 1; i <= 5; i++ {
		f.apply(t, f.holder, fmt.Sprintf("a%d", i))
	}
	f.apply(t, f.holder2, "other")

	var ids []string
	bookmark := ""
	pages := 0
	for {
		var page model.AssetPage
		f.net.Evaluate(f.ahUser, "assets:ListByHolder", "sh.holder", "2", bookmark).Unmarshal(t, &page)
		pages++
		assert.LessOrEqual(t, len(page.Items), 2)
		for _, a := range page.Items {
			ids = append(ids, a.ID)
		}
		if page.Bookmark == "" {
			break
		}
		bookmark = page.Bookmark
	}
	assert.Equal(t, []string{"a1", "a2", "a3", "a4", "a5"}, ids)
	assert.Equal(t, 3, pages)

	var page model.AssetPage
	f.net.Evaluate(f.ahUser, "assets:ListByHolder", "nobody", "", "").Unmarshal(t, &page)
	assert.Equal(t, model.AssetPage{Items: []*model.Asset{}}, page)
	assert.Contains(t, string(f.net.Evaluate(f.ahUser, "assets:ListByHolder", "nobody", "", "").Payload), `"items":[]`)

	for _, bad := range []string{"0", "101", "x"} {
		requireCode(t, f.net.Evaluate(f.ahUser, "assets:ListByHolder", "sh.holder", bad, ""), ledgererr.InvalidArgument, "pageSize")
	}
	requireCode(t, f.net.Evaluate(f.ahUser, "assets:ListByHolder", "", "", ""), ledgererr.InvalidArgument, "holderId")
}

func TestListRights(t *testing.T) {
	f := newFixture(t)
	a1 := f.registerAsset(t, f.holder, "a1")
	a2 := f.registerAsset(t, f.holder, "a2")
	g1 := f.grant(t, f.holder, "a1", "js.user", "USE", scopeWide)
	g2 := f.grant(t, f.holder, "a2", "js.user", "OPERATION", scopeWide)
	g3 := f.grant(t, f.holder, "a1", "zj.user", "USE", scopeWide)

	collect := func(function, owner, size string) []string {
		var ids []string
		bookmark := ""
		for {
			var page model.RightPage
			f.net.Evaluate(f.ahUser, function, owner, size, bookmark).Unmarshal(t, &page)
			for _, r := range page.Items {
				ids = append(ids, r.ID)
			}
			if page.Bookmark == "" {
				return ids
			}
			bookmark = page.Bookmark
		}
	}
	// By holder: ordered by asset, then right.
	assert.Equal(t, []string{g1.ID, g2.ID}, collect("rights:ListByHolder", "js.user", "1"))
	assert.Equal(t, []string{a1.HoldingRightID, a2.HoldingRightID}, collect("rights:ListByHolder", "sh.holder", ""))
	assert.ElementsMatch(t, []string{a1.HoldingRightID, g1.ID, g3.ID}, collect("rights:ListByAsset", "a1", "2"))
	assert.Empty(t, collect("rights:ListByAsset", "ghost", ""))

	requireCode(t, f.net.Evaluate(f.ahUser, "rights:ListByAsset", "a1", "1000", ""), ledgererr.InvalidArgument, "pageSize")
	requireCode(t, f.net.Evaluate(f.ahUser, "rights:ListByHolder", "", "", ""), ledgererr.InvalidArgument, "holderId")
	requireCode(t, f.net.Evaluate(f.ahUser, "rights:Get", ""), ledgererr.InvalidArgument, "rightId")
}

func TestLineagePages(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "src")
	for i := 1; i <= 5; i++ {
		id := fmt.Sprintf("p%d", i)
		f.net.Submit(f.holder, "assets:Derive", id, "P", "finance", "shanghai", "d", hashOf(id), "src", purpose).MustOK(t)
	}
	var lin model.Lineage
	f.net.Evaluate(f.ahUser, "assets:Lineage", "src").Unmarshal(t, &lin)
	assert.Equal(t, []string{"p1", "p2", "p3", "p4", "p5"}, lin.Derived)
	assert.Empty(t, lin.DerivedBookmark)

	var page model.DerivedPage
	f.net.Evaluate(f.ahUser, "assets:ListDerived", "src", "3", "").Unmarshal(t, &page)
	assert.Equal(t, []string{"p1", "p2", "p3"}, page.Items)
	require.NotEmpty(t, page.Bookmark)
	f.net.Evaluate(f.ahUser, "assets:ListDerived", "src", "3", page.Bookmark).Unmarshal(t, &page)
	assert.Equal(t, []string{"p4", "p5"}, page.Items)
	assert.Empty(t, page.Bookmark)

	f.net.Evaluate(f.ahUser, "assets:Lineage", "p3").Unmarshal(t, &lin)
	assert.Equal(t, []string{"src"}, lin.Sources)
	assert.Equal(t, []string{}, lin.Derived)

	requireCode(t, f.net.Evaluate(f.ahUser, "assets:Lineage", "ghost"), ledgererr.NotFound, "")
	requireCode(t, f.net.Evaluate(f.ahUser, "assets:ListDerived", "ghost", "", ""), ledgererr.NotFound, "")
	requireCode(t, f.net.Evaluate(f.ahUser, "assets:ListDerived", "src", "-1", ""), ledgererr.InvalidArgument, "pageSize")
	requireCode(t, f.net.Evaluate(f.ahUser, "assets:ListDerived", "src", "", "junk"), ledgererr.InvalidArgument, "bookmark")
}

// TestMetadata checks that contract-api accepts every function's return
// value against the generated metadata, including the empty and optional
// cases, by calling the system contract's metadata function.
func TestMetadata(t *testing.T) {
	f := newFixture(t)
	r := f.net.Evaluate(f.ahUser, "org.hyperledger.fabric:GetMetadata")
	r.MustOK(t)
	for _, fn := range []string{"Apply", "Derive", "Review", "Object", "DecideObjection", "Certify",
		"Grant", "Sublicense", "Revoke", "TransferHolding", "AcceptHolding", "RefuseHolding", "WithdrawHolding", "GetHoldingOffer", "ListByAsset", "Lineage", "ListDerived"} {
		assert.Contains(t, string(r.Payload), `"name":"`+fn+`"`)
	}
	assert.NotContains(t, string(r.Payload), `"name":"GetEvaluateTransactions"`)
}
