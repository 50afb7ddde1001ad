package wire

import (
	"github.com/deltaledger/deltaledger/model"
)

// PublishedBody answers a publication: the committed transaction and the
// publication record it wrote.
type PublishedBody struct {
	TransactionID string            `json:"transaction_id"`
	BlockNumber   uint64            `json:"block_number"`
	Result        model.Publication `json:"result"`
}
