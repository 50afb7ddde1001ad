package assets_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestVerifyContent(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "a1")
	var c model.ContentCheck
	f.Net.Evaluate(f.AhUser, "assets:VerifyContent", "a1", registertest.HashOf("a1")).Unmarshal(t, &c)
	assert.Equal(t, model.ContentCheck{AssetID: "a1", Matches: true, RegisteredHash: registertest.HashOf("a1"), Status: model.AssetRegistered}, c)
	f.Net.Evaluate(f.AhUser, "assets:VerifyContent", "a1", registertest.HashOf("tampered")).Unmarshal(t, &c)
	assert.False(t, c.Matches)
	assert.Equal(t, registertest.HashOf("a1"), c.RegisteredHash)

	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:VerifyContent", "a1", "ABC"), ledgererr.InvalidArgument, "contentHash")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:VerifyContent", "", registertest.HashOf("a1")), ledgererr.InvalidArgument, "id")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:VerifyContent", "ghost", registertest.HashOf("a1")), ledgererr.NotFound, "")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:Get", "ghost"), ledgererr.NotFound, "")
}

func TestListByHolderPages(t *testing.T) {
	f := newFixture(t)
	for i := 1; i <= 5; i++ {
		f.Apply(t, f.Holder, fmt.Sprintf("a%d", i))
	}
	f.Apply(t, f.Holder2, "other")

	var ids []string
	pages := 0
	chaincodetest.EachPage(func(bookmark string) string {
		var page model.AssetPage
		f.Net.Evaluate(f.AhUser, "assets:ListByHolder", "sh.holder", "2", bookmark).Unmarshal(t, &page)
		pages++
		assert.LessOrEqual(t, len(page.Items), 2)
		for _, a := range page.Items {
			ids = append(ids, a.ID)
		}
		return page.Bookmark
	})
	assert.Equal(t, []string{"a1", "a2", "a3", "a4", "a5"}, ids)
	assert.Equal(t, 3, pages)

	var page model.AssetPage
	f.Net.Evaluate(f.AhUser, "assets:ListByHolder", "nobody", "", "").Unmarshal(t, &page)
	assert.Equal(t, []*model.Asset{}, page.Items)
	assert.Empty(t, page.Bookmark)
	assert.Contains(t, string(f.Net.Evaluate(f.AhUser, "assets:ListByHolder", "nobody", "", "").Payload), `"items":[]`)

	for _, bad := range []string{"0", "101", "x"} {
		registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:ListByHolder", "sh.holder", bad, ""), ledgererr.InvalidArgument, "pageSize")
	}
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:ListByHolder", "", "", ""), ledgererr.InvalidArgument, "holderId")
}

func TestLineagePages(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "src")
	for i := 1; i <= 5; i++ {
		id := fmt.Sprintf("p%d", i)
		f.Net.Submit(f.Holder, "assets:Derive", id, "P", "finance", "shanghai", "d", registertest.HashOf(id), "src", registertest.Purpose).MustOK(t)
	}
	var lin model.Lineage
	f.Net.Evaluate(f.AhUser, "assets:Lineage", "src").Unmarshal(t, &lin)
	assert.Equal(t, []string{"p1", "p2", "p3", "p4", "p5"}, lin.Derived)
	assert.Empty(t, lin.DerivedBookmark)

	var page model.DerivedPage
	f.Net.Evaluate(f.AhUser, "assets:ListDerived", "src", "3", "").Unmarshal(t, &page)
	assert.Equal(t, []string{"p1", "p2", "p3"}, page.Items)
	require.NotEmpty(t, page.Bookmark)
	f.Net.Evaluate(f.AhUser, "assets:ListDerived", "src", "3", page.Bookmark).Unmarshal(t, &page)
	assert.Equal(t, []string{"p4", "p5"}, page.Items)
	assert.Empty(t, page.Bookmark)

	f.Net.Evaluate(f.AhUser, "assets:Lineage", "p3").Unmarshal(t, &lin)
	assert.Equal(t, []string{"src"}, lin.Sources)
	assert.Equal(t, []string{}, lin.Derived)

	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:Lineage", "ghost"), ledgererr.NotFound, "")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:ListDerived", "ghost", "", ""), ledgererr.NotFound, "")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:ListDerived", "src", "-1", ""), ledgererr.InvalidArgument, "pageSize")
	registertest.RequireCode(t, f.Net.Evaluate(f.AhUser, "assets:ListDerived", "src", "", "junk"), ledgererr.InvalidArgument, "bookmark")
}

// TestMetadata checks that contract-api accepts every function's return
// value against the generated metadata, including the empty and optional
// cases, by calling the system contract's metadata function.
func TestMetadata(t *testing.T) {
	f := newFixture(t)
	r := f.Net.Evaluate(f.AhUser, chaincodetest.MetadataFunction)
	r.MustOK(t)
	for _, fn := range []string{"Apply", "Derive", "Review", "Object", "DecideObjection", "Certify",
		"Grant", "Sublicense", "Revoke", "Renounce", "TransferHolding", "AcceptHolding", "RefuseHolding", "WithdrawHolding", "GetHoldingOffer", "ListByAsset", "Lineage", "ListDerived"} {
		assert.Contains(t, string(r.Payload), `"name":"`+fn+`"`)
	}
	assert.NotContains(t, string(r.Payload), `"name":"GetEvaluateTransactions"`)
}
