package trades_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// pointAtPromise opens a negotiation N1 between Shanghai's members (under
// "Shanghai, or a majority") and has Shanghai alone rewrite it to name the
// promise record of trade of: its asset, its seller and the transaction
// that opened it, all public, the last among no facts of N1's opening mark.
func (m *market) pointAtPromise(t *testing.T, of *model.Trade) {
	t.Helper()
	m.offer(t, localBuyer, markettest.Terms("70000", "x"), "Propose", "N1", negListing)
	forged := *m.trade(t, "N1")
	forged.AssetID, forged.SellerID, forged.Timeline[0].TxID = of.AssetID, of.SellerID, of.Timeline[0].TxID
	m.rewriteAlone(t, &forged).MustOK(t)
}

// cancelPointedAt has Shanghai point N1 at the promise of trade tradeID on
// asset assetID (pointAtPromise) and its buyer cancel N1, endorsed by a
// majority without Shanghai, and asserts that the promise is unchanged.
func (m *market) cancelPointedAt(t *testing.T, assetID, tradeID string) {
	t.Helper()
	key := m.promiseKey(t, assetID, tradeID)
	promise := m.Net.Ledger().State(key)
	require.NotNil(t, promise)
	m.pointAtPromise(t, m.trade(t, tradeID))
	m.by(localBuyer, withoutShanghai, nil, "Cancel", "N1", "changed plans").MustOK(t)
	assert.Equal(t, promise, m.Net.Ledger().State(key), "another trade's promise is left alone")
	assert.Equal(t, model.TradeCancelled, m.trade(t, "N1").Status)
}

// A NEGOTIABLE trade between one org's members is that org's alone to
// rewrite. Shanghai pointed its members' negotiation at the promise of a
// licence Jiangsu's buyer paid Shanghai's seller for, and the negotiation's
// honest Cancel, endorsed by a majority without Shanghai, deleted that
// promise: the seller then gave its holding away and the paid licence never
// conveyed. The end of a trade now deletes only a record that names it.
func TestOneOrgAloneDropsNoOtherTradesPromise(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, useListing)
	m.cancelPointedAt(t, "asset-2", "T1")
	m.Refuse(t, ledgererr.Conflict, "", m.transfer)
	m.do(t, buyer, "Confirm", "T1")
	assert.Equal(t, model.TradeCompleted, m.trade(t, "T1").Status)
}

// The promise of a FIXED trade between Shanghai's members is under a
// majority alone (18.0.0), so Shanghai writes it no more, nor does it
// delete it through a negotiation of its members that names it.
func TestOneOrgAloneDropsNoPromiseOfItsMembersFixedTrade(t *testing.T) {
	m := newMarket(t)
	m.do(t, localBuyer, "Order", "F1", useListing)
	m.do(t, seller, "Accept", "F1")
	m.cancelPointedAt(t, "asset-2", "F1")
	m.Refuse(t, ledgererr.Conflict, "", m.transfer) // the holding stays behind the accepted licence trade
}

// Nor does Shanghai reach the promise of a trade between a Jiangsu holder
// and an Anhui buyer, of which it is no party.
func TestOneOrgAloneDropsNoPromiseOfATradeBetweenTwoOtherOrgs(t *testing.T) {
	m := newMarket(t)
	m.RegisterAsset(t, holderOnly, foreignOp, "asset-9", "finance", "jiangsu")
	m.Submit(holderOnly, "listings:Create", "L-9", "asset-9", "USE", useScope, "FIXED", "50000", markettest.Hash("t")).MustOK(t)
	m.do(t, buyer2, "Order", "T9", "L-9")
	m.do(t, holderOnly, "Accept", "T9")
	m.cancelPointedAt(t, "asset-9", "T9")
	assert.Equal(t, model.TradeAccepted, m.trade(t, "T9").Status)
}

// The opening mark does not cover the transaction that opened the trade,
// so the acceptance of Shanghai's rewritten negotiation rewrote another
// trade's accepted promise as its own. It is now refused, saying why, and
// changes nothing.
func TestAnAcceptanceTakesNoOtherTradesPromise(t *testing.T) {
	m := newMarket(t)
	m.do(t, buyer, "Order", "T1", useListing)
	m.do(t, seller, "Accept", "T1")
	key := m.promiseKey(t, "asset-2", "T1")
	promise := m.Net.Ledger().State(key)

	m.pointAtPromise(t, m.trade(t, "T1"))
	m.refuse(t, ledgererr.Conflict, "", seller, "AcceptOffer", "N1")
	assert.Contains(t, m.Submit(seller, "trades:AcceptOffer", "N1").Message,
		`the promise record that trade "N1" names is not its own (another trade's, or no promise): it cannot be accepted`)
	assert.Equal(t, promise, m.Net.Ledger().State(key))
	assert.Equal(t, model.TradeNegotiating, m.trade(t, "N1").Status)
}

// A licence trade's promise record is under the trade's policy: Shanghai's alone for a negotiation between its
// members, and for a FIXED order between them opened before 18.0.0. Bytes it writes there that are no promise
// record are no promise of the trade: its end, endorsed by a majority without Shanghai, ends it (it was INTERNAL,
// and the trade never ended), its acceptance is refused (CONFLICT, as for another trade's record, where it was
// INTERNAL), and the seller's holding is promised to nothing.
func TestAPromiseRecordThatIsNoneFailsNoTradesEnd(t *testing.T) {
	opens := map[string]func(m *market) string{
		"a negotiation": func(m *market) string {
			m.offer(t, localBuyer, markettest.Terms("70000", "x"), "Propose", "N1", negListing)
			return "N1"
		},
		"an accepted FIXED order before 18.0.0": func(m *market) string {
			m.do(t, localBuyer, "Order", "F1", useListing)
			m.openedBefore18(t, "F1", markettest.Orgs)
			m.do(t, seller, "Accept", "F1")
			return "F1"
		},
	}
	for name, open := range opens {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			id := open(m)
			key := m.promiseKey(t, "asset-2", id)
			require.NotNil(t, m.Net.Ledger().State(key))
			m.Net.PutAlone(m.Admin(markettest.Shanghai), key, []byte("not json")).MustOK(t)

			if id == "N1" {
				m.refuse(t, ledgererr.Conflict, "", seller, "AcceptOffer", id)
			}
			m.by(localBuyer, withoutShanghai, nil, "Cancel", id, "changed plans").MustOK(t)
			assert.Equal(t, model.TradeCancelled, m.trade(t, id).Status)
			m.transfer().MustOK(t)
		})
	}
}
