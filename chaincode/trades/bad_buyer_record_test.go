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

// badBuyerRecords are what buyer2's org (Anhui) alone may write into its member's participant record: bytes that
// are no participant (markettest.BadRecords), or its record with a USCC no key can hold.
func badBuyerRecords(t *testing.T, m *market) map[string][]byte {
	records := map[string][]byte{}
	for name, bad := range markettest.BadRecords(buyer2, "buyer") {
		records[name] = []byte(bad)
	}
	var p model.Participant
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(chaincodetest.Key("participant", buyer2)), &p))
	p.USCC = "91310000MA1FL0000\x00"
	records["a USCC no key holds"] = chaincodetest.JSON(t, p)
	return records
}

// Every step that moves an open trade on brings its buyer enterprise's open-trade entry in line (syncOpen), whose
// key names the enterprise its buyer's record names: bytes the buyer's org alone wrote there failed it (INTERNAL,
// INVALID_ARGUMENT), and that org kept, for good, the seller from rejecting its member's order, anyone from
// expiring it, and the sale's seller from closing the other buyers' orders on the sold listing (CloseOthers). Such
// a buyer's entry is left alone (it bars its enterprise until its deadline only) and the steps go on.
func TestTheBuyersOrgAloneFailsNoStepOfAnotherOnItsMembersOrder(t *testing.T) {
	for name := range badBuyerRecords(t, newMarket(t)) {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			m.do(t, buyer2, "Order", "T-REJ", useListing)
			m.do(t, buyer2, "Order", "LOSER", holdingListing)
			m.delivered(t, "T1", buyer, holdingListing)
			m.do(t, buyer, "Confirm", "T1")
			key := chaincodetest.Key("participant", buyer2)
			m.Net.Forge(m.Admin(markettest.Anhui), chaincodetest.Writes{key: badBuyerRecords(t, m)[name]}).MustOK(t) // Anhui's alone

			assert.Equal(t, model.TradeRejected, m.do(t, seller, "Reject", "T-REJ", "not for you").Status)
			var closed model.ClosedTrades
			m.Submit(seller, "trades:CloseOthers", "T1", "").Unmarshal(t, &closed)
			assert.Equal(t, []string{"LOSER"}, closed.TradeIDs)
		})
	}
}
