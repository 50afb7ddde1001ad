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

// Items reads the pages in turn, each at the bookmark the one before it
// carried, and returns their items in order.
func TestItems(t *testing.T) {
	pages := map[string]string{
		"":   `{"items":[{"id":"a"},{"id":"b"}],"bookmark":"b1"}`,
		"b1": `{"items":[],"bookmark":"b2"}`,
		"b2": `{"items":[{"id":"c"}],"bookmark":""}`,
	}
	type item struct{ ID string }
	var ids []string
	for _, it := range chaincodetest.Items[item](t, func(bookmark string) chaincodetest.Result {
		return chaincodetest.Result{Payload: []byte(pages[bookmark])}
	}) {
		ids = append(ids, it.ID)
	}
	assert.Equal(t, []string{"a", "b", "c"}, ids)
}
