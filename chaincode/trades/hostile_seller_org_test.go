package trades_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// withoutSellers is a majority of the test market's orgs without the
// seller's (Shanghai).
var withoutSellers = []string{markettest.Jiangsu, markettest.Anhui}

// completions are the steps that complete a delivered sale: the buyer's
// Confirm, the seller's deemed Confirm after the inspection, the judge's
// Resolve COMPLETE of the buyer's dispute. Each takes trade id, DELIVERED,
// to COMPLETED, endorsed by the orgs endorsers (from a peer of the first),
// and answers the call.
var completions = map[string]func(t *testing.T, m *market, id string, endorsers []string) chaincodetest.Result{
	"the buyer's Confirm": func(t *testing.T, m *market, id string, endorsers []string) chaincodetest.Result {
		return m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:Confirm", Args: []string{id}, PeerMSP: endorsers[0], Endorsers: endorsers})
	},
	"the seller's deemed Confirm": func(t *testing.T, m *market, id string, endorsers []string) chaincodetest.Result {
		m.Net.Advance(model.TradeInspectionWindow + time.Second)
		return m.Net.Invoke(m.As(seller), chaincodetest.Call{Function: "trades:Confirm", Args: []string{id}, PeerMSP: endorsers[0], Endorsers: endorsers})
	},
	"the judge's Resolve COMPLETE": func(t *testing.T, m *market, id string, endorsers []string) chaincodetest.Result {
		m.do(t, buyer, "Dispute", id, "wrong rows")
		return m.Net.Invoke(m.As(operator), chaincodetest.Call{Function: "trades:Resolve", Args: []string{id, model.OutcomeComplete, "fine"},
			PeerMSP: endorsers[0], Endorsers: endorsers})
	},
}

// A hostile seller's org, or one removed from the market, blocks for good
// no paid, delivered sale of a holding its member made: the sale closes its
// seller's listings of the asset (the sold one SOLD, its licences
// DELISTED), whose keys were its org's alone, and a majority of the orgs
// without it failed each completion ENDORSEMENT_POLICY_FAILURE, leaving the
// buyer who paid without the holding. From interface 18.0.0 the sale closes
// them by their closing marks (listings.close), which a majority writes, and
// every read tells the truth: the listings read closed (Get, ListBySeller,
// the browse lists), no order is taken on them, and the other orders on the
// sold listing are closed (CloseOthers).
func TestAMajorityCompletesAHoldingSaleWithoutTheSellersOrg(t *testing.T) {
	for name, completion := range completions {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			licence := `{"purpose":"credit risk model","regions":["shanghai"],"validUntil":"2028-01-01T00:00:00Z"}`
			m.Submit(seller, "listings:Create", "L-lic", "asset-1", "USE", licence, "FIXED", "5000", markettest.Hash("t")).MustOK(t)
			m.do(t, buyer2, "Order", "LOSER", holdingListing)
			m.delivered(t, "T1", buyer, holdingListing)

			completion(t, m, "T1", withoutSellers).MustOK(t)
			assert.Equal(t, model.TradeCompleted, m.trade(t, "T1").Status)
			requireClosedBySale(t, m, "T1", "asset-1", holdingListing, "L-lic")
			requireClosesOthers(t, m, "T1", "LOSER")
		})
	}
}

// The closings cost the completion no request: the buyer's Confirm of a
// holding whose seller also offered a licence of it makes 40, as before
// interface 18.0.0 (each listing read in one request with its closing, the
// closing written where the listing was).
func TestClosingTheListingsCostsTheSaleNoRequest(t *testing.T) {
	m := newMarket(t)
	licence := `{"purpose":"credit risk model","regions":["shanghai"],"validUntil":"2028-01-01T00:00:00Z"}`
	m.Submit(seller, "listings:Create", "L-lic", "asset-1", "USE", licence, "FIXED", "5000", markettest.Hash("t")).MustOK(t)
	m.delivered(t, "T1", buyer, holdingListing)
	r := m.Submit(buyer, "trades:Confirm", "T1").MustOK(t)
	assert.Len(t, r.Requests, 40, "Confirm's requests: %v", r.Requests)
	assert.NotNil(t, m.Net.Ledger().State(chaincodetest.Key(model.ListingClosedKeyType, holdingListing)))
	var record model.Listing
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(chaincodetest.Key("listing", holdingListing)), &record))
	assert.Equal(t, model.ListingActive, record.Status, "the sale writes no listing")
}

