package contracts_test

import (
	"cmp"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/contracts"
	"github.com/deltaledger/deltaledger/internal/versionrecord"
	"github.com/deltaledger/deltaledger/model"
	modelschema "github.com/deltaledger/deltaledger/model/jsonschema"
)

// interfaceGuard is where the interface's record (the version of the
// chaincode's interface last recorded and the digest of that interface) and
// its changelog are. Re-record it with UPDATE_INTERFACE_RECORD=1, which
// refuses to while the interface changed and model.Version did not.
var interfaceGuard = versionrecord.Guard{
	What:          "the chaincode's interface (contract metadata or events)",
	VersionName:   "model.Version (model/function.go)",
	Record:        filepath.Join("testdata", "interface.json"),
	Changelog:     filepath.Join("..", "..", "docs", "interface-changes.md"),
	ChangelogName: "docs/interface-changes.md",
	Minor:         "a new function, optional parameter, field or event",
	Update:        "UPDATE_INTERFACE_RECORD",
	Rerun:         "go test ./chaincode/contracts/ -run TestInterfaceVersionFollowsTheInterface",
}

// canonicalInterface is the interface with its prose and its own version
// taken out, in an order that only a change of the interface changes:
// the contract metadata (an "info" keeps nothing but prose and the
// version) and the event catalogue (each event's contract, audience and
// payload schema), functions and events sorted by name and the required
// fields of each record as a set. Parameters keep their order: a function
// takes its arguments by position. The contracts and the events are maps
// keyed by names (an event could be named like prose).
func canonicalInterface(metadata []byte, events []model.Event) (map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal(metadata, &doc); err != nil {
		return nil, err
	}
	for _, c := range doc["contracts"].(map[string]any) {
		txs := c.(map[string]any)["transactions"].([]any)
		slices.SortFunc(txs, func(a, b any) int {
			return cmp.Compare(a.(map[string]any)["name"].(string), b.(map[string]any)["name"].(string))
		})
	}
	byName := map[string]any{}
	for _, e := range events {
		payload, err := modelschema.EventPayload(e)
		if err != nil {
			return nil, err
		}
		byName[e.Name] = map[string]any{"contract": e.Contract, "audience": string(e.Audience), "payload": map[string]any(payload)}
	}
	doc["events"] = byName
	plain, err := versionrecord.Plain(doc)
	if err != nil {
		return nil, err
	}
	return versionrecord.WithoutProse(plain, "contracts", "events").(map[string]any), nil
}

// interfaceDigest is the digest of the chaincode's interface as it is.
func interfaceDigest(t *testing.T) string {
	t.Helper()
	metadata, err := contracts.Metadata()
	require.NoError(t, err)
	canonical, err := canonicalInterface(metadata, model.Events())
	require.NoError(t, err)
	digest, err := versionrecord.Digest(canonical)
	require.NoError(t, err)
	return digest
}

// TestInterfaceVersionFollowsTheInterface: model.Version changes whenever
// the interface does. The recorded digest is of the interface at the
// recorded version; a different interface under the same version fails,
// and cannot be re-recorded until model.Version is raised (and the raise
// is in the integrators' changelog).
func TestInterfaceVersionFollowsTheInterface(t *testing.T) {
	interfaceGuard.Check(t, model.Version, interfaceDigest(t))
}

