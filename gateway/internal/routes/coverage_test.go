package routes_test

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/contracts"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
)

// metadataStub is just enough of a chaincode stub to invoke the system
// contract's GetMetadata, which reads nothing from the ledger.
type metadataStub struct {
	shim.ChaincodeStubInterface
}

func (metadataStub) GetFunctionAndParameters() (string, []string) {
	return "org.hyperledger.fabric:GetMetadata", nil
}
func (metadataStub) GetArgs() [][]byte {
	return [][]byte{[]byte("org.hyperledger.fabric:GetMetadata")}
}
func (metadataStub) GetCreator() ([]byte, error) { return nil, errors.New("no creator") }

// chaincodeMetadata is the part of contractapi's metadata the tests read.
type chaincodeMetadata struct {
	Contracts map[string]struct {
		Transactions []struct {
			Name       string   `json:"name"`
			Tag        []string `json:"tag"`
			Parameters []struct {
				Name string `json:"name"`
			} `json:"parameters"`
			Returns map[string]any `json:"returns"`
		} `json:"transactions"`
	} `json:"contracts"`
	Components struct {
		Schemas map[string]map[string]any `json:"schemas"`
	} `json:"components"`
}

func loadMetadata(t *testing.T) chaincodeMetadata {
	t.Helper()
	cc, err := contracts.NewChaincode()
	require.NoError(t, err)
	resp := cc.Invoke(metadataStub{})
	require.EqualValues(t, 200, resp.Status, resp.Message)
	var md chaincodeMetadata
	require.NoError(t, json.Unmarshal(resp.Payload, &md))
	return md
}

// TestEveryChaincodeFunctionIsReachable walks the chaincode's own metadata:
// every function of every contract must be served by a route (or run by a
// gateway operation), with as many arguments as it takes, evaluated when the
// chaincode tags it evaluate, and answering the type it returns.
func TestEveryChaincodeFunctionIsReachable(t *testing.T) {
	md := loadMetadata(t)
	// contractapi names components by Go type name alone, so two contracts'
	// types of the same name (listings.Page, trades.Page) share one schema
	// in its metadata; results of those types cannot be checked here.
	returnedBy := map[string]map[string]bool{}
	for contract, c := range md.Contracts {
		for _, tx := range c.Transactions {
			n := refName(tx.Returns)
			if returnedBy[n] == nil {
				returnedBy[n] = map[string]bool{}
			}
			returnedBy[n][contract] = true
		}
	}
	byFunction := map[string]routes.Route{}
	used := map[string]bool{}
	for _, r := range routes.Table() {
		if r.Function != "" {
			byFunction[r.Function] = r
		}
		for _, f := range r.Uses {
			used[f] = true
		}
	}
	for contract, c := range md.Contracts {
		if contract == "org.hyperledger.fabric" {
			continue
		}
		for _, tx := range c.Transactions {
			fn := contract + ":" + tx.Name
			r, ok := byFunction[fn]
			if !ok {
				assert.True(t, used[fn], "chaincode function %s has no route", fn)
				continue
			}
			var args int
			for _, p := range r.Params {
				if p.InChaincodeArgs() {
					args++
				}
			}
			assert.Equal(t, len(tx.Parameters), args, "%s: route %s passes %d arguments, the function takes %d", fn, r.ID, args, len(tx.Parameters))
			if slices.Contains(tx.Tag, "evaluate") {
				assert.False(t, r.Submit, "%s is tagged evaluate: route %s must not submit it", fn, r.ID)
			}
			if r.Result != nil && len(returnedBy[refName(tx.Returns)]) == 1 {
				assert.Equal(t, returnedType(md, tx.Returns, r.List), resultName(r.Result), "%s: route %s documents the wrong result type", fn, r.ID)
			}
			delete(byFunction, fn)
		}
	}
	for fn, r := range byFunction {
		t.Errorf("route %s runs %s, which the chaincode does not have", r.ID, fn)
	}
	for fn := range used {
		contract, name, _ := strings.Cut(fn, ":")
		found := false
		for _, tx := range md.Contracts[contract].Transactions {
			found = found || tx.Name == name
		}
		assert.True(t, found, "a gateway operation uses %s, which the chaincode does not have", fn)
	}
}

// returnedType names the type a transaction returns, or for a list the type
// of its items.
func returnedType(md chaincodeMetadata, returns map[string]any, list bool) string {
	name := refName(returns)
	if !list {
		if name == "" {
			if t, ok := returns["type"].(string); ok {
				return t
			}
		}
		return name
	}
	items, _ := md.Components.Schemas[name]["properties"].(map[string]any)["items"].(map[string]any)
	item, _ := items["items"].(map[string]any)
	if n := refName(item); n != "" {
		return n
	}
	t, _ := item["type"].(string)
	return t
}

func refName(s map[string]any) string {
	ref, _ := s["$ref"].(string)
	return strings.TrimPrefix(ref, "#/components/schemas/")
}

func resultName(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.String {
		return "string"
	}
	return t.Name()
}

// TestArgumentNamesMatchTheChaincode reads the contracts' Go sources and
// requires each route's parameters to carry the chaincode's parameter names,
// in its order, so that no argument lands in the wrong position.
func TestArgumentNamesMatchTheChaincode(t *testing.T) {
	// Receiver type of each contract, as registered in package contracts.
	receivers := map[string]string{
		"participants/Contract": "participants", "assets/Contract": "assets", "assets/RightsContract": "rights",
		"listings/Contract": "listings", "trades/Contract": "trades", "credit/Contract": "credit",
	}
	params := map[string][]string{}
	files, err := filepath.Glob("../../../chaincode/*/*.go")
	require.NoError(t, err)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		pkg := filepath.Base(filepath.Dir(f))
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		require.NoError(t, err)
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || !fd.Name.IsExported() || len(fd.Type.Params.List) == 0 {
				continue
			}
			recv := fd.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			ident, ok := recv.(*ast.Ident)
			if !ok {
				continue
			}
			contract, ok := receivers[pkg+"/"+ident.Name]
			if !ok {
				continue
			}
			first, ok := fd.Type.Params.List[0].Type.(*ast.SelectorExpr)
			if !ok || first.Sel.Name != "TransactionContextInterface" {
				continue
			}
			var names []string
			for _, field := range fd.Type.Params.List[1:] {
				for _, n := range field.Names {
					names = append(names, n.Name)
				}
			}
			params[contract+":"+fd.Name.Name] = names
		}
	}
	require.NotEmpty(t, params)
	for _, r := range routes.Table() {
		if r.Function == "" {
			continue
		}
		want, ok := params[r.Function]
		if !assert.True(t, ok, "route %s: no source for %s", r.ID, r.Function) {
			continue
		}
		var got []string
		for _, p := range r.Params {
			if p.InChaincodeArgs() {
				got = append(got, p.Name)
			}
		}
		assert.Equal(t, want, got, "route %s: arguments of %s", r.ID, r.Function)
	}
}
