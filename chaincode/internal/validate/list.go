package validate

import (
	"slices"
	"strconv"
	"strings"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// List splits s, a comma-separated list argument ("" for none), and checks
// each item with check under the name field[i], each named once. A list of
// more than max items is refused by tooMany, given their number, counted
// before the split, so that an oversized argument is refused before it is
// copied.
func List(field, s string, max int, tooMany func(n int) error, check func(item, v string) error) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	if n := strings.Count(s, ",") + 1; n > max {
		return nil, tooMany(n)
	}
	items := strings.Split(s, ",")
	for i, v := range items {
		item := field + "[" + strconv.Itoa(i) + "]"
		if err := check(item, v); err != nil {
			return nil, err
		}
		if slices.Contains(items[:i], v) {
			return nil, ledgererr.Invalid(item, "names %q twice", v)
		}
	}
	return items, nil
}
