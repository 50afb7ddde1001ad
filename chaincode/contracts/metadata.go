package contracts

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/jsonschema"
)

// getMetadata is the system contract's function that returns the metadata.
const getMetadata = "GetMetadata"

// Metadata returns the contract metadata that GetMetadata serves, generated
// from package model, the declaration of every function that the chaincode
// is tested against: each contract's functions with their parameters in
// order, by name, with descriptions, enums, patterns and bounds; the
// transient documents each reads ("transient", in the same form as
// "parameters"); and the records they return, as JSON Schemas (draft-07)
// under components.schemas, referenced as #/components/schemas/<Name>.
//
// Every argument travels as a string: an integer as its decimal text, an
// object as its JSON text, a string list comma-separated. The schemas
// describe the value, as contractapi's own metadata does; the rules are
// enforced by the chaincode, which refuses a bad argument with
// "INVALID_ARGUMENT: <parameter>: <rule>".
func Metadata() ([]byte, error) {
	reg := jsonschema.NewRegistry()
	contracts := map[string]any{}
	for i, c := range model.Contracts() {
		var transactions []any
		for _, f := range c.Functions {
			transactions = append(transactions, transaction(reg, f))
		}
		contracts[c.Name] = map[string]any{
			"name":         c.Name,
			"default":      i == 0,
			"info":         map[string]any{"title": c.Title, "description": c.Description, "version": model.Version},
			"transactions": transactions,
		}
	}
	contracts[contractapi.SystemContractName] = map[string]any{
		"name":    contractapi.SystemContractName,
		"default": false,
		"info": map[string]any{"title": "Fabric system contract", "version": model.Version,
			"description": "Describes the chaincode's contracts."},
		"transactions": []any{map[string]any{
			"name": getMetadata, "tag": evaluateTags,
			"returns": jsonschema.Schema{"type": "object", "description": "This document."},
		}},
	}
	schemas := map[string]any{}
	for name, s := range reg.Components() {
		component := jsonschema.Schema{"$id": "#" + name}
		for k, v := range s {
			component[k] = v
		}
		schemas[name] = component
	}
	doc := map[string]any{
		"info": map[string]any{
			"title":   "DeltaLedger chaincode",
			"version": model.Version,
			"description": "The ledger of data-asset rights, listings, trades and cross-region credit records of the " +
				"Yangtze River Delta's four regional data exchanges. Call a function as <contract>:<Function> with " +
				"string arguments; refusals read \"CODE: field: rule\" or \"CODE: message\". See docs/integration.md.",
		},
		"contracts":  contracts,
		"components": map[string]any{"schemas": schemas},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encoding the contract metadata: %w", err)
	}
	return b, nil
}

var (
	submitTags   = []string{"submit", "SUBMIT"}
	evaluateTags = []string{"evaluate", "EVALUATE"}
)

// transaction describes one function.
func transaction(reg *jsonschema.Registry, f model.Function) map[string]any {
	tx := map[string]any{"name": f.Name, "tag": submitTags}
	if f.Evaluate {
		tx["tag"] = evaluateTags
	}
	if len(f.Params) > 0 {
		tx["parameters"] = parameters(reg, f.Params)
	}
	if len(f.Transient) > 0 {
		tx["transient"] = parameters(reg, f.Transient)
	}
	if f.Returns != nil {
		tx["returns"] = reg.Of(f.Returns)
	}
	return tx
}

// parameters describes fields in order.
func parameters(reg *jsonschema.Registry, fields []model.Field) []any {
	out := make([]any, len(fields))
	for i, f := range fields {
		out[i] = map[string]any{
			"name":        f.Name,
			"description": f.Description,
			"required":    !f.Optional,
			"schema":      argumentSchema(reg, f),
		}
	}
	return out
}

// argumentSchema is the schema of a field's value. A string list travels
// comma-separated, so it is a string; an optional string may be empty.
func argumentSchema(reg *jsonschema.Registry, f model.Field) jsonschema.Schema {
	if f.Type == model.TypeStringList {
		s := jsonschema.Schema{"type": "string"}
		if len(f.Enum) > 0 {
			quoted := make([]string, len(f.Enum))
			for i, v := range f.Enum {
				quoted[i] = regexp.QuoteMeta(v)
			}
			item := "(" + strings.Join(quoted, "|") + ")"
			s["pattern"] = "^" + item + "(," + item + ")*$"
		}
		return s
	}
	s := reg.Field(f)
	if f.Optional && f.Type == model.TypeString {
		if enum, ok := s["enum"].([]string); ok {
			s["enum"] = append(slices.Clone(enum), "")
		}
		if p, ok := s["pattern"].(string); ok {
			s["pattern"] = "^$|" + p
		}
	}
	return s
}
