package markettest

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
)

// Salt is the client randomness of every offer the tests make with Terms.
const Salt = "5a1f0c9e3b7d2a6f8e4c1b0d9a7f3e2c5b8d1a4f7e0c3b6d9a2f5e8c1b4d7a0f"

// Terms is the transient data of StageTerms: priceFen is written into the
// JSON as it is (a JSON integer such as 70000, or left out when ""), then
// the conditions and Salt.
func Terms(priceFen, conditions string) map[string][]byte {
	c, err := json.Marshal(conditions)
	if err != nil {
		panic(err)
	}
	price := ""
	if priceFen != "" {
		price = `"priceFen":` + priceFen + `,`
	}
	return map[string][]byte{model.TransientTermsKey: []byte(`{` + price + `"conditions":` + string(c) + `,"salt":"` + Salt + `"}`)}
}

// Payment is the transient data of RecordPayment: the amount paid.
func Payment(amountFen string) map[string][]byte {
	return map[string][]byte{model.TransientAmountKey: []byte(amountFen)}
}

// StageTerms submits trades:StageTerms as participant id: its terms for
// round of trade tradeID on listingID (which round 1 needs), endorsed as
// the Fabric Gateway plans it: by the orgs of the collection it writes,
// the buyer's and the seller's, alone.
func (m *Market) StageTerms(id, tradeID, round, listingID string, terms map[string][]byte) chaincodetest.Result {
	return m.SubmitWith(id, terms, "trades:StageTerms", tradeID, round, listingID)
}

// Offer makes an offer with terms as a client must: id stages them
// (StageTerms, which must succeed), then submits the public step without
// them and returns its result: trades:Order or trades:Propose (tradeID,
// listingID) for round 1, trades:Counter (tradeID) for the trade's next
// round.
func (m *Market) Offer(t testing.TB, id string, terms map[string][]byte, function string, args ...string) chaincodetest.Result {
	t.Helper()
	tradeID, round, listingID := args[0], "1", ""
	if len(args) > 1 {
		listingID = args[1]
	} else {
		var tr model.Trade
		m.Evaluate(id, "trades:Get", tradeID).Unmarshal(t, &tr)
		round = strconv.Itoa(len(tr.Offers) + 1)
	}
	m.StageTerms(id, tradeID, round, listingID, terms).MustOK(t)
	return m.Submit(id, function, args...)
}