// TestInterfaceDigestIgnoresProseOnly: rewording a description, a title or
// the version changes nothing of the digest; a field's type, a new field
// (even one named "description"), a parameter made optional, a reordered
// parameter, a new function or a changed event audience each change it;
// the order of functions, events and required fields does not.
func TestInterfaceDigestIgnoresProseOnly(t *testing.T) {
	metadata, err := contracts.Metadata()
	require.NoError(t, err)
	events := model.Events()
	digest := func(t *testing.T, change func(doc map[string]any), events []model.Event) string {
		t.Helper()
		var doc map[string]any
		require.NoError(t, json.Unmarshal(metadata, &doc))
		change(doc)
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		canonical, err := canonicalInterface(b, events)
		require.NoError(t, err)
		d, err := versionrecord.Digest(canonical)
		require.NoError(t, err)
		return d
	}
	same := func(map[string]any) {}
	base := digest(t, same, events)
	assert.Equal(t, interfaceDigest(t), base)
	for i := 0; i < 3; i++ {
		assert.Equal(t, base, digest(t, same, events), "the digest must not depend on map order")
	}

	schemas := func(doc map[string]any) map[string]any {
		return doc["components"].(map[string]any)["schemas"].(map[string]any)
	}
	prop := func(doc map[string]any, schema, field string) map[string]any {
		return schemas(doc)[schema].(map[string]any)["properties"].(map[string]any)[field].(map[string]any)
	}
	rights := func(doc map[string]any) []any {
		return doc["contracts"].(map[string]any)[model.RightsContract.Name].(map[string]any)["transactions"].([]any)
	}
	firstParams := func(doc map[string]any) []any {
		for _, tx := range rights(doc) {
			if ps, ok := tx.(map[string]any)["parameters"].([]any); ok && len(ps) >= 2 {
				return ps
			}
		}
		t.Fatal("no rights function with two parameters")
		return nil
	}

	for name, change := range map[string]func(map[string]any){
		"a reworded description": func(doc map[string]any) { prop(doc, "Right", "status")["description"] = "reworded" },
		"a reworded parameter":   func(doc map[string]any) { firstParams(doc)[0].(map[string]any)["description"] = "reworded" },
		"a reworded title":       func(doc map[string]any) { doc["info"].(map[string]any)["title"] = "another" },
		"another version": func(doc map[string]any) {
			doc["info"].(map[string]any)["version"] = "9.9.9"
			for _, c := range doc["contracts"].(map[string]any) {
				c.(map[string]any)["info"].(map[string]any)["version"] = "9.9.9"
			}
		},
		"functions reordered": func(doc map[string]any) { slices.Reverse(rights(doc)) },
		"required reordered": func(doc map[string]any) {
			slices.Reverse(schemas(doc)["Right"].(map[string]any)["required"].([]any))
		},
	} {
		assert.Equal(t, base, digest(t, change, events), name)
	}

	for name, change := range map[string]func(map[string]any){
		"a field's type": func(doc map[string]any) { prop(doc, "Right", "status")["type"] = "integer" },
		"a new field named description": func(doc map[string]any) {
			schemas(doc)["Right"].(map[string]any)["properties"].(map[string]any)["description"] = map[string]any{"type": "string"}
		},
		"a field removed": func(doc map[string]any) {
			delete(schemas(doc)["Right"].(map[string]any)["properties"].(map[string]any), "status")
		},
		"a parameter made optional": func(doc map[string]any) { firstParams(doc)[0].(map[string]any)["required"] = false },
		"parameters reordered":      func(doc map[string]any) { slices.Reverse(firstParams(doc)) },
		"a new function": func(doc map[string]any) {
			c := doc["contracts"].(map[string]any)[model.RightsContract.Name].(map[string]any)
			c["transactions"] = append(rights(doc), map[string]any{"name": "Another", "tag": []any{"submit"}})
		},
	} {
		assert.NotEqual(t, base, digest(t, change, events), name)
	}

	renamed := slices.Clone(events)
	renamed[0].Name += "Renamed"
	assert.NotEqual(t, base, digest(t, same, renamed), "a renamed event")
	narrowed := slices.Clone(events)
	narrowed[0].Audience = model.AudienceRegulator
	assert.NotEqual(t, base, digest(t, same, narrowed), "an event seen by fewer")
	assert.NotEqual(t, base, digest(t, same, events[1:]), "an event removed")
	reordered := slices.Clone(events)
	slices.Reverse(reordered)
	assert.Equal(t, base, digest(t, same, reordered), "events reordered")
	assert.True(t, strings.HasPrefix(base, "sha256:"))
}
