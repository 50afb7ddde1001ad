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

// peerBatch is the number of results a peer sends the chaincode in each
// answer to a range query that is not paginated (the QueryResponseGenerator's
// MaxResultLimit of Fabric's chaincode support).
const peerBatch = 100

// rangeIterator iterates over the results of a range query as a peer serves
// them: in batches of peerBatch, the next fetched only when the chaincode
// asks past the last. The peer reads each batch from its snapshot and the
// one result after it (held for the next batch) and records every key it
// reads in the transaction's read set, so a chaincode that stops early has
// read only the batches it reached, not the whole range (read).
type rangeIterator struct {
	resultIterator[*queryresult.KV]
	sent int
	read func(results []*queryresult.KV)
}

func newRangeIterator(results []*queryresult.KV, read func([]*queryresult.KV)) *rangeIterator {
	it := &rangeIterator{resultIterator: resultIterator[*queryresult.KV]{results: results}, read: read}
	it.fetch()
	return it
}

// fetch has the peer send the next batch, reading it and the result after it.
func (it *rangeIterator) fetch() {
	from := min(it.sent+1, len(it.results))
	if it.sent == 0 {
		from = 0
	}
	it.sent = min(it.sent+peerBatch, len(it.results))
	it.read(it.results[from:min(it.sent+1, len(it.results))])
}

// HasNext reports whether Next has another result to return, fetching the
// next batch when the chaincode has taken every result of the last.
func (it *rangeIterator) HasNext() bool {
	if it.next == it.sent && it.sent < len(it.results) {
		it.fetch()
	}
	return it.resultIterator.HasNext()
}

// Next returns the next result, or the shim's error once there are none.
func (it *rangeIterator) Next() (*queryresult.KV, error) {
	if !it.HasNext() {
		return nil, errors.New("no such key")
	}
	return it.resultIterator.Next()
}
