package trades_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// licenceOfAsset1 is a USE licence the seller offers from the holding of
// asset-1 (L-lic), which a sale or a move of that holding withdraws.
const licenceOfAsset1 = `{"purpose":"credit risk model","regions":["shanghai"],"validUntil":"2028-01-01T00:00:00Z"}`

// pre18Rewrites are what the seller's org alone writes into listing id,
// written before interface 18.0.0 and so under its policy alone: the
// record deleted, another right, SOLD, bytes that are no listing, a last
// change that is no instant or lies far ahead.
var pre18Rewrites = map[string]func(t *testing.T, m *market, id string) []byte{
	"deleted": func(t *testing.T, m *market, id string) []byte { return nil },
	"USE": func(t *testing.T, m *market, id string) []byte {
		return rewriteListing(t, m, id, func(l *model.Listing) { l.RightType = model.RightUse })
	},
	"SOLD": func(t *testing.T, m *market, id string) []byte {
		return rewriteListing(t, m, id, func(l *model.Listing) { l.Status = model.ListingSold })
	},
	"another asset": func(t *testing.T, m *market, id string) []byte {
		return rewriteListing(t, m, id, func(l *model.Listing) { l.AssetID = "asset-2" })
	},
	"no listing": func(t *testing.T, m *market, id string) []byte { return []byte("not json") },
	"updatedAt no instant": func(t *testing.T, m *market, id string) []byte {
		return rewriteListing(t, m, id, func(l *model.Listing) { l.UpdatedAt = "~" })
	},
	"updatedAt far ahead": func(t *testing.T, m *market, id string) []byte {
		return rewriteListing(t, m, id, func(l *model.Listing) { l.UpdatedAt = "9999-12-31T23:59:59Z" })
	},
}

// rewriteListing is listing id's record with change made to it.
func rewriteListing(t *testing.T, m *market, id string, change func(*model.Listing)) []byte {
	t.Helper()
	var l model.Listing
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(chaincodetest.Key("listing", id)), &l))
	change(&l)
	return chaincodetest.JSON(t, l)
}

// closingOf reads listing id's closing, which must exist.
func closingOf(t *testing.T, m *market, id string) model.ListingClosing {
	t.Helper()
	value := m.Net.Ledger().State(chaincodetest.Key(model.ListingClosedKeyType, id))
	require.NotNil(t, value, "listing %s has a closing", id)
	var c model.ListingClosing
	require.NoError(t, json.Unmarshal(value, &c))
	return c
}

// A listing written before interface 18.0.0 stays its seller's org's
// alone. The sale of its holding (each completion) and the holding's
// acceptance read it and checked it: deleted (NOT_FOUND), another right or
// SOLD (CONFLICT), a licence of the asset that is no listing, a last change
// that is no instant (INTERNAL), and that org alone kept the buyer who paid
// from the holding for good. The sale takes the listing's facts from the
// trade, which its opening mark vouches for, and closes it whatever its
// record says; a licence whose record is no listing is passed over; a last
// change that is no instant, or lies further ahead than a stamp may, dates
// nothing.
func TestTheSellersOrgAloneBlocksNoSaleWithItsPre18Listing(t *testing.T) {
	for rewrite := range pre18Rewrites {
		for name, completion := range completions {
			// Every completion takes one path (complete): each is tried on
			// one rewrite, the buyer's Confirm on all.
			if name != "the buyer's Confirm" && rewrite != "no listing" {
				continue
			}
			t.Run(rewrite+" "+name, func(t *testing.T) {
				m := newMarket(t)
				listLicence(t, m)
				m.do(t, buyer2, "Order", "LOSER", holdingListing)
				m.delivered(t, "T1", buyer, holdingListing)
				rewritePre18Listings(t, m, rewrite)

				completion(t, m, "T1", withoutSellers).MustOK(t)
				sale := m.trade(t, "T1")
				assert.Equal(t, model.TradeCompleted, sale.Status)
				sold := closingOf(t, m, holdingListing)
				assert.Equal(t, model.ListingSold, sold.Status)
				assert.Equal(t, "T1", sold.SoldTradeID)
				assert.Equal(t, sale.UpdatedAt, sold.At, "dated at the sale")
				if licenceStaysAnOffer[rewrite] {
					lic := closingOf(t, m, "L-lic")
					assert.Equal(t, model.ListingDelisted, lic.Status)
					assert.Equal(t, sale.UpdatedAt, lic.At, "dated at the sale")
					assert.Equal(t, []string{"L-lic"}, sale.DelistedListingIDs)
				}
				var holder model.Asset
				m.Evaluate(regulator, "assets:Get", "asset-1").Unmarshal(t, &holder)
				assert.Equal(t, buyer, holder.HolderID, "the buyer who paid holds the holding")
				requireClosesOthers(t, m, "T1", "LOSER")
			})
		}
	}
}

// licenceStaysAnOffer are the rewrites after which a licence's record still
// reads as the seller's ACTIVE offer of the asset, which the sale withdraws.
var licenceStaysAnOffer = map[string]bool{"USE": true, "updatedAt no instant": true, "updatedAt far ahead": true}

// listLicence has the seller list a USE licence of asset-1, L-lic.
func listLicence(t *testing.T, m *market) {
	t.Helper()
	m.Submit(seller, "listings:Create", "L-lic", "asset-1", "USE", licenceOfAsset1, "FIXED", "5000", markettest.Hash("t")).MustOK(t)
}

