package validate

import (
	"strings"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// usccAlphabet is the character set of the Unified Social Credit Code
// (GB 32100-2015): digits and capital letters without I, O, S, V and Z. A
// character's position in it is its value.
const usccAlphabet = model.USCCAlphabet

// usccWeights are 3^i mod 31 for positions 1..17, as the standard defines.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCC checks an enterprise's Unified Social Credit Code: 18 characters of
// the code's alphabet whose last character is the check character of the
// first seventeen.
func USCC(field, s string) error {
	if len(s) != 18 {
		return ledgererr.Invalid(field, "must be an 18-character Unified Social Credit Code, got %d characters", len(s))
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(usccAlphabet, s[i])
		if v < 0 {
			return ledgererr.Invalid(field, "character %d (%q) is not in the USCC alphabet 0-9 A-Y without I, O, S, V, Z", i+1, clip(s[i:i+1]))
		}
		if i < 17 {
			sum += v * usccWeights[i]
		}
	}
	if want := usccAlphabet[(31-sum%31)%31]; s[17] != want {
		return ledgererr.Invalid(field, "check character is %q, the code's first 17 characters require %q", s[17], want)
	}
	return nil
}
