package trades_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// The rights register is public, but a right bought in a trade names that
// trade (origin TRADE, originRef) only to who may read it (trades:Get): its
// parties, the regulator, the operators of its regions. Every other member,
// and an unregistered identity, reads the buyer's right and the holding the
// sale superseded, through rights:Get, ListByAsset, ListByHolder and
// History, with no trade ID anywhere in the answer; the record keeps it.
func TestARightNamesTheTradeItWasBoughtInOnlyToWhoMayReadIt(t *testing.T) {
	const holdingSale, licenceSale = "TRADE-SOLD-HOLDING", "TRADE-SOLD-LICENCE"
	m := newMarket(t)
	var before model.Asset
	m.Evaluate(seller, "assets:Get", "asset-1").Unmarshal(t, &before)
	m.delivered(t, holdingSale, buyer, holdingListing)
	m.do(t, buyer, "Confirm", holdingSale)
	m.delivered(t, licenceSale, buyer, useListing)
	licence := m.do(t, buyer, "Confirm", licenceSale).RightID
	var after model.Asset
	m.Evaluate(seller, "assets:Get", "asset-1").Unmarshal(t, &after)
	require.NotEqual(t, before.HoldingRightID, after.HoldingRightID, "the holding moved")

	var stored model.Right
	m.Evaluate(buyer, "rights:Get", after.HoldingRightID).Unmarshal(t, &stored)
	require.Equal(t, model.OriginTrade, stored.Origin)
	require.Equal(t, holdingSale, stored.OriginRef)

	// A holding sold before 10.0.0 named its sale in its reason too; such
	// records stay on the ledger, and read as a sale's reason does since.
	legacy := *m.storedRight(t, before.HoldingRightID)
	require.Equal(t, "sold in a trade", legacy.StatusReason)
	legacy.StatusReason = "sold in trade " + holdingSale
	m.plantRight(t, &legacy, markettest.Shanghai)

	answers := func(read func(function string, args ...string) chaincodetest.Result) string {
		var all []byte
		for _, call := range [][]string{
			{"rights:Get", after.HoldingRightID}, {"rights:Get", before.HoldingRightID}, {"rights:Get", licence},
			{"rights:History", after.HoldingRightID}, {"rights:History", before.HoldingRightID}, {"rights:History", licence},
			{"rights:ListByAsset", "asset-1", "", ""}, {"rights:ListByAsset", "asset-2", "", ""},
			{"rights:ListByHolder", buyer, "", ""}, {"rights:ListByHolder", seller, "", ""},
		} {
			r := read(call[0], call[1:]...).MustOK(t)
			all = append(all, r.Payload...)
		}
		return string(all)
	}
	for _, who := range []string{seller, buyer, regulator, operator, foreignOp} {
		seen := answers(func(function string, args ...string) chaincodetest.Result { return m.Evaluate(who, function, args...) })
		assert.Contains(t, seen, holdingSale, who)
		assert.Contains(t, seen, licenceSale, who)
	}
	for _, who := range []string{buyer2, localBuyer, holderOnly} {
		seen := answers(func(function string, args ...string) chaincodetest.Result { return m.Evaluate(who, function, args...) })
		assert.False(t, strings.Contains(seen, holdingSale), "%s reads %s", who, holdingSale)
		assert.False(t, strings.Contains(seen, licenceSale), "%s reads %s", who, licenceSale)
		assert.Contains(t, seen, model.OriginTrade, "%s: that a right was bought in a trade stays public", who)
		var sold model.Right
		m.Evaluate(who, "rights:Get", before.HoldingRightID).Unmarshal(t, &sold)
		assert.Equal(t, "sold in a trade", sold.StatusReason, who)
	}
	stranger := m.Stranger(markettest.Anhui)
	seen := answers(func(function string, args ...string) chaincodetest.Result {
		return m.Net.Evaluate(stranger, function, args...)
	})
	assert.False(t, strings.Contains(seen, holdingSale), "an unregistered identity reads %s", holdingSale)
	assert.False(t, strings.Contains(seen, licenceSale), "an unregistered identity reads %s", licenceSale)
}

// The orders a sale of a holding beat are closed with a reason that says the
// holding was sold, not in which trade: their buyers may not read the sale.
func TestATradeClosedBySaleNamesNotTheSale(t *testing.T) {
	const sale, lost = "TRADE-THE-SALE", "TRADE-THE-LOSER"
	m := newMarket(t)
	m.do(t, buyer2, "Order", lost, holdingListing)
	m.delivered(t, sale, buyer, holdingListing)
	m.do(t, buyer, "Confirm", sale)
	m.Submit(seller, "trades:CloseOthers", sale, "").MustOK(t)

	r := m.Evaluate(buyer2, "trades:Get", lost).MustOK(t)
	var closed model.Trade
	r.Unmarshal(t, &closed)
	require.Equal(t, model.TradeCancelled, closed.Status)
	assert.Contains(t, closed.Timeline[len(closed.Timeline)-1].Note, `the holding of asset "asset-1" was sold`)
	assert.NotContains(t, string(r.Payload), sale, "the loser may not read the sale")
}

// storedRight reads a right's record as the ledger holds it.
func (m *market) storedRight(t *testing.T, id string) *model.Right {
	t.Helper()
	var r model.Right
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(chaincodetest.Key("right", id)), &r))
	return &r
}

// plantRight writes right record r as an earlier chaincode wrote it, its
// peer of org endorsing with as many others as the right's key needs.
func (m *market) plantRight(t *testing.T, r *model.Right, org string) {
	t.Helper()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	m.Net.InvokeFunc(m.Admin(org), chaincodetest.Call{PeerMSP: org}, // endorsed by as many orgs as the right's key needs
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, stub.PutState(chaincodetest.Key("right", r.ID), b)
		}).MustOK(t)
}
