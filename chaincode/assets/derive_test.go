package assets_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// derive submits Derive for a product of the given sources, used in region
// for the purpose of the fixture's licences.
func (f *fixture) derive(who chaincodetest.Identity, id, region, sources string) chaincodetest.Result {
	return f.net.Submit(who, "assets:Derive", id, "Product "+id, "finance", region, "Derived scores", hashOf(id), sources, purpose)
}

func (f *fixture) refusedDerive(t *testing.T, code ledgererr.Code, field string, who chaincodetest.Identity, id, region, sources string) {
	t.Helper()
	f.refused(t, code, field, who, "assets:Derive", id, "Product "+id, "finance", region, "Derived scores", hashOf(id), sources, purpose)
}

func TestDeriveFromOwnAndLicensedSources(t *testing.T) {
	f := newFixture(t)
	own := f.registerAsset(t, f.holder, "own")
	f.registerAsset(t, f.holder2, "theirs")
	use := f.grant(t, f.holder2, "theirs", "sh.holder", model.RightUse, scopeWide)

	// The holding of "own" and a USE right over "theirs" covering Jiangsu.
	var p model.Asset
	f.derive(f.holder, "product", "jiangsu", "own, theirs").Unmarshal(t, &p)
	assert.Equal(t, []string{"own", "theirs"}, p.Sources)
	assert.Equal(t, model.AssetPendingReview, p.Status)
	assert.Equal(t, model.EventAssetDerived, f.lastEvent(t).Name)
	assert.JSONEq(t, `{"assetId":"product","status":"PENDING_REVIEW","holderId":"sh.holder","sourceAssetIds":["own","theirs"]}`, string(f.lastEvent(t).Payload))

	// The product follows the ordinary procedure.
	f.certify(t, f.holder, "product")

	var lin model.Lineage
	f.net.Evaluate(f.ahUser, "assets:Lineage", "product").Unmarshal(t, &lin)
	// The lineage names the right that entitled the deriver to each source.
	assert.Equal(t, model.Lineage{AssetID: "product", Sources: []string{"own", "theirs"}, Entitlements: []model.Entitlement{
		{SourceAssetID: "own", RightID: own.HoldingRightID, RightType: model.RightHolding},
		{SourceAssetID: "theirs", RightID: use.ID, RightType: model.RightUse},
	}, Derived: []string{}}, lin)
	assert.Equal(t, lin.Entitlements, p.Entitlements, "the product records them from its application on")
	f.net.Evaluate(f.ahUser, "assets:Lineage", "theirs").Unmarshal(t, &lin)
	assert.Equal(t, model.Lineage{AssetID: "theirs", Sources: []string{}, Entitlements: []model.Entitlement{}, Derived: []string{"product"}}, lin)
}

func TestDeriveRefusedWithoutAUsableUseRight(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder2, "src")
	now := f.net.Now()

	// No right at all.
	f.refusedDerive(t, ledgererr.Forbidden, "", f.holder, "p", "shanghai", "src")

	// An OPERATION right does not entitle processing.
	f.grant(t, f.holder2, "src", "sh.holder", model.RightOperation, scopeWide)
	f.refusedDerive(t, ledgererr.Forbidden, "", f.holder, "p", "shanghai", "src")

	// A USE right for another region.
	f.grant(t, f.holder2, "src", "sh.holder", model.RightUse, scopeJiangsu)
	f.refusedDerive(t, ledgererr.Forbidden, "", f.holder, "p", "shanghai", "src")

	// A USE right that has not started yet.
	later := now.Add(30 * 24 * time.Hour).Format(time.RFC3339)
	f.grant(t, f.holder2, "src", "sh.holder", model.RightUse, scopeJSON(purpose, []string{"shanghai"}, later, yearEnd, false))
	f.refusedDerive(t, ledgererr.Forbidden, "", f.holder, "p", "shanghai", "src")

	// A revoked USE right.
	revoked := f.grant(t, f.holder2, "src", "sh.holder", model.RightUse, scopeNoSub)
	f.net.Submit(f.holder2, "rights:Revoke", revoked.ID, "licence fee unpaid").MustOK(t)
	f.refusedDerive(t, ledgererr.Forbidden, "", f.holder, "p", "shanghai", "src")

	// A USE right that has expired.
	soon := now.Add(48 * time.Hour).Format(time.RFC3339)
	f.grant(t, f.holder2, "src", "sh.holder", model.RightUse, scopeJSON(purpose, []string{"shanghai"}, "", soon, false))
	f.net.Advance(72 * time.Hour)
	r := f.derive(f.holder, "p", "shanghai", "src")
	requireCode(t, r, ledgererr.Forbidden, "")
	// The refusal says why each right the caller holds falls short.
	assert.Contains(t, r.Message, "OPERATION right")
	assert.Contains(t, r.Message, "does not cover region shanghai")
	assert.Contains(t, r.Message, "is REVOKED")
	assert.Contains(t, r.Message, "valid from")

	// The right that started in the meantime is usable now.
	f.net.Advance(30 * 24 * time.Hour)
	f.derive(f.holder, "p", "shanghai", "src").MustOK(t)
}

