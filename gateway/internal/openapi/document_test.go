package openapi_test

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/openapi"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
)

// served is the document as the gateway serves it, decoded as generic JSON
// (what a client's code generator reads).
func served(t *testing.T) map[string]any {
	t.Helper()
	raw, err := openapi.JSON(routes.Table())
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	return doc.(map[string]any)
}

// operations calls each with every operation of doc, named "METHOD /path".
func operations(doc map[string]any, each func(name string, op map[string]any)) {
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			each(strings.ToUpper(method)+" "+path, op.(map[string]any))
		}
	}
}

// TestEveryComponentSchemaCompiles: every JSON Schema of the document
// compiles as draft 2020-12, the dialect of OpenAPI 3.1 documents, so that
// a client's validator or code generator takes each.
func TestEveryComponentSchemaCompiles(t *testing.T) {
	doc := served(t)
	const docURL = "https://deltaledger.local/openapi.json"
	schemas := jsonschema.NewCompiler()
	require.NoError(t, schemas.AddResource(docURL, doc))
	for name := range doc["components"].(map[string]any)["schemas"].(map[string]any) {
		_, err := schemas.Compile(docURL + "#/components/schemas/" + name)
		assert.NoError(t, err, "schema %s", name)
	}
}

// TestNoOperationNamesAParameterTwice: OpenAPI forbids two parameters of
// one operation with the same name and location (a header's name compared
// without case, as HTTP does), which code generators refuse or resolve
// silently.
func TestNoOperationNamesAParameterTwice(t *testing.T) {
	operations(served(t), func(name string, op map[string]any) {
		params, _ := op["parameters"].([]any)
		seen := map[string]bool{}
		for _, p := range params {
			param := p.(map[string]any)
			in, pname := param["in"].(string), param["name"].(string)
			if in == "header" {
				pname = strings.ToLower(pname)
			}
			key := in + " " + pname
			assert.False(t, seen[key], "%s: parameter %s (%s) appears twice", name, param["name"], in)
			seen[key] = true
		}
	})
}

// TestDocumentIsSelfConsistent: what the OpenAPI 3.1 schema does not check.
// Every $ref points at something in the document, operationIds are unique,
// and every {placeholder} of a path has its required path parameter and
// every path parameter its placeholder.
func TestDocumentIsSelfConsistent(t *testing.T) {
	doc := served(t)
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				refs = append(refs, ref)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	require.NotEmpty(t, refs)
	for _, ref := range refs {
		_, ok := at(doc, ref)
		assert.True(t, ok, "$ref %s points at nothing", ref)
	}

	ids := map[string]string{}
	placeholder := regexp.MustCompile(`\{([^}]+)\}`)
	operations(doc, func(name string, op map[string]any) {
		id := op["operationId"].(string)
		assert.Empty(t, ids[id], "%s: operationId %s is also %s's", name, id, ids[id])
		ids[id] = name
		var want, got []string
		for _, m := range placeholder.FindAllStringSubmatch(strings.SplitN(name, " ", 2)[1], -1) {
			want = append(want, m[1])
		}
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			if param := p.(map[string]any); param["in"] == "path" {
				got = append(got, param["name"].(string))
				assert.Equal(t, true, param["required"], "%s: path parameter %s is required", name, param["name"])
			}
		}
		sort.Strings(want)
		sort.Strings(got)
		assert.Equal(t, want, got, "%s: path parameters", name)
	})
}

// at resolves a local JSON pointer ("#/a/b") in doc.
func at(doc map[string]any, ref string) (any, bool) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	var v any = doc
	for _, seg := range strings.Split(ref[2:], "/") {
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return v, true
}

// TestEveryOperationThatCommitsTakesAnIdempotencyKey: a chaincode submit and a gateway route that commits a
// transaction (the credit lookup's trace, the indices' attestation and publication) document the Idempotency-Key
// header they take; a read does not.
func TestEveryOperationThatCommitsTakesAnIdempotencyKey(t *testing.T) {
	doc := served(t)
	for _, rt := range routes.Table() {
		cc, _ := rt.(routes.ChaincodeRoute)
		gw, _ := rt.(routes.GatewayRoute)
		o := rt.Op()
		op := doc["paths"].(map[string]any)[o.Path].(map[string]any)[strings.ToLower(o.Method)].(map[string]any)
		params, _ := op["parameters"].([]any)
		takes := false
		for _, p := range params {
			param := p.(map[string]any)
			takes = takes || (param["in"] == "header" && param["name"] == "Idempotency-Key")
		}
		assert.Equal(t, cc.Submit || gw.Commits, takes, "%s takes an Idempotency-Key", o.Pattern())
	}
}
