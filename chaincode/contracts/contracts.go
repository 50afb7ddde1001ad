// Package contracts assembles the DeltaLedger chaincode from its contracts,
// one per business concept.
package contracts

import (
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/credit"
	"github.com/deltaledger/deltaledger/chaincode/internal/ledger"
	"github.com/deltaledger/deltaledger/chaincode/listings"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/chaincode/trades"
)

// registered lists the contracts of the chaincode, participants first so that
// it is the default contract.
func registered() []contractapi.ContractInterface {
	return []contractapi.ContractInterface{
		participants.New(),
		market.New(),
		assets.New(),
		assets.NewRights(assets.OnHoldingTransferred(func(ctx ledger.Context, assetID, formerHolderID string, now time.Time) ([]string, error) {
			return listings.WithdrawFormerHolder(ctx, assetID, formerHolderID, "", now)
		})),
		credit.New(),
		listings.New(),
		trades.New(),
	}
}

// NewChaincode returns the chaincode with every contract registered. The
// participants contract is the default, so unqualified function names reach
// it.
func NewChaincode() (*contractapi.ContractChaincode, error) {
	// contractapi builds the metadata inside NewChaincode, before a caller
	// could set the chaincode's Info; each contract carries its own title.
	return contractapi.NewChaincode(registered()...)
}
