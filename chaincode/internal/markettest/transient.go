package markettest

import (
	"encoding/json"

	"github.com/deltaledger/deltaledger/model"
)

// Salt is the client randomness of every offer the tests make with Terms.
const Salt = "5a1f0c9e3b7d2a6f8e4c1b0d9a7f3e2c5b8d1a4f7e0c3b6d9a2f5e8c1b4d7a0f"

// Terms is the transient data of an offer (Order, Propose, Counter,
// StageTerms): priceFen is written into the JSON as it is (a JSON integer
// such as 70000, or left out when ""), then the conditions and Salt.
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
