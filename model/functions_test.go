package model_test

import (
	"iter"

	"github.com/deltaledger/deltaledger/model"
)

// everyFunction yields every function of every contract, in the contracts'
// order, for the tests that hold each declaration to a rule.
func everyFunction() iter.Seq[model.Function] {
	return func(yield func(model.Function) bool) {
		for _, c := range model.Contracts() {
			for _, f := range c.Functions {
				if !yield(f) {
					return
				}
			}
		}
	}
}
