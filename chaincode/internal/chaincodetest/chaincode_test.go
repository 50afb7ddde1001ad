package chaincodetest_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

// testChaincode is a tiny chaincode implementing shim.Chaincode directly:
// the first argument names one of its functions, which gets the stub and the
// remaining arguments. A function's error becomes an error response.
type testChaincode map[string]func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error)

func (cc testChaincode) Init(stub shim.ChaincodeStubInterface) *peer.Response {
	return cc.Invoke(stub)
}

func (cc testChaincode) Invoke(stub shim.ChaincodeStubInterface) *peer.Response {
	function, args := stub.GetFunctionAndParameters()
	fn, ok := cc[function]
	if !ok {
		return shim.Error("unknown function " + function)
	}
	payload, err := fn(stub, args)
	if err != nil {
		return shim.Error(err.Error())
	}
	return shim.Success(payload)
}

// with returns a copy of the chaincode with more functions.
func (cc testChaincode) with(more testChaincode) testChaincode {
	merged := testChaincode{}
	for name, fn := range cc {
		merged[name] = fn
	}
	for name, fn := range more {
		merged[name] = fn
	}
	return merged
}

// kvNetwork is a network of one org, Org1MSP, running kvChaincode under
// opts, and alice, a client of that org.
func kvNetwork(opts ...chaincodetest.Option) (*chaincodetest.Network, chaincodetest.Identity) {
	client := chaincodetest.NewCA("Org1MSP").Issue("alice", "client")
	return chaincodetest.NewNetwork(kvChaincode(), opts...), client
}

// kvChaincode has the functions most tests need.
func kvChaincode() testChaincode {
	return testChaincode{
		// put key value [key value ...]
		"put": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			for i := 0; i+1 < len(args); i += 2 {
				if err := stub.PutState(args[i], []byte(args[i+1])); err != nil {
					return nil, err
				}
			}
			return nil, nil
		},
		// get key
		"get": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			return stub.GetState(args[0])
		},
		// del key
		"del": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			return nil, stub.DelState(args[0])
		},
		// putComposite value objectType attr...
		"putComposite": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			key, err := stub.CreateCompositeKey(args[1], args[2:])
			if err != nil {
				return nil, err
			}
			return nil, stub.PutState(key, []byte(args[0]))
		},
		// putPrivate collection key: the value comes from transient "value"
		"putPrivate": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			transient, err := stub.GetTransient()
			if err != nil {
				return nil, err
			}
			return nil, stub.PutPrivateData(args[0], args[1], transient["value"])
		},
		// getPrivate collection key
		"getPrivate": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			return stub.GetPrivateData(args[0], args[1])
		},
		// requireOrgs key org...: the key-level policy the project's
		// ledger package sets, built with statebased.
		"requireOrgs": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			return nil, stub.SetStateValidationParameter(args[0], chaincodetest.KeyPolicy(args[1:]...))
		},
		// fail key value: writes, sets an event, then returns an error
		"fail": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			if err := stub.PutState(args[0], []byte(args[1])); err != nil {
				return nil, err
			}
			if err := stub.SetEvent("Failed", nil); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("refusing to update %s", args[0])
		},
	}
}

// orgs is a channel of four orgs, as DeltaLedger's network has, with a
// client identity of each.
type orgs struct {
	cas     []*chaincodetest.CA
	clients []chaincodetest.Identity
}

var mspIDs = []string{"Org1MSP", "Org2MSP", "Org3MSP", "Org4MSP"}

func newOrgs() orgs {
	var o orgs
	for i, mspID := range mspIDs {
		ca := chaincodetest.NewCA(mspID)
		o.cas = append(o.cas, ca)
		o.clients = append(o.clients, ca.Issue("client"+strconv.Itoa(i+1), "client"))
	}
	return o
}

// withOrgs is the option making the orgs the channel members.
func (o orgs) withOrgs() chaincodetest.Option {
	return chaincodetest.WithOrgs(o.cas...)
}

// keysOf drains a state iterator into the keys it returns.
func keysOf(t *testing.T, it shim.StateQueryIteratorInterface) []string {
	t.Helper()
	defer it.Close()
	keys := []string{}
	for it.HasNext() {
		kv, err := it.Next()
		require.NoError(t, err)
		keys = append(keys, kv.Key)
	}
	return keys
}

// queryKeys runs query in a transaction of client's and returns the keys of
// what it finds, in order.
func queryKeys(t *testing.T, net *chaincodetest.Network, client chaincodetest.Identity,
	query func(shim.ChaincodeStubInterface) (shim.StateQueryIteratorInterface, error)) []string {
	t.Helper()
	var keys []string
	net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
		it, err := query(stub)
		require.NoError(t, err)
		keys = keysOf(t, it)
		return nil
	}).MustOK(t)
	return keys
}

// jsonBytes marshals v, for chaincode functions returning JSON.
func jsonBytes(v any) ([]byte, error) {
	return json.Marshal(v)
}
