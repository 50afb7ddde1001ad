package validate

import (
	"strconv"
	"strings"
	"testing"

	"github.com/deltaledger/deltaledger/model"
)

// FuzzUSCC checks that the validator never panics and that whatever it accepts
// really is a well-formed code whose check character matches.
func FuzzUSCC(f *testing.F) {
	for _, s := range []string{"9144030071526726XG", "91330100799655058B", "91110108551385082Q", "", "ZZZZZZZZZZZZZZZZZZ", "9144030071526726X中"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if USCC("uscc", s) != nil {
			return
		}
		if len(s) != 18 {
			t.Fatalf("accepted %q of length %d", s, len(s))
		}
		sum := 0
		for i := 0; i < 17; i++ {
			sum += strings.IndexByte(usccAlphabet, s[i]) * usccWeights[i]
		}
		if usccAlphabet[(31-sum%31)%31] != s[17] {
			t.Fatalf("accepted %q with a wrong check character", s)
		}
	})
}

// FuzzAmountFen checks that accepted amounts are positive, bounded and print
// back to exactly the input (one spelling per amount).
func FuzzAmountFen(f *testing.F) {
	for _, s := range []string{"1", "1250000", "0", "-1", "007", "1000000000000000", "1000000000000001", "9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := AmountFen("amountFen", s)
		if err != nil {
			return
		}
		if v <= 0 || v > model.MaxAmountFen || strconv.FormatInt(v, 10) != s {
			t.Fatalf("accepted %q as %d", s, v)
		}
	})
}

// FuzzSHA256Hex checks that accepted digests are canonical lowercase hex.
func FuzzSHA256Hex(f *testing.F) {
	f.Add(strings.Repeat("0", 64))
	f.Add(strings.Repeat("F", 64))
	f.Add("xyz")
	f.Fuzz(func(t *testing.T, s string) {
		if SHA256Hex("contentHash", s) != nil {
			return
		}
		if len(s) != 64 || strings.Trim(s, "0123456789abcdef") != "" {
			t.Fatalf("accepted %q", s)
		}
	})
}
