package trades_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/canonical"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The trades' index entries carry no key-level policy of their own, so
// orgs that run chaincode of their own can write them (a majority in
// production: the chaincode-level policy), though not the trades. An index
// entry is trusted only as far as the trade it names agrees with it: a
// planted one shows no member a trade its Get would refuse, and makes no sale
// close a trade of another listing.
func TestAPlantedIndexEntryShowsAndClosesNoTrade(t *testing.T) {
	m := newMarket(t)
	m.RegisterAsset(t, holderOnly, foreignOp, "asset-js", "finance", "jiangsu")
	m.Submit(holderOnly, "listings:Create", "L-js", "asset-js", "USE", useScope, "FIXED", "1000", markettest.Hash("terms")).MustOK(t)
	m.do(t, localBuyer, "Order", "T3", useListing) // Shanghai's alone
	created := m.trade(t, "T3").CreatedAt

	// Jiangsu and Anhui, neither of them in T3, plant entries naming it.
	plant := func(key string, value []byte) {
		t.Helper()
		m.Net.Forge(m.Admin(markettest.Jiangsu), chaincodetest.Writes{key: value}, markettest.Jiangsu, markettest.Anhui).MustOK(t)
	}
	plant(chaincodetest.Key("trade~party", buyer, "T3"), []byte{0})
	plant(chaincodetest.Key("trade~listing", "L-js", "T3"), []byte{0})
	plant(chaincodetest.Key("trade~listing", holdingListing, "T3"), []byte{0})
	plant("trade-market/jiangsu/"+created+"/T3", []byte("T3"))

	for _, who := range []string{buyer, holderOnly, foreignOp} {
		markettest.RequireRefused(t, m.Evaluate(who, "trades:Get", "T3"), ledgererr.NotFound, "")
	}
	ids := func(who, function string, args ...string) []string {
		t.Helper()
		var p model.TradePage
		m.Evaluate(who, "trades:"+function, args...).Unmarshal(t, &p)
		var ids []string
		for _, tr := range p.Items {
			ids = append(ids, tr.ID)
		}
		return ids
	}
	assert.NotContains(t, ids(buyer, "ListByParticipant", buyer, "", ""), "T3")
	assert.NotContains(t, ids(foreignOp, "ListByParticipant", buyer, "", ""), "T3")
	assert.NotContains(t, ids(holderOnly, "ListByListing", "L-js", "", ""), "T3")
	assert.NotContains(t, ids(foreignOp, "ListMarket", "jiangsu", "", "", "", "", ""), "T3")

	// Closing after the sale of the holding closes the trades on its
	// listing, not T3.
	m.do(t, buyer2, "Order", "T2", holdingListing)
	m.delivered(t, "T1", buyer, holdingListing)
	m.do(t, buyer, "Confirm", "T1")
	e := eventPayload(t, m.Submit(seller, "trades:CloseOthers", "T1", "").MustOK(t).Event)
	assert.Equal(t, "[T2]", fmt.Sprint(e["closedTradeIds"]))
	assert.Equal(t, model.TradeOrdered, m.trade(t, "T3").Status)
}

// forge writes trade record tr as orgs Jiangsu and Anhui could by running
// chaincode of their own (a new key needs only the chaincode-level policy:
// any one peer on this test channel, a majority of the orgs in production),
// under key-level policy orgs.
func (m *market) forge(t *testing.T, tr model.Trade, orgs ...string) {
	t.Helper()
	m.forgeUnder(t, tr.ID, tr, orgs...)
}

// forgeUnder is forge writing the record under the key of trade ID id,
// whatever ID the record names.
func (m *market) forgeUnder(t *testing.T, id string, tr model.Trade, orgs ...string) {
	t.Helper()
	b, err := json.Marshal(tr)
	require.NoError(t, err)
	m.Net.InvokeFunc(m.Admin(markettest.Jiangsu), chaincodetest.Call{PeerMSP: markettest.Jiangsu, Endorsers: []string{markettest.Jiangsu, markettest.Anhui}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			if err := stub.PutState(tradeKey(id), b); err != nil {
				return nil, err
			}
			return nil, stub.SetStateValidationParameter(tradeKey(id), chaincodetest.KeyPolicy(orgs...))
		}).MustOK(t)
}

