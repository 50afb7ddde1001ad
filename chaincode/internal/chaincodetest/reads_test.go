package chaincodetest_test

import (
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

// TestResultReadsAreTheReadSetsKeys: Reads names every public key the
// simulation read, by a single read, a multiple read, a metadata read or a
// range query, and nothing it only wrote or read privately.
func TestResultReadsAreTheReadSetsKeys(t *testing.T) {
	net, alice := kvNetwork()
	net.Submit(alice, "put", "a", "1", "b", "2", "r1", "x", "r2", "y").MustOK(t)
	r := net.SubmitFunc(alice, func(stub shim.ChaincodeStubInterface) error {
		if _, err := stub.GetState("a"); err != nil {
			return err
		}
		if _, err := stub.GetMultipleStates("b", "missing"); err != nil {
			return err
		}
		if _, err := stub.GetStateValidationParameter("a"); err != nil {
			return err
		}
		it, err := stub.GetStateByRange("r", "s")
		if err != nil {
			return err
		}
		defer it.Close()
		return stub.PutState("written", []byte("v"))
	}).MustOK(t)
	assert.Equal(t, []string{"a", "b", "missing", "r1", "r2"}, r.Reads, "sorted, once each; the peer reads a range query's keys to answer it, before the chaincode iterates them")
	assert.Empty(t, net.Evaluate(alice, "put", "c", "3").Reads, "a write is no read")
	assert.Equal(t, []string{chaincodetest.Key("o", "k")}, net.Evaluate(alice, "get", chaincodetest.Key("o", "k")).Reads)
}
