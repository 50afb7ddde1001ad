package subsets

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCombinationsInOrderOfPositions(t *testing.T) {
	items := []string{"a", "b", "c", "d"}
	assert.Equal(t, [][]string{{}}, slices.Collect(Combinations(items, 0)))
	assert.Equal(t, [][]string{{"a"}, {"b"}, {"c"}, {"d"}}, slices.Collect(Combinations(items, 1)))
	assert.Equal(t, [][]string{{"a", "b"}, {"a", "c"}, {"a", "d"}, {"b", "c"}, {"b", "d"}, {"c", "d"}}, slices.Collect(Combinations(items, 2)))
	assert.Equal(t, [][]string{{"a", "b", "c", "d"}}, slices.Collect(Combinations(items, 4)))
	assert.Empty(t, slices.Collect(Combinations(items, 5)))
}

func TestCombinationsStopWhenAsked(t *testing.T) {
	var seen [][]string
	for c := range Combinations([]string{"a", "b", "c"}, 2) {
		seen = append(seen, c)
		if c[1] == "c" {
			break
		}
	}
	assert.Equal(t, [][]string{{"a", "b"}, {"a", "c"}}, seen)
}

func TestIncludes(t *testing.T) {
	assert.True(t, Includes([]string{"a", "b"}, nil))
	assert.True(t, Includes([]string{"a", "b", "c"}, []string{"c", "a"}))
	assert.False(t, Includes([]string{"a", "b"}, []string{"a", "d"}))
}
