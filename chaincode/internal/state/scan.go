package state

import (
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// scan opens a range query with open, calls visit with each of its entries
// (each) and closes it; what names the range in the errors.
func scan(what string, open func() (shim.StateQueryIteratorInterface, error), visit func(kv *queryresult.KV) (stop bool, err error)) error {
	it, err := open()
	if err != nil {
		return ledgererr.Internalf(err, "querying %s", what)
	}
	defer it.Close()
	return each(it, what, visit)
}

// each calls visit with every entry of it in key order until visit stops
// or fails; what names the range in the error of a failed read.
func each(it shim.StateQueryIteratorInterface, what string, visit func(kv *queryresult.KV) (stop bool, err error)) error {
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return ledgererr.Internalf(err, "iterating %s", what)
		}
		if stop, err := visit(kv); err != nil || stop {
			return err
		}
	}
	return nil
}

// attrsAfter is the attributes of composite key key of objectType after
// prefix: an index entry's row.
func attrsAfter(stub shim.ChaincodeStubInterface, objectType string, prefix []string, key string) ([]string, error) {
	_, attrs, err := stub.SplitCompositeKey(key)
	if err != nil {
		return nil, ledgererr.Internalf(err, "splitting key of %s", objectType)
	}
	return attrs[len(prefix):], nil
}
