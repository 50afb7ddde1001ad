// Package contracts assembles the DeltaLedger chaincode from its contracts,
// one per business concept.
package contracts

import (
	"strings"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/credit"
	"github.com/deltaledger/deltaledger/chaincode/indices"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/listings"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/chaincode/trades"
)

// registered lists the contracts of the chaincode, participants first so that
// it is the default contract.
func registered() []contractapi.ContractInterface {
	return []contractapi.ContractInterface{
		participants.New(),
		market.New(),
		assets.New(rights.Register{}, trades.Readers{}),
		rights.New(trades.Readers{}, rights.OnHoldingTransferred(func(ctx state.Context, assetID, formerHolderID string, now time.Time) ([]string, error) {
			return listings.WithdrawFormerHolder(ctx, assetID, formerHolderID, "", now)
		})),
		credit.New(),
		listings.New(trades.Readers{}),
		trades.New(),
		indices.New(),
	}
}

// Chaincode is the DeltaLedger chaincode: its contracts, which contractapi
// dispatches, and the contract metadata generated from package model
// (Metadata), which GetMetadata serves instead of the one contractapi
// reflects from Go signatures (parameters named param0..N, no descriptions,
// no transient inputs). contractapi could read a metadata file from the
// working directory, but it would then also enforce its schemas before the
// chaincode's own validation, answering bad input in another format than
// "CODE: field: rule". Arguments and answers go through plainJSON, which
// skips the schema checks contractapi makes of its reflected metadata.
type Chaincode struct {
	contracts *contractapi.ContractChaincode
	metadata  []byte
}

// NewChaincode returns the chaincode with every contract registered. The
// participants contract is the default, so unqualified function names reach
// it.
func NewChaincode() (*Chaincode, error) {
	// contractapi builds its metadata inside NewChaincode, before a caller
	// could set the chaincode's Info; each contract carries its own title.
	cc, err := contractapi.NewChaincode(registered()...)
	if err != nil {
		return nil, err
	}
	cc.TransactionSerializer = new(plainJSON)
	md, err := Metadata()
	if err != nil {
		return nil, err
	}
	return &Chaincode{contracts: cc, metadata: md}, nil
}

// Init answers the chaincode's initialisation as contractapi does.
func (c *Chaincode) Init(stub shim.ChaincodeStubInterface) *peer.Response {
	return c.contracts.Init(stub)
}

// Invoke serves GetMetadata from the generated document and passes every
// other call to the contracts.
func (c *Chaincode) Invoke(stub shim.ChaincodeStubInterface) *peer.Response {
	fn, _ := stub.GetFunctionAndParameters()
	if contract, name, ok := strings.Cut(fn, ":"); ok && contract == contractapi.SystemContractName &&
		(name == getMetadata || name == "getMetadata") {
		// Held to the peer's clock like every contract's function: a
		// submitted GetMetadata is a valid transaction of the chaincode,
		// and none the honest peers endorse is stamped out of bounds.
		if err := state.RefuseSkewedTimestamp(stub); err != nil {
			return shim.Error(err.Error())
		}
		return shim.Success(c.metadata)
	}
	return c.contracts.Invoke(stub)
}

// Start runs the chaincode launched by a peer.
func (c *Chaincode) Start() error {
	return shim.Start(c)
}
