package assets_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// derive submits Derive for a product of the given sources, used in region
// for the purpose of the fixture's licences.
func (f *fixture) derive(who chaincodetest.Identity, id, region, sources string) chaincodetest.Result {
	return f.Net.Submit(who, "assets:Derive", id, "Product "+id, "finance", region, "Derived scores", registertest.HashOf(id), sources, registertest.Purpose)
}

func (f *fixture) refusedDerive(t *testing.T, code ledgererr.Code, field string, who chaincodetest.Identity, id, region, sources string) {
	t.Helper()
	f.Refused(t, code, field, who, "assets:Derive", id, "Product "+id, "finance", region, "Derived scores", registertest.HashOf(id), sources, registertest.Purpose)
}

func TestDeriveFromOwnAndLicensedSources(t *testing.T) {
	f := newFixture(t)
	own := f.RegisterAsset(t, f.Holder, "own")
	f.RegisterAsset(t, f.Holder2, "theirs")
	use := f.Grant(t, f.Holder2, "theirs", "sh.holder", model.RightUse, registertest.ScopeWide)

	// The holding of "own" and a USE right over "theirs" covering Jiangsu.
	var p model.Asset
	f.derive(f.Holder, "product", "jiangsu", "own, theirs").Unmarshal(t, &p)
	assert.Equal(t, []string{"own", "theirs"}, p.Sources)
	assert.Equal(t, model.AssetPendingReview, p.Status)
	assert.Equal(t, model.EventAssetDerived, f.LastEvent(t).Name)
	assert.JSONEq(t, `{"assetId":"product","status":"PENDING_REVIEW","holderId":"sh.holder","sourceAssetIds":["own","theirs"]}`, string(f.LastEvent(t).Payload))

	// The product follows the ordinary procedure.
	f.Certify(t, f.Holder, "product")

	var lin model.Lineage
	f.Net.Evaluate(f.AhUser, "assets:Lineage", "product").Unmarshal(t, &lin)
	// The lineage names the right that entitled the deriver to each source.
	assert.Equal(t, model.Lineage{AssetID: "product", Sources: []string{"own", "theirs"}, Entitlements: []model.Entitlement{
		{SourceAssetID: "own", RightID: own.HoldingRightID, RightType: model.RightHolding},
		{SourceAssetID: "theirs", RightID: use.ID, RightType: model.RightUse},
	}, Derived: []string{}}, lin)
	assert.Equal(t, lin.Entitlements, p.Entitlements, "the product records them from its application on")
	f.Net.Evaluate(f.AhUser, "assets:Lineage", "theirs").Unmarshal(t, &lin)
	assert.Equal(t, model.Lineage{AssetID: "theirs", Sources: []string{}, Entitlements: []model.Entitlement{}, Derived: []string{"product"}}, lin)
}

func TestDeriveRefusedWithoutAUsableUseRight(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder2, "src")
	now := f.Net.Now()

	// No right at all.
	f.refusedDerive(t, ledgererr.Forbidden, "", f.Holder, "p", "shanghai", "src")

	// An OPERATION right does not entitle processing.
	f.Grant(t, f.Holder2, "src", "sh.holder", model.RightOperation, registertest.ScopeWide)
	f.refusedDerive(t, ledgererr.Forbidden, "", f.Holder, "p", "shanghai", "src")

	// A USE right for another region.
	f.Grant(t, f.Holder2, "src", "sh.holder", model.RightUse, registertest.ScopeJiangsu)
	f.refusedDerive(t, ledgererr.Forbidden, "", f.Holder, "p", "shanghai", "src")

	// A USE right that has not started yet.
	later := now.Add(30 * 24 * time.Hour).Format(time.RFC3339)
	f.Grant(t, f.Holder2, "src", "sh.holder", model.RightUse, registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, later, registertest.YearEnd, false))
	f.refusedDerive(t, ledgererr.Forbidden, "", f.Holder, "p", "shanghai", "src")

	// A revoked USE right: the caller no longer holds it, so the refusal
	// does not read it (nor name it) any more.
	revoked := f.Grant(t, f.Holder2, "src", "sh.holder", model.RightUse, registertest.ScopeNoSub)
	f.Net.Submit(f.Holder2, "rights:Revoke", revoked.ID, "licence fee unpaid").MustOK(t)
	f.refusedDerive(t, ledgererr.Forbidden, "", f.Holder, "p", "shanghai", "src")

	// A USE right that has expired.
	soon := now.Add(48 * time.Hour).Format(time.RFC3339)
	f.Grant(t, f.Holder2, "src", "sh.holder", model.RightUse, registertest.ScopeJSON(registertest.Purpose, []string{"shanghai"}, "", soon, false))
	f.Net.Advance(72 * time.Hour)
	r := f.derive(f.Holder, "p", "shanghai", "src")
	registertest.RequireCode(t, r, ledgererr.Forbidden, "")
	// The refusal says why each right the caller holds falls short.
	assert.Contains(t, r.Message, "OPERATION right")
	assert.Contains(t, r.Message, "does not cover region shanghai")
	assert.NotContains(t, r.Message, revoked.ID)
	assert.Contains(t, r.Message, "valid from")

	// The right that started in the meantime is usable now.
	f.Net.Advance(30 * 24 * time.Hour)
	f.derive(f.Holder, "p", "shanghai", "src").MustOK(t)
}

