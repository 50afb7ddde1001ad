package chaincodetest_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

// Asset is the record of the contract below.
type Asset struct {
	ID    string `json:"id"`
	Owner string `json:"owner"`
}

// AssetContract is a minimal contract-API chaincode, to show that the
// network runs the kind of chaincode the project is made of.
type AssetContract struct {
	contractapi.Contract
}

func (c *AssetContract) Create(ctx contractapi.TransactionContextInterface, id string) error {
	existing, err := ctx.GetStub().GetState(id)
	if err != nil {
		return err
	}
	if existing != nil {
		return fmt.Errorf("asset %s already exists", id)
	}
	owner, err := ctx.GetClientIdentity().GetID()
	if err != nil {
		return err
	}
	b, err := json.Marshal(Asset{ID: id, Owner: owner})
	if err != nil {
		return err
	}
	if err := ctx.GetStub().PutState(id, b); err != nil {
		return err
	}
	return ctx.GetStub().SetEvent("Created", b)
}

func (c *AssetContract) Read(ctx contractapi.TransactionContextInterface, id string) (*Asset, error) {
	b, err := ctx.GetStub().GetState(id)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, fmt.Errorf("asset %s does not exist", id)
	}
	var asset Asset
	return &asset, json.Unmarshal(b, &asset)
}

func TestContractAPIChaincode(t *testing.T) {
	cc, err := contractapi.NewChaincode(&AssetContract{})
	require.NoError(t, err)
	org1 := chaincodetest.NewCA("Org1MSP")
	alice := org1.Issue("alice", "client")
	net := chaincodetest.NewNetwork(cc, chaincodetest.WithOrgs(org1))

	r := net.Submit(alice, "Create", "a1").MustOK(t)
	require.NotNil(t, r.Event)
	assert.Equal(t, "Created", r.Event.Name)

	var asset Asset
	net.Evaluate(alice, "Read", "a1").Unmarshal(t, &asset)
	assert.Equal(t, Asset{ID: "a1", Owner: alice.ID()}, asset)

	net.Submit(alice, "Create", "a1").MustFail(t, "asset a1 already exists")
	net.Evaluate(alice, "Read", "a2").MustFail(t, "asset a2 does not exist")
	assert.Len(t, net.Ledger().Events(), 1)
}
