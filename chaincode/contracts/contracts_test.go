package contracts

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
)

// contractapi names the schemas of parameter and return types by their bare
// Go type name, and the first type registered under a name wins. Which one
// is first depends on map order at start-up, so two types with one name make
// peers disagree about metadata and about which return values are valid.
// Every type reachable from a contract function must have its own name.
func TestSchemaTypeNamesAreUnique(t *testing.T) {
	cc, err := NewChaincode()
	require.NoError(t, err)
	seen := map[string]reflect.Type{}
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice || rt.Kind() == reflect.Array || rt.Kind() == reflect.Map {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || rt.PkgPath() == "" {
			return
		}
		if prev, ok := seen[rt.Name()]; ok {
			assert.Equal(t, prev, rt, "two schema types are named %s: %s and %s", rt.Name(), prev.PkgPath(), rt.PkgPath())
			return
		}
		seen[rt.Name()] = rt
		for i := 0; i < rt.NumField(); i++ {
			if rt.Field(i).IsExported() {
				walk(rt.Field(i).Type)
			}
		}
	}
	ctxType := reflect.TypeOf((*contractapi.TransactionContextInterface)(nil)).Elem()
	for _, c := range contractsOf(cc) {
		ct := reflect.TypeOf(c)
		for i := 0; i < ct.NumMethod(); i++ {
			m := ct.Method(i).Type
			if m.NumIn() < 2 || m.In(1) != ctxType {
				continue // not a transaction function
			}
			for j := 2; j < m.NumIn(); j++ {
				walk(m.In(j))
			}
			for j := 0; j < m.NumOut(); j++ {
				walk(m.Out(j))
			}
		}
	}
	assert.NotEmpty(t, seen)
}

// contractsOf lists the contracts NewChaincode registers.
func contractsOf(*Chaincode) []contractapi.ContractInterface {
	return registered()
}

// TestMetadataDescribesEveryFunction checks the system contract's metadata:
// every contract is named and every exported transaction function appears,
// and the answer is the same each time the chaincode is built.
func TestMetadataDescribesEveryFunction(t *testing.T) {
	cc, err := NewChaincode()
	require.NoError(t, err)
	net := chaincodetest.NewNetwork(cc)
	caller := chaincodetest.NewCA("ShanghaiMSP").Issue("anyone", "client")
	res := net.Evaluate(caller, "org.hyperledger.fabric:GetMetadata").MustOK(t)

	var md struct {
		Contracts map[string]struct {
			Name         string `json:"name"`
			Transactions []struct {
				Name string `json:"name"`
			} `json:"transactions"`
		} `json:"contracts"`
	}
	require.NoError(t, json.Unmarshal(res.Payload, &md))
	for _, c := range registered() {
		name := c.(interface{ GetName() string }).GetName()
		got, ok := md.Contracts[name]
		require.True(t, ok, "contract %s missing from metadata", name)
		var fns []string
		for _, tx := range got.Transactions {
			fns = append(fns, tx.Name)
		}
		ct := reflect.TypeOf(c)
		ctxType := reflect.TypeOf((*contractapi.TransactionContextInterface)(nil)).Elem()
		for i := 0; i < ct.NumMethod(); i++ {
			m := ct.Method(i)
			if m.Type.NumIn() >= 2 && m.Type.In(1) == ctxType {
				assert.Contains(t, fns, m.Name, "%s:%s missing from metadata", name, m.Name)
			}
		}
	}

	cc2, err := NewChaincode()
	require.NoError(t, err)
	again := chaincodetest.NewNetwork(cc2).Evaluate(caller, "org.hyperledger.fabric:GetMetadata").MustOK(t)
	assert.JSONEq(t, string(res.Payload), string(again.Payload), "metadata must not depend on start-up order")
}

// TestModelDeclaresEveryFunction holds the contracts to their declaration in
// package model, from which clients, the gateway and the contract metadata
// learn the functions' parameters: every transaction function is declared
// with as many parameters as it takes and the type it returns, and every
// declared function exists.
func TestModelDeclaresEveryFunction(t *testing.T) {
	ctxType := reflect.TypeOf((*contractapi.TransactionContextInterface)(nil)).Elem()
	declared := map[string]model.Function{}
	for _, c := range model.Contracts() {
		for _, f := range c.Functions {
			declared[f.FullName()] = f
		}
	}
	for _, c := range registered() {
		name := c.(interface{ GetName() string }).GetName()
		ct := reflect.TypeOf(c)
		for i := 0; i < ct.NumMethod(); i++ {
			m := ct.Method(i)
			if m.Type.NumIn() < 2 || m.Type.In(1) != ctxType {
				continue // not a transaction function
			}
			full := name + ":" + m.Name
			f, ok := declared[full]
			if !assert.True(t, ok, "%s is not declared in package model", full) {
				continue
			}
			delete(declared, full)
			assert.Len(t, f.Params, m.Type.NumIn()-2, "%s: parameters", full)
			out := m.Type.Out(0)
			if out.Kind() == reflect.Pointer {
				out = out.Elem()
			}
			assert.Equal(t, reflect.TypeOf(f.Returns), out, "%s: returned type", full)
		}
	}
	for full := range declared {
		t.Errorf("model declares %s, which the chaincode does not have", full)
	}
}
