package openapi_test

import (
	"cmp"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/openapi"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/internal/versionrecord"
)

// apiGuard is where the REST API's record (the version last recorded and the
// digest of the API at that version) and its changelog are. Re-record it
// with UPDATE_API_RECORD=1, which refuses to while the API changed and
// openapi.Version did not.
var apiGuard = versionrecord.Guard{
	What:          "the REST API (the OpenAPI document without its prose)",
	VersionName:   "openapi.Version (gateway/internal/openapi/document.go)",
	Record:        filepath.Join("testdata", "api.json"),
	Changelog:     filepath.Join("..", "..", "..", "docs", "api-changes.md"),
	ChangelogName: "docs/api-changes.md",
	Minor:         "a new route, an optional parameter, a new answer field",
	Update:        "UPDATE_API_RECORD",
	Rerun:         "go test ./gateway/internal/openapi/ -run TestAPIVersionFollowsTheAPI",
}

// apiNames are the keys of an OpenAPI document whose value is a map keyed by
// names (paths, status codes, media types, headers, security schemes), beside
// JSON Schema's: a header or a response could be named like prose.
var apiNames = []string{"paths", "responses", "content", "headers", "securitySchemes"}

// canonicalAPI is the OpenAPI document with its prose (descriptions,
// summaries, titles, examples) and info.version taken out, each operation's
// parameters sorted by where they go and their name (a client names them;
// their order means nothing) and the required fields of each schema as a set.
func canonicalAPI(doc openapi.Document) (map[string]any, error) {
	plain, err := versionrecord.Plain(doc)
	if err != nil {
		return nil, err
	}
	for _, ops := range plain.(map[string]any)["paths"].(map[string]any) {
		for _, op := range ops.(map[string]any) {
			if params, ok := op.(map[string]any)["parameters"].([]any); ok {
				slices.SortFunc(params, func(a, b any) int {
					pa, pb := a.(map[string]any), b.(map[string]any)
					return cmp.Or(cmp.Compare(pa["in"].(string), pb["in"].(string)), cmp.Compare(pa["name"].(string), pb["name"].(string)))
				})
			}
		}
	}
	return versionrecord.WithoutProse(plain, apiNames...).(map[string]any), nil
}

// apiDigest is the digest of doc's canonical form.
func apiDigest(t *testing.T, doc openapi.Document) string {
	t.Helper()
	canonical, err := canonicalAPI(doc)
	require.NoError(t, err)
	digest, err := versionrecord.Digest(canonical)
	require.NoError(t, err)
	return digest
}

// TestAPIVersionFollowsTheAPI: openapi.Version changes whenever the REST API
// does. The recorded digest is of the API at the recorded version; a
// different API under the same version fails, and cannot be re-recorded
// until openapi.Version is raised and docs/api-changes.md has its section.
func TestAPIVersionFollowsTheAPI(t *testing.T) {
	doc := openapi.Build(routes.Table())
	require.Equal(t, openapi.Version, doc["info"].(map[string]any)["version"], "the document reports openapi.Version")
	apiGuard.Check(t, openapi.Version, apiDigest(t, doc))
}

// TestAPIDigestIgnoresProseOnly: rewording a description, a summary or the
// title, another version, examples or reordered parameters change nothing of
// the digest; a new answer field (even one named "description"), a field's
// type, a removed field, an optional parameter made required, a new
// parameter, a new route or a changed status each change it.
func TestAPIDigestIgnoresProseOnly(t *testing.T) {
	fresh := func() openapi.Document {
		var doc openapi.Document
		raw, err := openapi.JSON(routes.Table())
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, &doc))
		return doc
	}
	digest := func(change func(doc openapi.Document)) string {
		doc := fresh()
		change(doc)
		return apiDigest(t, doc)
	}
	same := func(openapi.Document) {}
	base := digest(same)
	assert.Equal(t, apiDigest(t, openapi.Build(routes.Table())), base)
	assert.True(t, strings.HasPrefix(base, "sha256:"))

	schema := func(doc openapi.Document, name string) map[string]any {
		return doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
	}
	props := func(doc openapi.Document, name string) map[string]any {
		return schema(doc, name)["properties"].(map[string]any)
	}
	op := func(doc openapi.Document, method, path string) map[string]any {
		return doc["paths"].(map[string]any)[path].(map[string]any)[method].(map[string]any)
	}
	params := func(doc openapi.Document) []any {
		return op(doc, "post", "/v1/rights/{rightId}/accept")["parameters"].([]any)
	}
	param := func(doc openapi.Document, name string) map[string]any {
		for _, p := range params(doc) {
			if p.(map[string]any)["name"] == name {
				return p.(map[string]any)
			}
		}
		t.Fatalf("no parameter %s", name)
		return nil
	}

	for name, change := range map[string]func(openapi.Document){
		"a reworded operation": func(doc openapi.Document) {
			o := op(doc, "post", "/v1/rights/{rightId}/accept")
			o["description"], o["summary"] = "reworded", "reworded"
		},
		"a reworded field":     func(doc openapi.Document) { props(doc, "Right")["status"].(map[string]any)["description"] = "reworded" },
		"a reworded parameter": func(doc openapi.Document) { param(doc, "rightId")["description"] = "reworded" },
		"a reworded title and version": func(doc openapi.Document) {
			info := doc["info"].(map[string]any)
			info["title"], info["version"], info["description"] = "another", "9.9.9", "another"
		},
		"an example": func(doc openapi.Document) {
			props(doc, "Right")["status"].(map[string]any)["examples"] = []any{"ACTIVE"}
		},
		"parameters reordered": func(doc openapi.Document) { slices.Reverse(params(doc)) },
		"required reordered":   func(doc openapi.Document) { slices.Reverse(schema(doc, "Right")["required"].([]any)) },
	} {
		assert.Equal(t, base, digest(change), name)
	}

	for name, change := range map[string]func(openapi.Document){
		"a new answer field":            func(doc openapi.Document) { props(doc, "Right")["extra"] = map[string]any{"type": "string"} },
		"a new field named description": func(doc openapi.Document) { props(doc, "Right")["description"] = map[string]any{"type": "string"} },
		"a field's type":                func(doc openapi.Document) { props(doc, "Trade")["priceFen"] = map[string]any{"type": "string"} },
		"a field removed":               func(doc openapi.Document) { delete(props(doc, "Right"), "offerExpiresAt") },
		"a parameter made required":     func(doc openapi.Document) { param(doc, "wait")["required"] = true },
		"a parameter renamed":           func(doc openapi.Document) { param(doc, "wait")["name"] = "block" },
		"a new route": func(doc openapi.Document) {
			doc["paths"].(map[string]any)["/v1/another"] = map[string]any{"get": map[string]any{"operationId": "another"}}
		},
		"a status no longer answered": func(doc openapi.Document) {
			delete(op(doc, "post", "/v1/rights/{rightId}/accept")["responses"].(map[string]any), "409")
		},
		"a stricter pattern": func(doc openapi.Document) { param(doc, "rightId")["schema"].(map[string]any)["pattern"] = "^[a-z]+$" },
	} {
		assert.NotEqual(t, base, digest(change), name)
	}
}
