package contracts_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/contracts"
	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// served is the contract metadata as a client reads it from GetMetadata.
func served(t *testing.T, m *markettest.Market, caller string) (raw []byte, doc map[string]any) {
	t.Helper()
	res := m.Evaluate(caller, chaincodetest.MetadataFunction).MustOK(t)
	require.NoError(t, json.Unmarshal(res.Payload, &doc))
	return res.Payload, doc
}

// TestMetadataServedIsGeneratedFromModel: GetMetadata answers the document
// Metadata generates from package model, in which every function has its
// parameters and transient inputs in the chaincode's order under their real
// names, with their descriptions and rules, and the tags clients use to
// choose between submit and evaluate.
func TestMetadataServedIsGeneratedFromModel(t *testing.T) {
	m := markettest.New(t)
	m.Join(t, markettest.Shanghai, "sh-holder", "holder", markettest.USCC(1))
	raw, doc := served(t, m, "sh-holder")
	want, err := contracts.Metadata()
	require.NoError(t, err)
	assert.Equal(t, string(want), string(raw))
	again, err := contracts.Metadata()
	require.NoError(t, err)
	assert.Equal(t, want, again, "the metadata must be the same on every peer and every start")
	assert.NotContains(t, string(raw), `"param0"`)

	info := doc["info"].(map[string]any)
	assert.Equal(t, model.Version, info["version"])
	assert.Equal(t, "DeltaLedger chaincode", info["title"])

	byContract := doc["contracts"].(map[string]any)
	for i, c := range model.Contracts() {
		got, ok := byContract[c.Name].(map[string]any)
		require.True(t, ok, "contract %s", c.Name)
		assert.Equal(t, i == 0, got["default"], "%s default", c.Name)
		txs := got["transactions"].([]any)
		require.Len(t, txs, len(c.Functions), c.Name)
		for j, f := range c.Functions {
			tx := txs[j].(map[string]any)
			assert.Equal(t, f.Name, tx["name"])
			wantTag := "submit"
			if f.Evaluate {
				wantTag = "evaluate"
			}
			assert.Contains(t, tx["tag"], wantTag, f.FullName())
			checkParams(t, f.FullName(), f.Params, tx["parameters"])
			checkParams(t, f.FullName()+" transient", f.Transient, tx["transient"])
		}
	}
	_, ok := byContract["org.hyperledger.fabric"]
	assert.True(t, ok, "the system contract is described")

	// A few rules, as a client generator sees them.
	apply := findTx(t, doc, "assets", "Apply")
	id := param(t, apply, "parameters", "id")
	assert.Equal(t, model.IDPattern, id["schema"].(map[string]any)["pattern"])
	assert.Equal(t, true, id["required"])
	stage := findTx(t, doc, "trades", "StageTerms")
	terms := param(t, stage, "transient", model.TransientTermsKey)
	assert.Equal(t, "#/components/schemas/OfferTerms", terms["schema"].(map[string]any)["$ref"])
	assert.Equal(t, true, terms["required"])
	assert.Equal(t, false, param(t, stage, "parameters", "listingId")["required"], "empty after round 1")
	for _, fn := range []string{"Order", "Propose", "Counter"} {
		assert.NotContains(t, findTx(t, doc, "trades", fn), "transient", "%s takes no terms: they are staged", fn)
	}
	register := findTx(t, doc, "participants", "Register")
	roles := param(t, register, "parameters", "roles")["schema"].(map[string]any)
	rolesPattern := regexp.MustCompile(roles["pattern"].(string))
	assert.True(t, rolesPattern.MatchString("holder,buyer"))
	assert.False(t, rolesPattern.MatchString("holder,king"))
	list := findTx(t, doc, "participants", "List")
	role := param(t, list, "parameters", "role")["schema"].(map[string]any)
	assert.Contains(t, role["enum"], "", "an optional enumerated parameter may be empty")
	pageSize := param(t, list, "parameters", model.PageSizeField.Name)["schema"].(map[string]any)
	assert.Equal(t, "integer", pageSize["type"])
	assert.EqualValues(t, model.MaxPageSize, pageSize["maximum"])
}

func checkParams(t *testing.T, fn string, want []model.Field, got any) {
	t.Helper()
	if len(want) == 0 {
		assert.Nil(t, got, fn)
		return
	}
	params, ok := got.([]any)
	require.True(t, ok, "%s: parameters", fn)
	require.Len(t, params, len(want), fn)
	for i, f := range want {
		p := params[i].(map[string]any)
		assert.Equal(t, f.Name, p["name"], "%s parameter %d", fn, i)
		assert.Equal(t, f.Description, p["description"], "%s.%s", fn, f.Name)
		assert.NotEmpty(t, p["description"], "%s.%s", fn, f.Name)
		assert.Equal(t, !f.Optional, p["required"], "%s.%s", fn, f.Name)
	}
}

