package trades_test

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/trades"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// nameOrg has the seller's org (Shanghai) alone rewrite its member's record to name org msp, and answers the
// honest record, to restore it with.
func (m *market) nameOrg(t *testing.T, id, msp string) []byte {
	t.Helper()
	key := chaincodetest.Key("participant", id)
	good := m.Net.Ledger().State(key)
	var rec model.Participant
	require.NoError(t, json.Unmarshal(good, &rec))
	rec.MSPID = msp
	m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{key: chaincodetest.JSON(t, rec)}).MustOK(t)
	return good
}

// registeredBefore18 has a majority rewrite participant id's registration as Register wrote it before 18.0.0:
// its enterprise, no org.
func (m *market) registeredBefore18(t *testing.T, id string) {
	t.Helper()
	key := chaincodetest.Key(model.RegisteredKeyType, id)
	var reg map[string]any
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(key), &reg))
	m.Net.SubmitFunc(m.Admin(markettest.Shanghai), func(stub shim.ChaincodeStubInterface) error {
		return stub.PutState(key, []byte(`{"uscc":"`+reg["uscc"].(string)+`"}`))
	}).MustOK(t)
}

// A trade names its seller of the org its registration names (from 18.0.0), or, registered before, of its record's
// only where that org's identity index vouches for it: Shanghai's peers alone rewrite their member's record to
// name Anhui while a trade opens, and the Order is refused (CONFLICT, writing nothing), where before the trade
// named Anhui for good and Shanghai's operator acting for the seller's enterprise resolved its dispute. Restored,
// the record opens trades of Shanghai as before.
func TestTheSellersOrgPicksNoOtherOrgForItsMember(t *testing.T) {
	for name, before18 := range map[string]bool{"registered from 18.0.0": false, "registered before 18.0.0": true} {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			if before18 {
				m.registeredBefore18(t, seller)
			}
			good := m.nameOrg(t, seller, markettest.Anhui)
			m.refuse(t, ledgererr.Conflict, "", buyer, "Order", "T1", useListing)
			m.refuse(t, ledgererr.Conflict, "", buyer2, "Propose", "N1", negListing)

			m.Net.Forge(m.Admin(markettest.Shanghai), chaincodetest.Writes{chaincodetest.Key("participant", seller): good}).MustOK(t)
			r := m.Submit(buyer, "trades:Order", "T1", useListing).MustOK(t)
			assert.Equal(t, markettest.Shanghai, tradeOf(t, r).SellerMSP)
			// The registration is read with the seller's record, in one request; only a seller registered
			// before 18.0.0 costs one more, its identity index entry (Order 31 requests, 32 for it).
			want := 31
			if before18 {
				want = 32
			}
			assert.Len(t, r.Requests, want, "Order's requests: %v", r.Requests)
		})
	}
}

// The seller's org of a round's terms is its registration's (from 18.0.0), or, registered before, its record's
// only where that org's identity index vouches for it: Shanghai's peers alone rewrite their member's record to
// name Anhui, and the buyer still withdraws its staged terms from the Jiangsu/Shanghai collection, and stages
// new ones there, not on Anhui's peers; a record nothing vouches for (before 18.0.0) leaves the listing's org, to
// withdraw from only. Before, TermsOrgs named Anhui: the withdrawal missed the terms, which stayed on
// Shanghai's peers for good, and a staging sent them to Anhui's.
func TestTheSellersOrgPointsNoWithdrawalElsewhere(t *testing.T) {
	for name, before18 := range map[string]bool{"registered from 18.0.0": false, "registered before 18.0.0": true} {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			if before18 {
				m.registeredBefore18(t, seller)
			}
			key := termsKey("N1", negListing, 1, buyer)
			m.StageTerms(buyer, "N1", "1", negListing, markettest.Terms("70000", "a mistake")).MustOK(t)
			require.NotNil(t, m.Net.Ledger().PrivateData(pair, key))

			m.nameOrg(t, seller, markettest.Anhui)
			o := m.orgsOf(t, buyer, "N1", "1", negListing)
			assert.Equal(t, model.TermsOrgs{BuyerMSP: markettest.Jiangsu, SellerMSP: markettest.Shanghai}, o)
			m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:WithdrawTerms", Args: []string{"N1", "1", negListing},
				Endorsers: []string{o.BuyerMSP, o.SellerMSP}}).MustOK(t)
			assert.Nil(t, m.Net.Ledger().PrivateData(pair, key), "the buyer's terms are withdrawn from the seller's org's peers")

			r := m.StageTerms(buyer, "N1", "1", negListing, markettest.Terms("70000", "again"))
			if before18 {
				assert.False(t, r.OK(), "nothing vouches for the record's org: no terms staged with it")
			} else {
				r.MustOK(t)
				assert.NotNil(t, m.Net.Ledger().PrivateData(pair, key), "staged on Jiangsu's and Shanghai's peers")
			}
			assert.Empty(t, m.Net.Ledger().PrivateDataKeys(trades.TermsCollection(markettest.Jiangsu, markettest.Anhui)), "nothing on Anhui's peers")
		})
	}
}

