package chaincodetest

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

var (
	// errEmptyCollection is the shim's check on every private data call.
	errEmptyCollection = errors.New("collection must not be an empty string")
	// errPrivateDataInInit is the peer's refusal of private data in Init.
	errPrivateDataInInit = errors.New("private data APIs are not allowed in chaincode Init()")
)

// Private data access follows the peer. A collection must be defined (or be
// a channel org's implicit collection). A client of a non-member org is
// refused if the collection is MemberOnlyRead (for reads) or MemberOnlyWrite
// (for writes). Reads of values also need the simulating peer's org to be a
// member, since only member peers hold the data; writes, hashes and
// key-level policies do not, since every peer holds the hashes.
//
// A real peer of a non-member org answers a read of a key that has never
// been written with nil, and a read of an existing key with "private data
// matching public hash version is not available"; a range query there
// returns nothing. This Stub refuses every such read, so that chaincode
// which only works while a collection is empty is caught.

// GetPrivateData returns the committed value of key in the collection, or
// nil if it does not exist. It does not see the transaction's own writes.
func (s *Stub) GetPrivateData(collection, key string) ([]byte, error) {
	if collection == "" {
		return nil, errEmptyCollection
	}
	return readOnPeer(s, peer.ChaincodeMessage_GET_STATE, func() ([]byte, error) {
		if err := s.checkPrivateRead(collection, false); err != nil {
			return nil, err
		}
		return s.ledger.PrivateData(collection, key), nil
	})
}

// GetMultiplePrivateData returns the committed values of the keys in the
// collection, in order, nil for those that do not exist; (nil, nil) when no
// key is given.
func (s *Stub) GetMultiplePrivateData(collection string, keys ...string) ([][]byte, error) {
	if collection == "" {
		return nil, errEmptyCollection
	}
	if len(keys) == 0 {
		return nil, nil
	}
	return readOnPeer(s, peer.ChaincodeMessage_GET_STATE_MULTIPLE, func() ([][]byte, error) {
		if err := s.checkPrivateRead(collection, false); err != nil {
			return nil, err
		}
		var values [][]byte
		for _, key := range keys {
			values = append(values, s.ledger.PrivateData(collection, key))
		}
		return values, nil
	})
}

// GetPrivateDataHash returns the SHA-256 hash of the committed value of key
// in the collection, or nil if it does not exist. It works on the peer of
// any org, member or not.
func (s *Stub) GetPrivateDataHash(collection, key string) ([]byte, error) {
	if collection == "" {
		return nil, errEmptyCollection
	}
	return readOnPeer(s, peer.ChaincodeMessage_GET_PRIVATE_DATA_HASH, func() ([]byte, error) {
		if s.proposal.isInit {
			return nil, errPrivateDataInInit
		}
		if err := s.channel.checkCollectionName(collection); err != nil {
			return nil, err
		}
		return s.ledger.PrivateDataHash(collection, key), nil
	})
}

// PutPrivateData records a write of value to key in the collection; an empty
// value records a delete. Peers of any org may endorse it.
func (s *Stub) PutPrivateData(collection, key string, value []byte) error {
	if collection == "" {
		return errEmptyCollection
	}
	if key == "" {
		return errors.New("key must not be an empty string")
	}
	return s.privateWrite(peer.ChaincodeMessage_PUT_STATE, collection, func() {
		s.writes.put(collection, key, value)
	})
}

// DelPrivateData records a delete of key in the collection, which removes
// its value and its hash when committed.
func (s *Stub) DelPrivateData(collection, key string) error {
	if collection == "" {
		return errEmptyCollection
	}
	return s.privateWrite(peer.ChaincodeMessage_DEL_STATE, collection, func() {
		s.writes.put(collection, key, nil)
	})
}

// PurgePrivateData records a purge of key in the collection: when committed
// its value and hash are removed, as with DelPrivateData, and a peer would
// also erase the key's past values from its private data store.
func (s *Stub) PurgePrivateData(collection, key string) error {
	if collection == "" {
		return errEmptyCollection
	}
	return s.privateWrite(peer.ChaincodeMessage_PURGE_PRIVATE_DATA, collection, func() {
		s.writes.purge(collection, key)
	})
}

