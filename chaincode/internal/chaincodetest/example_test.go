package chaincodetest_test

import (
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

func ExampleNetwork() {
	org1 := chaincodetest.NewCA("Org1MSP")
	org2 := chaincodetest.NewCA("Org2MSP")
	alice := org1.Issue("alice", "client")
	bob := org2.Issue("bob", "client")
	net := chaincodetest.NewNetwork(kvChaincode(), chaincodetest.WithOrgs(org1, org2))

	// A successful submit is committed.
	r := net.Submit(alice, "put", "asset1", "blue")
	fmt.Println(r.ValidationCode, string(net.Ledger().State("asset1")))

	// A chaincode error commits nothing.
	r = net.Submit(alice, "fail", "asset1", "red")
	fmt.Println(r.Err, string(net.Ledger().State("asset1")))

	// Once the key requires Org1's endorsement, Org2 alone cannot change it.
	net.Submit(alice, "requireOrgs", "asset1", "Org1MSP")
	r = net.Submit(bob, "put", "asset1", "green")
	fmt.Println(r.ValidationCode, string(net.Ledger().State("asset1")))
	r = net.Invoke(bob, chaincodetest.Call{Function: "put", Args: []string{"asset1", "green"}, Endorsers: []string{"Org2MSP", "Org1MSP"}})
	fmt.Println(r.ValidationCode, string(net.Ledger().State("asset1")))

	// Arrange or inspect state directly, without a chaincode function.
	net.SubmitFunc(alice, func(stub shim.ChaincodeStubInterface) error {
		ts, _ := stub.GetTxTimestamp()
		fmt.Println("transaction time", ts.AsTime())
		return nil
	})
	fmt.Println(len(net.Ledger().Transactions()), "transactions reached the ledger")

	// Output:
	// VALID blue
	// chaincode response 500, refusing to update asset1 blue
	// ENDORSEMENT_POLICY_FAILURE blue
	// VALID green
	// transaction time 2026-03-01 08:00:05 +0000 UTC
	// 5 transactions reached the ledger
}