// A seller registered before 18.0.0 whose listing was written before 18.0.0 too: both records are its org's alone.
// Shanghai's peers alone name another org in their member's record (nothing vouches for it), or write bytes there
// that are no participant, and name a third org (Anhui), or one that is none, in the listing's sellerMsp. The
// buyer, of another org or of Shanghai, still learns the orgs holding what it staged (TermsOrgs) and withdraws it
// from there; it stages nothing more, and nothing reaches Anhui's peers. Before, the withdrawal looked in the
// collection of the org the listing named (NOT_FOUND, or INTERNAL for no org) and the terms stayed on Shanghai's
// peers for good.
func TestTheSellersOrgPointsNoWithdrawalAtAThirdOrg(t *testing.T) {
	records := map[string]func(m *market){
		"another org":    func(m *market) { m.nameOrg(t, seller, markettest.Anhui) },
		"no participant": func(m *market) { m.PutBadRecord(t, markettest.Shanghai, seller, `{}`) },
	}
	for record, rewrite := range records {
		for _, named := range []string{markettest.Anhui, "NoSuchMSP"} {
			for _, who := range []string{buyer, localBuyer} {
				t.Run(record+" "+named+" "+who, func(t *testing.T) {
					m := newMarket(t)
					m.registeredBefore18(t, seller)
					m.listedBefore18(t, negListing)
					staged := model.TermsOrgs{BuyerMSP: m.orgsOf(t, who, "N1", "1", negListing).BuyerMSP, SellerMSP: markettest.Shanghai}
					held := trades.TermsCollection(staged.BuyerMSP, staged.SellerMSP)
					key := termsKey("N1", negListing, 1, who)
					m.StageTerms(who, "N1", "1", negListing, markettest.Terms("70000", "a mistake")).MustOK(t)
					require.NotNil(t, m.Net.Ledger().PrivateData(held, key))

					rewrite(m)
					m.Net.Forge(m.As(seller), chaincodetest.Writes{chaincodetest.Key("listing", negListing): rewriteListing(t, m, negListing,
						func(l *model.Listing) { l.SellerMSP = named })}).MustOK(t)

					o := m.orgsOf(t, who, "N1", "1", negListing)
					assert.Equal(t, staged, o, "the orgs holding the buyer's staging")
					m.Net.Invoke(m.As(who), chaincodetest.Call{Function: "trades:WithdrawTerms", Args: []string{"N1", "1", negListing},
						Endorsers: []string{o.BuyerMSP, o.SellerMSP}}).MustOK(t)
					assert.Nil(t, m.Net.Ledger().PrivateData(held, key), "withdrawn from the seller's org's peers")
					assert.Nil(t, m.Net.Ledger().PrivateDataHash(held, key))

					m.Refuse(t, ledgererr.Conflict, "", func() chaincodetest.Result {
						return m.StageTerms(who, "N1", "1", negListing, markettest.Terms("70000", "again"))
					})
					assert.Empty(t, m.Net.Ledger().PrivateDataKeys(trades.TermsCollection(staged.BuyerMSP, markettest.Anhui)), "nothing on Anhui's peers")
				})
			}
		}
	}
}
