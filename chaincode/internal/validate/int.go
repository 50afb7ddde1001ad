package validate

import (
	"strconv"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// IntRange parses a whole number from min to max written in plain decimal:
// digits only, no sign, no leading zeros, so that each value has one
// spelling.
func IntRange(field, s string, min, max int) (int, error) {
	bad := s == "" || len(s) > 18 || (s[0] == '0' && len(s) > 1)
	for i := 0; i < len(s) && !bad; i++ {
		bad = s[i] < '0' || s[i] > '9'
	}
	if !bad {
		if v, err := strconv.Atoi(s); err == nil && v >= min && v <= max {
			return v, nil
		}
	}
	return 0, ledgererr.Invalid(field, "must be a whole number from %d to %d, got %q", min, max, clip(s))
}
