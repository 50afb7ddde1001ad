package trades_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// A trade a sale beat before interface 10.0.0 was closed with a note naming
// the sale. Such records stay on the ledger: the note names the sale only to
// who may read it (the seller, the regulator, the sale's region's operator)
// and reads as a sale's note does since to the loser's buyer, through
// trades:Get, trades:GetReadable and the lists, which read the sale's key
// for it neither; a transaction that writes the trade, whose
// record its submitter receives, stores it so.
func TestAnOrderClosedBeforeTenNamesTheSaleOnlyToWhoMayReadIt(t *testing.T) {
	const sale, lost = "N-SALE", "N-LOST"
	m := newMarket(t)
	m.offer(t, buyer, markettest.Terms("1900000", ""), "Propose", sale, holdingNeg)
	m.offer(t, buyer2, markettest.Terms("1950000", ""), "Propose", lost, holdingNeg)
	m.do(t, seller, "AcceptOffer", sale)
	m.doWith(t, buyer, markettest.Payment("1900000"), "RecordPayment", sale, "BANK-1")
	m.do(t, seller, "Deliver", sale, markettest.Hash("delivery"))
	m.do(t, buyer, "Confirm", sale)
	m.Submit(seller, "trades:CloseOthers", sale, "").MustOK(t)

	now := fmt.Sprintf("closed: the holding of asset %q was sold", "asset-3")
	legacy := fmt.Sprintf("closed: the holding of asset %q was sold in trade %q", "asset-3", sale)
	stored := m.storedTrade(t, lost)
	require.Equal(t, now, stored.Timeline[len(stored.Timeline)-1].Note)
	stored.Timeline[len(stored.Timeline)-1].Note = legacy
	m.plantTrade(t, stored)

	note := func(who string) string {
		var tr model.Trade
		m.Evaluate(who, "trades:Get", lost).Unmarshal(t, &tr)
		return tr.Timeline[len(tr.Timeline)-1].Note
	}
	for _, who := range []string{seller, regulator, operator} {
		assert.Equal(t, legacy, note(who), who)
	}
	assert.Equal(t, now, note(buyer2))
	for _, r := range []chaincodetest.Result{
		m.Evaluate(buyer2, "trades:Get", lost),
		m.Evaluate(buyer2, "trades:ListByParticipant", buyer2, "", ""),
		m.Evaluate(buyer2, "trades:GetReadable", lost),
	} {
		assert.NotContains(t, string(r.MustOK(t).Payload), sale, "the loser's buyer may not read the sale")
		assert.NotContains(t, r.Reads, chaincodetest.Key("trade", sale), "nor is the sale's key in its read set (assets.Named)")
	}
	var listed model.TradePage
	m.Evaluate(seller, "trades:ListByListing", holdingNeg, "", "").Unmarshal(t, &listed)
	require.Len(t, listed.Items, 2)
	assert.Equal(t, legacy, listed.Items[0].Timeline[len(stored.Timeline)-1].Note, "the seller may read the sale")
	var readable model.ReadableTrades
	m.Evaluate(seller, "trades:GetReadable", lost).Unmarshal(t, &readable)
	require.Len(t, readable.Items, 1)
	assert.Equal(t, legacy, readable.Items[0].Timeline[len(stored.Timeline)-1].Note, "GetReadable shows the notes as trades:Get does")

	r := m.Submit(buyer2, "trades:RequestPurge", lost).MustOK(t)
	assert.NotContains(t, string(r.Payload), sale)
	assert.Equal(t, now, m.storedTrade(t, lost).Timeline[len(stored.Timeline)-1].Note, "the record written, which its submitter receives")
}

// storedTrade reads a trade's record as the ledger holds it.
func (m *market) storedTrade(t *testing.T, id string) *model.Trade {
	t.Helper()
	var tr model.Trade
	require.NoError(t, json.Unmarshal(m.Net.Ledger().State(chaincodetest.Key("trade", id)), &tr))
	return &tr
}

// plantTrade writes trade record tr as an earlier chaincode wrote it,
// endorsed by its parties' orgs, as its key requires.
func (m *market) plantTrade(t *testing.T, tr *model.Trade) {
	t.Helper()
	m.Net.Forge(m.Admin(tr.SellerMSP), chaincodetest.Writes{chaincodetest.Key("trade", tr.ID): chaincodetest.JSON(t, tr)}, tr.BuyerMSP, tr.SellerMSP).MustOK(t)
}
