package client_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoFabricInTheSDK keeps the SDK and its command free of Fabric: a
// program that imports them links neither the contract API nor the
// chaincode shim (they speak the market's vocabulary from package model).
func TestNoFabricInTheSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-test", "./...").CombinedOutput()
	require.NoError(t, err, string(out))
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/deltaledger/deltaledger/model")
	for _, d := range deps {
		assert.NotContains(t, d, "fabric-contract-api-go")
		assert.NotContains(t, d, "fabric-chaincode-go")
		assert.NotContains(t, d, "deltaledger/chaincode")
	}
}
