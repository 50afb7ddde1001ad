package chaincodetest

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// The LevelDB state database's answers to rich queries.
var (
	errRichQuery          = errors.New("ExecuteQuery not supported for leveldb")
	errRichQueryPaginated = errors.New("ExecuteQueryWithMetadata not supported for leveldb")
)

// GetStateByRange returns the committed simple keys in [startKey, endKey) in
// byte order; an empty startKey or endKey leaves that end open. Composite
// keys are never included, and the bounds must not be composite keys.
func (s *Stub) GetStateByRange(startKey, endKey string) (shim.StateQueryIteratorInterface, error) {
	startKey, err := simpleKeyRange(startKey, endKey)
	if err != nil {
		return nil, err
	}
	it, _, err := s.rangeQuery(startKey, endKey, nil)
	return it, err
}

// GetStateByRangeWithPagination returns one page of GetStateByRange: at most
// pageSize keys, starting at bookmark if it is not empty. The returned
// metadata holds the number of keys fetched and the bookmark to pass for the
// next page, which is the first key not returned, or "" when no keys remain.
//
// As on the peer, a pageSize of 0 with an empty bookmark is no pagination at
// all (every key is returned and the metadata is empty), a pageSize of 0 or
// less with a bookmark returns every key from the bookmark on, and the
// transaction must not write before or after a paginated query.
func (s *Stub) GetStateByRangeWithPagination(startKey, endKey string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	startKey, err := simpleKeyRange(startKey, endKey)
	if err != nil {
		return nil, nil, err
	}
	return s.rangeQuery(startKey, endKey, &peer.QueryMetadata{PageSize: pageSize, Bookmark: bookmark})
}

// GetStateByPartialCompositeKey returns the committed composite keys that
// begin with objectType and the given attributes, in byte order.
func (s *Stub) GetStateByPartialCompositeKey(objectType string, keys []string) (shim.StateQueryIteratorInterface, error) {
	startKey, endKey, err := partialCompositeKeyRange(objectType, keys)
	if err != nil {
		return nil, err
	}
	it, _, err := s.rangeQuery(startKey, endKey, nil)
	return it, err
}

// GetStateByPartialCompositeKeyWithPagination returns one page of
// GetStateByPartialCompositeKey, paginated like
// GetStateByRangeWithPagination.
func (s *Stub) GetStateByPartialCompositeKeyWithPagination(objectType string, keys []string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	startKey, endKey, err := partialCompositeKeyRange(objectType, keys)
	if err != nil {
		return nil, nil, err
	}
	return s.rangeQuery(startKey, endKey, &peer.QueryMetadata{PageSize: pageSize, Bookmark: bookmark})
}

// GetAllStatesCompositeKeyWithPagination returns one page of all committed
// composite keys, paginated like GetStateByRangeWithPagination.
func (s *Stub) GetAllStatesCompositeKeyWithPagination(pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	startKey := compositeKeyNamespace
	endKey := compositeKeyNamespace + string(maxUnicodeRune)
	return s.rangeQuery(startKey, endKey, &peer.QueryMetadata{PageSize: pageSize, Bookmark: bookmark})
}

// GetQueryResult fails: rich queries need CouchDB, and the network's peers
// use LevelDB.
func (s *Stub) GetQueryResult(query string) (shim.StateQueryIteratorInterface, error) {
	return nil, s.onPeer(peer.ChaincodeMessage_GET_QUERY_RESULT, func() error { return errRichQuery })
}

// GetQueryResultWithPagination fails: rich queries need CouchDB, and the
// network's peers use LevelDB.
func (s *Stub) GetQueryResultWithPagination(query string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	return nil, nil, s.onPeer(peer.ChaincodeMessage_GET_QUERY_RESULT, func() error { return errRichQueryPaginated })
}

// GetHistoryForKey returns the committed modifications of key, newest first,
// as Fabric 2.0 and later do. Each carries its transaction's ID and
// timestamp; a delete has IsDelete set and no value.
func (s *Stub) GetHistoryForKey(key string) (shim.HistoryQueryIteratorInterface, error) {
	var results []*queryresult.KeyModification
	err := s.onPeer(peer.ChaincodeMessage_GET_HISTORY_FOR_KEY, func() error {
		for _, h := range s.ledger.History(key) {
			results = append(results, &queryresult.KeyModification{
				TxId:      h.TxID,
				Value:     h.Value,
				Timestamp: timestamppb.New(h.Timestamp),
				IsDelete:  h.IsDelete,
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return newResultIterator(results), nil
}

// simpleKeyRange applies the shim's rules to the bounds of a simple key
// range query, returning the start key to send to the peer.
func simpleKeyRange(startKey, endKey string) (string, error) {
	if startKey == "" {
		startKey = emptyKeySubstitute
	}
	return startKey, validateSimpleKeys(startKey, endKey)
}

// isPaginated is the peer's test of whether query metadata asks for
// pagination (core/chaincode/handler.go).
func isPaginated(metadata *peer.QueryMetadata) bool {
	return metadata != nil && (metadata.PageSize != 0 || metadata.Bookmark != "")
}

// rangeQuery is the peer's GET_STATE_BY_RANGE over the public state.
func (s *Stub) rangeQuery(startKey, endKey string, metadata *peer.QueryMetadata) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	var results []kv
	responseMetadata := &peer.QueryResponseMetadata{}
	err := s.onPeer(peer.ChaincodeMessage_GET_STATE_BY_RANGE, func() error {
		if !isPaginated(metadata) {
			results, _ = s.ledger.scan(publicData, startKey, endKey, 0)
			return nil
		}
		if s.writePerformed {
			return fmt.Errorf("txid [%s]: unsuppored transaction. Paginated queries are supported only in a read-only transaction", s.proposal.txID)
		}
		s.paginatedQueryPerformed = true
		if metadata.Bookmark != "" {
			startKey = metadata.Bookmark
		}
		var bookmark string
		results, bookmark = s.ledger.scan(publicData, startKey, endKey, int(metadata.PageSize))
		responseMetadata = &peer.QueryResponseMetadata{FetchedRecordsCount: int32(len(results)), Bookmark: bookmark}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	it := s.kvIterator(results)
	if isPaginated(metadata) {
		for _, r := range results {
			s.read(r.key)
		}
		return it, responseMetadata, nil
	}
	return newRangeIterator(it.results, func(kvs []*queryresult.KV) {
		for _, kv := range kvs {
			s.read(kv.Key)
		}
	}), responseMetadata, nil
}

func (s *Stub) kvIterator(results []kv) *resultIterator[*queryresult.KV] {
	kvs := make([]*queryresult.KV, len(results))
	for i, r := range results {
		kvs[i] = &queryresult.KV{Namespace: s.channel.chaincode, Key: r.key, Value: r.value}
	}
	return newResultIterator(kvs)
}
