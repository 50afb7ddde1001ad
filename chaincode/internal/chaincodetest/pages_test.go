package chaincodetest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

// EachPage hands each page's bookmark to the next read, and stops after the
// read that returns none.
func TestEachPage(t *testing.T) {
	next := map[string]string{"": "b1", "b1": "b2", "b2": ""}
	var read []string
	chaincodetest.EachPage(func(bookmark string) string {
		read = append(read, bookmark)
		return next[bookmark]
	})
	assert.Equal(t, []string{"", "b1", "b2"}, read)
}
