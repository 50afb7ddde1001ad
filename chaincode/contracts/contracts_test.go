package contracts

import (
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
	_, err := NewChaincode()
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
	eachTransactionFunction(func(_ string, m reflect.Method) {
		for j := 2; j < m.Type.NumIn(); j++ {
			walk(m.Type.In(j))
		}
		for j := 0; j < m.Type.NumOut(); j++ {
			walk(m.Type.Out(j))
		}
	})
	assert.NotEmpty(t, seen)
}

// eachTransactionFunction calls visit with the name of its contract for every
// transaction function of the contracts NewChaincode registers: the methods
// whose first parameter is the transaction context, as contractapi finds
// them. Every test that walks the functions walks them through this one loop,
// so none of them can skip a kind of function the others see.
func eachTransactionFunction(visit func(contract string, m reflect.Method)) {
	ctxType := reflect.TypeOf((*contractapi.TransactionContextInterface)(nil)).Elem()
	for _, c := range registered() {
		name := c.(interface{ GetName() string }).GetName()
		ct := reflect.TypeOf(c)
		for i := 0; i < ct.NumMethod(); i++ {
			m := ct.Method(i)
			if m.Type.NumIn() < 2 || m.Type.In(1) != ctxType {
				continue // not a transaction function
			}
			visit(name, m)
		}
	}
}

// TestMetadataDescribesEveryFunction checks the system contract's metadata:
// every contract is named and every exported transaction function appears,
// and the answer is the same each time the chaincode is built.
func TestMetadataDescribesEveryFunction(t *testing.T) {
	cc, err := NewChaincode()
	require.NoError(t, err)
	net := chaincodetest.NewNetwork(cc)
	caller := chaincodetest.NewCA("ShanghaiMSP").Issue("anyone", "client")
	res := net.Evaluate(caller, chaincodetest.MetadataFunction).MustOK(t)
	contracts := net.Transactions(t, caller)
	listed := map[string][]string{}
	for _, c := range registered() {
		name := c.(interface{ GetName() string }).GetName()
		transactions, ok := contracts[name]
		require.True(t, ok, "contract %s missing from metadata", name)
		var fns []string
		for _, tx := range transactions {
			fns = append(fns, tx.Name)
		}
		listed[name] = fns
	}
	eachTransactionFunction(func(contract string, m reflect.Method) {
		assert.Contains(t, listed[contract], m.Name, "%s:%s missing from metadata", contract, m.Name)
	})

	cc2, err := NewChaincode()
	require.NoError(t, err)
	again := chaincodetest.NewNetwork(cc2).Evaluate(caller, chaincodetest.MetadataFunction).MustOK(t)
	assert.JSONEq(t, string(res.Payload), string(again.Payload), "metadata must not depend on start-up order")
}

// TestModelDeclaresEveryFunction holds the contracts to their declaration in
// package model, from which clients, the gateway and the contract metadata
// learn the functions' parameters: every transaction function is declared
// with as many parameters as it takes and the type it returns, and every
// declared function exists.
func TestModelDeclaresEveryFunction(t *testing.T) {
	declared := map[string]model.Function{}
	for _, c := range model.Contracts() {
		for _, f := range c.Functions {
			declared[f.FullName()] = f
		}
	}
	eachTransactionFunction(func(contract string, m reflect.Method) {
		full := contract + ":" + m.Name
		f, ok := declared[full]
		if !assert.True(t, ok, "%s is not declared in package model", full) {
			return
		}
		delete(declared, full)
		assert.Len(t, f.Params, m.Type.NumIn()-2, "%s: parameters", full)
		out := m.Type.Out(0)
		if out.Kind() == reflect.Pointer {
			out = out.Elem()
		}
		assert.Equal(t, reflect.TypeOf(f.Returns), out, "%s: returned type", full)
	})
	for full := range declared {
		t.Errorf("model declares %s, which the chaincode does not have", full)
	}
}