func TestDeriveThroughSublicenceChecksTheChain(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder2, "src")
	parent := f.grant(t, f.holder2, "src", "js.user", model.RightUse, scopeWide)
	var sub model.Right
	f.net.Submit(f.jsUser, "rights:Sublicense", parent.ID, "sh.holder", scopeNarrow).Unmarshal(t, &sub)

	f.derive(f.holder, "p1", "shanghai", "src").MustOK(t)
	// Revoking the parent stops the sublicence, whose own status is unchanged.
	f.net.Submit(f.holder2, "rights:Revoke", parent.ID, "breach").MustOK(t)
	assert.Equal(t, model.RightActive, f.right(t, sub.ID).Status)
	r := f.derive(f.holder, "p2", "shanghai", "src")
	requireCode(t, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, parent.ID+`" is REVOKED`)
}

func TestDeriveInputRefusals(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder, "s1")
	f.apply(t, f.holder, "pending")
	f.apply(t, f.holder, "taken")
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
			f.refusedDerive(t, tc.code, tc.field, f.holder, tc.id, "shanghai", tc.sources)
		})
	}
	f.refusedDerive(t, ledgererr.Forbidden, "", f.shBuyer, "p", "shanghai", "s1")
	f.refused(t, ledgererr.InvalidArgument, "category", f.holder, "assets:Derive", "p", "P", "Finance", "shanghai", "d", hashOf("p"), "s1", purpose)
	// Twenty sources are allowed.
	twenty := []string{"s1"}
	for i := 2; i <= 20; i++ {
		id := fmt.Sprintf("s%d", i)
		f.net.Submit(f.holder, "assets:Apply", id, "Source", "transport", "shanghai", "d", hashOf(id)).MustOK(t)
		twenty = append(twenty, id)
	}
	for _, id := range twenty[1:] {
		f.net.Submit(f.shOp, "assets:Review", id, "APPROVE", "").MustOK(t)
	}
	f.net.Advance(72 * time.Hour)
	for _, id := range twenty[1:] {
		f.net.Submit(f.holder, "assets:Certify", id).MustOK(t)
	}
	var p model.Asset
	f.derive(f.holder, "p20", "shanghai", strings.Join(twenty, ",")).Unmarshal(t, &p)
	require.Len(t, p.Sources, 20)
}

// Deriving needs a USE right for the purpose the product is made for: a
// right licensed for one purpose does not entitle making a product for
// another, however well its term and regions fit. The product records the
// purpose.
func TestDeriveChecksThePurposeOfTheUseRight(t *testing.T) {
	f := newFixture(t)
	f.registerAsset(t, f.holder2, "src")
	f.grant(t, f.holder2, "src", "sh.holder", model.RightUse, scopeWide)
	f.refused(t, ledgererr.Forbidden, "", f.holder, "assets:Derive", "p1", "Product p1", "finance", "shanghai", "Derived scores", hashOf("p1"), "src", "marketing campaigns")
	f.refused(t, ledgererr.InvalidArgument, "purpose", f.holder, "assets:Derive", "p1", "Product p1", "finance", "shanghai", "Derived scores", hashOf("p1"), "src", "")
	var p model.Asset
	f.derive(f.holder, "p2", "shanghai", "src").Unmarshal(t, &p)
	assert.Equal(t, purpose, p.Purpose)
	// A holder processes its own asset for any purpose.
	f.registerAsset(t, f.holder, "own")
	f.net.Submit(f.holder, "assets:Derive", "p3", "Product p3", "finance", "shanghai", "Derived scores", hashOf("p3"), "own", "marketing campaigns").MustOK(t)
}
