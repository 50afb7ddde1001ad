// Package subsets is the one enumeration of the k-element subsets of a list
// and the one subset test, for the two places that look for the sets of orgs
// that can endorse a transaction: model.Endorsement.Sufficient, which tells
// a client the sets the chaincode's endorsement rule accepts, and the
// in-memory peer of the chaincode tests, which plans endorsers as the Fabric
// Gateway does.
package subsets

import (
	"iter"
	"slices"
)

// Combinations yields each k-element subset of items, each in the order of
// items, in lexicographic order of their positions (for a, b, c and k = 2:
// ab, ac, bc). Each subset yielded is a slice of its own, free to keep. A k
// of 0 yields the empty subset once; a k larger than len(items), none.
func Combinations[T any](items []T, k int) iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		combination := make([]T, 0, k)
		var extend func(from int) bool
		extend = func(from int) bool {
			if len(combination) == k {
				return yield(slices.Clone(combination))
			}
			for i := from; i <= len(items)-(k-len(combination)); i++ {
				combination = append(combination, items[i])
				if !extend(i + 1) {
					return false
				}
				combination = combination[:len(combination)-1]
			}
			return true
		}
		extend(0)
	}
}

// Includes reports whether every element of sub is in set.
func Includes[T comparable](set, sub []T) bool {
	for _, x := range sub {
		if !slices.Contains(set, x) {
			return false
		}
	}
	return true
}
