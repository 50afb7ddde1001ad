package listings_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A new key needs only the chaincode-level policy, so orgs that run
// chaincode of their own can store under an ID of their choosing a copy of
// a real listing, right or asset. The copy is no record of that ID: a step
// on it is refused as on a missing one and writes nothing, least of all the
// real record the copy names (which it would, written under its own ID).
func TestACopyUnderAnotherIDIsNoRecord(t *testing.T) {
	m := newMarket(t)
	l := create(t, m, holder, "L1", "asset-1", "USE", useScope, "FIXED", "5000")
	r := m.Grant(t, holder, "asset-1", other, "USE", useScope)
	a := m.GetAsset(t, holder, "asset-1")
	for _, c := range []struct {
		get, id, key string
		record       any
		step         func() chaincodetest.Result
	}{
		{"listings:Get", "L-copy", "listing", l, func() chaincodetest.Result {
			return m.Submit(holder, "listings:Delist", "L-copy", "no longer offered")
		}},
		{"rights:Get", "R-copy", "right", r, func() chaincodetest.Result {
			return m.Submit(holder, "rights:Revoke", "R-copy", "breach of terms")
		}},
		{"assets:Get", "asset-copy", "asset", a, func() chaincodetest.Result {
			return m.Submit(holder, "rights:TransferHolding", "asset-copy", other, "merger of the data business")
		}},
	} {
		t.Run(c.id, func(t *testing.T) {
			m.Seed(t, buyer, chaincodetest.Key(c.key, c.id), c.record)
			m.Refuse(t, ledgererr.NotFound, "", c.step)
			markettest.RequireRefused(t, m.Evaluate(holder, c.get, c.id), ledgererr.NotFound, "")
		})
	}
	assert.Equal(t, model.ListingActive, get(t, m, "L1").Status)
	assert.Equal(t, r.Status, m.GetRight(t, holder, r.ID).Status)
	assert.Equal(t, holder, m.GetAsset(t, holder, "asset-1").HolderID)
}