// A listing written before interface 18.0.0 stays under its seller's org
// alone, whose policy no majority can change: the sale still completes
// without that org, for it writes no listing, and the listing reads closed
// whatever its org writes into its record afterwards.
func TestAListingWrittenBefore18BlocksNoSale(t *testing.T) {
	m := newMarket(t)
	licence := `{"purpose":"credit risk model","regions":["shanghai"],"validUntil":"2028-01-01T00:00:00Z"}`
	m.Submit(seller, "listings:Create", "L-lic", "asset-1", "USE", licence, "FIXED", "5000", markettest.Hash("t")).MustOK(t)
	before := map[string][]byte{}
	for _, id := range []string{holdingListing, "L-lic"} {
		before[id] = m.Net.Ledger().State(chaincodetest.Key("listing", id))
		m.listedBefore18(t, id)
	}
	m.do(t, buyer2, "Order", "LOSER", holdingListing)
	m.delivered(t, "T1", buyer, holdingListing)
	m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:Confirm", Args: []string{"T1"},
		PeerMSP: markettest.Jiangsu, Endorsers: withoutSellers}).MustOK(t)
	requireClosedBySale(t, m, "T1", "asset-1", holdingListing, "L-lic")
	requireClosesOthers(t, m, "T1", "LOSER")

	// Its org alone writes the records back as they were: they still read closed.
	for id, record := range before {
		m.Net.PutAlone(m.As(seller), chaincodetest.Key("listing", id), record).MustOK(t)
	}
	requireClosedBySale(t, m, "T1", "asset-1", holdingListing, "L-lic")
	requireClosesOthers(t, m, "T1")
}

// requireClosedBySale checks that sale closed the seller's listings of asset
// assetID: sold, SOLD to it, and each of licences DELISTED, on every read;
// and that no order is taken on them.
func requireClosedBySale(t *testing.T, m *market, sale, assetID, sold string, licences ...string) {
	t.Helper()
	var l model.Listing
	m.Evaluate(seller, "listings:Get", sold).Unmarshal(t, &l)
	assert.Equal(t, model.ListingSold, l.Status)
	assert.Equal(t, sale, l.SoldTradeID)
	for _, id := range licences {
		var lic model.Listing
		m.Evaluate(seller, "listings:Get", id).Unmarshal(t, &lic)
		assert.Equal(t, model.ListingDelisted, lic.Status, id)
		assert.Contains(t, lic.StatusReason, "no longer holds", id)
	}
	var page model.ListingPage
	m.Evaluate(seller, "listings:ListBySeller", seller, "", "").Unmarshal(t, &page)
	statuses := map[string]string{}
	for _, item := range page.Items {
		statuses[item.ID] = item.Status
	}
	assert.Equal(t, model.ListingSold, statuses[sold])
	for _, id := range licences {
		assert.Equal(t, model.ListingDelisted, statuses[id], id)
	}
	var browse model.ListingPage
	m.Evaluate(buyer2, "listings:ListByCategory", "finance", "", "").Unmarshal(t, &browse)
	for _, item := range browse.Items {
		assert.NotEqual(t, assetID, item.AssetID, "a closed listing is off the market")
	}
	m.refuse(t, ledgererr.Conflict, "", localBuyer, "Order", "AGAIN", sold)
}

// requireClosesOthers checks that the seller of sale closes the orders
// that waited on the sold listing, waiting, and answers them.
func requireClosesOthers(t *testing.T, m *market, sale string, waiting ...string) {
	t.Helper()
	var closed model.ClosedTrades
	m.Submit(seller, "trades:CloseOthers", sale, "").Unmarshal(t, &closed)
	assert.Equal(t, append([]string{}, waiting...), closed.TradeIDs)
}

// listedBefore18 puts listing id's key under its seller's org alone (the
// test market's listings are Shanghai's seller's), as a ledger before
// interface 18.0.0 left it; all the orgs endorse the change of policy.
func (m *market) listedBefore18(t *testing.T, id string) {
	t.Helper()
	m.Net.InvokeFunc(m.As(seller), chaincodetest.Call{Endorsers: markettest.Orgs},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, stub.SetStateValidationParameter(chaincodetest.Key("listing", id), chaincodetest.KeyPolicy(markettest.Shanghai))
		}).MustOK(t)
}
