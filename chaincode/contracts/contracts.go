// Package contracts assembles the DeltaLedger chaincode from its contracts,
// one per business concept.
package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/participants"
)

// NewChaincode returns the chaincode with every contract registered. The
// participants contract is the default, so unqualified function names reach
// it.
func NewChaincode() (*contractapi.ContractChaincode, error) {
	cc, err := contractapi.NewChaincode(
		participants.New(),
	)
	if err != nil {
		return nil, err
	}
	cc.Info.Title = "DeltaLedger"
	cc.Info.Description = "Data-element rights, trading and credit ledger of the Yangtze River Delta"
	cc.Info.Version = "1.0.0"
	return cc, nil
}
