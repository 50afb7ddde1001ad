package index

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// A price is a JSON integer; a record from the chain's earlier blocks, where
// the chaincode wrote it as a decimal string, is read as the same amount
// (TestReplayOfRecordedBlocks replays such blocks from a real channel), and
// a price that is neither is undecodable.
func TestPricedRecordsOfEitherFormat(t *testing.T) {
	for _, raw := range []string{`{"id":"l1","priceFen":4200,"status":"ACTIVE"}`, `{"id":"l1","priceFen":"4200","status":"ACTIVE"}`} {
		var l model.Listing
		require.NoError(t, decodePriced([]byte(raw), &l), raw)
		assert.Equal(t, model.Listing{ID: "l1", PriceFen: 4200, Status: "ACTIVE"}, l, raw)
	}
	for _, raw := range []string{`{"id":"l1","priceFen":"42.00"}`, `{"id":"l1","priceFen":true}`, `{"id":"l1","priceFen":42.5}`, `{"id":`} {
		var l model.Listing
		assert.True(t, errors.Is(decodePriced([]byte(raw), &l), errUndecodable), raw)
	}
}
