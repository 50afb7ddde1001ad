package listings_test

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// withoutSellers is a majority of the test market's orgs without the
// sellers' (Shanghai).
var withoutSellers = []string{markettest.Jiangsu, markettest.Anhui}

// From interface 18.0.0 a listing is under a majority of the orgs: its
// seller's org alone, running chaincode of its own, no longer rewrites it
// as its member could not, ACTIVE again after the exchange delisted it
// (orders were then taken on it) or at a price its history does not have.
// Its seller's steps need a majority, as they did (a price point, index
// entries), and no longer its own org among it.
func TestTheSellersOrgAloneRewritesNoListingFrom18(t *testing.T) {
	m := newMarket(t)
	create(t, m, holder, "L1", "asset-2", "USE", useScope, "FIXED", "1000")
	m.Net.Invoke(m.As(holder), chaincodetest.Call{Function: "listings:UpdatePrice", Args: []string{"L1", "2000", "dearer"},
		PeerMSP: markettest.Jiangsu, Endorsers: withoutSellers}).MustOK(t)
	m.Submit(operator, "listings:Delist", "L1", "misleading description").MustOK(t)

	delisted := get(t, m, "L1")
	for name, rewrite := range map[string]func(l *model.Listing){
		"ACTIVE again": func(l *model.Listing) { l.Status, l.StatusReason = model.ListingActive, "" },
		"a price without history": func(l *model.Listing) {
			l.Status, l.PriceFen = model.ListingActive, 1
		},
	} {
		l := *delisted
		rewrite(&l)
		b, err := json.Marshal(l)
		require.NoError(t, err)
		m.Net.PutAlone(m.As(holder), listingKey("L1"), b).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		assert.Equal(t, delisted, get(t, m, "L1"), name)
	}
}

// A listing written before interface 18.0.0 keeps its seller's org's
// policy, which no majority changes: a move of the holding away from its
// seller (rights:AcceptHolding) takes it off the market without writing
// it, endorsed by a majority without that org, and it reads DELISTED
// whatever the org writes into its record; nor does its ID, the record
// deleted by that org (with its price history, its alone before 16.0.0),
// list anything again, which the closing would close.
func TestAListingWrittenBefore18IsClosedWithoutItsSellersOrg(t *testing.T) {
	m := newMarket(t)
	create(t, m, holder, "L-hold", "asset-1", "HOLDING", "", "FIXED", "1000000")
	create(t, m, holder, "L-use", "asset-1", "USE", useScope, "FIXED", "5000")
	records := map[string][]byte{}
	for _, id := range []string{"L-hold", "L-use"} {
		records[id] = m.Net.Ledger().State(listingKey(id))
		m.Net.InvokeFunc(m.As(holder), chaincodetest.Call{Endorsers: markettest.Orgs},
			func(stub shim.ChaincodeStubInterface) ([]byte, error) { // as a ledger before 18.0.0 left it
				return nil, stub.SetStateValidationParameter(listingKey(id), chaincodetest.KeyPolicy(markettest.Shanghai))
			}).MustOK(t)
	}
	m.Submit(holder, "rights:TransferHolding", "asset-1", other, "merger of the data business").MustOK(t)
	m.Net.Invoke(m.As(other), chaincodetest.Call{Function: "rights:AcceptHolding", Args: []string{"asset-1"},
		PeerMSP: markettest.Jiangsu, Endorsers: withoutSellers}).MustOK(t)

	for id, record := range records {
		assert.Equal(t, model.ListingDelisted, get(t, m, id).Status, id)
		m.Net.PutAlone(m.As(holder), listingKey(id), record).MustOK(t) // its org's alone
		assert.Equal(t, model.ListingDelisted, get(t, m, id).Status, id)
		assert.Contains(t, get(t, m, id).StatusReason, "no longer holds", id)
	}
	var page model.ListingPage
	m.Evaluate(buyer, "listings:ListBySeller", holder, "", "").Unmarshal(t, &page)
	for _, l := range page.Items {
		assert.Equal(t, model.ListingDelisted, l.Status, l.ID)
	}
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.Submit(holder, "listings:UpdatePrice", "L-use", "6000", "dearer")
	})

	// Listed before 16.0.0, its price history was its org's alone too, to delete with the record.
	firstPrice := chaincodetest.Key("listing~price", "L-hold", "000000")
	m.Net.InvokeFunc(m.As(holder), chaincodetest.Call{Endorsers: markettest.Orgs},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, stub.SetStateValidationParameter(firstPrice, chaincodetest.KeyPolicy(markettest.Shanghai))
		}).MustOK(t)
	m.Net.InvokeFunc(m.As(holder), chaincodetest.Call{PeerMSP: markettest.Shanghai, Endorsers: []string{markettest.Shanghai}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			if err := stub.DelState(firstPrice); err != nil {
				return nil, err
			}
			return nil, stub.DelState(listingKey("L-hold"))
		}).MustOK(t)
	m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
		return m.Submit(other, "listings:Create", "L-hold", "asset-1", "HOLDING", "", "FIXED", "1100000", markettest.Hash(terms))
	})
}
