package contracts

import (
	"reflect"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"
	"github.com/hyperledger/fabric-contract-api-go/v2/serializer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xeipuuv/gojsonschema"

	"github.com/deltaledger/deltaledger/model"
)

// plainJSON may skip contractapi's schema checks of arguments only while
// they could never refuse anything: a string parameter's reflected schema is
// {"type":"string"}. A transaction function that took a number, a list or a
// structure would have its argument parsed by encoding/json without a check
// of its fields, so adding one must first bring back a check of its own.
func TestTransactionFunctionsTakeOnlyStrings(t *testing.T) {
	functions := 0
	eachTransactionFunction(func(contract string, m reflect.Method) {
		functions++
		for j := 2; j < m.Type.NumIn(); j++ {
			assert.Equal(t, reflect.TypeOf(""), m.Type.In(j), "%s:%s parameter %d", contract, m.Name, j-2)
		}
	})
	assert.Greater(t, functions, 50, "the walk found the transaction functions")
}

// The chaincode answers through plainJSON.
func TestTheChaincodeSerializesWithoutSchemaChecks(t *testing.T) {
	cc, err := NewChaincode()
	require.NoError(t, err)
	assert.IsType(t, new(plainJSON), cc.contracts.TransactionSerializer)
}

// plainJSON converts and writes exactly what contractapi's serializer does,
// and never refuses a value for its schema, which contractapi's does.
func TestPlainJSONIsContractapisJSONWithoutTheSchema(t *testing.T) {
	refuseAll, err := gojsonschema.NewSchema(gojsonschema.NewStringLoader(`{"properties":{"return":{"type":"number"},"p":{"type":"number"}},"required":["return","p"]}`))
	require.NoError(t, err)
	returns := &metadata.ReturnMetadata{CompiledSchema: refuseAll}
	param := &metadata.ParameterMetadata{Name: "p", CompiledSchema: refuseAll}
	var theirs serializer.JSONSerializer
	ours := new(plainJSON)

	asset := &model.Asset{AssetDescription: model.AssetDescription{ID: "a1", Name: "Traffic", Category: "transport"}, Status: model.AssetPendingReview}
	want, err := theirs.ToString(reflect.ValueOf(asset), reflect.TypeOf(asset), nil, nil)
	require.NoError(t, err)
	got, err := ours.ToString(reflect.ValueOf(asset), reflect.TypeOf(asset), returns, nil)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Contains(t, got, `"id":"a1"`)
	_, err = theirs.ToString(reflect.ValueOf(asset), reflect.TypeOf(asset), returns, nil)
	assert.Error(t, err, "contractapi's serializer checks the schema (the test's schema must refuse)")

	v, err := ours.FromString("a1", reflect.TypeOf(""), param, nil)
	require.NoError(t, err)
	assert.Equal(t, "a1", v.Interface())
	_, err = theirs.FromString("a1", reflect.TypeOf(""), param, nil)
	assert.Error(t, err, "contractapi's serializer checks the schema (the test's schema must refuse)")
}