// A trade record the seller's org never endorsed moves none of the seller's
// holding. Orgs that write a DELIVERED trade of the Shanghai seller's
// holding (under their own policy, or under the parties' orgs') cannot have
// the buyer confirm it into the holding, though the seller's peer must
// endorse the completion (the asset is its org's) and runs the same
// chaincode: the holding was never locked to it. Nor can the buyer accept,
// and so lock the holding to, a forged negotiation whose last offer claims
// to be the seller's: not under the forgers' policy (they alone could then
// move or end the trade), and not under the parties' orgs' either, since
// the seller never put that offer in the orgs' terms.
func TestAForgedTradeMovesNoHolding(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", holdingListing)
	m.offer(t, buyer, markettest.Terms("1", ""), "Propose", "N1", holdingNeg)
	own := []string{markettest.Jiangsu, markettest.Anhui}
	parties := []string{markettest.Jiangsu, markettest.Shanghai}

	for id, orgs := range map[string][]string{"TF-own": own, "TF-parties": parties} {
		fake := *m.trade(t, "T1")
		fake.ID, fake.Status, fake.DeliveryHash, fake.DeadlineAt = id, model.TradeDelivered, markettest.Hash("nothing"), ""
		m.forge(t, fake, orgs...)
		m.refuse(t, ledgererr.Conflict, "", buyer, "Confirm", id)
		assert.Equal(t, seller, m.GetAsset(t, seller, "asset-1").HolderID, id)
	}
	for id, orgs := range map[string][]string{"NF-own": own, "NF-parties": parties} {
		fake := *m.trade(t, "N1")
		fake.ID = id
		fake.Offers[0].By = seller
		m.forge(t, fake, orgs...)
		m.refuse(t, ledgererr.Conflict, "", buyer, "AcceptOffer", id)
		assert.Empty(t, m.GetAsset(t, seller, "asset-3").HoldingLockedBy, id)
	}

	// Nor does the seller, taken in by an order it sees on its listing,
	// lock its holding to a record only the forgers' orgs could then end.
	fake := *m.trade(t, "T1")
	fake.ID = "OF-own"
	m.forge(t, fake, own...)
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "OF-own")
	assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy)

	// The real negotiation is accepted as ever.
	m.do(t, seller, "AcceptOffer", "N1")
	assert.Equal(t, "N1", m.GetAsset(t, seller, "asset-3").HoldingLockedBy)
}

// A sale's record names the listings whose trades CloseOthers closes
// (DelistedListingIDs), and the buyer's and the seller's orgs, together,
// could rewrite it with chaincode of their own. It is trusted only as far as
// the listings agree: a listing of another seller, or of another asset, or
// still on the market, loses no trade; and a forged sale that no listing
// names as sold closes nothing at all.
func TestARewrittenSaleClosesNoTradeOfAnotherListing(t *testing.T) {
	m := newMarket(t)
	m.RegisterAsset(t, holderOnly, foreignOp, "asset-js", "finance", "jiangsu")
	m.Submit(holderOnly, "listings:Create", "L-js", "asset-js", "USE", useScope, "FIXED", "1000", markettest.Hash("terms")).MustOK(t)
	m.do(t, localBuyer, "Order", "T3", "L-js")
	m.Submit(holderOnly, "listings:Delist", "L-js", "withdrawn").MustOK(t)
	m.do(t, buyer2, "Order", "U1", useListing)
	m.delivered(t, "T1", buyer, holdingListing)
	m.do(t, buyer, "Confirm", "T1")

	rewritten := *m.trade(t, "T1")
	rewritten.DelistedListingIDs = []string{"L-js", useListing}
	m.Net.Forge(m.Admin(markettest.Jiangsu), chaincodetest.Writes{tradeKey("T1"): chaincodetest.JSON(t, rewritten)}, markettest.Jiangsu, markettest.Shanghai).MustOK(t)
	require.Equal(t, []string{"L-js", useListing}, m.trade(t, "T1").DelistedListingIDs)

	var closed model.ClosedTrades
	m.Submit(seller, "trades:CloseOthers", "T1", "").MustOK(t).Unmarshal(t, &closed)
	assert.Empty(t, closed.TradeIDs)
	assert.Equal(t, model.TradeOrdered, m.trade(t, "T3").Status, "another seller's listing")
	assert.Equal(t, model.TradeOrdered, m.trade(t, "U1").Status, "a listing of another asset, on the market")

	forged := rewritten
	forged.ID = "TF"
	m.forge(t, forged, markettest.Jiangsu, markettest.Shanghai)
	m.refuse(t, ledgererr.Conflict, "", seller, "CloseOthers", "TF", "")
	assert.Equal(t, model.TradeOrdered, m.trade(t, "U1").Status)
}