// rewritePre18Listings puts the licence L-lic and the holding's listing
// under the seller's org alone, as a ledger before interface 18.0.0 left
// them, and has that org alone rewrite both as rewrite says.
func rewritePre18Listings(t *testing.T, m *market, rewrite string) {
	t.Helper()
	writes := chaincodetest.Writes{}
	for _, id := range []string{holdingListing, "L-lic"} {
		m.listedBefore18(t, id)
		writes[chaincodetest.Key("listing", id)] = pre18Rewrites[rewrite](t, m, id)
	}
	m.Net.Forge(m.As(seller), writes).MustOK(t)
}

// The same org alone no longer keeps the holding's move either
// (rights:AcceptHolding, which withdraws the former holder's listings of
// the asset), nor, by its HOLDING listing that is no listing, the new
// holder from listing the holding.
func TestTheSellersOrgAloneBlocksNoHoldingMoveWithItsPre18Listing(t *testing.T) {
	for rewrite := range pre18Rewrites {
		t.Run(rewrite, func(t *testing.T) {
			m := newMarket(t)
			listLicence(t, m)
			m.Submit(seller, "rights:TransferHolding", "asset-1", holderOnly, "merger").MustOK(t)
			rewritePre18Listings(t, m, rewrite)

			m.Net.Invoke(m.As(holderOnly), chaincodetest.Call{Function: "rights:AcceptHolding", Args: []string{"asset-1"},
				PeerMSP: withoutSellers[0], Endorsers: withoutSellers}).MustOK(t)
			var asset model.Asset
			m.Evaluate(regulator, "assets:Get", "asset-1").Unmarshal(t, &asset)
			assert.Equal(t, holderOnly, asset.HolderID)
			m.Submit(holderOnly, "listings:Create", "L-new", "asset-1", "HOLDING", "", "FIXED", "1100000", markettest.Hash("t")).MustOK(t)
		})
	}
}

// After a sale closed the listing it sold, written before interface
// 18.0.0, that listing's seller's org alone rewrote its record (another
// asset, no listing, deleted) and CloseOthers, which compared the record
// with the sale, was refused (CONFLICT, INTERNAL, NOT_FOUND): the other
// buyers' orders on it stayed open until they lapsed. It compares the
// listing's closing, which a majority alone writes.
func TestTheSellersOrgAloneStopsNoCloseOthers(t *testing.T) {
	for _, rewrite := range []string{"another asset", "no listing", "deleted"} {
		t.Run(rewrite, func(t *testing.T) {
			m := newMarket(t)
			m.Submit(seller, "listings:Create", "L-lic", "asset-1", "USE", licenceOfAsset1, "FIXED", "5000", markettest.Hash("t")).MustOK(t)
			for _, id := range []string{holdingListing, "L-lic"} {
				m.listedBefore18(t, id)
			}
			m.do(t, buyer2, "Order", "LOSER", holdingListing)
			m.do(t, localBuyer, "Order", "LOSER2", "L-lic")
			m.delivered(t, "T1", buyer, holdingListing)
			m.Net.Invoke(m.As(buyer), chaincodetest.Call{Function: "trades:Confirm", Args: []string{"T1"},
				PeerMSP: withoutSellers[0], Endorsers: withoutSellers}).MustOK(t)
			writes := chaincodetest.Writes{}
			for _, id := range []string{holdingListing, "L-lic"} {
				writes[chaincodetest.Key("listing", id)] = pre18Rewrites[rewrite](t, m, id)
			}
			m.Net.Forge(m.As(seller), writes).MustOK(t)

			requireClosesOthers(t, m, "T1", "LOSER", "LOSER2")
			assert.Equal(t, model.TradeCancelled, m.trade(t, "LOSER").Status)
		})
	}
}

// A sale completed before interface 18.0.0 wrote its listings' records (the
// sold one SOLD to it, its licences DELISTED), not closings: CloseOthers
// still closes the orders that waited on them, holding each listing that
// has no closing to its record as before.
func TestASaleBefore18StillClosesOthers(t *testing.T) {
	m := newMarket(t)
	m.Submit(seller, "listings:Create", "L-lic", "asset-1", "USE", licenceOfAsset1, "FIXED", "5000", markettest.Hash("t")).MustOK(t)
	m.do(t, buyer2, "Order", "LOSER", holdingListing)
	m.do(t, localBuyer, "Order", "LOSER2", "L-lic")
	m.delivered(t, "T1", buyer, holdingListing)
	m.do(t, buyer, "Confirm", "T1")
	// As a sale before 18.0.0 left them: the records closed, no closing.
	writes := chaincodetest.Writes{}
	for id, status := range map[string]string{holdingListing: model.ListingSold, "L-lic": model.ListingDelisted} {
		c := closingOf(t, m, id)
		writes[chaincodetest.Key("listing", id)] = rewriteListing(t, m, id, c.Close)
		writes[chaincodetest.Key(model.ListingClosedKeyType, id)] = nil
		require.Equal(t, status, c.Status)
	}
	m.Net.Forge(m.As(seller), writes, markettest.Orgs...).MustOK(t)

	requireClosesOthers(t, m, "T1", "LOSER", "LOSER2")
}