func TestDeriveThroughSublicenceChecksTheChain(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder2, "src")
	parent := f.Grant(t, f.Holder2, "src", "js.user", model.RightUse, registertest.ScopeWide)
	var sub model.Right
	f.Net.Submit(f.JsUser, "rights:Sublicense", parent.ID, "sh.holder", registertest.ScopeNarrow).Unmarshal(t, &sub)
	// Offered, the sublicence entitles nothing yet.
	registertest.RequireCode(t, f.derive(f.Holder, "p0", "shanghai", "src"), ledgererr.Forbidden, "")
	f.Accept(t, sub.ID)

	f.derive(f.Holder, "p1", "shanghai", "src").MustOK(t)
	// Revoking the parent stops the sublicence, whose own record is
	// unchanged: it reads REVOKED from its parent.
	f.Net.Submit(f.Holder2, "rights:Revoke", parent.ID, "breach").MustOK(t)
	assert.Equal(t, model.RightRevoked, f.Right(t, sub.ID).Status)
	assert.Equal(t, parent.ID, f.Right(t, sub.ID).StatusFrom)
	r := f.derive(f.Holder, "p2", "shanghai", "src")
	registertest.RequireCode(t, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, parent.ID+`" is REVOKED`)
}

func TestDeriveInputRefusals(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "s1")
	f.Apply(t, f.Holder, "pending")
	f.Apply(t, f.Holder, "taken")
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf("s%d", i)
	}
	cases := []struct {
		name, id, sources string
		code              ledgererr.Code
		field             string
	}{
		{"no sources", "p", "", ledgererr.InvalidArgument, "sourceAssetIds"},
		{"blank sources", "p", " , ", ledgererr.InvalidArgument, "sourceAssetIds[0]"},
		{"bad source id", "p", "s1,bad id", ledgererr.InvalidArgument, "sourceAssetIds[1]"},
		{"duplicate source", "p", "s1,s1", ledgererr.InvalidArgument, "sourceAssetIds[1]"},
		{"itself", "p", "s1,p", ledgererr.InvalidArgument, "sourceAssetIds[1]"},
		{"too many", "p", strings.Join(many, ","), ledgererr.InvalidArgument, "sourceAssetIds"},
		{"unknown source", "p", "s1,ghost", ledgererr.NotFound, ""},
		{"source not registered", "p", "pending", ledgererr.Conflict, ""},
		{"id taken", "taken", "s1", ledgererr.Conflict, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.refusedDerive(t, tc.code, tc.field, f.Holder, tc.id, "shanghai", tc.sources)
		})
	}
	f.refusedDerive(t, ledgererr.Forbidden, "", f.ShBuyer, "p", "shanghai", "s1")
	f.Refused(t, ledgererr.InvalidArgument, "category", f.Holder, "assets:Derive", "p", "P", "Finance", "shanghai", "d", registertest.HashOf("p"), "s1", registertest.Purpose)
	// Twenty sources are allowed.
	twenty := []string{"s1"}
	for i := 2; i <= 20; i++ {
		id := fmt.Sprintf("s%d", i)
		f.Net.Submit(f.Holder, "assets:Apply", id, "Source", "transport", "shanghai", "d", registertest.HashOf(id)).MustOK(t)
		twenty = append(twenty, id)
	}
	for _, id := range twenty[1:] {
		f.Net.Submit(f.ShOp, "assets:Review", id, "APPROVE", "").MustOK(t)
	}
	f.Net.Advance(72 * time.Hour)
	for _, id := range twenty[1:] {
		f.Net.Submit(f.Holder, "assets:Certify", id).MustOK(t)
	}
	var p model.Asset
	f.derive(f.Holder, "p20", "shanghai", strings.Join(twenty, ",")).Unmarshal(t, &p)
	require.Len(t, p.Sources, 20)
}

// Deriving needs a USE right for the purpose the product is made for: a
// right licensed for one purpose does not entitle making a product for
// another, however well its term and regions fit. The product records the
// purpose.
func TestDeriveChecksThePurposeOfTheUseRight(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder2, "src")
	f.Grant(t, f.Holder2, "src", "sh.holder", model.RightUse, registertest.ScopeWide)
	f.Refused(t, ledgererr.Forbidden, "", f.Holder, "assets:Derive", "p1", "Product p1", "finance", "shanghai", "Derived scores", registertest.HashOf("p1"), "src", "marketing campaigns")
	f.Refused(t, ledgererr.InvalidArgument, "purpose", f.Holder, "assets:Derive", "p1", "Product p1", "finance", "shanghai", "Derived scores", registertest.HashOf("p1"), "src", "")
	var p model.Asset
	f.derive(f.Holder, "p2", "shanghai", "src").Unmarshal(t, &p)
	assert.Equal(t, registertest.Purpose, p.Purpose)
	// A holder processes its own asset for any purpose.
	f.RegisterAsset(t, f.Holder, "own")
	f.Net.Submit(f.Holder, "assets:Derive", "p3", "Product p3", "finance", "shanghai", "Derived scores", registertest.HashOf("p3"), "own", "marketing campaigns").MustOK(t)
}