// SetPrivateDataValidationParameter records a write of the key-level
// endorsement policy of key in the collection. Like the shim, it sets the
// public key's policy when collection is empty.
func (s *Stub) SetPrivateDataValidationParameter(collection, key string, ep []byte) error {
	if collection == "" {
		return s.SetStateValidationParameter(key, ep)
	}
	return s.privateWrite(peer.ChaincodeMessage_PUT_STATE_METADATA, collection, func() {
		s.writes.setValidationParameter(collection, key, ep)
	})
}

// GetPrivateDataValidationParameter returns the committed key-level
// endorsement policy of key in the collection, or nil if it has none. Like
// the shim, it reads the public key's policy when collection is empty.
func (s *Stub) GetPrivateDataValidationParameter(collection, key string) ([]byte, error) {
	if collection == "" {
		return s.GetStateValidationParameter(key)
	}
	return readOnPeer(s, peer.ChaincodeMessage_GET_STATE_METADATA, func() ([]byte, error) {
		if s.proposal.isInit {
			return nil, errPrivateDataInInit
		}
		if _, err := s.channel.authorize(collection, s.proposal.creator, false); err != nil {
			return nil, err
		}
		return s.ledger.PrivateDataValidationParameter(collection, key), nil
	})
}

// GetPrivateDataByRange returns the committed simple keys of the collection
// in [startKey, endKey), like GetStateByRange. As on the peer, the
// transaction must not write before or after it.
func (s *Stub) GetPrivateDataByRange(collection, startKey, endKey string) (shim.StateQueryIteratorInterface, error) {
	if collection == "" {
		return nil, errEmptyCollection
	}
	startKey, err := simpleKeyRange(startKey, endKey)
	if err != nil {
		return nil, err
	}
	return s.privateRangeQuery(collection, startKey, endKey)
}

// GetPrivateDataByPartialCompositeKey returns the committed composite keys
// of the collection that begin with objectType and the given attributes. As
// on the peer, the transaction must not write before or after it.
func (s *Stub) GetPrivateDataByPartialCompositeKey(collection, objectType string, keys []string) (shim.StateQueryIteratorInterface, error) {
	if collection == "" {
		return nil, errEmptyCollection
	}
	startKey, endKey, err := partialCompositeKeyRange(objectType, keys)
	if err != nil {
		return nil, err
	}
	return s.privateRangeQuery(collection, startKey, endKey)
}

// GetPrivateDataQueryResult fails: rich queries need CouchDB, and the
// network's peers use LevelDB.
func (s *Stub) GetPrivateDataQueryResult(collection, query string) (shim.StateQueryIteratorInterface, error) {
	if collection == "" {
		return nil, errEmptyCollection
	}
	return nil, s.onPeer(peer.ChaincodeMessage_GET_QUERY_RESULT, func() error {
		if err := s.checkPrivateRead(collection, true); err != nil {
			return err
		}
		return errRichQuery
	})
}

func (s *Stub) privateRangeQuery(collection, startKey, endKey string) (shim.StateQueryIteratorInterface, error) {
	var results []kv
	err := s.onPeer(peer.ChaincodeMessage_GET_STATE_BY_RANGE, func() error {
		if err := s.checkPrivateRead(collection, true); err != nil {
			return err
		}
		results, _ = s.ledger.scan(collection, startKey, endKey, 0)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.kvIterator(results), nil
}

// checkPrivateRead performs the peer's checks before private data is read,
// query telling whether the read is a query (which the simulator allows only
// in transactions that do not write).
func (s *Stub) checkPrivateRead(collection string, query bool) error {
	if s.proposal.isInit {
		return errPrivateDataInInit
	}
	c, err := s.channel.authorize(collection, s.proposal.creator, false)
	if err != nil {
		return err
	}
	if query {
		if s.writePerformed {
			return fmt.Errorf("txid [%s]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction", s.proposal.txID)
		}
		s.privateQueryPerformed = true
	}
	if !c.hasMember(s.peerMSP) {
		return fmt.Errorf("peer org %s is not a member of collection %s: its private data is not available on this peer", s.peerMSP, collection)
	}
	s.privateReads[collection] = true
	return nil
}

// privateWrite performs the peer's checks before private data is written,
// then records the write.
func (s *Stub) privateWrite(request peer.ChaincodeMessage_Type, collection string, record func()) error {
	return s.onPeer(request, func() error {
		if s.proposal.isInit {
			return errPrivateDataInInit
		}
		if _, err := s.channel.authorize(collection, s.proposal.creator, true); err != nil {
			return err
		}
		if err := s.checkWrite(); err != nil {
			return err
		}
		record()
		return nil
	})
}
