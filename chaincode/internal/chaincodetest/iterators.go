package chaincodetest

import (
	"errors"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
)

var (
	_ shim.StateQueryIteratorInterface   = (*resultIterator[*queryresult.KV])(nil)
	_ shim.HistoryQueryIteratorInterface = (*resultIterator[*queryresult.KeyModification])(nil)
)

// resultIterator iterates over the results of a query, fixed when the query
// ran: commits that come later do not change them. On a peer the results
// come from a LevelDB snapshot in batches; here they are all fetched at
// once, which chaincode cannot tell apart.
type resultIterator[T any] struct {
	results []T
	next    int
}

func newResultIterator[T any](results []T) *resultIterator[T] {
	return &resultIterator[T]{results: results}
}

// HasNext reports whether Next has another result to return.
func (it *resultIterator[T]) HasNext() bool {
	return it.next < len(it.results)
}

// Next returns the next result, or the shim's error once there are none.
func (it *resultIterator[T]) Next() (T, error) {
	if !it.HasNext() {
		var none T
		return none, errors.New("no such key")
	}
	result := it.results[it.next]
	it.next++
	return result, nil
}

// Close releases the iterator. Results already fetched stay readable, as
// with the shim's iterators, which cache the current batch.
func (it *resultIterator[T]) Close() error {
	return nil
}