// What a trade is accepted on binds its parties, so no acceptance takes a
// record's word for terms its parties' orgs do not hold. The buyer's org and
// a third one, running chaincode of their own under the parties' policy,
// write an order whose conditions the seller's peer never received, though
// their hash on the record is what the buyer could later show as agreed;
// and a negotiation with no offer at all, whose acceptance would lock the
// seller's holding on no terms. The seller accepts neither order, nor the
// buyer the empty negotiation; the genuine order with conditions is
// accepted as ever.
func TestNoAcceptanceOfTermsTheOrgsDoNotHold(t *testing.T) {
	m := newMarket(t)
	m.offer(t, buyer, markettest.Terms("", "monthly refresh"), "Order", "T1", useListing)
	m.offer(t, buyer, markettest.Terms("1500000", ""), "Propose", "N1", holdingNeg)
	parties := []string{markettest.Jiangsu, markettest.Shanghai}

	claimed, err := canonical.Hash(model.Terms{TradeID: "OF", Round: 1, By: buyer, PriceFen: 50000,
		Conditions: "the seller bears every cost of delivery", Salt: salt})
	require.NoError(t, err)
	order := *m.trade(t, "T1")
	order.ID = "OF"
	order.Offers = []model.Offer{{Round: 1, By: buyer, At: order.CreatedAt, TxID: "forged", TermsHash: claimed}}
	m.forge(t, order, parties...)
	m.refuse(t, ledgererr.Conflict, "", seller, "Accept", "OF")

	empty := *m.trade(t, "N1")
	empty.ID, empty.Offers = "NF", []model.Offer{}
	m.forge(t, empty, parties...)
	m.refuse(t, ledgererr.Conflict, "", buyer, "AcceptOffer", "NF")
	assert.Empty(t, m.GetAsset(t, seller, "asset-3").HoldingLockedBy)

	assert.Equal(t, model.TradeAccepted, m.do(t, seller, "Accept", "T1").Status)
}

// A trade is the record under its own ID only. The buyer's org and a third
// one, running chaincode of their own, write under a new key F a copy of
// the buyer's accepted negotiation N1 that says it is COMPLETED and that the
// seller asked for its terms to be purged, and under G one that says N1 was
// DELIVERED. Every step of F or G would write N1's record, and purge N1's
// terms, with both parties' peers endorsing, as the chaincode they run
// reads F or G alike: the buyer alone would purge terms the seller agreed to
// and would be conveyed the holding locked to N1 without paying. Both
// records are refused as no trade; N1, its terms and the holding stay.
func TestARecordUnderAnotherIDIsNoTrade(t *testing.T) {
	m := newMarket(t)
	m.offer(t, buyer, markettest.Terms("1500000", ""), "Propose", "N1", holdingNeg)
	m.do(t, seller, "AcceptOffer", "N1")
	parties := []string{markettest.Jiangsu, markettest.Shanghai}
	forgeAs := func(key string, edit func(*model.Trade)) {
		t.Helper()
		fake := *m.trade(t, "N1")
		edit(&fake)
		m.forgeUnder(t, key, fake, parties...)
	}
	forgeAs("F", func(f *model.Trade) {
		f.Status, f.DeadlineAt = model.TradeCompleted, ""
		f.PurgeRequests = []model.PurgeRequest{{By: seller, At: f.UpdatedAt, TxID: "forged"}}
	})
	forgeAs("G", func(f *model.Trade) { f.Status, f.DeliveryHash = model.TradeDelivered, markettest.Hash("nothing") })

	m.refuse(t, ledgererr.NotFound, "", buyer, "RequestPurge", "F")
	m.refuse(t, ledgererr.NotFound, "", buyer, "Confirm", "G")
	markettest.RequireRefused(t, m.Evaluate(buyer, "trades:Get", "F"), ledgererr.NotFound, "")
	tr := m.trade(t, "N1")
	assert.Equal(t, model.TradeAccepted, tr.Status)
	assert.False(t, tr.TermsPurged)
	assert.NotNil(t, m.Net.Ledger().PrivateData(pair, termsKey("N1", holdingNeg, 1, buyer)))
	assert.Equal(t, seller, m.GetAsset(t, seller, "asset-3").HolderID)
	assert.Equal(t, "N1", m.GetAsset(t, seller, "asset-3").HoldingLockedBy)
}
