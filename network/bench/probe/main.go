// Command probe is the benchmark's measure of what the network can commit at
// all: a chaincode that writes the one key it is given and nothing else. It
// is deployed beside the market chaincode on the same channel, with the same
// endorsement policy, as a chaincode service alike (package ccaas), by
// scripts/bench.sh; `make bench` compares every path of the market against
// it.
//
//	Put(key, value)   writes value under key (the whole transaction)
//	Get(key)          returns the value under key
package main

import (
	"log"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/deltaledger/deltaledger/chaincode/ccaas"
)

// probe is the chaincode: no contract API, no metadata, no JSON.
type probe struct{}

// Init does nothing: the probe keeps no configuration.
func (probe) Init(shim.ChaincodeStubInterface) *peer.Response { return shim.Success(nil) }

// Invoke runs Put or Get.
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
	}
	return shim.Error("INVALID_ARGUMENT: the probe answers Put(key, value) and Get(key)")
}

func main() {
	if err := ccaas.Run(probe{}); err != nil {
		log.Fatal(err)
	}
}
