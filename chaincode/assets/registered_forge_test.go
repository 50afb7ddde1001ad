package assets_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
)

// The holder's org alone, running chaincode of its own, cannot rewrite its
// registered asset's content hash (VerifyContent would then answer for other
// data), its title or its lineage: the key is under a majority of the orgs.
func TestTheHoldersOrgAloneCannotRewriteItsRegisteredAsset(t *testing.T) {
	f := newFixture(t)
	registered := f.RegisterAsset(t, f.Holder, "a1")
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("asset", "a1")))

	forged := *registered
	forged.ContentHash, forged.Name, forged.Sources = registertest.HashOf("other data"), "Another title", []string{"elsewhere"}
	requireRefusedAlone(t, f, f.Snapshot(), f.Net.Forge(f.Holder,
		chaincodetest.Writes{chaincodetest.Key("asset", "a1"): chaincodetest.JSON(t, &forged)}))

	var check model.ContentCheck
	f.Net.Evaluate(f.AhUser, "assets:VerifyContent", "a1", registertest.HashOf("a1")).Unmarshal(t, &check)
	assert.True(t, check.Matches)
	f.Net.Evaluate(f.AhUser, "assets:VerifyContent", "a1", registertest.HashOf("other data")).Unmarshal(t, &check)
	assert.False(t, check.Matches)
}

// Nor can it delete it: a licensee deriving from it would be answered
// NOT_FOUND, and the register would no longer show who holds it.
func TestTheHoldersOrgAloneCannotDeleteItsRegisteredAsset(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.Holder, "a1")
	f.Grant(t, f.Holder, "a1", "sh.holder2", model.RightUse, registertest.ScopeWide)

	requireRefusedAlone(t, f, f.Snapshot(), f.Net.Forge(f.Holder,
		chaincodetest.Writes{chaincodetest.Key("asset", "a1"): nil}))
	f.derive(f.Holder2, "product", "jiangsu", "a1").MustOK(t)
}

// Nor can it rewrite who holds it, to another of its members or anyone's.
func TestTheHoldersOrgAloneCannotRewriteWhoHoldsItsAsset(t *testing.T) {
	f := newFixture(t)
	registered := f.RegisterAsset(t, f.Holder, "a1")

	forged := *registered
	forged.HolderID = "sh.holder2"
	requireRefusedAlone(t, f, f.Snapshot(), f.Net.Forge(f.Holder,
		chaincodetest.Writes{chaincodetest.Key("asset", "a1"): chaincodetest.JSON(t, &forged)}))
	assert.Equal(t, "sh.holder", f.Asset(t, "a1").HolderID)
}

// An asset registered before 17.0.0 is still its holder's org's alone, which
// may rewrite it until the asset's next change: the content hash it writes
// matches no data (its content-hash record names no such asset), and the
// next step of the register that writes the asset, endorsed by a majority,
// puts it under a majority. It stays unmarked (asset~sealed): what it said
// before, its org may have written, and nothing on the ledger tells.
func TestAnAssetRegisteredBefore17GoesUnderAMajorityAtItsNextChange(t *testing.T) {
	f := newFixture(t)
	registered := f.RegisterAsset(t, f.Holder, "a1")
	assert.NotNil(t, f.Net.Ledger().State(chaincodetest.Key("asset~sealed", "a1")), "registered from 17.0.0, marked")
	recordedUnderItsHoldersOrg(t, f, "a1")

	forged := *registered
	forged.ContentHash = registertest.HashOf("other data")
	f.Net.Forge(f.Holder, chaincodetest.Writes{chaincodetest.Key("asset", "a1"): chaincodetest.JSON(t, &forged)}).MustOK(t)
	var check model.ContentCheck
	f.Net.Evaluate(f.AhUser, "assets:VerifyContent", "a1", registertest.HashOf("other data")).Unmarshal(t, &check)
	assert.False(t, check.Matches, "a content hash its org wrote matches no data")
	assert.Equal(t, registertest.HashOf("other data"), check.RegisteredHash)

	f.Net.Submit(f.Holder, "rights:TransferHolding", "a1", "js.user", "gift").MustOK(t)
	assert.Equal(t, "3 of 4", f.KeyPolicy(t, chaincodetest.Key("asset", "a1")))
	assert.Nil(t, f.Net.Ledger().State(chaincodetest.Key("asset~sealed", "a1")), "not marked at its next change")
	back := *registered
	requireRefusedAlone(t, f, f.Snapshot(), f.Net.Forge(f.Holder,
		chaincodetest.Writes{chaincodetest.Key("asset", "a1"): chaincodetest.JSON(t, &back)}))
}
