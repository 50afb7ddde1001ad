package trades

import (
	"encoding/json"
	"testing"

	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
)

// FuzzParseTerms checks that the transient terms parser never panics, and
// that whatever it accepts is well formed: a canonical positive price (none
// in the terms of an order on a FIXED listing), valid conditions and a hex salt of 16 to 64 bytes,
// which survive a round trip through the stored record unchanged.
func FuzzParseTerms(f *testing.F) {
	salt := "5a1f0c9e3b7d2a6f8e4c1b0d9a7f3e2c"
	f.Add(`{"priceFen":70000,"conditions":"monthly refresh","salt":"`+salt+`"}`, false)
	f.Add(`{"priceFen":70000,"conditions":"monthly refresh","salt":"`+salt+`"}`, true)
	f.Add(`{"conditions":"x","salt":"`+salt+`"}`, true)
	f.Add(`{"priceFen":"70000","salt":"`+salt+`"}`, false)
	f.Add(`{"priceFen":7e4,"salt":"`+salt+`"}`, false)
	f.Add(`{"priceFen":-1,"salt":"`+salt+`"}`, false)
	f.Add(`{"priceFen":1,"salt":"`+salt+`","extra":1}`, false)
	f.Add(`{"priceFen":1,"salt":"`+salt+`"}{}`, true)
	f.Add(`[`, true)
	f.Fuzz(func(t *testing.T, raw string, fixed bool) {
		in, err := parseTerms([]byte(raw), fixed)
		if err != nil {
			return
		}
		if fixed && in.PriceFen != 0 {
			t.Fatalf("accepted price %d in a FIXED order's terms", in.PriceFen)
		}
		if !fixed && validate.Amount("priceFen", in.PriceFen) != nil {
			t.Fatalf("accepted price %d", in.PriceFen)
		}
		if checkSalt("salt", in.Salt) != nil || validate.OptionalText("conditions", in.Conditions, model.MaxTermsConditionsLength) != nil {
			t.Fatalf("accepted %+v", in)
		}
		b, err := json.Marshal(model.Terms{TradeID: "T1", Round: 1, By: "p", PriceFen: in.PriceFen, Conditions: in.Conditions, Salt: in.Salt})
		if err != nil {
			t.Fatal(err)
		}
		var back model.Terms
		if err := json.Unmarshal(b, &back); err != nil || back.PriceFen != in.PriceFen || back.Conditions != in.Conditions || back.Salt != in.Salt {
			t.Fatalf("stored terms do not round-trip: %q", b)
		}
	})
}
