// Command probe is the benchmark's measure of what the network can commit at
// all: a chaincode that does the ledger's part of a transaction and nothing
// else. It is deployed beside the market chaincode on the same channel, with
// the same endorsement policy, as a chaincode service alike (package ccaas),
// by scripts/bench.sh; `make bench` compares every path of the market against
// it.
//
//	Put(key, value)   writes value under key (the whole transaction)
//	Get(key)          returns the value under key
//	Register(id, contentHash, holderId, record, event)
//	                  the ledger work of a registration application
//	                  (assets:Apply) without the contract: see register
package main

import (
	"fmt"
	"log"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/ccaas"
	"github.com/deltaledger/deltaledger/model"
)

// probe is the chaincode: no contract API, no metadata, no JSON.
type probe struct{}

// Init does nothing: the probe keeps no configuration.
func (probe) Init(shim.ChaincodeStubInterface) *peer.Response { return shim.Success(nil) }

// Invoke runs Put, Get or Register.
func (probe) Invoke(stub shim.ChaincodeStubInterface) *peer.Response {
	fn, args := stub.GetFunctionAndParameters()
	switch {
	case fn == "Put" && len(args) == 2:
		if err := stub.PutState(args[0], []byte(args[1])); err != nil {
			return shim.Error(err.Error())
		}
		return shim.Success(nil)
	case fn == "Get" && len(args) == 1:
		v, err := stub.GetState(args[0])
		if err != nil {
			return shim.Error(err.Error())
		}
		return shim.Success(v)
	case fn == "Register" && len(args) == 5:
		if err := register(stub, args[0], args[1], args[2], []byte(args[3]), []byte(args[4])); err != nil {
			return shim.Error(err.Error())
		}
		return shim.Success([]byte(args[3]))
	}
	return shim.Error("INVALID_ARGUMENT: the probe answers Put(key, value), Get(key) and Register(id, contentHash, holderId, record, event)")
}

// register does what a registration application does to the ledger, with
// keys of the same names and sizes: it reads, in one request, the asset's
// key and the claim on its content hash, which must not exist; writes the
// record under a key-level policy of the caller's org, the claim and the
// holder's index entry; and emits the event. What assets:Apply does beyond
// this (who the caller is, the market's rules, checking and encoding the
// record) is the contract's own cost, which `make bench` reads as the
// ratio of direct to this.
func register(stub shim.ChaincodeStubInterface, id, contentHash, holderID string, record, event []byte) error {
	asset, err := stub.CreateCompositeKey("asset", []string{id})
	if err != nil {
		return err
	}
	claim, err := stub.CreateCompositeKey("asset~hash", []string{contentHash})
	if err != nil {
		return err
	}
	holding, err := stub.CreateCompositeKey("asset~holder", []string{holderID, id})
	if err != nil {
		return err
	}
	taken, err := stub.GetMultipleStates(asset, claim)
	if err != nil {
		return err
	}
	for _, v := range taken {
		if v != nil {
			return fmt.Errorf("CONFLICT: asset %q or content hash %q is taken", id, contentHash)
		}
	}
	policy, err := callerOrgPolicy(stub)
	if err != nil {
		return err
	}
	for _, w := range []struct {
		key   string
		value []byte
	}{{asset, record}, {claim, []byte(id)}, {holding, []byte{0}}} {
		if err := stub.PutState(w.key, w.value); err != nil {
			return err
		}
	}
	if err := stub.SetStateValidationParameter(asset, policy); err != nil {
		return err
	}
	return stub.SetEvent(model.EventAssetApplied, event)
}

// callerOrgPolicy is the key-level policy "a peer of the caller's org".
func callerOrgPolicy(stub shim.ChaincodeStubInterface) ([]byte, error) {
	creator, err := stub.GetCreator()
	if err != nil {
		return nil, err
	}
	var id msp.SerializedIdentity
	if err := proto.Unmarshal(creator, &id); err != nil {
		return nil, err
	}
	ep, err := statebased.NewStateEP(nil)
	if err != nil {
		return nil, err
	}
	if err := ep.AddOrgs(statebased.RoleTypePeer, id.Mspid); err != nil {
		return nil, err
	}
	return ep.Policy()
}

func main() {
	if err := ccaas.Run(probe{}); err != nil {
		log.Fatal(err)
	}
}
