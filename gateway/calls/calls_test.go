package calls_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/calls"
)

// Every chaincode route binds in the gateway's tests (api's TestEveryChaincodeRoute holds Of to what the gateway
// passed to the chaincode); these are what Of refuses, and one call read in full.
func TestOf(t *testing.T) {
	c, err := calls.Of("POST", "/v1/participants/jiangsu.e%2F1/suspend", "", []byte(`{"reason":"audit"}`))
	require.NoError(t, err)
	assert.Equal(t, &calls.Call{Function: "participants:Suspend", Args: []string{"jiangsu.e/1", "audit"}}, c,
		"the path's value unescaped, as the gateway's mux gives it")

	for name, req := range map[string][3]string{
		"an operation the gateway answers itself": {"GET", "/v1/transactions/abc", ""},
		"no operation":                  {"POST", "/v1/nothing", ""},
		"another method":                {"DELETE", "/v1/participants/p-1/suspend", ""},
		"a body that is no JSON object": {"POST", "/v1/participants/p-1/suspend", `["audit"]`},
		"a value of another type":       {"POST", "/v1/participants/p-1/suspend", `{"reason":7}`},
	} {
		_, err := calls.Of(req[0], req[1], "", []byte(req[2]))
		assert.Error(t, err, name)
	}
	read, err := calls.Of("GET", "/v1/participants", "", nil)
	require.NoError(t, err)
	assert.True(t, read.Evaluate, "a list is evaluated, never ordered")
	_, err = calls.Of("GET", "/v1/participants", "cursor=not-a-cursor", nil)
	assert.ErrorContains(t, err, "cursor")
}