func findTx(t *testing.T, doc map[string]any, contract, name string) map[string]any {
	t.Helper()
	for _, tx := range doc["contracts"].(map[string]any)[contract].(map[string]any)["transactions"].([]any) {
		if tx.(map[string]any)["name"] == name {
			return tx.(map[string]any)
		}
	}
	t.Fatalf("%s:%s not in the metadata", contract, name)
	return nil
}

func param(t *testing.T, tx map[string]any, kind, name string) map[string]any {
	t.Helper()
	for _, p := range tx[kind].([]any) {
		if p.(map[string]any)["name"] == name {
			return p.(map[string]any)
		}
	}
	t.Fatalf("%s %s not in %s", kind, name, tx["name"])
	return nil
}

// TestMetadataIsValid: the document is valid Fabric contract metadata (the
// JSON Schema fabric-contract-api-go ships), every $ref names a component
// of the document itself, and every schema in it compiles as JSON Schema
// draft-07.
func TestMetadataIsValid(t *testing.T) {
	raw, err := contracts.Metadata()
	require.NoError(t, err)
	format := compile(t, "fabric-contract-metadata.json", metadata.GetJSONSchema(), "")
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	require.NoError(t, format.Validate(doc), "the metadata must follow Fabric's contract metadata schema")

	components := doc.(map[string]any)["components"].(map[string]any)["schemas"].(map[string]any)
	refs := 0
	var walk func(string, any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				name, found := strings.CutPrefix(ref, "#/components/schemas/")
				assert.True(t, found, "%s: $ref %q is not a component reference", at, ref)
				assert.Contains(t, components, name, "%s: $ref %q names no component", at, ref)
				refs++
			}
			for k, e := range v {
				walk(at+"/"+k, e)
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s/%d", at, i), e)
			}
		}
	}
	walk("", doc)
	assert.Greater(t, refs, 50)

	for contract, c := range doc.(map[string]any)["contracts"].(map[string]any) {
		for i, tx := range c.(map[string]any)["transactions"].([]any) {
			base := fmt.Sprintf("#/contracts/%s/transactions/%d", contract, i)
			for _, kind := range []string{"parameters", "transient"} {
				params, _ := tx.(map[string]any)[kind].([]any)
				for j := range params {
					compile(t, "metadata.json", raw, fmt.Sprintf("%s/%s/%d/schema", base, kind, j))
				}
			}
		}
	}
}

// TestMetadataDescribesWhatTheChaincodeReturns validates real answers of the
// chaincode against the return schemas of the metadata, and the events it
// emitted against the payload schemas of the integration guide's catalogue
// (as markettest does for every contract test: package eventschema).
func TestMetadataDescribesWhatTheChaincodeReturns(t *testing.T) {
	m := markettest.New(t)
	m.Join(t, markettest.Shanghai, "sh-holder", "holder", markettest.USCC(1))
	m.Join(t, markettest.Shanghai, "sh-operator", "operator", markettest.USCC(100))
	raw, doc := served(t, m, "sh-holder")
	asset := m.RegisterAsset(t, "sh-holder", "sh-operator", "asset-1", "finance", "shanghai")
	for _, call := range []struct {
		contract, name string
		args           []string
	}{
		{"participants", "WhoAmI", nil},
		{"assets", "Get", []string{asset.ID}},
		{"assets", "ListByHolder", []string{asset.HolderID, "10", ""}},
		{"rights", "Get", []string{asset.HoldingRightID}},
	} {
		index := -1
		for i, tx := range doc["contracts"].(map[string]any)[call.contract].(map[string]any)["transactions"].([]any) {
			if tx.(map[string]any)["name"] == call.name {
				index = i
			}
		}
		require.GreaterOrEqual(t, index, 0, call.name)
		returns := compile(t, "metadata.json", raw, fmt.Sprintf("#/contracts/%s/transactions/%d/returns", call.contract, index))
		res := m.Evaluate("sh-holder", call.contract+":"+call.name, call.args...).MustOK(t)
		answer, err := jsonschema.UnmarshalJSON(bytes.NewReader(res.Payload))
		require.NoError(t, err)
		assert.NoError(t, returns.Validate(answer), "%s:%s answered %s", call.contract, call.name, res.Payload)
	}

	require.NotEmpty(t, m.Net.Ledger().Events())
	eventschema.Check(t, m.Net.Ledger())
}

// compile compiles the schema at pointer (empty: the whole document) of a
// JSON document, as JSON Schema draft-07 unless it names its draft.
func compile(t *testing.T, url string, document []byte, pointer string) *jsonschema.Schema {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(document))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	require.NoError(t, c.AddResource(url, v))
	s, err := c.Compile(url + pointer)
	require.NoError(t, err, "compiling %s%s", url, pointer)
	return s
}
